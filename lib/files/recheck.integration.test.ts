import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { newUser, postToForm, setUpLibServices } from "../../e2e/support/lib-services";
import { drainDeletionQueue } from "@/lib/files/deletion-queue";
import { recheckExpiredUploads } from "@/lib/files/recheck";
import type { PresignedUpload } from "@/lib/files/contract";
import { inspectUpload, presignUpload } from "@/lib/files/uploads";
import { runMaintenanceNow } from "@/lib/files/maintenance";
import { getRevision } from "@/lib/notes/revisions";
import { createNote, deleteNote, getNote, setNoteFile } from "@/lib/notes/service";

/**
 * The recheck of presigned keys once their form is dead (lib/files/recheck.ts), against real PostgreSQL and
 * Ceph RGW. A form S3 still accepts can bring back an object after its note was deleted, or overwrite an
 * attached one; the recheck makes sure no such object outlives the form unnoticed.
 */

const services = await setUpLibServices({ UPLOAD_TTL_HOURS: "24" });

async function uploaded(userId: string, data = "hi"): Promise<PresignedUpload> {
  const form = await presignUpload(userId, { fileName: "a.txt", contentType: "text/plain", size: data.length });
  await postToForm(form, data, "text/plain");
  return form;
}

/** The form has expired (and the margin for clocks passed): the rechecks of these keys are due. */
async function formsExpire(...keys: string[]): Promise<void> {
  const { rowCount } = await services.sql.query("UPDATE upload_rechecks SET due_at = now() WHERE key = ANY($1)", [
    keys,
  ]);
  expect(rowCount).toBe(keys.length);
}

async function exists(key: string): Promise<boolean> {
  return services.s3.send(new HeadObjectCommand({ Bucket: services.bucket, Key: key })).then(
    () => true,
    () => false,
  );
}

async function rechecksLeft(key: string): Promise<number> {
  return (await services.sql.query("SELECT 1 FROM upload_rechecks WHERE key = $1", [key])).rowCount ?? 0;
}

describe("rechecking expired upload forms", () => {
  it("deletes an object that a form posted again brought back after its note was deleted", async () => {
    const user = await newUser();
    const form = await uploaded(user);
    const note = await createNote(user, { title: "n", description: "" }, await inspectUpload(user, form.key));
    await deleteNote(user, note.id);
    await runMaintenanceNow();
    expect(await exists(form.key)).toBe(false);

    await postToForm(form, "hi", "text/plain"); // still accepted by S3 until it expires
    expect(await exists(form.key)).toBe(true);
    await formsExpire(form.key);
    expect(Object.fromEntries(await recheckExpiredUploads())).toEqual({ unreferenced: 1 });
    await drainDeletionQueue();
    expect(await exists(form.key)).toBe(false);
    expect(await rechecksLeft(form.key)).toBe(0);
  });

  it("keeps an attached file that is what its note says, and settles its key for good", async () => {
    const user = await newUser();
    const form = await uploaded(user);
    const note = await createNote(user, { title: "n", description: "" }, await inspectUpload(user, form.key));
    await formsExpire(form.key);
    expect(Object.fromEntries(await recheckExpiredUploads())).toEqual({ kept: 1 });
    expect(await exists(form.key)).toBe(true);
    expect(await getNote(user, note.id)).toEqual(note);
    expect(await rechecksLeft(form.key)).toBe(0);
  });

  it("detaches and deletes an attached object that is no longer what its note says", async () => {
    const user = await newUser();
    const form = await uploaded(user);
    const note = await createNote(user, { title: "n", description: "" }, await inspectUpload(user, form.key));
    // Bytes S3 should have refused (another size), stored under the note's key.
    await services.s3.send(
      new PutObjectCommand({ Bucket: services.bucket, Key: form.key, Body: "other bytes", ContentType: "text/plain" }),
    );
    await formsExpire(form.key);
    expect(Object.fromEntries(await recheckExpiredUploads())).toEqual({ detached: 1 });
    expect(await getNote(user, note.id)).toMatchObject({ fileKey: null, fileName: null, fileSize: null });
    await drainDeletionQueue();
    expect(await exists(form.key)).toBe(false);
  });

  it("keeps a replaced file that its note's history still names, checked against that revision", async () => {
    const user = await newUser();
    const form = await uploaded(user);
    const note = await createNote(user, { title: "n", description: "" }, await inspectUpload(user, form.key));
    await setNoteFile(user, note.id, await inspectUpload(user, (await uploaded(user, "new")).key));
    await formsExpire(form.key);
    expect(Object.fromEntries(await recheckExpiredUploads())).toEqual({ kept: 1 });
    await drainDeletionQueue();
    expect(await exists(form.key)).toBe(true);
    expect(await getRevision(user, note.id, 1)).toMatchObject({ fileKey: form.key });
  });

  it("takes an overwritten file off the revisions that name it, and deletes it", async () => {
    const user = await newUser();
    const form = await uploaded(user);
    const note = await createNote(user, { title: "n", description: "" }, await inspectUpload(user, form.key));
    await setNoteFile(user, note.id, await inspectUpload(user, (await uploaded(user, "new")).key));
    await services.s3.send(
      new PutObjectCommand({ Bucket: services.bucket, Key: form.key, Body: "other bytes", ContentType: "text/plain" }),
    );
    await formsExpire(form.key);
    expect(Object.fromEntries(await recheckExpiredUploads())).toEqual({ detached: 1 });
    expect(await getRevision(user, note.id, 1)).toMatchObject({ fileKey: null, fileName: null });
    await drainDeletionQueue();
    expect(await exists(form.key)).toBe(false);
  });

  it("looks again at a still-pending upload when it is due for the sweep, and leaves it alone until then", async () => {
    const user = await newUser();
    const form = await uploaded(user);
    await formsExpire(form.key);
    expect(Object.fromEntries(await recheckExpiredUploads())).toEqual({ pending: 1 });
    expect(await exists(form.key)).toBe(true);
    const { rows } = await services.sql.query<{ hours: number }>(
      "SELECT extract(epoch FROM due_at - now()) / 3600 AS hours FROM upload_rechecks WHERE key = $1",
      [form.key],
    );
    expect(Number(rows[0]!.hours)).toBeGreaterThan(23);
    // It can still be attached meanwhile.
    await expect(
      createNote(user, { title: "n", description: "" }, await inspectUpload(user, form.key)),
    ).resolves.toMatchObject({ fileKey: form.key });
  });

  it("settles a key whose object is already gone without touching its note", async () => {
    const user = await newUser();
    const form = await uploaded(user);
    const note = await createNote(user, { title: "n", description: "" }, await inspectUpload(user, form.key));
    await services.s3.send(new DeleteObjectCommand({ Bucket: services.bucket, Key: form.key }));
    await formsExpire(form.key);
    expect(Object.fromEntries(await recheckExpiredUploads())).toEqual({ missing: 1 });
    expect(await getNote(user, note.id)).toEqual(note);
    expect(await rechecksLeft(form.key)).toBe(0);
  });

  it("the worker deletes what a recheck finds unreferenced in the same run", async () => {
    const user = await newUser();
    const form = await uploaded(user);
    const note = await createNote(user, { title: "n", description: "" }, await inspectUpload(user, form.key));
    await deleteNote(user, note.id);
    await runMaintenanceNow();
    await postToForm(form, "hi", "text/plain");
    await formsExpire(form.key);
    await runMaintenanceNow();
    expect(await exists(form.key)).toBe(false);
  });
});
