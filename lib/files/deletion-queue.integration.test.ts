import { randomBytes, randomUUID } from "node:crypto";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { setUpLibServices } from "../../e2e/support/lib-services";
import { listKeys } from "../../e2e/support/s3";
import { resetConfigForTests } from "@/lib/config";
import { drainDeletionBatch, drainDeletionQueue, pendingDeletions } from "@/lib/files/deletion-queue";
import { runMaintenanceNow } from "@/lib/files/maintenance";

/**
 * The S3 deletion queue (lib/files/deletion-queue.ts) and the maintenance that drains it (maintenance.ts), against real
 * PostgreSQL and Ceph RGW: a queued object is deleted once, by one instance, and survives S3 outages as a row.
 */

const services = await setUpLibServices();

/** Objects in the bucket, each with a queued deletion, as a change that orphans them leaves them. */
async function queuedObjects(n: number): Promise<string[]> {
  const prefix = `users/${randomBytes(4).toString("hex")}/`;
  const keys = Array.from({ length: n }, () => `${prefix}${randomUUID()}`);
  for (const key of keys) {
    await services.s3.send(new PutObjectCommand({ Bucket: services.bucket, Key: key, Body: "x" }));
  }
  await services.sql.query("INSERT INTO file_deletions (key) SELECT unnest($1::text[])", [keys]);
  return keys;
}

const prefixOf = (key: string) => key.slice(0, key.lastIndexOf("/") + 1);

/** Runs `fn` while the app's bucket is one S3 does not have, so that every deletion fails. */
async function withS3Failing<T>(fn: () => Promise<T>): Promise<T> {
  process.env.BUCKET_NAME = "cloudnotes-no-such-bucket";
  resetConfigForTests();
  try {
    return await fn();
  } finally {
    process.env.BUCKET_NAME = services.bucket;
    resetConfigForTests();
  }
}

describe("deletion queue", () => {
  it("deletes the queued objects and forgets them; nothing else in the bucket is touched", async () => {
    const bystanders = await queuedObjects(2);
    await services.sql.query("DELETE FROM file_deletions WHERE key = ANY($1)", [bystanders]);
    const keys = await queuedObjects(3);

    expect(await drainDeletionQueue()).toEqual({ deleted: 3, failed: 0 });
    expect(await listKeys(services.s3, services.bucket, prefixOf(keys[0]!))).toEqual([]);
    expect(await listKeys(services.s3, services.bucket, prefixOf(bystanders[0]!))).toHaveLength(2);
    expect(await pendingDeletions()).toBe(0);
  });

  it("counts a key that is already gone (or queued twice) as deleted", async () => {
    const [key] = await queuedObjects(1);
    await services.sql.query("INSERT INTO file_deletions (key) VALUES ($1), ('users/never/existed')", [key]);
    expect(await drainDeletionQueue()).toEqual({ deleted: 3, failed: 0 });
    expect(await pendingDeletions()).toBe(0);
  });

  it("keeps the rows while S3 fails, backs off, and deletes the objects once it answers again", async () => {
    const keys = await queuedObjects(2);
    expect(await withS3Failing(() => drainDeletionQueue())).toEqual({ deleted: 0, failed: 2 });
    const { rows } = await services.sql.query<{ attempts: number; later: boolean; last_error: string }>(
      "SELECT attempts, next_attempt_at > now() AS later, last_error FROM file_deletions",
    );
    expect(rows).toEqual(Array(2).fill({ attempts: 1, later: true, last_error: expect.any(String) }));
    expect(await listKeys(services.s3, services.bucket, prefixOf(keys[0]!))).toHaveLength(2);
    // Not due yet: left alone.
    expect(await drainDeletionQueue()).toEqual({ deleted: 0, failed: 0 });

    await services.sql.query("UPDATE file_deletions SET next_attempt_at = now()");
    expect(await drainDeletionQueue()).toEqual({ deleted: 2, failed: 0 });
    expect(await listKeys(services.s3, services.bucket, prefixOf(keys[0]!))).toEqual([]);
  });

  it("lets several instances drain at once without deleting any row twice", async () => {
    const keys = await queuedObjects(40);
    const results = await Promise.all(Array.from({ length: 4 }, () => drainDeletionBatch()));
    expect(results.reduce((sum, r) => sum + r.deleted, 0)).toBe(40);
    expect(results.every((r) => r.failed === 0)).toBe(true);
    expect(await listKeys(services.s3, services.bucket, prefixOf(keys[0]!))).toEqual([]);
  });

  it("drains more than one batch in a run", async () => {
    await queuedObjects(1);
    await services.sql.query(
      "INSERT INTO file_deletions (key) SELECT 'users/gone/' || g FROM generate_series(1, 1200) AS g",
    );
    expect(await drainDeletionQueue()).toEqual({ deleted: 1201, failed: 0 });
    expect(await pendingDeletions()).toBe(0);
  });
});

describe("maintenance run", () => {
  it("drains the queue; runs started during a run delete what was queued meanwhile", async () => {
    const first = await queuedObjects(2);
    const running = runMaintenanceNow();
    const second = await queuedObjects(2);
    await Promise.all([runMaintenanceNow(), runMaintenanceNow(), running]);
    expect(await pendingDeletions()).toBe(0);
    for (const key of [first[0]!, second[0]!])
      expect(await listKeys(services.s3, services.bucket, prefixOf(key))).toEqual([]);
  });

  it("survives a failing run and does the work on the next run", async () => {
    const keys = await queuedObjects(1);
    await withS3Failing(() => runMaintenanceNow());
    expect(await pendingDeletions()).toBe(1);
    await services.sql.query("UPDATE file_deletions SET next_attempt_at = now()");
    await runMaintenanceNow();
    expect(await pendingDeletions()).toBe(0);
    expect(await listKeys(services.s3, services.bucket, prefixOf(keys[0]!))).toEqual([]);
  });
});
