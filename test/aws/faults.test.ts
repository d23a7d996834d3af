import { strict as assert } from 'node:assert';
import { ExplorerIndex, createParameterIndex, createSecretsIndex, type IndexState } from '../../src/aws';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { resetEmulator, testEndpoint } from './support/emulator';
import { assertCallsInRange, bulkSeed, effectiveDescribePageSize, expectedListingCalls, type BulkLayout } from './support/bulkSeed';
import { collectUnhandledRejections, emulatorConnection } from './support/helpers';

// 1,000 parameters (20 pages of 50) and 200 secrets (2 pages of 100): enough pages for faults to land
// on many of them, small enough to seed in a few seconds.
const FAULT_LAYOUT: BulkLayout = { prefix: '/kw-fault', apps: 2, stages: 2, parametersPerStage: 250, secretsPerStage: 50 };
const PARAMS = 1_000;
const SECRETS = 200;

describe('aws/index under injected faults (fault proxy in front of moto)', function () {
  this.timeout(180_000);
  let proxy: FaultProxy;
  let pageSize: number;

  before(async () => {
    await resetEmulator();
    await bulkSeed(testEndpoint(), FAULT_LAYOUT);
    pageSize = await effectiveDescribePageSize(testEndpoint());
    proxy = await startFaultProxy(testEndpoint());
  });
  after(async () => { await proxy?.close(); });

  const listingTargets = /AmazonSSM\.DescribeParameters|secretsmanager\.ListSecrets/;

  it('absorbs 30% throttling, a few 500s and stalls through SDK retries: exact counts, no error state', async () => {
    proxy.setPlan({ targets: listingTargets, seed: 7, throttleRate: 0.3, serverErrorRate: 0.1, maxServerErrors: 3, stallRate: 0.15, maxStalls: 3, stallMs: 2_500 });
    const before = { ...proxy.stats };
    // Stalls (2.5 s) are longer than the request timeout (1 s): the SDK aborts those attempts and retries.
    const { conn, counter, logger } = await emulatorConnection({ endpoint: proxy.endpoint, requestTimeoutMs: 1_000, maxAttempts: 10 });
    const explorer = new ExplorerIndex(conn);
    const states: string[] = [];
    explorer.parameters.onStateChange((s) => states.push(`p:${s.status}`));
    explorer.secrets.onStateChange((s) => states.push(`s:${s.status}`));
    try {
      let result: [IndexState, IndexState] | undefined;
      const t0 = performance.now();
      const unhandled = await collectUnhandledRejections(async () => { result = await explorer.load(); });
      const ms = performance.now() - t0;
      const injected = { throttled: proxy.stats.throttled - before.throttled, serverErrors: proxy.stats.serverErrors - before.serverErrors, stalled: proxy.stats.stalled - before.stalled };
      console.log(`      completed in ${(ms / 1000).toFixed(1)} s: ${counter.total} calls, ${counter.attempts} attempts; injected ${JSON.stringify(injected)}`);
      assert.deepEqual(unhandled, []);
      assert.equal(result?.[0].status, 'complete');
      assert.equal(result?.[1].status, 'complete');
      assert.equal(explorer.parameters.size, PARAMS);
      assert.equal(explorer.secrets.size, SECRETS);
      assert.equal(explorer.parameters.folder('/kw-fault')?.count, PARAMS);
      assert.equal(explorer.secrets.folder('/kw-fault/app-01/stage-1')?.count, 50);
      assert.ok(!states.some((s) => s.endsWith('error')), `states: ${states.join(',')}`);
      // Faults really happened and were absorbed by retries, not by extra listings.
      assert.ok(injected.throttled >= 5, `throttled ${injected.throttled}`);
      assert.equal(injected.serverErrors, 3);
      assert.ok(injected.stalled >= 1, `stalled ${injected.stalled}`);
      assertCallsInRange(counter.count('DescribeParameters'), expectedListingCalls(PARAMS, pageSize), 'DescribeParameters');
      assert.equal(counter.count('ListSecrets'), Math.ceil(SECRETS / 100));
      assert.equal(counter.failed, 0);
      assert.ok(counter.attempts >= counter.total + injected.throttled + injected.serverErrors, 'every injected fault cost one retry');
      assert.match(logger.text, /after \d+ attempts/);
    } finally {
      explorer.dispose();
      conn.dispose();
      proxy.heal();
    }
  });

  it('a listing that keeps failing becomes an error state; retry() resumes from the failed page once healed', async () => {
    // Three pages pass, then every DescribeParameters fails with HTTP 500.
    proxy.setPlan({ targets: /AmazonSSM\.DescribeParameters/, passFirst: 3, failAll: 'server-error' });
    const { conn, counter } = await emulatorConnection({ endpoint: proxy.endpoint, maxAttempts: 3 });
    const index = createParameterIndex(conn);
    const forwardedBefore = proxy.stats.byTarget['AmazonSSM.DescribeParameters'] ?? 0;
    const serverErrorsBefore = proxy.stats.serverErrors;
    try {
      let failed: IndexState | undefined;
      const unhandled = await collectUnhandledRejections(async () => { failed = await index.load(); });
      assert.deepEqual(unhandled, []);
      assert.equal(failed?.status, 'error');
      assert.equal(failed?.error?.kind, 'Unknown');
      assert.equal(failed?.error?.httpStatus, 500);
      assert.equal(failed?.error?.retryable, true);
      assert.match(failed?.error?.message ?? '', /DescribeParameters failed with a server error/);
      assert.equal(index.size, 3 * pageSize, 'pages that arrived stay in the index');
      assert.equal(proxy.stats.serverErrors - serverErrorsBefore, 3, 'the SDK made maxAttempts attempts');
      assert.equal(counter.failed, 1);

      // Still failing: retry() lands in the error state again, without losing anything.
      assert.equal((await index.retry()).status, 'error');
      assert.equal(index.size, 3 * pageSize);

      proxy.heal();
      const healed = await index.retry();
      assert.equal(healed.status, 'complete');
      assert.equal(healed.error, undefined);
      assert.equal(index.size, PARAMS);
      // Successful calls: exactly one per page; no page was fetched twice.
      const pages = counter.count('DescribeParameters') - counter.failed;
      assertCallsInRange(pages, expectedListingCalls(PARAMS, pageSize), 'successful DescribeParameters');
      const requests = (proxy.stats.byTarget['AmazonSSM.DescribeParameters'] ?? 0) - forwardedBefore;
      assert.equal(requests, pages + 2 * 3, 'requests = one per page + the failed attempts of two failed calls');
    } finally {
      index.dispose();
      conn.dispose();
      proxy.heal();
    }
  });

  it('permanent throttling is reported as Throttled; ListSecrets recovers with retry()', async () => {
    proxy.setPlan({ targets: /secretsmanager\.ListSecrets/, failAll: 'throttle' });
    const { conn } = await emulatorConnection({ endpoint: proxy.endpoint, maxAttempts: 2 });
    const index = createSecretsIndex(conn);
    try {
      const failed = await index.load();
      assert.equal(failed.status, 'error');
      assert.equal(failed.error?.kind, 'Throttled');
      assert.equal(index.size, 0);
      proxy.heal();
      const ok = await index.retry();
      assert.equal(ok.status, 'complete');
      assert.equal(index.size, SECRETS);
    } finally {
      index.dispose();
      conn.dispose();
    }
  });
});
