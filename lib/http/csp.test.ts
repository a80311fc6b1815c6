import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce } from "@/lib/http/csp";

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(";").map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

const s3Sources = ["https://cloudnotes-files.s3.eu-west-1.amazonaws.com"];

describe("contentSecurityPolicy", () => {
  it("allows scripts by nonce only, with strict-dynamic, and no eval in production", () => {
    const d = directives(contentSecurityPolicy("/", "abc123==", { s3Sources }));
    expect(d.get("script-src")).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(d.get("object-src")).toEqual(["'none'"]);
    expect(d.get("base-uri")).toEqual(["'none'"]);
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
    expect(d.get("form-action")).toEqual(["'self'"]);
    expect(d.has("upgrade-insecure-requests")).toBe(false);
  });

  it("lets pages show presigned images and post uploads to the bucket, nowhere else", () => {
    const d = directives(contentSecurityPolicy("/n/1", "n", { s3Sources }));
    expect(d.get("img-src")).toEqual(["'self'", "data:", "blob:", ...s3Sources]);
    expect(d.get("connect-src")).toEqual(["'self'", ...s3Sources]);
    expect(d.get("default-src")).toEqual(["'self'"]);
  });

  it("adds eval in development and OAuth form targets when configured", () => {
    const d = directives(
      contentSecurityPolicy("/", "n", { s3Sources, dev: true, formTargets: ["https://github.com"] }),
    );
    expect(d.get("script-src")).toContain("'unsafe-eval'");
    expect(d.get("form-action")).toEqual(["'self'", "https://github.com"]);
  });

  it("gives the API reference page inline scripts but never a nonce", () => {
    const policy = contentSecurityPolicy("/docs", "n", { s3Sources });
    expect(directives(policy).get("script-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(directives(policy).get("frame-ancestors")).toEqual(["'none'"]);
  });

  it("makes a new 128-bit nonce each time", () => {
    const a = newNonce();
    expect(Buffer.from(a, "base64")).toHaveLength(16);
    expect(newNonce()).not.toBe(a);
  });
});
