import * as assert from 'node:assert/strict';
import { applyEdits } from '../../../src/core/fixes/apply';
import { lines, of, run } from './helpers';

const V3 = `import { SSMClient, GetParameterCommand, GetParametersCommand, GetParametersByPathCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
`;

describe('missing-decryption', () => {
  it('v3 GetParameter of a secret-named parameter, with the WithDecryption fix', () => {
    const code = `${V3}const p = ssm.send(new GetParameterCommand({ Name: '/app/prod/db-password' }));
`;
    const f = of(run(code), 'missing-decryption');
    assert.deepEqual(f.map((x) => x.range.start.line + 1), [3]);
    assert.equal(f[0].severity, 'warning');
    assert.match(f[0].message, /WithDecryption: true/);
    assert.match(f[0].message, /ciphertext/);
    assert.equal(applyEdits(code, f[0].fixes[0].edits),
      `${V3}const p = ssm.send(new GetParameterCommand({ Name: '/app/prod/db-password', WithDecryption: true }));
`);
  });

  it('multi-line input keeps its layout (trailing comma style)', () => {
    const code = `${V3}export const handler = async () => {
  return ssm.send(
    new GetParameterCommand({
      Name: '/app/stripe_api_key',
    }),
  );
};
`;
    const f = of(run(code), 'missing-decryption');
    assert.equal(applyEdits(code, f[0].fixes[0].edits), `${V3}export const handler = async () => {
  return ssm.send(
    new GetParameterCommand({
      Name: '/app/stripe_api_key',
      WithDecryption: true,
    }),
  );
};
`);
  });

  it('explicit WithDecryption: false is flipped to true', () => {
    const code = `${V3}ssm.send(new GetParameterCommand({ Name: '/svc/jwt-signing-secret', WithDecryption: false }));
`;
    const f = of(run(code), 'missing-decryption');
    assert.equal(f.length, 1);
    assert.match(applyEdits(code, f[0].fixes[0].edits), /WithDecryption: true \}/);
  });

  it('SecureString per account metadata even when the name looks harmless', () => {
    const f = run(`${V3}ssm.send(new GetParameterCommand({ Name: '/app/prod/config' }));`, { kinds: { '/app/prod/config': 'SecureString' } });
    const m = of(f, 'missing-decryption');
    assert.equal(m.length, 1);
    assert.match(m[0].message, /SecureString in the connected account/);
    assert.equal(m[0].data?.reason, 'securestring');
  });

  it('GetParameters with one secret name among several', () => {
    const f = run(`${V3}ssm.send(new GetParametersCommand({ Names: ['/app/url', '/app/oauth-client-secret'] }));`);
    assert.deepEqual(lines(f, 'missing-decryption'), [3]);
    assert.deepEqual(of(f, 'missing-decryption')[0].data?.secureNames, ['/app/oauth-client-secret']);
  });

  it('GetParametersByPath on a secrets path', () => {
    const f = run(`${V3}ssm.send(new GetParametersByPathCommand({ Path: '/app/prod/credentials/' }));`);
    assert.deepEqual(lines(f, 'missing-decryption'), [3]);
  });

  it('SDK v2 params passed through a variable, fixed in the variable', () => {
    const code = `const AWS = require('aws-sdk');
const ssm = new AWS.SSM();
const params = { Name: '/app/db/password' };
exports.handler = async () => (await ssm.getParameter(params).promise()).Parameter.Value;
`;
    const f = of(run(code, { path: 'src/h.js' }), 'missing-decryption');
    assert.deepEqual(f.map((x) => x.range.start.line + 1), [4]);
    assert.match(applyEdits(code, f[0].fixes[0].edits), /const params = \{ Name: '\/app\/db\/password', WithDecryption: true \};/);
  });

  it('names from module constants and templates are judged by their last segment', () => {
    const f = run(`${V3}const NAME = '/app/prod/github-token';
const stage = process.env.STAGE;
ssm.send(new GetParameterCommand({ Name: NAME }));
ssm.send(new GetParameterCommand({ Name: \`/app/\${stage}/api-key\` }));`);
    assert.deepEqual(lines(f, 'missing-decryption'), [5, 6]);
  });

  it('Powertools getParameter without decrypt (fix adds the options)', () => {
    const code = `import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
export const handler = async () => getParameter('/app/db-password');
`;
    const f = of(run(code), 'missing-decryption');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /decrypt: true/);
    assert.match(applyEdits(code, f[0].fixes[0].edits), /getParameter\('\/app\/db-password', \{ decrypt: true \}\)/);
  });

  it('extra secret words from the configuration', () => {
    const f = run(`${V3}ssm.send(new GetParameterCommand({ Name: '/app/license-code' }));`, { config: { secretWords: ['licenseCode'] } });
    assert.equal(of(f, 'missing-decryption').length, 1);
  });

  it('clean: WithDecryption: true, decrypt: true, or set from a variable', () => {
    const f = run(`${V3}import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
const decrypt = process.env.DECRYPT === '1';
ssm.send(new GetParameterCommand({ Name: '/app/db-password', WithDecryption: true }));
ssm.send(new GetParameterCommand({ Name: '/app/db-password', WithDecryption: decrypt }));
getParameter('/app/db-password', { decrypt: true });`);
    assert.deepEqual(of(f, 'missing-decryption'), []);
  });

  it('clean: non-secret names, references to secrets, and String per account metadata', () => {
    const f = run(`${V3}ssm.send(new GetParameterCommand({ Name: '/app/table-name' }));
ssm.send(new GetParameterCommand({ Name: '/app/secret-arn' }));
ssm.send(new GetParameterCommand({ Name: '/app/token-url' }));
ssm.send(new GetParameterCommand({ Name: '/app/api-key' }));`, { kinds: { '/app/api-key': 'String' } });
    assert.deepEqual(of(f, 'missing-decryption'), []);
  });

  it('clean: Secrets Manager reads are always decrypted', () => {
    const f = run(`import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const sm = new SecretsManagerClient({});
sm.send(new GetSecretValueCommand({ SecretId: 'prod/db-password' }));`);
    assert.deepEqual(of(f, 'missing-decryption'), []);
  });

  it('clean: dynamic names cannot be judged', () => {
    const f = run(`${V3}export const handler = async (event: { name: string }) => ssm.send(new GetParameterCommand({ Name: event.name }));`);
    assert.deepEqual(of(f, 'missing-decryption'), []);
  });
});

describe('missing-decryption: names known at run time', () => {
  const V3b = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
`;
  it('judges the variable that holds the name (process.env.DB_PASSWORD_PARAM)', () => {
    const f = of(run(`${V3b}ssm.send(new GetParameterCommand({ Name: process.env.DB_PASSWORD_PARAM }));
ssm.send(new GetParameterCommand({ Name: config.apiKeyParameterName ?? '/x' }));`), 'missing-decryption');
    assert.deepEqual(f.map((x) => x.range.start.line + 1), [3, 4]);
    assert.match(f[0].message, /the parameter named by DB_PASSWORD_PARAM/);
  });

  it('clean: variables naming non-secret parameters', () => {
    const f = run(`${V3b}ssm.send(new GetParameterCommand({ Name: process.env.TABLE_NAME_PARAM }));
ssm.send(new GetParameterCommand({ Name: process.env.PASSWORD_POLICY_PARAMETER }));
ssm.send(new GetParameterCommand({ Name: paramName }));`);
    assert.deepEqual(of(f, 'missing-decryption'), []);
  });
});
