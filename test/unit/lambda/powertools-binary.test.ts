// Binary secrets through Powertools (issue 13 §1): `getSecret` returns a binary secret's `SecretBinary`, and its cache
// hands every caller that same Uint8Array. The maxAge fix therefore copies a getSecret result per invocation unless a
// transform makes it a string. Checked against the real @aws-lambda-powertools/parameters, with a stubbed client.
import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import * as ts from 'typescript';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { DEFAULT_PROVIDERS } from '@aws-lambda-powertools/parameters/base';
import { fixText } from '../../../src/core/fixAll';

const KEY = Uint8Array.from([0x6b, 0x77, 0x2d, 0x74, 0x65, 0x73, 0x74, 0x2d, 0x6b, 0x65, 0x79]);

/** A Secrets Manager client whose GetSecretValue answers a binary secret (a fresh Uint8Array per call, as the SDK does). */
function binaryClient(): { client: SecretsManagerClient; calls: () => number } {
  const client = new SecretsManagerClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  let n = 0;
  client.send = (async () => { n++; return { SecretBinary: Uint8Array.from(KEY) }; }) as typeof client.send;
  return { client, calls: () => n };
}

const HANDLER = `import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { createHmac } from 'node:crypto';

// Verifies a partner's webhook signature with the signing key kept as a binary secret.
export const handler = async (event: { body: string; headers: Record<string, string> }) => {
  const key = (await getSecret('payments/prod/webhook-signing-key', { forceFetch: true })) as Uint8Array;
  const expected = createHmac('sha256', key).update(event.body).digest('hex');
  key.fill(0); // do not keep the key around
  return { statusCode: expected === event.headers['x-signature'] ? 200 : 401 };
};
`;

/** Runs a handler text (TypeScript) as CommonJS in this process, with the real Powertools module. */
function load(text: string): (e: unknown) => Promise<{ statusCode: number }> {
  const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  const module = { exports: {} as Record<string, unknown> };
  new Function('module', 'exports', 'require', js)(module, module.exports, require);
  return module.exports.handler as (e: unknown) => Promise<{ statusCode: number }>;
}

describe('Powertools getSecret with a binary secret', () => {
  afterEach(() => { delete (DEFAULT_PROVIDERS as Record<string, unknown>).secrets; });

  it('the Powertools cache hands every caller the same Uint8Array; transform "binary" gives a string; structuredClone copies it', async () => {
    const { client, calls } = binaryClient();
    const provider = new SecretsProvider({ awsSdkV3Client: client });
    const a = await provider.get('payments/prod/webhook-signing-key');
    const b = await provider.get('payments/prod/webhook-signing-key');
    assert.ok(a instanceof Uint8Array);
    assert.equal(a, b, 'one cached object for both reads');
    assert.equal(calls(), 1);
    // transform 'binary' (a base64 text secret) decodes to a string: nothing a handler could change for the next one
    const b64 = new SecretsManagerClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    b64.send = (async () => ({ SecretString: Buffer.from(KEY).toString('base64') })) as typeof b64.send;
    const decoded = await new SecretsProvider({ awsSdkV3Client: b64 }).get('payments/prod/webhook-signing-key', { transform: 'binary' });
    assert.equal(decoded, Buffer.from(KEY).toString('utf8'));
    const copy = structuredClone(a as Uint8Array);
    assert.ok(copy instanceof Uint8Array);
    assert.deepEqual([...copy], [...KEY]);
    copy.fill(0);
    assert.deepEqual([...(a as Uint8Array)], [...KEY], 'changing the copy leaves the cached value alone');
  });

  it('the maxAge fix copies a getSecret result without a transform, and the fixed handler keeps working on the next invocation', async () => {
    const fixed = fixText('/p/src/webhook.ts', HANDLER).text;
    assert.match(fixed, /const key = \(structuredClone\(await getSecret\('payments\/prod\/webhook-signing-key', \{ maxAge: 300 \}\)\)\) as Uint8Array;/, fixed);
    assert.equal(fixText('/p/src/webhook.ts', fixed).text, fixed, 'idempotent');

    const body = '{"id":"evt_1"}';
    const event = { body, headers: { 'x-signature': createHmac('sha256', KEY).update(body).digest('hex') } };
    // Without the copy (only maxAge), the second invocation reads the key the first one zeroed in the cache.
    const { client, calls } = binaryClient();
    (DEFAULT_PROVIDERS as Record<string, unknown>).secrets = new SecretsProvider({ awsSdkV3Client: client });
    const cachedOnly = load(HANDLER.replace('{ forceFetch: true }', '{ maxAge: 300 }'));
    assert.equal((await cachedOnly(event)).statusCode, 200);
    assert.equal((await cachedOnly(event)).statusCode, 401, 'the shared Uint8Array was zeroed by the first invocation');
    assert.equal(calls(), 1);

    const second = binaryClient();
    (DEFAULT_PROVIDERS as Record<string, unknown>).secrets = new SecretsProvider({ awsSdkV3Client: second.client });
    const h = load(fixed);
    assert.equal((await h(event)).statusCode, 200);
    assert.equal((await h(event)).statusCode, 200, 'each invocation has its own copy');
    assert.equal(second.calls(), 1, 'and the secret is still fetched once');
  });

  it('Fix All: the copy stays on the secret when the two reads then run in parallel', () => {
    const text = `import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';

export const handler = async (event) => {
  const stripe = await getSecret('shop/prod/stripe', { forceFetch: true });
  const table = await getParameter('/shop/prod/table-name', { maxAge: 0 });
  return { id: event.id, keyLength: JSON.parse(stripe).key.length, table };
};
`;
    const fixed = fixText('/p/src/checkout.mjs', text).text;
    assert.match(fixed, /const \[stripe, table\] = await Promise\.all\(\[\s*getSecret\('shop\/prod\/stripe', \{ maxAge: 300 \}\)\.then\(\(value\) => structuredClone\(value\)\),\s*getParameter\('\/shop\/prod\/table-name', \{ maxAge: 300 \}\)\s*\]\);/, fixed);
    assert.equal(fixText('/p/src/checkout.mjs', fixed).text, fixed, 'nothing left to fix');
  });

  it('a parameter read without a transform is a string: no copy', () => {
    const text = `import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
export const handler = async () => {
  const endpoint = await getParameter('/payments/prod/partner-endpoint', { maxAge: 0 });
  return { statusCode: 200, body: endpoint };
};
`;
    const fixed = fixText('/p/src/endpoint.ts', text).text;
    assert.match(fixed, /const endpoint = await getParameter\('\/payments\/prod\/partner-endpoint', \{ maxAge: 300 \}\);/);
    assert.doesNotMatch(fixed, /structuredClone/);
  });
});
