import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasSearchText, parseDay, parseQuery } from "@/lib/notes/query";

describe("parseQuery", () => {
  it("reads words, excluded words, phrases and every filter", () => {
    const q = parseQuery(
      'Lisbon "old town" -rain tag:Travel is:pinned is:archived in:trash has:file has:image before:2026-02-01 after:2026-01-01',
    );
    expect(q.words).toEqual(["lisbon"]);
    expect(q.phrases).toEqual(["old town"]);
    expect(q.excluded).toEqual(["rain"]);
    expect(q.filters).toEqual({
      tag: "travel",
      pinned: true,
      archived: true,
      trash: true,
      hasFile: true,
      hasImage: true,
      before: new Date("2026-02-01T00:00:00Z"),
      after: new Date("2026-01-01T00:00:00Z"),
    });
    expect(hasSearchText(q)).toBe(true);
  });

  it("takes #tag as a tag filter and nested tags", () => {
    expect(parseQuery("#work/clients").filters).toEqual({ tag: "work/clients" });
    expect(hasSearchText(parseQuery("#work is:pinned"))).toBe(false);
  });

  it("searches for what is not a known filter (unknown keys, bad dates) as words", () => {
    const q = parseQuery("is:happy before:yesterday foo:bar");
    expect(q.filters).toEqual({});
    expect(q.words).toEqual(["is", "happy", "before", "yesterday", "foo", "bar"]);
  });

  it("keeps words to letters and digits, so that they are safe in a tsquery", () => {
    expect(parseQuery("C++ & rust:* ' 1=1 -- \\ 🚀").words).toEqual(["c", "rust", "1"]);
  });

  it("reads a OR b as either word, and a leading or trailing or as a word", () => {
    expect(parseQuery("green OR flour kiwi").anyOf).toEqual([["green", "flour"], ["kiwi"]]);
    expect(parseQuery("or kiwi").anyOf).toEqual([["or"], ["kiwi"]]);
  });

  it("never throws, and every word is letters and digits only (fuzzed)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const q = parseQuery(s);
        for (const w of [...q.words, ...q.excluded]) expect(w).toMatch(/^[\p{L}\p{M}\p{N}]+$/u);
      }),
    );
  });
});

describe("parseDay", () => {
  it("accepts real calendar days only", () => {
    expect(parseDay("2026-02-28")).toEqual(new Date("2026-02-28T00:00:00Z"));
    expect(parseDay("2026-02-30")).toBeNull();
    expect(parseDay("26-2-1")).toBeNull();
  });
});
