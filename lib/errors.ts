import type { z } from "zod";

/**
 * What can go wrong in the domain, independent of HTTP or forms. lib/http/problem.ts turns these into
 * FastAPI-style responses; lib/actions/result.ts into what a person reads in a form.
 */

export type ErrorKind =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "precondition_failed"
  | "too_large"
  | "unsupported_media_type"
  | "validation"
  | "rate_limited"
  | "unavailable";

/**
 * One invalid value: the field's path in the contract's names (["fileKey"], ["tags", 1]; [] for the whole
 * input), what is wrong, and a machine-readable type (FastAPI's names, which the REST API answers with).
 */
export interface ValidationIssue {
  path: (string | number)[];
  message: string;
  type: string;
  /** Where in a request the field is, when its name alone does not tell (`tag` is a path and a query parameter). */
  in?: "path" | "query" | "body";
}

export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly extra: { issues?: ValidationIssue[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }
}

export const badRequest = (msg: string) => new DomainError("bad_request", msg);
export const notFound = (msg = "Note not found") => new DomainError("not_found", msg);
export const conflict = (msg: string) => new DomainError("conflict", msg);
/** The note changed since the version the client based its change on (a stale If-Match or edit form). */
export const staleVersion = (msg = "The note was changed since this version; fetch it again") =>
  new DomainError("precondition_failed", msg);
export const tooLarge = (msg: string) => new DomainError("too_large", msg);
export const unsupportedMediaType = (msg: string) => new DomainError("unsupported_media_type", msg);
export const unauthorized = (msg: string) => new DomainError("unauthorized", msg);
export const forbidden = (msg: string) => new DomainError("forbidden", msg);
export const unavailable = (msg: string) => new DomainError("unavailable", msg);
export const rateLimited = (retryAfterSeconds: number) =>
  new DomainError("rate_limited", "Too many attempts, try again later", { retryAfterSeconds });

export function validationError(issues: ValidationIssue[]): DomainError {
  return new DomainError("validation", issues.map((i) => `${i.path.at(-1) ?? "input"}: ${i.message}`).join("; "), {
    issues,
  });
}

/** zod issues (of a parse with reportInput) as validation issues; an absent field is `missing`. */
export function issuesFromZod(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    if (issue.code === "invalid_type" && (issue as { input?: unknown }).input === undefined) {
      return { path, message: "Field required", type: "missing" };
    }
    return { path, message: issue.message, type: zodIssueType(issue) };
  });
}

function zodIssueType(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "too_small":
      return issue.origin === "string" ? "string_too_short" : "too_short";
    case "too_big":
      return issue.origin === "string" ? "string_too_long" : "too_long";
    case "invalid_type":
      return `${issue.expected}_type`;
    case "invalid_format":
      return issue.format === "email" ? "value_error" : "string_pattern_mismatch";
    case "unrecognized_keys":
      return "extra_forbidden";
    default:
      return "value_error";
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
