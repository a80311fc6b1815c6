import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractTags, maskCode, normalizeTag, replaceTag } from "@/lib/notes/tags";

describe("extractTags", () => {
  it("finds #tags in title and description, nested ones too, lower-case and once each", () => {
    expect(extractTags("Trip #Travel", "Booked #work/clients and #travel again.\n#todo")).toEqual([
      "travel",
      "work/clients",
      "todo",
    ]);
  });

  it("ignores headings, URLs, entities, words with # inside, all-digit words", () => {
    const text = "# Title\n## Sub\nsee https://x.org/page#anchor and a&#39;b, C# rocks, issue #12, x#y";
    expect(extractTags(text)).toEqual([]);
  });

  it("ignores code spans and fenced code blocks", () => {
    const text = "real #one `#notspan` and\n```\n#notfenced\n```\n~~~sh\necho #nope\n~~~\nafter #two";
    expect(extractTags(text)).toEqual(["one", "two"]);
  });

  it("stops at punctuation and drops a trailing / or -", () => {
    expect(extractTags("(#a), #b. #c/ #d- #e!")).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("never throws and only returns normalised tags (fuzzed)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 100 }), (a, b) => {
        for (const tag of extractTags(a, b)) expect(normalizeTag(tag)).toBe(tag);
      }),
    );
  });
});

describe("maskCode", () => {
  it("keeps the length and the text outside code", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        expect(maskCode(s)).toHaveLength(s.length);
      }),
    );
    expect(maskCode("a `b` c")).toBe("a     c");
  });
});

describe("replaceTag", () => {
  it("renames a tag and the tags nested under it, keeping the rest of the text", () => {
    const text = "#Work and #work/clients, not #workshop nor `#work`";
    expect(replaceTag(text, "work", "job")).toBe("#job and #job/clients, not #workshop nor `#work`");
  });

  it("deletes a tag by removing its # (the word stays)", () => {
    expect(replaceTag("call #mom today #mom/birthday", "mom", null)).toBe("call mom today mom/birthday");
  });

  it("after a rename the old tag is gone and the new one is there (fuzzed)", () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            word,
            word.map((w) => `#${w}`),
          ),
          { maxLength: 20 },
        ),
        word,
        word,
        (parts, from, to) => {
          fc.pre(from !== to && !to.startsWith(`${from}`) && !from.startsWith(to));
          const text = parts.join(" ");
          const renamed = replaceTag(text, from, to);
          expect(extractTags(renamed)).not.toContain(from);
          if (extractTags(text).includes(from)) expect(extractTags(renamed)).toContain(to);
        },
      ),
    );
  });
});
