// The IAM rules on the fixture projects (via the scanner and via `keyway scan --format sarif`), their quick-fix, and
// cases where they must stay silent.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, applyEdits, parseYamlText, scanPaths } from './rules-support';
import type { Finding } from '../../../src/core/types';
import { formatSarif } from '../../../src/cli/format';
import { allRules } from '../../../src/core';
import { assertGolden, iamFixtures, projectDir, type ProjectName } from './helpers';

const IAM_RULES = ['iam-wildcard-resource', 'iam-missing-kms-decrypt', 'iam-overbroad-resource', 'iam-missing-grant'];

function iamFindings(p: ProjectName): Finding[] {
  return scanPaths([projectDir(p)], { config: {} }).findings.filter((f) => IAM_RULES.includes(f.ruleId));
}

/** `rule@file:line` (1-based), sorted. */
function summary(fs_: Finding[], dir: string): string[] {
  return fs_.map((f) => `${f.ruleId}@${path.relative(dir, f.file).split(path.sep).join('/')}:${f.range.start.line + 1}`).sort();
}

/** Expected findings per fixture project (lines are 1-based). */
const EXPECTED: Record<ProjectName, string[]> = {
  serverless: [
    'iam-overbroad-resource@serverless.yml:17', // secret:/my-frontend-app/production/* shared by two functions that read one secret each
    'iam-missing-grant@serverless.yml:18', // payments: third-party-api-key (only staging is granted)
    'iam-missing-grant@serverless.yml:18', // user-management: feature-flags
    'iam-missing-grant@serverless.yml:18', // user-management: tenants/* prefix
    'iam-overbroad-resource@serverless.yml:22', // the staging path for functions that read production
    'iam-wildcard-resource@serverless.yml:25', // GetParametersByPath on '*'
    // (payments decrypts third-party-api-key with the default aws/ssm key: no kms:Decrypt needed)
  ],
  sam: [
    'iam-missing-grant@template.yaml:42', // ReportsFunction reads /orders/prod/report-bucket, the template grants staging
    'iam-overbroad-resource@template.yaml:43', // SSMParameterReadPolicy on orders/staging/report-bucket
    'iam-wildcard-resource@template.yaml:47',
  ],
  cfn: ['iam-wildcard-resource@template.json:21'],
  cdk: [
    'iam-wildcard-resource@lib/notify-stack.ts:18', // parameter/* (iam-overbroad-resource leaves it to this rule)
    'iam-missing-grant@lib/notify-stack.ts:21', // Audit: GetParametersByPath not granted
  ],
  noiac: [],
  terraform: [
    'iam-missing-kms-decrypt@infra/iam.tf:22', // orders decrypts /shop/${var.stage}/db-url (key aws_kms_key.shop) through its params helper
    'iam-overbroad-resource@infra/iam.tf:25', // parameter/shop/* for a function that reads one name
    'iam-overbroad-resource@infra/iam.tf:29', // secret:shop/* likewise
  ],
};

describe('IAM rules on the fixture projects', () => {
  for (const p of Object.keys(EXPECTED) as ProjectName[]) {
    it(`${p}: findings at the expected lines`, () => {
      assert.deepEqual(summary(iamFindings(p), projectDir(p)), [...EXPECTED[p]].sort());
    });
  }

  it('an account-wide resource is reported once: by iam-wildcard-resource, or by iam-overbroad-resource when that rule is off', () => {
    const dir = projectDir('cdk');
    const at18 = (config: NonNullable<Parameters<typeof scanPaths>[1]>['config']) => scanPaths([dir], { config }).findings
      .filter((f) => IAM_RULES.includes(f.ruleId) && f.range.start.line === 17).map((f) => f.ruleId);
    assert.deepEqual(at18({}), ['iam-wildcard-resource']);
    const off = at18({ rules: { 'iam-wildcard-resource': 'off' } as never });
    assert.deepEqual(off, ['iam-overbroad-resource']);
  });

  it('messages say what, why and what to do, and name the function', () => {
    const f = iamFindings('serverless');
    const grant = f.filter((x) => x.ruleId === 'iam-missing-grant');
    assert.ok(grant.some((x) => /Function "payments" reads parameter "\/my-frontend-app\/production\/third-party-api-key" \(ssm:GetParameter\)/.test(x.message)));
    assert.ok(grant.every((x) => /AccessDenied at run time/.test(x.message) && /Add arn:aws:ssm:\$\{aws:region\}:\$\{aws:accountId\}:parameter\//.test(x.message)));
    assert.ok(grant.some((x) => x.data?.prefix === true && x.data?.resource === 'arn:aws:ssm:${aws:region}:${aws:accountId}:parameter/my-frontend-app/production/tenants/*'));
    const stage = f.find((x) => x.ruleId === 'iam-overbroad-resource' && x.range.start.line === 21)!;
    assert.match(stage.message, /the staging stage's parameters, but the code reads only production names/);
    const secrets = f.find((x) => x.ruleId === 'iam-overbroad-resource' && x.range.start.line === 16)!;
    assert.match(secrets.message, /every secret matching '\/my-frontend-app\/production\/\*'/);
    assert.match(secrets.message, /Give each function its own statement/);
    assert.deepEqual(secrets.data?.functions, ['payments', 'user-management']);
    const kms = iamFindings('terraform').find((x) => x.ruleId === 'iam-missing-kms-decrypt')!;
    assert.match(kms.message, /Function "orders" reads SecureString parameter "\/shop\/\$\{var\.stage\}\/db-url", encrypted with the customer managed key aws_kms_key\.shop\.arn, but its policy has no kms:Decrypt/);
    assert.equal(kms.severity, 'warning');
    assert.equal(grant[0].severity, 'error');
  });

  it('SARIF from keyway scan contains the four IAM rules at the expected lines', () => {
    const results: string[] = [];
    for (const p of Object.keys(EXPECTED) as ProjectName[]) {
      // What `keyway scan --format sarif` prints: the scanner's findings through the CLI's SARIF formatter.
      const report = scanPaths([projectDir(p)], { config: {} });
      const text = formatSarif({ findings: report.findings, filesScanned: report.filesScanned, filesSkipped: report.filesSkipped, errors: report.errors, filesFixed: 0 },
        { name: 'keyway', version: '0.0.0-test', repositoryUrl: 'https://example.invalid/keyway' }, allRules.map((r) => r.meta), { cwd: projectDir(p) });
      const sarif = JSON.parse(text) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
      const ruleIds = sarif.runs[0].tool.driver.rules.map((x) => x.id);
      for (const id of IAM_RULES) assert.ok(ruleIds.includes(`keyway/${id}`), `${id} in SARIF rules`);
      for (const res of sarif.runs[0].results) {
        if (!res.ruleId.startsWith('keyway/iam-')) continue;
        const loc = res.locations[0].physicalLocation;
        results.push(`${p}:${res.ruleId.slice(7)}@${loc.artifactLocation.uri}:${loc.region.startLine}`);
      }
    }
    const expected = (Object.keys(EXPECTED) as ProjectName[]).flatMap((p) => EXPECTED[p].map((e) => `${p}:${e}`));
    assert.deepEqual(results.sort(), expected.sort());
    for (const id of IAM_RULES) assert.ok(results.some((r) => r.includes(`:${id}@`)), `${id} reported`);
  });
});

describe('iam-wildcard-resource quick-fix', () => {
  const cases: [ProjectName, string, string][] = [
    ['serverless', 'serverless.yml', 'serverless.wildcard-fix.yml'],
    ['sam', 'template.yaml', 'sam.wildcard-fix.yaml'],
    ['cfn', 'template.json', 'cfn.wildcard-fix.json'],
    ['cdk', 'lib/notify-stack.ts', 'cdk.wildcard-fix.ts.txt'],
  ];
  for (const [p, file, golden] of cases) {
    it(`${p}: replaces '*' with the ARNs the functions read`, () => {
      const f = iamFindings(p).find((x) => x.ruleId === 'iam-wildcard-resource' && x.fixes.length);
      assert.ok(f, 'a wildcard finding with a fix');
      assert.equal(f.fixes[0].isPreferred, true);
      const text = fs.readFileSync(path.join(projectDir(p), file), 'utf8');
      const fixed = applyEdits(text, f.fixes[0].edits);
      assertGolden(fixed, golden);
      // The result still parses, and the statement no longer has a wildcard resource.
      if (file.endsWith('.json')) JSON.parse(fixed);
      else if (file.endsWith('.ts')) assert.doesNotMatch(fixed, /resources: \[`arn:aws:ssm:\$\{this\.region\}:\$\{this\.account\}:parameter\/\*`\]/);
      else assert.deepEqual(parseYamlText(fixed).errors, []);
      const again = analyzeText(path.join(projectDir(p), file), fixed, { project: undefined }).filter((x) => x.ruleId === 'iam-wildcard-resource');
      assert.ok(again.length < iamFindings(p).filter((x) => x.ruleId === 'iam-wildcard-resource').length);
    });
  }

  it('offers no fix when a function of the statement reads a name that is not known statically', () => {
    const dir = path.join(iamFixtures, 'unresolved');
    assert.ok(fs.existsSync(dir));
    const f = scanPaths([dir], { config: {} }).findings.filter((x) => x.ruleId === 'iam-wildcard-resource');
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].fixes, []);
    // …and judges nothing it cannot know: no missing grant, no over-breadth
    assert.deepEqual(scanPaths([dir], { config: {} }).findings.filter((x) => x.ruleId === 'iam-missing-grant' || x.ruleId === 'iam-overbroad-resource'), []);
  });
});
