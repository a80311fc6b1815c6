import { describe, expect, it } from "vitest";
import { explainStartError } from "@/lib/jobs/boss";

describe("explainStartError", () => {
  it("tells an operator what to grant when the user may not create the queue's schema, in one line", () => {
    const error = Object.assign(new Error("permission denied for database cloudnotes\n    at Parser.parse"), {
      code: "42501",
    });
    const line = explainStartError(error);
    expect(line).not.toContain("\n");
    expect(line).toContain("permission denied for database cloudnotes");
    expect(line).toContain("CREATE SCHEMA pgboss AUTHORIZATION");
  });

  it("keeps the first line of anything else", () => {
    expect(explainStartError(new Error("connect ECONNREFUSED 127.0.0.1:5432\nstack"))).toBe(
      "the job queue could not start: connect ECONNREFUSED 127.0.0.1:5432",
    );
  });
});
