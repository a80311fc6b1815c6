import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { DeleteObjectCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it, vi } from "vitest";
import { setUpLibServices } from "../../e2e/support/lib-services";
import { poll } from "../../e2e/support/poll";
import { unzip } from "../../e2e/support/zip";
import { s3 } from "@/lib/files/s3";
import { streamUpload } from "@/lib/files/uploads";
import { createNote } from "@/lib/notes/service";
import { logger } from "@/lib/log";
import { exportArchive } from "@/lib/transfer/export";
import { manifestSchema } from "@/lib/transfer/manifest";
import { registerUser } from "@/lib/users/service";

/**
 * lib/transfer/export.ts against real PostgreSQL and Ceph RGW: notes are read page by page (more notes than one
 * page holds), and a consumer that stops mid-file stops the S3 read under way (its body is destroyed, not left
 * open and paused).
 */

const FILE_BYTES = 12 * 1024 * 1024;
// S3_TIMEOUT_MS long: an idle socket timing out must not be what ends the read in the test below.
const services = await setUpLibServices({ MAX_UPLOAD_BYTES: String(16 * 1024 * 1024), S3_TIMEOUT_MS: "600000" });

async function newUser(): Promise<string> {
  return (await registerUser({ email: `${randomBytes(6).toString("hex")}@example.com`, password: "password1" })).id;
}

async function noteWithFile(userId: string, size: number): Promise<void> {
  const data = randomBytes(size);
  const file = await streamUpload(userId, {
    fileName: "big.bin",
    contentType: "application/octet-stream",
    stream: Readable.from([data]),
  });
  await createNote(userId, { title: "Big file", description: "" }, file);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("exportArchive", () => {
  it("reads every note across pages, in creation order, each once", async () => {
    const user = await newUser();
    const ids: number[] = [];
    for (let i = 0; i < 450; i++) ids.push((await createNote(user, { title: `Note ${i}`, description: "x" })).id);
    const { files } = await unzip(await readAll(exportArchive(user)));
    const manifest = manifestSchema.parse(JSON.parse(files.get("manifest.json")!.toString("utf8")));
    expect(manifest.notes.map((n) => n.id)).toEqual(ids);
  });

  it("stops the S3 read under way when its consumer goes away", async () => {
    const user = await newUser();
    await noteWithFile(user, FILE_BYTES);
    const bodies: Readable[] = [];
    const client = s3();
    const send = client.send.bind(client) as (command: unknown, options?: unknown) => Promise<{ Body?: unknown }>;
    const spy = vi.spyOn(client, "send").mockImplementation((async (command: unknown, options?: unknown) => {
      const out = await send(command, options);
      if (command instanceof GetObjectCommand) bodies.push(out.Body as Readable);
      return out;
    }) as typeof client.send);
    try {
      const archive = exportArchive(user);
      let received = 0;
      for await (const chunk of archive) {
        received += (chunk as Buffer).length;
        if (received > 1024 * 1024) break; // destroys the archive, as a closed connection does
      }
      expect(bodies).toHaveLength(1);
      // Destroyed before S3 sent all of it (left alone, a body unpiped from a dead zip reads on to its end).
      const body = bodies[0] as IncomingMessage;
      await poll(async () => body.destroyed, Boolean, "the S3 body to be destroyed");
      expect(body.complete).toBe(false);
      expect(received).toBeLessThan(FILE_BYTES);
    } finally {
      spy.mockRestore();
    }
  });

  it("fails the stream, and logs why, when a file cannot be read", async () => {
    const user = await newUser();
    await noteWithFile(user, 1024);
    const { rows } = await services.sql.query<{ file_key: string }>("SELECT file_key FROM notes WHERE owner_id = $1", [
      user,
    ]);
    await services.s3.send(new DeleteObjectCommand({ Bucket: services.bucket, Key: rows[0]!.file_key }));
    const logged = vi.spyOn(logger, "error");
    try {
      await expect(readAll(exportArchive(user))).rejects.toThrow();
      expect(logged).toHaveBeenCalledWith(
        expect.objectContaining({ userId: user }),
        "export failed mid-stream; download aborted",
      );
    } finally {
      logged.mockRestore();
    }
  });
});
