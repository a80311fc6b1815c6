import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { websearchText } from "@/lib/notes/search";

describe("websearchText", () => {
  it("keeps the meaning of words, phrases, OR and negated words", () => {
    for (const q of [
      "travel",
      "well-known",
      "-draft",
      "cat -dog",
      '"new york" or boston -rain',
      "x-ray-2",
      "é-à",
      "語-語",
      "-1",
      "2-3",
      "cat--dog",
    ]) {
      expect(websearchText(q)).toBe(q);
    }
  });

  it("turns a '-' that touches no letter or digit into a space", () => {
    expect(websearchText("-".repeat(33))).toBe(" ".repeat(33));
    expect(websearchText(`${"- ".repeat(40)}a`)).toBe(`${"  ".repeat(40)}a`);
    expect(websearchText("--a")).toBe(" -a");
    expect(websearchText('-!-!-(-"-a')).toBe(' ! ! ( "-a');
    expect(websearchText("cat - dog")).toBe("cat   dog");
  });

  it("leaves no '-' without a letter or digit beside it, and changes nothing else", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom("-", "-", "-", " ", "!", "(", '"', "a", "é", "1", "語", "|", "&", ":", "*", "\u3000"),
        }),
        (q) => {
          const out = websearchText(q);
          expect(out).toHaveLength(q.length);
          for (let i = 0; i < out.length; i++) {
            if (out[i] === "-") expect(/[\p{L}\p{N}]/u.test(`${out[i - 1] ?? ""}${out[i + 1] ?? ""}`)).toBe(true);
            else expect(out[i]).toBe(q[i] === "-" ? " " : q[i]);
          }
        },
      ),
    );
  });
});
