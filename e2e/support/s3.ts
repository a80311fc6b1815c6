import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ListObjectsV2Command, ListMultipartUploadsCommand, S3Client } from "@aws-sdk/client-s3";
import { ensureBucket, type S3Target } from "../../scripts/lib/bucket";
import { freePort } from "./ports";

/**
 * A real S3 server for tests: Ceph's RADOS Gateway, started by scripts/rgw.sh as a one-node cluster, or the
 * S3 endpoint given in the environment (TEST_S3_ENDPOINT + keys: AWS, MinIO...).
 */
export interface TestS3 {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
  /** Stops the gateway only (the cluster keeps its data) to simulate an S3 outage. Ceph RGW only. */
  pause?(): Promise<void>;
  resume?(): Promise<void>;
  /** Freezes the gateway (SIGSTOP): connections are accepted, nothing answers (a hung S3). Ceph RGW only. */
  freeze?(): Promise<void>;
  thaw?(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, "../..");

function run(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [path.join(root, "scripts", "rgw.sh"), ...args], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`rgw.sh ${args[0]} failed (${code}):\n${err}\n${out}`)),
    );
  });
}

export async function startRgw(): Promise<TestS3> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cloudnotes-rgw-"));
  // Ports outside the range the OSD binds (6800-7300).
  let port = await freePort();
  while (port >= 6800 && port <= 7300) port = await freePort();
  const accessKeyId = "cloudnotes-test-access";
  const secretAccessKey = "cloudnotes-test-secret-key-0123456789";
  await run(["start", dir, String(port)], {
    ...process.env,
    RGW_ACCESS_KEY: accessKeyId,
    RGW_SECRET_KEY: secretAccessKey,
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    region: "us-east-1",
    accessKeyId,
    secretAccessKey,
    stop: async () => void (await run(["stop", dir])),
    pause: async () => void (await run(["pause", dir])),
    resume: async () => void (await run(["resume", dir])),
    freeze: async () => void (await run(["freeze", dir])),
    thaw: async () => void (await run(["thaw", dir])),
  };
}

export function s3FromEnv(): TestS3 | null {
  const endpoint = process.env.TEST_S3_ENDPOINT;
  if (!endpoint) return null;
  return {
    endpoint,
    region: process.env.TEST_S3_REGION ?? "us-east-1",
    accessKeyId: process.env.TEST_S3_ACCESS_KEY_ID ?? "",
    secretAccessKey: process.env.TEST_S3_SECRET_ACCESS_KEY ?? "",
    stop: async () => {},
  };
}

export function s3Client(s3: Pick<TestS3, "endpoint" | "region" | "accessKeyId" | "secretAccessKey">): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

export async function createBucket(
  s3: TestS3,
  bucket: string,
  origins: string[] = ["http://localhost"],
): Promise<void> {
  const target: S3Target = { ...s3, bucket };
  await ensureBucket(target, origins);
}

/** Every object key under a prefix (to prove that nothing was left behind). */
export async function listKeys(client: S3Client, bucket: string, prefix = ""): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

export async function listOpenMultipartUploads(client: S3Client, bucket: string, prefix = ""): Promise<string[]> {
  const page = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }));
  return (page.Uploads ?? []).map((u) => u.Key!);
}
