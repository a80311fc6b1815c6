// Measures react-markdown + remark-gfm on a costly shape, as the note pages render it (without the budget of
// lib/markdown/budget.ts), to choose that budget. Run under production's heap cap:
//   node --max-old-space-size=224 bench/markdown.mjs <list|em|table|prose|paras> <chars>
import React from "react";
import { renderToString } from "react-dom/server";
import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";

const [, , shape, charsArg] = process.argv;
const chars = Number(charsArg);
const fill = (unit) => unit.repeat(Math.floor(chars / unit.length));
const shapes = {
  list: () => fill("- a\n"),
  em: () => fill("*a* "),
  table: () => `| a | b | c | d |\n|---|---|---|---|\n${"| 1 | 2 | 3 | 4 |\n".repeat(Math.floor((chars - 36) / 18))}`,
  prose: () => fill("The quick brown fox jumps over the lazy dog, again and again. "),
  paras: () => fill("The quick brown fox jumps over the lazy dog, again and again.\n\n"),
};
if (!shapes[shape] || !(chars > 0)) {
  console.error("usage: node --max-old-space-size=224 bench/markdown.mjs <list|em|table|prose|paras> <chars>");
  process.exit(2);
}
const text = shapes[shape]();
const render = (md) =>
  renderToString(React.createElement(ReactMarkdown, { remarkPlugins: [remarkGfm], skipHtml: true }, md));
// Warm the JIT, as a running server is.
for (let i = 0; i < 20; i++) render("- a\n*a* b\n\n| a |\n|---|\n| 1 |\n".repeat(20));

const started = performance.now();
const cpu = process.cpuUsage();
render(text);
const used = process.cpuUsage(cpu);
console.log(
  JSON.stringify({
    shape,
    chars: text.length,
    wallMs: Math.round(performance.now() - started),
    cpuMs: Math.round((used.user + used.system) / 1000),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
