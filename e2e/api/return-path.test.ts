import { beforeAll, describe, expect, it } from "vitest";
import { api, apiUrl, PASSWORD, register, uniqueEmail } from "../support/api";
import { browserSession } from "./helpers";

/**
 * After sign-in (or on opening /signin or /signup while signed in) the user is sent back to callbackUrl, which
 * anyone can put in a link: it must never lead off the site, and no value may break the response (5xx).
 */

let cookie: string;

beforeAll(async () => {
  const { email } = await register(uniqueEmail("return"));
  cookie = await browserSession(email);
});

const HOSTILE = [
  "/%09/evil.example/phish",
  "/%0a/evil.example",
  "//evil.example",
  "/%5Cevil.example",
  "%5C%5Cevil.example",
  "https://evil.example",
  "https:evil.example",
  "javascript:alert(1)",
  "%0d%0aSet-Cookie:%20x=1",
  "/%0d%0aSet-Cookie:%20x=1",
  "%00",
  "/a%00b",
  "%E2%80%A8",
  "/%ff",
  "%",
  "http://[::1",
];

describe("a return path to the sign-in pages themselves", () => {
  it.each(["/signin", "/signup?callbackUrl=/signin", "/signin#x"])(
    "%s goes to / instead of redirecting in a loop",
    async (path) => {
      const res = await api(`/signin?callbackUrl=${encodeURIComponent(path)}`, { headers: { cookie } });
      expect(res.status).toBe(307);
      expect(res.headers.get("location")).toBe("/");
    },
  );
});

/** Where a Location header sends a browser that is on the site. */
function resolved(location: string | null): URL {
  expect(location).not.toBeNull();
  return new URL(location!, apiUrl());
}

describe.each(["/signin", "/signup"])("%s while signed in", (page) => {
  it.each(HOSTILE)("callbackUrl=%s stays on the site", async (raw) => {
    const res = await api(`${page}?callbackUrl=${raw}`, { headers: { cookie } });
    expect(
      res.status,
      await res
        .clone()
        .text()
        .then((t) => t.slice(0, 300)),
    ).toBe(307);
    const target = resolved(res.headers.get("location"));
    expect(target.origin).toBe(new URL(apiUrl()).origin);
    expect(res.headers.get("location")).toMatch(/^\/(?!\/)[\x21-\x7e]*$/);
    expect(res.headers.get("set-cookie") ?? "").not.toMatch(/x=1/);
  });

  it("keeps a return path on the site, with its query and fragment", async () => {
    const res = await api(`${page}?callbackUrl=${encodeURIComponent("/n/12?q=x#frag")}`, { headers: { cookie } });
    expect(res.status).toBe(307);
    expect(res.headers.get("location")).toBe("/n/12?q=x#frag");
  });

  it("answers the page (no 5xx) for any callbackUrl when signed out", async () => {
    for (const raw of HOSTILE) {
      const res = await api(`${page}?callbackUrl=${raw}`);
      expect(res.status, raw).toBe(200);
      const html = await res.text();
      // The form carries the return path as re-serialised: a path on the site, never another host.
      expect(html, raw).toMatch(/name="callbackUrl" value="\/(?![/\\])[^"]*"/);
    }
  });
});

describe("Auth.js's own callbackUrl", () => {
  it.each(["https://evil.example/phish", "/%09/evil.example", "//evil.example", "javascript:alert(1)"])(
    "%s after a credentials sign-in stays on the site",
    async (raw) => {
      const { email } = await register(uniqueEmail("authjs-return"));
      const csrf = await api("/api/auth/csrf");
      const { csrfToken } = await csrf.json();
      const jar = csrf.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
      const res = await api("/api/auth/callback/credentials", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
        body: new URLSearchParams({
          email,
          password: PASSWORD,
          csrfToken,
          callbackUrl: decodeURIComponent(raw),
        }).toString(),
      });
      expect(res.status).toBe(302);
      // Auth.js builds absolute URLs on the app's configured public URL (localhost in the tests).
      const target = resolved(res.headers.get("location"));
      expect(["localhost", "127.0.0.1"]).toContain(target.hostname);
      expect(target.port).toBe(new URL(apiUrl()).port);
    },
  );
});

describe("other pages' query strings", () => {
  it.each([
    "/?q=%00",
    "/?q=%0d%0a",
    "/?cursor=%00",
    "/?cursor=%ff%fe",
    "/?q=%",
    "/n/1?x=%00",
    "/n/%00",
    "/n/abc?callbackUrl=//evil.example",
    "/?q=" + "a".repeat(5000),
  ])("%s answers without a 5xx, signed in or not", async (target) => {
    for (const headers of [{ cookie }, {}] as Record<string, string>[]) {
      const res = await api(target, { headers });
      expect(res.status, `${target} ${JSON.stringify(headers).slice(0, 20)}`).toBeLessThan(500);
      await res.arrayBuffer();
    }
  });
});
