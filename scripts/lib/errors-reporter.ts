/**
 * A vitest reporter that writes the run's errors outside any test (an unhandled rejection, a failed global
 * set-up or teardown) to TEST_ERRORS_FILE. They fail a run whose tests all passed, and vitest's JSON report
 * does not carry them; npm test's summary reads this file (scripts/lib/failed-tests.ts).
 */
import { writeFileSync } from "node:fs";
import type { Reporter } from "vitest/reporters";

type RunEnd = NonNullable<Reporter["onTestRunEnd"]>;

/** One error as written to TEST_ERRORS_FILE. */
export interface RecordedError {
  name?: string;
  message?: string;
}

export default class ErrorsReporter implements Reporter {
  onTestRunEnd(...[, unhandledErrors]: Parameters<RunEnd>): void {
    const file = process.env.TEST_ERRORS_FILE;
    if (!file) return;
    const errors: RecordedError[] = unhandledErrors.map((e) => ({ name: e.name, message: e.message }));
    writeFileSync(file, JSON.stringify(errors));
  }
}
