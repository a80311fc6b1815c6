import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import type { components, operations } from "./openapi-types";

/**
 * A client of the REST API as a third-party program would use it (plain fetch, nothing from the app; the
 * answers typed by the client types generated from /openapi.json), for the shared test server started by
 * global-setup.ts.
 */

type Json<R> = R extends { content: { "application/json": infer B } } ? B : never;
/** The JSON answer of an operation, by its operationId and status, as /openapi.json documents it. */
export type ApiAnswer<O extends keyof operations, S extends keyof operations[O]["responses"]> = Json<
  operations[O]["responses"][S]
>;
/** The JSON request body of an operation, by its operationId. */
export type ApiRequest<O extends keyof operations> = Json<NonNullable<operations[O]["requestBody"]>>;
export type ApiNote = components["schemas"]["Note"];
export const apiUrl = () => inject("apiUrl");

export function uniqueEmail(tag = "user"): string {
  return `${tag}-${randomBytes(5).toString("hex")}@example.com`;
}

export const PASSWORD = "correct horse battery";

export async function api(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  return fetch(`${apiUrl()}${path}`, { ...init, headers, redirect: "manual" });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- callers assert on the parsed JSON's shape
export async function jsonBody<T = any>(res: Response): Promise<T> {
  const text = await res.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`expected JSON, got ${res.status}: ${text.slice(0, 300)}`);
  }
}

export function postJson(path: string, body: unknown, token?: string, method = "POST"): Promise<Response> {
  return api(path, { method, token, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

export async function register(
  email = uniqueEmail(),
  password = PASSWORD,
): Promise<{ email: string; password: string }> {
  const res = await postJson("/register", { email, password });
  if (res.status !== 200) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  return { email, password };
}

/** OAuth2 password form login, as the original's clients do it. */
export async function login(
  email: string,
  password = PASSWORD,
  headers: Record<string, string> = {},
): Promise<Response> {
  return api("/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ username: email, password }).toString(),
  });
}

/** A new user and a valid token for it. */
export async function newUser(tag = "user"): Promise<{ email: string; token: string }> {
  const { email } = await register(uniqueEmail(tag));
  const res = await login(email);
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return { email, token: (await jsonBody<ApiAnswer<"login", 200>>(res)).access_token };
}

export async function createNote(token: string, note: ApiRequest<"createNote">): Promise<ApiNote> {
  const res = await postJson("/notes", note, token);
  if (res.status !== 200) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return jsonBody<ApiAnswer<"createNote", 200>>(res);
}

/** A multipart form as the original's clients send it (title, description, optional file). */
export function noteForm(
  fields: Record<string, string>,
  file?: { name: string; type: string; data: Uint8Array | string },
): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file) form.set("file", new Blob([file.data as BlobPart], { type: file.type }), file.name);
  return form;
}
