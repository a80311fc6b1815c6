import { jsonHeaders } from "@/lib/http/problem";

/** Items are stringified together until their text reaches this many characters, then sent as one chunk. */
const CHUNK_CHARS = 64 * 1024;

/**
 * A JSON array response, byte for byte what json(items) sends, but written item by item as the client takes
 * it: a page of large notes never exists as one string (nor as that string's bytes) in memory.
 */
export function jsonArray(items: readonly unknown[], init: ResponseInit = {}): Response {
  return new Response(jsonArrayStream(items), { ...init, headers: jsonHeaders(init.headers) });
}

export function jsonArrayStream(items: readonly unknown[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = 0;
  // highWaterMark 0: pull() runs only when the consumer reads, so a slow client holds back the stringifying.
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        let text = next === 0 ? "[" : "";
        while (next < items.length && text.length < CHUNK_CHARS) {
          // As JSON.stringify writes an array: "null" for what has no JSON form (undefined, a function).
          text += (next === 0 ? "" : ",") + (JSON.stringify(items[next]) ?? "null");
          next++;
        }
        if (next === items.length) text += "]";
        controller.enqueue(encoder.encode(text));
        if (next === items.length) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}
