import { z } from "zod";
import { restSchema, toRest } from "@/lib/http/rest-shape";
import { type PresignedUpload, presignedUploadSchema, uploadRequestSchema } from "@/lib/files/contract";
import { schemaPerLimits } from "@/lib/schema-per-limits";

/** POST /uploads in the original API's names (`filename`, `content_type`, `expires_at`, `max_bytes`). */

export const apiUploadRequestSchema = schemaPerLimits((maxBytes: number, allowed: readonly string[]) => {
  const u = uploadRequestSchema(maxBytes, allowed).shape;
  return z
    .object({ filename: u.fileName, content_type: u.contentType, size: u.size })
    .transform(({ filename, content_type, size }) => ({ fileName: filename, contentType: content_type, size }));
});

export const apiPresignedUploadSchema = restSchema(presignedUploadSchema).meta({ id: "PresignedUpload" });

export type ApiPresignedUpload = z.infer<typeof apiPresignedUploadSchema>;

export const toApiPresignedUpload = (upload: PresignedUpload): ApiPresignedUpload =>
  toRest(apiPresignedUploadSchema, upload);
