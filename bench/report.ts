/**
 * `node --import tsx bench/report.ts [results.json] [results-memory.json]` — prints the Markdown tables of
 * bench/RESULTS.md from raw results (the side-by-side table, argon2id, scale with EXPLAIN plans, memory).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { printTable } from "./run";
import { ROOT } from "./support";

const main = path.resolve(ROOT, process.argv[2] || "bench/out/results.json");
const memory = path.resolve(ROOT, process.argv[3] || "bench/out/results-memory.json");

if (existsSync(main)) {
  const r = JSON.parse(readFileSync(main, "utf8"));
  console.log(printTable(r));
  if (r.scale) {
    console.log("\n#### EXPLAIN (ANALYZE, BUFFERS)\n");
    for (const q of r.scale.queries) {
      for (const [k, label] of [
        ["small", "1,000 notes"],
        ["big", "100,000 notes"],
        ["small_in_big_db", "1,000-note user in the 200,000-note table"],
      ] as const) {
        console.log(
          `${q.name} — ${label} (${q[k].rows} rows${q[k].matches === undefined ? "" : ` of ${q[k].matches} matches`}):\n`,
        );
        console.log("```\n" + q[k].plan + "\n```\n");
      }
    }
  }
}
if (existsSync(memory)) {
  const m = JSON.parse(readFileSync(memory, "utf8"));
  if (m.mixed) {
    const x = m.mixed;
    console.log(
      `\nmixed load ${x.seconds} s: ${x.wrk.rps.toFixed(0)} req/s; max RSS ${x.max_rss_mb.toFixed(1)} MB; minute 2 → 5: ${x.rss_min2_mb.toFixed(1)} → ${x.rss_min5_mb.toFixed(1)} MB (slope ${x.slope_mb_per_min_min2_to_min5.toFixed(2)} MB/min)`,
    );
    console.log("\n| t (s) | " + x.samples.map((s: { t: number }) => s.t).join(" | ") + " |");
    console.log("| --- | " + x.samples.map(() => "---:").join(" | ") + " |");
    console.log("| RSS (MB) | " + x.samples.map((s: { rss_mb: number }) => s.rss_mb.toFixed(0)).join(" | ") + " |");
  }
  if (m.upload) {
    const u = m.upload;
    console.log(
      `\n200 MB multipart upload: ${u.seconds.toFixed(1)} s (${u.mb_per_s.toFixed(0)} MB/s); RSS ${u.rss_baseline_mb.toFixed(1)} → peak ${u.rss_peak_mb.toFixed(1)} MB (rise ${u.rise_mb.toFixed(1)} MB), after ${u.rss_after_mb.toFixed(1)} MB`,
    );
  }
}
