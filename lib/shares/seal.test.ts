import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { randomSecret } from "@/lib/auth/personal-tokens";
import { resetConfigForTests } from "@/lib/config";
import { openToken, sealToken } from "@/lib/shares/seal";

function useSecret(secret: string) {
  vi.stubEnv("SECRET_KEY", secret);
  resetConfigForTests();
}

beforeEach(() => {
  vi.stubEnv("DATABASE_URL", "postgresql://localhost/unused");
  vi.stubEnv("BUCKET_NAME", "unused");
  useSecret("a".repeat(32));
});
afterEach(() => {
  vi.unstubAllEnvs();
  resetConfigForTests();
});

describe("sealed share tokens", () => {
  it("opens what it sealed, and the sealed form does not contain the token", () => {
    const token = randomSecret();
    const sealed = sealToken(token);
    expect(sealed).not.toContain(token);
    expect(sealToken(token)).not.toBe(sealed);
    expect(openToken(sealed)).toBe(token);
  });

  it("opens nothing that was tampered with, sealed under another key, or emptied by a revoke", () => {
    const sealed = sealToken(randomSecret());
    const [iv, data, tag] = sealed.split(".");
    const flipped = data!.startsWith("A") ? `B${data!.slice(1)}` : `A${data!.slice(1)}`;
    expect(openToken([iv, flipped, tag].join("."))).toBeNull();
    expect(openToken("")).toBeNull();
    expect(openToken("not.sealed")).toBeNull();
    useSecret("b".repeat(32));
    expect(openToken(sealed)).toBeNull();
  });
});
