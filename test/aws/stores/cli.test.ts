// `keyway diff`, `verify`, `audit`, `export` and `import` end to end against moto, in process (the same main() the
// built CLI runs), with the endpoint from AWS_ENDPOINT_URL as a user would set it.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { main, type Io } from '../../../src/cli/main';
import { startFaultProxy } from '../../support/faultProxy';
import { seededSecretStrings } from '../../support/hygiene';
import { fixturesDir } from '../../support/paths';
import { findingsItems, seedFindings, seedHybridLayout } from '../../support/seed';
import { DUMMY_CREDENTIALS, resetEmulator, testEndpoint } from '../support/emulator';
import { tempDir } from '../support/helpers';

interface Run { code: number; stdout: string; stderr: string }

async function keyway(argv: string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = {}): Promise<Run> {
  let stdout = ''; let stderr = '';
  const io: Io = { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, stdoutIsTTY: false, stderrIsTTY: false, cwd, env: { ...process.env, AWS_ENDPOINT_URL: testEndpoint(), AWS_REGION: 'us-east-1', ...env } };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const ssm = () => new SSMClient({ endpoint: testEndpoint(), region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
const sm = () => new SecretsManagerClient({ endpoint: testEndpoint(), region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
const noSecrets = (r: Run) => { for (const s of seededSecretStrings()) assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), 'no secret value in the output'); };

describe('keyway diff, verify, audit, export, import (moto)', function () {
  this.timeout(120_000);
  before(async () => {
    await resetEmulator();
    await seedHybridLayout(testEndpoint());
    await seedFindings(testEndpoint());
  });

  describe('diff', () => {
    it('exits 1 on the seeded drift, lists it, and never prints a value', async () => {
      const r = await keyway(['diff', '/my-frontend-app/staging', '/my-frontend-app/production']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^Comparing \/my-frontend-app\/staging ↔ \/my-frontend-app\/production \(us-east-1\)/);
      assert.match(r.stdout, /\n {2}- \/debug-toolbar +only in staging\n/);
      assert.match(r.stdout, /\n {2}\+ \/sentry-dsn +only in production\n/);
      assert.match(r.stdout, /~ \/allowed-origins +type String → StringList · value differs/);
      assert.match(r.stdout, /~ \/database-credentials +value differs: 3 keys differ \(host, password, username\)/);
      assert.doesNotMatch(r.stdout, /= \/log-level/, 'same names are listed only with --all');
      assert.match(r.stdout, /2 only in staging, 5 only in production, 2 type differences, \d+ value differences, 2 the same\./);
      noSecrets(r);
      const all = await keyway(['diff', '/my-frontend-app/staging', '/my-frontend-app/production', '--all', '--store', 'parameters']);
      assert.match(all.stdout, /= \/log-level +same value/);
    });

    it('JSON for CI: counts, rows and key names, no value or hash; exit 0 when names and types match', async () => {
      const r = await keyway(['diff', '/my-frontend-app/staging', '/my-frontend-app/production', '--format', 'json']);
      const j = JSON.parse(r.stdout);
      assert.equal(j.namesOrTypesDiffer, true);
      assert.deepEqual(j.stores.parameters.counts.onlyA, 1);
      const db = j.stores.secrets.rows.find((x: { rel: string }) => x.rel === '/database-credentials');
      assert.deepEqual(db.jsonKeys.different, ['host', 'password', 'username']);
      assert.equal(db.a.valueHash, undefined);
      assert.ok(!r.stdout.includes('valueHash') && !r.stdout.includes('jsonKeys":{"'));
      noSecrets(r);
      const same = await keyway(['diff', '/my-frontend-app/staging/feature-flags-none', '/my-frontend-app/production/feature-flags-none']);
      assert.equal(same.code, 0, 'nothing under either prefix: nothing differs');
    });

    it('an unreachable endpoint is exit 2 with the next step', async () => {
      let stderr = '';
      const io: Io = { stdout: () => undefined, stderr: (s) => { stderr += s; }, stdoutIsTTY: false, stderrIsTTY: false, cwd: process.cwd(), env: { ...process.env } };
      const code = await main(['diff', '/a', '/b', '--endpoint-url', 'http://127.0.0.1:9', '--store', 'parameters'], io);
      assert.equal(code, 2);
      assert.match(stderr, /could not reach the endpoint at http:\/\/127\.0\.0\.1:9/);
      assert.match(stderr, /Next step:/);
    });
  });

  describe('errors: clear, with a next step for the command line, and nothing lost', () => {
    const drift = ['diff', '/my-frontend-app/staging', '/my-frontend-app/production'];

    it('throttling that outlasts the retries is exit 2 with what to do; throttling the retries absorb changes nothing', async () => {
      const proxy = await startFaultProxy(testEndpoint(), { failAll: 'throttle', targets: /DescribeParameters|ListSecrets/ });
      try {
        const at = { AWS_ENDPOINT_URL: proxy.endpoint, AWS_MAX_ATTEMPTS: '2' };
        const r = await keyway(drift, process.cwd(), at);
        assert.equal(r.code, 2, r.stdout);
        assert.match(r.stderr, /^keyway diff: (DescribeParameters|ListSecrets) kept being throttled by AWS after the automatic retries\.\n {2}Next step: Wait a moment and run the command again \(AWS_MAX_ATTEMPTS, up to 20, retries longer\)/);
        assert.equal(proxy.stats.throttled >= 2, true, 'AWS_MAX_ATTEMPTS is honoured: each listing tried twice');
        const audit = await keyway(['audit'], process.cwd(), at);
        assert.equal(audit.code, 2);
        assert.match(audit.stdout, /INCOMPLETE/);
        assert.match(audit.stdout, /No findings in what was scanned; the audit is incomplete \(see the warnings below\)\./);
        assert.doesNotMatch(audit.stdout, /✔/, 'an audit that listed nothing does not look clean');
        assert.match(audit.stderr, /keyway audit: warning: DescribeParameters: .*throttled/);
        const direct = await keyway(drift);
        proxy.setPlan({ throttleRate: 0.3, seed: 7 });
        const absorbed = await keyway(drift);
        assert.ok(proxy.stats.throttled > 4, 'some calls were throttled');
        assert.equal(absorbed.code, direct.code);
        assert.equal(absorbed.stdout, direct.stdout, 'the same comparison');
        noSecrets(absorbed);
      } finally { await proxy.close(); }
    });

    it('expired credentials: every command stops with exit 2 and names aws sso login, never the editor\'s Refresh', async () => {
      const proxy = await startFaultProxy(testEndpoint(), { failAll: 'expired-token', targets: /AmazonSSM|secretsmanager/ });
      const dir = tempDir('expired');
      fs.writeFileSync(path.join(dir, 'app.env'), 'TABLE_NAME=orders\n');
      try {
        const at = { AWS_ENDPOINT_URL: proxy.endpoint };
        for (const argv of [drift, ['export', '/my-frontend-app/production'], ['import', 'app.env', '--path', '/imported/expired']]) {
          const r = await keyway(argv, dir, at);
          assert.equal(r.code, 2, `${argv[0]}: ${r.stdout}`);
          assert.match(r.stderr, new RegExp(`^keyway ${argv[0]}: \\w+ was rejected because the session credentials have expired\\.\n {2}Next step: Refresh your credentials \\(for an SSO profile: \`aws sso login( --profile [\\w-]+)?\`\\), then run the command again\\.\n$`), r.stderr);
        }
        const audit = await keyway(['audit'], dir, at);
        assert.equal(audit.code, 2);
        assert.match(audit.stderr, /session credentials have expired\. Refresh your credentials .*then run the command again/);
        const verify = await keyway(['verify', '--stage', 'prod'], path.join(fixturesDir, 'verify', 'sam'), at);
        assert.equal(verify.code, 2, verify.stdout);
        assert.match(verify.stderr, /session credentials have expired/);
        assert.equal(proxy.stats.forwarded, proxy.stats.requests - proxy.stats.matched, 'no Parameter Store or Secrets Manager call reached the store (STS is not faulted)');
      } finally { await proxy.close(); fs.rmSync(dir, { recursive: true, force: true }); }
    });

    it('a dead endpoint: each command says which endpoint and which option points at it', async () => {
      const dir = tempDir('dead');
      fs.writeFileSync(path.join(dir, 'app.env'), 'TABLE_NAME=orders\n');
      try {
        for (const argv of [['audit'], ['export', '/x'], ['import', 'app.env', '--path', '/x']]) {
          const r = await keyway([...argv, '--endpoint-url', 'http://127.0.0.1:9'], dir, { AWS_MAX_ATTEMPTS: '1' });
          assert.equal(r.code, 2, argv[0]);
          assert.match(r.stderr, /could not reach the endpoint at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/);
          assert.match(r.stderr, /--endpoint-url \(or AWS_ENDPOINT_URL\) points at it, then run the command again/);
          assert.doesNotMatch(r.stderr, /keyway\.endpointUrl/, 'no editor setting in a CLI message');
        }
      } finally { fs.rmSync(dir, { recursive: true, force: true }); }
    });

    it('import --apply cut short by throttling names what failed; running it again writes only the rest', async () => {
      const proxy = await startFaultProxy(testEndpoint(), { failAll: 'throttle', targets: /PutParameter/, passFirst: 2 });
      const dir = tempDir('import-cut');
      const env = path.join(dir, 'cut.env');
      fs.writeFileSync(env, ['CUT_A=alpha', 'CUT_B=bravo', 'CUT_C=charlie', 'CUT_D=delta'].join('\n'));
      try {
        const first = await keyway(['import', env, '--path', '/imported/cut', '--apply'], dir, { AWS_ENDPOINT_URL: proxy.endpoint, AWS_MAX_ATTEMPTS: '1' });
        assert.equal(first.code, 1);
        const lines = first.stdout.split('\n').filter((l) => /^ {2}[✔✖] /.test(l));
        assert.equal(lines.filter((l) => l.includes('✔')).length, 2, first.stdout);
        assert.equal(lines.filter((l) => /✖ .*kept being throttled/.test(l)).length, 2, first.stdout);
        const again = await keyway(['import', env, '--path', '/imported/cut', '--apply'], dir);
        assert.equal(again.code, 0, again.stdout);
        assert.equal((again.stdout.match(/: unchanged/g) ?? []).length, 2, 'what was written is left as it is');
        assert.equal((again.stdout.match(/: created/g) ?? []).length, 2, 'only the rest is written');
        for (const [k, v] of [['CUT_A', 'alpha'], ['CUT_D', 'delta']]) {
          assert.equal((await ssm().send(new GetParameterCommand({ Name: `/imported/cut/${k}` }))).Parameter?.Value, v);
        }
      } finally { await proxy.close(); fs.rmSync(dir, { recursive: true, force: true }); }
    });
  });

  describe('audit', () => {
    it('prints each finding with its monthly cost and the total; Markdown and JSON to a file', async () => {
      const r = await keyway(['audit', '--min-severity', 'none']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Secrets without rotation that a SecureString would hold \(1, saves \$0\.40\/month\)/);
      assert.match(r.stdout, /\/my-frontend-app\/production\/banner-message +\$0\.05 → \$0\.00\/mo/);
      assert.match(r.stdout, /6 findings; .* fixing them saves \$0\.85\/month \(\$10\.20\/year\)\./);
      noSecrets(r);
      const dir = tempDir('audit');
      const md = await keyway(['audit', '-f', 'markdown', '-o', 'audit.md'], dir);
      assert.equal(md.code, 1, 'warnings (a sensitive String, a failing rotation) fail by default');
      const text = fs.readFileSync(path.join(dir, 'audit.md'), 'utf8');
      assert.match(text, /^# Keyway account audit/);
      assert.match(text, /\| \*\*Total\*\* \| \*\*6\*\* \| \*\*\$0\.85\*\* \|/);
      const json = await keyway(['audit', '--format', 'json', '--no-values', '--min-severity', 'none']);
      const j = JSON.parse(json.stdout);
      assert.equal(j.scanned.valuesRead, 0);
      assert.deepEqual(j.findings.map((f: { check: string }) => f.check).sort(), ['pending-deletion', 'rotation-failing', 'sensitive-string-parameter'], 'metadata-only checks');
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });

  describe('verify', () => {
    const project = path.join(fixturesDir, 'verify', 'serverless');
    before(async () => {
      const c = ssm();
      for (const [Name, Type, Value] of [
        ['/billing/prod/stripe-key', 'String', 'kw-verify-not-secure-on-purpose-1'],
        ['/billing/prod/invoice-limit', 'String', '5000'],
        ['/billing/prod/webhook-url', 'String', 'https://hooks.example.com/billing'],
        ['/shared/exchange-rates', 'String', '{"EUR":1.1}'],
        ['/orders/prod/config/timeout', 'String', '10'],
        ['/orders/prod/db-password', 'SecureString', 'kw-verify-orders-db-7s'],
        ['/orders/common/vpc-id', 'String', 'vpc-0abc'],
      ] as const) await c.send(new PutParameterCommand({ Name, Type, Value, Overwrite: true }));
      await sm().send(new CreateSecretCommand({ Name: 'billing/prod/db', SecretString: '{"username":"billing","password":"kw-verify-db-pass-2"}' }));
    });

    it('fails with every problem a deploy of stage prod would hit, in text', async () => {
      const r = await keyway(['verify', '--stage', 'prod'], project);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^Verified 6 reads by 2 functions against stage prod \(us-east-1\)\./);
      assert.match(r.stdout, /src\/invoice\.ts\n +12:\d+ +error +\/billing\/prod\/stripe-key is a plain String, but the code decrypts it \(WithDecryption\)/);
      assert.match(r.stdout, /Parameter \/billing\/prod\/report-bucket does not exist in stage prod\. +missing \(report\)/);
      assert.match(r.stdout, /The policy of function report does not allow ssm:GetParameter on \/shared\/exchange-rates/);
      assert.match(r.stdout, /✖ 3 failures; 6 names checked\./);
    });

    it('passes once the account is right (stage by stage), and reports JSON and SARIF', async () => {
      const ok = await keyway(['verify', '--stage', 'prod', '--format', 'json'], path.join(fixturesDir, 'verify', 'sam'));
      assert.equal(ok.code, 0, ok.stdout);
      const j = JSON.parse(ok.stdout);
      assert.deepEqual(j.summary, { references: 3, checked: 3, errors: 0, warnings: 0, functions: 1 });
      const dev = await keyway(['verify', '--stage', 'dev', '--format', 'sarif'], path.join(fixturesDir, 'verify', 'sam'));
      assert.equal(dev.code, 1);
      const sarif = JSON.parse(dev.stdout);
      const results = sarif.runs[0].results as { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
      assert.deepEqual(results.map((x) => `${x.ruleId} ${x.locations[0].physicalLocation.artifactLocation.uri}:${x.locations[0].physicalLocation.region.startLine}`), [
        'keyway/verify/missing src/orders.ts:8',
        'keyway/verify/missing template.yaml:28',
      ]);
    });

    it('lists names it cannot resolve as not checked, and resolves them with --var', async () => {
      const noiac = path.join(fixturesDir, 'verify', 'noiac');
      const r = await keyway(['verify', '--stage', 'prod'], noiac);
      assert.match(r.stdout, /warning +\/jobs\/\$\{env:NODE_ENV\}\/flags depends on \$\{env:NODE_ENV\}.*pass --var NODE_ENV=…/);
      assert.match(r.stdout, /Parameter \/jobs\/prod\/api-token does not exist/);
      const v = await keyway(['verify', '--stage', 'prod', '--var', 'NODE_ENV=production', '--format', 'json'], noiac);
      assert.deepEqual(JSON.parse(v.stdout).issues.map((i: { name: string }) => i.name), ['/jobs/prod/api-token', '/jobs/production/flags']);
    });

    it('kms:Decrypt is required for a customer managed key only (the AWS managed alias/aws/ssm needs no grant)', async () => {
      const put = (KeyId: string) => ssm().send(new PutParameterCommand({ Name: '/billing/prod/stripe-key', Type: 'SecureString', KeyId, Value: 'kw-verify-stripe-cmk-4', Overwrite: true }));
      const stripe = async () => {
        const r = await keyway(['verify', '--stage', 'prod', '--format', 'json'], project);
        return (JSON.parse(r.stdout).issues as { name: string; code: string; message: string }[]).filter((x) => x.name === '/billing/prod/stripe-key');
      };
      try {
        await put('alias/aws/ssm');
        assert.deepEqual(await stripe(), [], 'decrypted through SSM with the AWS managed key: the read works without a grant');
        await put('alias/billing-payments');
        const issues = await stripe();
        assert.deepEqual(issues.map((x) => x.code), ['kms-not-allowed']);
        assert.match(issues[0].message, /The policy of function invoice does not allow kms:Decrypt for \/billing\/prod\/stripe-key, a SecureString encrypted with the customer managed key alias\/billing-payments/);
      } finally {
        await ssm().send(new PutParameterCommand({ Name: '/billing/prod/stripe-key', Type: 'String', Value: 'kw-verify-not-secure-on-purpose-1', Overwrite: true }));
      }
    });
  });

  describe('export and import', () => {
    it('exports Strings only unless asked to decrypt, then warns and writes a file only you can read', async () => {
      const plain = await keyway(['export', '/my-frontend-app/production']);
      assert.equal(plain.code, 0, plain.stderr);
      assert.match(plain.stdout, /^# keyway export \/my-frontend-app\/production \(us-east-1\)\nALLOWED_ORIGINS=/);
      assert.match(plain.stdout, /\nTABLE_NAME=my-frontend-app-data-production\n/);
      assert.doesNotMatch(plain.stdout, /THIRD_PARTY_API_KEY|SENTRY_DSN|DATABASE_CREDENTIALS/);
      assert.match(plain.stderr, /third-party-api-key: SecureString \(pass --with-decryption to export it\)/);
      noSecrets(plain);
      const dir = tempDir('export');
      const dec = await keyway(['export', '/my-frontend-app/production', '--with-decryption', '-f', 'json', '-o', 'prod.json'], dir);
      assert.equal(dec.code, 0, dec.stderr);
      assert.match(dec.stderr, /warning: the output holds \d+ decrypted secret values/);
      const file = path.join(dir, 'prod.json');
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      const j = JSON.parse(fs.readFileSync(file, 'utf8'));
      assert.match(j['third-party-api-key'], /^sk_live_KeywaySeedproduction/);
      assert.equal(JSON.parse(j['database-credentials']).username, 'app_production');
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('import: a dry run classifies each key, --apply writes and reads back, a second run is unchanged', async () => {
      const dir = tempDir('import');
      const env = path.join(dir, 'app.env');
      fs.writeFileSync(env, ['TABLE_NAME=orders-dev', 'API_KEY=kw-import-api-key-93Fz1', 'DB_PASSWORD=Zx9!qLr7#vTp2@Wm', 'LOG_LEVEL=debug', 'OOPS='].join('\n'));
      const dry = await keyway(['import', env, '--path', '/imported/dev', '--key-style', 'kebab']);
      assert.equal(dry.code, 1, 'one key is invalid (empty)');
      assert.match(dry.stdout, /^Dry run: importing .*app\.env under \/imported\/dev/);
      assert.match(dry.stdout, /API_KEY +→ \/imported\/dev\/api-key\n +SecureString, free; sensitive: yes \(the value looks like a credential \(API key\)\); rotation: no; create/);
      assert.match(dry.stdout, /TABLE_NAME +→ \/imported\/dev\/table-name\n +String, free; sensitive: no/);
      assert.match(dry.stdout, /OOPS +→ .*\n.*invalid\n +problem: empty value/);
      assert.ok(!dry.stdout.includes('kw-import-api-key') && !dry.stdout.includes('Zx9!'), 'values never printed');
      await assert.rejects(ssm().send(new GetParameterCommand({ Name: '/imported/dev/api-key' })), /ParameterNotFound/, 'a dry run writes nothing');
      const apply = await keyway(['import', env, '--path', '/imported/dev', '--key-style', 'kebab', '--apply', '--rotate', 'DB_PASSWORD']);
      assert.match(apply.stdout, /✔ \/imported\/dev\/api-key: created/);
      assert.match(apply.stdout, /✔ \/imported\/dev\/db-password: created/);
      assert.equal((await ssm().send(new GetParameterCommand({ Name: '/imported/dev/api-key', WithDecryption: true }))).Parameter?.Type, 'SecureString');
      assert.ok((await sm().send(new (await import('@aws-sdk/client-secrets-manager')).DescribeSecretCommand({ SecretId: '/imported/dev/db-password' }))).ARN, '--rotate made it a secret');
      fs.writeFileSync(env, ['TABLE_NAME=orders-dev', 'API_KEY=kw-import-api-key-CHANGED', 'LOG_LEVEL=debug'].join('\n'));
      const again = await keyway(['import', env, '--path', '/imported/dev', '--key-style', 'kebab', '--apply']);
      assert.equal(again.code, 1, 'a changed value is not overwritten without --overwrite');
      assert.match(again.stdout, /✖ \/imported\/dev\/api-key: the value differs: pass --overwrite/);
      assert.match(again.stdout, /✔ \/imported\/dev\/table-name: unchanged/);
      const over = await keyway(['import', env, '--path', '/imported/dev', '--key-style', 'kebab', '--apply', '--overwrite']);
      assert.equal(over.code, 0, over.stdout);
      assert.equal((await ssm().send(new GetParameterCommand({ Name: '/imported/dev/api-key', WithDecryption: true }))).Parameter?.Value, 'kw-import-api-key-CHANGED');
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });

  describe('no value that was not asked for, in any output', () => {
    it('every command, format and --verbose, files written and audit --fix (every fix accepted): no seeded secret', async function () {
      this.timeout(180_000);
      const dir = tempDir('no-leak');
      const importSecrets = ['kw-leak-import-api-key-Wq83Zd0', 'Lk2!vR9#pQ7@nT4s'];
      fs.writeFileSync(path.join(dir, 'secrets.env'), [`API_KEY=${importSecrets[0]}`, `DB_PASSWORD=${importSecrets[1]}`, 'REGION_NAME=eu-west-1', `HUGE_TOKEN=${importSecrets[0]}${'x'.repeat(9000)}`].join('\n'));
      const secrets = [...seededSecretStrings(), ...importSecrets];
      const seen: string[] = [];
      const check = (what: string, text: string) => {
        seen.push(what);
        for (const v of secrets) assert.ok(!text.includes(v), `${what} holds a secret value (${v.slice(0, 6)}…)`);
      };
      const runAll = async (argv: string[], cwd = dir) => {
        const r = await keyway([...argv, '--verbose'], cwd);
        check(`${argv.join(' ')} (exit ${r.code})`, r.stdout + r.stderr);
        return r;
      };
      try {
        for (const f of ['text', 'json']) await runAll(['diff', '/my-frontend-app/staging', '/my-frontend-app/production', '--all', '--format', f]);
        for (const f of ['text', 'markdown', 'json']) {
          await runAll(['audit', '--min-severity', 'none', '--format', f]);
          await runAll(['audit', '--format', f, '--output', `audit.${f}`]);
          check(`audit.${f}`, fs.readFileSync(path.join(dir, `audit.${f}`), 'utf8'));
        }
        // Strings are exported as stored (that is what export is for); a String that looks like a secret is named.
        const plainSecrets = findingsItems().filter((x) => x.kind === 'parameter' && x.type === 'String' && secrets.includes(x.value));
        assert.deepEqual(plainSecrets.map((x) => x.name), ['/my-frontend-app/staging/payment-api-key']);
        for (const f of ['dotenv', 'json']) {
          const r = await keyway(['export', '/my-frontend-app', '--format', f, '--verbose'], dir);
          assert.equal(r.code, 0, r.stderr);
          assert.match(r.stderr, /warning: 1 plain String value looks sensitive and is in the output:\n {2}\/my-frontend-app\/staging\/payment-api-key\n {2}Make them SecureStrings: keyway audit --fix/);
          check(`export ${f} (Strings that look sensitive aside)`, (r.stdout + r.stderr).split(plainSecrets[0].value).join(''));
          assert.ok(!r.stderr.includes(plainSecrets[0].value), 'the warning names it, never its value');
        }
        const dec = await runAll(['export', '/my-frontend-app/production', '--with-decryption', '--output', 'asked.env']);
        assert.equal(dec.code, 0, dec.stderr);
        assert.ok(fs.readFileSync(path.join(dir, 'asked.env'), 'utf8').includes('sk_live_KeywaySeedproduction'), 'the file asked for holds the values');
        for (const f of ['text', 'json']) await runAll(['import', 'secrets.env', '--path', '/leak/dev', '--format', f]);
        const applied = await runAll(['import', 'secrets.env', '--path', '/leak/dev', '--apply']);
        assert.match(applied.stdout, /HUGE_TOKEN +→ \/leak\/dev\/HUGE_TOKEN\n.*invalid\n +problem: The value is 8\.8 KB; a parameter can hold at most 8 KB/, 'the oversized value is refused without being echoed');
        await runAll(['import', 'secrets.env', '--path', '/leak/dev', '--apply', '--overwrite']);
        for (const f of ['text', 'json', 'sarif']) await runAll(['verify', '--stage', 'prod', '--format', f], path.join(fixturesDir, 'verify', 'sam'));
        // audit --fix: every question answered yes (conversions read, write, verify and delete values).
        let stdout = ''; let stderr = ''; let asked = '';
        const io: Io = {
          stdout: (x) => { stdout += x; }, stderr: (x) => { stderr += x; }, stdoutIsTTY: false, stderrIsTTY: false, cwd: dir,
          env: { ...process.env, AWS_ENDPOINT_URL: testEndpoint(), AWS_REGION: 'us-east-1' },
          ask: async (q) => { asked += q; return true; },
        };
        const fixed = await main(['audit', '--fix', '--min-severity', 'none', '--verbose'], io);
        check(`audit --fix (exit ${fixed})`, stdout + stderr + asked);
        assert.match(stderr, /✔ .*stripe-webhook-secret/, stderr);
        assert.ok(seen.length >= 20, `${seen.length} outputs checked`);
      } finally { fs.rmSync(dir, { recursive: true, force: true }); }
    });
  });
});
