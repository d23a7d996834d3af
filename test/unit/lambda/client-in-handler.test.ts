import * as assert from 'node:assert/strict';
import { applyEdits } from '../../../src/core/fixes/apply';
import { lines, of, run } from './helpers';

describe('client-in-handler', () => {
  it('v3 SSMClient constructed in an ESM handler, with a hoist fix', () => {
    const code = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';

export const handler = async () => {
  const ssm = new SSMClient({ region: 'eu-west-1' });
  return ssm.send(new GetParameterCommand({ Name: '/a/url' }));
};
`;
    // With uncached-fetch on, a client that serves only this read is reported with it (one finding, see below).
    const f = of(run(code, { config: { rules: { 'uncached-fetch': 'off' } } }), 'client-in-handler');
    assert.deepEqual(f.map((x) => x.range.start.line + 1), [4]);
    assert.equal(f[0].severity, 'warning');
    assert.match(f[0].message, /every invocation/);
    assert.match(f[0].message, /module scope/);
    assert.equal(f[0].fixes[0].isPreferred, true);
    assert.equal(applyEdits(code, f[0].fixes[0].edits), `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';

const ssm = new SSMClient({ region: 'eu-west-1' });

export const handler = async () => {
  return ssm.send(new GetParameterCommand({ Name: '/a/url' }));
};
`);
  });

  it('a client built and used at one call site is one finding (uncached-fetch) whose one fix moves both', () => {
    const code = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';

export const handler = async () => {
  const ssm = new SSMClient({ region: 'eu-west-1' });
  const out = await ssm.send(new GetParameterCommand({ Name: '/a/url' }));
  return out.Parameter?.Value;
};
`;
    const all = run(code);
    assert.deepEqual(lines(all, 'client-in-handler'), []);
    const u = of(all, 'uncached-fetch');
    assert.deepEqual(u.map((x) => x.range.start.line + 1), [5]);
    assert.match(u[0].message, /constructs a new SSMClient for this call each time/);
    assert.equal(u[0].data?.client, 'SSMClient');
    const fixed = applyEdits(code, u[0].fixes[0].edits);
    assert.ok(!/async \(\) => \{\n  const ssm = new SSMClient/.test(fixed), fixed);
    const after = run(fixed);
    assert.deepEqual([...lines(after, 'client-in-handler'), ...lines(after, 'uncached-fetch')], [], fixed);
    // inline: `await new SSMClient({}).send(…)`
    const inline = run(`import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
export const handler = async (event: { name: string }) => (await new SSMClient({}).send(new GetParameterCommand({ Name: event.name }))).Parameter;
`);
    assert.deepEqual(lines(inline, 'client-in-handler'), []);
    assert.deepEqual(lines(inline, 'uncached-fetch'), [2]);
    // the request-keyed cache needs a module-scope client: the finding's fix moves the client first
    assert.match(of(inline, 'uncached-fetch')[0].fixes[0].title, /module scope/i);
  });

  it('a client that serves other calls too keeps its own finding', () => {
    const f = run(`import { SSMClient, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
export const handler = async () => {
  const ssm = new SSMClient({});
  const p = await ssm.send(new GetParameterCommand({ Name: '/a/counter' }));
  await ssm.send(new PutParameterCommand({ Name: '/a/counter', Value: String(Number(p.Parameter?.Value) + 1), Overwrite: true }));
};
`);
    assert.deepEqual(lines(f, 'client-in-handler'), [3]);
    assert.deepEqual(lines(f, 'uncached-fetch'), [4]);
    assert.doesNotMatch(of(f, 'uncached-fetch')[0].message, /constructs a new/);
  });

  it('SecretsManagerClient in export async function handler', () => {
    const f = run(`import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
export async function handler() {
  const client = new SecretsManagerClient({});
  return client;
}`);
    assert.deepEqual(lines(f, 'client-in-handler'), [3]);
    assert.equal(of(f, 'client-in-handler')[0].data?.client, 'SecretsManagerClient');
  });

  it('v2 new AWS.SSM() in a CommonJS handler', () => {
    const f = run(`const AWS = require('aws-sdk');
exports.handler = async (event) => {
  const ssm = new AWS.SSM();
  return ssm.getParameter({ Name: '/x/url' }).promise();
};`, { path: 'src/h.js', config: { rules: { 'uncached-fetch': 'off' } } });
    assert.deepEqual(lines(f, 'client-in-handler'), [3]);
    assert.equal(of(f, 'client-in-handler')[0].data?.client, 'SSM');
  });

  it('v2 AWS.SecretsManager inline in module.exports = { handler }', () => {
    const code = `const AWS = require('aws-sdk');
async function handler() {
  return new AWS.SecretsManager({ region: 'us-east-1' }).getSecretValue({ SecretId: 'x' }).promise();
}
module.exports = { handler };
`;
    const f = of(run(code, { path: 'src/h.js', config: { rules: { 'uncached-fetch': 'off' } } }), 'client-in-handler');
    assert.deepEqual(f.map((x) => x.range.start.line + 1), [3]);
    assert.equal(applyEdits(code, f[0].fixes[0].edits), `const AWS = require('aws-sdk');

const secretsManager = new AWS.SecretsManager({ region: 'us-east-1' });

async function handler() {
  return secretsManager.getSecretValue({ SecretId: 'x' }).promise();
}
module.exports = { handler };
`);
  });

  it('v3 aggregated SSM and SecretsManager clients', () => {
    const f = run(`import { SSM } from '@aws-sdk/client-ssm';
import { SecretsManager } from '@aws-sdk/client-secrets-manager';
export default async () => {
  const a = new SSM({});
  const b = new SecretsManager({});
  return [a, b];
};`);
    assert.deepEqual(lines(f, 'client-in-handler'), [4, 5]);
  });

  it('client built in a helper that the middy-wrapped handler calls', () => {
    const f = run(`import middy from '@middy/core';
import { SSMClient } from '@aws-sdk/client-ssm';
function makeClient() {
  return new SSMClient({});
}
const base = async () => makeClient();
export const handler = middy(base);`);
    assert.deepEqual(lines(f, 'client-in-handler'), [4]);
  });

  it('constructor arguments that read handler-local variables: finding, but no fix', () => {
    const f = of(run(`import { SSMClient } from '@aws-sdk/client-ssm';
export const handler = async (event) => {
  const ssm = new SSMClient({ region: event.region });
  return ssm;
};`), 'client-in-handler');
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].fixes, []);
  });

  it('keeps module-scope references in the hoisted arguments and places the client after them', () => {
    const code = `import { SSMClient } from '@aws-sdk/client-ssm';
const REGION = process.env.AWS_REGION;

export const handler = async () => {
  const ssm = new SSMClient({ region: REGION });
  return ssm;
};
`;
    const f = of(run(code), 'client-in-handler');
    assert.equal(applyEdits(code, f[0].fixes[0].edits), `import { SSMClient } from '@aws-sdk/client-ssm';
const REGION = process.env.AWS_REGION;

const ssm = new SSMClient({ region: REGION });

export const handler = async () => {
  return ssm;
};
`);
  });

  it('follows a relative import that builds a client per call', () => {
    const f = run(`import { readSecret } from './secrets';
export const handler = async () => readSecret('x');`, {
      files: {
        'src/secrets.ts': `import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
export async function readSecret(id: string) {
  const c = new SecretsManagerClient({});
  return c.send(new GetSecretValueCommand({ SecretId: id }));
}`,
      },
    });
    assert.deepEqual(lines(f, 'client-in-handler'), [2]);
    assert.match(of(f, 'client-in-handler')[0].message, /readSecret\(\)/);
  });

  it('clean: client at module scope', () => {
    const f = run(`import { SSMClient } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
export const handler = async () => ssm;`);
    assert.deepEqual(of(f, 'client-in-handler'), []);
  });

  it('clean: lazily created module-scope client', () => {
    const f = run(`import { SSMClient } from '@aws-sdk/client-ssm';
let client: SSMClient | undefined;
const getClient = () => (client ??= new SSMClient({}));
export const handler = async () => {
  if (!client) client = new SSMClient({});
  return getClient();
};`);
    assert.deepEqual(of(f, 'client-in-handler'), []);
  });

  it('clean: client in a function that is not a handler and not called by one', () => {
    const f = run(`import { SSMClient } from '@aws-sdk/client-ssm';
export function createClient(region: string) {
  return new SSMClient({ region });
}`, { path: 'src/lib/clients.ts' });
    assert.deepEqual(of(f, 'client-in-handler'), []);
  });

  it('clean: other AWS clients and unrelated classes named like SSM', () => {
    const f = run(`import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
class SSMClient {}
export const handler = async () => [new DynamoDBClient({}), new SSMClient()];`);
    assert.deepEqual(of(f, 'client-in-handler'), []);
  });

  it('clean: client created in a cold-start init called at module scope', () => {
    const f = run(`const AWS = require('aws-sdk');
let ssm;
function init() {
  ssm = new AWS.SSM();
}
init();
exports.handler = async () => ssm;`, { path: 'src/h.js' });
    assert.deepEqual(of(f, 'client-in-handler'), []);
  });
});
