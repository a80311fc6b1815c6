import "server-only";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { pool } from "@/lib/db/pool";
import { bucket, s3 } from "@/lib/files/s3";
import { isDraining } from "@/lib/ops/lifecycle";

export type CheckResult = "ok" | string;

export interface Readiness {
  ready: boolean;
  checks: { database: CheckResult; storage: CheckResult };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref()),
  ]);
}

async function check(run: () => Promise<unknown>): Promise<CheckResult> {
  try {
    await withTimeout(run(), 2000);
    return "ok";
  } catch (error) {
    return `unavailable: ${(error as Error).name}`;
  }
}

export async function readiness(): Promise<Readiness> {
  const [database, storage] = await Promise.all([
    check(() => pool().query("SELECT 1")),
    check(() => s3().send(new HeadBucketCommand({ Bucket: bucket() }))),
  ]);
  return { ready: !isDraining() && database === "ok" && storage === "ok", checks: { database, storage } };
}
