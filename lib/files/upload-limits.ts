import "server-only";
import { config } from "@/lib/config";

/** The upload rules the browser checks before sending anything (the server and S3 enforce them anyway). */
export function uploadLimits(): { maxBytes: number; allowedTypes: string[] } {
  const c = config();
  return { maxBytes: c.MAX_UPLOAD_BYTES, allowedTypes: c.ALLOWED_UPLOAD_TYPES };
}
