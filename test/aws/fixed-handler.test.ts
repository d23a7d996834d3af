// The uncached-fetch fix, run for real: the golden input and output handlers are compiled, pointed at moto
// (through the fault proxy, used here only to count requests) and invoked twice. The original makes its
// calls on every invocation; the fixed one makes them once.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as ts from 'typescript';
import { SSMClient, PutParameterCommand } from '@aws-sdk/client-ssm';
import { SecretsManagerClient, CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { artifactsDir, fixturesDir } from '../support/paths';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { DUMMY_CREDENTIALS, resetEmulator, testEndpoint } from './support/emulator';

const CASES = ['uncached-v3-esm-ts', 'uncached-promise-all-ts', 'uncached-secret-json-ts'];

/** Compiles a fixture handler to CommonJS under .artifacts/ (inside the repo, so @aws-sdk resolves). */
function compile(caseName: string, file: string): string {
  const src = fs.readFileSync(path.join(fixturesDir, 'lambda', 'fixes', caseName, file), 'utf8');
  const out = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  const dir = path.join(artifactsDir, 'fixed-handlers', caseName);
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, file.replace(/\.ts$/, '.js'));
  fs.writeFileSync(target, out);
  delete createRequire(__filename).cache[target];
  return target;
}

/** Every parameter and secret name the fixture reads, to create them in the emulator. */
function namesIn(caseName: string): { params: string[]; secrets: string[] } {
  const src = fs.readFileSync(path.join(fixturesDir, 'lambda', 'fixes', caseName, 'input.ts'), 'utf8');
  return {
    params: [...src.matchAll(/Name:\s*'([^']+)'/g)].map((m) => m[1]),
    secrets: [...src.matchAll(/SecretId:\s*'([^']+)'/g)].map((m) => m[1]),
  };
}

describe('a fixed uncached-fetch handler against moto', function () {
  this.timeout(60_000);
  let proxy: FaultProxy;
  const saved: Record<string, string | undefined> = {};

  before(async () => {
    await resetEmulator();
    proxy = await startFaultProxy(testEndpoint());
    for (const k of ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) saved[k] = process.env[k];
    Object.assign(process.env, { AWS_ENDPOINT_URL: proxy.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey });
    const ssm = new SSMClient({ endpoint: testEndpoint(), region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
    const sm = new SecretsManagerClient({ endpoint: testEndpoint(), region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
    for (const c of CASES) {
      const { params, secrets } = namesIn(c);
      for (const p of params) await ssm.send(new PutParameterCommand({ Name: p, Value: `value-of-${p}`, Type: 'SecureString', Overwrite: true }));
      for (const s of secrets) await sm.send(new CreateSecretCommand({ Name: s, SecretString: '{"username":"u","password":"kw-fixture-p"}' })).catch(() => undefined);
    }
    ssm.destroy();
    sm.destroy();
  });

  after(async () => {
    for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
    await proxy.close();
  });

  const reads = () => Object.entries(proxy.stats.byTarget).filter(([t]) => /GetParameter|GetSecretValue/.test(t)).reduce((n, [, c]) => n + c, 0);

  for (const c of CASES) {
    it(`${c}: the original calls on every invocation, the fixed one once, with the same result`, async () => {
      const { params, secrets } = namesIn(c);
      const perInvocation = params.length + secrets.length;
      const load = createRequire(__filename);
      const original = load(compile(c, 'input.ts')) as { handler: (e: unknown) => Promise<unknown> };
      const fixed = load(compile(c, 'expected.ts')) as { handler: (e: unknown) => Promise<unknown> };
      const event = { userId: 'u1', query: 'select 1' };

      let before = reads();
      const a1 = await original.handler(event);
      const a2 = await original.handler(event);
      assert.equal(reads() - before, 2 * perInvocation, 'the original reads on every invocation');

      before = reads();
      const b1 = await fixed.handler(event);
      const b2 = await fixed.handler(event);
      assert.equal(reads() - before, perInvocation, 'the fixed handler reads once for two invocations');
      assert.deepEqual(b1, a1);
      assert.deepEqual(b2, a2);
    });
  }
});
