import { randomBytes } from "node:crypto";
import { CreateMultipartUploadCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { newUser, postToForm, setUpLibServices } from "../../e2e/support/lib-services";
import { listOpenMultipartUploads } from "../../e2e/support/s3";
import { pool } from "@/lib/db/pool";
import { drainDeletionQueue } from "@/lib/files/deletion-queue";
import { sweepAbandonedUploads } from "@/lib/files/sweeper";
import { inspectUpload, presignUpload } from "@/lib/files/uploads";
import { createNote, getNote } from "@/lib/notes/service";

/**
 * The sweep of abandoned uploads (lib/files/sweeper.ts) against real PostgreSQL and Ceph RGW: what was never
 * attached goes after UPLOAD_TTL_HOURS, what was attached never does.
 */

const services = await setUpLibServices({ UPLOAD_TTL_HOURS: "24" });
const HOUR = 3600_000;

async function uploaded(userId: string) {
  const form = await presignUpload(userId, { fileName: "a.txt", contentType: "text/plain", size: 2 });
  await postToForm(form, "hi", "text/plain");
  return form.key;
}

async function exists(key: string): Promise<boolean> {
  return services.s3.send(new HeadObjectCommand({ Bucket: services.bucket, Key: key })).then(
    () => true,
    () => false,
  );
}

describe("sweeping abandoned uploads", () => {
  it("deletes uploads never attached once they are older than the TTL; younger ones and attached files stay", async () => {
    const user = await newUser();
    const abandoned = await uploaded(user);
    const attachedKey = await uploaded(user);
    const note = await createNote(user, { title: "kept", description: "" }, await inspectUpload(user, attachedKey));

    // An hour before the TTL: nothing is due.
    expect(await sweepAbandonedUploads(pool(), new Date(Date.now() + 23 * HOUR))).toBe(0);
    expect(await inspectUpload(user, abandoned)).toMatchObject({ key: abandoned });

    expect(await sweepAbandonedUploads(pool(), new Date(Date.now() + 25 * HOUR))).toBe(1);
    await drainDeletionQueue();
    expect(await exists(abandoned)).toBe(false);
    await expect(inspectUpload(user, abandoned)).rejects.toMatchObject({ kind: "bad_request" });
    expect(await exists(attachedKey)).toBe(true);
    expect(await getNote(user, note.id)).toMatchObject({ fileKey: attachedKey });
  });

  it("a swept upload can no longer be attached", async () => {
    const user = await newUser();
    const key = await uploaded(user);
    const file = await inspectUpload(user, key);
    await sweepAbandonedUploads(pool(), new Date(Date.now() + 25 * HOUR));
    await expect(createNote(user, { title: "late", description: "" }, file)).rejects.toMatchObject({
      kind: "bad_request",
    });
  });

  it("aborts multipart uploads left open past the TTL (an instance that died mid-upload)", async () => {
    const prefix = `users/${randomBytes(4).toString("hex")}/`;
    await services.s3.send(new CreateMultipartUploadCommand({ Bucket: services.bucket, Key: `${prefix}partial` }));
    expect(await listOpenMultipartUploads(services.s3, services.bucket, prefix)).toHaveLength(1);

    await sweepAbandonedUploads(pool(), new Date(Date.now() + 23 * HOUR));
    expect(await listOpenMultipartUploads(services.s3, services.bucket, prefix)).toHaveLength(1);
    await sweepAbandonedUploads(pool(), new Date(Date.now() + 25 * HOUR));
    expect(await listOpenMultipartUploads(services.s3, services.bucket, prefix)).toEqual([]);
  });
});
