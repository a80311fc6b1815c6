import { describe, expect, it } from "vitest";
import { setChecklistItem } from "@/lib/notes/checklist";
import { renderMarkdown, renderNoteMarkdown } from "./render";

describe("renderMarkdown", () => {
  it("drops raw HTML and unsafe links, keeps safe ones opening in a new tab", () => {
    const { html } = renderMarkdown(
      '<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror="y">\n\n[ok](https://example.com)',
    );
    expect(html).not.toMatch(/<script|javascript:|onerror|<img/);
    expect(html).toContain('<a href="" target="_blank" rel="noopener noreferrer nofollow">x</a>');
    expect(html).toContain('<a href="https://example.com" target="_blank" rel="noopener noreferrer nofollow">ok</a>');
  });

  it("marks each checklist box with the source line that ticking it edits", () => {
    const text = "Todo\n\n- [ ] milk\n- [x] bread\n";
    const { html } = renderMarkdown(text);
    expect(html).toContain('<input type="checkbox" data-line="3" aria-label="milk">');
    expect(html).toContain('<input type="checkbox" checked data-line="4" aria-label="bread">');
    expect(setChecklistItem(text, 3, true)).toBe("Todo\n\n- [x] milk\n- [x] bread\n");
  });

  it("wraps tables so that they scroll sideways", () => {
    expect(renderMarkdown("| a |\n|---|\n| 1 |").html).toMatch(
      /^<div class="table-scroll" tabindex="0" role="region" aria-label="Table"><table>/,
    );
  });

  it("shows text too costly to parse as escaped plain text", () => {
    const { html } = renderMarkdown("*<b>*\n".repeat(2000));
    expect(html).toContain("shown as plain text");
    expect(html).toContain("&#60;b&#62;");
  });

  it("shows the note's own image where the text places it, and no other image", () => {
    const text = "![cat](attachment:cat.png) ![remote](https://example.com/x.png)";
    const shown = renderMarkdown(text, { attachmentUrl: "/n/7/attachment" }).html;
    expect(shown).toContain('<img src="/n/7/attachment" alt="cat" loading="lazy" class="inline-image">');
    expect(shown).toContain("[image: remote]");
    expect(shown).not.toContain("example.com");
    // Without an image to show (a preview before saving, a note whose file is not an image): a placeholder.
    expect(renderMarkdown(text).html).not.toContain("<img");
    expect(renderMarkdown(text).html).toContain("[image: cat]");
  });

  it("caches by note version: a new updatedAt renders again", () => {
    const at = new Date("2026-01-01T00:00:00Z");
    const first = renderNoteMarkdown({ id: 1, updatedAt: at, description: "**a**" });
    expect(renderNoteMarkdown({ id: 1, updatedAt: at, description: "**a**" })).toBe(first);
    const next = renderNoteMarkdown({ id: 1, updatedAt: new Date(at.getTime() + 1), description: "_b_" });
    expect(next.html).toBe("<p><em>b</em></p>");
  });
});
