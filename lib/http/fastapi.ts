import { z } from "zod";
import type { ValidationIssue } from "@/lib/errors";

/**
 * The error bodies of the REST API, as the original FastAPI service answers them, and where a validation
 * issue of the domain is located in a request: FastAPI's `loc` names the part of the request ("path", "query"
 * or "body") and the field in the API's snake_case names.
 */

export const httpErrorSchema = z.object({ detail: z.string() }).meta({ id: "HTTPError" });

export const fastApiIssueSchema = z.object({
  loc: z.array(z.union([z.string(), z.number()])),
  msg: z.string(),
  type: z.string(),
});

export const validationErrorSchema = z
  .object({ detail: z.array(fastApiIssueSchema) })
  .meta({ id: "HTTPValidationError" });

export type FastApiIssue = z.infer<typeof fastApiIssueSchema>;

/** Path and query parameters of the API by name (unless an issue says where); every other field is in the body. */
const PATH_PARAMS: ReadonlySet<string> = new Set(["id", "number"]);
const QUERY_PARAMS: ReadonlySet<string> = new Set([
  "tag",
  "limit",
  "cursor",
  "q",
  "sort",
  "is",
  "in",
  "has",
  "before",
  "after",
]);

export function fastApiIssue(issue: ValidationIssue): FastApiIssue {
  const first = issue.path[0];
  const where =
    issue.in ??
    (typeof first === "string" && PATH_PARAMS.has(first)
      ? "path"
      : typeof first === "string" && QUERY_PARAMS.has(first)
        ? "query"
        : "body");
  return { loc: [where, ...issue.path.map(snakeCase)], msg: issue.message, type: issue.type };
}

/** A contract's name as the API spells it (fileKey → file_key); the API's own names pass unchanged. */
function snakeCase(segment: string | number): string | number {
  return typeof segment === "string" ? segment.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : segment;
}
