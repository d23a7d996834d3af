#!/usr/bin/env node
// npm run bench:index — the explorer index against moto with 10,000 parameters and 1,000 secrets.
// Prints time to first page, time to full index (vs a bare loop of the same paginated SDK calls,
// measured in the same run), API calls (vs the minimum), and heap/RSS added by the index.
// Uses the one-to-one build in out/ (node scripts/build.mjs --tests). Run with --expose-gc.
// Options: --stock-moto (moto_server as installed, which pages DescribeParameters by 10),
//          --rounds N (default 3), --json. KEYWAY_TEST_ENDPOINT=<url> uses a running emulator.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const out = (p) => join(root, 'out', p);
if (!existsSync(out('src/aws/index.js'))) {
  console.error('out/ is missing: run `node scripts/build.mjs --tests` first (npm run bench:index does).');
  process.exit(1);
}
if (typeof globalThis.gc !== 'function') {
  console.error('Run with node --expose-gc (npm run bench:index does).');
  process.exit(1);
}

const args = process.argv.slice(2);
const stockMoto = args.includes('--stock-moto');
const asJson = args.includes('--json');
const rounds = Number(args[args.indexOf('--rounds') + 1]) > 0 && args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 3;

const aws = require(out('src/aws/index.js'));
const { startMoto } = require(out('test/support/moto.js'));
const { resetEmulator, DUMMY_CREDENTIALS } = require(out('test/aws/support/emulator.js'));
const { bulkSeed, effectiveDescribePageSize, LARGE_LAYOUT } = require(out('test/aws/support/bulkSeed.js'));

const MB = 1024 * 1024;
const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtMB = (b) => `${(b / MB).toFixed(1)} MB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

function settle() {
  for (let i = 0; i < 4; i++) globalThis.gc();
  return process.memoryUsage();
}

async function connect(endpoint, counter) {
  return aws.createConnection({ endpointUrl: endpoint, region: 'us-east-1', credentials: DUMMY_CREDENTIALS, onApiCall: counter?.listener });
}

/** The same paginated SDK calls as the index, with nothing kept: the baseline. */
async function bareListing(endpoint) {
  const { DescribeParametersCommand } = require('@aws-sdk/client-ssm');
  const { ListSecretsCommand } = require('@aws-sdk/client-secrets-manager');
  const counter = new aws.ApiCallCounter();
  const conn = await connect(endpoint, counter);
  const ssm = await new aws.SsmService(conn).client();
  const sm = await new aws.SecretsService(conn).client();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let params = 0;
  let secrets = 0;
  await Promise.all([
    (async () => {
      let token;
      do {
        const r = await ssm.send(new DescribeParametersCommand({ MaxResults: 50, NextToken: token }));
        params += r.Parameters?.length ?? 0;
        token = r.NextToken;
      } while (token);
    })(),
    (async () => {
      let token;
      do {
        const r = await sm.send(new ListSecretsCommand({ MaxResults: 100, NextToken: token, IncludePlannedDeletion: true }));
        secrets += r.SecretList?.length ?? 0;
        token = r.NextToken;
      } while (token);
    })(),
  ]);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  conn.dispose();
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, params, secrets, calls: counter.total };
}

async function indexListing(endpoint, { measureMemory }) {
  const counter = new aws.ApiCallCounter();
  const conn = await connect(endpoint, counter);
  // Create the clients (and load the SDK modules) before measuring, so the figures are the index's.
  await new aws.SsmService(conn).client();
  await new aws.SecretsService(conn).client();
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const before = measureMemory ? settle() : undefined;
  const sampler = setInterval(sample, 100);
  let explorer = new aws.ExplorerIndex(conn);
  const first = {};
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  explorer.parameters.onPage(() => { first.parameters ??= performance.now() - t0; sample(); });
  explorer.secrets.onPage(() => { first.secrets ??= performance.now() - t0; sample(); });
  const [p, s] = await explorer.load();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  sample();
  const params = explorer.parameters.size;
  const secrets = explorer.secrets.size;
  let memory;
  if (measureMemory) {
    // The index is still referenced here (explorer), so this is the memory it holds.
    const after = settle();
    explorer.dispose();
    explorer = undefined;
    conn.dispose();
    const dropped = settle();
    memory = {
      heapAdded: after.heapUsed - before.heapUsed,
      rssAdded: after.rss - before.rss,
      retainedHeap: after.heapUsed - dropped.heapUsed,
      peakHeapAdded: peakHeap - before.heapUsed,
      peakRssAdded: peakRss - before.rss,
      held: params + secrets,
    };
  } else {
    explorer.dispose();
    conn.dispose();
  }
  return {
    ms, cpuMs: (cpu.user + cpu.system) / 1000, firstParametersMs: first.parameters, firstSecretsMs: first.secrets,
    params, secrets, status: [p.status, s.status],
    calls: counter.total, attempts: counter.attempts, byOperation: Object.fromEntries(counter.byOperation), memory,
  };
}

async function main() {
  let moto;
  let endpoint = process.env.KEYWAY_TEST_ENDPOINT;
  if (!endpoint) {
    moto = await startMoto({ stock: stockMoto });
    endpoint = moto.endpoint;
  }
  try {
    await resetEmulator(endpoint);
    const seed = await bulkSeed(endpoint, LARGE_LAYOUT);
    const pageSize = await effectiveDescribePageSize(endpoint);
    const nParams = seed.parameters.length;
    const nSecrets = seed.secrets.length;
    const minimum = Math.ceil(nParams / 50) + Math.ceil(nSecrets / 100);
    const minimumHere = Math.ceil(nParams / pageSize) + Math.ceil(nSecrets / 100);

    // Warm-up: load SDK modules and open sockets once.
    const warm = await connect(endpoint);
    await warm.whoAmI();
    warm.dispose();

    const bare = [];
    const idx = [];
    for (let r = 0; r < rounds; r++) {
      // Alternate the order so neither side always runs first.
      const measureMemory = r === rounds - 1;
      if (r % 2 === 0) {
        bare.push(await bareListing(endpoint));
        idx.push(await indexListing(endpoint, { measureMemory }));
      } else {
        idx.push(await indexListing(endpoint, { measureMemory }));
        bare.push(await bareListing(endpoint));
      }
    }
    const last = idx[idx.length - 1];
    const result = {
      emulator: moto ? (stockMoto ? 'moto (stock)' : 'moto (DescribeParameters honours MaxResults)') : endpoint,
      items: { parameters: nParams, secrets: nSecrets },
      seedMs: { parameters: Math.round(seed.parameterMs), secrets: Math.round(seed.secretMs) },
      describePageSize: pageSize,
      rounds,
      firstPageMs: { parameters: median(idx.map((x) => x.firstParametersMs)), secrets: median(idx.map((x) => x.firstSecretsMs)) },
      fullIndexMs: median(idx.map((x) => x.ms)),
      bareLoopMs: median(bare.map((x) => x.ms)),
      clientCpuMs: { index: Math.round(median(idx.map((x) => x.cpuMs))), bare: Math.round(median(bare.map((x) => x.cpuMs))) },
      roundsMs: bare.map((b, i) => ({ bare: Math.round(b.ms), index: Math.round(idx[i].ms) })),
      apiCalls: last.calls,
      apiAttempts: last.attempts,
      byOperation: last.byOperation,
      minimumCallsAws: minimum,
      minimumCallsThisEmulator: minimumHere,
      indexed: { parameters: last.params, secrets: last.secrets, status: last.status },
      memory: last.memory,
    };
    if (asJson) {
      console.log(JSON.stringify(result, null, 2));
    } else {
      const m = result.memory;
      console.log(`Keyway index benchmark — ${result.emulator}`);
      console.log(`  seeded                 ${nParams} parameters in ${fmtMs(seed.parameterMs)}, ${nSecrets} secrets in ${fmtMs(seed.secretMs)}`);
      console.log(`  DescribeParameters     page size ${pageSize} (asked for 50)`);
      console.log(`  time to first page     parameters ${fmtMs(result.firstPageMs.parameters)}, secrets ${fmtMs(result.firstPageMs.secrets)}`);
      console.log(`  time to full index     ${fmtMs(result.fullIndexMs)}  (bare SDK loop: ${fmtMs(result.bareLoopMs)}, ratio ${(result.fullIndexMs / result.bareLoopMs).toFixed(2)}x; median of ${rounds})`);
      console.log(`  client CPU (Keyway)    index ${fmtMs(result.clientCpuMs.index)} vs bare loop ${fmtMs(result.clientCpuMs.bare)} (ratio ${(result.clientCpuMs.index / result.clientCpuMs.bare).toFixed(2)}x; the rest of the wall time is the emulator)`);
      console.log(`  rounds (bare / index)  ${result.roundsMs.map((r) => `${fmtMs(r.bare)} / ${fmtMs(r.index)}`).join(', ')}`);
      console.log(`  API calls              ${result.apiCalls} (${Object.entries(result.byOperation).map(([k, v]) => `${k} ${v}`).join(', ')}); attempts ${result.apiAttempts}`);
      console.log(`  vs minimum             ${result.apiCalls}/${minimumHere} = ${(result.apiCalls / minimumHere).toFixed(2)}x for this emulator; AWS minimum ${minimum}`);
      console.log(`  indexed                ${last.params} parameters, ${last.secrets} secrets (${last.status.join('/')})`);
      console.log(`  memory added by index  heap ${fmtMB(m.heapAdded)}, RSS ${fmtMB(m.rssAdded)} (after GC, index held)`);
      console.log(`                         retained heap ${fmtMB(m.retainedHeap)} (freed when dropped); peak during load: heap +${fmtMB(m.peakHeapAdded)}, RSS +${fmtMB(m.peakRssAdded)}`);
      console.log(`                         ${(m.retainedHeap / m.held).toFixed(0)} bytes of heap per indexed item`);
    }
  } finally {
    await moto?.stop();
  }
}

main().catch((e) => {
  console.error(e?.stack ?? e);
  process.exitCode = 1;
});
