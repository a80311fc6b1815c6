/** Reading what the instances tell an operator: their JSON log lines and their Prometheus metrics. */

export interface LogLine {
  level: string;
  msg: string;
  reqId?: string;
  userId?: string;
  route?: string;
  ip?: string;
  responseTime?: number;
  req?: { method: string; path: string };
  res?: { status: number };
  [key: string]: unknown;
}

/** Every line must be one JSON object: throws on the first that is not, naming it. */
export function parseLogs(lines: string[], source: string): LogLine[] {
  return lines.map((line, i) => {
    try {
      const value = JSON.parse(line);
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not an object");
      return value as LogLine;
    } catch {
      throw new Error(`${source}, line ${i + 1} is not a JSON object: ${line.slice(0, 300)}`);
    }
  });
}

/** The request log lines (one per request, written by server/observe.ts when the response is done). */
export function requestLines(lines: string[], source: string): LogLine[] {
  return parseLogs(lines, source).filter((l) => l.req && l.res && typeof l.responseTime === "number");
}

/** Value of one sample of a Prometheus text exposition (0 when the series does not exist yet). */
export function sample(exposition: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of exposition.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const match = /^([^{ ]+)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[3]);
  }
  return 0;
}
