import "server-only";
import { badRequest } from "@/lib/errors";
import { bodyKind, readFields } from "@/lib/http/body";
import { parseMultipart } from "@/lib/http/multipart";
import { config } from "@/lib/config";
import { type StoredFile, streamUpload } from "@/lib/files/uploads";
import { apiFileKeySchema } from "@/lib/notes/rest";
import { discardStoredFile, resolveFileKey } from "@/lib/notes/service";
import { parseInput } from "@/lib/validation";

/** Multipart overhead allowed on top of the file itself (boundaries, part headers, small fields). */
const MULTIPART_OVERHEAD = 2 * 1024 * 1024;

export interface NoteRequest {
  fields: Record<string, unknown>;
  file?: StoredFile;
  /** True when the file was stored by this request and must be given up if the request then fails. */
  streamed: boolean;
}

/**
 * Reads a request that may carry a file in either form the API accepts: multipart with a `file` part (the
 * original's way, streamed through to S3) or JSON/urlencoded with a `file_key` from a presigned upload.
 */
export async function readNoteRequest(request: Request, userId: string): Promise<NoteRequest> {
  if (bodyKind(request) === "multipart") {
    const { fields, file } = await parseMultipart(request, {
      maxBytes: config().MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD,
      onFile: (part) =>
        part.fieldName === "file"
          ? streamUpload(userId, part)
          : Promise.reject(badRequest(`Unexpected file field ${part.fieldName}; send the file as "file"`)),
    });
    return { fields, file, streamed: Boolean(file) };
  }
  const fields = await readFields(request, ["json", "form"]);
  const { fileKey } = parseInput(apiFileKeySchema, fields);
  return { fields, file: await resolveFileKey(userId, fileKey), streamed: false };
}

/** Runs the domain step; a file this request streamed is discarded if the step fails. */
export async function withNoteFile<T>(userId: string, input: NoteRequest, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (input.streamed && input.file) await discardStoredFile(userId, input.file).catch(() => {});
    throw error;
  }
}
