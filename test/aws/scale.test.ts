import { strict as assert } from 'node:assert';
import { ExplorerIndex, createParameterIndex, type IndexState, type PageEvent, type ParameterMeta } from '../../src/aws';
import { resetEmulator, testEndpoint } from './support/emulator';
import { assertCallsInRange, bulkSeed, bulkValue, effectiveDescribePageSize, expectedListingCalls, LARGE_LAYOUT, type BulkSeedResult } from './support/bulkSeed';
import { emulatorConnection } from './support/helpers';

describe('aws/index at scale: 10,000 parameters and 1,000 secrets (moto)', function () {
  this.timeout(300_000);
  let seed: BulkSeedResult;
  let pageSize: number;

  before(async () => {
    await resetEmulator();
    seed = await bulkSeed(testEndpoint());
    console.log(`      seeded ${seed.parameters.length} parameters in ${(seed.parameterMs / 1000).toFixed(1)} s and ${seed.secrets.length} secrets in ${(seed.secretMs / 1000).toFixed(1)} s`);
    pageSize = await effectiveDescribePageSize(testEndpoint());
    assert.equal(pageSize, 50, 'the emulator (test/support/moto_paged.py) honours MaxResults 50 like AWS');
  });

  it('streams pages and indexes exactly the seeded items, with the right folder counts, in the minimum number of calls', async () => {
    const { conn, counter, logger } = await emulatorConnection();
    const explorer = new ExplorerIndex(conn);
    try {
      let first: { event: PageEvent<ParameterMeta>; at: number; status: string; size: number } | undefined;
      explorer.parameters.onPage((event) => { first ??= { event, at: performance.now(), status: explorer.parameters.status, size: explorer.parameters.size }; });
      const t0 = performance.now();
      const [p, s] = await explorer.load();
      const ms = performance.now() - t0;
      console.log(`      first page after ${(first!.at - t0).toFixed(0)} ms; full index in ${(ms / 1000).toFixed(2)} s with ${counter.total} calls (${counter.attempts} attempts)`);
      // Streaming: the first page was queryable and announced while the listing was still running.
      assert.ok(first);
      assert.equal(first.event.pageNumber, 1);
      assert.equal(first.event.items.length, pageSize);
      assert.equal(first.size, pageSize);
      assert.equal(first.status, 'loading');
      assert.equal(first.event.done, false);
      assert.ok(first.at - t0 < ms / 2, 'the first page arrives long before completion');
      assert.ok(first.at - t0 < 1_000, 'first page in under a second');
      assert.equal(p.status, 'complete');
      assert.equal(s.status, 'complete');
      assert.equal(explorer.parameters.size, 10_000);
      assert.equal(explorer.secrets.size, 1_000);
      for (const planned of seed.parameters) {
        const got = explorer.parameters.get(planned.name);
        assert.ok(got, planned.name);
        assert.equal(got.type, planned.type);
        assert.equal(got.tier, planned.tier);
      }
      for (const planned of seed.secrets) assert.ok(explorer.secrets.get(planned.name), planned.name);

      const prefix = LARGE_LAYOUT.prefix;
      assert.deepEqual(explorer.parameters.children().folders.map((f) => [f.path, f.count, f.folderCount]), [[prefix, 10_000, 10]]);
      const apps = explorer.parameters.children(prefix).folders;
      assert.equal(apps.length, 10);
      assert.ok(apps.every((f) => f.count === 1_000 && f.folderCount === 4));
      const stages = explorer.parameters.children(`${prefix}/app-03`).folders;
      assert.deepEqual(stages.map((f) => [f.name, f.count]), [['stage-0', 250], ['stage-1', 250], ['stage-2', 250], ['stage-3', 250]]);
      const leaves = explorer.parameters.children(`${prefix}/app-03/stage-2`);
      assert.equal(leaves.items.length, 250);
      assert.equal(leaves.folders.length, 0);
      assert.equal(explorer.secrets.folder(prefix)?.count, 1_000);
      assert.ok(explorer.secrets.children(prefix).folders.every((f) => f.count === 100));
      assert.equal(explorer.secrets.folder(`${prefix}/app-09/stage-3`)?.count, 25);

      // ceil(10000/50) + ceil(1000/100) = 210, on AWS and on the project's moto.
      assertCallsInRange(counter.count('DescribeParameters'), expectedListingCalls(10_000, pageSize), 'DescribeParameters');
      assertCallsInRange(counter.count('ListSecrets'), expectedListingCalls(1_000, 100), 'ListSecrets');
      assert.equal(counter.total, counter.count('DescribeParameters') + counter.count('ListSecrets'), 'no other call is needed for a listing');
      assert.equal(counter.total, 210);
      assert.equal(counter.failed, 0);
      assert.equal(logger.lines.length, counter.total, 'one log line per API call');
      assert.ok(!logger.text.includes(bulkValue(seed.parameters[0].name)));
    } finally {
      explorer.dispose();
      conn.dispose();
    }
  });

  it('cancel stops further pages; retry resumes from the next page without listing again', async () => {
    const { conn, counter } = await emulatorConnection();
    const index = createParameterIndex(conn);
    try {
      const pages: number[] = [];
      const states: IndexState[] = [];
      index.onStateChange((s) => states.push(s));
      const sub = index.onPage((e) => { pages.push(e.pageNumber); if (e.pageNumber === 3) index.cancel(); });
      const state = await index.load();
      assert.equal(state.status, 'cancelled');
      assert.equal(state.error?.kind, 'Cancelled');
      assert.deepEqual(pages, [1, 2, 3]);
      assert.equal(index.size, 3 * pageSize);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(counter.count('DescribeParameters'), 3, 'no page is requested after cancel');
      assert.deepEqual(pages, [1, 2, 3]);
      sub.dispose();
      const resumed = await index.retry();
      assert.equal(resumed.status, 'complete');
      assert.equal(index.size, 10_000);
      assertCallsInRange(counter.count('DescribeParameters'), expectedListingCalls(10_000, pageSize), 'DescribeParameters (3 before cancel + the rest after retry)');
      assert.deepEqual(states.map((s) => s.status), ['loading', 'cancelled', 'loading', 'complete']);
    } finally {
      conn.dispose();
    }
  });

  it('disposing the connection cancels a running listing', async () => {
    const { conn, counter } = await emulatorConnection();
    const index = createParameterIndex(conn);
    index.onPage((e) => { if (e.pageNumber === 2) conn.dispose(); });
    const state = await index.load();
    assert.equal(state.status, 'cancelled');
    assert.equal(index.size, 2 * pageSize);
    assert.equal(counter.count('DescribeParameters'), 2);
    assert.equal((await index.retry()).status, 'cancelled', 'a disposed connection cannot be resumed');
  });
});
