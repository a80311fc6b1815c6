import { describe, expect, it } from "vitest";
import { api, jsonBody, login, PASSWORD, postJson, register, uniqueEmail } from "../support/api";

describe("POST /register", () => {
  it("creates a user and refuses the same email again, whatever its case", async () => {
    const email = uniqueEmail();
    const first = await postJson("/register", { email, password: PASSWORD });
    expect(first.status).toBe(200);
    expect(await jsonBody(first)).toMatchObject({ message: expect.any(String) });

    const again = await postJson("/register", { email: `  ${email.toUpperCase()} `, password: PASSWORD });
    expect(again.status).toBe(400);
    expect(await jsonBody(again)).toEqual({ detail: "Email already registered" });
  });

  it("answers 422 in FastAPI's shape for a bad email and a weak password", async () => {
    const res = await postJson("/register", { email: "not-an-email", password: "short" });
    expect(res.status).toBe(422);
    const body = await jsonBody(res);
    expect(body.detail).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ loc: ["body", "email"], type: expect.any(String), msg: expect.any(String) }),
        expect.objectContaining({ loc: ["body", "password"], type: "string_too_short" }),
      ]),
    );
  });
});

describe("POST /login", () => {
  it("accepts the OAuth2 password form and JSON, and returns a bearer token", async () => {
    const { email } = await register();
    const form = await login(email);
    expect(form.status).toBe(200);
    const token = await jsonBody(form);
    expect(token).toMatchObject({ token_type: "bearer", access_token: expect.any(String), expires_in: 1800 });

    const json = await postJson("/login", { email, password: PASSWORD });
    expect(json.status).toBe(200);
    const notes = await api("/notes", { token: (await jsonBody(json)).access_token });
    expect(notes.status).toBe(200);
  });

  it("gives the same 401 for a wrong password and an unknown email", async () => {
    const { email } = await register();
    const wrong = await login(email, "wrong password!", { "x-forwarded-for": "203.0.113.10" });
    const unknown = await login(uniqueEmail("nobody"), PASSWORD, { "x-forwarded-for": "203.0.113.10" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await jsonBody(wrong)).toEqual({ detail: "Invalid email or password" });
    expect(await jsonBody(unknown)).toEqual({ detail: "Invalid email or password" });
  });
});
