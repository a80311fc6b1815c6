/**
 * A reason an import was refused, written for the person who started it ("notes/x.md: front matter is not
 * valid YAML"). Anything else that fails an import is logged and shown as a generic message.
 */
export class ImportError extends Error {
  override name = "ImportError";
}

/** `<where>: <what>`, the shape of every message about one entry of the archive. */
export function entryError(entry: string, message: string): ImportError {
  return new ImportError(`${entry}: ${message}`);
}
