/**
 * pino's `isoTime` ("time" as an ISO 8601 string), without a Date per line: Next.js wraps Date in the server
 * process, which makes constructing one costly, and a line is written for every request. The date-and-second
 * part is formatted once a second; each line adds its milliseconds.
 */
let second = Number.NaN;
let prefix = "";

export function isoTime(now = Date.now()): string {
  const s = Math.floor(now / 1000);
  if (s !== second) {
    second = s;
    prefix = new Date(s * 1000).toISOString().slice(0, 20); // "2026-11-26T14:52:20."
  }
  return `,"time":"${prefix}${String(now - s * 1000).padStart(3, "0")}Z"`;
}
