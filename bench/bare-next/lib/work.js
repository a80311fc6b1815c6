import { createWork } from "../../reference/work.mjs";

/** One pool and presigner per process, however many route bundles import this module. */
export function work() {
  return (globalThis.__benchWork ??= createWork(process.env));
}

/** The answer as JSON, with the headers CloudNotes' JSON responses carry. */
export function reply({ status, body, headers }) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  });
}

export async function fields(request) {
  return work().fields(request.headers.get("content-type"), await request.text());
}

/** The user of the request's bearer token, or null (then answer work().unauthorized()). */
export function userOf(request) {
  return work().user(request.headers.get("authorization"));
}
