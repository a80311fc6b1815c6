import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromMarkdown, toMarkdown } from "@/lib/transfer/front-matter";
import {
  type FrontMatter,
  type Manifest,
  fileNameInZip,
  filePath,
  fileRelativeToNote,
  manifestSchema,
  notePath,
  slugify,
} from "@/lib/transfer/manifest";

const frontMatter: FrontMatter = {
  id: 42,
  title: "Groceries: milk & eggs",
  tags: ["home", "shop/weekly"],
  pinned: true,
  archived: false,
  created: "2026-11-01T10:00:00.000Z",
  updated: "2026-11-02T11:30:00.123Z",
};

describe("slug and paths", () => {
  it("makes an ASCII slug of the title, at most 60 characters, `note` when nothing is left", () => {
    expect(slugify("Crème Brûlée — recipe #1")).toBe("creme-brulee-recipe-1");
    expect(slugify("日本語")).toBe("note");
    expect(slugify("   ")).toBe("note");
    const long = slugify("word ".repeat(40));
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("names a note and its file after its slug and whole id, so two notes never share a path", () => {
    const note = { id: 1234567890, title: "Trip" };
    expect(notePath(note)).toBe("notes/trip-1234567890.md");
    expect(filePath(note, "photo.jpg")).toBe("notes/trip-1234567890/photo.jpg");
    expect(fileRelativeToNote(filePath(note, "photo.jpg"))).toBe("trip-1234567890/photo.jpg");
    expect(notePath({ id: 12345678, title: "Trip" })).not.toBe(notePath({ id: 123456789, title: "Trip" }));
  });

  it("keeps a readable file name but nothing a file system or an unzip could trip on", () => {
    expect(fileNameInZip("Résumé (final).pdf")).toBe("Résumé (final).pdf");
    expect(fileNameInZip("../../etc/passwd")).toBe(".._.._etc_passwd");
    expect(fileNameInZip("a:b*c?.txt")).toBe("a_b_c_.txt");
    expect(fileNameInZip("..")).toBe("file");
    expect(fileNameInZip("trailing. ")).toBe("trailing");
    const long = fileNameInZip(`${"é".repeat(200)}.tar.gz`);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(150);
    expect(long.endsWith(".gz")).toBe(true);
  });

  it("always gives a path the manifest accepts", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_147_483_647 }),
        fc.string({ unit: "grapheme" }),
        fc.string({ unit: "grapheme" }),
        (id, title, name) => {
          const note = { id, title };
          const manifest: Manifest = {
            format: "cloudnotes-export",
            version: 1,
            exported_at: new Date().toISOString(),
            notes: [
              {
                id,
                path: notePath(note),
                file: {
                  path: filePath(note, name),
                  name: name || "f",
                  content_type: "text/plain",
                  size: 1,
                  sha256: "0".repeat(64),
                },
              },
            ],
            counts: { notes: 1, files: 1, bytes: 1 },
          };
          expect(manifestSchema.safeParse(manifest).success).toBe(true);
        },
      ),
    );
  });
});

describe("manifest", () => {
  it("refuses a path out of its note's folder, a count that disagrees, another format", () => {
    const good: Manifest = {
      format: "cloudnotes-export",
      version: 1,
      exported_at: "2026-11-26T20:00:00.000Z",
      notes: [{ id: 1, path: "notes/a-1.md", file: null }],
      counts: { notes: 1, files: 0, bytes: 0 },
    };
    expect(manifestSchema.safeParse(good).success).toBe(true);
    const file = { name: "x", content_type: "text/plain", size: 1, sha256: "a".repeat(64) };
    for (const bad of [
      { ...good, notes: [{ id: 1, path: "notes/a-1.md", file: { ...file, path: "notes/b-2/x" } }] },
      { ...good, notes: [{ id: 1, path: "notes/a-1.md", file: { ...file, path: "notes/a-1/.." } }] },
      { ...good, notes: [{ id: 1, path: "../a-1.md", file: null }] },
      { ...good, counts: { notes: 2, files: 0, bytes: 0 } },
      { ...good, format: "other" },
      { ...good, version: 2 },
    ]) {
      expect(manifestSchema.safeParse(bad).success).toBe(false);
    }
  });
});

describe("front matter", () => {
  it("writes YAML front matter then the description unchanged, and reads both back", () => {
    const description = "# Heading\n\n---\n\nA rule above, trailing spaces  \n\n```\n---\n```\n";
    const text = toMarkdown(frontMatter, description);
    expect(text.startsWith("---\nid: 42\ntitle: ")).toBe(true);
    expect(fromMarkdown(text)).toEqual({ ok: true, frontMatter, description });
  });

  it("round-trips any title and description, with the optional keys", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 200 }),
        fc.string({ unit: "grapheme" }),
        (title, description) => {
          const fm: FrontMatter = {
            ...frontMatter,
            title,
            deleted_at: "2026-11-03T00:00:00.000Z",
            file: "x-42/report.pdf",
          };
          expect(fromMarkdown(toMarkdown(fm, description))).toEqual({ ok: true, frontMatter: fm, description });
        },
      ),
    );
  });

  it("keeps ISO dates and look-alike titles as strings", () => {
    for (const title of ["2026-11-01", "123", "true", "Groceries #home", "- item", "key: value", "'quoted'", "---"]) {
      const fm = { ...frontMatter, title, tags: ["true", "null", "1e3"] };
      expect(fromMarkdown(toMarkdown(fm, ""))).toEqual({ ok: true, frontMatter: fm, description: "" });
    }
  });

  it("reports a file that is not one of ours as an error", () => {
    expect(fromMarkdown("no front matter").ok).toBe(false);
    expect(fromMarkdown("---\nid: 1\n").ok).toBe(false);
    expect(fromMarkdown("---\nid: [\n---\n").ok).toBe(false);
    expect(fromMarkdown("---\nid: 1\ntitle: x\n---\nbody").ok).toBe(false);
  });
});
