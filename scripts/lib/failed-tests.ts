/**
 * The names of the tests that failed, read from a tier's JSON report, so that the summary at the end of
 * `npm test` says which tests failed (CI keeps only the tail of a long log).
 */
import { existsSync, readFileSync } from "node:fs";
import { stripVTControlCharacters } from "node:util";
import type { JSONReport } from "@playwright/test/reporter";
import type { JsonTestResults } from "vitest/reporters";
import type { RecordedError } from "./errors-reporter";

type PlaywrightSuite = JSONReport["suites"][number];

/** An error's message without its stack, on one line and bounded (an assertion's own message can be long). */
const MESSAGE_CHARS = 1500;
const messageOf = (text: string | undefined) => {
  const lines = stripVTControlCharacters(text ?? "")
    .trim()
    .split("\n");
  const stack = lines.findIndex((line) => /^\s+at /.test(line));
  const message = lines
    .slice(0, stack === -1 ? undefined : stack)
    .map((line) => line.trim())
    .filter(Boolean);
  const joined = message.join(" ⏎ ");
  return joined.length > MESSAGE_CHARS ? `${joined.slice(0, MESSAGE_CHARS)}…` : joined;
};

function fromVitest(report: JsonTestResults, root: string): string[] {
  return (report.testResults ?? []).flatMap((file) => {
    const name = file.name.startsWith(root) ? file.name.slice(root.length + 1) : file.name;
    const failed = (file.assertionResults ?? []).filter((t) => t.status === "failed");
    if (failed.length > 0) return failed.map((t) => `${name} > ${t.fullName}: ${messageOf(t.failureMessages?.[0])}`);
    // A file can fail with no failed test: a hook or an import threw.
    return file.status === "failed" ? [`${name}: ${messageOf(file.message)}`] : [];
  });
}

function fromPlaywright(report: JSONReport): string[] {
  const walk = (suite: PlaywrightSuite, path: string): string[] => [
    ...(suite.specs ?? []).flatMap((spec) =>
      spec.tests
        .filter((t) => t.status === "unexpected")
        .map((t) => `${path} > ${spec.title}: ${messageOf(t.results.at(-1)?.error?.message)}`),
    ),
    ...(suite.suites ?? []).flatMap((child) => walk(child, `${path} > ${child.title}`)),
  ];
  return [
    ...(report.suites ?? []).flatMap((suite) => walk(suite, suite.file ?? suite.title)),
    ...(report.errors ?? []).map((e) => messageOf(e.message)),
  ];
}

/** One line per failed test (`file > test: the error's message`); none when the report is missing. */
export function failedTests(reportPath: string, root: string): string[] {
  if (!existsSync(reportPath)) return [];
  const report = JSON.parse(readFileSync(reportPath, "utf8")) as JsonTestResults | JSONReport;
  return "testResults" in report ? fromVitest(report, root) : fromPlaywright(report);
}

/** One line per error outside any test that a vitest tier recorded (scripts/lib/errors-reporter.ts). */
export function outsideTestErrors(errorsPath: string): string[] {
  if (!existsSync(errorsPath)) return [];
  const errors = JSON.parse(readFileSync(errorsPath, "utf8")) as RecordedError[];
  return errors.map((e) => `error outside the tests: ${e.name ?? "Error"}: ${messageOf(e.message)}`);
}
