// `keyway policy` on every fixture project and format (golden files), and its usage errors.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECTS, assertGolden, iamFixtures, policy, projectDir } from './helpers';

const FORMATS = ['json', 'cdk', 'serverless', 'sam', 'terraform'] as const;

describe('keyway policy (golden files)', () => {
  for (const p of PROJECTS) {
    for (const f of FORMATS) {
      it(`${p} --format ${f}`, async () => {
        const r = await policy(['.', '--format', f], projectDir(p));
        assert.equal(r.code, 0, r.stderr);
        assertGolden(r.stdout, `${p}.${f}.txt`);
      });
    }
  }

  it('prints a single policy document for --function, with a concrete region and account', async () => {
    const r = await policy(['--function', 'payments', '--region', 'us-east-1', '--account', '123456789012'], projectDir('serverless'));
    assert.equal(r.code, 0, r.stderr);
    assertGolden(r.stdout, 'serverless.payments.us-east-1.json');
    const doc = JSON.parse(r.stdout) as { Statement: { Resource: string | string[] }[] };
    const resources = doc.Statement.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
    assert.ok(resources.every((x) => x.startsWith('arn:aws:') && x.includes(':us-east-1:123456789012:')), resources.join('\n'));
    // payments reads only stripe-*; user management's auth secret is not in its policy
    assert.ok(resources.some((x) => x.includes('stripe-secret-key')));
    assert.ok(!resources.some((x) => x.includes('auth-')));
  });

  it('accepts paths relative to the working directory', async () => {
    const r = await policy([path.join('iam', 'noiac'), '--format', 'json'], path.dirname(iamFixtures));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(Object.keys(JSON.parse(r.stdout) as object), ['src/orders', 'src/reports'].map((n) => path.join('iam', 'noiac', n).split(path.sep).join('/')));
  });

  it('warns on stderr about reads whose names are not known statically, and leaves them out', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-policy-'));
    try {
      fs.mkdirSync(path.join(dir, 'src'));
      fs.writeFileSync(path.join(dir, 'src', 'fn.ts'), [
        "import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';",
        'const ssm = new SSMClient({});',
        'export const handler = async () => {',
        "  await ssm.send(new GetParameterCommand({ Name: '/app/prod/known' }));",
        '  await ssm.send(new GetParameterCommand({ Name: process.env.SOME_PARAM }));',
        '};',
      ].join('\n'));
      const r = await policy(['.', '--format', 'json'], dir);
      assert.equal(r.code, 0);
      assert.match(r.stderr, /warning: src\/fn: src\/fn\.ts:5:\d+: parameter name not known statically \(from SOME_PARAM\); not in the policy/);
      const doc = JSON.parse(r.stdout) as Record<string, { Statement: { Resource: string }[] }>;
      assert.deepEqual(doc['src/fn'].Statement.map((s) => s.Resource), ['arn:aws:ssm:<region>:<account>:parameter/app/prod/known']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('keyway policy (usage errors exit 2)', () => {
  const cases: [string[], RegExp][] = [
    [['--format', 'yaml'], /--format must be one of json, cdk, serverless, sam/],
    [['--format'], /--format must be one of/],
    [['--region', 'Mars'], /--region needs a region/],
    [['--account', '12'], /--account needs a 12-digit account id/],
    [['--bogus'], /unknown option --bogus/],
    [['--function'], /--function needs a function name/],
    [['no-such-dir'], /path not found: no-such-dir/],
    [['--function', 'nope'], /no function named "nope" \(functions: payments, user-management\)/],
  ];
  for (const [args, re] of cases) {
    it(`keyway policy ${args.join(' ')}`, async () => {
      const r = await policy(args, projectDir('serverless'));
      assert.equal(r.code, 2);
      assert.match(r.stderr, re);
      assert.match(r.stderr, /keyway policy --help/);
      assert.equal(r.stdout, '');
    });
  }

  it('--help prints usage and exits 0', async () => {
    const r = await policy(['--help'], projectDir('serverless'));
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: keyway policy/);
  });

  it('exits 1 when no function is found', async () => {
    const r = await policy([path.join(projectDir('serverless'), 'src', 'lib')], projectDir('serverless'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no Lambda function found/);
  });
});
