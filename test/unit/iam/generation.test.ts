// Policy generation: minimal statements, placeholders per format, deterministic rendering.
import * as assert from 'node:assert/strict';
import { generateStatements, renderPolicy, type Reference } from '../../../src/core/iam';

const R0 = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
function ref(kind: Reference['kind'], op: Reference['op'], name: string, extra: Partial<Reference> = {}): Reference {
  return { kind, op, name, decrypt: false, prefix: false, range: R0, file: 'h.ts', ...extra };
}

describe('iam policy generation', () => {
  it('grants only the operations used, per resource', () => {
    const st = generateStatements([
      ref('parameter', 'GetParameter', '/app/prod/a'),
      ref('parameter', 'GetParameters', '/app/prod/b'),
    ], 'json', { region: 'us-east-1', account: '123456789012' });
    assert.deepEqual(st.map((s) => [s.sid, s.actions, s.resources]), [
      ['SsmGetParameter', ['ssm:GetParameter'], ['arn:aws:ssm:us-east-1:123456789012:parameter/app/prod/a']],
      ['SsmGetParameters', ['ssm:GetParameters'], ['arn:aws:ssm:us-east-1:123456789012:parameter/app/prod/b']],
    ]);
  });

  it('one resource read by two operations gets both actions in one statement', () => {
    const st = generateStatements([ref('parameter', 'GetParameter', '/a/x'), ref('parameter', 'GetParameters', '/a/x')], 'json');
    assert.deepEqual(st.map((s) => s.actions), [['ssm:GetParameter', 'ssm:GetParameters']]);
    assert.equal(st[0].sid, 'SsmGetParameterAndGetParameters');
  });

  it('GetParametersByPath on P needs parameter/P and parameter/P/*; prefixes get a wildcard; wider resources absorb narrower ones', () => {
    const st = generateStatements([
      ref('parameter', 'GetParametersByPath', '/app/prod/cfg'),
      ref('parameter', 'GetParameter', '/app/prod/tenants/', { prefix: true }),
      ref('parameter', 'GetParameter', '/app/prod/tenants/acme'),
      ref('parameter', 'GetParameter', 'no-slash'),
    ], 'json');
    assert.deepEqual(st.map((s) => s.resources), [
      ['arn:aws:ssm:<region>:<account>:parameter/app/prod/tenants/*', 'arn:aws:ssm:<region>:<account>:parameter/no-slash'],
      ['arn:aws:ssm:<region>:<account>:parameter/app/prod/cfg', 'arn:aws:ssm:<region>:<account>:parameter/app/prod/cfg/*'],
    ]);
  });

  it('secrets: exact names get the 6-character suffix pattern; ARNs are kept; prefixes get a wildcard', () => {
    const st = generateStatements([
      ref('secret', 'GetSecretValue', 'app/prod/db'),
      ref('secret', 'GetSecretValue', 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:shared/key-AbCdEf'),
      ref('secret', 'GetSecretValue', 'app/prod/regions/', { prefix: true }),
    ], 'sam');
    assert.deepEqual(st[0].resources, [
      'arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:app/prod/db-??????',
      'arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:app/prod/regions/*',
      'arn:aws:secretsmanager:eu-west-1:111122223333:secret:shared/key-AbCdEf',
    ]);
  });

  it('kms:Decrypt only when a SecureString is decrypted, on alias/aws/ssm or the caller-supplied key', () => {
    assert.ok(!generateStatements([ref('parameter', 'GetParameter', '/a')], 'json').some((s) => s.actions.includes('kms:Decrypt')));
    const withKey = generateStatements([ref('parameter', 'GetParameter', '/a', { decrypt: true }), ref('parameter', 'GetParameter', '/b', { decrypt: true })], 'serverless', {
      kmsKeyFor: (n) => (n === '/b' ? 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' : undefined),
    });
    assert.deepEqual(withKey.find((s) => s.sid === 'KmsDecrypt')!.resources, [
      'arn:aws:kms:${aws:region}:${aws:accountId}:alias/aws/ssm',
      'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ]);
  });

  it('partition follows the region', () => {
    const st = generateStatements([ref('parameter', 'GetParameter', '/a')], 'json', { region: 'cn-north-1', account: '123456789012' });
    assert.equal(st[0].resources[0], 'arn:aws-cn:ssm:cn-north-1:123456789012:parameter/a');
  });

  it('renders every format deterministically (input order does not matter)', () => {
    const refs = [ref('secret', 'GetSecretValue', "o'brien/key"), ref('parameter', 'GetParameter', '/b'), ref('parameter', 'GetParameter', '/a', { decrypt: true })];
    for (const f of ['json', 'cdk', 'serverless', 'sam'] as const) {
      const a = renderPolicy(generateStatements(refs, f), f);
      const b = renderPolicy(generateStatements([...refs].reverse(), f), f);
      assert.equal(a, b, f);
    }
    assert.match(renderPolicy(generateStatements(refs, 'sam'), 'sam'), /- !Sub 'arn:aws:secretsmanager:\$\{AWS::Region\}:\$\{AWS::AccountId\}:secret:o''brien\/key-\?\?\?\?\?\?'/);
    assert.match(renderPolicy(generateStatements(refs, 'cdk'), 'cdk'), /`arn:aws:ssm:\$\{Stack\.of\(this\)\.region\}:\$\{Stack\.of\(this\)\.account\}:parameter\/a`/);
    const concrete = renderPolicy(generateStatements(refs, 'cdk', { region: 'us-east-1', account: '123456789012' }), 'cdk', { region: 'us-east-1', account: '123456789012' });
    assert.match(concrete, /'arn:aws:secretsmanager:us-east-1:123456789012:secret:o\\'brien\/key-\?\?\?\?\?\?'/);
    assert.deepEqual(JSON.parse(renderPolicy([], 'json')), { Version: '2012-10-17', Statement: [] });
  });
});
