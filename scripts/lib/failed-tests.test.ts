import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { failedTests, outsideTestErrors } from "./failed-tests";

const dir = mkdtempSync(path.join(os.tmpdir(), "failed-tests-"));
function reportFile(name: string, report: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(report));
  return file;
}

describe("failedTests", () => {
  it("names vitest's failed tests and the files that failed in a hook, relative to the root", () => {
    const file = reportFile("vitest.json", {
      testResults: [
        {
          name: "/repo/e2e/notes.test.ts",
          status: "failed",
          assertionResults: [
            { fullName: "notes lists", status: "passed", failureMessages: [] },
            {
              fullName: "notes pages",
              status: "failed",
              failureMessages: [
                "\u001b[31mAssertionError: #12 POST /notes: no answer\n\nexpected 1 to be 0\u001b[39m\n    at stack\n    at more",
              ],
            },
          ],
        },
        { name: "/repo/e2e/hook.test.ts", status: "failed", message: "hook broke", assertionResults: [] },
        { name: "/repo/e2e/fine.test.ts", status: "passed", assertionResults: [{ fullName: "x", status: "passed" }] },
      ],
    });
    expect(failedTests(file, "/repo")).toEqual([
      "e2e/notes.test.ts > notes pages: AssertionError: #12 POST /notes: no answer ⏎ expected 1 to be 0",
      "e2e/hook.test.ts: hook broke",
    ]);
  });

  it("names Playwright's unexpected results with their describe blocks, and its global errors", () => {
    const file = reportFile("playwright.json", {
      suites: [
        {
          title: "editor.spec.ts",
          file: "editor.spec.ts",
          specs: [
            { title: "flaky one", tests: [{ status: "flaky", results: [{ error: { message: "first try" } }, {}] }] },
          ],
          suites: [
            {
              title: "drafts",
              specs: [
                {
                  title: "keeps the text",
                  tests: [{ status: "unexpected", results: [{ error: { message: "Timeout\nmore" } }] }],
                },
              ],
            },
          ],
        },
      ],
      errors: [{ message: "global setup failed" }],
    });
    expect(failedTests(file, "/repo")).toEqual([
      "editor.spec.ts > drafts > keeps the text: Timeout ⏎ more",
      "global setup failed",
    ]);
  });

  it("says nothing when the tier wrote no report", () => {
    expect(failedTests(path.join(dir, "missing.json"), "/repo")).toEqual([]);
  });
});

describe("outsideTestErrors", () => {
  it("names each error a vitest tier recorded outside its tests", () => {
    const file = reportFile("errors.json", [{ name: "Error", message: "nobody caught me\n    at stack" }]);
    expect(outsideTestErrors(file)).toEqual(["error outside the tests: Error: nobody caught me"]);
    expect(outsideTestErrors(path.join(dir, "none.json"))).toEqual([]);
  });
});
