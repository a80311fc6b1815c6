import "server-only";
import { config } from "@/lib/config";
import type { UploadLimits } from "@/lib/files/contract";

/** The configured upload rules: for the contract's schemas and the browser's pre-check. */
export function uploadLimits(): UploadLimits {
  const c = config();
  return { maxBytes: c.MAX_UPLOAD_BYTES, allowedTypes: c.ALLOWED_UPLOAD_TYPES };
}
