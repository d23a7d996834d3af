// The fix corpus, run for real: each handler file and its fixed form (every fix applied, as `keyway scan --fix`
// does) are loaded in this Node process — `.mjs` and `.cjs` as written, natively (an ES module that a fix gave a
// `require`, or a duplicate declaration, fails to load as in Lambda), the others transpiled with the TypeScript
// Keyway bundles — and invoked against moto
// through the fault proxy, which counts the requests by operation (no SDK mock: the real SDK v3, SDK v2, Powertools
// and middy talk to the emulator). The fixed form must return what the original returned, invocation by invocation,
// and read each value once where the original read it on every invocation.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ts } from 'ts-morph';
import { SSMClient, PutParameterCommand } from '@aws-sdk/client-ssm';
import { SecretsManagerClient, CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { analyzeText } from '../../src/core/analyzer';
import { applyEdits } from '../../src/core/fixes/apply';
import { selectFixes } from '../../src/core/fixAll';
import { artifactsDir } from '../support/paths';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { recordMetric } from '../support/metrics';
import { copyCorpus, fixCorpus, manifest, type CorpusFile } from '../support/fixCorpus';
import { DUMMY_CREDENTIALS, resetEmulator, testEndpoint } from './support/emulator';

const load = createRequire(__filename);
type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/** Transpile a corpus file to CommonJS under .artifacts/ (inside the repository, so its packages resolve). */
/** A real dynamic import (the test build turns `import()` into `require`): loads an ES module as Node does. */
const importEsm = new Function('url', 'return import(url)') as (url: string) => Promise<Record<string, unknown>>;
let esmRun = 0;

/**
 * A `.mjs` / `.cjs` file as written (Node loads it natively: an ES module with a `require` or a CommonJS file with an
 * `import` fails here as it would in Lambda); the others transpiled to CommonJS.
 */
function prepare(name: string, text: string, variant: 'original' | 'fixed'): string {
  if (!/\.(?:mjs|cjs)$/.test(name)) return compile(name, text, variant);
  const file = path.join(artifactsDir, 'fix-corpus', 'aws-run', variant, name.replace(/[/]/g, '_'));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  delete load.cache[file];
  return file;
}

/** The module's exports: ES modules imported natively (a fresh instance per run), CommonJS required. */
async function loadModule(file: string): Promise<Record<string, unknown>> {
  if (!file.endsWith('.mjs')) return load(file) as Record<string, unknown>;
  return { ...(await importEsm(`${pathToFileURL(file).href}?run=${++esmRun}`)) };
}

function compile(name: string, text: string, variant: 'original' | 'fixed'): string {
  const out = ts.transpileModule(text, {
    fileName: path.basename(name),
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, allowJs: true },
  }).outputText;
  const file = path.join(artifactsDir, 'fix-corpus', 'aws-run', variant, `${name.replace(/[/.]/g, '_')}.js`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, out);
  delete load.cache[file];
  return file;
}

/** Result of one invocation, as plain JSON (a thrown error is part of the behaviour too). */
async function invoke(fn: Handler, event: unknown): Promise<unknown> {
  try {
    return JSON.parse(JSON.stringify(await fn(structuredClone(event), { functionName: 'corpus', awsRequestId: 'r-1' }) ?? null)) as unknown;
  } catch (e) {
    return { thrown: (e as Error).name, message: (e as Error).message };
  }
}

describe('fix corpus against moto: the fixed handlers behave the same and read once', function () {
  this.timeout(300_000);
  let proxy: FaultProxy;
  let files: CorpusFile[] = [];
  const saved: Record<string, string | undefined> = {};
  const m = manifest();

  before(async () => {
    await resetEmulator();
    proxy = await startFaultProxy(testEndpoint());
    const env: Record<string, string> = {
      AWS_ENDPOINT_URL: proxy.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey, CORPUS_ENDPOINT: proxy.endpoint, CORPUS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
      CORPUS_SECRET_KEY: DUMMY_CREDENTIALS.secretAccessKey, AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    };
    for (const k of Object.keys(env)) saved[k] = process.env[k];
    Object.assign(process.env, env);
    // SDK v2 reads no AWS_ENDPOINT_URL: point its global configuration at the proxy (configuration, not a mock).
    (load('aws-sdk') as { config: { update(c: object): void } }).config.update({
      endpoint: proxy.endpoint, region: 'us-east-1', accessKeyId: DUMMY_CREDENTIALS.accessKeyId, secretAccessKey: DUMMY_CREDENTIALS.secretAccessKey,
    });
    const ssm = (region: string) => new SSMClient({ endpoint: testEndpoint(), region, credentials: DUMMY_CREDENTIALS });
    for (const p of m.parameters) {
      const client = ssm(p.region ?? 'us-east-1');
      await client.send(new PutParameterCommand({ Name: p.name, Value: p.value, Type: p.type ?? 'String', Overwrite: true }));
      client.destroy();
    }
    const sm = new SecretsManagerClient({ endpoint: testEndpoint(), region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
    for (const s of m.secrets) await sm.send(new CreateSecretCommand({ Name: s.name, SecretString: s.value }));
    sm.destroy();
    files = fixCorpus(copyCorpus('aws'));
  });

  after(async () => {
    for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
    await proxy?.close();
  });

  const reads = () => Object.entries(proxy.stats.byTarget).filter(([t]) => /GetParameter|GetSecretValue/.test(t)).reduce((n, [, c]) => n + c, 0);

  /** Load a compiled file (module-load reads count in the first round) and invoke each exported function with each event. */
  async function run(file: string, events: Record<string, unknown>[]): Promise<{ results: unknown[]; rounds: number[] }> {
    (load('@aws-lambda-powertools/parameters') as { clearCaches(): void }).clearCaches();
    // An ES module gets Powertools' ES build, with its own caches.
    ((await importEsm('@aws-lambda-powertools/parameters')) as { clearCaches(): void }).clearCaches();
    let mark = reads();
    const mod = await loadModule(file);
    const handlers = Object.keys(mod).filter((k) => typeof mod[k] === 'function').sort();
    assert.ok(handlers.length, `${file} exports a handler`);
    const results: unknown[] = [];
    const rounds: number[] = [];
    for (const event of events) {
      for (const h of handlers) results.push({ [h]: await invoke(mod[h] as Handler, event) });
      rounds.push(reads() - mark);
      mark = reads();
    }
    return { results, rounds };
  }

  it('every corpus file: same results, invocation by invocation; values read once per container', async () => {
    const problems: string[] = [];
    let originalReads = 0;
    let fixedReads = 0;
    for (const f of files) {
      const events = m.events[f.name] ?? m.defaultEvents;
      // A SecureString the original read without decryption: the reference is the original with only that fix.
      let reference = f.original;
      if (m.decrypts[f.name]) {
        const decrypt = analyzeText(f.path, f.original).filter((x) => x.ruleId === 'missing-decryption');
        assert.ok(decrypt.length, `${f.name}: a missing-decryption finding`);
        reference = applyEdits(f.original, selectFixes(f.original, decrypt).flatMap((x) => x.edits));
      }
      const original = await run(prepare(f.name, reference, 'original'), events);
      const fixed = await run(prepare(f.name, f.fixed, 'fixed'), events);
      originalReads += original.rounds.reduce((a, b) => a + b, 0);
      fixedReads += fixed.rounds.reduce((a, b) => a + b, 0);
      try {
        assert.deepEqual(fixed.results, original.results);
      } catch {
        problems.push(`${f.name}: results differ\n  original: ${JSON.stringify(original.results)}\n  fixed:    ${JSON.stringify(fixed.results)}`);
        continue;
      }
      const [first, ...later] = fixed.rounds;
      if (original.rounds[0] === 0) problems.push(`${f.name}: the original read nothing (the corpus file proves nothing)`);
      if (first > original.rounds[0]) problems.push(`${f.name}: the fixed form reads more on the first invocation (${first} > ${original.rounds[0]})`);
      if (later.some((n) => n > 0)) problems.push(`${f.name}: the fixed form reads again on later invocations (${fixed.rounds.join(', ')})`);
      const repeated = original.rounds.slice(1).some((n) => n > 0);
      if (repeated && fixed.rounds.reduce((a, b) => a + b, 0) >= original.rounds.reduce((a, b) => a + b, 0)) {
        problems.push(`${f.name}: no fewer reads (${original.rounds.join(', ')} → ${fixed.rounds.join(', ')})`);
      }
    }
    recordMetric('fix corpus against moto: reads original → fixed', `${originalReads} → ${fixedReads} over ${files.length} files`);
    assert.deepEqual(problems, []);
    assert.ok(files.length >= 40, `${files.length} files`);
  });
});
