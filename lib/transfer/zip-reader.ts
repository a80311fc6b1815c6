import type { Readable } from "node:stream";
import yauzl from "yauzl";
import { ImportError, entryError } from "@/lib/transfer/import-error";

/**
 * A zip read through yauzl from any random-access source (S3 ranges in production, a buffer in tests): the
 * central directory is listed once, entries are opened one at a time, and never more than one entry's stream
 * buffers are in memory. yauzl refuses unsafe names (absolute, `..`, backslashes) and checks that every
 * entry inflates to exactly its declared size, which bounds what a zip bomb can produce to what we accepted.
 */

/** More entries than any archive we make (two per note) needs; the listing is held in memory. */
export const MAX_ENTRIES = 200_000;

export interface ZipEntryInfo {
  name: string;
  /** Declared (and enforced) uncompressed size. */
  size: number;
  compressedSize: number;
}

export interface OpenZip {
  entries: Map<string, ZipEntryInfo>;
  /** The entry's bytes, inflated and checked against its declared size (errors: pass them through damaged()). */
  openStream(name: string): Promise<Readable>;
  /** The entry as UTF-8 text; refused when it declares more than maxBytes or is not valid UTF-8. */
  readText(name: string, maxBytes: number): Promise<string>;
  close(): void;
}

export async function openZip(reader: yauzl.RandomAccessReader, totalSize: number): Promise<OpenZip> {
  const zipfile = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromRandomAccessReader(
      reader,
      totalSize,
      { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: true },
      (error, zip) => (error ? reject(notAZip(error)) : resolve(zip)),
    ),
  );
  const raw = new Map<string, yauzl.Entry>();
  try {
    await new Promise<void>((resolve, reject) => {
      zipfile.on("entry", (entry: yauzl.Entry) => {
        if (raw.size >= MAX_ENTRIES) {
          reject(new ImportError(`The archive has more than ${MAX_ENTRIES.toLocaleString("en")} entries`));
          return;
        }
        if (!entry.fileName.endsWith("/")) {
          if (raw.has(entry.fileName)) {
            reject(entryError(entry.fileName, "the archive holds two entries of this name"));
            return;
          }
          raw.set(entry.fileName, entry);
        }
        zipfile.readEntry();
      });
      zipfile.once("end", () => resolve());
      zipfile.once("error", (error: Error) => reject(notAZip(error)));
      zipfile.readEntry();
    });
  } catch (error) {
    zipfile.close();
    throw error;
  }

  const entries = new Map<string, ZipEntryInfo>();
  for (const [name, e] of raw) entries.set(name, { name, size: e.uncompressedSize, compressedSize: e.compressedSize });

  const openStream = (name: string) =>
    new Promise<Readable>((resolve, reject) => {
      const entry = raw.get(name);
      if (!entry) return reject(entryError(name, "is not in the archive"));
      if (entry.isEncrypted()) return reject(entryError(name, "is encrypted; encrypted archives cannot be imported"));
      zipfile.openReadStream(entry, (error, stream) => {
        if (error) return reject(damaged(name, error));
        resolve(stream);
      });
    });

  return {
    entries,
    openStream,
    async readText(name, maxBytes) {
      const info = entries.get(name);
      if (!info) throw entryError(name, "is not in the archive");
      if (info.size > maxBytes) throw entryError(name, `is larger than ${maxBytes} bytes`);
      const stream = await openStream(name);
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of stream) chunks.push(chunk as Buffer);
      } catch (error) {
        throw damaged(name, error as Error);
      }
      try {
        return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
      } catch {
        throw entryError(name, "is not UTF-8 text");
      }
    },
    close: () => zipfile.close(),
  };
}

function notAZip(error: Error): Error {
  if (error instanceof ImportError || isStorageError(error)) return error;
  return new ImportError(`The archive is not a valid zip file (${error.message})`);
}

/** An error met while reading an entry, as the person importing should read it (naming the entry). */
export function damaged(name: string, error: Error): Error {
  if (error instanceof ImportError || isStorageError(error)) return error;
  return entryError(name, `the archive is damaged (${error.message})`);
}

/** Errors of the source itself (S3 down) are not the archive's fault: they keep their own message. */
function isStorageError(error: Error): boolean {
  return error.name === "DomainError";
}
