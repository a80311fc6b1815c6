/**
 * A problem the person running a command must fix (a missing user, a folder PostgreSQL cannot reach...): its
 * message is one line saying what to do, printed without a stack trace.
 */
export class SetupError extends Error {
  override name = "SetupError";
}

/** One line for the terminal: the message of a SetupError, or of anything else that stopped the command. */
export function oneLine(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0] || error.name;
  return String(error);
}
