// The scanner against hostile or unusual trees: git-tracked files under .gitignore, committed build output, links out
// of the root and link loops, key stores, huge one-line files, exponential ignore globs, 20,000-file folders, files
// that change during the scan.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collectFiles, scanPaths } from '../../../src/core/scan';
import { analyzeCollectedFile } from '../../../src/core/scan/scanner';
import { FsProjectContext, writeFileNoFollow } from '../../../src/core/scan/files';
import { DEFAULT_CONFIG } from '../../../src/core/types';
import { FAKE } from '../secrets/fakes';

function write(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd, stdio: 'ignore' });
let hasGit = true;
try { execFileSync('git', ['--version'], { stdio: 'ignore' }); } catch { hasGit = false; }

const handler = `export const handler = async () => ({ key: '${FAKE.stripeLive}' });\n`;
const rel = (root: string, files: string[]) => files.map((f) => path.relative(root, f).split(path.sep).join('/')).sort();

describe('scanner: tracked files, links and hostile trees', function () {
  this.timeout(60_000);
  const temps: string[] = [];
  const tmp = () => { const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-tracked-'))); temps.push(d); return d; };
  after(() => { for (const d of temps) fs.rmSync(d, { recursive: true, force: true }); });

  it('inside a git work tree, .gitignore never hides a tracked file; untracked ignored files and build output stay skipped', function () {
    if (!hasGit) this.skip();
    const root = tmp();
    write(root, {
      '.gitignore': '*.js\ndist/\nbuild/\n',
      'src/handler.ts': handler,
      'lambdas/orders.js': handler, // hand-written, committed despite `*.js`
      'lambdas/generated.js': handler, // ignored and untracked
      'dist/app.js': 'x=1;'.repeat(20_000) + `"${FAKE.githubPat}"`, // committed bundle: fast pass
      'build/out.js': handler, // untracked build output
    });
    git(root, 'init', '-q');
    git(root, 'add', '-f', '.gitignore', 'src/handler.ts', 'lambdas/orders.js', 'dist/app.js');
    const r = scanPaths([root]);
    assert.deepEqual(rel(root, [...new Set(r.findings.map((f) => f.file))]), ['dist/app.js', 'lambdas/orders.js', 'src/handler.ts']);
    assert.equal(r.ignore.mode, 'git');
    const read = Object.fromEntries(r.filesRead.map((x) => [x.kind, x.count]));
    assert.equal(read.minified, 1);
    assert.ok(r.filesSkipped.some((s) => s.reason === 'ignored' && s.count === 1));
    // With git missing, the ignore files apply as written and the summary says so.
    const r2 = collectFiles([root], { config: DEFAULT_CONFIG, git: path.join(root, 'no-such-git') });
    assert.equal(r2.ignore.mode, 'ignore-files');
    assert.match(r2.ignore.note, /git is not installed/);
    assert.deepEqual(rel(root, r2.files.map((f) => f.abs)), ['src/handler.ts']);
  });

  it('outside a git work tree, says that ignore files were applied', () => {
    const root = tmp();
    write(root, { '.gitignore': '*.js\n', 'a.js': handler, 'b.ts': handler });
    const r = scanPaths([root]);
    assert.equal(r.ignore.mode, 'ignore-files');
    assert.match(r.ignore.note, /not a git work tree/);
    assert.equal(r.filesScanned, 1);
  });

  it('never follows a link out of the root, survives link loops, reads links inside once', function () {
    if (process.platform === 'win32') this.skip();
    const outside = tmp();
    write(outside, { 'passwd.ts': handler, 'dir/x.ts': handler });
    const root = tmp();
    write(root, { 'src/a.ts': handler });
    fs.symlinkSync(path.join(outside, 'passwd.ts'), path.join(root, 'src', 'passwd.ts'));
    fs.symlinkSync(path.join(outside, 'dir'), path.join(root, 'outdir'));
    fs.symlinkSync(root, path.join(root, 'src', 'loop'));
    fs.symlinkSync(path.join(root, 'src', 'a.ts'), path.join(root, 'alias.ts'));
    fs.symlinkSync(path.join(root, 'nowhere'), path.join(root, 'dangling.ts'));
    const r = scanPaths([root]);
    assert.deepEqual(r.errors, []);
    assert.equal(r.filesScanned, 1, 'a.ts once (alias.ts is the same file)');
    assert.ok(r.filesSkipped.some((s) => s.reason === 'outside-root' && s.count === 2));
    assert.ok(r.findings.every((f) => !f.file.includes('passwd') && !f.file.includes('outdir')));
  });

  it('--fix never writes through a link (the shared write guard)', function () {
    if (process.platform === 'win32') this.skip();
    const outside = tmp();
    write(outside, { 'target.ts': 'original' });
    const root = tmp();
    fs.symlinkSync(path.join(outside, 'target.ts'), path.join(root, 'link.ts'));
    assert.throws(() => writeFileNoFollow(path.join(root, 'link.ts'), Buffer.from('changed')), /symbolic link/);
    assert.equal(fs.readFileSync(path.join(outside, 'target.ts'), 'utf8'), 'original');
    write(root, { 'real.ts': 'a' });
    writeFileNoFollow(path.join(root, 'real.ts'), Buffer.from('bb'));
    assert.equal(fs.readFileSync(path.join(root, 'real.ts'), 'utf8'), 'bb');
  });

  it('key stores are reported without being read; huge one-line files get the fast pass in chunks', () => {
    const root = tmp();
    const huge = 'a=1;'.repeat(700_000) + `k="${FAKE.githubPat}";` + '\n' + 'b=2;\n'.repeat(10) + `s="${FAKE.stripeLive}"\n`;
    write(root, { 'certs/client.p12': Buffer.from([0x30, 0x82, 0, 0, 1, 2, 3]), 'dist/../bundle.js': huge });
    const r = scanPaths([root]);
    const kinds = r.findings.map((f) => [path.basename(f.file), f.data?.kind, f.range.start.line]).sort();
    const line0 = huge.indexOf(FAKE.githubPat);
    assert.deepEqual(kinds, [['bundle.js', 'github-token', 0], ['bundle.js', 'stripe-secret-key', 11], ['client.p12', 'private-key', 0]]);
    const gh = r.findings.find((f) => f.data?.kind === 'github-token')!;
    assert.equal(gh.range.start.character, line0);
    const read = Object.fromEntries(r.filesRead.map((x) => [x.kind, x.count]));
    assert.deepEqual(read, { keystore: 1, oversized: 1 });
  });

  it('ignore globs run in bounded time (.gitignore, .keywayignore and config ignore)', () => {
    const root = tmp();
    const bomb = '*a'.repeat(14) + '*b';
    write(root, { '.gitignore': bomb + '\n', '.keywayignore': bomb + '\n', [`${'a'.repeat(60)}.ts`]: handler, 'src/x.ts': handler });
    const t0 = performance.now();
    const r = scanPaths([root], { config: { ignore: [bomb] } });
    assert.ok(performance.now() - t0 < 5000, `took ${performance.now() - t0} ms`);
    assert.equal(r.filesScanned, 2);
  });

  it('a folder of 20,000 files is walked in linear time', () => {
    const root = tmp();
    const fill = (dir: string, n: number) => { fs.mkdirSync(dir); for (let i = 0; i < n; i++) fs.writeFileSync(path.join(dir, `f${i}.json`), '{}'); };
    fill(path.join(root, 'small'), 2000);
    fill(path.join(root, 'big'), 20_000);
    const time = (d: string) => { const t0 = performance.now(); const r = collectFiles([path.join(root, d)], { config: DEFAULT_CONFIG }); return [performance.now() - t0, r.files.length]; };
    time('small');
    const [ts, ns] = time('small');
    const [tb, nb] = time('big');
    assert.equal(ns, 2000);
    assert.equal(nb, 20_000);
    // linear: 10× the files in about 10× the time (quadratic work would be 100×); generous for a noisy machine
    assert.ok(tb < 30 * ts + 1000, `2,000 files in ${ts.toFixed(0)} ms, 20,000 in ${tb.toFixed(0)} ms`);
  });

  it('a file that disappears or becomes a folder during the scan is counted, not an error', () => {
    const root = tmp();
    write(root, { 'a.ts': handler, 'b.ts': handler });
    const c = collectFiles([root], { config: DEFAULT_CONFIG });
    fs.rmSync(path.join(root, 'a.ts'));
    fs.rmSync(path.join(root, 'b.ts'));
    fs.mkdirSync(path.join(root, 'b.ts'));
    const project = new FsProjectContext();
    const results = c.files.map((f) => analyzeCollectedFile(f, { config: DEFAULT_CONFIG, project, maxFileSize: 1 << 20 }));
    for (const r of results) {
      assert.ok('skipped' in r && r.skipped === 'changed', JSON.stringify(r));
      assert.deepEqual(r.errors, []);
    }
  });
});
