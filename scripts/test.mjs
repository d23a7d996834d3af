#!/usr/bin/env node
// `npm test`: runs the four test layers and prints the count of each.
//   unit    plain Node, no VS Code, no network
//   aws     against the moto emulator (started here on a free 127.0.0.1 port)
//   editor  mocha suites inside the real VS Code extension host (code-server 4.100.3 + chromium)
//   ui      Playwright on the real workbench (screenshots in .artifacts/screenshots)
// Usage: node scripts/test.mjs [unit|aws|editor|ui]...   (default: all four)
//        KEYWAY_TEST_GREP=<pattern> runs only the matching tests of each layer (while working on something).
// Runs scripts/setup.sh first (idempotent), so a fresh clone needs nothing else.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const ALL = ['unit', 'aws', 'editor', 'ui'];
const layers = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
for (const l of layers) if (!ALL.includes(l)) { console.error(`unknown layer "${l}" (expected ${ALL.join(', ')})`); process.exit(2); }
const resultsDir = path.join(root, '.artifacts', 'results');
fs.mkdirSync(resultsDir, { recursive: true });

if (!fs.existsSync(path.join(root, 'out', 'test', 'support', 'reporter.js'))) {
  console.error('out/ is missing: run `npm run build` first (npm test does it in pretest).');
  process.exit(2);
}
const support = (m) => require(path.join(root, 'out', 'test', 'support', m));

function setup(parts) {
  const args = parts.flatMap((p) => ['--only', p]);
  const r = spawnSync('bash', [path.join(root, 'scripts', 'setup.sh'), ...args], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`setup failed for ${parts.join(', ')} (see the messages above)`);
}

function mocha(files, { env = {}, requires = [], timeout = 60000 } = {}, resultsFile) {
  fs.rmSync(resultsFile, { force: true });
  fs.rmSync(`${resultsFile}.metrics.json`, { force: true });
  const args = [require.resolve('mocha/bin/mocha.js'), '--reporter', path.join(root, 'out/test/support/reporter.js'),
    '--timeout', String(timeout), ...requires.flatMap((r) => ['--require', r]),
    ...(process.env.KEYWAY_TEST_GREP ? ['--grep', process.env.KEYWAY_TEST_GREP] : []), ...files];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env, KEYWAY_TEST_RESULTS: resultsFile } });
    child.on('exit', (code) => {
      let res = { passes: 0, failures: 0, pending: 0, failed: [] };
      if (fs.existsSync(resultsFile)) res = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
      else res = { ...res, failures: 1, failed: [{ title: 'mocha', error: `mocha exited with code ${code} before reporting` }] };
      if (code !== 0 && res.failures === 0) res = { ...res, failures: 1, failed: [...res.failed, { title: 'mocha', error: `exit code ${code}` }] };
      resolve(res);
    });
  });
}

/**
 * Secret hygiene, checked after a layer that ran the real VS Code: no seeded secret value in any file
 * under its user-data directory (the Keyway log, global and workspace state, settings, caches).
 * Adds one test result to the layer.
 */
function hygiene(res, dir, where) {
  const { scanForSecrets, seededSecretStrings } = support('hygiene.js');
  const report = scanForSecrets(dir, seededSecretStrings());
  const title = `secret hygiene: no seeded secret value in the ${where}`;
  res.tests = [...(res.tests ?? []), { title, state: report.hits.length || !report.logFiles.length ? 'failed' : 'passed' }];
  if (!report.logFiles.length) {
    res.failures++;
    res.failed.push({ title, error: `the Keyway log was not found under ${dir}: the check would prove nothing` });
  } else if (report.hits.length) {
    res.failures++;
    res.failed.push({ title, error: `seeded secret values found in: ${[...new Set(report.hits.map((h) => h.file))].join(', ')}` });
  } else {
    res.passes++;
  }
  res.metrics = { ...res.metrics, [`hygiene files scanned (${where})`]: report.filesScanned };
}

async function withMoto(fn) {
  const { startMoto, MOTO_ENV } = support('moto.js');
  const moto = await startMoto({ log: path.join(resultsDir, 'moto.log') });
  try {
    return await fn(moto, { ...MOTO_ENV, KEYWAY_TEST_ENDPOINT: moto.endpoint });
  } finally {
    await moto.stop();
  }
}

/** A throwaway copy of a workspace fixture, so tests may edit files freely. */
function copyWorkspace(from) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-ws-'));
  fs.cpSync(path.join(root, from), dir, { recursive: true });
  return dir;
}

const runners = {
  unit: () => mocha(['out/test/unit/**/*.test.js'], {}, path.join(resultsDir, 'unit.json')),
  aws: async () => {
    setup(['moto']);
    return withMoto((_moto, env) => mocha(['out/test/aws/**/*.test.js'], { env, requires: ['out/test/aws/hooks.js'], timeout: 120000 }, path.join(resultsDir, 'aws.json')));
  },
  editor: async () => {
    setup(['apt', 'moto', 'code-server']);
    return withMoto(async (moto, env) => {
      await support('seed.js').seedHybridLayout(moto.endpoint);
      const workspace = copyWorkspace('test/fixtures/workspace');
      try {
        const { runEditorTests } = support('editorDriver.js');
        const res = await runEditorTests({
          workspace,
          resultsFile: path.join(resultsDir, 'editor.json'),
          env,
          settings: { 'keyway.endpointUrl': moto.endpoint, 'keyway.region': 'us-east-1' },
          keepState: true,
        });
        hygiene(res, res.stateDir, 'VS Code user-data directory after the editor suites');
        fs.rmSync(res.stateDir, { recursive: true, force: true });
        for (const t of res.tests ?? []) console.log(`  ${t.state === 'passed' ? '✓' : t.state === 'failed' ? '✖' : '-'} ${t.title}${t.ms ? ` (${t.ms} ms)` : ''}`);
        return res;
      } finally {
        fs.rmSync(workspace, { recursive: true, force: true });
      }
    });
  },
  ui: async () => {
    setup(['apt', 'moto', 'code-server']);
    return withMoto(async (moto, env) => {
      await support('seed.js').seedHybridLayout(moto.endpoint);
      return mocha(['out/test/ui/**/*.test.js'], { env, requires: ['out/test/ui/hooks.js'], timeout: 120000 }, path.join(resultsDir, 'ui.json'));
    });
  },
};

const t0 = Date.now();
const summary = [];
for (const layer of layers) {
  console.log(`\n=== ${layer} layer ===`);
  const started = Date.now();
  let res;
  try {
    res = await runners[layer]();
  } catch (e) {
    console.error(`${layer} layer could not run: ${e.stack ?? e}`);
    res = { passes: 0, failures: 1, pending: 0, failed: [{ title: `${layer} layer setup`, error: String(e.message ?? e) }] };
  }
  if (res.passes + res.failures === 0) {
    res.failures = 1;
    res.failed = [{ title: `${layer} layer`, error: 'no tests ran' }];
  }
  summary.push({ layer, ...res, seconds: (Date.now() - started) / 1000 });
}

console.log('\n=== Keyway test summary ===');
let passed = 0, failed = 0, skipped = 0;
for (const s of summary) {
  passed += s.passes; failed += s.failures; skipped += s.pending;
  console.log(`  ${s.layer.padEnd(7)} ${String(s.passes).padStart(5)} passed  ${String(s.failures).padStart(3)} failed  ${String(s.pending).padStart(3)} skipped  (${s.seconds.toFixed(1)} s)`);
  for (const [k, v] of Object.entries(s.metrics ?? {})) console.log(`      ${k}: ${v}`);
  for (const f of s.failed ?? []) console.log(`      ✖ ${f.title}\n        ${String(f.error).split('\n').join('\n        ')}`);
}
console.log(`  total time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
