/**
 * A problem the person running a command must fix (a missing user, a folder PostgreSQL cannot reach...): its
 * message is one line saying what to do.
 */
export class SetupError extends Error {
  override name = "SetupError";
}

/** What stopped a command, for the terminal: the error's message without its stack trace. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
