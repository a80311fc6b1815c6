/**
 * Latency of one GET through the app: sequential requests at one connection after a warm-up, the answer read
 * to its end. Shared by bench/scale.ts and bench/organise.ts.
 */

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export interface HttpTimes {
  p50: number;
  p99: number;
  /** Notes in the answer (a JSON array's length). */
  rows: number;
  headers: Headers;
}

export async function httpTimes(
  url: string,
  token: string,
  reqPath: string,
  { requests, warmUp }: { requests: number; warmUp: number },
): Promise<HttpTimes> {
  const headers = { authorization: `Bearer ${token}` };
  let rows = 0;
  let last = new Headers();
  for (let i = 0; i < warmUp; i++) {
    const res = await fetch(url + reqPath, { headers });
    if (res.status !== 200) throw new Error(`${reqPath}: ${res.status} ${await res.text()}`);
    rows = ((await res.json()) as unknown[]).length;
    last = res.headers;
  }
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const t = performance.now();
    const res = await fetch(url + reqPath, { headers });
    await res.arrayBuffer();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), rows, headers: last };
}
