import "server-only";
import { LINGER_BYTES, LINGER_MS } from "@/lib/http/linger";

/**
 * What to do with the rest of a body refused part-way (413): drain it, do not cancel, since a body left
 * half-read wedges the keep-alive connection (the client's next request on it is never answered). And answer
 * only once the client has sent what it reasonably had to send: a connection that is closed after the answer
 * while bytes still arrive is reset, and the reset can destroy the unread 413 on the client's side (NGINX's
 * "lingering close"). Past the bound (in bytes or time), the rest is drained in the background.
 */
export async function lingerDrain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<"expired">((resolve) => (timer = setTimeout(() => resolve("expired"), LINGER_MS)));
  let read = 0;
  try {
    for (;;) {
      // A client that stops sending must not hold the answer: the wait is bounded in time as well as size.
      const step = await Promise.race([reader.read(), expired]);
      if (step === "expired" || read > LINGER_BYTES) {
        void drain(reader);
        return;
      }
      if (step.done) return;
      read += step.value.byteLength;
    }
  } catch {
    // the client went away: nothing left to drain
  } finally {
    clearTimeout(timer);
  }
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  try {
    while (!(await reader.read()).done);
  } catch {
    // the client went away: nothing left to drain
  }
}
