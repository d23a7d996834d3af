#!/usr/bin/env node
// `npm run fuzz -- --seed N --count M`: mutates valid inputs of every kind the analyzer reads (TS/JS, YAML with alias
// bombs and deep nesting, JSON, .env, TOML, INI, .properties, .npmrc, .netrc, .git-credentials, docker-compose,
// Dockerfiles, shell, CI workflows, snapshots, Terraform, key files and stores, minified bundles, binary and invalid
// UTF-8) by flipping bytes, truncating, splicing, nesting, re-encoding, and deleting, swapping, inserting and
// truncating lines, and runs each through the analyzer in a worker thread (out/test/unit/scan/fuzz-worker.js, the same
// worker `npm test` runs with a small fixed seed). Checks: never throws, each input within --per-file-ms (2 s), the
// worker's heap bounded (--max-heap-mb, 1024), and every input the readers cannot parse reported (never silent).
// Failing inputs are written to .artifacts/fuzz/ to be turned into regression tests. Exit code 1 on any failure.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const option = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : dflt; };
const seed = option('--seed', 1);
const count = option('--count', 1000);
const perFileMs = option('--per-file-ms', 2000);
const maxHeapMb = option('--max-heap-mb', 1024);
const hangMs = Math.max(10_000, perFileMs * 5);
const workerJs = join(root, 'out', 'test', 'unit', 'scan', 'fuzz-worker.js');
const inputs = require(join(root, 'out', 'test', 'unit', 'scan', 'fuzz-inputs.js'));

function save(index, reason) {
  const dir = join(root, '.artifacts', 'fuzz');
  mkdirSync(dir, { recursive: true });
  // Recreate the input from the same seed and index (deterministic), so it can be replayed and kept as a regression.
  const seeds = inputs.loadSeeds();
  const rand = inputs.prng(seed);
  let m;
  for (let i = 0; i <= index; i++) m = inputs.mutate(seeds, rand, i);
  const file = join(dir, `seed${seed}-${index}-${m.name.replace(/[\\/]/g, '_')}`);
  writeFileSync(file, m.bytes ?? Buffer.from(m.text, 'utf8'));
  writeFileSync(file + '.txt', `${reason}\nname: ${m.name}\nreplay: node scripts/fuzz.mjs --seed ${seed} --count ${index + 1}\n`);
  return file;
}

const t0 = performance.now();
const failures = [];
let slowest = { label: '', ms: 0 };
let done = 0;
const times = [];
await new Promise((resolveRun) => {
  const worker = new Worker(workerJs, { workerData: { kind: 'mutations', seed, count }, resourceLimits: { stackSizeMb: 4, maxOldGenerationSizeMb: maxHeapMb } });
  let current;
  let timer;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const index = Number(/^#(\d+)/.exec(current?.label ?? '')?.[1] ?? -1);
      failures.push(`${current?.label}: hung (> ${hangMs} ms)${index >= 0 ? ` → ${save(index, 'hung')}` : ''}`);
      void worker.terminate();
    }, hangMs);
  };
  arm();
  worker.on('message', (m) => {
    if (m.type === 'start') { current = m; arm(); return; }
    if (m.type === 'end') {
      done++;
      times.push(m.ms);
      if (m.ms > slowest.ms) slowest = { label: m.label, ms: m.ms };
      const index = Number(/^#(\d+)/.exec(m.label)?.[1]);
      if (m.ms > perFileMs) failures.push(`${m.label}: ${m.ms.toFixed(0)} ms > ${perFileMs} ms → ${save(index, 'slow')}`);
      if (m.silent) failures.push(`${m.label}: not parsed and not reported → ${save(index, 'silent')}`);
      if (m.badPosition) failures.push(`${m.label}: finding at a negative position → ${save(index, 'bad position')}`);
      if (done % 1000 === 0) process.stderr.write(`[fuzz] ${done}/${count} (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
      return;
    }
    if (m.type === 'threw') {
      const index = Number(/^#(\d+)/.exec(m.label)?.[1]);
      failures.push(`${m.label} threw: ${m.stack.split('\n')[0]} → ${save(index, m.stack)}`);
      return;
    }
    if (m.type === 'done') {
      clearTimeout(timer);
      console.log(JSON.stringify({ seed, count, ...m.stats }));
      void worker.terminate();
      resolveRun();
    }
  });
  worker.on('error', (e) => { clearTimeout(timer); failures.push(`worker error: ${e.code ?? ''} ${e.message}`); resolveRun(); });
  worker.on('exit', () => { clearTimeout(timer); resolveRun(); });
});
times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor(times.length * p))] ?? 0;
console.log(`inputs ${done}/${count} in ${((performance.now() - t0) / 1000).toFixed(1)} s; per input median ${q(0.5).toFixed(1)} ms, p99 ${q(0.99).toFixed(0)} ms, slowest ${slowest.ms.toFixed(0)} ms (${slowest.label})`);
console.log(failures.length ? `FAILURES (${failures.length}):\n  ${failures.join('\n  ')}` : 'no failure: never threw, every input within the time bound, every unparseable input reported');
process.exitCode = failures.length || done < count ? 1 : 0;
