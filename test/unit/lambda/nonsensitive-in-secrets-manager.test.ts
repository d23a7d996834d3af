import * as assert from 'node:assert/strict';
import { lines, of, run } from './helpers';

const V3 = `import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const sm = new SecretsManagerClient({});
`;
const read = (id: string) => run(`${V3}sm.send(new GetSecretValueCommand({ SecretId: ${JSON.stringify(id)} }));`);

describe('nonsensitive-in-secrets-manager', () => {
  for (const [id, kind] of [
    ['/my-app/production/table-name', 'table name'],
    ['/my-app/production/api-endpoint', 'endpoint or URL'],
    ['prod/service-url', 'endpoint or URL'],
    ['/my-app/production/log-level', 'log level'],
    ['/my-app/production/feature-flags', 'feature flags'],
    ['app/region', 'region'],
    ['app/uploads-bucket', 'bucket name'],
    ['app/orders-queue-url', 'queue URL'],
    ['app/stage', 'stage'],
    ['arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/ordersTableName-AbCdEf', 'table name'],
    ['myapp-table-name-prod', 'table name'],
    ['n11795611-dynamoDBTableName-assessment2', 'table name'],
    ['orders-bucket-name-v2', 'bucket name'],
  ] as const) {
    it(`flags ${id} (${kind})`, () => {
      const f = of(read(id), 'nonsensitive-in-secrets-manager');
      assert.equal(f.length, 1, id);
      assert.equal(f[0].severity, 'info');
      assert.equal(f[0].data?.kind, kind);
      assert.match(f[0].message, /\$0\.40/);
      assert.match(f[0].message, /Parameter Store String/);
      assert.equal(f[0].range.start.line, 2);
    });
  }

  it('SDK v2 and Powertools getSecret', () => {
    const f = run(`const AWS = require('aws-sdk');
const { getSecret } = require('@aws-lambda-powertools/parameters/secrets');
const sm = new AWS.SecretsManager();
sm.getSecretValue({ SecretId: 'prod/log-level' }).promise();
getSecret('prod/feature-flags');`, { path: 'src/x.js' });
    assert.deepEqual(lines(f, 'nonsensitive-in-secrets-manager'), [4, 5]);
  });

  for (const id of [
    'prod/database-credentials', 'prod/db-password', 'prod/oauth-client-secret', 'prod/stripe-api-key', 'prod/database-url',
    'prod/slack-webhook-url', 'prod/redis-url', 'prod/app-config', 'prod/db', 'db-password-v2', 'api-key-prod', 'app-2',
  ]) {
    it(`clean: ${id}`, () => {
      assert.deepEqual(of(read(id), 'nonsensitive-in-secrets-manager'), []);
    });
  }

  it('clean: dynamic secret ids and Parameter Store reads', () => {
    const f = run(`${V3}import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
sm.send(new GetSecretValueCommand({ SecretId: process.env.SECRET_ID }));
ssm.send(new GetParameterCommand({ Name: '/app/table-name' }));`);
    assert.deepEqual(of(f, 'nonsensitive-in-secrets-manager'), []);
  });
});
