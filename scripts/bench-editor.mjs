#!/usr/bin/env node
// `npm run bench:editor`: editor latencies measured inside the real VS Code extension host (code-server),
// against moto seeded with the hybrid layout, on a workspace made of examples/sample-lambda, two generated
// 2,000-line handler files and (when `npm run bench:analyzer` has installed it) the analyzer's corpus.
// Prints p50/p95 edit-to-diagnostics latency, warm hover latency and the workspace scan time.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const support = (m) => require(path.join(root, 'out', 'test', 'support', m));

const setup = spawnSync('bash', [path.join(root, 'scripts', 'setup.sh'), '--only', 'apt', '--only', 'moto', '--only', 'code-server'], { stdio: 'inherit' });
if (setup.status !== 0) process.exit(1);

// The workspace.
const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-bench-editor-'));
fs.cpSync(path.join(root, 'examples', 'sample-lambda'), ws, { recursive: true });
const orders = fs.readFileSync(path.join(root, 'examples', 'sample-lambda', 'src', 'handlers', 'orders.ts'), 'utf8');
// A realistic 2,000-line handler: one handler, its SDK reads, and a lot of ordinary business code.
let big = orders.replace(/^};\s*$/m, '};\n');
for (let i = 0; big.split('\n').length < 1990; i++) {
  big += `\nexport function computeLine${i}(items: { price: number; qty: number; sku: string }[], rate = ${i % 7 + 1}) {\n`
    + '  let total = 0;\n  const skus: string[] = [];\n  for (const item of items) {\n    if (item.qty <= 0) continue;\n'
    + `    total += item.price * item.qty * (1 + rate / 100);\n    skus.push(item.sku.toUpperCase());\n  }\n`
    + `  const label = skus.length > 3 ? skus.slice(0, 3).join(', ') + '…' : skus.join(', ');\n`
    + `  return { total: Math.round(total * 100) / 100, label, line: ${i} };\n}\n`;
}
big += '// end\n';
fs.writeFileSync(path.join(ws, 'src', 'handlers', 'big-handler.ts'), big);
// A Lambda-heavy 2,000-line file: the demo handler repeated (every handler with its own mistakes).
const body = orders.replace(/^import .*\n/gm, '');
let many = (orders.match(/^import .*\n/gm) ?? []).join('');
for (let i = 0; many.split('\n').length < 1990; i++) many += body.replace(/\bhandler\b/g, `handler${i}`).replace(/\bpaymentsApiKey\b/g, `paymentsApiKey${i}`);
many += '// end\n';
fs.writeFileSync(path.join(ws, 'src', 'handlers', 'many-handlers.ts'), many);
// The analyzer's corpus, if installed.
const corpus = path.join(root, '.cache', 'bench-corpus', 'node_modules');
let corpusNote = 'not installed (run npm run bench:analyzer first to include it)';
if (fs.existsSync(corpus)) {
  const dest = path.join(ws, 'corpus');
  fs.mkdirSync(dest);
  for (const name of fs.readdirSync(corpus)) {
    if (name.startsWith('.')) continue;
    const from = path.join(corpus, name);
    if (name.startsWith('@')) for (const sub of fs.readdirSync(from)) fs.cpSync(path.join(from, sub), path.join(dest, `${name.slice(1)}-${sub}`), { recursive: true });
    else fs.cpSync(from, path.join(dest, name), { recursive: true });
  }
  corpusNote = 'included';
}

const { startMoto, MOTO_ENV } = support('moto.js');
const moto = await startMoto();
const resultsFile = path.join(root, '.artifacts', 'results', 'bench-editor.json');
fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
fs.rmSync(resultsFile, { force: true });
try {
  await support('seed.js').seedHybridLayout(moto.endpoint);
  const { startCodeServer, workbenchUrl, tail } = support('codeServer.js');
  const { launchBrowser } = support('browser.js');
  const server = await startCodeServer({ env: { ...MOTO_ENV, KEYWAY_BENCH_RESULTS: resultsFile }, settings: { 'keyway.endpointUrl': moto.endpoint, 'keyway.region': 'us-east-1' } });
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    const done = new Promise((resolve) => { void page.exposeFunction('codeAutomationExit', (code) => resolve(code)); });
    await page.goto(workbenchUrl(server, ws, { extensionPath: root, testsPath: path.join(root, 'out', 'test', 'bench', 'editor.js') }));
    const code = await Promise.race([done, new Promise((r) => setTimeout(() => r('timeout'), 15 * 60_000).unref())]);
    if (code === 'timeout') throw new Error(`the benchmark did not finish\n${tail(server.logFile)}`);
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(server.stateDir, { recursive: true, force: true });
  }
} finally {
  await moto.stop();
  fs.rmSync(ws, { recursive: true, force: true });
}
const r = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
if (r.error) { console.error(r.error); process.exit(1); }
const row = (k, v, goal) => console.log(`  ${k.padEnd(46)} ${String(v).padStart(10)}   ${goal}`);
console.log('\nKeyway editor benchmark (VS Code 1.100.3 extension host, moto)');
for (const [label, e, note] of [['2,000-line handler', r.editRealistic, ''], ['2,000 lines of handlers', r.editLambdaHeavy, '(worst case: ~60 handlers, ~300 findings)']]) {
  const goal = (g) => (e === r.editRealistic ? g : '');
  console.log(`  edit→diagnostics, ${label} ${note}`);
  row('  change event → diagnostics: p50 ms', e.p50, goal('goal ≤ 50'));
  row('  change event → diagnostics: p95 ms', e.p95, goal('goal ≤ 150'));
  row('  edit call → diagnostics: p50 ms', e.fromEditP50, 'adds the edit round trip through the browser');
  row('  edit call → diagnostics: p95 ms', e.fromEditP95, '');
  row('  one analysis of that file, ms', e.analysisMs, `analyzeText alone: ${e.analyzeTextMs}`);
  row('  slowest edits, trip+Keyway(analyzeText) ms', e.worst, '');
}
{
  // The same call in plain Node (this process), for the ratio.
  const core = require(path.join(root, 'dist', 'core.js'));
  const text = big;
  const file = path.join(ws, 'src', 'handlers', 'big-handler.ts');
  for (let i = 0; i < 10; i++) core.analyzeText(file, text, { deferFixes: true });
  const times = [];
  for (let i = 0; i < 20; i++) { const t = performance.now(); core.analyzeText(file, text, { deferFixes: true }); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  const node = Math.round(times[10] * 10) / 10;
  row('analyzeText on the 2,000-line handler, idle host ms', r.hostProbeMs, `plain Node: ${node} ms (host ${(r.hostProbeMs / node).toFixed(1)}x)`);
}
row('hover, warm, Keyway provider: p50 ms', r.hover.p50, '');
row('hover, warm, Keyway provider: p95 ms', r.hover.p95, 'goal ≤ 20');
row('hover, warm, all providers via workbench: p50', r.hover.allP50, 'adds the browser round trip and tsserver quick info');
row('hover, warm, all providers via workbench: p95', r.hover.allP95, '');
row('hover, cold (connect + list + value) ms', r.hover.cold, '');
row(`workspace scan ms (${r.scan.files} files, ${r.scan.findings} findings)`, r.scan.ms, `corpus ${corpusNote}`);
row('scan: ms per file', (r.scan.ms / Math.max(1, r.scan.files)).toFixed(2), '');
