/**
 * What a valid upload is: its name, type and size. Pure rules shared by the presign step, the streaming path,
 * the browser's pre-check and the server actions.
 */

/** A display name: no path, no control characters, at most 255 characters. */
export function displayFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? "";
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, "").trim();
  const name = clean === "." || clean === ".." ? "" : clean;
  return Array.from(name).slice(0, 255).join("") || "file";
}

/** The name used inside the S3 key: ASCII letters, digits, dot, dash and underscore only. */
export function keySafeFileName(displayName: string): string {
  const ascii = displayName
    .normalize("NFKD")
    .replace(/[^\w.-]+/g, "_")
    .replace(/_+/g, "_")
    // Cut to the last 100 characters (keeping the extension) before stripping, so the cut cannot start with a dot.
    .slice(-100)
    .replace(/^[._]+/, "");
  return ascii || "file";
}

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** Lower-cases and strips parameters ("text/plain; charset=utf-8" → "text/plain"); null when not a MIME type. */
export function normaliseContentType(raw: string): string | null {
  const type = raw.split(";")[0]!.trim().toLowerCase();
  return MIME.test(type) ? type : null;
}

export function isAllowedType(type: string, allowed: readonly string[]): boolean {
  return allowed.some((pattern) =>
    pattern.endsWith("*") ? type.startsWith(pattern.slice(0, -1)) : type === pattern.toLowerCase(),
  );
}

/**
 * Types a browser may display in the page itself, listed one by one: everything else (HTML, SVG, XML, scripts,
 * and any audio/ or video/ subtype a client chose to declare) is served with Content-Disposition: attachment as
 * application/octet-stream, so that a stored file can never run or be sniffed as part of the S3 origin.
 */
const INLINE_TYPES: ReadonlySet<string> = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "image/avif",
  "application/pdf",
  "text/plain",
  "audio/mpeg",
  "audio/mp4",
  "audio/aac",
  "audio/ogg",
  "audio/wav",
  "audio/x-wav",
  "audio/webm",
  "audio/flac",
  "video/mp4",
  "video/webm",
  "video/ogg",
]);

export function isInlineSafe(type: string): boolean {
  return INLINE_TYPES.has(type);
}

export function isPreviewableImage(type: string | null | undefined): boolean {
  return !!type && ["image/png", "image/jpeg", "image/gif", "image/webp", "image/avif"].includes(type);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/** users/<userId>/uploads/<uuid>/<safe name>: the prefix is how ownership of a key is checked. */
export function userUploadPrefix(userId: string): string {
  return `users/${userId}/uploads/`;
}

export function uploadKey(userId: string, uuid: string, displayName: string): string {
  return `${userUploadPrefix(userId)}${uuid}/${keySafeFileName(displayName)}`;
}

export function isOwnKey(userId: string, key: string): boolean {
  const prefix = userUploadPrefix(userId);
  if (!key.startsWith(prefix)) return false;
  const rest = key.slice(prefix.length).split("/");
  // The name part as keySafeFileName makes it: anything else (a NUL, which PostgreSQL cannot even compare, made
  // the lookup fail with a 500) was never one of our keys.
  return rest.length === 2 && /^[0-9a-f-]{36}$/.test(rest[0]!) && /^[A-Za-z0-9-][\w.-]{0,99}$/.test(rest[1]!);
}
