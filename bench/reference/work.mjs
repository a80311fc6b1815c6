/**
 * The work of each benchmarked API request, with nothing around it: verify the HS256 bearer JWT with jose, check
 * that the user exists (one query), run CloudNotes' SQL, presign file URLs the way lib/files/download.ts does,
 * build the same JSON. The floor (bench/floor.mjs, node:http) and the bare Next.js app (bench/bare-next, route
 * handlers) both call it, so that the two references differ only in the server around it.
 *
 * Plain JavaScript on purpose (no loader, no bundler settings). Configured by the app's environment variables
 * (DATABASE_URL, SECRET_KEY, BUCKET_NAME, S3_ENDPOINT, AWS_*, DATABASE_POOL_MAX, MAX_UPLOAD_BYTES).
 * Every function answers `{ status, body, headers? }`.
 */
import { randomUUID } from "node:crypto";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl, S3RequestPresigner } from "@aws-sdk/s3-request-presigner";
import { hash as argonHash, verify as argonVerify } from "@node-rs/argon2";
import { jwtVerify, SignJWT } from "jose";
import pg from "pg";

const COLUMNS = `id, title, description, file_key, file_name, file_size::float8 AS file_size, content_type, created_at,
  updated_at, tags, pinned, archived, deleted_at`;
const ARGON = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const INLINE = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "image/avif",
  "application/pdf",
  "text/plain",
]);
const esc = (v) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const answer = (status, body, headers) => ({ status, body, headers });

function disposition(kind, name) {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** `#tag` words, lower-case and distinct: a simpler lib/notes/tags.ts, for the create statement's tags. */
function hashtags(...texts) {
  const tags = new Set();
  for (const text of texts)
    for (const m of text.matchAll(/(?<![\p{L}\p{N}_&#/])#([\p{L}\p{N}_-]+)/gu)) tags.add(m[1].toLowerCase());
  return [...tags];
}

export function createWork(env = process.env) {
  const secret = new TextEncoder().encode(env.SECRET_KEY);
  const bucket = env.BUCKET_NAME;
  const MAX_UPLOAD = Number(env.MAX_UPLOAD_BYTES ?? 25 * 1024 * 1024);
  const s3 = new S3Client({
    region: env.AWS_REGION ?? "us-east-1",
    endpoint: env.S3_ENDPOINT,
    forcePathStyle: true,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  let dummyHash;
  // CloudNotes' own statements, as the bench passes them (BENCH_STATEMENTS, bench/reference/statements.ts).
  if (!env.BENCH_STATEMENTS) throw new Error("BENCH_STATEMENTS is not set (bench/support.ts sets it)");
  const app = JSON.parse(env.BENCH_STATEMENTS);
  const pool = new pg.Pool({
    connectionString: env.DATABASE_URL,
    max: Number(env.DATABASE_POOL_MAX ?? 10),
    options: app.sessionOptions,
  });
  const bound = (statement, vars) => ({
    name: statement.name,
    text: statement.text,
    values: statement.values.map((v) => {
      const name = v && typeof v === "object" ? Object.keys(v)[0] : undefined;
      return name ? vars[name] : v;
    }),
  });

  // SigV4 query signing with the SDK's S3RequestPresigner, the bucket's base URL learnt once from getSignedUrl.
  let signer;
  const presignerReady = () =>
    (signer ??= (async () => {
      const probe = new URL(
        await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: "probe" }), { expiresIn: 60 }),
      );
      const region = probe.searchParams.get("X-Amz-Credential").split("/")[2];
      const presigner = new S3RequestPresigner({ ...s3.config, signingName: "s3", region: async () => region });
      return { probe, region, prefix: probe.pathname.slice(0, -"/probe".length), presigner };
    })());

  async function presignGet(key, query) {
    const { probe, region, prefix, presigner } = await presignerReady();
    const signed = await presigner.presign(
      {
        method: "GET",
        protocol: probe.protocol,
        hostname: probe.hostname,
        port: probe.port ? Number(probe.port) : undefined,
        path: `${prefix}/${key.split("/").map(esc).join("/")}`,
        query: { ...query, "x-id": "GetObject" },
        headers: { host: probe.host },
      },
      { expiresIn: 900, signingRegion: region, signingService: "s3" },
    );
    const qs = Object.keys(signed.query)
      .sort()
      .map((k) => `${esc(k)}=${esc(signed.query[k])}`)
      .join("&");
    return `${probe.protocol}//${probe.host}${signed.path}?${qs}`;
  }

  async function apiNote(r) {
    let fileUrl = null;
    if (r.file_key && r.file_name && r.content_type) {
      const inline =
        INLINE.has(r.content_type) || r.content_type.startsWith("audio/") || r.content_type.startsWith("video/");
      fileUrl = await presignGet(r.file_key, {
        "response-content-disposition": disposition(inline ? "inline" : "attachment", r.file_name),
        "response-content-type": inline ? r.content_type : "application/octet-stream",
      });
    }
    return {
      id: r.id,
      title: r.title,
      description: r.description,
      file_url: fileUrl,
      file_name: r.file_name,
      file_size: r.file_size,
      content_type: r.content_type,
      created_at: r.created_at.toISOString(),
      updated_at: r.updated_at.toISOString(),
      tags: r.tags,
      pinned: r.pinned,
      archived: r.archived,
      deleted_at: r.deleted_at?.toISOString() ?? null,
    };
  }

  /** Bearer JWT (jose, HS256) + the user still exists: the same two steps as CloudNotes. Null: 401. */
  async function user(authorization) {
    const m = /^Bearer[ \t]+([A-Za-z0-9._~+/-]+=*)[ \t]*$/i.exec(authorization ?? "");
    if (!m) return null;
    try {
      const { payload } = await jwtVerify(m[1], secret, { algorithms: ["HS256"], requiredClaims: ["exp", "sub"] });
      if (payload.typ !== "access") return null;
      const { rows } = await pool.query({
        name: "user",
        text: "SELECT id, email, name FROM users WHERE id = $1",
        values: [payload.sub],
      });
      return rows[0] ?? null;
    } catch {
      return null;
    }
  }

  const unauthorized = () =>
    answer(401, { detail: "Could not validate credentials" }, { "www-authenticate": "Bearer" });

  async function listNotes(u, searchParams) {
    const limit = Math.min(Number(searchParams.get("limit") ?? 100), 1000);
    const q = searchParams.get("q")?.trim();
    if (q) return search(u, q);
    const cursor = searchParams.get("cursor");
    if (!cursor) {
      const { rows } = await pool.query(bound(app.list, { user: u.id, limitPlusOne: limit + 1 }));
      return page(rows, limit, searchParams);
    }
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    const { rows } = await pool.query({
      name: "list_c",
      text: `SELECT ${COLUMNS} FROM notes WHERE owner_id = $1 AND (created_at, id) < ($3, $4)
             ORDER BY created_at DESC, id DESC LIMIT $2`,
      values: [u.id, limit + 1, new Date(at), id],
    });
    return page(rows, limit, searchParams);
  }

  /** The benchmark's search as the app runs it: its statement, then the one with similar words when few match. */
  async function search(u, q) {
    const s = app.search;
    if (q !== s.q) return answer(422, { detail: `the reference searches for "${s.q}" only` });
    let { rows } = await pool.query(bound(s.statement, { user: u.id }));
    if (s.withTypos && !(Number(rows[0]?.total) >= s.typosBelow))
      ({ rows } = await pool.query(bound(s.withTypos, { user: u.id })));
    const notes = rows.filter((r) => r.fits).slice(0, s.limit);
    const total = rows.length > 0 ? Number(rows[0].total) : 0;
    return answer(200, await Promise.all(notes.map(apiNote)), { "x-total-count": String(Math.min(total, s.countCap)) });
  }

  async function page(rows, limit, searchParams) {
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const headers = {};
    if (more) {
      const last = page.at(-1);
      const next = new URLSearchParams(searchParams);
      next.set("cursor", Buffer.from(JSON.stringify([last.created_at.toISOString(), last.id])).toString("base64url"));
      headers.link = `</notes?${next}>; rel="next"`;
    }
    return answer(200, await Promise.all(page.map(apiNote)), headers);
  }

  async function createNote(u, body) {
    const title = String(body.title ?? "").trim();
    if (!title || title.length > 200) return answer(422, { detail: "title" });
    const description = String(body.description ?? "");
    const tags = hashtags(title, description);
    const { rows } = await pool.query(bound(app.createNote, { user: u.id, title, description, tags }));
    requestFold();
    return answer(200, await apiNote(rows[0]));
  }

  // As lib/notes/inbox.ts: new notes are folded into the tag and word indexes a moment later, in batches.
  let foldPending = false;
  function requestFold() {
    if (foldPending) return;
    foldPending = true;
    setTimeout(async () => {
      foldPending = false;
      const { name, text, values } = app.foldInbox;
      try {
        for (;;) {
          const { rows } = await pool.query({ name, text, values });
          if (rows[0].taken < values[0]) break;
        }
      } catch (error) {
        console.error("fold failed:", error);
      }
    }, app.foldInbox.delayMs).unref();
  }

  async function updateTitle(u, id, body) {
    const title = String(body.title ?? "").trim();
    if (!title || title.length > 200) return answer(422, { detail: "title" });
    const { rows } = await pool.query(bound(app.updateTitle, { id, user: u.id, title }));
    if (!rows[0]) return answer(404, { detail: "Note not found" });
    return answer(200, await apiNote(rows[0]));
  }

  /** POST /uploads with the app's bookkeeping statements and policy: the key, type and exact size pinned. */
  async function presignUpload(u, body) {
    const { filename, content_type: type, size } = body;
    if (typeof filename !== "string" || typeof type !== "string" || !Number.isInteger(size) || size > MAX_UPLOAD) {
      return answer(422, { detail: "invalid" });
    }
    const { rows } = await pool.query({ ...app.countPendingUploads, values: [u.id] });
    if (rows[0].n >= 100) return answer(429, { detail: "Too many requests" }, { "retry-after": "60" });
    const safe = filename.replace(/[^\w.-]+/g, "_").slice(-100) || "file";
    const key = `users/${u.id}/uploads/${randomUUID()}/${safe}`;
    const post = await createPresignedPost(s3, {
      Bucket: bucket,
      Key: key,
      Conditions: [
        ["content-length-range", size, size],
        ["eq", "$Content-Type", type],
      ],
      Fields: { "Content-Type": type },
      Expires: 300,
    });
    const expiresAt = new Date(JSON.parse(Buffer.from(post.fields.Policy, "base64").toString("utf8")).expiration);
    await pool.query({ ...app.insertUpload, values: [key, u.id, filename, type, size, expiresAt, 300] });
    return answer(200, {
      url: post.url,
      fields: post.fields,
      key,
      expires_at: expiresAt.toISOString(),
      max_bytes: MAX_UPLOAD,
    });
  }

  /** Login as CloudNotes does it: both rate-limit counters read, user by email, argon2id verify, counter reset, JWT. */
  async function login(body, ip) {
    const email = String(body.username ?? body.email ?? "")
      .trim()
      .toLowerCase();
    const password = String(body.password ?? "");
    const now = Date.now();
    const limits = await Promise.all(
      [`login_account:${email}`, `login_ip:${ip}`].map((k) =>
        pool.query({
          name: "rl_get",
          text: "SELECT points, expire FROM rate_limits WHERE key = $1 AND (expire > $2 OR expire IS NULL)",
          values: [k, now],
        }),
      ),
    );
    if (limits[0].rows[0]?.points >= 10 || limits[1].rows[0]?.points >= 100)
      return answer(429, { detail: "Too many requests" });
    const { rows } = await pool.query({
      name: "by_email",
      text: "SELECT id, email, name, password_hash FROM users WHERE email = $1",
      values: [email],
    });
    const u = rows[0];
    dummyHash ??= argonHash("reference-timing-equaliser", ARGON);
    const ok = u?.password_hash
      ? await argonVerify(u.password_hash, password)
      : (await argonVerify(await dummyHash, password), false);
    if (!ok) return answer(401, { detail: "Invalid email or password" }, { "www-authenticate": "Bearer" });
    await pool.query({
      name: "rl_del",
      text: "DELETE FROM rate_limits WHERE key = $1",
      values: [`login_account:${email}`],
    });
    const token = await new SignJWT({ typ: "access" })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(u.id)
      .setIssuedAt()
      .setExpirationTime("1800s")
      .sign(secret);
    return answer(200, { access_token: token, token_type: "bearer", expires_in: 1800 });
  }

  /** Parses a request body as the app does: JSON, or a urlencoded form. */
  function fields(contentType, raw) {
    return (contentType ?? "").startsWith("application/json")
      ? JSON.parse(raw)
      : Object.fromEntries(new URLSearchParams(raw));
  }

  return {
    pool,
    ready: presignerReady,
    user,
    unauthorized,
    listNotes,
    createNote,
    updateTitle,
    presignUpload,
    login,
    fields,
    end: () => pool.end(),
  };
}
