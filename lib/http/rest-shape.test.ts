import { describe, expect, it } from "vitest";
import { z } from "zod";
import { restSchema, toRest } from "@/lib/http/rest-shape";

const thing = z.object({
  id: z.string(),
  byteSize: z.number().int(),
  createdAt: z.date(),
  finishedAt: z.date().nullable().meta({ description: "When it ended" }),
  secretToken: z.string(),
});
const apiThing = restSchema(thing.omit({ secretToken: true }));

describe("restSchema / toRest", () => {
  it("renames fields to snake_case and answers dates as ISO 8601 strings, null kept", () => {
    const at = new Date("2026-11-27T10:00:00.000Z");
    expect(toRest(apiThing, { id: "a", byteSize: 3, createdAt: at, finishedAt: null, secretToken: "s" })).toEqual({
      id: "a",
      byte_size: 3,
      created_at: "2026-11-27T10:00:00.000Z",
      finished_at: null,
    });
    expect(toRest(apiThing, { id: "a", byteSize: 3, createdAt: at, finishedAt: at }).finished_at).toBe(
      "2026-11-27T10:00:00.000Z",
    );
  });

  it("leaves out what the schema does not name (a secret never reaches the answer)", () => {
    const answer = toRest(apiThing, {
      id: "a",
      byteSize: 1,
      createdAt: new Date(),
      finishedAt: null,
      secretToken: "s",
    });
    expect(Object.keys(answer)).toEqual(["id", "byte_size", "created_at", "finished_at"]);
  });

  it("documents the same fields: ISO date-time strings, descriptions carried over", () => {
    const doc = z.toJSONSchema(apiThing) as { properties: Record<string, unknown>; required: string[] };
    expect(doc.required).toEqual(["id", "byte_size", "created_at", "finished_at"]);
    expect(doc.properties.created_at).toMatchObject({ type: "string", format: "date-time" });
    expect(doc.properties.finished_at).toMatchObject({ description: "When it ended" });
  });

  it("refuses a value that does not fit the answer (a bug, not a client error)", () => {
    expect(() => toRest(apiThing, { id: 1, byteSize: "x", createdAt: new Date(), finishedAt: null })).toThrow();
  });
});
