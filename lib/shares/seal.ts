import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { config } from "@/lib/config";

/**
 * Share tokens are looked up by their SHA-256, but the owner may copy a link again, so the token is also kept
 * sealed: AES-256-GCM under a key derived from SECRET_KEY. A copy of the database alone opens no share link.
 */

let cachedKey: { secret: string; key: Buffer } | undefined;
function key(): Buffer {
  const secret = config().SECRET_KEY;
  if (cachedKey?.secret !== secret) {
    cachedKey = { secret, key: Buffer.from(hkdfSync("sha256", secret, "", "cloudnotes share links v1", 32)) };
  }
  return cachedKey.key;
}

export function sealToken(token: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const sealed = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
  return [iv, sealed, cipher.getAuthTag()].map((b) => b.toString("base64url")).join(".");
}

/** The token, or null when it cannot be opened (SECRET_KEY changed, or the link was revoked). */
export function openToken(sealed: string): string | null {
  const [iv, data, tag] = sealed.split(".").map((p) => Buffer.from(p, "base64url"));
  if (!iv || !data || !tag) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
