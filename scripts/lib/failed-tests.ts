/**
 * The names of the tests that failed, read from a tier's JSON report, so that the summary at the end of
 * `npm test` says which tests failed (CI keeps only the tail of a long log).
 */
import { existsSync, readFileSync } from "node:fs";
import { stripVTControlCharacters } from "node:util";
import type { JSONReport } from "@playwright/test/reporter";
import type { JsonTestResults } from "vitest/reporters";

type PlaywrightSuite = JSONReport["suites"][number];

const firstLine = (text: string | undefined) =>
  stripVTControlCharacters(text ?? "")
    .trim()
    .split("\n")[0] ?? "";

function fromVitest(report: JsonTestResults, root: string): string[] {
  return (report.testResults ?? []).flatMap((file) => {
    const name = file.name.startsWith(root) ? file.name.slice(root.length + 1) : file.name;
    const failed = (file.assertionResults ?? []).filter((t) => t.status === "failed");
    if (failed.length > 0) return failed.map((t) => `${name} > ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
    // A file can fail with no failed test: a hook or an import threw.
    return file.status === "failed" ? [`${name}: ${firstLine(file.message)}`] : [];
  });
}

function fromPlaywright(report: JSONReport): string[] {
  const walk = (suite: PlaywrightSuite, path: string): string[] => [
    ...(suite.specs ?? []).flatMap((spec) =>
      spec.tests
        .filter((t) => t.status === "unexpected")
        .map((t) => `${path} > ${spec.title}: ${firstLine(t.results.at(-1)?.error?.message)}`),
    ),
    ...(suite.suites ?? []).flatMap((child) => walk(child, `${path} > ${child.title}`)),
  ];
  return [
    ...(report.suites ?? []).flatMap((suite) => walk(suite, suite.file ?? suite.title)),
    ...(report.errors ?? []).map((e) => firstLine(e.message)),
  ];
}

/** One line per failed test (`file > test: first line of the error`); none when the report is missing. */
export function failedTests(reportPath: string, root: string): string[] {
  if (!existsSync(reportPath)) return [];
  const report = JSON.parse(readFileSync(reportPath, "utf8")) as JsonTestResults | JSONReport;
  return "testResults" in report ? fromVitest(report, root) : fromPlaywright(report);
}

/** One line per error outside any test that a vitest tier recorded (scripts/lib/errors-reporter.ts). */
export function outsideTestErrors(errorsPath: string): string[] {
  if (!existsSync(errorsPath)) return [];
  const errors = JSON.parse(readFileSync(errorsPath, "utf8")) as { name?: string; message?: string }[];
  return errors.map((e) => `error outside the tests: ${e.name ?? "Error"}: ${firstLine(e.message)}`);
}
