import "server-only";
import { Readable } from "node:stream";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { LRUCache } from "lru-cache";
import yauzl from "yauzl";
import { bucket, callS3, s3 } from "@/lib/files/s3";

/**
 * yauzl's random access over one S3 object, by ranged GETs: the archive is never downloaded whole, to memory or
 * disk. yauzl reads the central directory and each local header in many small reads, so those are served from
 * a few cached blocks (one GET per block); entry data streams through in chunks of one ranged GET each, so a
 * slow consumer never holds one HTTP response open for the length of a large file.
 */

const BLOCK = 256 * 1024;
const BLOCKS_CACHED = 8;
const CHUNK = 8 * 1024 * 1024;

export class S3RangeReader extends yauzl.RandomAccessReader {
  private readonly blocks = new LRUCache<number, Promise<Buffer>>({ max: BLOCKS_CACHED });

  constructor(
    private readonly key: string,
    private readonly size: number,
  ) {
    super();
  }

  /** Bytes [start, end) of the object as a stream. */
  private async get(start: number, end: number): Promise<Readable> {
    const object = await callS3(() =>
      s3().send(new GetObjectCommand({ Bucket: bucket(), Key: this.key, Range: `bytes=${start}-${end - 1}` })),
    );
    return object.Body as Readable;
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const get = this.get.bind(this);
    return Readable.from(
      (async function* () {
        for (let at = start; at < end; at += CHUNK) {
          yield* await get(at, Math.min(end, at + CHUNK));
        }
      })(),
      { objectMode: false },
    );
  }

  private block(index: number): Promise<Buffer> {
    let block = this.blocks.get(index);
    if (!block) {
      const start = index * BLOCK;
      block = this.get(start, Math.min(this.size, start + BLOCK)).then(async (body) => {
        const chunks: Buffer[] = [];
        for await (const chunk of body) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      });
      block.catch(() => this.blocks.delete(index));
      this.blocks.set(index, block);
    }
    return block;
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (error: Error | null, bytesRead?: number) => void,
  ): void {
    if (length > BLOCK) return super.read(buffer, offset, length, position, callback);
    this.readCached(buffer, offset, length, position).then(
      (n) => callback(null, n),
      (error: Error) => callback(error),
    );
  }

  private async readCached(buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
    let copied = 0;
    while (copied < length && position + copied < this.size) {
      const at = position + copied;
      const index = Math.floor(at / BLOCK);
      const block = await this.block(index);
      const from = at - index * BLOCK;
      const n = Math.min(length - copied, block.length - from);
      if (n <= 0) break;
      block.copy(buffer, offset + copied, from, from + n);
      copied += n;
    }
    return copied;
  }
}
