import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import ErrorsReporter from "./errors-reporter";

describe("ErrorsReporter", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("writes the run's errors outside the tests to TEST_ERRORS_FILE", () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "errors-reporter-")), "e2e-errors.json");
    vi.stubEnv("TEST_ERRORS_FILE", file);
    new ErrorsReporter().onTestRunEnd([], [{ name: "TypeError", message: "x is undefined", stack: "at y" }], "failed");
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual([{ name: "TypeError", message: "x is undefined" }]);
  });
});
