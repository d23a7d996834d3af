import * as assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analyzer';
import { fixText } from '../../../src/core/fixAll';
import { lines, memoryProject, of, run } from './helpers';

const V3 = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
`;

describe('uncached-fetch', () => {
  describe('handler shapes (positives)', () => {
    it('ESM arrow handler with a v3 send(GetParameterCommand)', () => {
      const f = run(`${V3}
export const handler = async (event) => {
  const res = await ssm.send(new GetParameterCommand({ Name: '/app/prod/table-name' }));
  return res.Parameter?.Value;
};`);
      assert.deepEqual(lines(f, 'uncached-fetch'), [5]);
      const u = of(f, 'uncached-fetch')[0];
      assert.equal(u.severity, 'warning');
      assert.match(u.message, /every invocation/);
      assert.match(u.message, /40 TPS/);
      assert.match(u.message, /module scope with a TTL/);
      assert.deepEqual(u.data?.names, ['/app/prod/table-name']);
      assert.equal(u.data?.handler, 'handler');
    });

    it('export async function handler with GetSecretValue', () => {
      const f = run(`import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const sm = new SecretsManagerClient({});
export async function handler(event) {
  const s = await sm.send(new GetSecretValueCommand({ SecretId: 'prod/db' }));
  return JSON.parse(s.SecretString);
}`);
      assert.deepEqual(lines(f, 'uncached-fetch'), [4]);
      assert.equal(of(f, 'uncached-fetch')[0].data?.operation, 'GetSecretValue');
    });

    it('CommonJS exports.handler with SDK v2 .promise()', () => {
      const f = run(`const AWS = require('aws-sdk');
const ssm = new AWS.SSM();
exports.handler = async function (event) {
  const p = await ssm.getParameter({ Name: '/svc/api-endpoint' }).promise();
  return p.Parameter.Value;
};`, { path: 'src/handler.js' });
      assert.deepEqual(lines(f, 'uncached-fetch'), [4]);
      assert.equal(of(f, 'uncached-fetch')[0].data?.api, 'v2');
    });

    it('module.exports = { handler } with the SDK v2 callback form', () => {
      const f = run(`const AWS = require('aws-sdk');
const sm = new AWS.SecretsManager();
function handler(event, context, callback) {
  sm.getSecretValue({ SecretId: 'prod/stripe' }, (err, data) => {
    callback(err, data && data.SecretString.length);
  });
}
module.exports = { handler };`, { path: 'src/handler.js' });
      assert.deepEqual(lines(f, 'uncached-fetch'), [4]);
    });

    it('module.exports.handler with an inline new AWS.SecretsManager()', () => {
      const f = run(`const AWS = require('aws-sdk');
module.exports.handler = async (event) => {
  const s = await new AWS.SecretsManager().getSecretValue({ SecretId: 'prod/api' }).promise();
  return s.SecretString;
};`, { path: 'src/handler.cjs' });
      assert.deepEqual(lines(f, 'uncached-fetch'), [3]);
    });

    it('export default handler', () => {
      const f = run(`${V3}
export default async (event) => {
  return (await ssm.send(new GetParameterCommand({ Name: '/app/flags' }))).Parameter?.Value;
};`);
      assert.deepEqual(lines(f, 'uncached-fetch'), [5]);
      assert.equal(of(f, 'uncached-fetch')[0].data?.handler, 'default');
    });

    it('middy(baseHandler).use(...) is followed to baseHandler', () => {
      const f = run(`import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
${V3}
const baseHandler = async (event) => {
  const r = await ssm.send(new GetParameterCommand({ Name: '/app/url' }));
  return { statusCode: 200, body: r.Parameter?.Value };
};
export const handler = middy(baseHandler).use(httpErrorHandler());`);
      assert.deepEqual(lines(f, 'uncached-fetch'), [7]);
    });

    it('follows the handler into same-file helpers (and reports at the fetch)', () => {
      const f = run(`${V3}
async function readParam(name) {
  const r = await ssm.send(new GetParameterCommand({ Name: name }));
  return r.Parameter?.Value;
}
const getConfig = async () => ({ url: await readParam('/app/url') });
export const handler = async () => {
  const cfg = await getConfig();
  return cfg.url;
};`);
      assert.deepEqual(lines(f, 'uncached-fetch'), [5]);
    });

    it('follows a relative import into another file', () => {
      const files = {
        'src/lib/config.ts': `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
export async function getApiKey() {
  const r = await ssm.send(new GetParameterCommand({ Name: '/app/api-key', WithDecryption: true }));
  return r.Parameter?.Value;
}`,
      };
      const f = run(`import { getApiKey } from './lib/config';
export const handler = async () => {
  const key = await getApiKey();
  return key?.length;
};`, { files });
      const u = of(f, 'uncached-fetch');
      assert.deepEqual(u.map((x) => x.range.start.line + 1), [3]);
      assert.match(u[0].message, /getApiKey\(\) \(in src\/lib\/config\.ts\)/);
      assert.equal(u[0].data?.crossFile, true);
    });

    it('a "cache" declared inside the handler is no cache', () => {
      const f = run(`${V3}
export const handler = async () => {
  let cache: string | undefined;
  if (!cache) {
    cache = (await ssm.send(new GetParameterCommand({ Name: '/app/url' }))).Parameter?.Value;
  }
  return cache;
};`);
      assert.deepEqual(lines(f, 'uncached-fetch'), [7]);
    });

    it('Powertools with maxAge: 0 or forceFetch: true is uncached', () => {
      const f = run(`import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
export const handler = async () => {
  const a = await getParameter('/app/url', { maxAge: 0 });
  const b = await getSecret('prod/api', { forceFetch: true });
  const c = await getParameter('/app/other');
  return [a, b, c];
};`);
      assert.deepEqual(lines(f, 'uncached-fetch'), [4, 5]);
      assert.match(of(f, 'uncached-fetch')[0].message, /maxAge/);
    });

    it('Powertools maxAge fix: an object Powertools would cache and share is copied per invocation; a string is not', () => {
      const text = `import { getParameter, getParameters } from '@aws-lambda-powertools/parameters/ssm';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
export const handler = async (event) => {
  const flags = (await getParameter('/app/flags', { transform: 'json', maxAge: 0 }));
  flags.beta = event.beta;
  const all = getParameters('/app/tenants/', { forceFetch: true });
  const url = await getSecret('prod/url', { transform: 'binary', forceFetch: true });
  const name = await getParameter('/app/name', { maxAge: 0 });
  return [flags, await all, url, name];
};`;
      const fixed = fixText('/p/handler.mjs', text).text;
      assert.match(fixed, /const flags = \(structuredClone\(await getParameter\('\/app\/flags', \{ transform: 'json', maxAge: 300 \}\)\)\);/);
      assert.match(fixed, /const all = getParameters\('\/app\/tenants\/', \{ maxAge: 300 \}\)\.then\(\(value\) => structuredClone\(value\)\);/);
      assert.match(fixed, /const url = await getSecret\('prod\/url', \{ transform: 'binary', maxAge: 300 \}\);/);
      assert.match(fixed, /const name = await getParameter\('\/app\/name', \{ maxAge: 300 \}\);/);
      assert.equal(fixText('/p/handler.mjs', fixed).text, fixed, 'idempotent');
    });

    it('a parsed secret handed to a function of the file that changes it is parsed per invocation; one only read is cached frozen', () => {
      const code = (helper: string) => `import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const sm = new SecretsManagerClient({});
${helper}
export const handler = async (event) => {
  const res = await sm.send(new GetSecretValueCommand({ SecretId: 'app/db' }));
  const creds = JSON.parse(res.SecretString);
  return connect((creds), event);
};`;
      const mutating = fixText('/p/db.mjs', code('const connect = (c, e) => { Object.assign(c.options ?? {}, e); c.port ??= e.port; return c; };')).text;
      assert.match(mutating, /const creds = JSON\.parse\(\w+\);/, mutating);
      assert.doesNotMatch(mutating, /freezeDeep/);
      const nested = fixText('/p/db.mjs', code('function fill(x) { x.port = 1; }\nfunction connect({ options }, e) { fill(options); return e; }')).text;
      assert.match(nested, /const creds = JSON\.parse\(\w+\);/, nested);
      const reading = fixText('/p/db.mjs', code('function connect(c, e) { return { host: c.host, id: e.id }; }')).text;
      assert.match(reading, /return freezeDeep\(JSON\.parse\(/, reading);
    });

    it('v3 aggregated client, renamed and namespace imports, GetParametersByPath', () => {
      const f = run(`import { SSM } from '@aws-sdk/client-ssm';
import { GetParametersByPathCommand as ByPath, SSMClient as Client } from '@aws-sdk/client-ssm';
import * as sm from '@aws-sdk/client-secrets-manager';
const agg = new SSM({});
const client = new Client({});
const secrets = new sm.SecretsManagerClient({});
export const handler = async () => {
  const a = await agg.getParameter({ Name: '/a/url' });
  const b = await client.send(new ByPath({ Path: '/a/' }));
  const c = await secrets.send(new sm.GetSecretValueCommand({ SecretId: 'x' }));
  return [a, b, c];
};`);
      assert.deepEqual(lines(f, 'uncached-fetch'), [8, 9, 10]);
      assert.deepEqual(of(f, 'uncached-fetch').map((x) => x.data?.operation), ['GetParameter', 'GetParametersByPath', 'GetSecretValue']);
    });

    it('new SSM() from aws-sdk/clients/ssm, and a command built in a variable', () => {
      const f = run(`import SSM from 'aws-sdk/clients/ssm';
import { SSMClient, GetParametersCommand } from '@aws-sdk/client-ssm';
const v2 = new SSM();
const v3 = new SSMClient({});
export const handler = async () => {
  const a = await v2.getParameters({ Names: ['/a', '/b'] }).promise();
  const cmd = new GetParametersCommand({ Names: ['/c'] });
  const b = await v3.send(cmd);
  return [a, b];
};`);
      assert.deepEqual(lines(f, 'uncached-fetch'), [6, 8]);
    });
  });

  describe('clean patterns (negatives)', () => {
    it('module-scope promise', () => {
      const f = run(`${V3}
const loadConfig = async () => (await ssm.send(new GetParameterCommand({ Name: '/app/url' }))).Parameter?.Value;
const configPromise = loadConfig();
export const handler = async () => {
  const url = await configPromise;
  return url;
};`);
      assert.deepEqual(of(f, 'uncached-fetch'), []);
    });

    it('module-scope lazy variable (if (!cache) …)', () => {
      const f = run(`${V3}
let cache: string | undefined;
export const handler = async () => {
  if (!cache) {
    const r = await ssm.send(new GetParameterCommand({ Name: '/app/url' }));
    cache = r.Parameter?.Value;
  }
  return cache;
};`);
      assert.deepEqual(of(f, 'uncached-fetch'), []);
    });

    it('module-scope lazy promise through a helper (??= and early return)', () => {
      const f = run(`${V3}
let pending: Promise<unknown> | undefined;
let value: unknown;
const load = () => ssm.send(new GetParameterCommand({ Name: '/app/a' }));
async function getValue() {
  if (value) return value;
  value = await ssm.send(new GetParameterCommand({ Name: '/app/b' }));
  return value;
}
export const handler = async () => {
  const a = await (pending ??= load());
  return [a, await getValue()];
};`);
      assert.deepEqual(of(f, 'uncached-fetch'), []);
    });

    it('TTL cache compared with Date.now()', () => {
      const f = run(`${V3}
let cached: string | undefined;
let expiresAt = 0;
async function getUrl() {
  if (cached && Date.now() < expiresAt) return cached;
  const r = await ssm.send(new GetParameterCommand({ Name: '/app/url' }));
  cached = r.Parameter?.Value;
  expiresAt = Date.now() + 60_000;
  return cached;
}
export const handler = async () => getUrl();`);
      assert.deepEqual(of(f, 'uncached-fetch'), []);
    });

    it('module-scope Map cache', () => {
      const f = run(`${V3}
const cache = new Map<string, string | undefined>();
async function param(name: string) {
  if (cache.has(name)) return cache.get(name);
  const r = await ssm.send(new GetParameterCommand({ Name: name }));
  cache.set(name, r.Parameter?.Value);
  return r.Parameter?.Value;
}
export const handler = async () => param('/app/url');`);
      assert.deepEqual(of(f, 'uncached-fetch'), []);
    });

    it('Powertools default caching (functions and a module-scope provider)', () => {
      const f = run(`import { getParameter, SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
const provider = new SSMProvider();
export const handler = async () => {
  const a = await getParameter('/app/url');
  const b = await getSecret('prod/api', { maxAge: 300 });
  const c = await provider.get('/app/flags');
  return [a, b, c];
};`);
      assert.deepEqual(of(f, 'uncached-fetch'), []);
    });

    it('middy ssm and secrets-manager middlewares', () => {
      const f = run(`import middy from '@middy/core';
import ssm from '@middy/ssm';
import secretsManager from '@middy/secrets-manager';
const base = async (event, context) => ({ statusCode: 200, body: context.apiUrl });
export const handler = middy(base)
  .use(ssm({ fetchData: { apiUrl: '/app/url' }, setToContext: true, cacheExpiry: 300000 }))
  .use(secretsManager({ fetchData: { db: 'prod/db' }, setToContext: true }));`);
      assert.deepEqual(of(f, 'uncached-fetch'), []);
    });

    it('the Parameters and Secrets Lambda Extension on localhost:2773', () => {
      const f = run(`export const handler = async () => {
  const res = await fetch('http://localhost:2773/systemsmanager/parameters/get?name=%2Fapp%2Furl', {
    headers: { 'X-Aws-Parameters-Secrets-Token': process.env.AWS_SESSION_TOKEN ?? '' },
  });
  const body = await res.json();
  return body.Parameter.Value;
};`);
      assert.deepEqual(of(f, 'uncached-fetch'), []);
    });

    it('cold-start init function called at module scope', () => {
      const f = run(`${V3}
let url: string | undefined;
async function init() {
  url = (await ssm.send(new GetParameterCommand({ Name: '/app/url' }))).Parameter?.Value;
}
const ready = init();
export const handler = async () => {
  await ready;
  return url;
};`);
      assert.deepEqual(of(f, 'uncached-fetch'), []);
    });

    it('top-level await', () => {
      const f = run(`${V3}
const res = await ssm.send(new GetParameterCommand({ Name: '/app/url' }));
const url = res.Parameter?.Value;
export const handler = async () => url;`, { path: 'src/handler.mts' });
      assert.deepEqual(of(f, 'uncached-fetch'), []);
    });

    it('a library module with no handler reports nothing', () => {
      const f = run(`${V3}
export async function readParameter(name: string) {
  const r = await ssm.send(new GetParameterCommand({ Name: name }));
  return r.Parameter?.Value;
}`, { path: 'src/lib/params.ts' });
      assert.deepEqual(of(f, 'uncached-fetch'), []);
    });

    it('a cached loader in another file is clean', () => {
      const files = {
        'src/config.ts': `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
let cached: Promise<unknown> | undefined;
export function getConfig() {
  if (!cached) cached = ssm.send(new GetParameterCommand({ Name: '/app/url' }));
  return cached;
}`,
      };
      const f = run(`import { getConfig } from './config';
export const handler = async () => getConfig();`, { files });
      assert.deepEqual(of(f, 'uncached-fetch'), []);
    });

    it('a fetch guarded by a module-scope flag set by the loader', () => {
      const f = run(`const AWS = require('aws-sdk');
const ssm = new AWS.SSM();
let initialized = false;
let url;
async function init() {
  url = (await ssm.getParameter({ Name: '/app/url' }).promise()).Parameter.Value;
  initialized = true;
}
exports.handler = async () => {
  if (!initialized) await init();
  return url;
};`, { path: 'src/index.js' });
      assert.deepEqual(of(f, 'uncached-fetch'), []);
    });

    it('keyway-ignore-next-line suppresses the finding', () => {
      const f = run(`${V3}
export const handler = async () => {
  // keyway-ignore-next-line uncached-fetch
  const res = await ssm.send(new GetParameterCommand({ Name: '/app/url' }));
  return res;
};`);
      assert.deepEqual(of(f, 'uncached-fetch'), []);
    });
  });
});

describe('uncached-fetch: more handler shapes', () => {
  const HEAD = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
`;
  it('class-based handler (Powertools style) and this.method() calls', () => {
    const f = run(`${HEAD}
class Lambda {
  private async load() {
    return ssm.send(new GetParameterCommand({ Name: '/app/url' }));
  }
  public async handler(_event: unknown) {
    return this.load();
  }
}
const handlerClass = new Lambda();
export const handler = handlerClass.handler.bind(handlerClass);`);
    assert.deepEqual(lines(f, 'uncached-fetch'), [6]);
  });

  it('export { impl as handler } and a named default export', () => {
    const a = run(`${HEAD}
const impl = async () => ssm.send(new GetParameterCommand({ Name: '/a' }));
export { impl as handler };`);
    assert.deepEqual(lines(a, 'uncached-fetch'), [4]);
    const b = run(`${HEAD}
export default async function handler() {
  return ssm.send(new GetParameterCommand({ Name: '/a' }));
}`);
    assert.deepEqual(lines(b, 'uncached-fetch'), [5]);
  });

  it('a handler re-exported from a relative module is followed there', () => {
    const f = run(`export { handler } from './impl';`, {
      files: {
        'src/impl.ts': `${HEAD}
export const handler = async () => ssm.send(new GetParameterCommand({ Name: '/a' }));`,
      },
    });
    assert.deepEqual(lines(f, 'uncached-fetch'), [1]);
  });

  it('a Powertools provider created inside the handler has an empty cache each time', () => {
    const f = run(`import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
export const handler = async () => {
  const provider = new SSMProvider();
  return provider.get('/app/url');
};`);
    assert.deepEqual(lines(f, 'uncached-fetch'), [4]);
  });

  it('clean: a named default export that is not a handler, and a script main()', () => {
    const a = run(`${HEAD}
export default async function readParameter(name: string) {
  return ssm.send(new GetParameterCommand({ Name: name }));
}`);
    assert.deepEqual(of(a, 'uncached-fetch'), []);
    const b = run(`${HEAD}
export async function main() {
  console.log(await ssm.send(new GetParameterCommand({ Name: '/a' })));
}
main();`, { path: 'scripts/print-param.ts' });
    assert.deepEqual(of(b, 'uncached-fetch'), []);
  });
});

describe('uncached-fetch: class methods and singletons', () => {
  const HEAD = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
`;
  const STORE = `class ParamStore {
  private values = new Map<string, string>();
  async get(name: string) {
    const res = await ssm.send(new GetParameterCommand({ Name: name }));
    return res.Parameter?.Value;
  }
  async cached(name: string) {
    if (this.values.has(name)) return this.values.get(name);
    const res = await ssm.send(new GetParameterCommand({ Name: name }));
    this.values.set(name, res.Parameter!.Value!);
    return res.Parameter?.Value;
  }
  static async once(name: string) {
    return ssm.send(new GetParameterCommand({ Name: name }));
  }
}
`;
  it('a method on a module-scope instance and a static method run per invocation', () => {
    const f = run(`${HEAD}${STORE}const store = new ParamStore();
export const a = async (event: unknown) => store.get('/a');
export const b = async (event: unknown) => ParamStore.once('/b');`);
    assert.deepEqual(lines(f, 'uncached-fetch'), [6, 16]);
  });

  it('clean: state the class keeps on a long-lived instance is a cache; dirty: the same class built per invocation', () => {
    const clean = run(`${HEAD}${STORE}const store = new ParamStore();
export const handler = async (event: unknown) => store.cached('/a');`);
    assert.deepEqual(lines(clean, 'uncached-fetch'), []);
    const dirty = run(`${HEAD}${STORE}export const handler = async (event: unknown) => {
  const store = new ParamStore();
  return store.cached('/a');
};`);
    assert.deepEqual(lines(dirty, 'uncached-fetch'), [11]);
  });

  it('a singleton class in another file (CommonJS getInstance) and a named class instance (ESM) are followed', () => {
    const lib = `const AWS = require('aws-sdk');
const client = new AWS.SecretsManager();
let instance = null;
class SecretService {
  static getInstance() {
    if (!instance) instance = new SecretService();
    return instance;
  }
  async getSecretValue(params) {
    const res = await client.getSecretValue(params).promise();
    return res.SecretString;
  }
}
module.exports = SecretService;`;
    const cjs = run(`const SecretService = require('./lib/secret-service');
exports.handler = async (event) => SecretService.getInstance().getSecretValue({ SecretId: 'prod/db' });`,
    { path: 'src/h.js', files: { 'src/lib/secret-service.js': lib } });
    const u = of(cjs, 'uncached-fetch');
    assert.deepEqual(u.map((x) => x.range.start.line + 1), [2]);
    assert.match(u[0].message, /SecretService\.getInstance\(\)\.getSecretValue\(\) \(in .*secret-service\.js\) runs GetSecretValue/);
    const esm = run(`import AWS from 'aws-sdk';
import { SSM } from './ssm';
const ssm = new SSM(new AWS.SSM());
export const handler = async (event: { key: string }) => ssm.get(event.key);`, {
      files: { 'src/ssm.ts': `import type { GetParameterRequest } from 'aws-sdk/clients/ssm';
export class SSM {
  constructor(private client: AWS.SSM) {}
  async get(name: string) {
    const request: GetParameterRequest = { Name: name, WithDecryption: true };
    const res = await this.client.getParameter(request).promise();
    return res.Parameter?.Value;
  }
}` },
    });
    assert.deepEqual(lines(esm, 'uncached-fetch'), [4]);
  });
});

describe('uncached-fetch: cache checks written indirectly (third real-code audit)', () => {
  const HEAD = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
`;
  it('clean: the check held in a local const, or made by a helper that reads the cache state', () => {
    const viaConst = run(`${HEAD}let cache: string | undefined;
let validUntil = 0;
export const handler = async (event: unknown) => {
  const valid = cache !== undefined && validUntil > new Date().getTime();
  if (valid) return cache;
  cache = (await ssm.send(new GetParameterCommand({ Name: '/a' }))).Parameter?.Value;
  validUntil = Date.now() + 60_000;
  return cache;
};`);
    assert.deepEqual(lines(viaConst, 'uncached-fetch'), []);
    const viaHelper = run(`${HEAD}let cache: string | undefined;
const isCached = () => cache !== undefined;
export const handler = async (event: unknown) => {
  if (isCached()) return cache;
  cache = (await ssm.send(new GetParameterCommand({ Name: '/a' }))).Parameter?.Value;
  return cache;
};`);
    assert.deepEqual(lines(viaHelper, 'uncached-fetch'), []);
  });

  it('clean: secrets loaded into process.env once (the environment is the cache), with no env-read finding either', () => {
    const f = analyzeText('src/handlers/api.js', `const { SSMClient, GetParameterCommand } = require('@aws-sdk/client-ssm');
const loadSecrets = async () => {
  const client = new SSMClient({});
  const p = await client.send(new GetParameterCommand({ Name: '/app/jwt-secret', WithDecryption: true }));
  process.env.JWT_SECRET = p.Parameter.Value;
};
exports.handler = async (event) => {
  if (!process.env.JWT_SECRET) await loadSecrets();
  return verify(event.token, process.env.JWT_SECRET);
};`);
    assert.deepEqual(f.map((x) => x.ruleId), []);
  });

  it('a client built in the constructor of a class the handler instantiates is built per invocation', () => {
    const f = run(`import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
class Secrets {
  private client: SecretsManagerClient;
  constructor(region: string) { this.client = new SecretsManagerClient({ region }); }
  async get(id: string) { return (await this.client.send(new GetSecretValueCommand({ SecretId: id }))).SecretString; }
}
export const handler = async (event: unknown) => new Secrets('eu-west-1').get('app/db');`);
    assert.deepEqual(lines(f, 'client-in-handler'), [4]);
    assert.deepEqual(lines(f, 'uncached-fetch'), [5]);
  });

  it('an anonymous default export whose first parameter is not an event is a helper, not a handler', () => {
    const helper = run(`const { SecretsManager } = require('@aws-sdk/client-secrets-manager');
module.exports = async (secretId) => {
  const client = new SecretsManager({});
  return (await client.getSecretValue({ SecretId: secretId })).SecretString;
};`, { path: 'src/lib/retrieveSecret.js' });
    assert.deepEqual([...lines(helper, 'uncached-fetch'), ...lines(helper, 'client-in-handler')], []);
    const handler = run(`const { SecretsManager } = require('@aws-sdk/client-secrets-manager');
module.exports = async (event) => {
  const client = new SecretsManager({});
  return (await client.getSecretValue({ SecretId: 'app/db' })).SecretString;
};`, { path: 'src/handlers/h.js' });
    // the client serves only this read: one finding, at the read
    assert.deepEqual(lines(handler, 'uncached-fetch'), [4]);
    assert.equal(of(handler, 'uncached-fetch')[0].data?.client, 'SecretsManager');
  });
});

describe('uncached-fetch: what counts as cache state (fourth audit)', () => {
  const HEAD = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
`;
  it('a flag or counter taken from the invocation guards nothing cached: the fetch is still reported', () => {
    const debug = run(`${HEAD}let debugMode = false;
export const handler = async (event: { debug?: boolean }) => {
  debugMode = !!event.debug;
  if (debugMode) return {};
  return ssm.send(new GetParameterCommand({ Name: '/a' }));
};`);
    assert.deepEqual(lines(debug, 'uncached-fetch'), [7]);
    const breaker = run(`${HEAD}let failures = 0;
export const handler = async (event: unknown) => {
  if (failures >= 3) return {};
  try { return await ssm.send(new GetParameterCommand({ Name: '/a' })); } catch (e) { failures++; throw e; }
};`);
    assert.deepEqual(lines(breaker, 'uncached-fetch'), [6]);
  });

  it('a receiver declared inside a callback of the handler is resolved there', () => {
    const f = run(`import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const sm = new SecretsManagerClient({});
class Secrets {
  static getInstance() { return new Secrets(); }
  async get(id: string) { return (await sm.send(new GetSecretValueCommand({ SecretId: id }))).SecretString; }
}
export const handler = async (event: { Records: { body: string }[] }) =>
  Promise.all(event.Records.map(async (r) => { const s = Secrets.getInstance(); return s.get(r.body); }));`);
    assert.deepEqual(lines(f, 'uncached-fetch'), [5]);
  });

  it('clean: a static singleton (`if (!Cls.instance) Cls.instance = new Cls()`) builds its client once', () => {
    const f = run(`import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
class Secrets {
  static instance: Secrets | undefined;
  private client = new SecretsManagerClient({});
  static get(): Secrets { if (!Secrets.instance) Secrets.instance = new Secrets(); return Secrets.instance; }
}
export const handler = async (event: unknown) => Secrets.get();`);
    assert.deepEqual(lines(f, 'client-in-handler'), []);
  });

  it('clean: a secrets loader in another module that fills process.env once', () => {
    const f = analyzeText('src/handlers/api.js', `const { loadSecrets } = require('../lib/secrets');
exports.handler = async (event) => {
  if (!process.env.JWT_SECRET) await loadSecrets();
  return verify(event.token, process.env.JWT_SECRET);
};`, { project: memoryProject({ 'src/lib/secrets.js': `const { SSMClient, GetParameterCommand } = require('@aws-sdk/client-ssm');
exports.loadSecrets = async () => {
  const client = new SSMClient({});
  const p = await client.send(new GetParameterCommand({ Name: '/app/jwt-secret', WithDecryption: true }));
  process.env.JWT_SECRET = p.Parameter.Value;
};` }) });
    assert.deepEqual(f.map((x) => x.ruleId), []);
  });

  it('send(command) takes the command declared in an enclosing block, not one of another block', () => {
    const f = run(`import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
const ssm = new SSMClient({});
const s3 = new S3Client({});
let cached: string | undefined;
export const handler = async (event: { body: string }) => {
  if (!cached) {
    const command = new GetParameterCommand({ Name: '/a' });
    cached = (await ssm.send(command)).Parameter?.Value;
  }
  {
    const command = new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: event.body });
    await s3.send(command);
  }
};`);
    assert.deepEqual(lines(f, 'uncached-fetch'), []);
  });
});

describe('uncached-fetch: SDK recognition limits', () => {
  it('a client passed in as a parameter is recognised by name in a file that uses the SDK', () => {
    const f = run(`const AWS = require('aws-sdk');
async function read(ssm, name) {
  return (await ssm.getParameter({ Name: name }).promise()).Parameter.Value;
}
exports.handler = async () => read(new AWS.SSM(), '/a');`, { path: 'src/h.js' });
    assert.deepEqual(lines(f, 'uncached-fetch'), [3]);
  });

  it('clean: a project wrapper with a getParameter method is not the SDK', () => {
    const f = run(`const AWS = require('aws-sdk');
const params = require('./params');
const paramStore = params.create();
exports.handler = async () => [await params.getParameter('/a'), await paramStore.getParameter({ Name: '/b' })];`, { path: 'src/h.js' });
    assert.deepEqual(of(f, 'uncached-fetch'), []);
  });
});

describe('uncached-fetch: memoized loaders', () => {
  it('clean: memoize / once wrappers cache the result', () => {
    const f = run(`import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
import memoize from 'lodash/memoize';
import once from 'lodash/once';
const ssm = new SSMClient({});
const getUrl = memoize(async () => (await ssm.send(new GetParameterCommand({ Name: '/a' }))).Parameter?.Value);
const getKey = once(() => ssm.send(new GetParameterCommand({ Name: '/b' })));
export const handler = async () => [await getUrl(), await getKey()];`);
    assert.deepEqual(of(f, 'uncached-fetch'), []);
  });

  it('a non-caching wrapper (retry) is followed', () => {
    const f = run(`import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
import { withRetry } from 'some-retry-lib';
const ssm = new SSMClient({});
const getUrl = withRetry(async () => ssm.send(new GetParameterCommand({ Name: '/a' })));
export const handler = async () => getUrl();`);
    assert.deepEqual(lines(f, 'uncached-fetch'), [4]);
  });
});

describe('uncached-fetch: cross-file resolution', () => {
  const lib = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
export async function loadConfig() {
  return ssm.send(new GetParameterCommand({ Name: '/app/table-name' }));
}`;
  it('ESM ".js" specifiers resolve to the TypeScript source, through two hops', () => {
    const f = run(`import { getConfig } from '../lib/index.js';
export const handler = async () => getConfig();`, {
      path: 'src/handlers/a.ts',
      files: {
        'src/lib/index.ts': `import { loadConfig } from './config.js';\nexport const getConfig = () => loadConfig();`,
        'src/lib/config.ts': lib,
      },
    });
    const u = of(f, 'uncached-fetch');
    assert.deepEqual(u.map((x) => x.range.start.line + 1), [2]);
    assert.deepEqual(u[0].data?.operations, ['GetParameter']);
  });

  it('CommonJS require of a directory index, and namespace calls', () => {
    const f = run(`const config = require('./config');
exports.handler = async () => config.loadConfig();`, { path: 'src/h.js', files: { 'src/config/index.js': lib.replace(/import \{ (.*) \} from '(.*)';/, "const { $1 } = require('$2');") } });
    assert.deepEqual(lines(f, 'uncached-fetch'), [2]);
  });
});

describe('uncached-fetch: keyed caches', () => {
  it('clean: the fetch runs inside a caching helper (cache.getOrSet / cachedFetch)', () => {
    const f = run(`import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
import { cache } from './cache';
const ssm = new SSMClient({});
export const handler = async (event: { name: string }) =>
  cache.getOrSet(event.name, () => ssm.send(new GetParameterCommand({ Name: event.name })));`);
    assert.deepEqual(of(f, 'uncached-fetch'), []);
  });

  it('a per-request fetch in a helper gets the keyed-cache fix', () => {
    const f = of(run(`import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
const read = async (name: string) => ssm.send(new GetParameterCommand({ Name: name }));
export const handler = async (event: { name: string }) => read(event.name);`), 'uncached-fetch');
    assert.equal(f.length, 1);
    assert.match(f[0].fixes[0].title, /keyed/);
  });
});

describe('uncached-fetch: write-only caches', () => {
  it('a module Map that is written but never checked is no cache', () => {
    const f = run(`import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
const cache = new Map<string, unknown>();
export const handler = async () => {
  cache.set('url', await ssm.send(new GetParameterCommand({ Name: '/a' })));
  return cache.get('url');
};`);
    assert.deepEqual(lines(f, 'uncached-fetch'), [5]);
  });
});
