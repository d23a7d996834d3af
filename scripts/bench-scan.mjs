#!/usr/bin/env node
// Whole-repository scan benchmark: `npm run bench:scan` (builds first; runs dist/cli.js as a user would).
//
// In one run, on exactly the same directories, interleaved round by round (the machine is shared: figures are ratios
// measured in the same run, each the best of --runs):
//   big repo    the pinned npm corpus of bench:analyzer (≈12,700 files with its dependencies: TS sources, built JS,
//               JSON, maps, READMEs) copied once as a git repository into .cache/bench-scan/big: wall time and peak
//               memory (maxRSS) of `keyway scan` (text to /dev/null, process start included) and of `gitleaks dir`
//   small repo  ≈100 files of a Lambda project (examples/ and the test fixtures, copied as a git repository): wall
//               time of `keyway scan` end to end, against `node -e 0` (the floor any Node CLI pays) and gitleaks
// Keyway runs once untimed first (it fills its V8 code cache, as any second run of the CLI would find it); its
// first (cold) run is reported too. Also prints what Keyway read per file kind and skipped per reason.
//
// gitleaks is the peer bench:secrets uses (`scripts/setup.sh --only peers`: v8.30.1 built from the Go module proxy
// into .cache/peers/bin). Targets (issue 12 §5): big-repo time ≤ gitleaks / 3, peak memory ≤ 200 MB, small repo < 0.5 s.
//
// Keyway's code cache lives in its own folder under .cache/bench-scan (other checkouts' builds would evict it from
// ~/.cache/keyway, the one cache a user has).
//
// Flags: --runs <n> (default 3), --json <file>, --no-peers (Keyway and node only),
//        --baseline <dist dir> (another build, e.g. main's, run in the same rounds: before/after ratios, and its JSON
//        reports must equal this build's, version aside)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { corpusDir, ensureCorpus, PINNED, root } from './bench-corpus.mjs';

const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const runs = Math.max(1, Number(option('--runs') ?? 3));
const withPeers = !args.includes('--no-peers');
const cache = process.env.KEYWAY_CACHE ?? join(root, '.cache');
const work = join(cache, 'bench-scan');
const cli = join(root, 'dist', 'cli.js');
const gitleaks = join(cache, 'peers', 'bin', 'gitleaks');
const GITLEAKS_VERSION = 'v8.30.1';
const baselineDir = option('--baseline');
const baselineCli = baselineDir ? join(baselineDir, 'cli.js') : undefined;
if (baselineCli && !existsSync(baselineCli)) { console.error(`--baseline: ${baselineCli} is missing`); process.exit(2); }

if (!existsSync(cli)) { console.error('dist/cli.js is missing: run `npm run build` first (or `npm run bench:scan`).'); process.exit(2); }

function git(cwd, ...a) {
  return spawnSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', '-c', 'core.fsmonitor=false', ...a], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** A directory made once (marker file holds its recipe), as a git repository with every file tracked. */
function prepare(dir, recipe, fill) {
  const marker = join(dir, '..', `${relative(work, dir)}.ready`);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === recipe && existsSync(dir)) return;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  fill(dir);
  if (git(dir, 'init', '-q').status === 0) { git(dir, 'add', '-A', '-f'); git(dir, 'commit', '-qm', 'corpus', '--no-verify'); }
  writeFileSync(marker, recipe);
}

function ensurePeers() {
  if (!withPeers) return false;
  const setup = join(root, 'scripts', 'setup.sh');
  if (readFileSync(setup, 'utf8').includes('setup_peers')) {
    const r = spawnSync('bash', [setup, '--only', 'peers'], { stdio: ['ignore', 'inherit', 'inherit'] });
    return r.status === 0 && existsSync(gitleaks);
  }
  if (existsSync(gitleaks)) return true;
  mkdirSync(dirname(gitleaks), { recursive: true });
  console.error(`[bench] building gitleaks ${GITLEAKS_VERSION} from the Go module proxy (one time)…`);
  const r = spawnSync('go', ['install', `github.com/zricethezav/gitleaks/v8@${GITLEAKS_VERSION}`], { stdio: 'inherit', env: { ...process.env, GOBIN: dirname(gitleaks), GOFLAGS: '-buildvcs=false' } });
  return r.status === 0 && existsSync(gitleaks);
}

/**
 * Wall time (ms), CPU time (user + system, ms) and peak RSS (MB) of a command, through GNU time when present. On a
 * shared machine wall time swings with the load of others; CPU time is the work each tool did, steadier to compare.
 */
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
function measure(cmd, argv, cwd, env = {}) {
  const t0 = performance.now();
  const r = gnuTime
    ? spawnSync(gnuTime, ['-f', '%M %U %S', cmd, ...argv], { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, ...env } })
    : spawnSync(cmd, argv, { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, ...env } });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  const m = gnuTime ? /^(\d+) ([\d.]+) ([\d.]+)$/.exec(r.stderr.trim().split('\n').pop() ?? '') : undefined;
  return {
    ms, rssMB: m ? Number(m[1]) / 1024 : undefined, cpuMs: m ? (Number(m[2]) + Number(m[3])) * 1000 : undefined,
    status: r.status, stdout: r.stdout, stderr: r.stderr,
  };
}

function countFiles(dir) {
  let n = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop();
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      if (e.isDirectory()) stack.push(join(d, e.name)); else n++;
    }
  }
  return n;
}

// ------------------------------------------------------------------------------------------------ setup

ensureCorpus();
const big = join(work, 'big');
prepare(big, JSON.stringify(PINNED), (dir) => {
  // The packages as the folders of a monorepo (not under node_modules, which every scanner skips).
  cpSync(join(corpusDir, 'node_modules'), join(dir, 'packages'), { recursive: true, dereference: false });
});
const small = join(work, 'small');
const smallSources = ['examples', 'test/fixtures/lambda', 'test/fixtures/iam', 'test/fixtures/scan', 'test/fixtures/workspace'];
prepare(small, JSON.stringify(smallSources) + statSync(join(root, 'test', 'fixtures')).mtimeMs, (dir) => {
  for (const s of smallSources) if (existsSync(join(root, s))) cpSync(join(root, s), join(dir, s.replace(/^test\/fixtures\//, 'src/')), { recursive: true });
});
const peers = ensurePeers();
if (withPeers && !peers) console.error('[bench] gitleaks is not available: peer figures are skipped.');

const bigFiles = countFiles(big);
const smallFiles = countFiles(small);
const out = join(tmpdir(), `keyway-bench-scan-${process.pid}.json`);
const codeCache = (which) => ({ XDG_CACHE_HOME: join(work, `xdg-${which}`) });
const keyway = (dir, env = codeCache('keyway'), bin = cli) => measure(process.execPath, [bin, 'scan', '.', '--format', 'json', '--output', out], dir, env);
const baseline = (dir) => keyway(dir, codeCache('baseline'), baselineCli);
/** The JSON report without its version (a baseline build may carry another). */
const reportOf = () => { const r = JSON.parse(readFileSync(out, 'utf8')); delete r.version; return r; };
const differences = [];
const compare = (what, mine) => {
  const theirs = reportOf();
  if (JSON.stringify(theirs) !== JSON.stringify(mine)) differences.push(`${what}: ${Object.keys(mine).filter((k) => JSON.stringify(mine[k]) !== JSON.stringify(theirs[k])).join(', ')}`);
};
const gitleaksRun = (dir) => measure(gitleaks, ['dir', '.', '--no-banner', '--exit-code', '0', '--log-level', 'error', '--report-format', 'json', '--report-path', join(tmpdir(), `gitleaks-${process.pid}.json`)], dir);
const nodeFloor = () => measure(process.execPath, ['-e', '0'], root);

// ------------------------------------------------------------------------------------------------ runs

console.error(`[bench] big repo ${bigFiles} files, small repo ${smallFiles} files; ${runs} interleaved rounds`);
// Cold: no code cache for this build yet.
const cold = keyway(small, { XDG_CACHE_HOME: join(tmpdir(), `keyway-bench-nocache-${process.pid}`) });
rmSync(join(tmpdir(), `keyway-bench-nocache-${process.pid}`), { recursive: true, force: true });
keyway(small); // fills the code cache
if (baselineCli) baseline(small);
const best = {};
// Best (lowest) wall and CPU time of the rounds, highest peak memory.
const keep = (k, m) => {
  const b = best[k] ??= { ms: Infinity, cpuMs: Infinity, rssMB: 0 };
  b.ms = Math.min(b.ms, m.ms);
  if (m.cpuMs !== undefined) b.cpuMs = Math.min(b.cpuMs, m.cpuMs);
  b.rssMB = Math.max(b.rssMB, m.rssMB ?? 0);
};
let report;
for (let i = 0; i < runs; i++) {
  keep('node', nodeFloor());
  keep('keywaySmall', keyway(small));
  if (baselineCli) { const mine = reportOf(); keep('baselineSmall', baseline(small)); if (i === 0) compare('small repo', mine); }
  if (peers) keep('gitleaksSmall', gitleaksRun(small));
  const kb = keyway(big);
  keep('keywayBig', kb);
  report = reportOf();
  if (baselineCli) { keep('baselineBig', baseline(big)); if (i === 0) compare('big repo', report); }
  if (peers) keep('gitleaksBig', gitleaksRun(big));
}
rmSync(out, { force: true });

// ------------------------------------------------------------------------------------------------ report

const f = (ms) => `${(ms / 1000).toFixed(2)} s`;
const cpu = (k) => (Number.isFinite(best[k]?.cpuMs) ? `${f(best[k].cpuMs)} CPU` : '');
const x = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : 'n/a');
const rows = [
  ['big repo', `${bigFiles} files`, '', ''],
  ['  keyway scan', f(best.keywayBig.ms), `${best.keywayBig.rssMB?.toFixed(0) ?? '?'} MB`, cpu('keywayBig')],
  ...(peers ? [['  gitleaks dir', f(best.gitleaksBig.ms), `${best.gitleaksBig.rssMB?.toFixed(0) ?? '?'} MB`, `${cpu('gitleaksBig')}; keyway is ${x(best.gitleaksBig.ms, best.keywayBig.ms)} faster in wall time, ${x(best.gitleaksBig.cpuMs, best.keywayBig.cpuMs)} in CPU time (target ≥ 3×)`]] : []),
  ...(baselineCli ? [['  baseline scan', f(best.baselineBig.ms), `${best.baselineBig.rssMB?.toFixed(0) ?? '?'} MB`, `${cpu('baselineBig')}; this build ${x(best.baselineBig.ms, best.keywayBig.ms)} faster in wall time, ${x(best.baselineBig.cpuMs, best.keywayBig.cpuMs)} in CPU${peers ? `; baseline ${x(best.gitleaksBig.ms, best.baselineBig.ms)} faster than gitleaks` : ''}`]] : []),
  ['small repo', `${smallFiles} files`, '', ''],
  ['  node -e 0', f(best.node.ms), `${best.node.rssMB?.toFixed(0) ?? '?'} MB`, ''],
  ['  keyway scan', f(best.keywaySmall.ms), `${best.keywaySmall.rssMB?.toFixed(0) ?? '?'} MB`, `${x(best.keywaySmall.ms, best.node.ms)} node -e 0 (CPU ${x(best.keywaySmall.cpuMs, best.node.cpuMs)}); +${f(best.keywaySmall.ms - best.node.ms)} over it`],
  ...(baselineCli ? [['  baseline scan', f(best.baselineSmall.ms), `${best.baselineSmall.rssMB?.toFixed(0) ?? '?'} MB`, `${x(best.baselineSmall.ms, best.node.ms)} node -e 0; this build ${x(best.baselineSmall.ms, best.keywaySmall.ms)} faster${peers ? `; baseline ${x(best.baselineSmall.ms, best.gitleaksSmall.ms)} gitleaks` : ''}`]] : []),
  ['  keyway (cold)', f(cold.ms), `${cold.rssMB?.toFixed(0) ?? '?'} MB`, 'first run after a build: no code cache yet'],
  ...(peers ? [['  gitleaks dir', f(best.gitleaksSmall.ms), `${best.gitleaksSmall.rssMB?.toFixed(0) ?? '?'} MB`, `keyway ${x(best.keywaySmall.ms, best.gitleaksSmall.ms)} gitleaks`]] : []),
];
console.log('\nWhole-repository scan (best of %d interleaved rounds; wall time includes process start)\n', runs);
for (const r of rows) console.log(`${r[0].padEnd(18)} ${r[1].padStart(12)} ${r[2].padStart(8)}  ${r[3]}`);
console.log(`\nKeyway read on the big repo: ${report.filesScanned} files: ${report.filesRead.map((k) => `${k.count} ${k.kind}`).join(', ')}`);
console.log(`skipped: ${report.filesSkipped.map((k) => `${k.count} ${k.reason}`).join(', ') || 'none'}; ${report.ignore?.note ?? ''}`);
console.log(`errors: ${report.errors.length}${report.errors.length ? ` (e.g. ${report.errors.slice(0, 3).map((e) => `${e.path}: ${e.message}`).join('; ')})` : ''}; findings: ${report.findings.length}`);
const targets = [
  peers ? `speed ${x(best.gitleaksBig.ms, best.keywayBig.ms)} gitleaks in wall time, ${x(best.gitleaksBig.cpuMs, best.keywayBig.cpuMs)} in CPU time (≥ 3×): ${best.gitleaksBig.ms / best.keywayBig.ms >= 3 ? 'met' : 'NOT met'} in wall time` : 'speed: no peer',
  `peak memory ${best.keywayBig.rssMB?.toFixed(0)} MB (≤ 200 MB): ${(best.keywayBig.rssMB ?? 0) <= 200 ? 'met' : 'NOT met'}`,
  `small repo ${f(best.keywaySmall.ms)} (< 0.5 s): ${best.keywaySmall.ms < 500 ? 'met' : 'NOT met'}`,
];
console.log('\nTargets: ' + targets.join('; '));
if (baselineCli && differences.length) process.exitCode = 1;
if (baselineCli) console.log(differences.length ? `\nResults DIFFER from the baseline's: ${differences.join('; ')}` : '\nResults identical to the baseline\'s (JSON reports of both repos, version aside).');
const json = option('--json');
if (json) writeFileSync(json, JSON.stringify({ runs, identicalToBaseline: baselineCli ? !differences.length : undefined, bigFiles, smallFiles, best, cold: { ms: cold.ms, rssMB: cold.rssMB }, filesRead: report.filesRead, filesSkipped: report.filesSkipped, errors: report.errors.length }, null, 2));
