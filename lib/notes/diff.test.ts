import { describe, expect, it } from "vitest";
import { textDiff } from "@/lib/notes/diff";

/** Joined back, the parts give each side's text: what is not added is the old text, what is not removed the new. */
function expectSides(parts: ReturnType<typeof textDiff>, before: string, after: string) {
  const side = (skip: string) =>
    parts
      .filter((p) => p.kind !== skip)
      .map((p) => p.text)
      .join("");
  expect(side("added")).toBe(before);
  expect(side("removed")).toBe(after);
}

describe("textDiff", () => {
  it("marks the words added and removed, keeping the rest", () => {
    expect(textDiff("buy milk today", "buy oat milk tomorrow")).toEqual([
      { kind: "same", text: "buy " },
      { kind: "added", text: "oat " },
      { kind: "same", text: "milk " },
      { kind: "removed", text: "today" },
      { kind: "added", text: "tomorrow" },
    ]);
  });

  it("joined back, each side gives its own text", () => {
    const before = "line one\nline two\n\n- [ ] task";
    const after = "line one\nline 2\n\n- [x] task\nmore";
    const parts = textDiff(before, after);
    expectSides(parts, before, after);
  });

  it("answers nothing changed for equal texts, and whole texts for an empty side", () => {
    expect(textDiff("same", "same")).toEqual([{ kind: "same", text: "same" }]);
    expect(textDiff("", "")).toEqual([]);
    expect(textDiff("", "new")).toEqual([{ kind: "added", text: "new" }]);
    expect(textDiff("old", "")).toEqual([{ kind: "removed", text: "old" }]);
  });

  it("still answers both texts for a change too large to diff word by word", () => {
    const before = Array.from({ length: 5000 }, (_, i) => `a${i}`).join(" ");
    const after = Array.from({ length: 5000 }, (_, i) => `b${i}`).join(" ");
    const parts = textDiff(before, after);
    expectSides(parts, before, after);
  });
});

describe("textDiff of long texts", () => {
  it("diffs long texts line by line", () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `line ${i} of a long note`);
    const after = [...lines];
    after[1500] = "a changed line";
    const parts = textDiff(lines.join("\n"), after.join("\n"));
    expect(parts.filter((p) => p.kind === "removed")).toEqual([
      { kind: "removed", text: "line 1500 of a long note\n" },
    ]);
    expect(parts.filter((p) => p.kind === "added")).toEqual([{ kind: "added", text: "a changed line\n" }]);
  });
});
