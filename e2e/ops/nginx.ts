import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import https from "node:https";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { waitFor } from "../support/ports";

/**
 * Debian's NGINX running system/nginx.conf itself for the operations test. The file is not copied into a test
 * version: only what must differ on a test machine is substituted (listen addresses, the upstream servers,
 * certificate, ACME and log paths), and every substitution must match, so a change to the production file
 * cannot silently leave the test running something else.
 */
const run = promisify(execFile);
export const NGINX_CONF = path.resolve(import.meta.dirname, "../../system/nginx.conf");
const INSTALLED_NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => existsSync(p));
export const NGINX_BIN = INSTALLED_NGINX ?? "nginx";
export const nginxInstalled = INSTALLED_NGINX !== undefined;

export interface NginxSite {
  httpPort: number;
  httpsPort: number;
  upstreams: number[];
  cert: string;
  key: string;
  acmeRoot: string;
  logDir: string;
}

function substitute(text: string, pattern: RegExp, replacement: string, times: number, what: string): string {
  const found =
    text.match(new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : pattern.flags + "g"))?.length ??
    0;
  if (found !== times) throw new Error(`system/nginx.conf: expected ${times} × ${what} (${pattern}), found ${found}`);
  return text.replace(
    new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : pattern.flags + "g"),
    replacement,
  );
}

/** system/nginx.conf with this machine's ports and paths. */
export function renderSite(source: string, s: NginxSite): string {
  let conf = source;
  conf = substitute(conf, /listen 80;\n\s*listen \[::\]:80;/, `listen 127.0.0.1:${s.httpPort};`, 1, "HTTP listen pair");
  conf = substitute(
    conf,
    /listen 443 ssl http2;\n\s*listen \[::\]:443 ssl http2;/,
    `listen 127.0.0.1:${s.httpsPort} ssl http2;`,
    1,
    "HTTPS listen pair",
  );
  conf = substitute(
    conf,
    /( *)server 127\.0\.0\.1:3001 ([^;\n]*);\n\s*server 127\.0\.0\.1:3002 [^;\n]*;/,
    s.upstreams.map((port) => `$1server 127.0.0.1:${port} $2;`).join("\n"),
    1,
    "upstream servers",
  );
  conf = substitute(
    conf,
    /\/etc\/letsencrypt\/live\/notes\.example\.com\/fullchain\.pem/,
    s.cert,
    1,
    "certificate path",
  );
  conf = substitute(conf, /\/etc\/letsencrypt\/live\/notes\.example\.com\/privkey\.pem/, s.key, 1, "key path");
  conf = substitute(conf, /\/var\/www\/letsencrypt;/, `${s.acmeRoot};`, 1, "ACME webroot");
  conf = substitute(conf, /\/var\/log\/nginx\//, `${s.logDir}/`, 2, "log paths");
  return conf;
}

/** A self-signed certificate for 127.0.0.1 (EC P-256, as certbot issues by default). */
export async function selfSignedCert(dir: string): Promise<{ cert: string; key: string; pem: string }> {
  const cert = path.join(dir, "cert.pem");
  const key = path.join(dir, "key.pem");
  await run("openssl", [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=127.0.0.1",
    "-addext",
    "subjectAltName=IP:127.0.0.1",
    "-keyout",
    key,
    "-out",
    cert,
  ]);
  return { cert, key, pem: await readFile(cert, "utf8") };
}

export interface RunningNginx {
  process: ChildProcess;
  output: string[];
  accessLog: string;
  stop(): Promise<void>;
}

/**
 * Runs NGINX in the foreground with the rendered site inside a minimal main configuration. One worker unless
 * told otherwise (the benchmark's deployment uses "auto", Debian's default: one per core).
 */
export async function startNginx(
  dir: string,
  site: NginxSite,
  options: { workerProcesses?: number | "auto" } = {},
): Promise<RunningNginx> {
  for (const d of ["tmp", site.logDir, site.acmeRoot]) await mkdir(path.resolve(dir, d), { recursive: true });
  // The workers run as an unprivileged user: they must reach the temp and log directories.
  for (const d of [dir, path.join(dir, "tmp"), site.logDir]) await chmod(d, 0o777);
  await writeFile(path.join(dir, "cloudnotes.conf"), renderSite(await readFile(NGINX_CONF, "utf8"), site));
  const temp = (name: string) => `${name}_temp_path ${path.join(dir, "tmp", name)};`;
  await writeFile(
    path.join(dir, "nginx.conf"),
    [
      "daemon off;",
      `worker_processes ${options.workerProcesses ?? 1};`,
      `pid ${path.join(dir, "nginx.pid")};`,
      "error_log stderr warn;",
      "events { worker_connections 1024; }",
      "http {",
      "  include /etc/nginx/mime.types;",
      "  default_type application/octet-stream;",
      "  sendfile on;",
      `  ${temp("client_body")} ${temp("proxy")} ${temp("fastcgi")} ${temp("uwsgi")} ${temp("scgi")}`,
      `  include ${path.join(dir, "cloudnotes.conf")};`,
      "}",
      "",
    ].join("\n"),
  );
  const args = ["-e", "stderr", "-p", dir, "-c", path.join(dir, "nginx.conf")];
  await run(NGINX_BIN, [...args, "-t", "-q"]).catch((error: { stderr?: string }) => {
    throw new Error(`nginx -t failed:\n${error.stderr}`);
  });
  const child = spawn(NGINX_BIN, args, { stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  child.stdout!.on("data", (d) => output.push(String(d)));
  child.stderr!.on("data", (d) => output.push(String(d)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await waitFor(
    () =>
      new Promise((resolve) => {
        const socket = net.connect(site.httpsPort, "127.0.0.1", () => {
          socket.destroy();
          resolve(true);
        });
        socket.on("error", () => resolve(false));
      }),
    15_000,
    `nginx on ${site.httpsPort}: ${output.join("")}`,
  );
  return {
    process: child,
    output,
    accessLog: path.join(site.logDir, "cloudnotes.access.log"),
    async stop() {
      if (child.exitCode === null) child.kill("SIGQUIT"); // graceful: finish requests, then exit
      await exited;
    },
  };
}

export interface HttpsResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- callers assert on the parsed JSON's shape
  json<T = any>(): T;
}

export interface HttpsRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Source address (127.0.0.2... are loopback too): a separate client for NGINX's per-address limits. */
  localAddress?: string;
  agent?: https.Agent;
  ca: string;
}

/**
 * A request over HTTPS that verifies NGINX's certificate against the test CA, with full control of headers
 * and source address (fetch has neither without extra packages).
 */
export function httpsRequest(url: string, r: HttpsRequest): Promise<HttpsResult> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: r.method ?? "GET",
        headers: r.headers,
        ca: r.ca,
        localAddress: r.localAddress,
        agent: r.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text: body.toString("utf8"),
            json() {
              return JSON.parse(body.toString("utf8"));
            },
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(r.body);
  });
}
