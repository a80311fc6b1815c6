import { Readable } from "node:stream";
import yauzl from "yauzl";
import yazl from "yazl";

/**
 * Zips made in tests (yazl), and the damage tests do to them: an entry name yazl would refuse, a size that
 * lies, a cut-off end. Shared by the unit tests of lib/transfer and the end-to-end import tests.
 */

export interface ZipInput {
  name: string;
  data: Buffer | string;
  /** Deflate it (default: stored, as the export writes). */
  compress?: boolean;
}

export async function makeZip(entries: ZipInput[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    zip.addBuffer(Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data), e.name, { compress: !!e.compress });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as Readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Replaces every occurrence of `from` by `to` (same byte length): names yazl refuses to write. */
export function patchBytes(zip: Buffer, from: string, to: string): Buffer {
  const a = Buffer.from(from);
  const b = Buffer.from(to);
  if (a.length !== b.length) throw new Error("patchBytes needs equal lengths");
  const out = Buffer.from(zip);
  for (let at = out.indexOf(a); at >= 0; at = out.indexOf(a, at + 1)) b.copy(out, at);
  return out;
}

/** Makes the central directory declare `size` as the uncompressed size of every entry (a lying zip). */
export function declareUncompressedSize(zip: Buffer, size: number): Buffer {
  const out = Buffer.from(zip);
  for (
    let at = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    at >= 0;
    at = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 4)
  ) {
    out.writeUInt32LE(size, at + 24);
  }
  return out;
}

/** yauzl's random access over a buffer: the same reading path as the S3 reader, without S3. */
export class BufferReader extends yauzl.RandomAccessReader {
  constructor(private readonly buffer: Buffer) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from([this.buffer.subarray(start, end)]);
  }
}
