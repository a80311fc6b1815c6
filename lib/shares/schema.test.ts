import { describe, expect, it } from "vitest";
import { randomSecret } from "@/lib/auth/personal-tokens";
import { apiNewShareSchema, isShareToken, shareFormSchema, toApiShare } from "@/lib/shares/schema";

describe("share link contract", () => {
  it("recognises a token by its form only: 256 bits of base64url", () => {
    expect(isShareToken(randomSecret())).toBe(true);
    expect(isShareToken("A".repeat(42))).toBe(false);
    expect(isShareToken(`${"A".repeat(42)}.`)).toBe(false);
    expect(isShareToken("")).toBe(false);
  });

  it("takes an expiry in the future or none; one in the past is refused at expires_at", () => {
    expect(apiNewShareSchema.parse({})).toEqual({ expiresAt: null, indexable: false });
    const soon = new Date(Date.now() + 60_000).toISOString();
    expect(apiNewShareSchema.parse({ expires_at: soon, indexable: true })).toEqual({
      expiresAt: new Date(soon),
      indexable: true,
    });
    const past = apiNewShareSchema.safeParse({ expires_at: "2020-01-01T00:00:00Z" });
    expect(past.success).toBe(false);
    expect(past.error?.issues[0]?.path).toEqual(["expires_at"]);
    expect(apiNewShareSchema.safeParse({ expires_at: "tomorrow" }).success).toBe(false);
    expect(apiNewShareSchema.safeParse({ indexable: "yes" }).success).toBe(false);
  });

  it("turns the form's choices into an expiry and the checkbox into indexable", () => {
    expect(shareFormSchema.parse({})).toEqual({ expiresAt: null, indexable: false });
    const week = shareFormSchema.parse({ expires: "7", indexable: "on" });
    expect(week.indexable).toBe(true);
    const days = (week.expiresAt!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    expect(shareFormSchema.safeParse({ expires: "365" }).success).toBe(false);
  });

  it("builds the link on the server's origin", () => {
    const api = toApiShare(
      {
        id: "s1",
        noteId: 3,
        token: "tok",
        indexable: false,
        createdAt: new Date(0),
        expiresAt: null,
        expired: false,
        lastViewedAt: null,
        viewCount: 0,
      },
      "https://notes.example.com/notes/3/shares",
    );
    expect(api.url).toBe("https://notes.example.com/s/tok");
  });
});
