import { describe, expect, it } from "vitest";
import { actionOriginRefusal, allowedActionOrigins } from "@/lib/http/action-origin";

const h = (origin: string | null, host = "notes.example", forwardedHost: string | null = null) => ({
  origin,
  host,
  forwardedHost,
});

describe("actionOriginRefusal", () => {
  it("allows the same host, the proxy's forwarded host, and no Origin at all", () => {
    expect(actionOriginRefusal(h("https://notes.example"), [])).toBeNull();
    expect(actionOriginRefusal(h("https://public.example", "127.0.0.1:3001", "public.example, other"), [])).toBeNull();
    expect(actionOriginRefusal(h(null), [])).toBeNull();
    expect(actionOriginRefusal(h("http://127.0.0.1:3000", "127.0.0.1:3000"), [])).toBeNull();
  });

  it("refuses another site with 403 and an Origin that is not a URL with 400", () => {
    expect(actionOriginRefusal(h("https://evil.example"), [])).toEqual({
      status: 403,
      detail: "Cross-origin request refused",
    });
    expect(actionOriginRefusal(h("null"), [])?.status).toBe(403);
    expect(actionOriginRefusal(h("not a url"), [])).toEqual({ status: 400, detail: "Invalid Origin header" });
    // The forwarded host, when there is one, is what counts (Next.js compares with it first).
    expect(actionOriginRefusal(h("https://notes.example", "notes.example", "evil.example"), [])?.status).toBe(403);
  });

  it("allows the configured hosts, with one-level (*.) and any-depth (**.) wildcards", () => {
    const allowed = allowedActionOrigins({
      SERVER_ACTION_ALLOWED_ORIGINS: "Other.example, *.apps.example,**.deep.example",
    });
    expect(allowed).toEqual(["other.example", "*.apps.example", "**.deep.example"]);
    expect(actionOriginRefusal(h("https://other.example"), allowed)).toBeNull();
    expect(actionOriginRefusal(h("https://a.apps.example"), allowed)).toBeNull();
    expect(actionOriginRefusal(h("https://a.b.apps.example"), allowed)?.status).toBe(403);
    expect(actionOriginRefusal(h("https://a.b.deep.example"), allowed)).toBeNull();
    expect(actionOriginRefusal(h("https://evilother.example"), allowed)?.status).toBe(403);
    expect(allowedActionOrigins({})).toEqual([]);
  });
});
