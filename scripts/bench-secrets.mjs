#!/usr/bin/env node
// Secrets benchmark: `npm run bench:secrets` (builds first; uses dist/cli.js and out/test/support/secretsCorpus.js).
//
// Runs Keyway, gitleaks and detect-secrets on exactly the same copy of the labeled corpus (test/fixtures/secrets-corpus,
// labels in test/fixtures/secrets-corpus.labels.tsv), each with its default configuration, in one run, and scores
// each the same way: by file and line (a finding overlapping a labeled secret's lines finds it; a finding on no label
// is a false alarm; several findings on one line count once). Prints precision, recall, F1 and wall time (process
// start included, median of --runs) for each, what each alone finds, recall per file kind, and Keyway's misses and
// false alarms so they can be read.
//
// The peers are real tools installed by `scripts/setup.sh --only peers` (idempotent, into .cache/peers): gitleaks built
// from the Go module proxy, detect-secrets from PyPI, both pinned there.
//
// Flags: --runs <n> (default 3), --json <file> (also write the figures), --no-peers (Keyway only), --keep (keep the copy),
// --corpus <dir> --labels <file> (score another labeled corpus, e.g. a fresh unseen round, instead of the fixtures)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const runs = Math.max(1, Number(option('--runs') ?? 3));
const withPeers = !args.includes('--no-peers');

const supportJs = join(root, 'out', 'test', 'support', 'secretsCorpus.js');
if (!existsSync(supportJs) || !existsSync(join(root, 'dist', 'cli.js'))) {
  console.error('out/ or dist/ is missing: run `npm run build` first (or `npm run bench:secrets`, which builds).');
  process.exit(2);
}
const corpus = require(supportJs);

const cache = process.env.KEYWAY_CACHE ?? join(root, '.cache');
const peers = join(cache, 'peers');
const gitleaksBin = join(peers, 'bin', 'gitleaks');
const detectSecretsBin = join(peers, 'venv', 'bin', 'detect-secrets');

if (withPeers) {
  const setup = spawnSync('bash', [join(root, 'scripts', 'setup.sh'), '--only', 'peers'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (setup.status !== 0) { console.error('bench:secrets: installing the peers failed (see above); run with --no-peers for Keyway alone.'); process.exit(2); }
}

// One copy of the corpus, outside this repository (so no outer ignore file or config applies), as its own git repository
// with every file tracked, like a real checkout. Removed at exit unless --keep.
const work = mkdtempSync(join(tmpdir(), 'keyway-bench-secrets-'));
const dir = join(work, 'acme-orders');
const corpusSource = option('--corpus') ? resolve(option('--corpus')) : undefined;
const labelsSource = option('--labels') ? resolve(option('--labels')) : undefined;
if (!!corpusSource !== !!labelsSource) { console.error('--corpus and --labels go together'); process.exit(2); }
corpus.copyCorpus(dir, corpusSource);
if (!args.includes('--keep')) process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const git = (...a) => spawnSync('git', a, { cwd: dir, encoding: 'utf8' });
if (git('init', '-q').status === 0) {
  git('add', '-A', '-f');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '-qm', 'corpus');
}
const labels = corpus.loadLabels(labelsSource);
const files = corpus.corpusFiles(dir);

function timed(cmd, argv, opts = {}) {
  const times = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
    times.push(performance.now() - t0);
    if (last.error) throw last.error;
  }
  times.sort((a, b) => a - b);
  return { result: last, ms: times[Math.floor(times.length / 2)] };
}

const tools = [];

{ // Keyway: the CLI users run, default configuration, hardcoded-secret findings
  const { result, ms } = timed(process.execPath, [join(root, 'dist', 'cli.js'), 'scan', '.', '--format', 'json', '--rule', 'hardcoded-secret'], { cwd: dir });
  if (result.status !== 0 && result.status !== 1) { console.error(result.stderr); process.exit(2); }
  const report = JSON.parse(result.stdout);
  tools.push({ name: 'keyway', version: report.tool?.version ?? '', ms, located: corpus.keywayLocations(report.findings, dir), errors: report.errors ?? [], summary: report.summary });
}

if (withPeers) {
  { // gitleaks, default config, directory mode
    const out = join(work, 'gitleaks.json');
    rmSync(out, { force: true });
    const { result, ms } = timed(gitleaksBin, ['dir', '.', '--report-format', 'json', '--report-path', out, '--no-banner', '--exit-code', '0', '--log-level', 'error'], { cwd: dir });
    if (result.status !== 0) { console.error(result.stderr); process.exit(2); }
    const version = spawnSync(gitleaksBin, ['version'], { encoding: 'utf8' }).stdout.trim();
    tools.push({ name: 'gitleaks', version: /^v?\d/.test(version) ? version : 'v8.30.1', ms, located: corpus.gitleaksLocations(JSON.parse(readFileSync(out, 'utf8')), dir) });
  }
  { // detect-secrets, default plugins and filters, every file (not only git-tracked: the same files as the others)
    const { result, ms } = timed(detectSecretsBin, ['scan', '--all-files', '.'], { cwd: dir });
    if (result.status !== 0) { console.error(result.stderr); process.exit(2); }
    const baseline = JSON.parse(result.stdout);
    tools.push({ name: 'detect-secrets', version: baseline.version ?? '', ms, located: corpus.detectSecretsLocations(baseline, dir) });
  }
}

const scores = tools.map((t) => ({ ...t, score: corpus.score(t.name, t.located, labels) }));
const required = labels.filter((l) => !l.optional);
const pct = (x) => (100 * x).toFixed(1).padStart(5) + '%';
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const keyway = scores[0];

console.log(`\nbench:secrets — ${files.length} files, ${required.length} labeled secrets (+${labels.length - required.length} optional), ${runs} run(s) each, same copy: ${dir}\n`);
console.log(`${pad('tool', 16)}${pad('version', 10)}${lpad('findings', 9)}${lpad('TP', 5)}${lpad('FP', 5)}${lpad('precision', 11)}${lpad('recall', 9)}${lpad('F1', 8)}${lpad('time', 10)}${lpad('vs keyway', 11)}`);
for (const t of scores) {
  const s = t.score;
  console.log(`${pad(t.name, 16)}${pad(t.version, 10)}${lpad(s.locations, 9)}${lpad(s.truePositives, 5)}${lpad(s.falsePositives.length, 5)}${lpad(pct(s.precision), 11)}${lpad(pct(s.recall), 9)}${lpad(s.f1.toFixed(3), 8)}${lpad(t.ms.toFixed(0) + ' ms', 10)}${lpad((t.ms / keyway.ms).toFixed(2) + '×', 11)}`);
}

// What each tool alone finds
const key = (l) => `${l.file}:${l.first}`;
console.log('\nFound by one tool only:');
for (const t of scores) {
  const others = scores.filter((o) => o !== t);
  const alone = t.score.found.filter((l) => !others.some((o) => o.score.found.includes(l)));
  console.log(`  ${pad(t.name, 15)}${lpad(alone.length, 3)}  ${alone.map((l) => `${key(l)} (${l.kind})`).join(', ')}`);
}
const none = required.filter((l) => !scores.some((t) => t.score.found.includes(l)));
console.log(`  ${pad('none of them', 15)}${lpad(none.length, 3)}  ${none.map((l) => `${key(l)} (${l.kind})`).join(', ')}`);

// Recall per file kind
const kinds = [...new Set(required.map((l) => corpus.fileKind(l.file)))].sort();
console.log(`\nRecall per file kind:\n  ${pad('kind', 20)}${lpad('secrets', 8)}${scores.map((t) => lpad(t.name, 16)).join('')}`);
for (const k of kinds) {
  const ls = required.filter((l) => corpus.fileKind(l.file) === k);
  console.log(`  ${pad(k, 20)}${lpad(ls.length, 8)}${scores.map((t) => lpad(`${ls.filter((l) => t.score.found.includes(l)).length}/${ls.length}`, 16)).join('')}`);
}

console.log(`\nKeyway misses (${keyway.score.missed.length}):`);
for (const l of keyway.score.missed) console.log(`  ${key(l)}  ${l.kind}  [${corpus.fileKind(l.file)}]`);
console.log(`Keyway false alarms (${keyway.score.falsePositives.length}):`);
for (const f of keyway.score.falsePositives) console.log(`  ${f.file}:${f.first}`);
if (keyway.errors?.length) console.log(`Keyway reported errors: ${keyway.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);

const verdict = scores.length === 3
  ? `Keyway F1 ${keyway.score.f1.toFixed(3)} (target ≥ 0.95) vs gitleaks ${scores[1].score.f1.toFixed(3)} and detect-secrets ${scores[2].score.f1.toFixed(3)}`
  : `Keyway F1 ${keyway.score.f1.toFixed(3)} (target ≥ 0.95)`;
console.log(`\n${verdict}\n`);

const jsonOut = option('--json');
if (jsonOut) {
  writeFileSync(jsonOut, JSON.stringify({
    files: files.length, labels: required.length, runs,
    tools: scores.map((t) => ({
      name: t.name, version: t.version, ms: Math.round(t.ms), findings: t.score.locations, truePositives: t.score.truePositives,
      falsePositives: t.score.falsePositives.map((f) => `${f.file}:${f.first}`), precision: t.score.precision, recall: t.score.recall, f1: t.score.f1,
      found: t.score.found.map(key), missed: t.score.missed.map(key),
    })),
  }, null, 2));
}
