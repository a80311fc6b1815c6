import type { Config } from "@/lib/config";

/**
 * Where browsers reach the bucket: the Content-Security-Policy sources that let pages load presigned GETs
 * (img-src) and post presigned uploads (connect-src), and nothing wider. Derived from the configuration the
 * same way the AWS SDK builds the presigned URLs (lib/files/browser-origins.test.ts checks that against the
 * SDK itself), so an operator configures S3 once and the policy follows.
 *
 * Path-style URLs (custom endpoints, and AWS buckets whose names contain dots) become path-restricted sources
 * (`https://host/bucket/`), so that the policy allows this bucket only, not every bucket on that host. Not
 * server-only and free of the SDK: the HTTP server (server/main.ts) uses it at start-up.
 */
export type S3Settings = Pick<
  Config,
  "BUCKET_NAME" | "AWS_REGION" | "S3_ENDPOINT" | "S3_PUBLIC_ENDPOINT" | "S3_FORCE_PATH_STYLE"
>;

export function s3BrowserSources(c: S3Settings): string[] {
  const bucket = c.BUCKET_NAME;
  const endpoint = c.S3_PUBLIC_ENDPOINT ?? c.S3_ENDPOINT;
  if (endpoint) {
    const url = new URL(endpoint);
    const base = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
    // The SDK signs path-style URLs for custom endpoints; a virtual-hosted name is allowed too, for servers
    // (and SDK versions) that use it when path style is not forced.
    const sources = pathStyle(base, bucket);
    if (!c.S3_FORCE_PATH_STYLE && isDnsBucket(bucket)) sources.push(`${url.protocol}//${bucket}.${url.host}`);
    return sources;
  }
  const suffix = c.AWS_REGION.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  const regional = `s3.${c.AWS_REGION}.${suffix}`;
  // Bucket names with dots do not fit the wildcard TLS certificate of virtual hosts: the SDK uses path style.
  if (c.S3_FORCE_PATH_STYLE || !isDnsBucket(bucket)) return pathStyle(`https://${regional}`, bucket);
  return [`https://${bucket}.${regional}`];
}

/** `base/bucket` exactly (the presigned POST URL) and everything under `base/bucket/` (objects). */
function pathStyle(base: string, bucket: string): string[] {
  return [`${base}/${bucket}`, `${base}/${bucket}/`];
}

function isDnsBucket(bucket: string): boolean {
  return /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket);
}
