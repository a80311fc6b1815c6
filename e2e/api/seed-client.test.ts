import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { apiUrl, uniqueEmail } from "../support/api";
import { closeDb, expectNote, fileKeyOf, keysOf, poll, sha256, userIdOf } from "./helpers";

afterAll(closeDb);

/**
 * A client written for the original FastAPI CloudNotes (seed README: register, login, create a note with a
 * file, list, rename, replace the file, delete), sending byte for byte what python `requests` sends:
 * - json=...  → `json.dumps` text (", " and ": " separators), Content-Type: application/json
 * - data=...  → urlencoded with quote_plus (space → "+", "@" → "%40")
 * - files=... → urllib3's multipart: a 32-hex-digit boundary, the data fields first, then the files; a file
 *               given as a tuple with a type gets a Content-Type line, a bare file object gets none.
 */

const REQUESTS_HEADERS = { "user-agent": "python-requests/2.32.3", accept: "*/*", "accept-encoding": "gzip, deflate" };

function jsonDumps(value: Record<string, string>): string {
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(", ")}}`;
}

function quotePlus(s: string): string {
  // Python's quote_plus keeps letters, digits and _.-~ ; everything else is %XX, spaces are "+".
  return Array.from(new TextEncoder().encode(s))
    .map((b) => {
      const c = String.fromCharCode(b);
      if (/[A-Za-z0-9_.\-~]/.test(c)) return c;
      if (c === " ") return "+";
      return `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");
}

function urlencoded(data: Record<string, string>): string {
  return Object.entries(data)
    .map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`)
    .join("&");
}

interface PyFile {
  filename: string;
  content: Uint8Array;
  /** Set for files=("name", f, "type"); undefined for files={"file": open(...)}. */
  type?: string;
}

function encodeMultipartFormdata(
  data: Record<string, string>,
  files: Record<string, PyFile>,
): { body: Buffer; contentType: string } {
  const boundary = randomBytes(16).toString("hex");
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(data)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const [name, f] of Object.entries(files)) {
    const type = f.type ? `Content-Type: ${f.type}\r\n` : "";
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${f.filename}"\r\n${type}\r\n`,
      ),
    );
    parts.push(Buffer.from(f.content), Buffer.from("\r\n"));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** requests.request(method, url, headers=..., json=/data=/files=) */
async function requests(
  method: string,
  path: string,
  options: {
    headers?: Record<string, string>;
    json?: Record<string, string>;
    data?: Record<string, string>;
    files?: Record<string, PyFile>;
  } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...REQUESTS_HEADERS, ...options.headers };
  let body: BodyInit | undefined;
  if (options.files) {
    const encoded = encodeMultipartFormdata(options.data ?? {}, options.files);
    body = new Uint8Array(encoded.body);
    headers["content-type"] = encoded.contentType;
  } else if (options.data) {
    body = urlencoded(options.data);
    headers["content-type"] = "application/x-www-form-urlencoded";
  } else if (options.json) {
    body = jsonDumps(options.json);
    headers["content-type"] = "application/json";
  } else if (method !== "GET") {
    headers["content-length"] = "0";
  }
  return fetch(`${apiUrl()}${path}`, { method, headers, body, signal: AbortSignal.timeout(30_000) });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests assert on the parsed JSON's shape
async function ok(res: Response): Promise<any> {
  const text = await res.text();
  expect(res.status, `${res.status} ${text.slice(0, 300)}`).toBe(200);
  return JSON.parse(text);
}

describe("a client written for the original FastAPI service", () => {
  it("register, login, create with a file, list, rename, replace the file, delete", async () => {
    const email = uniqueEmail("seed");
    const password = "s3cret pass+word&more";

    // r = requests.post(f"{BASE}/register", json={"email": email, "password": password})
    const registered = await ok(await requests("POST", "/register", { json: { email, password } }));
    expect(registered.message).toEqual(expect.any(String));

    // r = requests.post(f"{BASE}/login", data={"username": email, "password": password}); token = r.json()["access_token"]
    const tokenBody = await ok(await requests("POST", "/login", { data: { username: email, password } }));
    expect(tokenBody.token_type).toBe("bearer");
    const auth = { authorization: `Bearer ${tokenBody.access_token}` };

    // requests.post(f"{BASE}/notes", headers=auth, data={"title": ..., "description": ...},
    //               files={"file": ("photo.png", open("photo.png", "rb"), "image/png")})
    const photo = new Uint8Array(
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(3000)]),
    );
    const created = expectNote(
      await ok(
        await requests("POST", "/notes", {
          headers: auth,
          data: { title: "Trip photos", description: "Day 1 at the lake" },
          files: { file: { filename: "photo.png", content: photo, type: "image/png" } },
        }),
      ),
    );
    expect(created).toMatchObject({
      title: "Trip photos",
      description: "Day 1 at the lake",
      file_name: "photo.png",
      file_size: photo.byteLength,
      content_type: "image/png",
    });
    const photoBytes = new Uint8Array(await (await fetch(created.file_url!)).arrayBuffer());
    expect(sha256(photoBytes)).toBe(sha256(photo));
    const photoKey = (await fileKeyOf(created.id))!;

    // A note without a file, as a form (data= only).
    const plain = expectNote(
      await ok(
        await requests("POST", "/notes", { headers: auth, data: { title: "Shopping", description: "bread & butter" } }),
      ),
    );
    expect(plain).toMatchObject({ title: "Shopping", description: "bread & butter", file_url: null });

    // notes = requests.get(f"{BASE}/notes", headers=auth).json()
    const notes = (await ok(await requests("GET", "/notes", { headers: auth }))) as unknown[];
    expect(notes.map((n) => expectNote(n).id)).toEqual([plain.id, created.id]);

    // requests.put(f"{BASE}/notes/{id}/title", headers=auth, data={"title": "Lake trip"})
    const renamed = expectNote(
      await ok(
        await requests("PUT", `/notes/${created.id}/title`, { headers: auth, data: { title: "Lake trip – day 1" } }),
      ),
    );
    expect(renamed).toMatchObject({
      id: created.id,
      title: "Lake trip – day 1",
      description: "Day 1 at the lake",
      file_name: "photo.png",
    });

    // requests.put(f"{BASE}/notes/{id}/file", headers=auth, files={"file": open("itinerary.txt", "rb")})
    // (a bare file object: the part has a filename and no Content-Type)
    const itinerary = new TextEncoder().encode("08:00 leave\n10:30 arrive at the lake\n");
    const replaced = expectNote(
      await ok(
        await requests("PUT", `/notes/${created.id}/file`, {
          headers: auth,
          files: { file: { filename: "itinerary.txt", content: itinerary } },
        }),
      ),
    );
    expect(replaced).toMatchObject({
      id: created.id,
      title: "Lake trip – day 1",
      file_name: "itinerary.txt",
      file_size: itinerary.byteLength,
    });
    expect(replaced.content_type).toMatch(/^text\/plain/);
    expect(new Uint8Array(await (await fetch(replaced.file_url!)).arrayBuffer())).toEqual(itinerary);
    const userId = await userIdOf(email);
    // The replaced photo stays while the note's history names it (issue 13: restorable from a revision).
    expect(await keysOf(userId)).toContain(photoKey);

    // requests.delete(f"{BASE}/notes/{id}", headers=auth)
    const itineraryKey = (await fileKeyOf(created.id))!;
    const deleted = await ok(await requests("DELETE", `/notes/${created.id}`, { headers: auth }));
    expect(deleted).toEqual({ message: expect.any(String) });
    const after = (await ok(await requests("GET", "/notes", { headers: auth }))) as { id: number }[];
    expect(after.map((n) => n.id)).toEqual([plain.id]);
    const missing = await requests("GET", `/notes/${created.id}`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: "Note not found" });
    // The note's file goes at once; the photo only its (trashed) history names goes when the trash is purged.
    await poll(
      () => keysOf(userId),
      (keys) => !keys.includes(itineraryKey),
      "the deleted note's file to be removed",
    );
    expect(await keysOf(userId)).toEqual([photoKey]);
    expect(itineraryKey).not.toBe(photoKey);
  });

  it("error answers are what the original's clients parse: {detail: str} and 422 lists", async () => {
    // Wrong password → 401 {"detail": "..."}; no token → 401 Not authenticated; bad form → 422 [{loc, msg, type}]
    const email = uniqueEmail("seed-err");
    await ok(await requests("POST", "/register", { json: { email, password: "long enough" } }));
    const wrong = await requests("POST", "/login", {
      data: { username: email, password: "nope nope" },
      headers: { "x-forwarded-for": `10.99.${randomBytes(1)[0]}.${randomBytes(1)[0]}` },
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ detail: "Invalid email or password" });
    const anonymous = await requests("GET", "/notes");
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ detail: "Not authenticated" });
    const token = (await ok(await requests("POST", "/login", { data: { username: email, password: "long enough" } })))
      .access_token;
    const invalid = await requests("POST", "/notes", {
      headers: { authorization: `Bearer ${token}` },
      data: { description: "no title" },
    });
    expect(invalid.status).toBe(422);
    expect((await invalid.json()).detail).toEqual([
      { loc: ["body", "title"], msg: expect.any(String), type: "missing" },
    ]);
  });
});
