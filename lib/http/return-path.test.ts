import { describe, expect, it } from "vitest";
import { afterSignInPath, safeReturnPath } from "./return-path";

describe("safeReturnPath", () => {
  it("keeps a path on the site, with its query and fragment", () => {
    expect(safeReturnPath("/n/12?q=x#frag")).toBe("/n/12?q=x#frag");
    expect(safeReturnPath("/")).toBe("/");
    expect(safeReturnPath("/?q=caf%C3%A9")).toBe("/?q=caf%C3%A9");
  });

  it.each([
    ["a tab that browsers drop", "/\t/evil.example/phish"],
    ["a newline that browsers drop", "/\n/evil.example"],
    ["a protocol-relative URL", "//evil.example"],
    ["a backslash read as a slash", "/\\evil.example"],
    ["a backslash after the slash", "\\/evil.example"],
    ["an absolute URL elsewhere", "https://evil.example"],
    ["another scheme", "javascript:alert(1)"],
    ["a data URL", "data:text/html,<script>alert(1)</script>"],
    ["credentials and another host", "https://user@evil.example/"],
    ["a scheme-relative URL with spaces", " //evil.example"],
  ])("sends %s to /", (_why, candidate) => {
    expect(safeReturnPath(candidate)).toBe("/");
  });

  it("never returns a character that is invalid in a header", () => {
    for (const candidate of [
      "/a\r\nSet-Cookie: x=1",
      "/a\u0000b",
      "/\u00e9t\u00e9",
      "/a b?c d#e f",
      "/\u2028",
      "/%0d%0a",
    ]) {
      const path = safeReturnPath(candidate);
      expect(path, JSON.stringify(candidate)).toMatch(/^\/[\x21-\x7e]*$/);
      expect(() => new Headers({ location: path })).not.toThrow();
    }
  });

  it("re-serialises rather than echoes", () => {
    expect(safeReturnPath("/a b")).toBe("/a%20b");
    expect(safeReturnPath("/a/../b")).toBe("/b");
    expect(safeReturnPath("/a\r\nb")).toBe("/ab");
  });

  it("after sign-in, never returns to the sign-in pages, which would redirect to it again", () => {
    expect(afterSignInPath("/signin?callbackUrl=/signin")).toBe("/");
    expect(afterSignInPath("/signup")).toBe("/");
    expect(afterSignInPath("/signin/../n/1")).toBe("/n/1");
    expect(afterSignInPath("/n/12?q=x#frag")).toBe("/n/12?q=x#frag");
    expect(afterSignInPath("/\t/evil.example")).toBe("/");
    // Elsewhere (signing out) the sign-in page is a fine destination.
    expect(safeReturnPath("/signin?signedOut=1")).toBe("/signin?signedOut=1");
  });

  it("sends anything that is not a string, or is empty, to /", () => {
    for (const candidate of [undefined, null, 42, ["/n/1", "/n/2"], "", {}])
      expect(safeReturnPath(candidate)).toBe("/");
  });

  it("accepts an absolute URL only on the given origin", () => {
    expect(safeReturnPath("https://notes.example.com/n/1?x=1", "https://notes.example.com")).toBe("/n/1?x=1");
    expect(safeReturnPath("https://evil.example/n/1", "https://notes.example.com")).toBe("/");
    expect(safeReturnPath("http://notes.example.com/n/1", "https://notes.example.com")).toBe("/");
  });
});
