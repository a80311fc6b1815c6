import { z } from "zod";
import { formatBytes, isAllowedType, normaliseContentType } from "@/lib/files/policy";
import { schemaPerLimits } from "@/lib/schema-per-limits";

/**
 * The upload contract: what a client asks for (a file's name, type and size, checked against the configured
 * limits) and the presigned POST it gets back, in the domain's names. The REST edge derives its snake_case
 * shapes from these (lib/files/rest.ts); the browser's pre-check uses the same policy functions.
 */

export const uploadRequestSchema = schemaPerLimits((maxBytes: number, allowed: readonly string[]) =>
  z.object({
    fileName: z.string().min(1, "Field required").max(1024, "File name is too long"),
    contentType: z
      .string()
      .transform((t, ctx) => {
        const type = normaliseContentType(t);
        if (!type) {
          ctx.addIssue({ code: "custom", message: "Not a valid content type" });
          return z.NEVER;
        }
        if (!isAllowedType(type, allowed)) {
          ctx.addIssue({ code: "custom", message: `Files of type ${type} are not accepted` });
          return z.NEVER;
        }
        return type;
      })
      .meta({ example: "image/png" }),
    size: z
      .number()
      .int("Size must be a whole number of bytes")
      .min(0, "Size cannot be negative")
      .max(maxBytes, `File is larger than the ${formatBytes(maxBytes)} limit`)
      .meta({ description: "Bytes; at most MAX_UPLOAD_BYTES. S3 accepts a file of exactly this size only" }),
  }),
);

export type UploadRequest = z.infer<ReturnType<typeof uploadRequestSchema>>;
export type UploadRequestInput = z.input<ReturnType<typeof uploadRequestSchema>>;

export const presignedUploadSchema = z.object({
  url: z.url().meta({ description: "POST the form here" }),
  fields: z.record(z.string(), z.string()).meta({ description: "Form fields to send before the `file` field" }),
  key: z.string().meta({ description: "Attach it to a note as `file_key`" }),
  expiresAt: z.date(),
  maxBytes: z.number().int(),
});

export type PresignedUpload = z.infer<typeof presignedUploadSchema>;

/** The upload rules the browser checks before sending anything (the server and S3 enforce them anyway). */
export const uploadLimitsSchema = z.object({ maxBytes: z.number().int(), allowedTypes: z.array(z.string()) });

export type UploadLimits = z.infer<typeof uploadLimitsSchema>;
