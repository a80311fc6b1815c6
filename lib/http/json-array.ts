import { jsonHeaders } from "@/lib/http/problem";

/** Items are stringified together until their text reaches this many characters, then sent as one chunk. */
const CHUNK_CHARS = 64 * 1024;

/**
 * A JSON array response, byte for byte what json(items) sends, but written item by item as the client takes
 * it: a page of large notes never exists as one string (nor as that string's bytes) in memory. A page whose
 * text fits in one chunk is sent as that string: a stream of one chunk would only add work per request.
 */
export function jsonArray(items: readonly unknown[], init: ResponseInit = {}): Response {
  const first = new Chunker(items);
  const text = first.next();
  const body = first.done ? text : jsonArrayStream(items, { first: text, chunker: first });
  return new Response(body, { ...init, headers: jsonHeaders(init.headers) });
}

/** The array's text in chunks of about CHUNK_CHARS, item by item, as JSON.stringify writes an array. */
class Chunker {
  private index = 0;
  private closed = false;
  constructor(private readonly items: readonly unknown[]) {}

  /** The closing bracket has been given. */
  get done(): boolean {
    return this.closed;
  }

  next(): string {
    let text = this.index === 0 ? "[" : "";
    while (this.index < this.items.length && text.length < CHUNK_CHARS) {
      // As JSON.stringify writes an array: "null" for what has no JSON form (undefined, a function).
      text += (this.index === 0 ? "" : ",") + (JSON.stringify(this.items[this.index]) ?? "null");
      this.index++;
    }
    if (this.index === this.items.length) {
      text += "]";
      this.closed = true;
    }
    return text;
  }
}

export function jsonArrayStream(
  items: readonly unknown[],
  started?: { first: string; chunker: Chunker },
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const chunker = started?.chunker ?? new Chunker(items);
  let pending = started?.first;
  // highWaterMark 0: pull() runs only when the consumer reads, so a slow client holds back the stringifying.
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const text = pending ?? chunker.next();
        pending = undefined;
        controller.enqueue(encoder.encode(text));
        if (chunker.done) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}
