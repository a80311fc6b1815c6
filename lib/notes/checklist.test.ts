import { describe, expect, it } from "vitest";
import { isChecklistItemChecked, setChecklistItem } from "./checklist";

describe("setChecklistItem", () => {
  const note =
    "Shopping\n\n- [ ] milk\n- [x] bread\n* [ ] eggs [ ] not this\n1. [ ] first\n> - [ ] quoted\n  - [ ] nested";

  it("ticks and unticks exactly the given line", () => {
    expect(setChecklistItem(note, 3, true)).toBe(note.replace("- [ ] milk", "- [x] milk"));
    expect(setChecklistItem(note, 4, false)).toBe(note.replace("- [x] bread", "- [ ] bread"));
    expect(setChecklistItem(note, 5, true)).toBe(note.replace("* [ ] eggs [ ] not this", "* [x] eggs [ ] not this"));
    expect(setChecklistItem(note, 6, true)).toBe(note.replace("1. [ ] first", "1. [x] first"));
    expect(setChecklistItem(note, 7, true)).toBe(note.replace("> - [ ] quoted", "> - [x] quoted"));
    expect(setChecklistItem(note, 8, true)).toBe(note.replace("  - [ ] nested", "  - [x] nested"));
  });

  it("is idempotent (ticking a ticked item leaves it ticked)", () => {
    expect(setChecklistItem(note, 4, true)).toBe(note);
  });

  it("keeps every line ending as it was", () => {
    const crlf = "- [ ] a\r\n- [ ] b\r\nend";
    expect(setChecklistItem(crlf, 2, true)).toBe("- [ ] a\r\n- [x] b\r\nend");
    expect(setChecklistItem("x\r- [ ] y", 2, true)).toBe("x\r- [x] y");
  });

  it("refuses lines that are not checklist items", () => {
    expect(setChecklistItem(note, 1, true)).toBeNull(); // plain text
    expect(setChecklistItem(note, 2, true)).toBeNull(); // empty
    expect(setChecklistItem(note, 99, true)).toBeNull(); // past the end
    expect(setChecklistItem(note, 0, true)).toBeNull();
    expect(setChecklistItem(note, 1.5, true)).toBeNull();
    expect(setChecklistItem("- [ ]x", 1, true)).toBeNull(); // not a task box
    expect(setChecklistItem("[ ] no list marker", 1, true)).toBeNull();
  });

  it("reads an item's state", () => {
    expect(isChecklistItemChecked(note, 3)).toBe(false);
    expect(isChecklistItemChecked(note, 4)).toBe(true);
    expect(isChecklistItemChecked(note, 1)).toBeNull();
  });
});
