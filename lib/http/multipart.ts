import "server-only";
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import busboy from "busboy";
import { badRequest, tooLarge } from "@/lib/errors";
import { assertDeclaredLength } from "@/lib/http/body";

export interface MultipartFilePart {
  fieldName: string;
  fileName: string;
  contentType: string;
  stream: Readable;
}

export interface MultipartResult<F> {
  fields: Record<string, string>;
  file?: F;
}

/**
 * Streams a multipart/form-data body: small fields are collected, the first file part is handed to `onFile`
 * as a stream (nothing is buffered), any other file part is drained. Fields are capped in size and number.
 * If `onFile` fails, its error wins; the rest of the body is drained so that the client can read the answer.
 */
export async function parseMultipart<F = never>(
  request: Request,
  options: { maxBytes: number; onFile?: (part: MultipartFilePart) => Promise<F> },
): Promise<MultipartResult<F>> {
  assertDeclaredLength(request, options.maxBytes);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": request.headers.get("content-type") ?? "" },
      limits: { fields: 20, fieldSize: 512 * 1024, files: 1, parts: 40, headerPairs: 50 },
      defParamCharset: "utf8",
    });
  } catch {
    throw badRequest("Invalid multipart body: missing or malformed boundary");
  }

  const fields: Record<string, string> = {};
  let filePromise: Promise<F> | undefined;
  let limitHit: Error | undefined;
  // A failing file (over the limit, refused type, storage down) answers at once; busboy keeps draining the
  // rest of the body in the background.
  let failEarly: (error: unknown) => void = () => {};
  const fileFailed = new Promise<never>((_, reject) => (failEarly = reject));
  fileFailed.catch(() => {});

  const finished = new Promise<void>((resolve, reject) => {
    parser.on("field", (name, value, info) => {
      if (info.valueTruncated) limitHit ??= tooLarge(`Form field ${name} is too large`);
      else if (!(name in fields)) fields[name] = value;
    });
    parser.on("file", (name, stream, info) => {
      const fileName = info.filename ?? "";
      // A browser form with no file chosen still sends an empty part: that is "no file".
      if (filePromise || !options.onFile || fileName === "") {
        stream.resume();
        return;
      }
      filePromise = options.onFile({ fieldName: name, fileName, contentType: info.mimeType, stream });
      filePromise.catch((error) => {
        stream.resume();
        failEarly(error);
      });
    });
    parser.on("fieldsLimit", () => (limitHit ??= tooLarge("Too many form fields")));
    parser.on("partsLimit", () => (limitHit ??= tooLarge("Too many form parts")));
    parser.on("close", resolve);
    parser.on("error", () => reject(badRequest("Invalid multipart body")));
  });

  const body = request.body
    ? Readable.fromWeb(request.body as unknown as NodeWebReadableStream<Uint8Array>)
    : Readable.from([]);
  body.on("error", () => parser.destroy(badRequest("Request body could not be read")));
  body.pipe(parser);

  await Promise.race([finished, fileFailed]);
  const file = await filePromise;
  if (limitHit) throw limitHit;
  return { fields, file };
}
