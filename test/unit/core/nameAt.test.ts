import * as assert from 'node:assert/strict';
import { nameAt } from '../../../src/core/nameAt';

const at = (line: string, marker: string, lang = 'typescript') => nameAt(line.replace(marker, ''), line.indexOf(marker), lang);

describe('nameAt: the parameter or secret name under the cursor', () => {
  it('reads a Name in an SDK v3 command as a parameter reference', () => {
    const r = at(`new GetParameterCommand({ Name: '/app/pr|od/key' })`, '|');
    assert.deepEqual({ name: r?.name, kind: r?.kind, ref: r?.inReferencePosition }, { name: '/app/prod/key', kind: 'parameter', ref: true });
  });

  it('reads a SecretId as a secret reference', () => {
    const r = at(`new GetSecretValueCommand({ SecretId: "/app/|prod/db" })`, '|');
    assert.equal(r?.kind, 'secret');
    assert.equal(r?.name, '/app/prod/db');
  });

  it('reads Powertools getParameter and getSecret calls', () => {
    assert.equal(at(`await getParameter('/a/|b', { maxAge: 60 })`, '|')?.kind, 'parameter');
    assert.equal(at(`await getSecret('my-|secret')`, '|')?.kind, 'secret');
  });

  it('reads serverless ${ssm:…} and CloudFormation {{resolve:…}} references, name only', () => {
    const s = at('    TABLE: ${ssm:/app/|prod/table}', '|', 'yaml');
    assert.deepEqual({ name: s?.name, kind: s?.kind }, { name: '/app/prod/table', kind: 'parameter' });
    const r = at("Password: '{{resolve:secretsmanager:prod/|db:SecretString:password}}'", '|', 'yaml');
    assert.deepEqual({ name: r?.name, kind: r?.kind }, { name: 'prod/db', kind: 'secret' });
    assert.equal(at("K: '{{resolve:ssm-secure:/a/|b:1}}'", '|', 'yaml')?.kind, 'parameter');
  });

  it('reads an unquoted YAML environment value that carries a parameter name', () => {
    const r = at('    TABLE_NAME_PARAM: /my-app/|prod/table-name', '|', 'yaml');
    assert.equal(r?.name, '/my-app/prod/table-name');
    assert.equal(r?.inReferencePosition, true);
  });

  it('returns a plain literal without a kind outside reference positions (looked up in the index only)', () => {
    const r = at(`const x = '/app/pr|od/key';`, '|');
    assert.equal(r?.name, '/app/prod/key');
    assert.equal(r?.kind, undefined);
    assert.equal(r?.inReferencePosition, false);
  });

  it('gives the range of the name for replacement', () => {
    const line = `ssm.send(new GetParameterCommand({ Name: '/a/b' }))`;
    const r = nameAt(line, line.indexOf('/a') + 1, 'typescript')!;
    assert.equal(line.slice(r.start, r.end), '/a/b');
  });

  it('handles a string still being typed (no closing quote)', () => {
    const line = `new GetParameterCommand({ Name: '/my-frontend-app/production/`;
    const r = nameAt(line, line.length, 'typescript');
    assert.equal(r?.name, '/my-frontend-app/production/');
    assert.equal(r?.kind, 'parameter');
  });

  it('ignores text outside strings and strings with spaces', () => {
    assert.equal(at('const a|b = 1;', '|'), undefined);
    assert.equal(at(`label('Enter your pass|word')`, '|'), undefined);
  });
});
