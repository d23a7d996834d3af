import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analyzer';
import { applyEdits } from '../../../src/core/fixes/apply';
import { exposed, lines, SM, SSM } from './helpers';

describe('secret-exposed', () => {
  describe('sources', () => {
    it('GetSecretValue: SecretString, SecretBinary, the whole response and fields of the parsed JSON', () => {
      const f = exposed(`${SM}
export const handler = async () => {
  const res = await sm.send(new GetSecretValueCommand({ SecretId: 'prod/db' }));
  console.log(res.SecretString);
  console.log(res.SecretBinary);
  console.log(res);
  const db = JSON.parse(res.SecretString!);
  console.log(db.password);
  console.log(db.host, db.port, db.username, res.ARN, res.Name, res.VersionId);
};`);
      assert.deepEqual(lines(f), [6, 7, 8, 10]);
      assert.match(f[0].message, /^The secret "prod\/db" \(GetSecretValue\) is written to the logs by console\.log/);
      assert.deepEqual(f[0].data?.names, ['prod/db']);
      assert.equal(f[0].data?.sink, 'log');
    });

    it('GetParameter read WithDecryption, or with a secret-looking name; not a plain parameter', () => {
      const f = exposed(`${SSM}
export const handler = async () => {
  const a = await ssm.send(new GetParameterCommand({ Name: '/app/prod/api-endpoint', WithDecryption: true }));
  const b = await ssm.send(new GetParameterCommand({ Name: '/app/prod/db-password' }));
  const c = await ssm.send(new GetParameterCommand({ Name: '/app/prod/table-name' }));
  const d = await ssm.send(new GetParameterCommand({ Name: process.env.CERT_PARAM, WithDecryption: true }));
  console.log(a.Parameter?.Value, c.Parameter?.Value);
  console.log(b.Parameter?.Value);
  console.log(d.Parameter?.Value);
};`);
      assert.deepEqual(lines(f), [10, 11]);
      assert.match(f[0].message, /"\/app\/prod\/db-password"/);
      assert.match(f[1].message, /named by CERT_PARAM/);
    });

    it('the connected account says which parameters are SecureStrings', () => {
      const code = `${SSM}
export const handler = async () => {
  const a = await ssm.send(new GetParameterCommand({ Name: '/app/prod/partner-config' }));
  console.log(a.Parameter?.Value);
};`;
      assert.deepEqual(lines(exposed(code)), []);
      assert.deepEqual(lines(exposed(code, { kinds: { '/app/prod/partner-config': 'SecureString' } })), [6]);
    });

    it('GetParametersByPath with decryption: secret-looking keys and the whole map, not plain keys', () => {
      const f = exposed(`${SSM}
export async function load() {
  const out = await ssm.send(new GetParametersByPathCommand({ Path: '/app/prod/', WithDecryption: true }));
  const cfg: Record<string, string> = {};
  for (const p of out.Parameters ?? []) cfg[p.Name!.split('/').pop()!] = p.Value!;
  console.log(cfg.tableName, cfg.logLevel);
  console.log(cfg.stripeSecretKey);
  console.log(cfg);
  return cfg;
}`);
      assert.deepEqual(lines(f), [9, 10]);
    });

    it('SDK v3 paginators (one response per page) and BatchGetSecretValue', () => {
      const f = exposed(`import { SSMClient, paginateGetParametersByPath } from '@aws-sdk/client-ssm';
import { SecretsManagerClient, BatchGetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const ssm = new SSMClient({});
const sm = new SecretsManagerClient({});
export const handler = async () => {
  for await (const page of paginateGetParametersByPath({ client: ssm }, { Path: '/app/prod/', WithDecryption: true })) {
    for (const p of page.Parameters ?? []) console.log(p.Name, p.Value);
    console.log('page of', page.Parameters?.length);
  }
  const batch = await sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['a/key', 'b/token'] }));
  for (const v of batch.SecretValues ?? []) console.log(v.Name, v.SecretString);
  console.log(batch.Errors);
};`);
      assert.deepEqual(lines(f), [7, 11]);
      assert.match(f[1].message, /^The secrets "a\/key", "b\/token" \(BatchGetSecretValue\) are written/);
    });

    it('Powertools getSecret, getParameter with decrypt, getParameters, and providers', () => {
      const f = exposed(`import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { getParameter, getParameters, SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
const provider = new SSMProvider();
export const handler = async () => {
  console.log(await getSecret('svc/token'));
  console.log(await getParameter('/svc/signing-key', { decrypt: true }));
  console.log(await getParameter('/svc/endpoint'));
  const all = await getParameters('/svc/', { decrypt: true });
  console.log(all?.retries, all?.apiKey);
  console.log(await provider.get('/svc/webhook-secret', { decrypt: true }));
};`, { path: '/p/src/h.ts' });
      assert.deepEqual(lines(f), [5, 6, 9, 10]);
      assert.match(f[0].message, /"svc\/token" \(Powertools\)/);
    });

    it('secret-named environment variables, not references or plain config', () => {
      const f = exposed(`export const handler = async () => {
  const { STRIPE_SECRET_KEY, TABLE_NAME } = process.env;
  console.log(STRIPE_SECRET_KEY);
  console.log(process.env.DB_PASSWORD, process.env['GITHUB_TOKEN']);
  console.log(TABLE_NAME, process.env.API_KEY_PARAM, process.env.DB_SECRET_ARN, process.env.AWS_REGION);
  console.log(process.env.DATABASE_URL);
};`);
      assert.deepEqual(lines(f), [3, 4, 6]);
      assert.match(f[0].message, /^process\.env\.STRIPE_SECRET_KEY is written/);
    });

    it("middy's secrets-manager and ssm middlewares: context fields and (middy 0.x) process.env", () => {
      const f = exposed(`import middy from '@middy/core';
import secretsManager from '@middy/secrets-manager';
import ssm from '@middy/ssm';
const base = async (event, context) => {
  console.log(context.apiKey);
  console.log(context.tableName);
  return { statusCode: 200, body: JSON.stringify({ k: context.apiKey }) };
};
export const handler = middy(base)
  .use(secretsManager({ fetchData: { apiKey: 'svc/api-key' }, setToContext: true }))
  .use(ssm({ fetchData: { tableName: '/svc/table-name' }, setToContext: true }));`, { path: '/p/src/h.js' });
      assert.deepEqual(lines(f), [5, 7]);
      assert.match(f[0].message, /"svc\/api-key" \(middy secrets-manager middleware, as apiKey\)/);
      assert.match(f[1].message, /returned in the HTTP response/);
    });

    it('the Parameters and Secrets Lambda Extension over HTTP', () => {
      const f = exposed(`const headers = { 'X-Aws-Parameters-Secrets-Token': process.env.AWS_SESSION_TOKEN };
export const handler = async () => {
  const res = await fetch('http://localhost:2773/secretsmanager/get?secretId=svc%2Fkey', { headers });
  const { SecretString } = await res.json();
  console.log(res.status, SecretString);
  const p = await fetch('http://localhost:2773/systemsmanager/parameters/get?name=/svc/endpoint', { headers });
  console.log((await p.json()).Parameter.Value);
};`, { path: '/p/src/h.mjs' });
      assert.deepEqual(lines(f), [5]);
      assert.match(f[0].message, /the secret "svc\/key" \(Parameters and Secrets Lambda Extension\)/i);
    });
  });

  describe('flow', () => {
    it('through assignments, destructuring, templates, concatenation, spreads, arrays, awaits and callbacks', () => {
      const f = exposed(`${SM}
async function read(id: string) {
  const { SecretString } = await sm.send(new GetSecretValueCommand({ SecretId: id }));
  return SecretString ?? '';
}
export const handler = async () => {
  const key = await read('svc/key');
  let line = 'key=' + key;
  console.log(line);
  console.log(\`\${key}\`);
  const obj = { ...{ nested: [key] } };
  console.log(obj);
  const list = [key].map((k) => k.trim());
  console.log(list.join(','));
  await read('svc/other').then((v) => console.log(v));
};`);
      assert.deepEqual(lines(f), [11, 12, 14, 16, 17]);
    });

    it('through parameters and return values of helpers of the same file, reported where the value enters', () => {
      const f = exposed(`${SM}
const respond = (status: number, data: unknown) => ({ statusCode: status, body: JSON.stringify(data) });
function logIt(label: string, value: unknown) { console.log(label, value); }
export const handler = async () => {
  const res = await sm.send(new GetSecretValueCommand({ SecretId: 'svc/key' }));
  const key = res.SecretString;
  logIt('key', key);
  logIt('len', key?.length);
  return respond(200, { key });
};`);
      assert.deepEqual(lines(f), [9, 11]);
      assert.match(f[0].message, /through logIt\(\)/);
      assert.match(f[1].message, /returned in the HTTP response through respond\(\)/);
      assert.deepEqual(f[0].data?.via, ['logIt']);
    });

    it('across modules: a loader returning the secret, and a helper logging what it is given', () => {
      const files = {
        '/p/src/lib/config.ts': `${SM}
let cache: { apiKey: string; region: string } | undefined;
export async function getConfig() {
  if (cache) return cache;
  const r = await sm.send(new GetSecretValueCommand({ SecretId: 'svc/config' }));
  cache = { apiKey: JSON.parse(r.SecretString!).apiKey, region: 'eu-west-1' };
  return cache;
}`,
        '/p/src/lib/log.ts': 'export const debug = (msg: string, meta: object) => console.log(JSON.stringify({ msg, ...meta }));\n',
      };
      const f = exposed(`import { getConfig } from './lib/config';
import { debug } from './lib/log';
export const handler = async () => {
  const cfg = await getConfig();
  console.log(cfg.region);
  console.log(cfg);
  debug('cfg', { key: cfg.apiKey });
  debug('region', { region: cfg.region });
};`, { files });
      assert.deepEqual(lines(f), [6, 7]);
      assert.match(f[0].message, /the secret "svc\/config" \(GetSecretValue\) \(read in lib\/config\.ts\)/i);
      assert.match(f[1].message, /through debug\(\) \(in lib\/log\.ts\)/);
    });

    it('a module-scope cache filled by a loader, read by the handler', () => {
      const f = exposed(`${SSM}
let apiKey: string | undefined;
async function init() {
  if (apiKey) return;
  const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/svc/api-key', WithDecryption: true }));
  apiKey = Parameter?.Value;
}
export const handler = async () => {
  await init();
  console.log('using', apiKey);
};`);
      assert.deepEqual(lines(f), [12]);
    });

    it('class fields written by a loader method and read through a getter', () => {
      const f = exposed(`${SM}
class Secrets {
  private raw?: string;
  async load() { this.raw = (await sm.send(new GetSecretValueCommand({ SecretId: 'svc/x' }))).SecretString; }
  get token() { return this.raw; }
  describe() { return 'token ' + this.token; }
}
const secrets = new Secrets();
export const handler = async () => {
  await secrets.load();
  console.log(secrets.describe());
  console.log(secrets.token);
};`);
      assert.deepEqual(lines(f), [13, 14]);
    });

    it('constructor parameter properties: reported at the `new` that passes the secret; no fix there (the class also uses it)', () => {
      const f = exposed(`${SM}
class Partner {
  constructor(private readonly apiKey: string, private readonly region = 'eu-west-1') {}
  describe() { console.log('partner', this.region, this.apiKey); }
}
export const handler = async () => {
  const k = (await sm.send(new GetSecretValueCommand({ SecretId: 'svc/partner' }))).SecretString!;
  new Partner(k).describe();
  new Partner('public-id').describe();
};`);
      assert.deepEqual(lines(f), [10]);
      assert.match(f[0].message, /through new Partner\(\)/);
      assert.deepEqual(f[0].fixes, []);
    });

    it('a variable reassigned to a masked form before it is logged is not exposed', () => {
      const f = exposed(`${SM}
export const handler = async () => {
  let shown = (await sm.send(new GetSecretValueCommand({ SecretId: 'svc/x' }))).SecretString ?? '';
  console.log(shown);
  shown = shown.slice(0, 4) + '…';
  console.log(shown);
};`);
      assert.deepEqual(lines(f), [6]);
    });
  });

  describe('sinks', () => {
    it('Powertools Logger, pino, winston, bunyan and debug', () => {
      const f = exposed(`${SM}
import { Logger } from '@aws-lambda-powertools/logger';
import pino from 'pino';
import winston from 'winston';
import bunyan from 'bunyan';
import createDebug from 'debug';
const powertools = new Logger();
const p = pino();
const w = winston.createLogger({});
const b = bunyan.createLogger({ name: 'x' });
const dbg = createDebug('svc');
export const handler = async () => {
  const k = (await sm.send(new GetSecretValueCommand({ SecretId: 'svc/k' }))).SecretString;
  powertools.info('k', { k });
  powertools.appendKeys({ k });
  p.info({ k }, 'k');
  w.debug(\`k \${k}\`);
  b.warn({ k });
  dbg('k %s', k);
};`);
      assert.deepEqual(lines(f), [16, 17, 18, 19, 20, 21]);
      assert.match(f[1].message, /added to every log line by powertools\.appendKeys/);
      assert.match(f[5].message, /by dbg \(debug\)/);
    });

    it('thrown Error messages, API Gateway bodies, Express res.json, middy response', () => {
      const f = exposed(`${SM}
export const handler = async (req: any, res: any) => {
  const k = (await sm.send(new GetSecretValueCommand({ SecretId: 'svc/k' }))).SecretString;
  if (Math.random()) throw new Error(\`bad key \${k}\`);
  res.status(500).json({ k });
  req.response = { ...req.response, body: k };
  return { statusCode: 200, body: k };
};`, { path: '/p/src/h.ts' });
      assert.deepEqual(lines(f), [6, 7, 8, 9]);
      assert.equal(f[0].data?.sink, 'error');
      assert.equal(f[1].data?.sink, 'response');
      assert.match(f[2].message, /the middy response/);
    });

    it('raw writes to S3, DynamoDB and SQS are info; a hash or a name is not', () => {
      const f = exposed(`${SM}
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'crypto';
declare const s3: S3Client, sqs: SQSClient, doc: DynamoDBDocumentClient;
export const handler = async () => {
  const k = (await sm.send(new GetSecretValueCommand({ SecretId: 'svc/k' }))).SecretString!;
  await s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: k }));
  await sqs.send(new SendMessageCommand({ QueueUrl: 'q', MessageBody: JSON.stringify({ k }) }));
  await doc.send(new PutCommand({ TableName: 't', Item: { id: 1, k } }));
  await doc.send(new PutCommand({ TableName: 't', Item: { id: 1, h: createHash('sha256').update(k).digest('hex'), name: 'svc/k' } }));
};`);
      assert.deepEqual(lines(f), [11, 12, 13]);
      assert.ok(f.every((x) => x.severity === 'info'));
      assert.match(f[0].message, /written raw to S3 \(PutObjectCommand\)/);
    });
  });

  describe('not exposures', () => {
    it('hashing, comparisons, boolean and length checks, masks, and use as a credential', () => {
      const f = exposed(`${SM}
import { createHash, createHmac } from 'crypto';
import Stripe from 'stripe';
export const handler = async (event: { key: string }) => {
  const key = (await sm.send(new GetSecretValueCommand({ SecretId: 'svc/stripe' }))).SecretString ?? '';
  const stripe = new Stripe(key, { apiVersion: '2024-06-20' });
  console.log(createHash('sha256').update(key).digest('hex'));
  console.log(createHmac('sha256', key).update('x').digest('base64'));
  console.log(event.key === key, !!key, key ? 'set' : 'missing', key.length, typeof key);
  console.log(key.slice(0, 4) + '…', \`\${key.substring(0, 4)}***\`, key.slice(-4), '*'.repeat(key.length));
  console.log(key.replace(/.(?=.{4})/g, '*'));
  await fetch('https://api.example.com', { headers: { Authorization: \`Bearer \${key}\` } });
  console.log(stripe);
  return { statusCode: 200, body: JSON.stringify({ configured: Boolean(key) }) };
};`);
      assert.deepEqual(lines(f), []);
    });

    it('values logged only in tests', () => {
      const code = `${SM}
export const t = async () => console.log((await sm.send(new GetSecretValueCommand({ SecretId: 'x' }))).SecretString);`;
      assert.equal(exposed(code, { path: '/p/test/handler.test.ts', files: { '/p/package.json': '{}' } }).length, 0);
      assert.equal(exposed(code, { path: '/p/src/__tests__/h.ts', files: { '/p/package.json': '{}' } }).length, 0);
      assert.equal(exposed(code, { path: '/p/src/h.spec.js' }).length, 0);
      // a project that lives under a folder named test is not test code
      assert.equal(exposed(code, { path: '/home/u/test/app/src/h.ts', files: { '/home/u/test/app/package.json': '{}' } }).length, 1);
    });

    it('names, ARNs and response metadata of secrets', () => {
      const f = exposed(`${SM}
const SECRET_ID = process.env.API_KEY_SECRET_ID ?? 'svc/key';
export const handler = async () => {
  const res = await sm.send(new GetSecretValueCommand({ SecretId: SECRET_ID }));
  console.log('read', SECRET_ID, res.ARN, res.VersionStages, res.$metadata.httpStatusCode);
  throw new Error(\`secret \${SECRET_ID} not found\`);
};`);
      assert.deepEqual(lines(f), []);
    });

    it('a file that cannot read a secret costs nothing and reports nothing', () => {
      assert.deepEqual(exposed('export const f = (x: string) => { console.log(x); throw new Error(x); };'), []);
    });
  });

  describe('messages never carry a value', () => {
    it('names the source and the sink, never the literal text of the code around it', () => {
      const f = exposed(`${SM}
export const handler = async () => {
  const k = (await sm.send(new GetSecretValueCommand({ SecretId: 'svc/k' }))).SecretString;
  console.log('sk_live_' + 'abcdefghijklmnop', k);
};`);
      assert.equal(f.length, 1);
      assert.doesNotMatch(f[0].message, /sk_live|abcdefgh/);
      assert.doesNotMatch(JSON.stringify(f[0].data), /sk_live|abcdefgh/);
    });
  });

  describe('fixes', () => {
    const fix = (code: string, title: RegExp, path = '/p/src/h.ts') => {
      const f = exposed(code, { path });
      assert.equal(f.length, 1, 'one finding');
      const x = f[0].fixes.find((y) => title.test(y.title));
      assert.ok(x, `a fix titled ${title}: ${f[0].fixes.map((y) => y.title).join(' | ')}`);
      return { text: applyEdits(code, x.edits), fixes: f[0].fixes };
    };

    it('masks a logged value (first 4 characters, then …), preferred; the result is no longer a finding', () => {
      const code = `${SM}
export const handler = async () => {
  const k = (await sm.send(new GetSecretValueCommand({ SecretId: 'svc/k' }))).SecretString;
  console.log('key', k);
};`;
      const { text, fixes } = fix(code, /masked/);
      assert.match(text, /console\.log\('key', `\$\{String\(k\)\.slice\(0, 4\)\}…`\);/);
      assert.equal(fixes[0].isPreferred, true);
      assert.deepEqual(exposed(text), []);
    });

    it('masks inside a template literal and a shorthand property, and a field of a logged object', () => {
      const { text } = fix(`${SM}
export const handler = async () => {
  const r = await sm.send(new GetSecretValueCommand({ SecretId: 'svc/k' }));
  const cfg = { region: 'eu-west-1', apiKey: r.SecretString };
  const apiKey = cfg.apiKey;
  console.log(\`key \${apiKey} for\`, { apiKey }, cfg);
};`, /masked/);
      assert.match(text, /`key \$\{String\(apiKey\)\.slice\(0, 4\)\}… for`/);
      assert.match(text, /\{ apiKey: `\$\{String\(apiKey\)\.slice\(0, 4\)\}…` \}/);
      assert.match(text, /\{ \.\.\.cfg, apiKey: `\$\{String\(cfg\.apiKey\)\.slice\(0, 4\)\}…` \}/);
      assert.deepEqual(exposed(text), []);
    });

    it('removes the value from the log call (the whole statement when it was all that was logged)', () => {
      const base = `${SM}
export const handler = async () => {
  const k = (await sm.send(new GetSecretValueCommand({ SecretId: 'svc/k' }))).SecretString;
`;
      assert.equal(fix(`${base}  console.log('key', k, 'ok');\n};`, /Remove/).text, `${base}  console.log('key', 'ok');\n};`);
      assert.equal(fix(`${base}  console.log(k);\n  return 1;\n};`, /Remove/).text, `${base}  return 1;\n};`);
      assert.equal(fix(`${base}  console.log(\`key \${k}!\`);\n};`, /Remove/).text, `${base}  console.log(\`key !\`);\n};`);
    });

    it('removes the value from a response body', () => {
      const base = `${SM}
export const handler = async () => {
  const k = (await sm.send(new GetSecretValueCommand({ SecretId: 'svc/k' }))).SecretString;
`;
      const { text } = fix(`${base}  return { statusCode: 200, body: JSON.stringify({ ok: true, k }) };\n};`, /Remove the value from the response/);
      assert.equal(text, `${base}  return { statusCode: 200, body: JSON.stringify({ ok: true }) };\n};`);
      assert.deepEqual(exposed(text), []);
    });

    it('the editor typing path defers the fixes, and they are computed on demand', () => {
      const code = `${SM}\nexport const h = async () => console.log((await sm.send(new GetSecretValueCommand({ SecretId: 'x' }))).SecretString);`;
      const deferred = analyzeText('/p/src/h.ts', code, { deferFixes: true }).filter((x) => x.ruleId === 'secret-exposed');
      assert.equal(deferred.length, 1);
      assert.equal(deferred[0].fixesDeferred, true);
      assert.deepEqual(deferred[0].fixes, []);
    });
  });

  describe('configuration', () => {
    it('can be turned off or given another severity, and suppressed on a line', () => {
      const code = `${SM}
export const handler = async () => {
  const k = (await sm.send(new GetSecretValueCommand({ SecretId: 'svc/k' }))).SecretString;
  console.log(k);
  // keyway-ignore-next-line secret-exposed
  console.log(k);
};`;
      assert.equal(exposed(code, { config: { rules: { 'secret-exposed': 'off' } } }).length, 0);
      const f = exposed(code, { config: { rules: { 'secret-exposed': 'error' } } });
      assert.deepEqual(lines(f), [6]);
      assert.equal(f[0].severity, 'error');
    });
  });
});
