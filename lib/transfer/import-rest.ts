import { z } from "zod";
import { restSchema, toRest } from "@/lib/http/rest-shape";
import {
  type ImportRecord,
  importSchema,
  importUploadRequestSchema,
  startImportSchema,
} from "@/lib/transfer/import-contract";
import { schemaPerLimits } from "@/lib/schema-per-limits";

/** /imports in the REST API's snake_case names. */

export const apiImportUploadRequestSchema = schemaPerLimits((maxBytes: number) =>
  importUploadRequestSchema(maxBytes).meta({ id: "ImportUploadRequest" }),
);

export const apiStartImportSchema = startImportSchema.meta({ id: "ImportStart" });

export const apiImportSchema = restSchema(importSchema).meta({ id: "Import" });

export type ApiImport = z.infer<typeof apiImportSchema>;

export const toApiImport = (r: ImportRecord): ApiImport => toRest(apiImportSchema, r);
