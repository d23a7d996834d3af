// The AWS commands' argument handling, in process (no AWS call is made before the arguments are valid).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, type Io } from '../../../src/cli/main';
import { maxAttemptsFrom, parseOptions, printable } from '../../../src/cli/awsCommand';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''; let stderr = '';
  const io: Io = { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, stderrIsTTY: false, stdoutIsTTY: false, env: { ...process.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }, cwd: process.cwd() };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('keyway diff / verify / audit / export / import: arguments', () => {
  for (const cmd of ['diff', 'verify', 'audit', 'export', 'import']) {
    it(`${cmd} --help prints its usage`, async () => {
      const r = await run([cmd, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`^Usage: keyway ${cmd}`));
      assert.match(r.stdout, /--profile <name>/);
    });
  }

  const bad: [string[], RegExp][] = [
    [['diff', '/a'], /expected two paths, got 1/],
    [['diff', '/a', '/a/'], /the two paths are the same/],
    [['diff', '/a', '/b', '--format', 'xml'], /--format must be text or json/],
    [['diff', '/a', '/b', '--store', 'kms'], /--store must be parameters, secrets or both/],
    [['diff', '/a/*', '/b'], /give a path prefix, not a pattern/],
    [['diff', '/a', '/b', '--region', 'moon'], /--region needs a region like us-east-1/],
    [['verify'], /--stage is required/],
    [['verify', '--stage', 'a b'], /is not a stage name/],
    [['verify', '--stage', 'prod', '--var', 'novalue'], /--var needs NAME=value/],
    [['verify', '--stage', 'prod', 'no/such/path'], /path not found: no\/such\/path/],
    [['audit', '--min-severity', 'loud'], /--min-severity must be warning, info or none/],
    [['audit', '--fix'], /--fix asks before every change: run it in a terminal/],
    [['audit', '--concurrency', '0'], /--concurrency must be 1 to 32/],
    [['export'], /expected one path, got 0/],
    [['export', '/'], /give a path below the root/],
    [['export', '/a', '--format', 'yaml'], /--format must be dotenv or json/],
    [['import', 'x.env'], /--path is required/],
    [['import', 'missing.env', '--path', '/a'], /cannot read missing.env: ENOENT/],
    [['import', 'x.env', '--path', '/a', '--overwrite'], /--overwrite only makes sense with --apply/],
    [['diff', '/a', '/b', '--bogus'], /unknown option "--bogus"/],
    [['diff', '/a', '/b', '--profile'], /option "--profile" needs a value/],
  ];
  for (const [argv, re] of bad) {
    it(`${argv.join(' ')} → exit 2 with a clear message`, async () => {
      const r = await run(argv);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, re);
      assert.equal(r.stdout, '');
    });
  }

  it('parses repeated and inline option values', () => {
    const p = parseOptions(['a', '--var=X=1', '--var', 'Y=2', '-f', 'json', '--', '--not-a-flag'], { values: ['--var', '--format'], flags: [], repeat: ['--var'], aliases: { '-f': '--format' } });
    assert.ok(!('error' in p));
    if ('error' in p) return;
    assert.deepEqual(p.values.get('--var'), ['X=1', 'Y=2']);
    assert.deepEqual(p.values.get('--format'), ['json']);
    assert.deepEqual(p.positional, ['a', '--not-a-flag']);
  });

  it('an unknown --profile fails at once (exit 2) with the profiles that exist, for every AWS command', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kw-profiles-'));
    try {
      fs.writeFileSync(path.join(dir, 'config'), '[default]\nregion = us-east-1\n[profile staging-admin]\nregion = eu-west-1\n');
      fs.writeFileSync(path.join(dir, 'credentials'), '[ci]\naws_access_key_id = AKIAKEYWAYTESTONLY00\naws_secret_access_key = kw-fake-not-a-key\n');
      const env = { ...process.env, AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
      for (const argv of [['diff', '/a', '/b'], ['audit'], ['export', '/a'], ['verify', '--stage', 'prod']]) {
        let stderr = '';
        const io: Io = { stdout: () => undefined, stderr: (x) => { stderr += x; }, stderrIsTTY: false, stdoutIsTTY: false, env, cwd: dir };
        const code = await main([...argv, '--profile', 'stagingadmin'], io);
        assert.equal(code, 2, argv[0]);
        assert.match(stderr, new RegExp(`^keyway ${argv[0]}: The profile "stagingadmin" is not in .*config or .*credentials\\. Known profiles: default, ci, staging-admin\\.\n {2}Next step: Pass one of the known profiles`), stderr);
        assert.ok(!stderr.includes('kw-fake-not-a-key'));
      }
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('reads AWS_MAX_ATTEMPTS as the AWS CLI does (1 to 20), else keeps the default', () => {
    assert.equal(maxAttemptsFrom({ AWS_MAX_ATTEMPTS: '2' }), 2);
    assert.equal(maxAttemptsFrom({ AWS_MAX_ATTEMPTS: ' 20 ' }), 20);
    for (const v of [undefined, '', '0', '21', '-1', '2.5', 'three']) assert.equal(maxAttemptsFrom({ AWS_MAX_ATTEMPTS: v }), undefined, String(v));
  });

  it('prints names with terminal escapes made visible', () => {
    assert.equal(printable('/app/\u001b[31mred\u0007'), '/app/\\x1b[31mred\\x07');
    assert.equal(printable('tab\tkept'), 'tab\tkept');
  });
});
