// Runs the built dist/cli.js as a child process (built by `node scripts/build.mjs`, which `npm test` runs first;
// built here if missing).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixturesDir, repoRoot } from '../../support/paths';

const cli = path.join(repoRoot, 'dist', 'cli.js');
const project = path.join(fixturesDir, 'scan', 'project');
/** Literal secret values in the fixture project: no output may ever contain them. */
const SECRETS = ['Zx9!qLr7#vTp2@Wm', 'sk_live_4eC39HqLyjWDarjtT1zdp7dcXYZ', 'ghp_0123456789abcdefghijABCDEFGHIJ012345'];
const SEVERITY_RANK: Record<string, number> = { hint: 0, info: 1, warning: 2, error: 3 };

interface Run { code: number | null; stdout: string; stderr: string }

function run(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: opts.cwd ?? repoRoot, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmpDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-cli-'));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

describe('keyway CLI (dist/cli.js)', function () {
  this.timeout(120_000);
  const temps: string[] = [];
  before(() => {
    if (!fs.existsSync(cli)) {
      const b = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs'), '--no-tests'], { cwd: repoRoot, encoding: 'utf8' });
      assert.equal(b.status, 0, b.stderr);
    }
  });
  after(() => { for (const d of temps) fs.rmSync(d, { recursive: true, force: true }); });

  it('--help prints usage and exits 0', () => {
    const r = run(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: keyway scan \[paths…\]/);
    assert.match(r.stdout, /--min-severity/);
  });

  it('--version prints the package version', () => {
    const r = run(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version);
  });

  it('a second scan starts from the code cache the first one wrote (V8 accepts it: it is not written again)', () => {
    const dir = tmpDir({ 'handler.ts': 'export const handler = async () => ({ statusCode: 200 });\n' });
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-cache-'));
    temps.push(dir, cache);
    const env = { XDG_CACHE_HOME: cache, KEYWAY_NO_COMPILE_CACHE: '' };
    assert.equal(run(['scan', '.'], { cwd: dir, env }).code, 0);
    const folder = path.join(cache, 'keyway', 'v8');
    const written = fs.readdirSync(folder).filter((n) => n.endsWith('.bin'));
    assert.equal(written.length, 1, 'one cache file for this bundle');
    const before = fs.statSync(path.join(folder, written[0]));
    assert.equal(run(['scan', '.'], { cwd: dir, env }).code, 0);
    const after = fs.statSync(path.join(folder, written[0]));
    // A rejected cache is rewritten on exit (a new file renamed over the old one).
    assert.deepEqual([after.ino, after.mtimeMs], [before.ino, before.mtimeMs]);
  });

  it('the bundles are pure ASCII (V8 would hold a bundle with one non-ASCII character as two bytes a character)', () => {
    for (const name of ['cli.js', 'core.js', 'extension.js', 'aws.js']) {
      const text = fs.readFileSync(path.join(repoRoot, 'dist', name), 'utf8');
      assert.equal(/[^\x00-\x7f]/.exec(text)?.index, undefined, `${name} holds a non-ASCII character`);
    }
  });

  for (const [args, re] of [
    [[], /missing command/],
    [['scan', '--nope'], /unknown option "--nope"/],
    [['scan', '--format', 'xml'], /invalid --format/],
    [['scan', '--min-severity', 'loud'], /invalid --min-severity/],
    [['scan', '--rule', 'not-a-rule'], /unknown rule "not-a-rule"/],
    [['scan', '--max-file-size', 'huge'], /invalid --max-file-size/],
    [['scan', 'no/such/path'], /path not found: no\/such\/path/],
    [['scan', '--config', 'no-such-rc.json'], /config file not found/],
  ] as [string[], RegExp][]) {
    it(`usage error → exit 2: ${args.join(' ') || '(no arguments)'}`, () => {
      const r = run(args);
      assert.equal(r.code, 2);
      assert.match(r.stderr, re);
      assert.equal(r.stdout, '');
    });
  }

  it('an invalid .keywayrc.json → exit 2, naming the file and the key', () => {
    const dir = tmpDir({ '.keywayrc.json': '{ "rules": { "hardcoded-secret": "loud" } }', 'a.ts': 'export const a = 1;\n' });
    temps.push(dir);
    const r = run(['scan', '.'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.ok(r.stderr.includes(path.join(dir, '.keywayrc.json')));
    assert.match(r.stderr, /"rules\.hardcoded-secret": must be one of/);
  });

  it('a clean project → exit 0', () => {
    const dir = tmpDir({ 'src/a.ts': 'export const add = (a: number, b: number) => a + b;\n', 'README.md': '# x\n' });
    temps.push(dir);
    const r = run(['scan'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /No problems found/);
    assert.match(r.stdout, /2 files scanned \(1 TypeScript\/JavaScript, 1 other text\)/);
  });

  it('JSON: shape, findings with positions, and exit 1 when findings reach the threshold', () => {
    const r = run(['scan', project, '--format', 'json']);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(j).filter((k) => ['version', 'findings', 'filesScanned', 'filesSkipped'].includes(k)).sort(), ['filesScanned', 'filesSkipped', 'findings', 'version']);
    assert.equal(typeof j.version, 'string');
    assert.equal(j.filesScanned, 6);
    assert.ok(Array.isArray(j.filesSkipped));
    assert.ok(j.findings.length > 0, 'the fixture project has deliberate problems');
    for (const f of j.findings) {
      assert.equal(typeof f.ruleId, 'string');
      assert.ok(f.severity in SEVERITY_RANK);
      assert.equal(typeof f.message, 'string');
      assert.ok(f.range.start.line >= 0 && f.range.start.character >= 0);
      assert.ok(fs.existsSync(f.file));
    }
    const worst = Math.max(...j.findings.map((f: { severity: string }) => SEVERITY_RANK[f.severity]));
    assert.equal(r.code, worst >= SEVERITY_RANK.warning ? 1 : 0);
    // the threshold decides the exit code, not the output
    const hint = run(['scan', project, '--format', 'json', '--min-severity', 'hint']);
    assert.equal(hint.code, 1);
    const errorsOnly = run(['scan', project, '--format', 'json', '--min-severity', 'error']);
    assert.equal(errorsOnly.code, j.findings.some((f: { severity: string }) => f.severity === 'error') ? 1 : 0);
    assert.equal(JSON.parse(errorsOnly.stdout).findings.length, j.findings.length);
  });

  it('--rule restricts the rules that run', () => {
    const all = JSON.parse(run(['scan', project, '--format', 'json']).stdout).findings as { ruleId: string }[];
    const id = all[0].ruleId;
    const only = JSON.parse(run(['scan', project, '--format', 'json', '--rule', id]).stdout).findings as { ruleId: string }[];
    assert.ok(only.length > 0);
    assert.ok(only.every((f) => f.ruleId === id));
    assert.equal(only.length, all.filter((f) => f.ruleId === id).length);
  });

  it('--min-confidence high keeps verified findings and drops medium ones; findings say their provider and confidence', () => {
    const dir = tmpDir({
      'src/config.ts': "export const db = { password: 'Ql8#vK2x' };\nexport const stripe = '" + ['sk', 'live', 'Zq8Rv2LmX9Kd4TpW7nYb3HsJ'].join('_') + "';\n",
      'package.json': '{"name":"x"}',
    });
    temps.push(dir);
    const all = JSON.parse(run(['scan', dir, '--format', 'json', '--rule', 'hardcoded-secret']).stdout).findings as { data: Record<string, string> }[];
    assert.deepEqual(all.map((f) => [f.data.kind, f.data.provider, f.data.confidence]), [['password', 'generic', 'medium'], ['stripe-secret-key', 'Stripe', 'high']]);
    const high = JSON.parse(run(['scan', dir, '--format', 'json', '--rule', 'hardcoded-secret', '--min-confidence', 'high']).stdout).findings as { data: Record<string, string> }[];
    assert.deepEqual(high.map((f) => f.data.kind), ['stripe-secret-key']);
    fs.writeFileSync(path.join(dir, '.keywayrc.json'), JSON.stringify({ minConfidence: 'high' }));
    const cfg = JSON.parse(run(['scan', dir, '--format', 'json', '--rule', 'hardcoded-secret']).stdout).findings as { data: Record<string, string> }[];
    assert.deepEqual(cfg.map((f) => f.data.kind), ['stripe-secret-key']);
  });

  it('SARIF 2.1.0: required structure, rule ids, helpUri, 1-based regions, relative URIs', () => {
    const r = run(['scan', path.relative(repoRoot, project), '--format', 'sarif']);
    assert.equal(r.code, 1);
    const s = JSON.parse(r.stdout);
    assert.equal(s.version, '2.1.0');
    assert.equal(typeof s.$schema, 'string');
    assert.equal(s.runs.length, 1);
    const driver = s.runs[0].tool.driver;
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    assert.equal(driver.name, 'keyway');
    assert.equal(driver.version, pkg.version);
    assert.match(driver.informationUri, /^https?:\/\//);
    const ruleIds = new Set<string>();
    for (const rule of driver.rules) {
      assert.match(rule.id, /^keyway\/[a-z-]+$/);
      assert.ok(rule.helpUri.startsWith(driver.informationUri));
      assert.ok(rule.helpUri.endsWith(`/docs/rules/${rule.id.slice('keyway/'.length)}.md`));
      assert.equal(typeof rule.shortDescription.text, 'string');
      assert.ok(['error', 'warning', 'note', 'none'].includes(rule.defaultConfiguration.level));
      ruleIds.add(rule.id);
    }
    const results = s.runs[0].results;
    assert.ok(results.length > 0);
    for (const res of results) {
      assert.ok(ruleIds.has(res.ruleId), `${res.ruleId} is declared`);
      assert.equal(driver.rules[res.ruleIndex].id, res.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(res.level));
      assert.equal(typeof res.message.text, 'string');
      const loc = res.locations[0].physicalLocation;
      assert.match(loc.artifactLocation.uri, /^test\/fixtures\/scan\/project\/[^\\]+$/);
      assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
      assert.ok(loc.region.endLine >= loc.region.startLine);
    }
  });

  it('text: stylish output without colours when not a TTY or NO_COLOR is set', () => {
    for (const env of [{}, { NO_COLOR: '1' }] as Record<string, string>[]) {
      const r = run(['scan', path.relative(repoRoot, project)], { env });
      assert.equal(r.code, 1);
      assert.doesNotMatch(r.stdout, /\x1b\[/);
      assert.match(r.stdout, /^test\/fixtures\/scan\/project\/src\/config\.js$/m);
      assert.match(r.stdout, /^ +\d+:\d+ {2}(error|warning|info|hint) {2,}\S.* {2}[a-z-]+$/m);
      assert.match(r.stdout, /^✖ \d+ problems? \(\d+ errors?, \d+ warnings?.*\)$/m);
      assert.match(r.stdout, /^6 files scanned/m);
      assert.equal(r.stderr, '', 'no progress output when stderr is not a TTY');
    }
  });

  it('reports skipped files by reason', () => {
    const dir = tmpDir({ 'a.ts': 'export const a = 1;\n', 'big.ts': '// filler\n'.repeat(300), 'node_modules/x/i.js': 'x', 'b.min.js': 'x' });
    temps.push(dir);
    const r = run(['scan', '.', '--max-file-size', '1k', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 0);
    const j = JSON.parse(r.stdout);
    // minified and oversized files are no longer skipped: they get the fast provider-key pass, and are counted as read
    assert.deepEqual(j.filesSkipped, [{ reason: 'excluded-directory', count: 1 }]);
    assert.deepEqual(j.filesRead, [{ kind: 'minified', count: 1 }, { kind: 'oversized', count: 1 }, { kind: 'source', count: 1 }]);
    assert.equal(j.ignore.mode, 'ignore-files');
    const t = run(['scan', '.', '--max-file-size', '1k'], { cwd: dir });
    assert.match(t.stdout, /3 files scanned \(1 minified \(fast pass\), 1 over the size limit \(fast pass\), 1 TypeScript\/JavaScript\); skipped: 1 dependency\/build\/VCS folder/);
    assert.match(t.stdout, /not a git work tree: \.gitignore, \.keywayignore and config ignore were applied as written/i);
  });

  it('--output writes the report to a file', () => {
    const dir = tmpDir({});
    temps.push(dir);
    const out = path.join(dir, 'report.sarif');
    const r = run(['scan', project, '--format', 'sarif', '--output', out]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(JSON.parse(fs.readFileSync(out, 'utf8')).version, '2.1.0');
  });

  it('never prints a secret value, in any format', () => {
    for (const format of ['text', 'json', 'sarif']) {
      const r = run(['scan', project, '--format', format]);
      for (const s of SECRETS) {
        assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), `${format} output contains a secret value`);
      }
    }
  });

  it('--fix on a copy: applies preferred fixes, writes files, reports what remains', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-cli-fix-'));
    temps.push(dir);
    fs.cpSync(project, dir, { recursive: true });
    const before = JSON.parse(run(['scan', '.', '--format', 'json'], { cwd: dir }).stdout).findings as { ruleId: string; file: string; fixes: { isPreferred?: boolean }[] }[];
    const fixable = before.filter((f) => f.fixes.some((x) => x.isPreferred));
    assert.ok(fixable.length > 0, 'the fixture has fixable findings');
    const fixableFiles = new Set(fixable.map((f) => f.file));
    const originals = new Map([...fixableFiles].map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
    const r = run(['scan', '.', '--fix', '--format', 'json'], { cwd: dir });
    const after = JSON.parse(r.stdout).findings as { ruleId: string; file: string; fixes: { isPreferred?: boolean }[] }[];
    for (const [f, text] of originals) assert.notEqual(fs.readFileSync(path.join(dir, f), 'utf8'), text, `${f} was rewritten`);
    assert.ok(after.length < before.length, `${after.length} findings remain of ${before.length}`);
    // unfixable findings in other files are untouched
    const unfixable = before.filter((f) => !fixableFiles.has(f.file));
    assert.deepEqual(after.filter((f) => !fixableFiles.has(f.file)).map((f) => f.ruleId), unfixable.map((f) => f.ruleId));
    // a second --fix finds nothing more to fix in the fixed files
    const again = JSON.parse(run(['scan', '.', '--format', 'json'], { cwd: dir }).stdout).findings as typeof after;
    assert.deepEqual(again.map((f) => `${f.file}:${f.ruleId}`).sort(), after.map((f) => `${f.file}:${f.ruleId}`).sort());
  });

  it('--fix on two handlers building one client: compiles, one shared client, says what it fixed, exit 0; a second --fix changes nothing', () => {
    const code = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';

export const handler = async (event: { id: string }) => {
  const ssm = new SSMClient({});
  const res = await ssm.send(new GetParameterCommand({ Name: '/orders/config' }));
  return { id: event.id, config: res.Parameter?.Value };
};

export const refundHandler = async (event: { id: string }) => {
  const ssm = new SSMClient({});
  const res = await ssm.send(new GetParameterCommand({ Name: '/refunds/config' }));
  return { id: event.id, config: res.Parameter?.Value };
};
`;
    const dir = tmpDir({ 'handlers.ts': code, 'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', strict: true, noEmit: true, types: [] } }) });
    temps.push(dir);
    const r = run(['scan', '--fix', 'handlers.ts'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Fixed [2-4] problems in 1 file \((client-in-handler 2, )?uncached-fetch 2\):/);
    // Exactly what was fixed, one line each, and what remains — never a "No problems found" before it.
    assert.match(r.stdout, /^ {2}handlers\.ts:5 +uncached-fetch {2}GetParameter of "\/orders\/config" runs on every invocation of handler "handler"$/m);
    assert.match(r.stdout, /^ {2}handlers\.ts:11 +uncached-fetch {2}GetParameter of "\/refunds\/config" runs on every invocation of handler "refundHandler"$/m);
    assert.match(r.stdout, /^✔ No problems remain \(counted by a fresh scan after fixing\)\.$/m);
    assert.doesNotMatch(r.stdout, /No problems found/);
    const fixed = fs.readFileSync(path.join(dir, 'handlers.ts'), 'utf8');
    assert.equal([...fixed.matchAll(/^const ssm = new SSMClient\(\{\}\);$/gm)].length, 1, fixed);
    assert.match(fixed, /const loadOrdersConfig = cached\(/);
    assert.match(fixed, /const loadRefundsConfig = cached\(/);
    const again = run(['scan', '--fix', 'handlers.ts'], { cwd: dir });
    assert.equal(again.code, 0);
    assert.match(again.stdout, /^Nothing to fix\.\n✔ No problems remain\.$/m);
    assert.equal(fs.readFileSync(path.join(dir, 'handlers.ts'), 'utf8'), fixed);
  });

  it('--fix that would add a type error: the file is left as it was, the failure and its reason are printed, exit 1', () => {
    const code = `import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const sm = new SecretsManagerClient({});
export const handler = async () => {
  const res = await sm.send(new GetSecretValueCommand({ SecretId: 'app/db-credentials' }));
  const creds = JSON.parse(res.SecretString ?? '{}');
  return creds.username;
};
`;
    const tsconfig = { compilerOptions: { target: 'ES2015', lib: ['es2015'], strict: true, noEmit: true, types: [] } };
    const dir = tmpDir({ 'db.ts': code, 'tsconfig.json': JSON.stringify(tsconfig) });
    temps.push(dir);
    const r = run(['scan', '--fix', '.', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'db.ts'), 'utf8'), code, 'unchanged');
    const j = JSON.parse(r.stdout) as { findings: { ruleId: string }[]; fix: { failed: { ruleId: string; reason: string }[]; fixed: unknown[] } };
    assert.ok(j.fix.failed.some((f) => f.ruleId === 'uncached-fetch' && /type error: TS2550/.test(f.reason)), JSON.stringify(j.fix));
    assert.deepEqual(j.fix.fixed, []);
    assert.ok(j.findings.some((f) => f.ruleId === 'uncached-fetch'), 'the finding remains');
    const text = run(['scan', '--fix', '.'], { cwd: dir });
    assert.equal(text.code, 1);
    assert.match(text.stdout, /Could not fix 1 problem in 1 file/);
    assert.match(text.stdout, /db\.ts:4 {2}uncached-fetch: it would add a type error: TS2550/);
  });

  it('after --fix on the sample project, the problems it reports remaining are exactly what a fresh scan finds', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-cli-sample-'));
    temps.push(dir);
    fs.cpSync(path.join(repoRoot, 'examples', 'sample-lambda'), dir, { recursive: true });
    const fixed = run(['scan', '.', '--fix', '--format', 'json'], { cwd: dir });
    const fresh = run(['scan', '.', '--format', 'json'], { cwd: dir });
    const key = (f: { file: string; ruleId: string; message: string }) => `${f.file}|${f.ruleId}|${f.message}`;
    const a = (JSON.parse(fixed.stdout).findings as { file: string; ruleId: string; message: string }[]).map(key).sort();
    const b = (JSON.parse(fresh.stdout).findings as { file: string; ruleId: string; message: string }[]).map(key).sort();
    assert.deepEqual(a, b);
    const summary = run(['scan', '.', '--fix'], { cwd: dir });
    assert.match(summary.stdout, new RegExp(`^✖ ${b.length} problems remain \\(\\d+ errors?, \\d+ warnings?[^)]*\\)`, 'm'));
    assert.doesNotMatch(summary.stdout, /No problems found|potentially fixable/);
  });
});
