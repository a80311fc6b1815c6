import "server-only";
import { badRequest, tooLarge, unsupportedMediaType, validationError } from "@/lib/errors";
import { lingerDrain } from "@/lib/http/drain";
import { parseMultipart } from "@/lib/http/multipart";

/** Largest JSON or urlencoded body accepted (a note's description is at most 100,000 characters). */
export const MAX_FORM_BYTES = 1024 * 1024;

export type BodyKind = "json" | "form" | "multipart";

export function bodyKind(request: Request): BodyKind | null {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type)) return "json";
  if (type === "application/x-www-form-urlencoded") return "form";
  if (type === "multipart/form-data") return "multipart";
  return null;
}

/** Refuses early, from Content-Length, a body that is certainly too large; the reader enforces it anyway. */
export function assertDeclaredLength(request: Request, limit: number): void {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge("Request body is too large");
}

/** Reads the whole body, up to `limit` bytes; past it, stops reading and answers 413. */
export async function readLimited(request: Request, limit: number): Promise<Buffer> {
  assertDeclaredLength(request, limit);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let step;
    try {
      step = await reader.read();
    } catch {
      throw badRequest("Request body could not be read");
    }
    if (step.done) break;
    size += step.value.byteLength;
    if (size > limit) {
      await lingerDrain(reader);
      throw tooLarge("Request body is too large");
    }
    chunks.push(step.value);
  }
  return Buffer.concat(chunks);
}

/**
 * The fields of a JSON, urlencoded or (file-less) multipart body, as FastAPI endpoints that take `Form(...)`
 * or a JSON model accept them. Other content types answer 415; broken JSON answers 422 like FastAPI.
 */
export async function readFields(
  request: Request,
  accept: readonly BodyKind[] = ["json", "form", "multipart"],
): Promise<Record<string, unknown>> {
  const kind = bodyKind(request);
  if (!kind || !accept.includes(kind)) {
    const length = request.headers.get("content-length");
    // An empty body without a type reads as "no fields" (422 for the missing ones), not as a wrong type.
    if (!request.headers.get("content-type") && (length === null || length === "0") && !request.body) return {};
    throw unsupportedMediaType(`Unsupported content type; send ${accept.map(describe).join(" or ")}`);
  }
  if (kind === "multipart") {
    const { fields } = await parseMultipart(request, { maxBytes: MAX_FORM_BYTES });
    return fields;
  }
  const raw = await readLimited(request, MAX_FORM_BYTES);
  if (kind === "form") return Object.fromEntries(new URLSearchParams(raw.toString("utf8")));
  return parseJsonObject(raw);
}

export function parseJsonObject(raw: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString("utf8"));
  } catch {
    throw validationError([{ path: [0], message: "JSON decode error", type: "json_invalid" }]);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw validationError([
      {
        path: [],
        message: "Input should be a valid dictionary or object to extract fields from",
        type: "model_attributes_type",
      },
    ]);
  }
  return value as Record<string, unknown>;
}

function describe(kind: BodyKind): string {
  return { json: "application/json", form: "application/x-www-form-urlencoded", multipart: "multipart/form-data" }[
    kind
  ];
}
