import "server-only";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { config } from "@/lib/config";
import { isInlineSafe } from "@/lib/files/policy";
import { bucket, s3ForBrowsers } from "@/lib/files/s3";

/** RFC 6266 / RFC 5987 Content-Disposition with an ASCII fallback and the UTF-8 name. */
export function contentDisposition(kind: "inline" | "attachment", fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  // encodeURIComponent leaves ' ( ) * as they are, but RFC 8187's attr-char excludes them (a ' ends the charset).
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * A short-lived GET URL for a private object. Types a browser could execute are forced to download, and the
 * stored type is restated so that S3 never sniffs or guesses one. Signing is local (no network call).
 */
export function downloadUrl(file: { key: string; fileName: string; contentType: string }): Promise<string> {
  const kind = isInlineSafe(file.contentType) ? "inline" : "attachment";
  return getSignedUrl(
    s3ForBrowsers(),
    new GetObjectCommand({
      Bucket: bucket(),
      Key: file.key,
      ResponseContentDisposition: contentDisposition(kind, file.fileName),
      ResponseContentType: kind === "inline" ? file.contentType : "application/octet-stream",
    }),
    { expiresIn: config().DOWNLOAD_URL_EXPIRES_SECONDS },
  );
}
