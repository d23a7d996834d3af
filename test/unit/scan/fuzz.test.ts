// Robustness: thousands of deterministic mutated inputs (byte flips, truncation, splicing of fixture and
// example snippets, deep nesting, odd encodings, garbage) must never make the analyzer or the scanner throw,
// and each must finish within a time bound. Jobs run in a worker so a hang is reported, not suffered.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FuzzJob, FuzzMessage } from './fuzz-worker';

const SEED = 0x6b657977; // "keyw"
/** A small fixed-seed run for `npm test`; `npm run fuzz -- --seed N --count M` runs long ones. */
const ITERATIONS = 2400;
const PER_FILE_MS = 2000;
/** A single input still running after this long is declared hung and the worker is stopped. */
const HANG_MS = 10_000;

interface Outcome { stats: Record<string, number | string>; slowest: { label: string; ms: number }; failures: string[] }

function runJob(job: FuzzJob, bound = PER_FILE_MS): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    // Bounded memory: a worker whose heap passes the limit dies with ERR_WORKER_OUT_OF_MEMORY, which fails the test.
    const worker = new Worker(path.join(__dirname, 'fuzz-worker.js'), { workerData: job, resourceLimits: { stackSizeMb: 4, maxOldGenerationSizeMb: 1024 } });
    const failures: string[] = [];
    let slowest = { label: '', ms: 0 };
    let current: { label: string; preview: string; length: number } | undefined;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`hung: input ${current?.label} (${current?.length} chars) still running after ${Math.max(HANG_MS, bound)} ms; starts with ${current?.preview}`));
      }, Math.max(HANG_MS, bound));
    };
    arm();
    worker.on('message', (m: FuzzMessage) => {
      if (m.type === 'start') { current = m; arm(); } else if (m.type === 'end') {
        if (m.ms > slowest.ms) slowest = { label: m.label, ms: m.ms };
        if (m.ms > bound) failures.push(`${m.label}: ${m.ms.toFixed(0)} ms > ${bound} ms`);
        if (m.badPosition) failures.push(`${m.label}: finding with a negative position`);
        if (m.silent) failures.push(`${m.label}: could not be parsed but was not reported (never silent)`);
      } else if (m.type === 'threw') {
        failures.push(`${m.label} threw: ${m.stack}`);
      } else if (m.type === 'done') {
        clearTimeout(timer);
        void worker.terminate();
        resolve({ stats: m.stats, slowest, failures });
      }
    });
    worker.on('error', (e) => { clearTimeout(timer); reject(e); });
    worker.on('exit', (code) => { clearTimeout(timer); if (code !== 0 && code !== 1) reject(new Error(`fuzz worker exited with ${code}`)); });
  });
}

describe('fuzz: analyzer and scanner never throw', function () {
  this.timeout(240_000);

  it(`survives ${ITERATIONS} mutated inputs through analyzeText within ${PER_FILE_MS} ms each`, async () => {
    const o = await runJob({ kind: 'mutations', seed: SEED, count: ITERATIONS });
    console.log(`      ${JSON.stringify(o.stats)}; slowest ${o.slowest.label} ${o.slowest.ms.toFixed(0)} ms`);
    assert.equal(o.stats.inputs, ITERATIONS);
    assert.ok(Number(o.stats.seeds) >= 30, 'seeds of every kind loaded');
    assert.ok(Number(o.stats.reportedUnparseable) > 100, 'unparseable inputs were reported');
    assert.equal(o.stats.silent, 0);
    assert.deepEqual(o.failures, []);
  });

  it('survives 10,000-deep nesting in every language', async () => {
    const o = await runJob({ kind: 'deep' }, PER_FILE_MS * 2);
    assert.ok(Number(o.stats.inputs) >= 10);
    assert.deepEqual(o.failures, []);
  });

  it('the scanner survives mutated files on disk (binary, encodings, huge)', async () => {
    const o = await runJob({ kind: 'scan', seed: SEED ^ 0xabcdef, count: 200 }, 60_000);
    assert.deepEqual(o.failures, []);
    assert.ok(Number(o.stats.filesScanned) > 50, `scanned ${o.stats.filesScanned}`);
    assert.ok(Number(o.stats.oversized) >= 1, 'the 2 MB file gets the fast pass');
    assert.ok(Number(o.stats.binary) >= 1);
  });
});
