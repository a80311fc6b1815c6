import { z } from "zod";
import {
  type ImportRecord,
  importSchema,
  importUploadRequestSchema,
  startImportSchema,
} from "@/lib/transfer/import-contract";

/** /imports in the REST API's snake_case names. */

export const apiImportUploadRequestSchema = (maxBytes: number) =>
  importUploadRequestSchema(maxBytes).meta({ id: "ImportUploadRequest" });

export const apiStartImportSchema = startImportSchema.meta({ id: "ImportStart" });

const i = importSchema.shape;

export const apiImportSchema = z
  .object({
    id: i.id,
    status: i.status,
    format: i.format,
    total: i.total,
    done: i.done,
    bytes_total: i.bytesTotal,
    bytes_done: i.bytesDone,
    created_notes: i.createdNotes,
    skipped_notes: i.skippedNotes,
    error: i.error,
    created_at: z.iso.datetime(),
    finished_at: z.iso.datetime().nullable(),
  })
  .meta({ id: "Import" });

export type ApiImport = z.infer<typeof apiImportSchema>;

export function toApiImport(r: ImportRecord): ApiImport {
  return {
    id: r.id,
    status: r.status,
    format: r.format,
    total: r.total,
    done: r.done,
    bytes_total: r.bytesTotal,
    bytes_done: r.bytesDone,
    created_notes: r.createdNotes,
    skipped_notes: r.skippedNotes,
    error: r.error,
    created_at: r.createdAt.toISOString(),
    finished_at: r.finishedAt?.toISOString() ?? null,
  };
}
