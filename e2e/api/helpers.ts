import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { expect, inject } from "vitest";
import type { z } from "zod";
import { apiPresignedUploadSchema } from "@/lib/files/rest";
import { apiNoteSchema } from "@/lib/notes/rest";
import { api, apiUrl, jsonBody, PASSWORD, postJson } from "../support/api";
import { signInCookie, signOutCookie } from "../support/browser-session";
import { listKeys, s3Client } from "../support/s3";

/**
 * What the API test files share on top of e2e/support: direct access to the shared app's database and bucket
 * (to prove what the API cannot show: hashes, queues, leftovers), presigned uploads as a client sends them,
 * response-shape checks and polling with a deadline.
 */

export const MiB = 1024 * 1024;

export function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** A fake client address, unique per call, for X-Forwarded-For (the login limits are shared by the run). */
export function fakeIp(): string {
  const b = randomBytes(3);
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

// --- the shared app's database ---------------------------------------------------------------------------

let pool: pg.Pool | undefined;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read rows of whatever shape their SQL selects
export function sql<R extends pg.QueryResultRow = any>(
  text: string,
  values: unknown[] = [],
): Promise<pg.QueryResult<R>> {
  pool ??= new pg.Pool({ connectionString: inject("apiDatabaseUrl"), max: 3 });
  return pool.query<R>(text, values);
}

export async function closeDb(): Promise<void> {
  await pool?.end();
  pool = undefined;
}

export async function userIdOf(email: string): Promise<string> {
  const { rows } = await sql<{ id: string }>("SELECT id FROM users WHERE email = $1", [email.trim().toLowerCase()]);
  if (!rows[0]) throw new Error(`no user ${email}`);
  return rows[0].id;
}

// --- the shared bucket ------------------------------------------------------------------------------------

export const bucket = () => inject("apiBucket");
let client: ReturnType<typeof s3Client> | undefined;
export const s3 = () => (client ??= s3Client(inject("s3")));

export const userPrefix = (userId: string) => `users/${userId}/`;

export function keysOf(userId: string): Promise<string[]> {
  return listKeys(s3(), bucket(), userPrefix(userId));
}

// --- polling ----------------------------------------------------------------------------------------------

export { poll } from "../support/poll";

// --- response shapes --------------------------------------------------------------------------------------

const NOTE_FIELDS = [
  "archived",
  "content_type",
  "created_at",
  "deleted_at",
  "description",
  "file_name",
  "file_size",
  "file_url",
  "id",
  "pinned",
  "tags",
  "title",
  "updated_at",
];

/** A note as the original's clients read it: exactly these fields, each of the documented type. */
export function expectNote(body: unknown) {
  const parsed = apiNoteSchema.safeParse(body);
  expect(parsed.success, `not a Note: ${JSON.stringify(body)} ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
  expect(Object.keys(body as object).sort()).toEqual(NOTE_FIELDS);
  return parsed.data!;
}

export async function noteOf(res: Response) {
  const text = await res.clone().text();
  expect(res.status, text.slice(0, 500)).toBe(200);
  return expectNote(await jsonBody(res));
}

/** FastAPI's 422: {"detail": [{loc, msg, type}, ...]}, with one issue at `loc` (and of `type` if given). */
export async function expect422(res: Response, loc: (string | number)[], type?: string) {
  const text = await res.clone().text();
  expect(res.status, text.slice(0, 500)).toBe(422);
  const body = await jsonBody(res);
  expect(Array.isArray(body.detail), JSON.stringify(body)).toBe(true);
  for (const issue of body.detail) {
    expect(issue).toEqual({ loc: expect.any(Array), msg: expect.any(String), type: expect.any(String) });
  }
  expect(body.detail).toContainEqual(expect.objectContaining({ loc, ...(type ? { type } : {}) }));
  return body.detail as { loc: (string | number)[]; msg: string; type: string }[];
}

/** {"detail": "<message>"} with the given status (and the exact message if given). */
export async function expectDetail(res: Response, status: number, detail?: string) {
  const text = await res.clone().text();
  expect(res.status, text.slice(0, 500)).toBe(status);
  const body = await jsonBody(res);
  expect(typeof body.detail, JSON.stringify(body)).toBe("string");
  expect(body.detail.length).toBeGreaterThan(0);
  if (detail !== undefined) expect(body).toEqual({ detail });
  return body.detail as string;
}

// --- notes and files --------------------------------------------------------------------------------------

export async function listAll(token: string, query = ""): Promise<ReturnType<typeof expectNote>[]> {
  // With a deadline: a request that is never answered (a wedged keep-alive connection) must fail, not hang.
  const res = await api(`/notes?limit=1000${query}`, { token, signal: AbortSignal.timeout(10_000) });
  expect(res.status).toBe(200);
  return ((await jsonBody(res)) as unknown[]).map(expectNote);
}

export async function getNote(token: string, id: number) {
  return noteOf(await api(`/notes/${id}`, { token, signal: AbortSignal.timeout(10_000) }));
}

export function multipartNote(
  token: string,
  fields: Record<string, string>,
  file?: { name: string; type: string; data: Uint8Array | string },
  path = "/notes",
  method = "POST",
): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file) form.set("file", new Blob([file.data as BlobPart], { type: file.type }), file.name);
  return api(path, { method, token, body: form });
}

/** Downloads a note's file_url as any client would (no credentials: the URL is presigned). */
export async function download(fileUrl: string): Promise<{ res: Response; bytes: Uint8Array }> {
  const res = await fetch(fileUrl);
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

export type Presigned = z.infer<typeof apiPresignedUploadSchema>;

export function requestUpload(token: string, body: unknown): Promise<Response> {
  return postJson("/uploads", body, token);
}

export async function presign(token: string, filename: string, contentType: string, size: number): Promise<Presigned> {
  const res = await requestUpload(token, { filename, content_type: contentType, size });
  expect(res.status, await res.clone().text()).toBe(200);
  return jsonBody(res);
}

/** Sends a presigned POST to S3 as a browser form does: every policy field first, the file last. */
export function postToS3(
  p: Pick<Presigned, "url" | "fields">,
  data: Uint8Array | string,
  fileType = "application/octet-stream",
): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(p.fields)) form.append(k, v);
  form.append("file", new Blob([data as BlobPart], { type: fileType }), "upload.bin");
  return fetch(p.url, { method: "POST", body: form });
}

/** Presign + upload straight to S3; returns the key to attach. */
export async function directUpload(
  token: string,
  filename: string,
  contentType: string,
  data: Uint8Array | string,
): Promise<string> {
  const size = typeof data === "string" ? Buffer.byteLength(data) : data.byteLength;
  const p = await presign(token, filename, contentType, size);
  const res = await postToS3(p, data, contentType);
  expect(res.status, await res.text()).toBe(204);
  return p.key;
}

export const attachJson = (token: string, noteId: number, fileKey: string) =>
  postJson(`/notes/${noteId}/file`, { file_key: fileKey }, token, "PUT");

/** The key a note's presigned file_url points at. */
export function keyOfUrl(fileUrl: string): string {
  const path = decodeURIComponent(new URL(fileUrl).pathname);
  const prefix = `/${bucket()}/`;
  expect(path.startsWith(prefix), path).toBe(true);
  return path.slice(prefix.length);
}

export const bytes = (n: number) => new Uint8Array(randomBytes(n));

/** The S3 key stored for a note (null without a file). */
export async function fileKeyOf(noteId: number): Promise<string | null> {
  const { rows } = await sql<{ file_key: string | null }>("SELECT file_key FROM notes WHERE id = $1", [noteId]);
  if (!rows[0]) throw new Error(`no note ${noteId}`);
  return rows[0].file_key;
}

// --- browser sessions (Auth.js), as the sign-in form and the sign-out button make them --------------------

export const browserSession = (email: string, password = PASSWORD) => signInCookie(apiUrl(), email, password);
export const browserSignOut = (cookie: string) => signOutCookie(apiUrl(), cookie);

/** What /api/auth/session says about a cookie (null when signed out), and the cookie it sets back. */
export async function sessionOf(
  cookie: string,
): Promise<{ session: { user?: { email?: string } } | null; setCookie: string[] }> {
  const res = await api("/api/auth/session", { headers: { cookie } });
  expect(res.status).toBe(200);
  return { session: await jsonBody(res), setCookie: res.headers.getSetCookie() };
}

/** Whether a page, opened with the cookie, shows the signed-in notes list. */
export async function seesNotes(cookie: string): Promise<boolean> {
  const res = await api("/", { headers: { cookie } });
  expect(res.status).toBe(200);
  return (await res.text()).includes('id="notes-heading"');
}
