import { describe, expect, it } from "vitest";
import { backToList, listQuery, noteHref } from "./list-link";

describe("list links", () => {
  it("carry the search and page to the note and back", () => {
    const from = listQuery({ q: "trip & co", cursor: "abc" });
    const href = noteHref(12, from);
    expect(href).toBe("/n/12?back=q%3Dtrip%2B%2526%2Bco%26cursor%3Dabc");
    const back = new URL(href, "https://x.test").searchParams.get("back");
    expect(backToList(back)).toBe("/?q=trip+%26+co&cursor=abc");
  });

  it("lead only to the list, whatever ?back= says", () => {
    expect(noteHref(3, "")).toBe("/n/3");
    expect(backToList(undefined)).toBe("/");
    expect(backToList("https://evil.example/")).toBe("/");
    expect(backToList("//evil.example")).toBe("/");
    expect(backToList("next=https://evil.example&q=x")).toBe("/?q=x");
    expect(backToList(["q=x"])).toBe("/");
  });
});
