import { describe, expect, it } from "vitest";
import { z } from "zod";
import { schemaPerLimits } from "./schema-per-limits";

describe("schemaPerLimits", () => {
  const sizeSchema = schemaPerLimits((max: number, types: readonly string[]) =>
    z.object({ size: z.number().max(max), type: z.enum(types as [string, ...string[]]) }),
  );

  it("answers the same schema for the same limits, so its compiled parser is reused", () => {
    expect(sizeSchema(10, ["a", "b"])).toBe(sizeSchema(10, ["a", "b"]));
  });

  it("builds a schema of its own for other limits", () => {
    const small = sizeSchema(10, ["a"]);
    const large = sizeSchema(100, ["a"]);
    expect(small).not.toBe(large);
    expect(small.safeParse({ size: 50, type: "a" }).success).toBe(false);
    expect(large.safeParse({ size: 50, type: "a" }).success).toBe(true);
    expect(sizeSchema(100, ["b"]).safeParse({ size: 50, type: "a" }).success).toBe(false);
  });
});
