// Environment parity against moto: the seeded drift between /my-frontend-app/staging and /production, compared
// through a filtered listing or the explorer's index, values by hash only, with the fewest calls, under throttling.
import { strict as assert } from 'node:assert';
import { ExplorerIndex, loadCompareSides, type StoreIndex, type StoreItem } from '../../../src/aws';
import { compareSides, describeRow } from '../../../src/core/store/compare';
import { startFaultProxy, type FaultProxy } from '../../support/faultProxy';
import { seededSecretStrings } from '../../support/hygiene';
import { findingsItems, seedFindings, seedHybridLayout, seededItems } from '../../support/seed';
import { resetEmulator, testEndpoint } from '../support/emulator';
import { emulatorConnection, type TestConnection } from '../support/helpers';

const A = '/my-frontend-app/staging';
const B = '/my-frontend-app/production';

describe('compare two paths (moto)', function () {
  this.timeout(120_000);
  let t: TestConnection;

  before(async () => {
    await resetEmulator();
    await seedHybridLayout(testEndpoint());
    await seedFindings(testEndpoint());
    t = await emulatorConnection();
  });
  after(() => t?.conn.dispose());

  it('finds the seeded drift: missing names, type differences, values that differ, JSON keys', async () => {
    t.counter.reset();
    const p = await loadCompareSides(t.conn, 'parameter', A, B);
    const rp = compareSides('parameter', { prefix: A, items: p.a }, { prefix: B, items: p.b });
    const rows = Object.fromEntries(rp.rows.map((r) => [r.rel, r]));
    assert.deepEqual(rp.rows.filter((r) => r.status === 'onlyA').map((r) => r.rel), ['/debug-toolbar']);
    assert.deepEqual(rp.rows.filter((r) => r.status === 'onlyB').map((r) => r.rel), ['/banner-message', '/sentry-dsn']);
    assert.deepEqual(rows['/allowed-origins'].differences, [{ field: 'type', a: 'String', b: 'StringList' }]);
    assert.deepEqual(rows['/payment-api-key'].differences.map((d) => d.field), ['type']);
    assert.equal(rows['/log-level'].value, 'equal');
    assert.equal(rows['/feature-flags'].value, 'equal');
    assert.equal(rows['/table-name'].value, 'different');
    assert.equal(rows['/third-party-api-key'].value, 'different', 'SecureStrings are compared decrypted, by hash');
    assert.equal(rp.namesOrTypesDiffer, true);
    // The fewest calls: one filtered listing per side, one GetParameters per 10 names present on both sides.
    const common = rp.rows.filter((r) => r.a && r.b).length;
    assert.equal(t.counter.count('DescribeParameters'), 2);
    assert.equal(t.counter.count('GetParameters'), Math.ceil((common * 2) / 10));

    t.counter.reset();
    const s = await loadCompareSides(t.conn, 'secret', A, B);
    const rs = compareSides('secret', { prefix: A, items: s.a }, { prefix: B, items: s.b });
    const db = rs.rows.find((r) => r.rel === '/database-credentials')!;
    assert.deepEqual(db.jsonKeys, { onlyA: [], onlyB: [], different: ['host', 'password', 'username'], equal: ['engine', 'port'] });
    assert.match(describeRow(db, 'staging', 'production'), /3 keys differ \(host, password, username\)/);
    assert.deepEqual(rs.rows.filter((r) => r.status === 'onlyA').map((r) => r.rel), ['/legacy-session-secret']);
    assert.equal(rs.rows.find((r) => r.rel === '/legacy-session-secret')!.a!.deleted, true);
    assert.equal(t.counter.count('ListSecrets'), 2);
    assert.equal(t.counter.count('BatchGetSecretValue'), 1, '4 secret values in one batch');

    const everything = JSON.stringify([p, s, rp, rs]);
    for (const item of [...seededItems(), ...findingsItems()]) assert.ok(!everything.includes(item.value), `no value of ${item.name} in the comparison`);
    for (const secret of seededSecretStrings()) assert.ok(!t.logger.text.includes(secret), 'no secret value in the log');
  });

  it('uses the explorer index when its listing is complete: no listing call at all', async () => {
    const explorer = new ExplorerIndex(t.conn);
    await explorer.load();
    t.counter.reset();
    const sides = await loadCompareSides(t.conn, 'parameter', A, B, { index: explorer.parameters as unknown as StoreIndex<StoreItem>, values: false });
    assert.equal(sides.listingCalls, 'index');
    assert.equal(t.counter.total, 0);
    assert.equal(sides.a.length, seededItems().filter((i) => i.kind === 'parameter' && i.name.startsWith(`${A}/`)).length + findingsItems().filter((i) => i.kind === 'parameter' && i.name.startsWith(`${A}/`)).length);
    explorer.dispose();
  });

  it('compares metadata only when asked (no value read)', async () => {
    t.counter.reset();
    const sides = await loadCompareSides(t.conn, 'secret', A, B, { values: false });
    assert.equal(t.counter.count('BatchGetSecretValue') + t.counter.count('GetSecretValue'), 0);
    const r = compareSides('secret', { prefix: A, items: sides.a }, { prefix: B, items: sides.b });
    assert.equal(r.rows.find((x) => x.rel === '/oauth-client-secret')!.value, 'not-compared');
  });

  describe('through throttling', () => {
    let proxy: FaultProxy;
    before(async () => { proxy = await startFaultProxy(testEndpoint()); });
    after(async () => { await proxy?.close(); });

    it('absorbs throttled value reads with the SDK retries and gets the same answer', async () => {
      const f = await emulatorConnection({ endpoint: proxy.endpoint });
      try {
        proxy.setPlan({ targets: /GetParameters$|BatchGetSecretValue|DescribeParameters|ListSecrets/, throttleRate: 0.4, seed: 3 });
        const p = await loadCompareSides(f.conn, 'parameter', A, B);
        const s = await loadCompareSides(f.conn, 'secret', A, B);
        assert.ok(proxy.stats.throttled > 0, 'throttling was injected');
        assert.ok(f.counter.attempts > f.counter.total, 'retries happened');
        assert.equal(f.counter.failed, 0);
        const rp = compareSides('parameter', { prefix: A, items: p.a }, { prefix: B, items: p.b });
        assert.equal(rp.rows.find((r) => r.rel === '/log-level')!.value, 'equal');
        assert.equal(compareSides('secret', { prefix: A, items: s.a }, { prefix: B, items: s.b }).rows.length, 6);
      } finally {
        proxy.heal();
        f.conn.dispose();
      }
    });

    it('a value read that keeps failing leaves that value unknown, and the rest is compared', async () => {
      const f = await emulatorConnection({ endpoint: proxy.endpoint, maxAttempts: 2 });
      try {
        proxy.setPlan({ targets: /secretsmanager\.BatchGetSecretValue|secretsmanager\.GetSecretValue/, failAll: 'server-error' });
        const s = await loadCompareSides(f.conn, 'secret', A, B);
        const r = compareSides('secret', { prefix: A, items: s.a }, { prefix: B, items: s.b });
        assert.equal(r.rows.find((x) => x.rel === '/oauth-client-secret')!.value, 'unknown');
        assert.equal(r.rows.find((x) => x.rel === '/partner-api-token')!.status, 'onlyB', 'names are still compared');
      } finally {
        proxy.heal();
        f.conn.dispose();
      }
    });
  });
});
