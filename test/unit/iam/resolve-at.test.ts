// Names under the cursor resolved through the IaC (issue 13 §1, for hovers): the same evaluation and environment as
// the IAM rules, one resolution per function environment, deploy-time variables kept for a per-stage lookup, and the
// parts that cannot be resolved described.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FsProjectContext } from '../../../src/core';
import { documentFunctions } from '../../../src/core/iam/project';
import { matchStoreNames, resolveNameAt, type NameTree } from '../../../src/core/iam/resolveAt';
import { memoryProject } from '../lambda/helpers';
import { fixturesDir } from '../../support/paths';

const SLS = `service: orders
frameworkVersion: '3'

provider:
  name: aws
  runtime: nodejs20.x
  stage: \${opt:stage, 'dev'}
  environment:
    STAGE: \${sls:stage}
    POWERTOOLS_SERVICE_NAME: orders

functions:
  create:
    handler: src/orders.create
    environment:
      DB_URL_PARAM: /orders/\${sls:stage}/db/url
  report:
    handler: src/orders.report
    environment:
      DB_URL_PARAM: /orders/\${sls:stage}/reporting/db/url
  billing:
    handler: src/billing.handler
    environment:
      STRIPE_SECRET: \${ssm:/orders/\${sls:stage}/stripe-secret-name}
`;

const ORDERS = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';

const ssm = new SSMClient({});
const stage = process.env.STAGE;

async function readParam(name: string) {
  const res = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
  return res.Parameter?.Value;
}

export const create = async (event: { tenant: string }) => {
  const url = await readParam(process.env.DB_URL_PARAM!);
  const flags = await ssm.send(new GetParameterCommand({ Name: \`/\${stage}/orders/flags\` }));
  const tenant = await ssm.send(new GetParameterCommand({ Name: \`/orders/\${stage}/tenants/\${event.tenant}\` }));
  return { url, flags: flags.Parameter?.Value, tenant: tenant.Parameter?.Value };
};

export const report = async () => ({ url: await readParam(process.env.DB_URL_PARAM!) });
`;

const BILLING = `import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const sm = new SecretsManagerClient({});
export const handler = async () => sm.send(new GetSecretValueCommand({ SecretId: process.env.STRIPE_SECRET }));
`;

const FILES = { 'serverless.yml': SLS, 'src/orders.ts': ORDERS, 'src/billing.ts': BILLING };
const at = (text: string, needle: string, delta = 3) => text.indexOf(needle) + delta;

describe('resolveNameAt: names under the cursor through the IaC', () => {
  it('process.env.PARAM_NAME: one resolution per function environment, the stage kept as a variable', () => {
    const r = resolveNameAt('src/orders.ts', ORDERS, at(ORDERS, 'process.env.DB_URL_PARAM', 14), memoryProject(FILES))!;
    assert.equal(r.written, 'process.env.DB_URL_PARAM');
    assert.equal(r.kind, undefined, 'a bare env read: the kind comes from the store');
    assert.deepEqual(r.resolutions.map((x) => [x.template, x.functions, x.variables, x.source]), [
      ['/orders/${sls:stage}/db/url', ['create'], ['sls:stage'], 'serverless.yml'],
      ['/orders/${sls:stage}/reporting/db/url', ['report'], ['sls:stage'], 'serverless.yml'],
    ]);
  });

  it('a template /${stage}/… with stage from process.env.STAGE resolves like the IAM rules do', () => {
    const r = resolveNameAt('src/orders.ts', ORDERS, at(ORDERS, '`/${stage}/orders/flags`'), memoryProject(FILES))!;
    assert.equal(r.kind, 'parameter');
    assert.deepEqual(r.resolutions.map((x) => [x.template, x.functions.sort()]), [['/${sls:stage}/orders/flags', ['create', 'report']]]);
    // the same name the IAM model computes for the function
    const create = documentFunctions('serverless.yml', SLS, 'yaml', memoryProject(FILES)).find((f) => f.name === 'create')!;
    assert.ok(create.references.refs.some((x) => x.name === '/${sls:stage}/orders/flags'));
  });

  it('says which part is not resolved: a run-time value, a deploy-time lookup, a variable no IaC sets', () => {
    const tenant = resolveNameAt('src/orders.ts', ORDERS, at(ORDERS, '`/orders/${stage}/tenants'), memoryProject(FILES))!;
    assert.equal(tenant.resolutions[0].template, '/orders/${sls:stage}/tenants/…');
    assert.deepEqual(tenant.resolutions[0].unresolved, ['event.tenant: computed at run time']);
    assert.equal(tenant.resolutions[0].name, undefined);
    const billing = resolveNameAt('src/billing.ts', BILLING, at(BILLING, 'process.env.STRIPE_SECRET', 14), memoryProject(FILES))!;
    assert.equal(billing.kind, 'secret');
    assert.deepEqual(billing.resolutions.map((x) => [x.template, x.unresolved]), [['…', ['process.env.STRIPE_SECRET: set by the IaC to a value known only at deploy time']]]);
    const noIac = resolveNameAt('src/orders.ts', ORDERS, at(ORDERS, 'process.env.DB_URL_PARAM', 14), memoryProject({ 'src/orders.ts': ORDERS }))!;
    assert.deepEqual(noIac.resolutions.map((x) => [x.template, x.unresolved, x.functions]), [['${env:DB_URL_PARAM}', ['process.env.DB_URL_PARAM: no infrastructure file sets it'], []]]);
    const other = FILES['serverless.yml'].replace('      DB_URL_PARAM: /orders/${sls:stage}/db/url\n', '');
    const notSet = resolveNameAt('src/orders.ts', ORDERS, at(ORDERS, 'process.env.DB_URL_PARAM', 14), memoryProject({ ...FILES, 'serverless.yml': other }))!;
    assert.deepEqual(notSet.resolutions.find((x) => x.functions.includes('create'))?.unresolved, ['process.env.DB_URL_PARAM: not set by serverless.yml for "create"']);
  });

  it('a literal name is known as is; a position on no read or env variable gives nothing', () => {
    const text = "import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';\nconst ssm = new SSMClient({});\nexport const handler = async () => ssm.send(new GetParameterCommand({ Name: '/orders/prod/table' }));\n";
    const r = resolveNameAt('src/h.ts', text, at(text, "'/orders/prod/table'"), memoryProject({}))!;
    assert.deepEqual(r.resolutions.map((x) => x.name), ['/orders/prod/table']);
    assert.equal(resolveNameAt('src/h.ts', text, at(text, 'SSMClient({})'), memoryProject({})), undefined);
  });
});

/** A store tree over a list of names, folders split on `/` the way the explorer index does. */
function tree(names: string[]): NameTree {
  const parent = (n: string) => { const i = n.lastIndexOf('/'); return i <= 0 ? '' : n.slice(0, i); };
  const folders = new Set<string>();
  for (const n of names) for (let p = parent(n); p; p = parent(p)) folders.add(p);
  return {
    children: (path) => ({
      folders: [...folders].filter((f) => parent(f) === path).map((f) => ({ name: f.slice(f.lastIndexOf('/') + 1), path: f })),
      items: names.filter((n) => parent(n) === path).map((name) => ({ name })),
    }),
  };
}

describe('matchStoreNames: a name with deploy-time variables, per stage', () => {
  const store = tree(['/orders/prod/db/url', '/orders/staging/db/url', '/orders/prod/reporting/db/url', '/orders/dev/other', 'orders/prod/db/url', '/billing/prod/db/url']);

  it('lists the names each stage has, with the stage', () => {
    assert.deepEqual(matchStoreNames('/orders/${sls:stage}/db/url', store), [
      { name: '/orders/prod/db/url', values: ['prod'] }, { name: '/orders/staging/db/url', values: ['staging'] },
    ]);
    assert.deepEqual(matchStoreNames('/${sls:stage}/db/url', tree(['/prod/db/url', '/dev/db/url'])).map((x) => x.values[0]).sort(), ['dev', 'prod']);
    assert.deepEqual(matchStoreNames('orders-${Stage}', tree(['orders-prod', 'orders-dev', 'billing-prod'])).map((x) => x.name).sort(), ['orders-dev', 'orders-prod']);
  });

  it('no variable, an unknown part, or nothing in the store: nothing', () => {
    assert.deepEqual(matchStoreNames('/orders/prod/db/url', store), []);
    assert.deepEqual(matchStoreNames('/orders/${sls:stage}/tenants/…', store), []);
    assert.deepEqual(matchStoreNames('/payments/${sls:stage}/key', store), []);
  });
});

describe('resolveNameAt in a helper module a handler calls', () => {
  it('the helper\'s name parameter takes the names the handler passes (through the IaC environment), as the IAM model does', () => {
    const sls = `service: shop
provider:
  name: aws
  environment:
    DB_URL_PARAM: /shop/\${sls:stage}/db-url
functions:
  orders:
    handler: src/handlers/orders.handler
`;
    const params = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
const cache = new Map<string, Promise<string | undefined>>();

export function param(name: string, decrypt = false): Promise<string | undefined> {
  let p = cache.get(name);
  if (!p) {
    p = ssm.send(new GetParameterCommand({ Name: name, WithDecryption: decrypt })).then((r) => r.Parameter?.Value);
    cache.set(name, p);
  }
  return p;
}
`;
    const orders = `import { param } from '../lib/params';
export const handler = async () => ({ db: await param(process.env.DB_URL_PARAM!, true) });
`;
    const files = { 'serverless.yml': sls, 'src/lib/params.ts': params, 'src/handlers/orders.ts': orders };
    const r = resolveNameAt('src/lib/params.ts', params, params.indexOf('Name: name') + 7, memoryProject(files))!;
    assert.equal(r.written, 'name');
    assert.deepEqual(r.resolutions.map((x) => [x.template, x.functions, x.variables]), [['/shop/${sls:stage}/db-url', ['orders'], ['sls:stage']]]);
    // without the IaC nothing binds it
    const alone = resolveNameAt('src/lib/params.ts', params, params.indexOf('Name: name') + 7, memoryProject({ 'src/lib/params.ts': params }))!;
    assert.deepEqual(alone.resolutions.map((x) => [x.template, x.unresolved]), [['…', ['name: computed at run time']]]);
  });
});

describe('resolveNameAt on the fixture projects (Terraform, CDK, SAM)', () => {
  const fsProject = () => new FsProjectContext();
  const hover = (project: string, rel: string, needle: string) => {
    const file = path.join(fixturesDir, 'iam', project, rel);
    const text = fs.readFileSync(file, 'utf8');
    return resolveNameAt(file, text, text.indexOf(needle) + 14, fsProject());
  };

  it('Terraform: process.env.DB_URL_PARAM of orders is "${local.prefix}/db-url" with the module\'s locals', () => {
    const r = hover('terraform', 'src/handlers/orders.ts', 'process.env.DB_URL_PARAM')!;
    assert.deepEqual(r.resolutions.map((x) => [x.template, x.functions, x.variables]), [['/shop/${var.stage}/db-url', ['orders'], ['var.stage']]]);
    assert.match(r.resolutions[0].source!, /infra[\\/]main\.tf$/);
  });

  it('CDK: the NodejsFunction environment gives WEBHOOK_PARAM', () => {
    const r = hover('cdk', 'src/notify.ts', 'process.env.WEBHOOK_PARAM')!;
    assert.equal(r.kind, 'parameter');
    assert.deepEqual(r.resolutions.map((x) => [x.name, x.functions]), [['/notify/prod/slack-webhook-url', ['Notify']]]);
  });
});
