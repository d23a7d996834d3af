import { strict as assert } from 'node:assert';
import { SecretsManagerClient, CreateSecretCommand, DeleteSecretCommand } from '@aws-sdk/client-secrets-manager';
import { ExplorerIndex, jsonObjectKeys, KeywayAwsError, ValueService, type PageEvent, type SecretMeta } from '../../src/aws';
import { seedFixture, seedHybridLayout, type SeededItem } from '../support/seed';
import { DUMMY_CREDENTIALS, resetEmulator, testEndpoint } from './support/emulator';
import { emulatorConnection, type TestConnection } from './support/helpers';

describe('aws/index with the hybrid layout (moto)', function () {
  let seeded: SeededItem[];
  let t: TestConnection;
  let explorer: ExplorerIndex;
  const scheduled = 'legacy/old-api-token';
  const replicated = 'shared/replicated-key';

  before(async function () {
    this.timeout(60_000);
    await resetEmulator();
    seeded = await seedHybridLayout(testEndpoint());
    // One secret scheduled for deletion (ListSecrets must include it with IncludePlannedDeletion).
    const sm = new SecretsManagerClient({ endpoint: testEndpoint(), region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
    try {
      await sm.send(new CreateSecretCommand({ Name: scheduled, SecretString: 'kw-scheduled-value-93ac' }));
      await sm.send(new DeleteSecretCommand({ SecretId: scheduled, RecoveryWindowInDays: 7 }));
      await sm.send(new CreateSecretCommand({ Name: replicated, SecretString: 'kw-replicated-value-51be', AddReplicaRegions: [{ Region: 'eu-west-1' }] }));
    } finally {
      sm.destroy();
    }
    t = await emulatorConnection();
    explorer = new ExplorerIndex(t.conn);
    const [p, s] = await explorer.load();
    assert.equal(p.status, 'complete');
    assert.equal(s.status, 'complete');
  });
  after(() => { explorer?.dispose(); t?.conn.dispose(); });

  const app = () => `/${seedFixture().app}`;

  it('builds the Parameter Store tree: folders, counts and leaves', () => {
    const params = explorer.parameters;
    const expected = seeded.filter((i) => i.kind === 'parameter');
    assert.equal(params.size, expected.length);
    const root = params.children();
    assert.deepEqual(root.folders.map((f) => [f.path, f.count]), [[app(), expected.length]]);
    assert.deepEqual(root.items, []);
    const stages = params.children(app()).folders;
    assert.deepEqual(stages.map((f) => [f.name, f.count]), [['production', 5], ['staging', 5]]);
    const prod = params.children(`${app()}/production`);
    assert.deepEqual(prod.folders, []);
    assert.deepEqual(prod.items.map((i) => i.name.split('/').pop()), ['api-endpoint', 'feature-flags', 'log-level', 'table-name', 'third-party-api-key']);
  });

  it('keeps parameter metadata (type, tier, version, data type, description, last modified) and no value', () => {
    const key = explorer.parameters.get(`${app()}/production/third-party-api-key`);
    assert.ok(key);
    assert.equal(key.type, 'SecureString');
    assert.equal(key.tier, 'Standard');
    assert.equal(key.version, 1);
    assert.equal(key.dataType, 'text');
    assert.ok(key.keyId, 'SecureString has a KMS key id');
    assert.equal(key.description, 'Static third-party key; rotated by hand once a year');
    assert.ok(typeof key.lastModified === 'number' && Math.abs(key.lastModified - Date.now()) < 10 * 60_000);
    const table = explorer.parameters.get(`${app()}/staging/table-name`);
    assert.equal(table?.type, 'String');
    assert.equal(table?.keyId, undefined);
    const everything = JSON.stringify([...explorer.parameters.tree.items(), ...explorer.secrets.tree.items()]);
    for (const item of seeded) assert.ok(!everything.includes(item.value), `index must not hold the value of ${item.name}`);
  });

  it('builds the Secrets Manager tree with rotation, tags, version stages and deletion marks', () => {
    const secrets = explorer.secrets;
    const expected = seeded.filter((i) => i.kind === 'secret');
    assert.equal(secrets.size, expected.length + 2);
    const root = secrets.children();
    assert.deepEqual(root.folders.map((f) => [f.path, f.count]), [['legacy', 1], [app(), expected.length], ['shared', 1]]);
    const db = secrets.get(`${app()}/production/database-credentials`) as SecretMeta;
    assert.equal(db.rotationEnabled, true);
    assert.equal(db.rotationDays, 30);
    assert.deepEqual(db.tags, { team: 'platform', stage: 'production' });
    assert.equal(db.description, 'RDS credentials, rotated every 30 days');
    assert.match(db.arn ?? '', /^arn:aws:secretsmanager:us-east-1:\d{12}:secret:/);
    const stages = Object.values(db.versionStages ?? {}).flat();
    assert.ok(stages.includes('AWSCURRENT'), `stages: ${stages.join(',')}`);
    assert.equal(db.deletedDate, undefined);
    const oauth = secrets.get(`${app()}/staging/oauth-client-secret`);
    assert.equal(oauth?.rotationDays, 90);
    const old = secrets.get(scheduled);
    assert.ok(old?.deletedDate, 'a secret scheduled for deletion is listed and marked');
  });

  it('filters by substring and looks up by exact name', () => {
    assert.deepEqual(explorer.parameters.filter('API-KEY').map((p) => p.name), [`${app()}/production/third-party-api-key`, `${app()}/staging/third-party-api-key`]);
    assert.deepEqual(explorer.secrets.filter('oauth').map((s) => s.name.split('/')[2]), ['production', 'staging']);
    assert.equal(explorer.parameters.get('/nope'), undefined);
  });

  it('streams pages with the connection id and a done flag', async () => {
    const fresh = new ExplorerIndex(t.conn);
    const events: PageEvent<unknown>[] = [];
    fresh.parameters.onPage((e) => events.push(e));
    await fresh.parameters.load();
    assert.ok(events.length >= 1);
    assert.equal(events.at(-1)?.done, true);
    assert.equal(events.at(-1)?.total, 10);
    assert.ok(events.every((e) => e.connectionId === t.conn.id && e.connectionInstance === t.conn.instance));
    // Loading again does not list again: one listing per index.
    const before = t.counter.count('DescribeParameters');
    await fresh.parameters.load();
    assert.equal(t.counter.count('DescribeParameters'), before);
    fresh.dispose();
  });

  it('loads secret details (replica regions and statuses) on demand', async () => {
    const before = t.counter.count('DescribeSecret');
    assert.equal(explorer.secrets.get(replicated)?.replicas, undefined, 'ListSecrets does not return replicas');
    const details = await explorer.secrets.loadDetails(replicated);
    assert.equal(t.counter.count('DescribeSecret') - before, 1);
    assert.deepEqual(details.replicas?.map((r) => [r.region, r.status]), [['eu-west-1', 'InSync']]);
    assert.equal(explorer.secrets.get(replicated)?.replicas, details.replicas);
    const name = `${app()}/production/oauth-client-secret`;
    const oauth = await explorer.secrets.loadDetails(name);
    assert.deepEqual(oauth.replicas, []);
    assert.equal(explorer.secrets.get(name)?.rotationDays, 90);
    assert.equal(explorer.secrets.get(name)?.rotationEnabled, true);
  });

  describe('values', () => {
    it('reveals a SecureString decrypted and a secret, caches them for the TTL, and never logs them', async () => {
      const values = new ValueService(t.conn, { ttlMs: 30_000 });
      const key = seeded.find((i) => i.name.endsWith('production/third-party-api-key'))!;
      const db = seeded.find((i) => i.name.endsWith('production/database-credentials'))!;
      const before = t.counter.total;
      const p = await values.getParameterValue(key.name);
      assert.equal(p.value, key.value);
      assert.equal(p.type, 'SecureString');
      const s = await values.getSecretValue(db.name);
      assert.equal(s.value, db.value);
      assert.deepEqual(jsonObjectKeys(s.value), ['username', 'password', 'engine', 'host', 'port']);
      assert.equal(t.counter.total - before, 2);
      // Cached: no new call.
      await values.getParameterValue(key.name);
      await values.getSecretValue(db.name);
      assert.equal(t.counter.total - before, 2);
      // Concurrent reads of an uncached value share one call.
      const other = seeded.find((i) => i.name.endsWith('staging/third-party-api-key'))!;
      const [a, b] = await Promise.all([values.getParameterValue(other.name), values.getParameterValue(other.name)]);
      assert.equal(a.value, other.value);
      assert.equal(b, a);
      assert.equal(t.counter.total - before, 3);
      values.clear('parameter', key.name);
      await values.getParameterValue(key.name);
      assert.equal(t.counter.total - before, 4);
      values.clear();
      assert.equal(values.cachedCount, 0);
      for (const item of [key, db, other]) {
        assert.ok(!t.logger.text.includes(item.value), 'values never reach the log');
        assert.ok(!t.logger.text.includes(item.name), 'the log records operations, not item names');
      }
      assert.match(t.logger.text, /SSM GetParameter ok/);
    });

    it('expires cached values after the TTL', async () => {
      const values = new ValueService(t.conn, { ttlMs: 80 });
      const key = seeded.find((i) => i.name.endsWith('staging/log-level'))!;
      await values.getParameterValue(key.name);
      assert.equal(values.cachedCount, 1);
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(values.cachedCount, 0);
      const before = t.counter.total;
      await values.getParameterValue(key.name);
      assert.equal(t.counter.total - before, 1);
      values.clear();
    });

    it('a missing item is NotFound', async () => {
      const values = new ValueService(t.conn);
      await assert.rejects(values.getParameterValue('/does/not/exist'), (e: unknown) => e instanceof KeywayAwsError && e.info.kind === 'NotFound');
      await assert.rejects(values.getSecretValue('does/not/exist'), (e: unknown) => e instanceof KeywayAwsError && e.info.kind === 'NotFound');
    });
  });
});
