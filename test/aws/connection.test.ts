import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ConnectionManager, createConnection, createParameterIndex, KeywayAwsError, listProfiles, listRegions, resolveProfileSettings,
} from '../../src/aws';
import { freePort } from '../support/process';
import { resetEmulator, testEndpoint } from './support/emulator';
import { collectUnhandledRejections, emulatorConnection, tempDir, withEnv } from './support/helpers';

const CONFIG = `
[default]
region = eu-west-1

[profile local]
region = us-east-1
endpoint_url = ENDPOINT
output = json

[profile svc]
region = us-west-2
services = local-services

[services local-services]
ssm =
  endpoint_url = http://127.0.0.1:4566
secrets_manager =
  endpoint_url = http://127.0.0.1:4567

[profile sso-dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Dev
region = eu-central-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-central-1

[profile assumer]
role_arn = arn:aws:iam::123456789012:role/keyway-test
source_profile = local
mfa_serial = arn:aws:iam::123456789012:mfa/dev
region = us-east-1

[profile proc]
credential_process = PROCESS
region = us-east-1
`;

const CREDENTIALS = `
[local]
aws_access_key_id = testing
aws_secret_access_key = testing

[creds-only]
aws_access_key_id = testing
aws_secret_access_key = testing
`;

describe('aws/connection (moto)', function () {
  let dir: string;
  let configFile: string;
  let credentialsFile: string;

  before(async () => {
    await resetEmulator();
    dir = tempDir('aws-config');
    const script = path.join(dir, 'creds.js');
    fs.writeFileSync(script, `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: 'testing', SecretAccessKey: 'testing' }));\n`);
    configFile = path.join(dir, 'config');
    credentialsFile = path.join(dir, 'credentials');
    fs.writeFileSync(configFile, CONFIG.replace('ENDPOINT', testEndpoint()).replace('PROCESS', `${process.execPath} ${script}`));
    fs.writeFileSync(credentialsFile, CREDENTIALS);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const fileEnv = () => ({ AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile });

  it('connects with an explicit endpoint and dummy credentials, and says who it is (STS)', async () => {
    const { conn, counter, logger } = await emulatorConnection();
    try {
      assert.equal(conn.endpoint, testEndpoint());
      assert.equal(conn.endpoints.ssm.source, 'override');
      assert.equal(conn.region, 'us-east-1');
      assert.match(conn.id, /us-east-1/);
      const me = await conn.whoAmI();
      assert.match(me.account, /^\d{12}$/);
      assert.match(me.arn, /^arn:aws:/);
      assert.equal(counter.count('GetCallerIdentity'), 1);
      assert.match(logger.text, /STS GetCallerIdentity ok in \d+ ms/);
    } finally {
      conn.dispose();
    }
  });

  it('lists profiles from AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, with kinds, regions and endpoint_url', async () => {
    const profiles = await listProfiles(fileEnv());
    const byName = new Map(profiles.map((p) => [p.name, p]));
    assert.equal(profiles[0].name, 'default');
    assert.deepEqual([...byName.keys()].sort(), ['assumer', 'creds-only', 'default', 'local', 'proc', 'sso-dev', 'svc']);
    assert.equal(byName.get('local')?.endpointUrl, testEndpoint());
    assert.deepEqual(byName.get('local')?.sources, ['config', 'credentials']);
    assert.equal(byName.get('local')?.kind, 'static');
    assert.equal(byName.get('sso-dev')?.kind, 'sso');
    assert.equal(byName.get('sso-dev')?.sso?.session, 'corp');
    assert.equal(byName.get('assumer')?.kind, 'role');
    assert.equal(byName.get('assumer')?.mfa, true);
    assert.equal(byName.get('assumer')?.role?.sourceProfile, 'local');
    assert.equal(byName.get('proc')?.kind, 'process');
    assert.deepEqual(byName.get('creds-only')?.sources, ['credentials']);
    assert.equal(byName.get('svc')?.region, 'us-west-2');
    assert.ok(listRegions().some((r) => r.id === 'eu-west-1'));
  });

  it('resolves endpoints with the AWS CLI precedence', async () => {
    const env = fileEnv();
    const local = await resolveProfileSettings({ profile: 'local', env });
    assert.deepEqual(local.endpoints.ssm, { url: testEndpoint(), source: 'profile' });
    assert.equal(local.region, 'us-east-1');
    assert.equal(local.regionSource, 'profile');

    const svc = await resolveProfileSettings({ profile: 'svc', env });
    assert.deepEqual(svc.endpoints.ssm, { url: 'http://127.0.0.1:4566', source: 'profile-service' });
    assert.deepEqual(svc.endpoints.secrets, { url: 'http://127.0.0.1:4567', source: 'profile-service' });
    assert.deepEqual(svc.endpoints.sts, { source: 'default' });

    const envWins = await resolveProfileSettings({ profile: 'svc', env: { ...env, AWS_ENDPOINT_URL: 'http://env:1', AWS_ENDPOINT_URL_SSM: 'http://env-ssm:2' } });
    assert.deepEqual(envWins.endpoints.ssm, { url: 'http://env-ssm:2', source: 'env-service' });
    assert.deepEqual(envWins.endpoints.secrets, { url: 'http://env:1', source: 'env' });

    const override = await resolveProfileSettings({ profile: 'local', endpointOverride: 'http://override:3', env: { ...env, AWS_ENDPOINT_URL_SSM: 'http://env-ssm:2' } });
    assert.deepEqual(override.endpoints.ssm, { url: 'http://override:3', source: 'override' });

    const ignored = await resolveProfileSettings({ profile: 'local', env: { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' } });
    assert.deepEqual(ignored.endpoints.ssm, { source: 'default' });

    const dflt = await resolveProfileSettings({ env });
    assert.equal(dflt.profile, 'default');
    assert.equal(dflt.region, 'eu-west-1');
    const explicitRegion = await resolveProfileSettings({ profile: 'local', region: 'ap-south-1', env });
    assert.equal(explicitRegion.region, 'ap-south-1');
  });

  it('uses a profile\'s endpoint_url and shared credentials through the SDK provider chain', async () => {
    await withEnv({ ...fileEnv(), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined }, async () => {
      const conn = await createConnection({ profile: 'local' });
      try {
        assert.equal(conn.endpoint, testEndpoint());
        assert.equal(conn.endpoints.ssm.source, 'profile');
        const me = await conn.whoAmI();
        assert.match(me.account, /^\d{12}$/);
      } finally {
        conn.dispose();
      }
    });
  });

  it('resolves credential_process profiles', async () => {
    await withEnv({ ...fileEnv(), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined }, async () => {
      const conn = await createConnection({ profile: 'proc', endpointUrl: testEndpoint() });
      try {
        const me = await conn.whoAmI();
        assert.match(me.arn, /^arn:aws:/);
      } finally {
        conn.dispose();
      }
    });
  });

  it('assumes role_arn with source_profile and asks the caller for the MFA code', async () => {
    await withEnv({ ...fileEnv(), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined }, async () => {
      const asked: string[] = [];
      const conn = await createConnection({ profile: 'assumer', endpointUrl: testEndpoint(), mfaCodeProvider: async (serial) => { asked.push(serial); return '123456'; } });
      try {
        const me = await conn.whoAmI();
        assert.deepEqual(asked, ['arn:aws:iam::123456789012:mfa/dev']);
        assert.match(me.arn, /assumed-role\/keyway-test\//);
      } finally {
        conn.dispose();
      }
    });
  });

  it('an SSO profile without a valid cached token is ExpiredToken with the aws sso login command', async () => {
    const home = tempDir('home');
    await withEnv({ ...fileEnv(), HOME: home, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined }, async () => {
      const conn = await createConnection({ profile: 'sso-dev', endpointUrl: testEndpoint() });
      try {
        await assert.rejects(conn.whoAmI(), (e: unknown) => {
          assert.ok(e instanceof KeywayAwsError);
          assert.equal(e.info.kind, 'ExpiredToken');
          assert.equal(e.info.command, 'aws sso login --profile sso-dev');
          return true;
        });
      } finally {
        conn.dispose();
        fs.rmSync(home, { recursive: true, force: true });
      }
    });
  });

  it('an unknown profile is NoCredentials, not a crash', async () => {
    await withEnv({ ...fileEnv(), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined }, async () => {
      const conn = await createConnection({ profile: 'does-not-exist', endpointUrl: testEndpoint() });
      try {
        await assert.rejects(conn.whoAmI(), (e: unknown) => e instanceof KeywayAwsError && e.info.kind === 'NoCredentials');
      } finally {
        conn.dispose();
      }
    });
  });

  it('a dead endpoint yields a Network error state on the index and no unhandled rejection', async () => {
    const port = await freePort();
    const { conn, counter } = await emulatorConnection({ endpoint: `http://127.0.0.1:${port}`, maxAttempts: 2 });
    try {
      const index = createParameterIndex(conn);
      const states: string[] = [];
      index.onStateChange((s) => states.push(s.status));
      const unhandled = await collectUnhandledRejections(async () => {
        const state = await index.load();
        assert.equal(state.status, 'error');
        assert.equal(state.error?.kind, 'Network');
        assert.equal(state.error?.errorName, 'ECONNREFUSED');
        assert.match(state.error?.message ?? '', new RegExp(`127\\.0\\.0\\.1:${port}`));
        assert.equal(state.count, 0);
      });
      assert.deepEqual(unhandled, []);
      assert.deepEqual(states, ['loading', 'error']);
      assert.equal(counter.count('DescribeParameters'), 1);
      assert.equal(counter.attempts, 2, 'the SDK retried the refused connection once (maxAttempts 2)');
    } finally {
      conn.dispose();
    }
  });

  it('a new connection aborts the previous one\'s in-flight listing', async function () {
    this.timeout(30_000);
    // A listener that never answers: the first connection's call stays in flight until aborted.
    const net = await import('node:net');
    const sockets = new Set<import('node:net').Socket>();
    const blackhole = net.createServer((s) => { sockets.add(s); s.on('error', () => {}); });
    await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', () => r()));
    const port = (blackhole.address() as import('node:net').AddressInfo).port;
    const manager = new ConnectionManager();
    try {
      const changes: string[] = [];
      manager.onDidChange((cur, prev) => changes.push(`${prev?.instance ?? '-'}->${cur.instance}`));
      const first = await manager.connect({ endpointUrl: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
      const index = createParameterIndex(first);
      const pending = index.load();
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(index.status, 'loading');
      const second = await manager.connect({ endpointUrl: testEndpoint(), region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
      assert.equal(first.disposed, true);
      assert.equal(manager.current, second);
      const state = await pending;
      assert.equal(state.status, 'cancelled');
      assert.equal(state.connectionInstance, first.instance);
      assert.notEqual(second.instance, first.instance);
      assert.deepEqual(changes, [`-->${first.instance}`, `${first.instance}->${second.instance}`]);
      // The new connection works.
      assert.match((await second.whoAmI()).account, /^\d{12}$/);
    } finally {
      manager.dispose();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => blackhole.close(() => r()));
    }
  });
});
