import type { z } from "zod";
import { issuesFromZod, validationError } from "@/lib/errors";

/** Validates untrusted input; failures become a 422-style error located under `where` (body, query, path). */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown, where: string): z.output<S> {
  const result = schema.safeParse(data, { reportInput: true });
  if (!result.success) throw validationError(issuesFromZod(result.error, where));
  return result.data;
}
