import { afterAll, describe, expect, it } from "vitest";
import { api, jsonBody, login, PASSWORD, postJson, register, uniqueEmail } from "../support/api";
import { browserSession, closeDb, expect422, expectDetail, fakeIp, seesNotes, sql } from "./helpers";

afterAll(closeDb);

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

  it("takes passwords of 8 to 128 characters, no fewer and no more", async () => {
    await expect422(
      await postJson("/register", { email: uniqueEmail(), password: "x".repeat(7) }),
      ["body", "password"],
      "string_too_short",
    );
    await expect422(
      await postJson("/register", { email: uniqueEmail(), password: "x".repeat(129) }),
      ["body", "password"],
      "string_too_long",
    );
    expect((await postJson("/register", { email: uniqueEmail(), password: "x".repeat(8) })).status).toBe(200);
    expect((await postJson("/register", { email: uniqueEmail(), password: "x".repeat(128) })).status).toBe(200);
  });

  it("answers 422 for missing fields", async () => {
    const detail = await expect422(await postJson("/register", {}), ["body", "email"], "missing");
    expect(detail).toContainEqual(expect.objectContaining({ loc: ["body", "password"], type: "missing" }));
  });

  it("stores an argon2id hash, never the password", async () => {
    const password = `clear-text-${Date.now()}`;
    const { email } = await register(uniqueEmail("hash"), password);
    const { rows } = await sql("SELECT * FROM users WHERE email = $1", [email]);
    expect(rows).toHaveLength(1);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
    // Not in the hash, nor in any other column.
    expect(JSON.stringify(rows[0])).not.toContain(password);
  });
});

describe("POST /login", () => {
  it("accepts the OAuth2 password form and JSON, and returns a bearer token", async () => {
    const { email } = await register();
    const form = await login(email);
    expect(form.status).toBe(200);
    const token = await jsonBody(form);
    expect(token).toEqual({ token_type: "bearer", access_token: expect.any(String), expires_in: 1800 });

    const json = await postJson("/login", { email, password: PASSWORD });
    expect(json.status).toBe(200);
    const notes = await api("/notes", { token: (await jsonBody(json)).access_token });
    expect(notes.status).toBe(200);

    const byUsername = await postJson("/login", { username: email, password: PASSWORD });
    expect(byUsername.status).toBe(200);
    const fromJson = await jsonBody(byUsername);
    expect(fromJson).toEqual({ token_type: "bearer", access_token: expect.any(String), expires_in: 1800 });
    expect((await api("/notes", { token: fromJson.access_token })).status).toBe(200);
  });

  it("finds the account whatever the case and spacing of the email", async () => {
    const { email } = await register();
    const res = await login(`  ${email.toUpperCase()}  `);
    expect(res.status).toBe(200);
    expect((await jsonBody(res)).token_type).toBe("bearer");
  });

  it("gives the same 401 for a wrong password and an unknown email", async () => {
    const { email } = await register();
    const ip = fakeIp();
    const wrong = await login(email, "wrong password!", { "x-forwarded-for": ip });
    const unknown = await login(uniqueEmail("nobody"), PASSWORD, { "x-forwarded-for": ip });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await jsonBody(wrong)).toEqual({ detail: "Invalid email or password" });
    expect(await jsonBody(unknown)).toEqual({ detail: "Invalid email or password" });
  });

  it("answers 422 when the form lacks a field", async () => {
    const res = await api("/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: uniqueEmail() }).toString(),
    });
    await expect422(res, ["body", "password"], "missing");
  });
});

describe("login rate limits", () => {
  it("locks an address out of an account after 5 failures (429 with Retry-After), not the owner at another address", async () => {
    const { email } = await register(uniqueEmail("locked"));
    const stranger = fakeIp();
    for (let i = 1; i <= 5; i++) {
      const res = await login(email, `wrong password ${i}`, { "x-forwarded-for": stranger });
      await expectDetail(res, 401, "Invalid email or password");
    }
    const sixth = await login(email, "wrong password 6", { "x-forwarded-for": stranger });
    await expectDetail(sixth, 429);
    const retryAfter = Number(sixth.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter) && retryAfter > 0, `Retry-After: ${sixth.headers.get("retry-after")}`).toBe(
      true,
    );

    // Locked means locked for that address: not even the right password gets in from it until the window passes.
    const right = await login(email, PASSWORD, { "x-forwarded-for": stranger });
    expect(right.status).toBe(429);
    expect(right.headers.get("retry-after")).toMatch(/^\d+$/);

    // The owner, at their own address, is not locked out by the stranger (in the browser neither).
    const owner = fakeIp();
    expect((await login(email, PASSWORD, { "x-forwarded-for": owner })).status).toBe(200);
    expect((await login(email, "a typo", { "x-forwarded-for": owner })).status).toBe(401);
  });

  it("a success clears the address's failures", async () => {
    const { email } = await register(uniqueEmail("reset"));
    const ip = fakeIp();
    for (let i = 0; i < 4; i++)
      expect((await login(email, "wrong password", { "x-forwarded-for": ip })).status).toBe(401);
    expect((await login(email, PASSWORD, { "x-forwarded-for": ip })).status).toBe(200);
    for (let i = 0; i < 5; i++)
      expect((await login(email, "wrong password", { "x-forwarded-for": ip })).status).toBe(401);
    expect((await login(email, "wrong password", { "x-forwarded-for": ip })).status).toBe(429);
  });

  it("guessing spread over many addresses meets the account's ceiling (12), which spares an address that signed in before", async () => {
    const { email } = await register(uniqueEmail("spread"));
    const home = fakeIp();
    expect((await login(email, PASSWORD, { "x-forwarded-for": home })).status).toBe(200);
    for (let i = 0; i < 12; i++) {
      expect((await login(email, `guess ${i}`, { "x-forwarded-for": fakeIp() })).status, `guess ${i + 1}`).toBe(401);
    }
    // A new address now gets 429 even with the right password; the owner's known address still signs in.
    await expectDetail(await login(email, "guess again", { "x-forwarded-for": fakeIp() }), 429);
    expect((await login(email, PASSWORD, { "x-forwarded-for": fakeIp() })).status).toBe(429);
    expect((await login(email, PASSWORD, { "x-forwarded-for": home })).status).toBe(200);
  });

  it("the browser sign-in shares the per-address lock-out, and spares the owner's address too", async () => {
    const { email } = await register(uniqueEmail("browser-locked"));
    const stranger = fakeIp();
    for (let i = 0; i < 5; i++)
      expect((await login(email, `wrong ${i}`, { "x-forwarded-for": stranger })).status).toBe(401);
    expect((await login(email, PASSWORD, { "x-forwarded-for": stranger })).status).toBe(429);
    // The browser sign-in of every test comes from loopback, another address: it works.
    expect(await seesNotes(await browserSession(email))).toBe(true);
  });

  it("blocks an address after 20 failures on distinct accounts, while another address still gets 401", async () => {
    const ip = fakeIp();
    for (let i = 0; i < 20; i++) {
      const res = await login(uniqueEmail(`ip${i}`), "wrong password", { "x-forwarded-for": ip });
      expect(res.status, `attempt ${i + 1}`).toBe(401);
    }
    const fresh = uniqueEmail("fresh");
    const blocked = await login(fresh, "wrong password", { "x-forwarded-for": ip });
    await expectDetail(blocked, 429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);

    const elsewhere = await login(fresh, "wrong password", { "x-forwarded-for": fakeIp() });
    await expectDetail(elsewhere, 401, "Invalid email or password");
  });
});
