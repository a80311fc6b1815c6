/**
 * `npm run bench:pool -- <results.json>... [--a=app] [--b=barenext]` — pools the paired rounds of several runs
 * of bench/run.ts: in each round the two servers ran one after the other, so each round gives one ratio of a to b
 * (req/s and p99). On a machine whose speed drifts between runs, the spread of those ratios over many rounds is
 * what settles a target such as "p99 ≤ 1.2×", where one run's median can land on either side.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

interface Round {
  rps: number;
  p99_ms: number;
}
type Results = { scenarios: Record<string, Record<string, { rounds?: Round[] }>> };

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { a: { type: "string", default: "app" }, b: { type: "string", default: "barenext" } },
});

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const geomean = (xs: number[]) => Math.exp(xs.reduce((sum, x) => sum + Math.log(x), 0) / xs.length);
const pct = (x: number) => `${Math.round(x * 100)} %`;

const pairs = new Map<string, { run: string; rps: number; p99: number }[]>();
for (const file of positionals) {
  const results = JSON.parse(readFileSync(file, "utf8")) as Results;
  for (const [scenario, servers] of Object.entries(results.scenarios)) {
    const a = servers[values.a]?.rounds;
    const b = servers[values.b]?.rounds;
    if (!a || !b) continue;
    const list = pairs.get(scenario) ?? [];
    a.forEach((x, i) => b[i] && list.push({ run: file, rps: x.rps / b[i].rps, p99: x.p99_ms / b[i].p99_ms }));
    pairs.set(scenario, list);
  }
}

console.log(
  `| scenario (${values.a} / ${values.b}) | rounds (runs) | req/s: median, geometric mean | rounds under 90 % | p99: median, geometric mean | rounds over 1.2× |`,
);
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const [scenario, list] of pairs) {
  const rps = list.map((p) => p.rps);
  const p99 = list.map((p) => p.p99);
  console.log(
    `| ${scenario} | ${list.length} (${new Set(list.map((p) => p.run)).size}) | ${pct(median(rps))}, ${pct(geomean(rps))} | ${rps.filter((x) => x < 0.9).length} | ${median(p99).toFixed(2)}×, ${geomean(p99).toFixed(2)}× | ${p99.filter((x) => x > 1.2).length} |`,
  );
}
