import "server-only";
import type { Readable } from "node:stream";
import busboy from "busboy";
import { badRequest, type DomainError, tooLarge } from "@/lib/errors";
import { assertDeclaredLength, MAX_FORM_BYTES } from "@/lib/http/body";
import { lingerDrain } from "@/lib/http/drain";

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

export interface MultipartOptions<F> {
  /** The whole body, counted as it arrives (Content-Length or chunked alike). */
  maxBytes: number;
  /** All field names and values together (they are held in memory); MAX_FORM_BYTES by default. */
  maxFieldBytes?: number;
  onFile?: (part: MultipartFilePart) => Promise<F>;
}

/**
 * Streams a multipart/form-data body: small fields are collected, the first file part is handed to `onFile`
 * as a stream (nothing is buffered), any other file part is drained. The body is counted as it arrives and
 * fields are capped in size, number and total: past a limit, parsing stops (what was buffered is released, a
 * file being streamed is cut off) and the answer is 413, once the client has sent what it reasonably had to.
 * If `onFile` fails, its error wins; the rest of the body is drained so that the client can read the answer.
 */
export async function parseMultipart<F = never>(
  request: Request,
  options: MultipartOptions<F>,
): Promise<MultipartResult<F>> {
  assertDeclaredLength(request, options.maxBytes);
  const maxFieldBytes = options.maxFieldBytes ?? MAX_FORM_BYTES;
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
  let fieldBytes = 0;
  let filePromise: Promise<F> | undefined;
  let refusal: DomainError | undefined;
  const refuse = (error: DomainError) => {
    refusal ??= error;
    parser.destroy(refusal);
  };
  // A failing file (over the limit, refused type, storage down) answers at once; the rest of the body keeps
  // going through busboy (which drops it) in the background.
  let failEarly: (error: unknown) => void = () => {};
  const fileFailed = new Promise<never>((_, reject) => (failEarly = reject));
  fileFailed.catch(() => {});

  const finished = new Promise<void>((resolve, reject) => {
    parser.on("field", (name, value, info) => {
      fieldBytes += Buffer.byteLength(name) + Buffer.byteLength(value);
      if (info.valueTruncated) refuse(tooLarge(`Form field ${name} is too large`));
      else if (fieldBytes > maxFieldBytes) refuse(tooLarge("Form fields are too large"));
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
    parser.on("fieldsLimit", () => refuse(tooLarge("Too many form fields")));
    parser.on("partsLimit", () => refuse(tooLarge("Too many form parts")));
    parser.on("close", resolve);
    parser.on("error", () => reject(refusal ?? badRequest("Invalid multipart body")));
  });
  finished.catch(() => {});

  const pumped = pump(request.body?.getReader(), parser, options.maxBytes, refuse).catch(() => {
    parser.destroy(badRequest("Request body could not be read"));
  });
  try {
    await Promise.race([finished, fileFailed]);
  } catch (error) {
    if (!refusal) throw error;
  }
  if (refusal) {
    await pumped;
    await filePromise?.catch(() => {}); // a file cut off has given up its storage before the answer
    throw refusal;
  }
  return { fields, file: await filePromise };
}

/**
 * Feeds the body to the parser, counting its bytes (the declared length may be absent or wrong); refuses it
 * past `maxBytes`. Once the parser is gone (refused or broken form), the rest of the body is drained.
 */
async function pump(
  reader: ReadableStreamDefaultReader<Uint8Array> | undefined,
  parser: busboy.Busboy,
  maxBytes: number,
  refuse: (error: DomainError) => void,
): Promise<void> {
  if (!reader) {
    parser.end();
    return;
  }
  let size = 0;
  for (;;) {
    if (parser.destroyed) return lingerDrain(reader);
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      step = await reader.read();
    } catch {
      parser.destroy(badRequest("Request body could not be read"));
      return;
    }
    if (step.done) {
      parser.end();
      return;
    }
    size += step.value.byteLength;
    if (size > maxBytes) refuse(tooLarge("Request body is too large"));
    else if (!parser.destroyed && !parser.write(step.value)) await writable(parser);
  }
}

function writable(parser: busboy.Busboy): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      parser.off("drain", done);
      parser.off("close", done);
      resolve();
    };
    parser.on("drain", done);
    parser.on("close", done);
  });
}
