// Managing values against moto: every operation, the two-writers conflict, nothing lost, and invalid
// input refused before any API call.
import { strict as assert } from 'node:assert';
import { ConflictError, ManageService } from '../../src/aws/manage';
import { validateNew } from '../../src/core/manage';
import { DUMMY_CREDENTIALS, resetEmulator, testEndpoint } from './support/emulator';
import { emulatorConnection, type TestConnection } from './support/helpers';

describe('aws/manage: create, edit, history, rotation, delete (moto)', function () {
  this.timeout(60_000);
  let t: TestConnection;
  let m: ManageService;

  before(async () => {
    await resetEmulator();
    t = await emulatorConnection();
    m = new ManageService(t.conn);
  });
  after(() => t?.conn.dispose());

  describe('parameters', () => {
    const name = '/keyway-test/manage/api-key';

    it('creates a SecureString and reads it back decrypted', async () => {
      assert.equal(await m.createParameter({ name, value: 'first-value-1', type: 'SecureString' }), 1);
      const p = await m.getParameter(name);
      assert.deepEqual([p.value, p.type, p.version], ['first-value-1', 'SecureString', 1]);
    });

    it('refuses to create over an existing name', async () => {
      await assert.rejects(m.createParameter({ name, value: 'x', type: 'String' }), /ParameterAlreadyExists|already exists|PutParameter/);
    });

    it('writes each edit as a new version and detects a second writer', async () => {
      assert.equal(await m.putParameterVersion({ name, value: 'second-value-2', type: 'SecureString', expectedVersion: 1 }), 2);
      // Someone else opened version 1 too and saves now: conflict, nothing written.
      await assert.rejects(m.putParameterVersion({ name, value: 'stale-writer', type: 'SecureString', expectedVersion: 1 }), (e: unknown) => {
        assert.ok(e instanceof ConflictError);
        assert.equal(e.actual, 'v2');
        assert.equal(e.theirs, 'second-value-2');
        return true;
      });
      assert.equal((await m.getParameter(name)).value, 'second-value-2');
    });

    it('keeps every version retrievable, labels versions, and restores as a new version', async () => {
      await m.labelParameterVersion(name, 1, ['known-good']);
      let history = await m.parameterHistory(name);
      assert.deepEqual(history.map((h) => [h.version, h.value]), [[1, 'first-value-1'], [2, 'second-value-2']]);
      assert.deepEqual(history[0].labels, ['known-good']);
      assert.equal(await m.restoreParameterVersion(name, 1, 2), 3);
      history = await m.parameterHistory(name);
      assert.deepEqual(history.map((h) => h.value), ['first-value-1', 'second-value-2', 'first-value-1']);
      assert.equal((await m.getParameter(name, 2)).value, 'second-value-2', 'the version before the restore is still there');
      await m.unlabelParameterVersion(name, 1, ['known-good']);
      assert.deepEqual((await m.parameterHistory(name))[0].labels, []);
    });

    it('edits tags', async () => {
      await m.setParameterTags(name, { team: 'payments', stage: 'test' }, []);
      await m.setParameterTags(name, {}, ['stage']);
      assert.deepEqual(await m.parameterTags(name), { team: 'payments' });
    });

    it('deletes', async () => {
      await m.deleteParameter(name);
      await assert.rejects(m.getParameter(name), /not found|ParameterNotFound|GetParameter/i);
    });
  });

  describe('secrets', () => {
    const id = '/keyway-test/manage/db-credentials';
    let v1 = '';

    it('creates a secret with a rotation schedule', async () => {
      const arn = await m.createSecret({ name: id, value: '{"username":"app","password":"p-1-Secret"}' });
      assert.match(arn, /^arn:aws:secretsmanager:us-east-1:\d{12}:secret:\/keyway-test\/manage\/db-credentials-/);
      await m.setRotation(id, '', '30');
      // (moto applies the schedule by moving AWSCURRENT to a copy of the value; real AWS keeps the version.)
      v1 = (await m.getSecret(id)).versionId;
      const versions = await m.secretVersions(id);
      assert.ok(versions.some((v) => v.stages.includes('AWSCURRENT')));
    });

    it('puts a new version and detects a second writer', async () => {
      const current = (await m.getSecret(id)).versionId;
      const v2 = await m.putSecretVersion({ id, value: '{"username":"app","password":"p-2-Secret"}', expectedVersionId: current });
      assert.notEqual(v2, current);
      await assert.rejects(m.putSecretVersion({ id, value: 'stale', expectedVersionId: current }), ConflictError);
      assert.equal((await m.getSecret(id)).value, '{"username":"app","password":"p-2-Secret"}');
    });

    it('moves AWSCURRENT back to an earlier version, keeping every value retrievable', async () => {
      const before = await m.getSecret(id);
      await m.moveCurrent(id, v1);
      const now = await m.getSecret(id);
      assert.equal(now.versionId, v1);
      assert.equal(now.value, '{"username":"app","password":"p-1-Secret"}');
      assert.equal((await m.getSecret(id, before.versionId)).value, before.value, 'the newer value is still there');
    });

    // (Turning rotation off is not tested here: moto refuses CancelRotateSecret unless a rotation Lambda is
    // configured, and a Lambda rotation cannot run in moto without Docker.)
    it('rotates now and adds a replica region, keeping the earlier version', async () => {
      const rid = '/keyway-test/manage/replicated';
      await m.createSecret({ name: rid, value: 'kw-replicated-1' });
      await m.setRotation(rid, '', '30');
      const before = (await m.getSecret(rid)).versionId;
      await m.rotateNow(rid);
      const versions = await m.secretVersions(rid);
      assert.ok(versions.length >= 2);
      assert.ok(versions.some((v) => v.versionId === before), 'the version before the rotation is kept');
      await m.addReplica(rid, 'eu-west-1');
      // AWS (and moto) refuse to delete a secret that still has replicas, and say so.
      await assert.rejects(m.deleteSecret(rid, { recoveryDays: 7 }), /still has replica regions/);
      const { SecretsManagerClient, DescribeSecretCommand } = await import('@aws-sdk/client-secrets-manager');
      const sm = new SecretsManagerClient({ endpoint: testEndpoint(), region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
      try {
        const d = await sm.send(new DescribeSecretCommand({ SecretId: rid }));
        assert.deepEqual(d.ReplicationStatus?.map((r) => r.Region), ['eu-west-1']);
      } finally {
        sm.destroy();
      }
    });

    it('edits tags', async () => {
      await m.setSecretTags(id, { owner: 'platform', tmp: '1' }, []);
      await m.setSecretTags(id, {}, ['tmp']);
      assert.deepEqual(await m.secretTags(id), { owner: 'platform' });
    });

    it('schedules deletion with a recovery window, then restores', async () => {
      const when = await m.deleteSecret(id, { recoveryDays: 7 });
      assert.ok(when && when > Date.now() + 6 * 86400_000, 'deletion is ~7 days away');
      await assert.rejects(m.getSecret(id), /deleted|InvalidRequest|GetSecretValue/i);
      await m.restoreSecret(id);
      assert.equal((await m.getSecret(id)).value, '{"username":"app","password":"p-1-Secret"}');
    });

    it('deletes without recovery when forced', async () => {
      await m.deleteSecret(id, { force: true });
      await assert.rejects(m.getSecret(id), /not found|ResourceNotFound|GetSecretValue/i);
    });
  });

  describe('invalid input costs no API call', () => {
    const cases: [string, Parameters<typeof validateNew>[0], RegExp][] = [
      ['a name with spaces', { store: 'parameter', name: '/a b', value: 'v' }, /white space/],
      ['an aws-prefixed name', { store: 'parameter', name: '/aws/x', value: 'v' }, /"aws" or "ssm"/],
      ['16 levels', { store: 'parameter', name: '/' + Array.from({ length: 16 }, (_, i) => `s${i}`).join('/'), value: 'v' }, /at most 15 levels/],
      ['a 9 KB parameter', { store: 'parameter', name: '/a/big', value: 'x'.repeat(9 * 1024) }, /at most 8 KB/],
      ['a 65 KB secret', { store: 'secret', name: 'big', value: 'x'.repeat(65 * 1024) }, /at most 64 KB/],
      ['an invalid secret name', { store: 'secret', name: 'a#b', value: 'v' }, /"#" is not allowed/],
      ['invalid JSON', { store: 'secret', name: 'j', value: '{"a":' }, /not valid JSON/],
    ];
    for (const [what, input, reason] of cases) {
      it(`refuses ${what} with its reason and zero calls`, async () => {
        t.counter.reset();
        const problems = validateNew(input);
        assert.ok(problems.length > 0);
        assert.match(problems.map((p) => p.message).join(' '), reason);
        if (!problems.length) await m.createParameter({ name: input.name, value: input.value, type: 'String' });
        assert.equal(t.counter.total, 0);
      });
    }
  });

  it('never logs a value', () => {
    for (const v of ['first-value-1', 'second-value-2', 'p-1-Secret', 'p-2-Secret']) assert.ok(!t.logger.text.includes(v), v);
  });
});
