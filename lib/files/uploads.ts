import "server-only";
import { randomUUID } from "node:crypto";
import { PassThrough, Transform, type Readable } from "node:stream";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { badRequest, rateLimited, tooLarge, unsupportedMediaType } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import {
  displayFileName,
  formatBytes,
  isAllowedType,
  isOwnKey,
  normaliseContentType,
  uploadKey,
} from "@/lib/files/policy";
import type { PresignedUpload, UploadRequest } from "@/lib/files/contract";
import { enqueueDeletion } from "@/lib/files/deletion-queue";
import { bucket, callS3, isNotFound, s3, s3ForBrowsers } from "@/lib/files/s3";

/** A file stored in S3 and ready to be attached to a note. */
export interface StoredFile {
  key: string;
  fileName: string;
  size: number;
  contentType: string;
}

/** Pending uploads one user may hold at once; each is a row and possibly an object until attached or swept. */
const MAX_PENDING_UPLOADS = 100;

/** Pending uploads of a user: $1 the owner. */
export const COUNT_PENDING_UPLOADS = {
  name: "count_pending_uploads",
  text: "SELECT count(*)::int AS n FROM uploads WHERE owner_id = $1",
};

/** A pending upload and its recheck: $1 key, $2 owner, $3 file name, $4 type, $5 size, $6 form expiry, $7 delay (s). */
export const INSERT_UPLOAD = {
  name: "insert_upload",
  text: `WITH upload AS (
           INSERT INTO uploads (key, owner_id, file_name, content_type, size) VALUES ($1, $2, $3, $4, $5)
         )
         INSERT INTO upload_rechecks (key, due_at) VALUES ($1, $6::timestamptz + make_interval(secs => $7))`,
};

export const UNKNOWN_FILE_KEY = "Unknown or expired file_key: request a new upload with POST /uploads";

/**
 * Step 1 of a direct upload: records the pending upload and returns a presigned POST whose policy pins the
 * key, the content type, the exact declared size and a short expiry. S3 itself refuses anything else.
 *
 * S3 accepts the form again and again until it expires, even after its key was attached (it would overwrite
 * the object) or its object deleted (it would bring it back). Pinning the size keeps an overwrite honest; the
 * recheck row written with the upload row has the worker look at the key once the form is dead (recheck.ts).
 */
export async function presignUpload(
  userId: string,
  { fileName: requestedName, contentType, size }: UploadRequest,
): Promise<PresignedUpload> {
  const c = config();

  // Plain statements on the pool rather than through the ORM: POST /uploads is on every upload's path.
  const { rows } = await pool().query<{ n: number }>({ ...COUNT_PENDING_UPLOADS, values: [userId] });
  if (rows[0]!.n >= MAX_PENDING_UPLOADS) throw rateLimited(60);

  const fileName = displayFileName(requestedName);
  const key = uploadKey(userId, randomUUID(), fileName);
  // Signing is local (no network call); the form is handed out only once both rows are committed.
  const { url, fields, expiresAt } = await presignedForm(key, size, contentType);
  await pool().query({
    ...INSERT_UPLOAD,
    values: [key, userId, fileName, contentType, size, expiresAt, c.UPLOAD_RECHECK_DELAY_SECONDS],
  });
  return { url, fields, key, expiresAt, maxBytes: c.MAX_UPLOAD_BYTES };
}

/**
 * The browser's form for exactly `size` bytes of `contentType` under `key` (S3 refuses anything else), and when
 * S3 stops taking it: the expiry written in the signed policy.
 */
export async function presignedForm(
  key: string,
  size: number,
  contentType: string,
): Promise<Pick<PresignedUpload, "url" | "fields" | "expiresAt">> {
  const post = await callS3(() =>
    createPresignedPost(s3ForBrowsers(), {
      Bucket: bucket(),
      Key: key,
      Conditions: [
        ["content-length-range", size, size],
        ["eq", "$Content-Type", contentType],
      ],
      Fields: { "Content-Type": contentType },
      Expires: config().UPLOAD_URL_EXPIRES_SECONDS,
    }),
  );
  return { url: post.url, fields: post.fields, expiresAt: policyExpiration(post.fields) };
}

/** The expiry S3 enforces: the one written in the signed policy document. */
function policyExpiration(fields: Record<string, string>): Date {
  const policy = JSON.parse(Buffer.from(fields.Policy ?? "", "base64").toString("utf8")) as { expiration?: string };
  const expiresAt = new Date(policy.expiration ?? Number.NaN);
  if (Number.isNaN(expiresAt.getTime())) throw new Error("presigned POST without an expiration");
  return expiresAt;
}

/**
 * Step 2: checks that a key handed in by a client is one of its own pending uploads and that the stored object
 * is what the policy allowed (exists, of the declared size and type).
 */
export async function inspectUpload(userId: string, key: string): Promise<StoredFile> {
  if (!isOwnKey(userId, key)) throw badRequest(UNKNOWN_FILE_KEY);
  const upload = await db().upload.findUnique({ where: { key } });
  if (!upload || upload.ownerId !== userId) throw badRequest(UNKNOWN_FILE_KEY);

  let head;
  try {
    head = await callS3(() => s3().send(new HeadObjectCommand({ Bucket: bucket(), Key: key })));
  } catch (error) {
    if (isNotFound(error)) throw badRequest("The file has not been uploaded yet: POST it to the upload URL first");
    throw error;
  }
  const size = Number(head.ContentLength ?? 0);
  if (size > config().MAX_UPLOAD_BYTES)
    throw tooLarge(`File is larger than the ${formatBytes(config().MAX_UPLOAD_BYTES)} limit`);
  // The policy pins the declared size, so S3 should never have stored another one.
  if (size !== Number(upload.size)) throw badRequest("The uploaded file does not have the declared size");
  const storedType = normaliseContentType(head.ContentType ?? "");
  if (storedType !== upload.contentType)
    throw unsupportedMediaType("The uploaded file does not have the declared type");
  return { key, fileName: upload.fileName, size, contentType: upload.contentType };
}

/**
 * Consumes the pending-upload row inside the transaction that attaches the file, so that a key can be
 * attached once only and the sweeper can never delete an attached object.
 */
export async function claimUpload(tx: Prisma.TransactionClient, userId: string, key: string): Promise<void> {
  const { count } = await tx.upload.deleteMany({ where: { key, ownerId: userId } });
  if (count !== 1) throw badRequest(UNKNOWN_FILE_KEY);
}

export interface IncomingFile {
  fileName: string;
  contentType: string;
  stream: Readable;
}

/**
 * The legacy multipart path: streams a file through to S3 in parts (constant memory) and stops as soon as it
 * passes MAX_UPLOAD_BYTES, aborting the multipart upload so that nothing partial is left behind. The pending
 * row is written first, so an instance that dies mid-upload leaves something the sweeper finds.
 */
export async function streamUpload(userId: string, file: IncomingFile): Promise<StoredFile> {
  const c = config();
  const contentType = normaliseContentType(file.contentType) ?? "application/octet-stream";
  if (!isAllowedType(contentType, c.ALLOWED_UPLOAD_TYPES)) {
    file.stream.resume(); // drain what is left so the client can read our answer
    throw unsupportedMediaType(`Files of type ${contentType} are not accepted`);
  }
  const fileName = displayFileName(file.fileName);
  const key = uploadKey(userId, randomUUID(), fileName);
  await db().upload.create({ data: { key, ownerId: userId, fileName, contentType, size: 0 } });

  let size = 0;
  const limit = c.MAX_UPLOAD_BYTES;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > limit) done(tooLarge(`File is larger than the ${formatBytes(limit)} limit`));
      else done(null, chunk);
    },
  });
  const body = new PassThrough();
  const upload = new Upload({
    client: s3(),
    params: { Bucket: bucket(), Key: key, Body: body, ContentType: contentType },
    queueSize: 2,
    partSize: 5 * 1024 * 1024,
    leavePartsOnError: false,
  });

  // The source is piped, not part of a pipeline: pipeline() would destroy it on failure, and a destroyed part
  // stream stalls the multipart parser, leaving the rest of the request unread and the keep-alive connection
  // wedged (the client's next request never answered). Kept alive, it is drained below.
  let sourceError: unknown;
  const fail = (error: unknown) => {
    sourceError ??= error;
    // Failing lib-storage's input (rather than calling abort(), which answers before the multipart upload is
    // really aborted) makes done() settle only after its own AbortMultipartUpload: nothing is left in S3.
    body.destroy(error as Error);
  };
  file.stream.once("error", fail);
  counter.once("error", fail);
  file.stream.pipe(counter).pipe(body);

  try {
    await upload.done();
  } catch (error) {
    file.stream.unpipe(counter);
    file.stream.resume();
    if (sourceError) {
      // The request body failed: no object was completed (lib-storage PUTs a single-part file only after its
      // last byte), and the multipart upload, if any, is aborted (or, with S3 down, swept when stale).
      await db().upload.deleteMany({ where: { key } });
      throw sourceError;
    }
    // S3 failed: whether it stored the object is unknown. A hung server that wakes up still carries out the
    // PUT the SDK gave up on, which would leave an object nothing refers to; so the key's deletion is queued
    // (retried until S3 answers) instead of the pending row being forgotten.
    await db().$transaction(async (tx) => {
      const { count } = await tx.upload.deleteMany({ where: { key } });
      if (count === 1) await enqueueDeletion(tx, [key]);
    });
    await callS3(() => Promise.reject(error));
  }
  await db().upload.update({ where: { key }, data: { size } });
  return { key, fileName, size, contentType };
}
