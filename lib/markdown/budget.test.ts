import { describe, expect, it } from "vitest";
import { DESCRIPTION_MAX } from "@/lib/notes/schema";
import { fitsMarkdownBudget, MARKDOWN_COST_MAX, markdownCost, PREVIEW_CHARS, previewOf } from "./budget";

const fill = (unit: string, chars: number) => unit.repeat(Math.floor(chars / unit.length));
const table = (chars: number) => `| a | b |\n|---|---|\n${fill("| 1 | 2 |\n", chars - 20)}`;

describe("markdownCost", () => {
  it("counts lines (twice) and markup, not prose", () => {
    expect(markdownCost("")).toBe(0);
    expect(markdownCost("Just some words, and a full stop.")).toBe(0);
    expect(markdownCost("- a\n- b\n")).toBe(6);
    expect(markdownCost("*a* _b_ `c`")).toBe(6);
    expect(markdownCost("see www.example.com or https://x.org or me@x.org")).toBe(3);
  });
});

describe("fitsMarkdownBudget", () => {
  it("formats ordinary notes, long prose included", () => {
    const note =
      "# Shopping\n\n- [ ] milk\n- [x] **bread**\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSee [docs](https://example.com).";
    expect(fitsMarkdownBudget(note)).toBe(true);
    expect(fitsMarkdownBudget(fill("The quick brown fox jumps over the lazy dog. ", DESCRIPTION_MAX))).toBe(true);
  });

  it("refuses the costly shapes at the largest size a description may have", () => {
    for (const text of [
      fill("- a\n", DESCRIPTION_MAX),
      fill("*a* ", DESCRIPTION_MAX),
      table(96_000),
      fill("- a\n", 10_000),
    ]) {
      expect(fitsMarkdownBudget(text)).toBe(false);
    }
  });

  it("is inclusive at the limit", () => {
    expect(fitsMarkdownBudget("*".repeat(MARKDOWN_COST_MAX))).toBe(true);
    expect(fitsMarkdownBudget("*".repeat(MARKDOWN_COST_MAX + 1))).toBe(false);
  });
});

describe("previewOf", () => {
  it("keeps short text whole", () => {
    expect(previewOf("short\ntext")).toEqual({ text: "short\ntext", truncated: false });
    const exact = "x".repeat(PREVIEW_CHARS);
    expect(previewOf(exact)).toEqual({ text: exact, truncated: false });
  });

  it("cuts long text at the last line end within the limit", () => {
    const lines = fill("- item\n", DESCRIPTION_MAX);
    const { text, truncated } = previewOf(lines);
    expect(truncated).toBe(true);
    expect(text.length).toBeLessThanOrEqual(PREVIEW_CHARS);
    expect(text.endsWith("- item")).toBe(true);
    expect(lines.startsWith(text)).toBe(true);
  });

  it("cuts a single long line at the limit without splitting a surrogate pair", () => {
    const emoji = "😀".repeat(PREVIEW_CHARS); // two UTF-16 units each
    const { text } = previewOf(`a${emoji}`);
    expect(text.length).toBeLessThanOrEqual(PREVIEW_CHARS);
    expect(text).toBe(`a${"😀".repeat((text.length - 1) / 2)}`);
  });

  it("previews of the costly shapes fit the budget", () => {
    for (const text of [fill("- a\n", DESCRIPTION_MAX), fill("*a* ", DESCRIPTION_MAX), table(96_000)]) {
      expect(fitsMarkdownBudget(previewOf(text).text)).toBe(true);
    }
  });
});
