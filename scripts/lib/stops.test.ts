import { describe, expect, it } from "vitest";
import { Stops } from "./stops";

describe("Stops", () => {
  it("stops in reverse order, goes on past a failure, and stops each thing once", async () => {
    const stopped: string[] = [];
    const errors: unknown[] = [];
    const stops = new Stops();
    stops.add(async () => stopped.push("database"));
    stops.add(async () => {
      throw new Error("s3 would not stop");
    });
    stops.add(async () => stopped.push("app"));

    await stops.stopAll((e) => errors.push(e));
    await stops.stopAll((e) => errors.push(e));

    expect(stopped).toEqual(["app", "database"]);
    expect(errors).toHaveLength(1);
  });
});
