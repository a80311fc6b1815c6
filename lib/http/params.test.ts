import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import { fastApiIssue } from "@/lib/http/fastapi";
import { parseNoteId } from "@/lib/http/params";
import { NOTE_ID_MAX } from "@/lib/notes/schema";

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("parseNoteId", () => {
  it("parses integers like FastAPI's `id: int`", () => {
    expect(parseNoteId("12")).toBe(12);
    expect(parseNoteId("007")).toBe(7);
    expect(parseNoteId("+5")).toBe(5);
    expect(parseNoteId(" 12 ")).toBe(12);
    expect(parseNoteId("%2012")).toBe(12);
    expect(parseNoteId(String(NOTE_ID_MAX))).toBe(NOTE_ID_MAX);
  });

  it.each(["abc", "1.5", "", " ", "1e3", "0x10", "12abc", "١٢", "%", "%E0%A4%A", "1%2F2"])(
    "answers a 422 validation error at path.id for %j",
    (raw) => {
      const error = thrown(() => parseNoteId(raw));
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ kind: "validation" });
      expect((error as DomainError).extra.issues!.map(fastApiIssue)).toMatchObject([
        { loc: ["path", "id"], type: "int_parsing", msg: expect.any(String) },
      ]);
    },
  );

  it("maps integers no note can have to 0 (a 404 like any unknown note)", () => {
    for (const raw of ["0", "-0", "-3", String(NOTE_ID_MAX + 1), "99999999999", "9".repeat(400)]) {
      expect(parseNoteId(raw), raw).toBe(0);
    }
  });
});
