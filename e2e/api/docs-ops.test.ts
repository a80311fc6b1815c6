import { describe, expect, it } from "vitest";
import { api, jsonBody } from "../support/api";

const API_PATHS = [
  "/register",
  "/login",
  "/notes",
  "/notes/{id}",
  "/notes/{id}/title",
  "/notes/{id}/description",
  "/notes/{id}/file",
  "/notes/{id}/revisions",
  "/notes/{id}/revisions/{number}",
  "/notes/{id}/revisions/{number}/restore",
  "/uploads",
  "/tokens",
  "/tokens/{id}",
];

describe("GET /openapi.json", () => {
  it("is an OpenAPI 3.1 document with every path of the API and the bearer scheme", async () => {
    const res = await api("/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const doc = await jsonBody(res);
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    for (const path of API_PATHS) expect(Object.keys(doc.paths), path).toContain(path);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.components.securitySchemes.personalAccessToken).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("documents the methods of each path, and which need the bearer token", async () => {
    const doc = await jsonBody(await api("/openapi.json"));
    const methods = (p: string) =>
      Object.keys(doc.paths[p])
        .filter((m) => ["get", "post", "put", "delete", "patch"].includes(m))
        .sort();
    expect(methods("/register")).toEqual(["post"]);
    expect(methods("/login")).toEqual(["post"]);
    expect(methods("/notes")).toEqual(["get", "post"]);
    expect(methods("/notes/{id}")).toEqual(["delete", "get"]);
    expect(methods("/notes/{id}/title")).toEqual(["put"]);
    expect(methods("/notes/{id}/description")).toEqual(["put"]);
    expect(methods("/notes/{id}/file")).toEqual(["delete", "put"]);
    expect(methods("/uploads")).toEqual(["post"]);
    expect(methods("/tokens")).toEqual(["get", "post"]);
    expect(methods("/tokens/{id}")).toEqual(["delete"]);
    for (const path of API_PATHS.filter((p) => p.startsWith("/notes") || p === "/uploads")) {
      // The login's bearer token, and (issue 13) a personal access token as the alternative.
      for (const m of methods(path)) {
        expect(doc.paths[path][m].security, `${m} ${path}`).toEqual([{ bearer: [] }, { personalAccessToken: [] }]);
      }
    }
    // Public: no security requirement (`security: []` says so explicitly, as Redocly's lint asks).
    expect(doc.paths["/register"].post.security ?? []).toEqual([]);
    expect(doc.paths["/login"].post.security ?? []).toEqual([]);
    // The login form is what OAuth2 clients send.
    expect(Object.keys(doc.paths["/login"].post.requestBody.content)).toContain("application/x-www-form-urlencoded");
    expect(Object.keys(doc.paths["/notes"].post.requestBody.content)).toEqual(
      expect.arrayContaining(["multipart/form-data", "application/json"]),
    );
  });
});

describe("GET /docs", () => {
  it("is an HTML page that loads the reference from /docs/scalar.js, served by the app", async () => {
    const res = await api("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/<script[^>]+src="\/docs\/scalar\.js"/);
    expect(html).toContain("/openapi.json");

    const js = await api("/docs/scalar.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/javascript/);
    expect((await js.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });
});

describe("health", () => {
  it("GET /healthz is 200 {status: ok}", async () => {
    const res = await api("/healthz");
    expect(res.status).toBe(200);
    expect(await jsonBody(res)).toEqual({ status: "ok" });
  });

  it("GET /readyz is 200 with database and storage ok", async () => {
    const res = await api("/readyz");
    expect(res.status).toBe(200);
    expect(await jsonBody(res)).toMatchObject({ checks: { database: "ok", storage: "ok" } });
  });

  it("unknown paths and methods are not a 5xx", async () => {
    expect((await api("/no-such-endpoint")).status).toBe(404);
    const res = await api("/notes", { method: "PATCH" });
    expect(res.status).toBe(405);
  });
});
