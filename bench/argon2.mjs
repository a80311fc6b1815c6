// argon2id throughput with CloudNotes' parameters (lib/auth/password.ts), run pinned to the server's core by
// bench/run.ts: sequential hashes and verifies for a few seconds each; prints one JSON line.
import { hash, verify } from "@node-rs/argon2";

const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const seconds = Number(process.argv[2] ?? 5);

async function rate(fn) {
  await fn(); // warm-up
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    await fn();
    n += 1;
  }
  const elapsed = (performance.now() - started) / 1000;
  return { per_second: n / elapsed, ms_each: (elapsed * 1000) / n, count: n };
}

const stored = await hash("correct horse battery staple", OPTIONS);
const hashing = await rate(() => hash("correct horse battery staple", OPTIONS));
const verifying = await rate(() => verify(stored, "correct horse battery staple"));
console.log(JSON.stringify({ options: OPTIONS, hash: hashing, verify: verifying }));
