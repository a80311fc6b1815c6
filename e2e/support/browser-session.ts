/**
 * A browser session made as the sign-in form and the sign-out button make it, with plain fetch: Auth.js's CSRF
 * round trip, then its credentials callback or its sign-out endpoint.
 */

async function csrf(baseUrl: string, cookie = ""): Promise<{ csrfToken: string; jar: string }> {
  const res = await fetch(`${baseUrl}/api/auth/csrf`, { headers: cookie ? { cookie } : {} });
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const jar = [cookie, ...res.headers.getSetCookie().map((c) => c.split(";")[0])].filter(Boolean).join("; ");
  return { csrfToken, jar };
}

/** Signs in; returns the session cookie ("authjs.session-token=..."), or throws if sign-in was refused. */
export async function signInCookie(baseUrl: string, email: string, password: string): Promise<string> {
  const { csrfToken, jar } = await csrf(baseUrl);
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
    body: new URLSearchParams({ email, password, csrfToken }).toString(),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith("authjs.session-token="));
  if (!session) throw new Error(`sign-in failed: ${res.status} ${res.headers.get("location")}`);
  return session.split(";")[0]!;
}

/** Signs out (POST /api/auth/signout, as the browser does); returns the response. */
export async function signOutCookie(baseUrl: string, cookie: string): Promise<Response> {
  const { csrfToken, jar } = await csrf(baseUrl, cookie);
  return fetch(`${baseUrl}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
    body: new URLSearchParams({ csrfToken }).toString(),
  });
}
