import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contentDisposition } from "@/lib/files/download";

// RFC 6266 with RFC 8187 (ex-5987) ext-value: `UTF-8''` then only attr-chars and %XX escapes.
const HEADER =
  /^(inline|attachment); filename="([^"\\]*)"; filename\*=UTF-8''((?:%[0-9A-F]{2}|[A-Za-z0-9!#$&+\-.^_`|~])*)$/;

function parse(header: string) {
  const match = HEADER.exec(header);
  if (!match) throw new Error(`not an RFC 6266 / 8187 Content-Disposition: ${header}`);
  return { kind: match[1], fallback: match[2]!, utf8: decodeURIComponent(match[3]!) };
}

describe("contentDisposition", () => {
  it("gives ASCII names unchanged in both parameters", () => {
    expect(contentDisposition("attachment", "report-2024.pdf")).toBe(
      "attachment; filename=\"report-2024.pdf\"; filename*=UTF-8''report-2024.pdf",
    );
    expect(parse(contentDisposition("inline", "my photo.png"))).toEqual({
      kind: "inline",
      fallback: "my photo.png",
      utf8: "my photo.png",
    });
  });

  it("carries a unicode name in filename* and an ASCII fallback in filename", () => {
    const header = contentDisposition("attachment", "Résumé 日本.pdf");
    expect(header).toBe(
      "attachment; filename=\"R_sum_ __.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%E6%97%A5%E6%9C%AC.pdf",
    );
    expect(parse(header).utf8).toBe("Résumé 日本.pdf");
  });

  it("neutralises quotes, backslashes and percent signs in the fallback and encodes them in filename*", () => {
    const header = contentDisposition("attachment", 'a"b\\c%41.txt');
    const parsed = parse(header);
    expect(parsed.fallback).toBe("a_b_c_41.txt");
    expect(parsed.utf8).toBe('a"b\\c%41.txt');
    expect(header).toContain("filename*=UTF-8''a%22b%5Cc%2541.txt");
  });

  it("cannot be broken out of: no header injection, no extra parameters", () => {
    const header = contentDisposition("attachment", 'x.txt"; filename="evil.html\r\nSet-Cookie: a=b');
    const parsed = parse(header);
    expect(parsed.fallback).toBe("x.txt_; filename=_evil.html__Set-Cookie: a=b");
    expect(header).not.toMatch(/[\r\n]/);
    expect(() => new Headers({ "content-disposition": header })).not.toThrow();
  });

  it("percent-encodes the characters RFC 8187 excludes from attr-char (' ( ) *)", () => {
    const header = contentDisposition("attachment", "it's (1)*.txt");
    expect(header).toContain("filename*=UTF-8''it%27s%20%281%29%2A.txt");
    expect(parse(header).utf8).toBe("it's (1)*.txt");
  });

  it("is always a valid header that decodes back to the name (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 80 }),
        fc.constantFrom("inline", "attachment" as const),
        (name, kind) => {
          const header = contentDisposition(kind, name);
          const parsed = parse(header);
          expect(parsed.kind).toBe(kind);
          expect(parsed.utf8).toBe(name);
          expect(parsed.fallback).toMatch(/^[\x20-\x7e]*$/);
          expect(() => new Headers({ "content-disposition": header })).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });
});
