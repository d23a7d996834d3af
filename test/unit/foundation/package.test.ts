// What ships. One production build (scripts/build.mjs --production) is staged with the manifest files, then:
// - the .vsix: listed with @vscode/vsce's listing API, built with its createVSIX (offline; vsce runs its own secret
//   lint), and its zip entries read back: no tests, fixtures, sources, .cache, source maps, keys or .env; nothing the
//   secret scanners flag; within the size budget;
// - the npm package: `npm pack`, then `npm install --offline` into an empty folder (it must need nothing from the
//   registry: its bundles contain their dependencies) and `keyway scan` / `keyway policy` run from there.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { allRules } from '../../../src/core/rules';
import { scanPaths } from '../../../src/core/scan';
import { findFormattedSecrets } from '../../../src/core/secrets/detect';
import { fixturesDir, repoRoot } from '../../support/paths';

/** The budget, also stated in README.md ("Install the extension"). */
export const BUDGET = { vsixBytes: 4 * 1024 * 1024, unpackedBytes: 14 * 1024 * 1024, vsixFiles: 25, npmTarballBytes: 4 * 1024 * 1024 };

/** Paths that must never ship. */
const FORBIDDEN: [RegExp, string][] = [
  [/(^|\/)(test|tests|__tests__|fixtures|__fixtures__)\//, 'tests or fixtures'],
  [/(^|\/)\.cache\//, '.cache'],
  [/(^|\/)(src|out|scripts|examples|node_modules|\.artifacts|\.vscode|\.git|\.ci|docs)\//, 'sources, build output or tooling'],
  [/\.map$/, 'a source map'],
  [/\.tsx?$/, 'TypeScript source'],
  [/(^|\/)\.env(\.|$)|\.pem$|\.key$|\.p12$|\.pfx$|(^|\/)id_(rsa|ed25519|ecdsa)$/, 'a key or .env file'],
  [/\.vsix$|\.tgz$/, 'a package inside the package'],
];

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 240_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

/** Names and uncompressed sizes of a zip's entries, from its central directory (no dependency needed). */
function zipEntries(file: string): { name: string; size: number }[] {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  assert.ok(eocd >= 0, 'a zip end-of-central-directory record');
  const count = buf.readUInt16LE(eocd + 10);
  let off = buf.readUInt32LE(eocd + 16);
  const out: { name: string; size: number }[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(off), 0x02014b50, 'a central directory entry');
    const size = buf.readUInt32LE(off + 24);
    const nameLen = buf.readUInt16LE(off + 28);
    const extraLen = buf.readUInt16LE(off + 30);
    const commentLen = buf.readUInt16LE(off + 32);
    out.push({ name: buf.toString('utf8', off + 46, off + 46 + nameLen), size });
    off += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Files of a tarball (.tgz), from its ustar headers. */
function tarEntries(file: string): string[] {
  const buf = zlib.gunzipSync(fs.readFileSync(file));
  const names: string[] = [];
  for (let off = 0; off + 512 <= buf.length;) {
    const name = buf.toString('utf8', off, off + 100).replace(/\0.*$/s, '');
    if (!name) break;
    const prefix = buf.toString('utf8', off + 345, off + 500).replace(/\0.*$/s, '');
    const size = parseInt(buf.toString('utf8', off + 124, off + 136).replace(/\0.*$/s, '').trim() || '0', 8);
    names.push(prefix ? `${prefix}/${name}` : name);
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

/** Non-builtin modules a bundle requires at run time (what esbuild left external). */
function externalRequires(bundle: string): string[] {
  const text = fs.readFileSync(bundle, 'utf8');
  const out = new Set<string>();
  for (const m of text.matchAll(/\brequire\(\s*["']((?:node:)?@?[\w-]+(?:\/[\w.-]+)*)["']\s*\)/g)) {
    const id = m[1].replace(/^node:/, '');
    if (!builtinModules.includes(id) && !builtinModules.includes(id.split('/')[0])) out.add(m[1]);
  }
  return [...out].sort();
}

describe('what ships: the .vsix and the npm package', function () {
  this.timeout(600_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-ship-'));
  const stage = path.join(work, 'stage');
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: Record<string, string>; scripts?: unknown; devDependencies?: unknown };
  let vsix = '';
  let listed: string[] = [];

  before(async () => {
    fs.mkdirSync(stage, { recursive: true });
    for (const f of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', '.npmignore']) fs.copyFileSync(path.join(repoRoot, f), path.join(stage, f));
    fs.cpSync(path.join(repoRoot, 'media'), path.join(stage, 'media'), { recursive: true });
    const build = sh(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs'), '--production', '--outdir', path.join(stage, 'dist')], repoRoot);
    assert.equal(build.code, 0, build.stderr);
    // A map next to the bundles (what a development build leaves) must still not ship.
    fs.writeFileSync(path.join(stage, 'dist', 'extension.js.map'), '{}');
    // The staged manifest runs no scripts (the build above is the prepublish step).
    const manifest = { ...pkg };
    delete manifest.scripts;
    fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(manifest, null, 2));
    const vsce = await import('@vscode/vsce');
    listed = (await vsce.listFiles({ cwd: stage, packageManager: vsce.PackageManager.None })).map((f) => f.replace(/\\/g, '/')).sort();
    vsix = path.join(work, `${pkg.name}-${pkg.version}.vsix`);
    const log = console.log;
    console.log = () => undefined; // vsce prints its file tree
    try {
      await vsce.createVSIX({ cwd: stage, packagePath: vsix, dependencies: false });
    } finally {
      console.log = log;
    }
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('the listing holds the bundles, the icons and the manifest files, and nothing else', () => {
    for (const f of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist/extension.js', 'dist/core.js', 'dist/aws.js', 'dist/cli.js', 'media/keyway.png']) {
      assert.ok(listed.includes(f), `${f} is listed (${listed.join(', ')})`);
    }
    for (const f of listed) {
      assert.match(f, /^(package\.json|README\.md|CHANGELOG\.md|LICENSE|dist\/[\w.-]+\.js|media\/[\w.-]+\.(png|svg))$/, `unexpected file ${f}`);
    }
  });

  it('the .vsix has no tests, fixtures, sources, .cache, source maps, keys or .env files', () => {
    const entries = zipEntries(vsix);
    const files = entries.map((e) => e.name).filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
    assert.ok(files.includes('dist/extension.js') && files.includes('package.json'), files.join(', '));
    for (const f of files) for (const [re, what] of FORBIDDEN) assert.doesNotMatch(f, re, `${f}: ${what} must not ship`);
    assert.deepEqual(entries.map((e) => e.name).filter((n) => !n.startsWith('extension/')).sort(), ['[Content_Types].xml', 'extension.vsixmanifest']);
  });

  it('nothing in it is flagged by the secret scanners (Keyway\'s rules, provider formats, and vsce\'s secretlint while packaging)', () => {
    const files = listed.map((f) => path.join(stage, f));
    const scanned = scanPaths(files, { rules: allRules.filter((r) => r.meta.id === 'hardcoded-secret'), config: { testFiles: [] } });
    assert.deepEqual(scanned.findings.map((f) => `${path.relative(stage, f.file)}:${f.range.start.line + 1} ${f.data?.kind}`), []);
    for (const f of files) {
      if (/\.png$/.test(f)) continue;
      const text = fs.readFileSync(f, 'utf8');
      const hits = findFormattedSecrets(text).map((m) => `${path.relative(stage, f)}@${m.start} ${m.kind}`);
      assert.deepEqual(hits, []);
    }
  });

  it(`fits the size budget: .vsix ≤ ${BUDGET.vsixBytes / 1048576} MB, ≤ ${BUDGET.unpackedBytes / 1048576} MB unpacked, ≤ ${BUDGET.vsixFiles} files`, function () {
    const entries = zipEntries(vsix);
    const size = fs.statSync(vsix).size;
    const unpacked = entries.reduce((n, e) => n + e.size, 0);
    const summary = `${(size / 1048576).toFixed(2)} MB .vsix, ${(unpacked / 1048576).toFixed(2)} MB unpacked, ${entries.length} files`;
    this.test!.title += ` (${summary})`;
    assert.ok(size <= BUDGET.vsixBytes, summary);
    assert.ok(unpacked <= BUDGET.unpackedBytes, summary);
    assert.ok(entries.length <= BUDGET.vsixFiles, summary);
  });

  it('package.json lists as dependencies only what the bundles require at run time and do not contain', () => {
    const external = new Set<string>();
    for (const f of fs.readdirSync(path.join(stage, 'dist')).filter((f) => f.endsWith('.js'))) {
      for (const id of externalRequires(path.join(stage, 'dist', f))) external.add(id);
    }
    // vscode is the host; the others are optional native helpers that their callers probe for inside try/catch.
    const optional = new Set(['vscode', '@aws-sdk/signature-v4-crt', '@aws-sdk/signature-v4a', 'aws-crt', 'source-map-support']);
    assert.deepEqual([...external].filter((id) => !optional.has(id)), [], 'every other module is bundled');
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      assert.ok(external.has(dep), `"${dep}" is bundled into dist/: list it in devDependencies, not dependencies`);
    }
  });

  it('the npm package installs offline into an empty folder and its keyway command scans and prints policies', function () {
    const packed = sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], stage);
    assert.equal(packed.code, 0, packed.stderr);
    const tgz = path.join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0].filename);
    const size = fs.statSync(tgz).size;
    this.test!.title += ` (${(size / 1048576).toFixed(2)} MB tarball)`;
    assert.ok(size <= BUDGET.npmTarballBytes, `${size} bytes`);
    for (const f of tarEntries(tgz)) {
      const rel = f.replace(/^package\//, '');
      for (const [re, what] of FORBIDDEN) assert.doesNotMatch(rel, re, `${rel}: ${what} must not be in the npm package`);
    }
    const app = path.join(work, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    const env = { ...process.env, npm_config_cache: path.join(work, 'npm-cache'), npm_config_update_notifier: 'false' };
    const inst = sh('npm', ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', tgz], app, env);
    assert.equal(inst.code, 0, `npm install --offline: ${inst.stderr}`);
    const installed = fs.readdirSync(path.join(app, 'node_modules')).filter((d) => !d.startsWith('.'));
    assert.deepEqual(installed, ['keyway'], 'nothing but keyway is installed');
    const bin = path.join(app, 'node_modules', '.bin', process.platform === 'win32' ? 'keyway.cmd' : 'keyway');
    const version = sh(bin, ['--version'], app);
    assert.equal(version.stdout.trim(), pkg.version, version.stderr);
    const project = path.join(fixturesDir, 'scan', 'project');
    const scan = sh(bin, ['scan', project, '--format', 'json'], app);
    assert.equal(scan.code, 1, scan.stderr);
    assert.ok((JSON.parse(scan.stdout) as { findings: unknown[] }).findings.length > 0);
    const policy = sh(bin, ['policy', path.join(fixturesDir, 'iam')], app);
    assert.ok(policy.code === 0 || policy.code === 1, policy.stderr);
    // The AWS layer and the fixes' type-checker load from the installed package too.
    for (const b of ['aws.js', 'typecheck.js']) {
      const r = sh(process.execPath, ['-e', `require(${JSON.stringify(path.join(app, 'node_modules', 'keyway', 'dist', b))})`], app);
      assert.equal(r.code, 0, `${b}: ${r.stderr}`);
    }
  });
});
