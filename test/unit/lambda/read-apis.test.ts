// Issue 13 §1: every way real handlers read values — paginators, batch reads, v2 callbacks and eachPage, Powertools,
// middy, the Parameters and Secrets Lambda Extension, clients from factories, and the caches people write.
import * as assert from 'node:assert/strict';
import { handlerReferences, fileReferences } from '../../../src/core/iam/refs';
import { lines, memoryProject, of, run } from './helpers';

describe('Reads of every API style (issue 13 §1)', () => {
  it('SDK v3 paginators run one call per page on every invocation', () => {
    const code = `import { SSMClient, paginateGetParametersByPath } from '@aws-sdk/client-ssm';
import { SecretsManagerClient, paginateListSecrets, paginateBatchGetSecretValue } from '@aws-sdk/client-secrets-manager';
const ssm = new SSMClient({});
const sm = new SecretsManagerClient({});

export const handler = async () => {
  const config: Record<string, string> = {};
  for await (const page of paginateGetParametersByPath({ client: ssm }, { Path: '/orders/prod/', Recursive: true, WithDecryption: true })) {
    for (const p of page.Parameters ?? []) config[p.Name!] = p.Value!;
  }
  for await (const page of paginateListSecrets({ client: sm, pageSize: 50 }, {})) console.log(page.SecretList?.length);
  for await (const page of paginateBatchGetSecretValue({ client: sm }, { SecretIdList: ['orders/db', 'orders/stripe'] })) console.log(page);
  return config;
};
`;
    const f = run(code);
    assert.deepEqual(lines(f, 'uncached-fetch'), [8, 11, 12]);
    const u = of(f, 'uncached-fetch');
    assert.match(u[0].message, /GetParametersByPath of "\/orders\/prod\/"/);
    assert.match(u[0].message, /Parameter Store allows 40 TPS/);
    assert.match(u[2].message, /BatchGetSecretValue of "orders\/db", "orders\/stripe"/);
    assert.doesNotMatch(u[2].message, /40 TPS/, 'Secrets Manager reads are not held to Parameter Store limits');
    assert.deepEqual(lines(f, 'sequential-fetch'), [], 'a for-await over pages is not a sequence of independent fetches');
    const refs = handlerReferences('src/handler.ts', code, 'handler', memoryProject({ 'src/handler.ts': code })).refs;
    assert.deepEqual(refs.map((r) => `${r.kind}:${r.op}:${r.name}:${r.decrypt}`).sort(),
      ['parameter:GetParametersByPath:/orders/prod:true', 'secret:BatchGetSecretValue:orders/db:false', 'secret:BatchGetSecretValue:orders/stripe:false']);
  });

  it('BatchGetSecretValueCommand and v2 batchGetSecretValue', () => {
    const v3 = `import { SecretsManagerClient, BatchGetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const sm = new SecretsManagerClient({});
export const handler = async () => (await sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['a/db', 'a/api'] }))).SecretValues;
`;
    assert.deepEqual(lines(run(v3), 'uncached-fetch'), [3]);
    const cached = `import { SecretsManagerClient, BatchGetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const sm = new SecretsManagerClient({});
let values: unknown;
export const handler = async () => {
  values ??= (await sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['a/db', 'a/api'] }))).SecretValues;
  return values;
};
`;
    assert.deepEqual(lines(run(cached), 'uncached-fetch'), []);
  });

  it('SDK v2: .promise(), callbacks and .eachPage all read; a request never sent does not', () => {
    const code = `const AWS = require('aws-sdk');
const ssm = new AWS.SSM();
exports.handler = (event, context, callback) => {
  ssm.getParameter({ Name: '/svc/api-url' }, (err, data) => {
    if (err) return callback(err);
    ssm.getParametersByPath({ Path: '/svc/flags/', Recursive: true }).eachPage((e, page) => {
      if (!page) return callback(null, data.Parameter.Value);
      return true;
    });
  });
  const req = ssm.getParameter({ Name: '/svc/unused' });
};
`;
    const f = run(code, { path: 'src/h.js' });
    assert.deepEqual(lines(f, 'uncached-fetch'), [4, 6]);
    assert.deepEqual(lines(f, 'sequential-fetch'), []);
  });

  it('Powertools: functions and providers read; maxAge 0 / forceFetch are uncached; unimplemented provider methods read nothing', () => {
    const code = `import { getParameter, getParameters, getParametersByName } from '@aws-lambda-powertools/parameters/ssm';
import { getSecret, SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
const secrets = new SecretsProvider();
const params = new SSMProvider();

export const handler = async () => {
  const a = await getParameter('/app/url');
  const b = await getParameters('/app/flags/', { maxAge: 0 });
  const c = await getParametersByName({ '/app/a': {}, '/app/b': { maxAge: 10 } });
  const d = await getSecret('app/db', { forceFetch: true });
  const e = await secrets.get('app/api');
  const g = await params.getParametersByName({ '/app/x': {} }, { maxAge: 0 });
  const h = await (secrets as any).getMultiple('app/');
  return [a, b, c, d, e, g, h];
};
`;
    const f = run(code);
    assert.deepEqual(lines(f, 'uncached-fetch'), [9, 11, 13]);
    const refs = fileReferences('src/handler.ts', code);
    assert.deepEqual(refs.map((r) => r.name).sort(), ['/app/a', '/app/b', '/app/flags', '/app/url', '/app/x', 'app/api', 'app/db']);
  });

  it('middy ssm / secretsManager: cached by default, every invocation with cacheExpiry: 0', () => {
    const code = `import middy from '@middy/core';
import ssm from '@middy/ssm';
import secretsManager from '@middy/secrets-manager';

const base = async (event: unknown, context: { config: unknown }) => context.config;

export const handler = middy(base)
  .use(ssm({ fetchData: { config: '/orders/prod/config' }, setToContext: true }))
  .use(secretsManager({ fetchData: { db: 'orders/prod/db' }, cacheExpiry: 0, setToContext: true }));
`;
    const f = run(code);
    assert.deepEqual(lines(f, 'uncached-fetch'), [9]);
    assert.match(of(f, 'uncached-fetch')[0].message, /cacheExpiry: 0/);
    assert.match(of(f, 'uncached-fetch')[0].message, /handler "handler"/);
    assert.deepEqual(lines(f, 'missing-decryption'), [], 'middy asks for decryption itself');
    const refs = handlerReferences('src/handler.ts', code, 'handler', memoryProject({ 'src/handler.ts': code })).refs;
    assert.deepEqual(refs.map((r) => `${r.kind}:${r.name}`).sort(), ['parameter:/orders/prod/config', 'secret:orders/prod/db'], 'each read once');
  });

  it('the Parameters and Secrets Lambda Extension is a read (for IAM) and a cache (never uncached-fetch)', () => {
    const code = `const PORT = process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
const headers = { 'X-Aws-Parameters-Secrets-Token': process.env.AWS_SESSION_TOKEN! };

async function param(name: string) {
  const url = \`http://localhost:\${PORT}/systemsmanager/parameters/get?name=\${encodeURIComponent(name)}&withDecryption=true\`;
  return (await (await fetch(url, { headers })).json()).Parameter.Value;
}

export const handler = async () => {
  const db = await param('/orders/prod/db-password');
  const res = await fetch(\`http://localhost:2773/secretsmanager/get?secretId=orders%2Fstripe\`, { headers });
  const plain = await fetch('http://localhost:2773/systemsmanager/parameters/get?name=%2Forders%2Fprod%2Fapi-key', { headers });
  return [db, await res.json(), await plain.json()];
};
`;
    const f = run(code);
    assert.deepEqual(lines(f, 'uncached-fetch'), []);
    assert.deepEqual(lines(f, 'client-in-handler'), []);
    assert.deepEqual(lines(f, 'sequential-fetch'), []);
    assert.deepEqual(lines(f, 'missing-decryption'), [12], 'api-key read without withDecryption=true');
    const refs = handlerReferences('src/handler.ts', code, 'handler', memoryProject({ 'src/handler.ts': code })).refs;
    assert.deepEqual(refs.map((r) => `${r.kind}:${r.name}:${r.decrypt}`).sort(),
      ['parameter:/orders/prod/api-key:false', 'parameter:/orders/prod/db-password:true', 'secret:orders/stripe:false']);
  });
});

describe('Clients from factories, and the caches people write (issue 13 §1)', () => {
  const IMPORTS = "import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';\n";

  it('a factory that builds a client on every call is followed to where the client is made', () => {
    const f = run(`${IMPORTS}function getSsm(region?: string) {
  return new SSMClient({ region });
}
export const handler = async () => {
  const ssm = getSsm();
  await ssm.send(new PutThing());
  return ssm.send(new GetParameterCommand({ Name: '/a/b' }));
};
`);
    assert.deepEqual(lines(f, 'client-in-handler'), [3]);
    assert.deepEqual(lines(f, 'uncached-fetch'), [8]);
  });

  it('a memoized factory (`client ??= new SSMClient()`) is a cache', () => {
    const f = run(`${IMPORTS}let client: SSMClient | undefined;
const getClient = () => (client ??= new SSMClient({}));
export const handler = async () => { await getClient().send(new X()); return 1; };
`);
    assert.deepEqual(lines(f, 'client-in-handler'), []);
  });

  it('a module-scope Map (or object) of clients per region is a cache', () => {
    const mapCode = `${IMPORTS}const clients = new Map<string, SSMClient>();
function clientFor(region: string) {
  let c = clients.get(region);
  if (!c) {
    c = new SSMClient({ region });
    clients.set(region, c);
  }
  return c;
}
export const handler = async (event: { region: string }) => clientFor(event.region).send(new Other());
`;
    assert.deepEqual(lines(run(mapCode), 'client-in-handler'), []);
    const objCode = `${IMPORTS}const byRegion: Record<string, SSMClient> = {};
export const handler = async (event: { region: string }) => {
  if (!byRegion[event.region]) byRegion[event.region] = new SSMClient({ region: event.region });
  return byRegion[event.region].send(new Other());
};
`;
    assert.deepEqual(lines(run(objCode), 'client-in-handler'), []);
    // the same Map read but never filled is no cache
    const never = mapCode.replace('    clients.set(region, c);\n', '');
    assert.deepEqual(lines(run(never), 'client-in-handler'), [6]);
  });

  it('a lazily filled module-scope cache of values is a cache', () => {
    const f = run(`${IMPORTS}const ssm = new SSMClient({});
const cache: Record<string, string> = {};
async function load(name: string) {
  if (cache[name]) return cache[name];
  const out = await ssm.send(new GetParameterCommand({ Name: name }));
  cache[name] = out.Parameter!.Value!;
  return cache[name];
}
export const handler = async () => load('/a/url');
`);
    assert.deepEqual(lines(f, 'uncached-fetch'), []);
  });

  it('a factory in a helper module: per call when it builds, a cache when it memoizes', () => {
    const helper = `import { SSMClient } from '@aws-sdk/client-ssm';
export function createClient(region: string) {
  return new SSMClient({ region });
}
`;
    const memo = `import { SSMClient } from '@aws-sdk/client-ssm';
let c: SSMClient | undefined;
export function createClient(region: string) {
  if (!c) c = new SSMClient({ region });
  return c;
}
`;
    const code = `import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { createClient } from './aws';
export const handler = async () => createClient('eu-west-1').send(new Put());
`;
    assert.deepEqual(lines(run(code, { path: 'src/handler.ts', files: { 'src/aws.ts': helper } }), 'client-in-handler'), [3]);
    assert.deepEqual(lines(run(code, { path: 'src/handler.ts', files: { 'src/aws.ts': memo } }), 'client-in-handler'), []);
  });

  it('a class with a client field: per invocation when the class is built per invocation, not when it lives at module scope', () => {
    const cls = `${IMPORTS}class ConfigRepo {
  private ssm = new SSMClient({});
  async url() { return this.ssm.send(new GetParameterCommand({ Name: '/a/url' })); }
}
`;
    const perCall = run(`${cls}export const handler = async () => new ConfigRepo().url();\n`);
    assert.deepEqual([...lines(perCall, 'client-in-handler'), ...lines(perCall, 'uncached-fetch')].length > 0, true);
    assert.ok(lines(perCall, 'client-in-handler').includes(3));
    const shared = run(`${cls}const repo = new ConfigRepo();\nexport const handler = async () => repo.url();\n`);
    assert.deepEqual(lines(shared, 'client-in-handler'), []);
    assert.deepEqual(lines(shared, 'uncached-fetch'), [4], 'the read itself is still per invocation');
  });
});

describe('Names built from stage and environment, resolved as far as the IaC allows (issue 13 §1)', () => {
  it('`/${stage}/db/url` with the stage from the environment the IaC sets', () => {
    const code = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
const stage = process.env.STAGE ?? 'dev';
export const handler = async () => {
  const a = await ssm.send(new GetParameterCommand({ Name: \`/\${stage}/db/url\` }));
  const b = await ssm.send(new GetParameterCommand({ Name: process.env.API_KEY_PARAM, WithDecryption: true }));
  return [a, b];
};
`;
    const env = new Map([['STAGE', 'prod'], ['API_KEY_PARAM', '/prod/api/key']]);
    const refs = handlerReferences('src/h.ts', code, 'handler', memoryProject({ 'src/h.ts': code }), env).refs;
    assert.deepEqual(refs.map((r) => r.name).sort(), ['/prod/api/key', '/prod/db/url']);
    // without the IaC: the literal default is not what runs when STAGE is set, so only a prefix-less read remains
    const bare = handlerReferences('src/h.ts', code, 'handler', memoryProject({ 'src/h.ts': code })).refs;
    assert.deepEqual(bare.map((r) => r.name).sort(), ['/dev/db/url']);
  });
});
