import { describe, expect, it } from "vitest";
import { cloudnotesDraft, parseManifest } from "@/lib/transfer/cloudnotes";
import type { ImportLimits } from "@/lib/transfer/draft";
import { toMarkdown } from "@/lib/transfer/front-matter";
import type { Manifest } from "@/lib/transfer/manifest";
import type { ZipEntryInfo } from "@/lib/transfer/zip-reader";

const limits: ImportLimits = { maxFileBytes: 10_000, allowedTypes: ["image/*", "text/*"] };
const SHA = "a".repeat(64);

function entries(...list: [string, number][]): Map<string, ZipEntryInfo> {
  return new Map(list.map(([name, size]) => [name, { name, size, compressedSize: size }]));
}

const manifest = (notes: Manifest["notes"]): Manifest => ({
  format: "cloudnotes-export",
  version: 1,
  exported_at: "2026-11-28T20:00:00.000Z",
  notes,
  counts: { notes: notes.length, files: notes.filter((n) => n.file).length, bytes: 0 },
});

const withFile: Manifest["notes"][number] = {
  id: 7,
  path: "notes/trip-7.md",
  file: { path: "notes/trip-7/photo.png", name: "photo.png", content_type: "image/png", size: 300, sha256: SHA },
};
const files = entries(["manifest.json", 10], ["notes/trip-7.md", 100], ["notes/trip-7/photo.png", 300]);

const markdown = (over: Record<string, unknown> = {}, body = "See #travel") =>
  toMarkdown(
    {
      id: 7,
      title: "Trip",
      tags: ["travel"],
      pinned: true,
      archived: false,
      created: "2026-11-01T10:00:00.000Z",
      updated: "2026-11-02T10:00:00.000Z",
      file: "trip-7/photo.png",
      ...over,
    },
    body,
  );

describe("CloudNotes manifest", () => {
  it("accepts an export whose every listed entry is in the archive", () => {
    expect(parseManifest(JSON.stringify(manifest([withFile])), files).notes).toHaveLength(1);
  });

  it("refuses what is not JSON, another format, and an entry the archive lacks", () => {
    expect(() => parseManifest("{", files)).toThrow(/^manifest\.json: is not valid JSON/);
    expect(() => parseManifest(JSON.stringify({ ...manifest([]), format: "other" }), files)).toThrow(
      /^manifest\.json: format:/,
    );
    expect(() => parseManifest(JSON.stringify(manifest([withFile])), entries(["notes/trip-7.md", 1]))).toThrow(
      "notes/trip-7/photo.png: is listed in the manifest but not in the archive",
    );
  });

  it("refuses paths that leave the notes folder (path traversal)", () => {
    const evil = { ...withFile, file: { ...withFile.file!, path: "notes/trip-7/../../../etc/passwd" } };
    expect(() => parseManifest(JSON.stringify(manifest([evil])), files)).toThrow(
      /^manifest\.json: notes\.0\.file\.path: Invalid file path/,
    );
    const evilNote = { ...withFile, path: "../trip-7.md", file: null };
    expect(() => parseManifest(JSON.stringify(manifest([evilNote])), files)).toThrow(/^manifest\.json: notes\.0\.path/);
  });
});

describe("CloudNotes note file", () => {
  it("reads the note: texts, flags, dates, its file as the manifest vouches for it", () => {
    const draft = cloudnotesDraft(withFile, markdown(), files, limits);
    expect(draft).toMatchObject({
      sourceId: "cloudnotes:7:2026-11-01T10:00:00.000Z",
      title: "Trip",
      description: "See #travel",
      pinned: true,
      archived: false,
      deletedAt: null,
      file: { entry: "notes/trip-7/photo.png", name: "photo.png", contentType: "image/png", size: 300, sha256: SHA },
    });
    expect(draft.origin).toEqual({ id: 7, createdAt: new Date("2026-11-01T10:00:00.000Z") });
  });

  it("says which file is wrong and how", () => {
    expect(() => cloudnotesDraft(withFile, "---\ntitle: [unclosed\n---\nbody", files, limits)).toThrow(
      /^notes\/trip-7\.md: front matter is not valid YAML/,
    );
    expect(() => cloudnotesDraft(withFile, "no front matter", files, limits)).toThrow(
      "notes/trip-7.md: no front matter",
    );
    expect(() => cloudnotesDraft(withFile, markdown({ id: 8 }), files, limits)).toThrow(
      "notes/trip-7.md: its id 8 is not the manifest's 7",
    );
    expect(() => cloudnotesDraft(withFile, markdown({ title: "" }), files, limits)).toThrow(
      "notes/trip-7.md: the title is not valid (Title cannot be empty)",
    );
    const lying = entries(["notes/trip-7.md", 100], ["notes/trip-7/photo.png", 299]);
    expect(() => cloudnotesDraft(withFile, markdown(), lying, limits)).toThrow(
      "notes/trip-7/photo.png: the archive holds 299 bytes, the manifest says 300",
    );
    const exe = { ...withFile, file: { ...withFile.file!, content_type: "application/x-msdownload" } };
    expect(() => cloudnotesDraft(exe, markdown(), files, limits)).toThrow(
      "notes/trip-7/photo.png: files of type application/x-msdownload are not accepted",
    );
  });
});
