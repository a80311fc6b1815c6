import { describe, expect, it } from "vitest";
import type { ImportLimits } from "@/lib/transfer/draft";
import { isKeepTakeout, keepDrafts, keepNoteEntries } from "@/lib/transfer/keep";
import type { ZipEntryInfo } from "@/lib/transfer/zip-reader";

const limits: ImportLimits = { maxFileBytes: 1000, allowedTypes: ["image/*", "audio/*"] };

function entries(...list: [string, number][]): Map<string, ZipEntryInfo> {
  return new Map(list.map(([name, size]) => [name, { name, size, compressedSize: size }]));
}

const base = {
  color: "DEFAULT",
  isTrashed: false,
  isPinned: false,
  isArchived: false,
  createdTimestampUsec: 1_700_000_000_000_000,
  userEditedTimestampUsec: 1_700_000_100_000_000,
};

describe("Google Keep Takeout", () => {
  it("is recognised by its Keep/*.json notes", () => {
    expect(isKeepTakeout(entries(["Takeout/Keep/Shopping.json", 10], ["Takeout/archive_browser.html", 5]))).toBe(true);
    expect(isKeepTakeout(entries(["notes/a-1.md", 10]))).toBe(false);
    expect(
      keepNoteEntries(entries(["Takeout/Keep/b.json", 1], ["Takeout/Keep/a.json", 1], ["Takeout/Keep/a.jpg", 1])),
    ).toEqual(["Takeout/Keep/a.json", "Takeout/Keep/b.json"]);
  });

  it("maps a text note: title, text, labels as #tags, pinned, archived, Keep's times", () => {
    const [draft, ...rest] = keepDrafts(
      "Takeout/Keep/Trip.json",
      JSON.stringify({
        ...base,
        title: "Trip to Lisbon",
        textContent: "Book the hotel\r\nPack",
        labels: [{ name: "Travel" }, { name: "Summer plans" }, { name: "2024" }],
        isPinned: true,
        isArchived: true,
      }),
      entries(["Takeout/Keep/Trip.json", 100]),
      limits,
    );
    expect(rest).toEqual([]);
    expect(draft).toMatchObject({
      sourceId: "keep:Trip:1700000000000000",
      origin: null,
      title: "Trip to Lisbon",
      description: "Book the hotel\nPack\n\nLabels: #travel #summer-plans 2024",
      pinned: true,
      archived: true,
      deletedAt: null,
      file: null,
    });
    expect(draft!.createdAt.toISOString()).toBe("2023-11-14T22:13:20.000Z");
    expect(draft!.updatedAt.toISOString()).toBe("2023-11-14T22:15:00.000Z");
  });

  it("turns a checklist into Markdown task items and titles an untitled note after its first line", () => {
    const [draft] = keepDrafts(
      "Takeout/Keep/list.json",
      JSON.stringify({
        ...base,
        title: "",
        listContent: [
          { text: "milk", isChecked: false },
          { text: "eggs", isChecked: true },
        ],
      }),
      entries(["Takeout/Keep/list.json", 10]),
      limits,
    );
    expect(draft!.description).toBe("- [ ] milk\n- [x] eggs");
    expect(draft!.title).toBe("milk");
  });

  it("leaves out notes in Keep's trash", () => {
    expect(
      keepDrafts("Keep/t.json", JSON.stringify({ ...base, title: "gone", isTrashed: true }), entries(), limits),
    ).toEqual([]);
  });

  it("attaches the file beside the JSON (also under Takeout's other JPEG extension); one note per extra file", () => {
    const drafts = keepDrafts(
      "Takeout/Keep/Photo.json",
      JSON.stringify({
        ...base,
        title: "Photos",
        attachments: [
          { filePath: "1a2b.jpeg", mimetype: "image/jpeg" },
          { filePath: "voice.3gp", mimetype: "audio/3gpp" },
        ],
      }),
      entries(["Takeout/Keep/Photo.json", 10], ["Takeout/Keep/1a2b.jpg", 300], ["Takeout/Keep/voice.3gp", 200]),
      limits,
    );
    expect(drafts.map((d) => [d.sourceId, d.title, d.file])).toEqual([
      [
        "keep:Photo:1700000000000000",
        "Photos",
        { entry: "Takeout/Keep/1a2b.jpg", name: "1a2b.jpeg", contentType: "image/jpeg", size: 300, sha256: null },
      ],
      [
        "keep:Photo:1700000000000000#2",
        "Photos (2)",
        { entry: "Takeout/Keep/voice.3gp", name: "voice.3gp", contentType: "audio/3gpp", size: 200, sha256: null },
      ],
    ]);
  });

  it("refuses a missing attachment, one out of its folder, a refused type or size, and JSON that is not a note", () => {
    const note = (attachments: unknown) => JSON.stringify({ ...base, title: "x", attachments });
    const files = entries(["Keep/n.json", 1], ["Keep/big.png", 5000], ["Keep/run.exe", 5]);
    expect(() =>
      keepDrafts("Keep/n.json", note([{ filePath: "nope.png", mimetype: "image/png" }]), files, limits),
    ).toThrow("Keep/n.json: its file Keep/nope.png is not in the archive");
    expect(() =>
      keepDrafts("Keep/n.json", note([{ filePath: "../n.json", mimetype: "image/png" }]), files, limits),
    ).toThrow("Keep/n.json: its attachment ../n.json is not a plain file name");
    expect(() =>
      keepDrafts("Keep/n.json", note([{ filePath: "big.png", mimetype: "image/png" }]), files, limits),
    ).toThrow("Keep/big.png: is larger than the 1000 B limit for a file");
    expect(() =>
      keepDrafts("Keep/n.json", note([{ filePath: "run.exe", mimetype: "application/x-msdownload" }]), files, limits),
    ).toThrow("Keep/run.exe: files of type application/x-msdownload are not accepted");
    expect(() => keepDrafts("Keep/n.json", "{not json", files, limits)).toThrow(/^Keep\/n\.json: is not valid JSON/);
    expect(() => keepDrafts("Keep/n.json", JSON.stringify({ title: 5 }), files, limits)).toThrow(
      /^Keep\/n\.json: is not a Google Keep note \(title:/,
    );
  });
});
