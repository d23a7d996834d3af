import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { FsProjectContext, collectFiles, resolveConfig } from '../../../src/core';
import { judgeReference, lookupKey, namesToLookUp, verifyReferences, verifySummary, type VerifyRef } from '../../../src/core/store/verify';
import { fixturesDir } from '../../support/paths';

function refsOf(name: string, stage: string, vars: Record<string, string> = {}) {
  const dir = path.join(fixturesDir, 'verify', name);
  const project = new FsProjectContext();
  const files = collectFiles([dir], { config: resolveConfig() }).files.map((f) => ({ path: f.abs, text: project.readFile(f.abs)! }));
  return { dir, refs: verifyReferences({ files, project, cwd: dir }, { stage, vars, region: 'us-east-1', account: '123456789012' }) };
}

const line = (dir: string, r: VerifyRef) => `${r.kind} ${r.name} ${r.via} ${r.function ?? '-'} grant=${r.grant ?? '-'} ${path.relative(dir, r.file)}:${r.range.start.line + 1}${r.unresolved.length ? ` unresolved=${r.unresolved.join(',')}` : ''}`;

describe('store/verify: the names a deploy needs, resolved for a stage', () => {
  it('serverless: ${sls:stage}, ${self:provider.stage}, env mapping, wrappers in other modules, ${ssm:…} and policy coverage', () => {
    const { dir, refs } = refsOf('serverless', 'prod');
    assert.deepEqual(refs.map((r) => line(dir, r)), [
      'parameter /billing/prod/stripe-key GetParameter invoice grant=yes src/invoice.ts:12',
      'secret billing/prod/db GetSecretValue invoice grant=yes src/invoice.ts:13',
      'parameter /billing/prod/invoice-limit GetParameter invoice grant=yes src/invoice.ts:14',
      'parameter /billing/prod/report-bucket GetParameter report grant=yes src/lib/params.ts:9',
      'parameter /shared/exchange-rates GetParameter report grant=no src/lib/params.ts:9',
      'parameter /billing/prod/webhook-url ${ssm:…} - grant=- serverless.yml:28',
    ]);
    assert.equal(refs[0].decrypt, true);
    assert.equal(refs[0].kms, 'no', 'the policy has no kms:Decrypt');
    const dev = refsOf('serverless', 'dev').refs;
    assert.equal(dev[0].name, '/billing/dev/stripe-key');
  });

  it('SAM: !Sub ${Stage}, a path read, a dynamic reference and an SSM-typed template parameter', () => {
    const { dir, refs } = refsOf('sam', 'prod');
    assert.deepEqual(refs.map((r) => line(dir, r)), [
      'parameter /orders/prod/config GetParametersByPath OrdersFunction grant=yes src/orders.ts:8',
      'parameter /orders/prod/db-password {{resolve:ssm-secure}} - grant=- template.yaml:28',
      'parameter /orders/common/vpc-id AWS::SSM::Parameter::Value - grant=- template.yaml:12',
    ]);
    assert.equal(refs[0].byPath, true);
    assert.equal(refs[1].requires, 'SecureString');
    assert.equal(refs[2].requires, 'plain');
  });

  it('code without IaC: process.env.STAGE is the stage; other variables stay visible and come from --var', () => {
    const { dir, refs } = refsOf('noiac', 'prod');
    assert.deepEqual(refs.map((r) => line(dir, r)), [
      'parameter /jobs/prod/api-token GetParameter src/job grant=- src/job.ts:8',
      'parameter /jobs/${env:NODE_ENV}/flags GetParameter src/job grant=- src/job.ts:12 unresolved=env:NODE_ENV',
    ]);
    const withVar = refsOf('noiac', 'prod', { NODE_ENV: 'production' }).refs;
    assert.equal(withVar[1].name, '/jobs/production/flags');
    assert.deepEqual(namesToLookUp(refs), { parameters: ['/jobs/prod/api-token'], paths: [], secrets: [] }, 'unresolved names are not looked up');
  });

  it('CDK: lookups at synth time', () => {
    const { refs } = refsOf('cdk', 'prod');
    assert.deepEqual(refs.map((r) => [r.kind, r.name, r.via]), [
      ['parameter', '/api/common/domain-name', 'CDK lookup'], ['parameter', '/api/common/certificate-arn', 'CDK lookup'], ['secret', 'api/common/signing-key', 'CDK lookup'],
    ]);
  });
});

describe('store/verify: judging a reference against the account', () => {
  const base: VerifyRef = { name: '/app/prod/key', written: '/app/${sls:stage}/key', kind: 'parameter', via: 'GetParameter', source: 'code', decrypt: false, prefix: false, byPath: false, file: 'f.ts', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, unresolved: [] };
  const codes = (r: Partial<VerifyRef>, lookup?: Parameters<typeof judgeReference>[1]) => judgeReference({ ...base, ...r }, lookup, 'prod').map((i) => `${i.severity}:${i.code}`);

  it('missing names, the wrong store, pending deletion and empty paths fail', () => {
    assert.deepEqual(codes({}, { found: false }), ['error:missing']);
    const wrongStore = judgeReference(base, { found: false, otherStore: true }, 'prod');
    assert.match(wrongStore[0].message, /A secret of that name exists: the code reads the wrong store/);
    assert.deepEqual(codes({ kind: 'secret', name: 'app/prod/db', via: 'GetSecretValue' }, { found: true, type: 'secret', deleted: true }), ['error:pending-deletion']);
    assert.deepEqual(codes({ byPath: true, via: 'GetParametersByPath' }, { found: false, underPath: 0 }), ['error:missing']);
    assert.deepEqual(codes({ byPath: true, via: 'GetParametersByPath', decrypt: true }, { found: true, underPath: 3 }), []);
    assert.match(judgeReference({ ...base, source: 'iac', via: '${ssm:…}' }, { found: false }, 'prod')[0].message, /the deploy fails/);
  });

  it('types: SecureString where the code decrypts, decryption where it is a SecureString, plain where IaC cannot decrypt', () => {
    assert.deepEqual(codes({ decrypt: true }, { found: true, type: 'String' }), ['error:wrong-type']);
    assert.deepEqual(codes({ decrypt: false }, { found: true, type: 'SecureString' }), ['error:wrong-type']);
    assert.deepEqual(codes({ decrypt: true }, { found: true, type: 'SecureString' }), []);
    assert.deepEqual(codes({ decrypt: false }, { found: true, type: 'StringList' }), []);
    assert.deepEqual(codes({ source: 'iac', via: '{{resolve:ssm}}', requires: 'plain' }, { found: true, type: 'SecureString' }), ['error:wrong-type']);
    assert.deepEqual(codes({ source: 'iac', via: '{{resolve:ssm-secure}}', requires: 'SecureString', decrypt: true }, { found: true, type: 'String' }), ['error:wrong-type']);
  });

  it('grants: a read the policy does not allow, and kms:Decrypt for a decrypted SecureString', () => {
    assert.deepEqual(codes({ grant: 'no', function: 'report' }, { found: true, type: 'String' }), ['error:not-allowed']);
    assert.deepEqual(codes({ grant: 'unknown' }, { found: true, type: 'String' }), [], 'a policy Keyway cannot judge is not a failure');
    const cmk = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    assert.deepEqual(codes({ decrypt: true, kms: 'no', grant: 'yes' }, { found: true, type: 'SecureString', keyId: cmk }), ['error:kms-not-allowed']);
    assert.match(judgeReference({ ...base, decrypt: true, kms: 'no', function: 'report' }, { found: true, type: 'SecureString', keyId: cmk }, 'prod')[0].message, /customer managed key arn:aws:kms:.*key\/1234abcd/);
    // The AWS managed key's policy lets every principal of the account decrypt through SSM: no grant needed.
    for (const keyId of ['alias/aws/ssm', 'arn:aws:kms:us-east-1:123456789012:alias/aws/ssm', undefined, '']) {
      assert.deepEqual(codes({ decrypt: true, kms: 'no', grant: 'yes' }, { found: true, type: 'SecureString', keyId }), [], String(keyId));
    }
    assert.deepEqual(codes({ decrypt: true, kms: 'no', grant: 'yes' }, { found: true, type: 'SecureString', keyId: 'alias/payments' }), ['error:kms-not-allowed'], 'a customer alias');
    assert.match(judgeReference({ ...base, grant: 'no', function: 'report' }, { found: true, type: 'String' }, 'prod')[0].message, /policy of function report does not allow ssm:GetParameter on \/app\/prod\/key/);
  });

  it('names that cannot be resolved are warnings, not failures, and say how to resolve them', () => {
    const [u] = judgeReference({ ...base, name: '/app/${Tenant}/key', unresolved: ['Tenant'] }, undefined, 'prod');
    assert.equal(u.severity, 'warning');
    assert.match(u.message, /pass --var Tenant=…/);
    assert.deepEqual(codes({ prefix: true, name: '/app/' }), ['warning:partial']);
    const refs = [{ ...base }, { ...base, name: '/x', unresolved: ['X'] }];
    const issues = refs.flatMap((r) => judgeReference(r, { found: false }, 'prod'));
    assert.deepEqual(verifySummary(refs, issues), { references: 2, checked: 1, errors: 1, warnings: 1, functions: 0 });
    assert.equal(lookupKey({ kind: 'parameter', name: '/a', byPath: true }), 'path:/a');
  });
});
