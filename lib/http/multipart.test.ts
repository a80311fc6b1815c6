import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import { parseMultipart } from "@/lib/http/multipart";

const KiB = 1024;
const BOUNDARY = "----limits";

/** A multipart request sent as a stream without Content-Length (chunked, as a streaming client does). */
function chunkedForm(parts: string[], counter = { pulled: 0 }): Request {
  const enc = new TextEncoder();
  const chunks = [...parts.map((p) => enc.encode(p)), enc.encode(`--${BOUNDARY}--\r\n`)];
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      const next = chunks.shift();
      if (!next) return c.close();
      counter.pulled += next.byteLength;
      c.enqueue(next);
    },
  });
  return new Request("http://localhost/register", {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    body,
    duplex: "half",
  } as RequestInit);
}

const field = (name: string, value: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const fileHead = (name: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n`;

async function refusal(promise: Promise<unknown>): Promise<{ kind: string; message: string }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return { kind: (error as DomainError).kind, message: (error as DomainError).message };
}

describe("parseMultipart limits, without Content-Length", () => {
  it("counts the body as it arrives: past maxBytes it is a 413", async () => {
    const parts = Array.from({ length: 19 }, (_, i) => field(`f${i}`, "x".repeat(500 * KiB)));
    expect(await refusal(parseMultipart(chunkedForm(parts), { maxBytes: 1024 * KiB }))).toMatchObject({
      kind: "too_large",
    });
  });

  it("caps the fields held in memory in total, even where the body may be large (a file upload)", async () => {
    const parts = Array.from({ length: 19 }, (_, i) => field(`f${i}`, "x".repeat(500 * KiB)));
    const result = refusal(
      parseMultipart(chunkedForm(parts), { maxBytes: 30 * 1024 * KiB, maxFieldBytes: 1024 * KiB }),
    );
    expect(await result).toEqual({ kind: "too_large", message: "Form fields are too large" });
  });

  it("cuts off a file being streamed when the body passes maxBytes, and the file's consumer sees it fail", async () => {
    let consumer: Promise<number> | undefined;
    const parts = [
      field("title", "t"),
      fileHead("a.txt"),
      ..."x"
        .repeat(16)
        .split("")
        .map(() => "y".repeat(64 * KiB)),
    ];
    const result = parseMultipart(chunkedForm(parts), {
      maxBytes: 256 * KiB,
      onFile: (part) =>
        (consumer = new Promise<number>((resolve, reject) => {
          let n = 0;
          part.stream.on("data", (c: Buffer) => (n += c.length));
          part.stream.on("end", () => resolve(n));
          part.stream.on("error", reject);
        })),
    });
    expect(await refusal(result)).toEqual({ kind: "too_large", message: "Request body is too large" });
    await expect(consumer).rejects.toBeDefined();
  });

  it("still reads a form within the limits", async () => {
    const parts = [field("title", "hello"), field("description", "é".repeat(100_000))];
    const { fields } = await parseMultipart(chunkedForm(parts), { maxBytes: 1024 * KiB });
    expect(fields.title).toBe("hello");
    expect(fields.description).toHaveLength(100_000);
  });
});
