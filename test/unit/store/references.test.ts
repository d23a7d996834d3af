import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { FsProjectContext, collectFiles, resolveConfig } from '../../../src/core';
import { findReferences, nameMatches } from '../../../src/core/store/references';
import { fixturesDir } from '../../support/paths';

function project(name: string) {
  const dir = path.join(fixturesDir, 'verify', name);
  const ctx = new FsProjectContext();
  const files = collectFiles([dir], { config: resolveConfig() }).files.map((f) => ({ path: f.abs, text: ctx.readFile(f.abs)! }));
  return { dir, ctx, files };
}

const summary = (dir: string, refs: ReturnType<typeof findReferences>) => refs.map((r) => `${r.kind} ${path.relative(dir, r.file)}:${r.range.start.line + 1} ${r.detail}${r.function ? ` [${r.function}]` : ''}`);

describe('store/references: Find References from a stored name', () => {
  it('matches names with IaC variables, prefixes and path reads', () => {
    assert.ok(nameMatches('/app/${sls:stage}/db', '/app/prod/db'));
    assert.ok(!nameMatches('/app/${sls:stage}/db', '/app/prod/extra/db'), 'a variable stands for one segment');
    assert.ok(nameMatches('/app/prod/', '/app/prod/db', { prefix: true }));
    assert.ok(nameMatches('/app/prod', '/app/prod/db', { byPath: true }));
    assert.ok(!nameMatches('/app/prod', '/app/production/db', { byPath: true }));
    assert.ok(nameMatches('/app/${Stage}', '/app/prod/db/x', { byPath: true }));
    assert.ok(!nameMatches('/app/other', '/app/prod'));
  });

  it('finds the handler that reads a name through an environment variable, the mapping, the grant and mentions', () => {
    const { dir, ctx, files } = project('serverless');
    const refs = findReferences(files, ctx, { kind: 'parameter', name: '/billing/prod/stripe-key' }, dir);
    assert.deepEqual(summary(dir, refs), [
      'code src/invoice.ts:12 GetParameter (WithDecryption) [invoice]',
      'iac serverless.yml:27 environment variable STRIPE_KEY_PARAM [invoice]',
      'grant serverless.yml:18 grants ssm:GetParameter [invoice]',
    ]);
  });

  it('finds names read through a wrapper in another module, IaC deploy-time reads, and secrets', () => {
    const { dir, ctx, files } = project('serverless');
    assert.deepEqual(summary(dir, findReferences(files, ctx, { kind: 'parameter', name: '/shared/exchange-rates' }, dir)), [
      'code src/lib/params.ts:9 GetParameter [report]',
      'mention src/report.ts:8 mentions the name',
    ]);
    assert.deepEqual(summary(dir, findReferences(files, ctx, { kind: 'parameter', name: '/billing/prod/webhook-url' }, dir)), [
      'iac serverless.yml:28 serverless ${ssm:…}',
      'grant serverless.yml:18 grants ssm:GetParameter [invoice]',
    ], 'the invoice limit read (/billing/${STAGE}/invoice-limit) is not taken for any /billing name');
    assert.deepEqual(summary(dir, findReferences(files, ctx, { kind: 'secret', name: 'billing/prod/db' }, dir)), [
      'code src/invoice.ts:13 GetSecretValue [invoice]',
      'iac serverless.yml:11 environment variable DB_SECRET_ID',
      'grant serverless.yml:21 grants secretsmanager:GetSecretValue [invoice]',
    ]);
  });

  it('finds path reads and template reads in SAM, and nothing for a name nobody reads', () => {
    const { dir, ctx, files } = project('sam');
    const grant = 'grant template.yaml:31 grants ssm:DescribeParameters, ssm:GetParameters, ssm:GetParameter, ssm:GetParametersByPath [OrdersFunction]';
    assert.deepEqual(summary(dir, findReferences(files, ctx, { kind: 'parameter', name: '/orders/prod/config/timeout' }, dir)), [
      'code src/orders.ts:8 GetParametersByPath (WithDecryption) [OrdersFunction]',
      'iac template.yaml:27 environment variable CONFIG_PATH [OrdersFunction]',
      grant,
    ]);
    assert.deepEqual(summary(dir, findReferences(files, ctx, { kind: 'parameter', name: '/orders/prod/db-password' }, dir)), ['iac template.yaml:28 {{resolve:ssm-secure:…}}', grant]);
    assert.deepEqual(findReferences(files, ctx, { kind: 'parameter', name: '/nobody/reads/this' }, dir), []);
  });
});
