// Issue 13 §1b (a handler is whatever the infrastructure says it is), §2 (test code is not a handler) and the
// custom-resource false alarm of §1c.
import * as assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analyzer';
import { allRules } from '../../../src/core/rules';
import { isTestPath, DEFAULT_TEST_FILES } from '../../../src/core/lambda/tests';
import { iacHandlerExports } from '../../../src/core/iam/handlers';
import { validateConfig } from '../../../src/core/config';
import type { Finding, KeywayConfig } from '../../../src/core/types';
import { lines, memoryProject, of, run } from './helpers';

/** A scheduled job as people write it: no `event`, not named `handler`, a client and a read inside. */
const BILLING = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
import { chargeOverdueInvoices } from './invoices';

export const orders = async () => {
  const ssm = new SSMClient({});
  const out = await ssm.send(new GetParameterCommand({ Name: '/billing/prod/stripe-key', WithDecryption: true }));
  await chargeOverdueInvoices(out.Parameter!.Value!);
};
`;

const SLS = `service: billing
provider:
  name: aws
  runtime: nodejs20.x
  iam:
    role:
      statements:
        - Effect: Allow
          Action: ssm:GetParameter
          Resource: arn:aws:ssm:\${aws:region}:\${aws:accountId}:parameter/billing/prod/*
functions:
  nightly:
    handler: src/billing.orders
    events:
      - schedule: cron(0 3 * * ? *)
`;

function all(path: string, code: string, files: Record<string, string> = {}, config?: Partial<KeywayConfig>): Finding[] {
  const errors: string[] = [];
  const out = analyzeText(path, code, { rules: allRules, project: memoryProject({ [path]: code, ...files }), config, onRuleError: (id, e) => errors.push(`${id}: ${e}`) });
  assert.deepEqual(errors, []);
  return out;
}

describe('Lambda handlers named by the infrastructure (issue 13 §1b)', () => {
  it('serverless.yml `handler: src/billing.orders` makes `orders` a handler, with no event parameter and any name', () => {
    const f = run(BILLING, { path: 'src/billing.ts', files: { 'serverless.yml': SLS, 'src/billing.ts': BILLING } });
    assert.deepEqual(lines(f, 'uncached-fetch'), [6]);
    assert.equal(of(f, 'uncached-fetch')[0].data?.client, 'SSMClient', 'the client built for this read is part of the finding');
    assert.match(of(f, 'uncached-fetch')[0].message, /handler "orders"/);
  });

  it('without infrastructure the name heuristics stay: `orders` with no event parameter is not a handler', () => {
    const f = run(BILLING, { path: 'src/billing.ts', files: { 'src/billing.ts': BILLING } });
    assert.deepEqual(lines(f, 'client-in-handler'), []);
    assert.deepEqual(lines(f, 'uncached-fetch'), []);
  });

  it('infrastructure naming another file or export does not make this export a handler', () => {
    const other = SLS.replace('src/billing.orders', 'src/other.run');
    const f = run(BILLING, { path: 'src/billing.ts', files: { 'serverless.yml': other, 'src/billing.ts': BILLING, 'src/other.ts': 'export const run = async () => 1;' } });
    assert.deepEqual(lines(f, 'uncached-fetch'), []);
  });

  it('SAM `Handler: app.main` with CodeUri, from a template two folders up', () => {
    const code = `const { SecretsManager } = require('aws-sdk');
exports.main = async function () {
  const sm = new SecretsManager();
  const s = await sm.getSecretValue({ SecretId: 'prod/reports/db' }).promise();
  return JSON.parse(s.SecretString).host;
};
`;
    const tpl = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  ReportFn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/reports/
      Handler: app.main
      Runtime: nodejs18.x
`;
    const f = run(code, { path: 'functions/reports/app.js', files: { 'template.yaml': tpl, 'functions/reports/app.js': code } });
    assert.deepEqual(lines(f, 'uncached-fetch'), [4]);
    assert.equal(of(f, 'uncached-fetch')[0].data?.client, 'SecretsManager');
  });

  it('CDK NodejsFunction `entry` + `handler: \'run\'`, found through cdk.json', () => {
    const code = `import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
export async function run() {
  const c = new SecretsManagerClient({});
  return c.send(new GetSecretValueCommand({ SecretId: 'sync/api' }));
}
`;
    const stack = `import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
export class SyncStack extends Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    new NodejsFunction(this, 'Sync', { entry: path.join(__dirname, '../src/sync.ts'), handler: 'run' });
  }
}
`;
    const files = { 'cdk.json': '{ "app": "npx ts-node bin/app.ts" }', 'lib/sync-stack.ts': stack, 'src/sync.ts': code };
    assert.deepEqual([...iacHandlerExports('src/sync.ts', memoryProject(files)) ?? []], ['run']);
    const f = run(code, { path: 'src/sync.ts', files });
    assert.deepEqual(lines(f, 'uncached-fetch'), [4]);
    assert.equal(of(f, 'uncached-fetch')[0].data?.client, 'SecretsManagerClient');
  });

  it('a CloudFormation custom-resource handler runs once per deployment: no per-invocation findings', () => {
    const code = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
export const handler = async (event: any) => {
  const ssm = new SSMClient({});
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const p = await ssm.send(new GetParameterCommand({ Name: '/seed/admin-email' }));
  return { PhysicalResourceId: 'seed', Data: { Email: p.Parameter?.Value } };
};
`;
    const f = run(code, { path: 'lambda/seed/index.ts' });
    assert.deepEqual(lines(f, 'client-in-handler'), []);
    assert.deepEqual(lines(f, 'uncached-fetch'), []);
    const cfn = `const response = require('cfn-response');
const AWS = require('aws-sdk');
exports.handler = async (event, context) => {
  const ssm = new AWS.SSM();
  const v = await ssm.getParameter({ Name: '/x/y' }).promise();
  response.send(event, context, response.SUCCESS, { V: v.Parameter.Value });
};
`;
    assert.deepEqual(lines(run(cfn, { path: 'cr/index.js' }), 'uncached-fetch'), []);
    // an ordinary handler that mentions RequestType in a log line is still a handler
    const plain = code.replace("if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };", "console.log('RequestType', event.type);");
    assert.deepEqual(lines(run(plain, { path: 'lambda/seed/index.ts' }), 'uncached-fetch'), [5]);
  });
});

describe('Test code is not a handler (issue 13 §2)', () => {
  const handler = `import { SSMClient, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
export const handler = async (event: unknown) => {
  const ssm = new SSMClient({});
  const a = await ssm.send(new GetParameterCommand({ Name: '/app/db-password' }));
  const b = await ssm.send(new GetParameterCommand({ Name: '/app/other' }));
  await ssm.send(new PutParameterCommand({ Name: '/app/last', Value: 'x', Overwrite: true }));
  return [a, b];
};
`;
  const fired = (path: string, config?: Partial<KeywayConfig>) => {
    const f = run(handler, { path, config });
    return ['uncached-fetch', 'client-in-handler', 'sequential-fetch', 'missing-decryption'].filter((r) => of(f, r as never).length);
  };
  const ALL4 = ['uncached-fetch', 'client-in-handler', 'sequential-fetch', 'missing-decryption'];

  it('no per-invocation rule fires under test/, tests/, __tests__/ or in *.test.* / *.spec.* files', () => {
    for (const p of ['test/handler.ts', 'tests/integration/orders.ts', 'src/__tests__/handler.ts', 'src/handler.test.ts',
      'src/handler.spec.js', 'C:\\repo\\test\\unit\\h.ts', '/home/ci/app/packages/api/tests/h.mjs', 'src/__mocks__/ssm.ts']) {
      assert.deepEqual(fired(p), [], p);
    }
  });

  it('the same code elsewhere is a handler, including paths that merely contain "test"', () => {
    for (const p of ['src/handler.ts', 'src/contest/handler.ts', 'functions/attestation.ts', 'src/latest.ts', 'testing-tools-lambda/h.ts', 'src/test-data.ts']) {
      assert.deepEqual(fired(p), ALL4, p);
    }
  });

  it('hardcoded-secret still fires in test code: a key in a test is still a leaked key', () => {
    const key = 'sk_live_' + '4eC39HqLyjWDarjtT1zdp7dc';
    const code = `import { handler } from '../src/pay';\nconst STRIPE_KEY = '${key}';\nit('pays', () => handler({ key: STRIPE_KEY }));\n`;
    const f = all('test/pay.test.ts', code);
    assert.equal(of(f, 'hardcoded-secret').length, 1);
  });

  it('secret-in-env does not judge environment reads in test code', () => {
    const code = "export const handler = async (event: unknown) => fetch(process.env.API_URL!, { headers: { key: process.env.API_SECRET! } });\n";
    assert.equal(of(all('src/handlers/call.ts', code), 'secret-in-env').length, 1);
    assert.equal(of(all('src/handlers/call.test.ts', code), 'secret-in-env').length, 0);
  });

  it('the patterns are configurable in .keywayrc.json (`testFiles`, replacing the defaults)', () => {
    const { config, errors } = validateConfig({ testFiles: ['qa/', '*.check.ts'] });
    assert.deepEqual(errors, []);
    assert.deepEqual(fired('qa/handler.ts', config), []);
    assert.deepEqual(fired('src/handler.check.ts', config), []);
    assert.deepEqual(fired('test/handler.ts', config), ALL4);
    assert.deepEqual(fired('test/handler.ts', { testFiles: [] }), ALL4);
    assert.deepEqual(validateConfig({ testFiles: 'test/' }).errors.length, 1);
    assert.deepEqual(validateConfig({ testFiles: [''] }).errors.length, 1);
  });

  it('matches folders and names the way gitignore patterns do, negations included', () => {
    assert.equal(isTestPath('a/test/b.ts'), true);
    assert.equal(isTestPath('a/test.ts'), false, 'a file named test.ts is not a test folder');
    assert.equal(isTestPath('a/b.e2e-spec.ts'), true);
    assert.equal(isTestPath('src/testing/h.ts', { testFiles: ['src/testing/'] }), true);
    assert.equal(isTestPath('/abs/repo/src/testing/h.ts', { testFiles: ['src/testing/'] }), true);
    assert.equal(isTestPath('test/fixtures/real/h.ts', { testFiles: [...DEFAULT_TEST_FILES, '!test/fixtures/real/'] }), false);
  });
});
