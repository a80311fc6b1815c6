import { describe, expect, it } from "vitest";
import { ifMatchVersions, noteEtag } from "@/lib/http/etag";

const note = { id: 7, updatedAt: new Date("2026-11-26T10:00:00.123Z") };
const withIfMatch = (value?: string) =>
  new Request("http://x/notes/7", value === undefined ? {} : { headers: { "if-match": value } });

describe("If-Match on a note", () => {
  it("is no condition when absent or *", () => {
    expect(ifMatchVersions(withIfMatch(), 7)).toBeUndefined();
    expect(ifMatchVersions(withIfMatch(" * "), 7)).toBeUndefined();
  });

  it("reads back the version its own ETag names, among several", () => {
    const versions = ifMatchVersions(withIfMatch(`"1-abc", ${noteEtag(note)}`), 7);
    expect(versions?.map((v) => v.getTime())).toEqual([note.updatedAt.getTime()]);
  });

  it("accepts no version from a weak, foreign or garbled tag (so the change is refused, never applied)", () => {
    for (const header of [`W/${noteEtag(note)}`, noteEtag({ ...note, id: 8 }), '"7-"', '"7-zzzzzzzzzzzzzzz"', "junk"]) {
      expect(ifMatchVersions(withIfMatch(header), 7)).toEqual([]);
    }
  });
});
