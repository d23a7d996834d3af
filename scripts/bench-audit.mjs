#!/usr/bin/env node
// npm run bench:audit — the account audit and a comparison of two paths on 10,000 parameters, against moto.
//   audit:   10,000 parameters and 1,000 secrets (test/aws/support/bulkSeed.ts LARGE_LAYOUT). Keyway's runAudit (listing,
//            the value reads the checks need, the checks) against a bare loop of the same SDK calls with nothing
//            judged, in the same run; API calls against the minimum; heap/RSS added at the peak and retained.
//   compare: /kw-cmp/app-00 against /kw-cmp/app-01, 5,000 parameters each (10,000 compared, every value read and
//            hashed), through a filtered listing and through a complete explorer index, against a bare loop.
// Uses the one-to-one build in out/ (node scripts/build.mjs --tests). Run with --expose-gc.
// Options: --rounds N (default 2), --json, --skip-compare, --skip-audit. KEYWAY_TEST_ENDPOINT=<url> uses a running emulator.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const out = (p) => join(root, 'out', p);
if (!existsSync(out('src/aws/index.js'))) {
  console.error('out/ is missing: run `node scripts/build.mjs --tests` first (npm run bench:audit does).');
  process.exit(1);
}
if (typeof globalThis.gc !== 'function') {
  console.error('Run with node --expose-gc (npm run bench:audit does).');
  process.exit(1);
}

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const rounds = args.includes('--rounds') && Number(args[args.indexOf('--rounds') + 1]) > 0 ? Number(args[args.indexOf('--rounds') + 1]) : 2;

const aws = require(out('src/aws/index.js'));
const core = require(out('src/core/index.js'));
const { startMoto } = require(out('test/support/moto.js'));
const { resetEmulator, DUMMY_CREDENTIALS } = require(out('test/aws/support/emulator.js'));
const { bulkSeed, LARGE_LAYOUT } = require(out('test/aws/support/bulkSeed.js'));
const { DescribeParametersCommand, GetParametersCommand } = require('@aws-sdk/client-ssm');
const { ListSecretsCommand, BatchGetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');

const MB = 1024 * 1024;
const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtMB = (b) => `${(b / MB).toFixed(1)} MB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const chunks = (xs, n) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
const CONCURRENCY = 4;

function settle() {
  for (let i = 0; i < 4; i++) globalThis.gc();
  return process.memoryUsage();
}

/** Peak heap/RSS while `fn` runs, and what is still held after it (fn returns what it keeps). */
async function measured(fn) {
  const before = settle();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  const sampler = setInterval(() => { const m = process.memoryUsage(); peakHeap = Math.max(peakHeap, m.heapUsed); peakRss = Math.max(peakRss, m.rss); }, 50);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let kept = await fn();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  const held = settle();
  const result = { ms, cpuMs: (cpu.user + cpu.system) / 1000, peakHeapAdded: peakHeap - before.heapUsed, peakRssAdded: peakRss - before.rss, heldHeap: held.heapUsed - before.heapUsed, value: kept };
  kept = undefined;
  return result;
}

async function connect(endpoint, counter) {
  return aws.createConnection({ endpointUrl: endpoint, region: 'us-east-1', credentials: DUMMY_CREDENTIALS, onApiCall: counter?.listener });
}

async function pool(items, n, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => { while (next < items.length) await fn(items[next++]); }));
}

// ------------------------------------------------------------------------------------------------ audit

/** The audit's SDK calls in a bare loop: both listings, then the same value reads, nothing judged or kept. */
async function bareAudit(endpoint) {
  const counter = new aws.ApiCallCounter();
  const conn = await connect(endpoint, counter);
  const ssm = await new aws.SsmService(conn).client();
  const sm = await new aws.SecretsService(conn).client();
  const r = await measured(async () => {
    const plain = []; const advanced = []; const secrets = [];
    await Promise.all([
      (async () => { let token; do { const p = await ssm.send(new DescribeParametersCommand({ MaxResults: 50, NextToken: token })); for (const x of p.Parameters ?? []) { if (x.Tier === 'Advanced') advanced.push(x.Name); else if (x.Type !== 'SecureString') plain.push(x.Name); } token = p.NextToken; } while (token); })(),
      (async () => { let token; do { const p = await sm.send(new ListSecretsCommand({ MaxResults: 100, NextToken: token, IncludePlannedDeletion: true })); for (const x of p.SecretList ?? []) if (!x.RotationEnabled && !x.DeletedDate) secrets.push(x.Name); token = p.NextToken; } while (token); })(),
    ]);
    let bytes = 0;
    const jobs = [
      ...chunks(plain, 10).map((b) => async () => { const o = await ssm.send(new GetParametersCommand({ Names: b, WithDecryption: false })); for (const p of o.Parameters ?? []) bytes += (p.Value ?? '').length; }),
      ...chunks(advanced, 10).map((b) => async () => { const o = await ssm.send(new GetParametersCommand({ Names: b, WithDecryption: true })); for (const p of o.Parameters ?? []) bytes += (p.Value ?? '').length; }),
      ...chunks(secrets, 20).map((b) => async () => { const o = await sm.send(new BatchGetSecretValueCommand({ SecretIdList: b })); for (const s of o.SecretValues ?? []) bytes += (s.SecretString ?? '').length; }),
    ];
    await pool(jobs, CONCURRENCY, (j) => j());
    return { plain: plain.length, advanced: advanced.length, secrets: secrets.length, bytes };
  });
  conn.dispose();
  return { ...r, calls: counter.total, byOperation: Object.fromEntries(counter.byOperation) };
}

async function keywayAudit(endpoint) {
  const counter = new aws.ApiCallCounter();
  const conn = await connect(endpoint, counter);
  await new aws.SsmService(conn).client();
  await new aws.SecretsService(conn).client();
  const a = core.store.audit;
  const now = Date.now();
  let firstFindingMs;
  const t0 = performance.now();
  const r = await measured(async () => {
    const index = new aws.ExplorerIndex(conn);
    const res = await aws.runAudit({
      index, ownsIndex: true, need: a.valueNeed, inspect: a.valueFacts, judge: (item) => a.auditItem(item, { now }),
      onFindings: () => { firstFindingMs ??= performance.now() - t0; },
    });
    return { res, index };
  });
  const res = r.value.res;
  r.value.index.dispose();
  conn.dispose();
  const byCheck = {};
  for (const f of res.findings) byCheck[f.check] = (byCheck[f.check] ?? 0) + 1;
  return { ms: r.ms, cpuMs: r.cpuMs, peakHeapAdded: r.peakHeapAdded, peakRssAdded: r.peakRssAdded, heldHeap: r.heldHeap, firstFindingMs, calls: counter.total, attempts: counter.attempts, byOperation: Object.fromEntries(counter.byOperation), scanned: res.scanned, findings: res.findings.length, byCheck, complete: res.complete, savings: a.auditTotals(res.findings).monthlySavings };
}

/** Cancel: how long after the abort the audit returns, mid-listing. */
async function cancelLatency(endpoint) {
  const conn = await connect(endpoint);
  const controller = new AbortController();
  const a = core.store.audit;
  const index = new aws.ExplorerIndex(conn);
  let abortedAt;
  index.parameters.onPage((e) => { if (e.pageNumber === 20 && !abortedAt) { abortedAt = performance.now(); controller.abort(); } });
  const res = await aws.runAudit({ index, ownsIndex: true, signal: controller.signal, need: a.valueNeed, inspect: a.valueFacts, judge: (item) => a.auditItem(item, { now: Date.now() }) });
  const ms = performance.now() - abortedAt;
  index.dispose();
  conn.dispose();
  return { ms, cancelled: res.cancelled, scanned: res.scanned };
}

// ------------------------------------------------------------------------------------------------ compare

const CMP_LAYOUT = { prefix: '/kw-cmp', apps: 2, stages: 1, parametersPerStage: 5000, secretsPerStage: 0 };
const CMP_A = '/kw-cmp/app-00';
const CMP_B = '/kw-cmp/app-01';

async function bareCompare(endpoint) {
  const counter = new aws.ApiCallCounter();
  const conn = await connect(endpoint, counter);
  const ssm = await new aws.SsmService(conn).client();
  const r = await measured(async () => {
    const list = async (p) => { const names = []; let token; do { const o = await ssm.send(new DescribeParametersCommand({ MaxResults: 50, NextToken: token, ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: [p] }] })); for (const x of o.Parameters ?? []) names.push(x.Name); token = o.NextToken; } while (token); return names; };
    const [a, b] = await Promise.all([list(CMP_A), list(CMP_B)]);
    let bytes = 0;
    await pool(chunks([...a, ...b], 10), CONCURRENCY, async (batch) => { const o = await ssm.send(new GetParametersCommand({ Names: batch, WithDecryption: true })); for (const p of o.Parameters ?? []) bytes += (p.Value ?? '').length; });
    return { a: a.length, b: b.length, bytes };
  });
  conn.dispose();
  return { ...r, calls: counter.total, byOperation: Object.fromEntries(counter.byOperation) };
}

async function keywayCompare(endpoint, { useIndex }) {
  const counter = new aws.ApiCallCounter();
  const conn = await connect(endpoint, counter);
  await new aws.SsmService(conn).client();
  let index;
  let indexCalls = 0;
  if (useIndex) {
    index = new aws.ExplorerIndex(conn);
    await index.parameters.load();
    indexCalls = counter.total;
    counter.reset();
  }
  const r = await measured(async () => {
    const sides = await aws.loadCompareSides(conn, 'parameter', CMP_A, CMP_B, { index: index?.parameters });
    return core.store.compareSides('parameter', { prefix: CMP_A, items: sides.a }, { prefix: CMP_B, items: sides.b });
  });
  const result = r.value;
  index?.dispose();
  conn.dispose();
  return { ms: r.ms, cpuMs: r.cpuMs, peakHeapAdded: r.peakHeapAdded, peakRssAdded: r.peakRssAdded, heldHeap: r.heldHeap, calls: counter.total, attempts: counter.attempts, byOperation: Object.fromEntries(counter.byOperation), indexCalls, counts: result.counts, rows: result.rows.length };
}

// ------------------------------------------------------------------------------------------------ main

function alternate(n, a, b) {
  return (async () => {
    const xs = []; const ys = [];
    for (let r = 0; r < n; r++) {
      if (r % 2 === 0) { xs.push(await a()); ys.push(await b()); } else { ys.push(await b()); xs.push(await a()); }
    }
    return [xs, ys];
  })();
}

async function main() {
  let moto;
  let endpoint = process.env.KEYWAY_TEST_ENDPOINT;
  if (!endpoint) { moto = await startMoto(); endpoint = moto.endpoint; }
  const result = { emulator: moto ? 'moto (DescribeParameters honours MaxResults)' : endpoint, rounds };
  try {
    await resetEmulator(endpoint);
    const warm = await connect(endpoint);
    await warm.whoAmI();
    warm.dispose();
    if (!args.includes('--skip-audit')) {
      const seed = await bulkSeed(endpoint, LARGE_LAYOUT);
      const [bare, kw] = await alternate(rounds, () => bareAudit(endpoint), () => keywayAudit(endpoint));
      const b = bare[bare.length - 1].value;
      const minimum = Math.ceil(seed.parameters.length / 50) + Math.ceil(seed.secrets.length / 100) + Math.ceil(b.plain / 10) + Math.ceil(b.advanced / 10) + Math.ceil(b.secrets / 20);
      const last = kw[kw.length - 1];
      result.audit = {
        items: { parameters: seed.parameters.length, secrets: seed.secrets.length }, valuesNeeded: { plain: b.plain, advanced: b.advanced, secrets: b.secrets },
        keywayMs: median(kw.map((x) => x.ms)), bareMs: median(bare.map((x) => x.ms)),
        keywayCpuMs: median(kw.map((x) => x.cpuMs)), bareCpuMs: median(bare.map((x) => x.cpuMs)),
        firstFindingMs: median(kw.map((x) => x.firstFindingMs ?? NaN)),
        calls: last.calls, attempts: last.attempts, byOperation: last.byOperation, minimumCalls: minimum, bareCalls: bare[bare.length - 1].calls,
        peakHeapAdded: last.peakHeapAdded, peakRssAdded: last.peakRssAdded, heldHeapAfter: last.heldHeap,
        scanned: last.scanned, findings: last.findings, byCheck: last.byCheck, monthlySavings: last.savings, complete: last.complete,
        cancel: await cancelLatency(endpoint),
      };
    }
    if (!args.includes('--skip-compare')) {
      await bulkSeed(endpoint, CMP_LAYOUT);
      const [bare, api] = await alternate(rounds, () => bareCompare(endpoint), () => keywayCompare(endpoint, { useIndex: false }));
      const viaIndex = await keywayCompare(endpoint, { useIndex: true });
      const n = CMP_LAYOUT.parametersPerStage;
      const last = api[api.length - 1];
      result.compare = {
        paths: [CMP_A, CMP_B], parametersCompared: 2 * n,
        keywayMs: median(api.map((x) => x.ms)), bareMs: median(bare.map((x) => x.ms)),
        keywayCpuMs: median(api.map((x) => x.cpuMs)), bareCpuMs: median(bare.map((x) => x.cpuMs)),
        calls: last.calls, byOperation: last.byOperation, minimumCalls: 2 * Math.ceil(n / 50) + Math.ceil((2 * n) / 10), bareCalls: bare[bare.length - 1].calls,
        peakHeapAdded: last.peakHeapAdded, peakRssAdded: last.peakRssAdded, heldHeapAfter: last.heldHeap, counts: last.counts,
        viaIndex: { ms: viaIndex.ms, calls: viaIndex.calls, byOperation: viaIndex.byOperation, minimumCalls: Math.ceil((2 * n) / 10), indexListingCalls: viaIndex.indexCalls },
      };
    }
  } finally {
    await moto?.stop();
  }
  if (asJson) { console.log(JSON.stringify(result, null, 2)); return; }
  console.log(`Keyway audit and compare benchmark — ${result.emulator}; median of ${rounds} rounds, bare loop measured in the same run`);
  const a = result.audit;
  if (a) {
    console.log('audit');
    console.log(`  items                  ${a.items.parameters} parameters, ${a.items.secrets} secrets; values the checks need: ${a.valuesNeeded.plain} Strings, ${a.valuesNeeded.advanced} Advanced, ${a.valuesNeeded.secrets} secrets without rotation`);
    console.log(`  time                   ${fmtMs(a.keywayMs)} (bare SDK loop of the same calls: ${fmtMs(a.bareMs)}, ratio ${(a.keywayMs / a.bareMs).toFixed(2)}x); first finding after ${fmtMs(a.firstFindingMs)}`);
    console.log(`  client CPU             ${fmtMs(a.keywayCpuMs)} vs bare ${fmtMs(a.bareCpuMs)} (ratio ${(a.keywayCpuMs / a.bareCpuMs).toFixed(2)}x; the rest of the wall time is the emulator)`);
    console.log(`  API calls              ${a.calls} (${Object.entries(a.byOperation).map(([k, v]) => `${k} ${v}`).join(', ')}); minimum ${a.minimumCalls} → ${(a.calls / a.minimumCalls).toFixed(2)}x; attempts ${a.attempts}`);
    console.log(`  memory                 peak heap +${fmtMB(a.peakHeapAdded)}, RSS +${fmtMB(a.peakRssAdded)}; held with the index and findings kept: ${fmtMB(a.heldHeapAfter)}`);
    console.log(`  findings               ${a.findings} (${Object.entries(a.byCheck).map(([k, v]) => `${k} ${v}`).join(', ')}); saves $${a.monthlySavings.toFixed(2)} a month; ${a.scanned.valuesRead} values read`);
    console.log(`  cancel                 returned ${fmtMs(a.cancel.ms)} after the abort (at listing page 20; ${a.cancel.scanned.parameters} parameters judged)`);
  }
  const c = result.compare;
  if (c) {
    console.log(`compare ${c.paths[0]} ↔ ${c.paths[1]} (${c.parametersCompared} parameters, every value hashed)`);
    console.log(`  time                   ${fmtMs(c.keywayMs)} (bare SDK loop: ${fmtMs(c.bareMs)}, ratio ${(c.keywayMs / c.bareMs).toFixed(2)}x); client CPU ${fmtMs(c.keywayCpuMs)} vs ${fmtMs(c.bareCpuMs)}`);
    console.log(`  API calls              ${c.calls} (${Object.entries(c.byOperation).map(([k, v]) => `${k} ${v}`).join(', ')}); minimum ${c.minimumCalls} → ${(c.calls / c.minimumCalls).toFixed(2)}x`);
    console.log(`  with a complete index  ${fmtMs(c.viaIndex.ms)}, ${c.viaIndex.calls} calls (minimum ${c.viaIndex.minimumCalls}; no listing call)`);
    console.log(`  memory                 peak heap +${fmtMB(c.peakHeapAdded)}, RSS +${fmtMB(c.peakRssAdded)}; result held ${fmtMB(c.heldHeapAfter)}`);
    console.log(`  result                 ${JSON.stringify(c.counts)}`);
  }
}

main().catch((e) => {
  console.error(e?.stack ?? e);
  process.exitCode = 1;
});
