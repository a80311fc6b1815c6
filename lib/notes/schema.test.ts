import { describe, expect, it } from "vitest";
import { NOTE_ID_MAX, noteIdFieldSchema } from "./schema";

describe("noteIdFieldSchema (a note id posted by a form)", () => {
  it("reads a note id written in decimal", () => {
    expect(noteIdFieldSchema.parse("42")).toBe(42);
    expect(noteIdFieldSchema.parse(String(NOTE_ID_MAX))).toBe(NOTE_ID_MAX);
  });

  it.each(["", "0", "-1", "1.5", "abc", String(NOTE_ID_MAX + 1), "99999999999", "1e400", null])(
    "refuses %j, which no note can have",
    (value) => {
      expect(noteIdFieldSchema.safeParse(value).success).toBe(false);
    },
  );
});
