import { z } from "zod";
import { formatBytes } from "@/lib/files/policy";
import { schemaPerLimits } from "@/lib/schema-per-limits";

/**
 * The import contract (issue 13), in the domain's names: asking for an upload of the archive, starting the
 * import of an uploaded archive, and an import's progress and result. The REST edge derives its snake_case
 * shapes from these (lib/transfer/import-rest.ts); the settings page and the tests import them.
 */

export const IMPORT_CONTENT_TYPE = "application/zip";

export const importUploadRequestSchema = schemaPerLimits((maxBytes: number) =>
  z.object({
    size: z
      .number()
      .int("Size must be a whole number of bytes")
      .min(22, "A zip file is at least 22 bytes")
      .max(maxBytes, `The archive is larger than the ${formatBytes(maxBytes)} limit`)
      .meta({ description: "The archive's bytes; S3 accepts a file of exactly this size only" }),
  }),
);

export type ImportUploadRequest = z.infer<ReturnType<typeof importUploadRequestSchema>>;

export const startImportSchema = z.object({
  key: z.string().min(1, "Field required").max(1024).meta({ description: "The `key` of the archive's upload" }),
});

export const importStatusSchema = z.enum(["queued", "running", "done", "failed"]);
export const importFormatSchema = z.enum(["cloudnotes", "keep"]);

export const importSchema = z.object({
  id: z.uuid(),
  status: importStatusSchema,
  /** Known once the archive was read: a CloudNotes export or a Google Keep Takeout. */
  format: importFormatSchema.nullable(),
  /** Notes in the archive, and how many were checked (and their files copied) so far. */
  total: z.number().int(),
  done: z.number().int(),
  bytesTotal: z.number().int(),
  bytesDone: z.number().int(),
  createdNotes: z.number().int(),
  /** Already in the account: an earlier import of the same archive, or the exported notes themselves. */
  skippedNotes: z.number().int(),
  /** Why it failed, for a person; nothing was imported then. */
  error: z.string().nullable(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});

export type ImportRecord = z.infer<typeof importSchema>;
export type ImportStatus = z.infer<typeof importStatusSchema>;
export type ImportFormat = z.infer<typeof importFormatSchema>;

export const isFinished = (status: ImportStatus) => status === "done" || status === "failed";
