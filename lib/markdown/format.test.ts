import { describe, expect, it } from "vitest";
import { applyFormat, insertAttachedImage } from "@/lib/markdown/format";

describe("the formatting toolbar", () => {
  it("wraps the selection in bold and keeps it selected", () => {
    expect(applyFormat("bold", { text: "say hi now", start: 4, end: 6 })).toEqual({
      text: "say **hi** now",
      start: 6,
      end: 8,
    });
  });

  it("inserts a placeholder when nothing is selected", () => {
    const edit = applyFormat("italic", { text: "", start: 0, end: 0 });
    expect(edit.text).toBe("_italic text_");
    expect(edit.text.slice(edit.start, edit.end)).toBe("italic text");
  });

  it("makes a link of the selection and selects the address to type over", () => {
    const edit = applyFormat("link", { text: "see docs", start: 4, end: 8 });
    expect(edit.text).toBe("see [docs](https://)");
    expect(edit.text.slice(edit.start, edit.end)).toBe("https://");
  });

  it("turns every selected line into a checklist item, once", () => {
    const text = "intro\nmilk\n- [ ] eggs";
    expect(applyFormat("checklist", { text, start: 7, end: text.length }).text).toBe("intro\n- [ ] milk\n- [ ] eggs");
    expect(applyFormat("list", { text: "a", start: 1, end: 1 }).text).toBe("- a");
  });

  it("fences a multi-line selection as code", () => {
    expect(applyFormat("code", { text: "a\nb", start: 0, end: 3 }).text).toBe("```\na\nb\n```");
  });
});

describe("placing a pasted image in the text", () => {
  it("inserts a reference to the attachment on a line of its own, caret after it", () => {
    const edit = insertAttachedImage({ text: "Look:more", start: 5, end: 5 }, "My cat (1).png");
    expect(edit.text).toBe("Look:\n![My cat (1).png](attachment:My%20cat%20%281%29.png)\nmore");
    expect(edit.text.slice(edit.start)).toBe("more");
  });

  it("keeps brackets out of the alt text so the Markdown stays an image", () => {
    expect(insertAttachedImage({ text: "", start: 0, end: 0 }, "[x].png").text).toBe(
      "![x.png](attachment:%5Bx%5D.png)\n",
    );
  });
});
