import "server-only";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl, S3RequestPresigner } from "@aws-sdk/s3-request-presigner";
import { LRUCache } from "lru-cache";
import { config } from "@/lib/config";
import { isInlineSafe } from "@/lib/files/policy";
import { bucket, s3ForBrowsers } from "@/lib/files/s3";

/** RFC 6266 / RFC 5987 Content-Disposition with an ASCII fallback and the UTF-8 name. */
export function contentDisposition(kind: "inline" | "attachment", fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  // encodeURIComponent leaves ' ( ) * as they are, but RFC 8187's attr-char excludes them (a ' ends the charset).
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export interface DownloadFile {
  key: string;
  fileName: string;
  contentType: string;
  /** "attachment": the browser saves the file even when it could show it (a Download action). */
  disposition?: "attachment";
}

/** The query parameters that make S3 answer with our Content-Disposition and Content-Type. */
function responseOverrides(file: DownloadFile): Record<string, string> {
  const safe = isInlineSafe(file.contentType);
  const kind = safe && file.disposition !== "attachment" ? "inline" : "attachment";
  return {
    "response-content-disposition": contentDisposition(kind, file.fileName),
    "response-content-type": safe ? file.contentType : "application/octet-stream",
  };
}

/**
 * A short-lived GET URL for a private object. Types a browser could execute are forced to download, and the
 * stored type is restated so that S3 never sniffs or guesses one. Signing is local (no network call).
 *
 * getSignedUrl builds and runs the client's whole middleware stack for every URL (about 0.35 ms of CPU each;
 * listing 50 notes with 10 files spent most of its time there). This signs the same request directly with the
 * SDK's own S3 presigner (SigV4, query-string auth): the bucket's base URL and signing region are learnt once
 * from one getSignedUrl call, so addressing (AWS virtual hosts, path style, custom endpoints) stays the SDK's.
 * download.test.ts proves the URLs are identical to getSignedUrl's.
 */
export async function downloadUrl(
  file: DownloadFile,
  options: { signingDate?: Date; expiresInSeconds?: number } = {},
): Promise<string> {
  const client = s3ForBrowsers();
  const base = await presignBase(client);
  const expiresIn = Math.min(options.expiresInSeconds ?? Infinity, config().DOWNLOAD_URL_EXPIRES_SECONDS);
  const signingDate = options.signingDate ?? downloadWindow(expiresIn).signedAt;
  const cacheKey = options.signingDate
    ? undefined
    : [base.host, base.pathPrefix, file.key, file.fileName, file.contentType, file.disposition, expiresIn, +signingDate]
        .map(String)
        .join("\n");
  const cached = cacheKey && signedUrls.get(cacheKey);
  if (cached) return cached;
  const request = {
    method: "GET",
    protocol: base.protocol,
    hostname: base.hostname,
    port: base.port,
    path: `${base.pathPrefix}/${file.key.split("/").map(escapeUri).join("/")}`,
    query: { ...responseOverrides(file), "x-id": "GetObject" },
    headers: { host: base.host },
  };
  const signed = await base.presigner.presign(request, {
    expiresIn,
    signingRegion: base.region,
    signingService: "s3",
    signingDate,
  });
  const url = formatUrl(signed);
  if (cacheKey) signedUrls.set(cacheKey, url);
  return url;
}

/**
 * A URL is signed as of the start of its window and handed out again until the window ends (a fifth of its
 * life, at most 5 minutes): the same file keeps the same URL across renders, so a browser keeps the image it
 * has (its cache; React keeps the element), and a page of notes with files costs lookups, not signatures.
 * A URL handed out therefore lives at least four fifths of `expiresInSeconds`; `expiresAt` says exactly.
 */
export function downloadWindow(
  expiresInSeconds: number = config().DOWNLOAD_URL_EXPIRES_SECONDS,
  now: number = Date.now(),
): { signedAt: Date; expiresAt: number } {
  const windowMs = Math.min(300, Math.floor(expiresInSeconds / 5)) * 1000;
  const signedAt = windowMs > 0 ? now - (now % windowMs) : now;
  return { signedAt: new Date(signedAt), expiresAt: signedAt + expiresInSeconds * 1000 };
}

/** The URLs of the current windows (under a kilobyte each); none outlives its window. */
const signedUrls = new LRUCache<string, string>({ max: 5_000, ttl: 300_000 });

/** The reference: the SDK's own getSignedUrl (used to learn the base URL, and by the tests). */
export function sdkDownloadUrl(file: DownloadFile, options: { signingDate?: Date } = {}): Promise<string> {
  const overrides = responseOverrides(file);
  return getSignedUrl(
    s3ForBrowsers(),
    new GetObjectCommand({
      Bucket: bucket(),
      Key: file.key,
      ResponseContentDisposition: overrides["response-content-disposition"],
      ResponseContentType: overrides["response-content-type"],
    }),
    { expiresIn: config().DOWNLOAD_URL_EXPIRES_SECONDS, ...options },
  );
}

interface PresignBase {
  protocol: string;
  hostname: string;
  port?: number;
  host: string;
  pathPrefix: string;
  region: string;
  presigner: S3RequestPresigner;
}

const PROBE_KEY = "cloudnotes-presign-probe";
const bases = new WeakMap<S3Client, Promise<PresignBase>>();

function presignBase(client: S3Client): Promise<PresignBase> {
  let base = bases.get(client);
  if (!base) {
    base = learnBase(client);
    bases.set(client, base);
    base.catch(() => bases.delete(client)); // a failure (credentials not available yet) is retried next time
  }
  return base;
}

async function learnBase(client: S3Client): Promise<PresignBase> {
  const probe = new URL(
    await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket(), Key: PROBE_KEY }), { expiresIn: 60 }),
  );
  if (!probe.pathname.endsWith(`/${PROBE_KEY}`)) throw new Error(`unexpected presigned URL shape: ${probe.pathname}`);
  const region = probe.searchParams.get("X-Amz-Credential")?.split("/")[2];
  if (!region) throw new Error("presigned URL without a credential scope");
  return {
    protocol: probe.protocol,
    hostname: probe.hostname,
    port: probe.port ? Number(probe.port) : undefined,
    host: probe.host,
    pathPrefix: probe.pathname.slice(0, -PROBE_KEY.length - 1),
    region,
    // As getSignedUrl makes it, from the client's configuration (credentials provider, sha256, clock skew).
    presigner: new S3RequestPresigner({ ...client.config, signingName: "s3", region: async () => region }),
  };
}

/** RFC 3986 escaping as the SDK applies it to path segments and query strings. */
function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function formatUrl(request: {
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | string[] | null>;
}): string {
  const parts: string[] = [];
  for (const key of Object.keys(request.query ?? {}).sort()) {
    const value = request.query![key];
    if (Array.isArray(value)) for (const v of value) parts.push(`${escapeUri(key)}=${escapeUri(v)}`);
    else parts.push(value || typeof value === "string" ? `${escapeUri(key)}=${escapeUri(value)}` : escapeUri(key));
  }
  const host = request.port ? `${request.hostname}:${request.port}` : request.hostname;
  return `${request.protocol}//${host}${request.path}${parts.length ? `?${parts.join("&")}` : ""}`;
}
