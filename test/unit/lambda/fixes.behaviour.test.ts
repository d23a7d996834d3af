// Behaviour of the uncached-fetch golden outputs, run against an in-memory SDK that counts API calls:
// invoked twice, a fixed handler makes one round of calls instead of two, returns the same results as the
// original, reloads after the TTL, and retries after a failed load.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import * as ts from 'typescript';
import { fixturesDir } from '../../support/paths';

interface Call { op: string; input: Record<string, unknown> }

function fakeModules(calls: Call[], state: { fail: boolean }, clock: { now: number }) {
  const respond = (op: string, input: Record<string, unknown>) => {
    calls.push({ op, input });
    if (state.fail) return Promise.reject(new Error('ThrottlingException'));
    if (op === 'GetSecretValue') return Promise.resolve({ SecretString: JSON.stringify({ username: 'u', password: 'p', key: 'k123' }) });
    const value = /flag/.test(String(input.Name)) ? '{"darkMode":true}' : `value-of-${String(input.Name)}`;
    return Promise.resolve({ Parameter: { Name: input.Name, Value: value } });
  };
  class Command { constructor(public input: Record<string, unknown>) {} }
  class GetParameterCommand extends Command { op = 'GetParameter'; }
  class GetSecretValueCommand extends Command { op = 'GetSecretValue'; }
  class Client { send(c: Command & { op: string }) { return respond(c.op, c.input); } }
  const v2 = (op: string) => (input: Record<string, unknown>) => ({ promise: () => respond(op, input) });
  class SSMv2 { getParameter = v2('GetParameter'); }
  class SecretsManagerV2 { getSecretValue = v2('GetSecretValue'); }
  const ptCache = new Map<string, { value: unknown; until: number }>();
  const pt = (op: string) => async (name: string, opts: { maxAge?: number } = {}) => {
    const hit = ptCache.get(op + name);
    if (hit && hit.until > clock.now && opts.maxAge !== 0) return hit.value;
    const r = await respond(op, op === 'GetSecretValue' ? { SecretId: name } : { Name: name }) as { Parameter?: { Value: string }; SecretString?: string };
    const value = op === 'GetSecretValue' ? r.SecretString : r.Parameter?.Value;
    ptCache.set(op + name, { value, until: clock.now + 1000 * (opts.maxAge ?? 5) });
    return value;
  };
  return {
    '@aws-sdk/client-ssm': { SSMClient: Client, GetParameterCommand },
    '@aws-sdk/client-secrets-manager': { SecretsManagerClient: Client, GetSecretValueCommand },
    'aws-sdk': { SSM: SSMv2, SecretsManager: SecretsManagerV2 },
    '@aws-lambda-powertools/parameters/ssm': { getParameter: pt('GetParameter') },
    '@aws-lambda-powertools/parameters/secrets': { getSecret: pt('GetSecretValue') },
  } as Record<string, unknown>;
}

/** Load a fixture file as a CommonJS module with the fake SDK and a controllable clock. */
function load(file: string, calls: Call[], clock: { now: number }, state = { fail: false }) {
  const src = fs.readFileSync(file, 'utf8');
  const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  const mods = fakeModules(calls, state, clock);
  const module = { exports: {} as Record<string, unknown> };
  const RealDate = Date;
  class FakeDate extends RealDate { static override now() { return clock.now; } }
  const sandbox = {
    module, exports: module.exports, console: { log() {}, info() {}, warn() {}, error() {} }, process, JSON, Promise,
    Date: FakeDate,
    require: (id: string) => { if (!(id in mods)) throw new Error(`unexpected require ${id}`); return mods[id]; },
  };
  vm.runInNewContext(js, sandbox, { filename: file });
  const h = (module.exports.handler ?? module.exports.default) as (e: unknown) => Promise<unknown>;
  assert.equal(typeof h, 'function', `${file} exports a handler`);
  return { handler: h, state };
}

/** Results come from another realm (vm): compare plain JSON. */
const plain = (v: unknown) => JSON.parse(JSON.stringify(v ?? null)) as unknown;

const EVENT = { userId: 'u1', path: '/p', query: 'abc', rawPath: '/r', id: 7 };
const root = path.join(fixturesDir, 'lambda', 'fixes');
const cases = fs.readdirSync(root).filter((d) => {
  const c = path.join(root, d, 'case.json');
  return fs.existsSync(c) && JSON.parse(fs.readFileSync(c, 'utf8')).rule === 'uncached-fetch';
});

describe('uncached-fetch fixes keep behaviour and cache (in-memory SDK)', () => {
  for (const dir of cases) {
    const c = JSON.parse(fs.readFileSync(path.join(root, dir, 'case.json'), 'utf8')) as { input: string; expected: string; config?: { cacheTtlSeconds?: number }; remaining?: number };
    /** Fetches a one-fetch fix leaves uncached (one call each per invocation). */
    const left = c.remaining ?? 0;
    const ttl = c.config?.cacheTtlSeconds ?? 300;

    it(`${dir}: two invocations make one round of API calls, with the same results`, async () => {
      const clock = { now: 1_000_000 };
      const before: Call[] = [];
      const orig = load(path.join(root, dir, c.input), before, clock);
      const r1 = await orig.handler(EVENT);
      const perInvocation = before.length;
      const r2 = await orig.handler(EVENT);
      assert.ok(perInvocation > 0);
      assert.equal(before.length, 2 * perInvocation, 'the original fetches on every invocation');

      const after: Call[] = [];
      const fixed = load(path.join(root, dir, c.expected), after, clock);
      assert.deepEqual(plain(await fixed.handler(EVENT)), plain(r1));
      assert.deepEqual(plain(await fixed.handler(EVENT)), plain(r2));
      assert.equal(after.length, perInvocation + left, 'the fixed handler fetches once for two invocations');
      // Same requests (plus WithDecryption where the value is secure).
      assert.deepEqual(after.slice(0, perInvocation).map((x) => x.input.Name ?? x.input.SecretId).sort(), before.slice(0, perInvocation).map((x) => x.input.Name ?? x.input.SecretId).sort());

      // After the TTL the values are reloaded.
      clock.now += ttl * 1000 + 1;
      await fixed.handler(EVENT);
      assert.equal(after.length, 2 * perInvocation + left, `reloaded after ${ttl} s`);
    });

    it(`${dir}: a failed load is not cached`, async () => {
      const clock = { now: 5_000_000 };
      const calls: Call[] = [];
      const fixed = load(path.join(root, dir, c.expected), calls, clock, { fail: true });
      await assert.rejects(fixed.handler(EVENT), /ThrottlingException/);
      const n = calls.length;
      fixed.state.fail = false;
      await fixed.handler(EVENT);
      assert.ok(calls.length > n, 'retried on the next invocation');
    });
  }
});
