import { z } from "zod";
import { type PresignedUpload, presignedUploadSchema, uploadRequestSchema } from "@/lib/files/contract";

/** POST /uploads in the original API's names (`filename`, `content_type`, `expires_at`, `max_bytes`). */

export const apiUploadRequestSchema = (maxBytes: number, allowed: readonly string[]) => {
  const u = uploadRequestSchema(maxBytes, allowed).shape;
  return z
    .object({ filename: u.fileName, content_type: u.contentType, size: u.size })
    .transform(({ filename, content_type, size }) => ({ fileName: filename, contentType: content_type, size }));
};

const p = presignedUploadSchema.shape;

export const apiPresignedUploadSchema = z
  .object({ url: p.url, fields: p.fields, key: p.key, expires_at: z.iso.datetime(), max_bytes: p.maxBytes })
  .meta({ id: "PresignedUpload" });

export type ApiPresignedUpload = z.infer<typeof apiPresignedUploadSchema>;

export function toApiPresignedUpload(upload: PresignedUpload): ApiPresignedUpload {
  return {
    url: upload.url,
    fields: upload.fields,
    key: upload.key,
    expires_at: upload.expiresAt.toISOString(),
    max_bytes: upload.maxBytes,
  };
}
