import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  displayFileName,
  isAllowedType,
  isInlineSafe,
  isOwnKey,
  keySafeFileName,
  normaliseContentType,
  uploadKey,
  userUploadPrefix,
} from "@/lib/files/policy";

/**
 * Any code point but a surrogate, as fc.string's `unit: "binary"` draws them (same indexes, same bias), with an
 * unmapper that computes instead of looking up: fast-check's own builds a map of all 1.1 million code points the
 * first time, which cost this file seconds.
 */
const SURROGATES = 0x800;
const anyChar = fc.nat({ max: 0x10ffff - SURROGATES }).map(
  (i) => String.fromCodePoint(i < 0xd800 ? i : i + SURROGATES),
  (c) => {
    const cp = typeof c === "string" && [...c].length === 1 ? c.codePointAt(0)! : -1;
    if (cp < 0 || (cp >= 0xd800 && cp < 0xe000)) throw new Error("not a single code point");
    return cp < 0xd800 ? cp : cp - SURROGATES;
  },
);
const binaryString = (maxLength: number) => fc.string({ unit: anyChar, maxLength });

describe("displayFileName", () => {
  it("keeps only the last path segment, whichever separator", () => {
    expect(displayFileName("../../etc/passwd")).toBe("passwd");
    expect(displayFileName("/var/tmp/report.pdf")).toBe("report.pdf");
    expect(displayFileName("C:\\Users\\me\\Documents\\cv.docx")).toBe("cv.docx");
    expect(displayFileName("..\\..\\windows\\win.ini")).toBe("win.ini");
    expect(displayFileName("a/b\\c/d.txt")).toBe("d.txt");
  });

  it("never returns a path, a dot name or an empty name", () => {
    for (const raw of ["", "   ", "/", "dir/", "..", ".", "../..", "a/..", "\\", "\u0000\u0001", "\u202e"]) {
      expect(displayFileName(raw), JSON.stringify(raw)).toBe("file");
    }
  });

  it("strips control characters (C0, DEL, C1)", () => {
    expect(displayFileName("a\u0000b\nc\r\td\u001b[31m.txt")).toBe("abcd[31m.txt");
    expect(displayFileName("x\u007fy\u0085z\u009f.txt")).toBe("xyz.txt");
  });

  it("strips bidi embeddings, overrides and isolates that disguise an extension", () => {
    // "invoice<RLO>fdp.exe" displays as "invoiceexe.pdf".
    expect(displayFileName("invoice\u202efdp.exe")).toBe("invoicefdp.exe");
    expect(displayFileName("\u202aa\u202bb\u202cc\u202dd\u202ee.txt")).toBe("abcde.txt");
    expect(displayFileName("\u2066a\u2067b\u2068c\u2069.txt")).toBe("abc.txt");
  });

  it("keeps unicode letters, combining marks and emoji", () => {
    expect(displayFileName("日本語のファイル.pdf")).toBe("日本語のファイル.pdf");
    expect(displayFileName("Résumé — Zoë (final).docx")).toBe("Résumé — Zoë (final).docx");
    expect(displayFileName("e\u0301te\u0301.txt")).toBe("e\u0301te\u0301.txt");
    expect(displayFileName("party 🎉👩‍👩‍👧.png")).toBe("party 🎉👩‍👩‍👧.png");
    expect(displayFileName("مستند.txt")).toBe("مستند.txt");
  });

  it("trims surrounding whitespace", () => {
    expect(displayFileName("  notes.md \t")).toBe("notes.md");
  });

  it("caps the name at 255 characters (code points, as varchar(255) counts them) without splitting a pair", () => {
    expect(displayFileName("a".repeat(300))).toBe("a".repeat(255));
    expect(displayFileName("a".repeat(255))).toBe("a".repeat(255));
    const emoji = displayFileName("😀".repeat(300));
    expect(Array.from(emoji)).toHaveLength(255);
    expect(Array.from(emoji).every((c) => c === "😀")).toBe(true); // no half of a surrogate pair left
  });

  it("always yields a short, single-segment, control-free name (property)", () => {
    fc.assert(
      fc.property(binaryString(300), (raw) => {
        const name = displayFileName(raw);
        expect(name.length).toBeGreaterThan(0);
        expect(Array.from(name).length).toBeLessThanOrEqual(255);
        expect(name).not.toMatch(/[\\/\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
        expect(name).not.toBe("..");
        expect(name).not.toBe(".");
      }),
      { numRuns: 200 },
    );
  });
});

describe("keySafeFileName", () => {
  const SAFE = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

  it("keeps plain ASCII names", () => {
    expect(keySafeFileName("report-2024_v2.pdf")).toBe("report-2024_v2.pdf");
  });

  it("replaces anything else with single underscores", () => {
    expect(keySafeFileName("my report (final).pdf")).toBe("my_report_final_.pdf");
    expect(keySafeFileName("a%2F..%2Fb?.txt")).toBe("a_2F.._2Fb_.txt");
    expect(keySafeFileName("日本語.txt")).toBe("txt");
    expect(keySafeFileName("résumé.pdf")).toMatch(SAFE);
  });

  it("is never empty", () => {
    for (const raw of ["", "日本語", "....", "___", "🎉", " "]) {
      expect(keySafeFileName(raw), JSON.stringify(raw)).toBe("file");
    }
  });

  it("never starts with a dot (no hidden files, no `..` segment)", () => {
    expect(keySafeFileName(".env")).toBe("env");
    expect(keySafeFileName("..")).toBe("file");
    expect(keySafeFileName("._.hidden")).toBe("hidden");
    // A long name whose last 100 characters start with a dot.
    const long = keySafeFileName(`${"a".repeat(60)}.${"b".repeat(99)}`);
    expect(long.startsWith(".")).toBe(false);
    expect(long.length).toBeLessThanOrEqual(100);
  });

  it("keeps the end of long names (their extension) within 100 characters", () => {
    const name = keySafeFileName(`${"x".repeat(300)}.tar.gz`);
    expect(name).toHaveLength(100);
    expect(name.endsWith(".tar.gz")).toBe(true);
  });

  it("is ASCII-only, non-empty, at most 100 characters and never dot-first for any input (property)", () => {
    fc.assert(
      fc.property(binaryString(400), (raw) => {
        const name = keySafeFileName(displayFileName(raw));
        expect(name).toMatch(SAFE);
        expect(name.length).toBeLessThanOrEqual(100);
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z.]{90,220}$/), (raw) => {
        expect(keySafeFileName(raw)).toMatch(SAFE);
      }),
      { numRuns: 150 },
    );
  });
});

describe("normaliseContentType", () => {
  it("lower-cases and drops parameters", () => {
    expect(normaliseContentType("Text/Plain; charset=UTF-8")).toBe("text/plain");
    expect(normaliseContentType("  image/PNG ")).toBe("image/png");
    expect(normaliseContentType("image/svg+xml")).toBe("image/svg+xml");
    expect(normaliseContentType("application/vnd.openxmlformats-officedocument.wordprocessingml.document")).toBe(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    );
  });

  it("refuses what is not a type/subtype", () => {
    for (const raw of [
      "",
      "text",
      "text/",
      "/plain",
      "text/plain/extra",
      "te xt/plain",
      "text/pläin",
      "text/plain\r\nX-Injected: 1",
      "*/*",
      ";",
      `text/${"a".repeat(200)}`,
    ]) {
      expect(normaliseContentType(raw), JSON.stringify(raw)).toBeNull();
    }
  });
});

describe("isAllowedType", () => {
  const allowed = ["image/*", "application/pdf", "application/vnd.openxmlformats-officedocument.*", "Text/CSV"];

  it("matches exact types and type/* or prefix.* patterns", () => {
    expect(isAllowedType("image/png", allowed)).toBe(true);
    expect(isAllowedType("image/svg+xml", allowed)).toBe(true);
    expect(isAllowedType("application/pdf", allowed)).toBe(true);
    expect(isAllowedType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", allowed)).toBe(true);
    expect(isAllowedType("text/csv", allowed)).toBe(true);
  });

  it("refuses everything else, including look-alikes", () => {
    expect(isAllowedType("imagex/png", allowed)).toBe(false);
    expect(isAllowedType("application/pdfx", allowed)).toBe(false);
    expect(isAllowedType("application/x-pdf", allowed)).toBe(false);
    expect(isAllowedType("application/vnd.ms-excel", allowed)).toBe(false);
    expect(isAllowedType("text/html", allowed)).toBe(false);
    expect(isAllowedType("image/png", [])).toBe(false);
  });
});

describe("isInlineSafe", () => {
  it("allows images, PDF, plain text, audio and video inline", () => {
    for (const type of [
      "image/png",
      "image/jpeg",
      "image/gif",
      "image/webp",
      "image/avif",
      "application/pdf",
      "text/plain",
      "audio/mpeg",
      "video/mp4",
    ]) {
      expect(isInlineSafe(type), type).toBe(true);
    }
  });

  it("forces a download for anything a browser could run or render as a document", () => {
    for (const type of [
      "text/html",
      "image/svg+xml",
      "application/xhtml+xml",
      "text/xml",
      "application/xml",
      "application/javascript",
      "text/javascript",
      "text/css",
      "application/octet-stream",
      "application/x-shockwave-flash",
      "multipart/x-mixed-replace",
    ]) {
      expect(isInlineSafe(type), type).toBe(false);
    }
  });

  it("allows the media types browsers play themselves inline", () => {
    for (const type of [
      "audio/mpeg",
      "audio/ogg",
      "audio/wav",
      "audio/webm",
      "audio/aac",
      "audio/flac",
      "video/mp4",
      "video/webm",
      "video/ogg",
    ]) {
      expect(isInlineSafe(type), type).toBe(true);
    }
  });

  it("forces a download for any other audio/ or video/ subtype a client declares", () => {
    for (const type of [
      "audio/x-evil",
      "audio/x-mpegurl",
      "audio/vnd.wave+html",
      "video/x-msvideo",
      "video/quicktime",
      "video/vnd.mpegurl",
      "video/html",
      "video/x-shockwave-flash",
    ]) {
      expect(isInlineSafe(type), type).toBe(false);
    }
  });

  it("only allows what is listed: any allowed upload type of an unlisted subtype is a download (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("audio", "video", "image", "text", "application"),
        fc.stringMatching(/^[a-z0-9][a-z0-9.+-]{0,20}$/),
        (top, sub) => {
          const type = `${top}/x-unlisted-${sub}`;
          expect(isInlineSafe(type), type).toBe(false);
        },
      ),
    );
  });
});

describe("uploadKey and isOwnKey", () => {
  const user = "cm3user0000000000000000a";
  const uuid = randomUUID();

  it("builds users/<id>/uploads/<uuid>/<key-safe name>", () => {
    const key = uploadKey(user, uuid, "Quarterly report (v2).pdf");
    expect(key).toBe(`users/${user}/uploads/${uuid}/Quarterly_report_v2_.pdf`);
    expect(key.startsWith(userUploadPrefix(user))).toBe(true);
    expect(uploadKey(user, uuid, "../../etc/passwd")).toMatch(
      new RegExp(`^users/${user}/uploads/${uuid}/[A-Za-z0-9_-][\\w.-]*$`),
    );
  });

  it("accepts the user's own keys", () => {
    expect(isOwnKey(user, uploadKey(user, uuid, "a.txt"))).toBe(true);
    expect(isOwnKey(user, uploadKey(user, uuid, "日本語"))).toBe(true);
  });

  it("accepts every key uploadKey makes, whatever the file name (property)", () => {
    fc.assert(fc.property(binaryString(300), (name) => isOwnKey(user, uploadKey(user, uuid, displayFileName(name)))));
  });

  it("refuses other users' keys, including prefix look-alikes", () => {
    expect(isOwnKey(user, uploadKey("someone-else", uuid, "a.txt"))).toBe(false);
    expect(isOwnKey(user, `users/${user}x/uploads/${uuid}/a.txt`)).toBe(false);
    expect(isOwnKey("u1", `users/u10/uploads/${uuid}/a.txt`)).toBe(false);
    expect(isOwnKey(user, `USERS/${user}/uploads/${uuid}/a.txt`)).toBe(false);
    expect(isOwnKey(user, `/users/${user}/uploads/${uuid}/a.txt`)).toBe(false);
  });

  it("refuses traversal, a missing or malformed uuid, extra or empty segments", () => {
    const prefix = userUploadPrefix(user);
    for (const key of [
      `${prefix}${uuid}/..`,
      `${prefix}../../other/uploads/${uuid}/a.txt`,
      `${prefix}${uuid}/../a.txt`,
      `${prefix}a.txt`,
      `${prefix}not-a-uuid/a.txt`,
      `${prefix}${uuid.toUpperCase()}/a.txt`,
      `${prefix}${uuid}`,
      `${prefix}${uuid}/`,
      `${prefix}${uuid}/dir/a.txt`,
      `${prefix}${uuid}/a.txt\u0000`,
      `${prefix}${uuid}/a b.txt`,
      `${prefix}${uuid}/.hidden`,
      `${prefix}/${uuid}/a.txt`,
      prefix,
    ]) {
      expect(isOwnKey(user, key), key).toBe(false);
    }
  });
});
