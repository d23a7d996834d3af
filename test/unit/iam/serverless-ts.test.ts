// serverless.ts / serverless.js as infrastructure (issue 13 §3): read from the AST like serverless.yml, for the function
// mapping (handlers named by it are handlers), the IAM rules and policy generation.
import * as assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core';
import { isServerlessScript, parseServerlessScript } from '../../../src/core/iac';
import { functionsFromServerlessScript } from '../../../src/core/iam/functions';
import { memoryProject } from '../lambda/helpers';

const CONFIG = `import type { AWS } from '@serverless/typescript';

const ssmRead = {
  Effect: 'Allow',
  Action: ['ssm:GetParameter'],
  Resource: 'arn:aws:ssm:\${aws:region}:\${aws:accountId}:parameter/billing/\${sls:stage}/*',
};
const shared = { runtime: 'nodejs20.x' as const };

const serverlessConfiguration: AWS = {
  service: 'billing',
  provider: {
    name: 'aws',
    ...shared,
    iam: { role: { statements: [ssmRead, { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: '*' }] } },
  },
  functions: {
    orders: { handler: 'src/billing.orders', environment: { TABLE_PARAM: '/billing/\${sls:stage}/orders-table' } },
  },
};

module.exports = serverlessConfiguration;
`;

const HANDLER = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
export const orders = async () => {
  const ssm = new SSMClient({});
  return ssm.send(new GetParameterCommand({ Name: process.env.TABLE_PARAM }));
};
`;

describe('serverless.ts as infrastructure', () => {
  it('recognises serverless.ts/js/mjs/cjs only', () => {
    for (const p of ['serverless.ts', 'a/serverless.js', 'serverless.mjs', 'serverless.cts']) assert.ok(isServerlessScript(p), p);
    for (const p of ['serverless.yml', 'my-serverless.ts', 'serverless.d.ts.map', 'src/serverless/index.ts']) assert.ok(!isServerlessScript(p), p);
  });

  it('reads functions, handler, environment and the provider statements (constants, spreads) with offsets into the file', () => {
    const project = memoryProject({ '/p/serverless.ts': CONFIG, '/p/src/billing.ts': HANDLER });
    const [fn, ...rest] = functionsFromServerlessScript('/p/serverless.ts', CONFIG, project);
    assert.equal(rest.length, 0);
    assert.equal(fn.name, 'orders');
    assert.equal(fn.handlerFile, '/p/src/billing.ts');
    assert.equal(fn.handlerExport, 'orders');
    assert.equal(fn.env.get('TABLE_PARAM'), '/billing/${sls:stage}/orders-table');
    assert.deepEqual(fn.statements.map((s) => [s.actions, s.resources.map((r) => r.text)]), [
      [['ssm:GetParameter'], ['arn:aws:ssm:${aws:region}:${aws:accountId}:parameter/billing/${sls:stage}/*']],
      [['secretsmanager:GetSecretValue'], ['*']],
    ]);
    const wildcard = fn.statements[1].resources[0];
    assert.equal(CONFIG.slice(wildcard.start, wildcard.end), "'*'");
  });

  it('the IAM rules judge it: a wildcard reported in serverless.ts, a read outside the granted path in the handler', () => {
    const project = memoryProject({ '/p/serverless.ts': CONFIG, '/p/src/billing.ts': HANDLER });
    const iam = analyzeText('/p/serverless.ts', CONFIG, { project }).filter((f) => f.ruleId.startsWith('iam-'));
    assert.deepEqual(iam.map((f) => `${f.ruleId}:${f.range.start.line + 1}`), ['iam-wildcard-resource:15']);
    const other = HANDLER.replace('process.env.TABLE_PARAM', "'/shop/prod/orders-table'");
    const project2 = memoryProject({ '/p/serverless.ts': CONFIG, '/p/src/billing.ts': other });
    const missing = analyzeText('/p/serverless.ts', CONFIG, { project: project2 }).filter((f) => f.ruleId === 'iam-missing-grant');
    assert.equal(missing.length, 1);
    assert.match(missing[0].message, /reads parameter "\/shop\/prod\/orders-table"/);
  });

  it('a function serverless.ts names is a handler whatever its name and arity (and without it, it is not)', () => {
    const withIac = memoryProject({ 'serverless.ts': CONFIG, 'src/billing.ts': HANDLER });
    const ids = analyzeText('src/billing.ts', HANDLER, { project: withIac }).map((f) => f.ruleId);
    assert.ok(ids.includes('uncached-fetch'), ids.join(', '));
    const without = memoryProject({ 'src/billing.ts': HANDLER });
    assert.deepEqual(analyzeText('src/billing.ts', HANDLER, { project: without }).filter((f) => f.ruleId === 'uncached-fetch'), []);
  });

  it('export default, a config built at run time, and broken text: no throw, nothing invented', () => {
    const esm = "export default { service: 's', provider: { name: 'aws' }, functions: { f: { handler: 'h.run' } } } satisfies Record<string, unknown>;";
    assert.equal(parseServerlessScript('serverless.ts', esm).roots.length, 1);
    const dynamic = "module.exports = buildConfig(process.env.STAGE);";
    assert.equal(parseServerlessScript('serverless.js', dynamic).roots.length, 0);
    assert.deepEqual(functionsFromServerlessScript('serverless.js', dynamic, memoryProject({})), []);
    const broken = 'const c = { service: "s", functions: { f: { handler: ';
    assert.doesNotThrow(() => functionsFromServerlessScript('serverless.ts', broken, memoryProject({})));
  });
});
