import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { collectFiles, scanPaths } from '../../../src/core/scan';
import { decodeText, FsProjectContext, looksMinified, readForAnalysis } from '../../../src/core/scan/files';
import { DEFAULT_CONFIG, type Rule } from '../../../src/core/types';
import { fixturesDir } from '../../support/paths';

/** A test rule independent of the real rules: reports every string literal containing MARKER, and MARKER lines in documents. */
const MARKER = 'KEYWAY_MARK';
const markerRule: Rule = {
  meta: { id: 'hardcoded-secret', title: 'marker', defaultSeverity: 'warning', description: 'test marker' },
  source(ctx) {
    return {
      visit(node) {
        if (node.kind !== ts.SyntaxKind.StringLiteral) return;
        const s = node as ts.StringLiteral;
        if (s.text.includes(MARKER)) {
          ctx.report({ message: 'marker found', range: { start: ctx.positionAt(s.getStart()), end: ctx.positionAt(s.getEnd()) } });
        }
      },
    };
  },
  document(ctx) {
    const i = ctx.text.indexOf(MARKER);
    if (i >= 0) ctx.report({ message: 'marker found', range: { start: ctx.positionAt(i), end: ctx.positionAt(i + MARKER.length) } });
  },
};

function write(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
}

const mark = `export const x = "${MARKER}";\n`;

describe('scanner', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-scan-'));
    fs.mkdirSync(path.join(root, '.git', 'info'), { recursive: true });
    fs.writeFileSync(path.join(root, '.git', 'info', 'exclude'), 'excluded-by-git-info.ts\n');
    const longLine = 'var a' + '=1,a'.repeat(400) + ';\n';
    write(root, {
      '.gitignore': 'secret-notes.ts\n/generated/\n*.log.ts\n!keep.log.ts\nlib/*\n!lib/kept.ts\n',
      '.keywayignore': 'legacy/\n',
      '.keywayrc.json': JSON.stringify({ ignore: ['config-ignored/**'], maxFileSize: 4096 }),
      'src/handler.ts': mark,
      'src/util.js': 'module.exports = 1;\n',
      'src/readme.md': `# ${MARKER}\n`, // other text: read (provider formats and named values), so its marker counts
      'src/data.csv': `${MARKER}\n`, // not analysed: unsupported type, not counted
      'src/types.d.ts': `declare const x: "${MARKER}";\n`, // declaration files are not analysed
      'src/secret-notes.ts': mark,
      'src/a.log.ts': mark,
      'src/keep.log.ts': mark,
      'lib/dropped.ts': mark,
      'lib/kept.ts': mark,
      'generated/x.ts': mark,
      'nested/.gitignore': 'local-only.ts\n!root-negated.ts\n',
      'nested/local-only.ts': mark,
      'nested/ok.ts': mark,
      'local-only.ts': mark, // nested/.gitignore does not apply here
      'legacy/old.ts': mark,
      'config-ignored/x.ts': mark,
      'excluded-by-git-info.ts': mark,
      'node_modules/pkg/index.js': mark,
      'dist/bundle.js': mark,
      'cdk.out/asset.js': mark,
      'packages/a/build/out.js': mark,
      'vendor/lib.min.js': mark,
      'vendor/bundled.js': longLine.repeat(2),
      'big/huge.ts': '// filler line\n'.repeat(400) + mark,
      'bin/blob.js': Buffer.from([0x63, 0x6f, 0, 0x6e, 0x73, 0x74]),
      'infra/serverless.yml': `provider:\n  environment:\n    A: ${MARKER}\n`,
      'infra/.env': `TOKEN=${MARKER}\n`,
      'enc/utf16.ts': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(mark, 'utf16le')]),
      'enc/latin1.ts': Buffer.concat([Buffer.from('// caf'), Buffer.from([0xe9]), Buffer.from('\n' + mark)]),
      'deps/package.json': JSON.stringify({ dependencies: { '@aws-lambda-powertools/parameters': '1' }, devDependencies: { zod: '3' } }),
      'deps/src/x.ts': 'export {};\n',
    });
  });
  after(() => { fs.rmSync(root, { recursive: true, force: true }); });

  const filesWithFindings = (r: ReturnType<typeof scanPaths>) =>
    [...new Set(r.findings.map((f) => path.relative(root, f.file).split(path.sep).join('/')))].sort();

  it('analyses what it should and skips the rest, with counts by reason', () => {
    const progress: number[] = [];
    const r = scanPaths([root], { rules: [markerRule], onProgress: (p) => progress.push(p.done) });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(filesWithFindings(r), [
      'big/huge.ts', // over the size limit: fast pass (the marker rule's document hook reads the text)
      'enc/latin1.ts', 'enc/utf16.ts', 'infra/.env', 'infra/serverless.yml', 'lib/kept.ts', 'local-only.ts',
      'nested/ok.ts', 'src/handler.ts', 'src/keep.log.ts', 'src/readme.md',
      'vendor/lib.min.js', // minified: fast pass
    ]);
    const skipped = Object.fromEntries(r.filesSkipped.map((s) => [s.reason, s.count]));
    assert.deepEqual(skipped, {
      // secret-notes, a.log, lib/dropped, nested/local-only, config-ignored/x, excluded-by-git-info
      'ignored': 5 + 1,
      'ignored-directory': 2, // generated/, legacy/
      'excluded-directory': 5, // .git, node_modules, dist, cdk.out, packages/a/build (none tracked by git)
      'binary': 1,
      'unsupported': 5, // .gitignore, .keywayignore, nested/.gitignore, src/data.csv, src/types.d.ts: no reader, counted
    });
    // .keywayrc.json itself, package.json, and every analysed source/document; the minified file and the one over
    // the config's 4096 bytes are read with the fast pass; vendor/bundled.js (6 KB of long lines) is fully analysed
    assert.equal(r.filesScanned, 9 + 4 + 3 + 1);
    const read = Object.fromEntries(r.filesRead.map((x) => [x.kind, x.count]));
    assert.equal(read.minified, 1);
    assert.equal(read.oversized, 1);
    assert.equal(r.ignore.mode, 'ignore-files', 'the fake .git folder is no work tree git accepts');
    assert.equal(progress.length, r.filesScanned + 1);
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b));
    assert.equal(r.configFile, path.join(root, '.keywayrc.json'));
  });

  it('reports findings at the right place with the path as given', () => {
    const r = scanPaths([path.join(root, 'src')], { rules: [markerRule] });
    const f = r.findings.find((x) => x.file.endsWith('handler.ts'));
    assert.ok(f);
    assert.equal(f.file, path.join(root, 'src', 'handler.ts'));
    assert.deepEqual(f.range.start, { line: 0, character: 17 });
  });

  it('applies the repository .gitignore when scanning a sub-folder', () => {
    const r = scanPaths([path.join(root, 'src')], { rules: [markerRule] });
    assert.deepEqual(filesWithFindings(r), ['src/handler.ts', 'src/keep.log.ts', 'src/readme.md']);
  });

  it('gitignore: false ignores .gitignore but not .keywayignore', () => {
    const r = scanPaths([root], { rules: [markerRule], gitignore: false });
    const files = filesWithFindings(r);
    assert.ok(files.includes('src/secret-notes.ts'));
    assert.ok(files.includes('generated/x.ts'));
    assert.ok(!files.includes('legacy/old.ts'));
  });

  it('the maxFileSize option overrides the configuration', () => {
    const r = scanPaths([path.join(root, 'big')], { rules: [markerRule], maxFileSize: 1 << 20 });
    assert.equal(r.findings.length, 1);
    // over the limit: no full analysis, the fast provider-key pass only (the marker rule's document hook sees the text)
    const r2 = scanPaths([path.join(root, 'src')], { rules: [markerRule], maxFileSize: 10 });
    assert.ok(r2.filesRead.some((s) => s.kind === 'oversized' && s.count >= 2));
    assert.ok(!r2.filesSkipped.some((s) => s.reason === 'too-large'));
  });

  it('scans an explicitly named file, even in an excluded folder', () => {
    const r = scanPaths([path.join(root, 'node_modules', 'pkg', 'index.js')], { rules: [markerRule] });
    assert.equal(r.findings.length, 1);
    assert.equal(r.filesScanned, 1);
  });

  it('does not scan an explicitly named gitignored file', () => {
    const r = scanPaths([path.join(root, 'src', 'secret-notes.ts')], { rules: [markerRule] });
    assert.equal(r.findings.length, 0);
    assert.deepEqual(r.filesSkipped, [{ reason: 'ignored', count: 1 }]);
  });

  it('counts each file once when paths overlap', () => {
    const r = scanPaths([path.join(root, 'src'), path.join(root, 'src', 'handler.ts')], { rules: [markerRule] });
    assert.equal(r.findings.filter((f) => f.file.endsWith('handler.ts')).length, 1);
  });

  it('reports a missing path as an error, without throwing', () => {
    const r = scanPaths([path.join(root, 'nope')], { rules: [markerRule] });
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0].message, /no such file or folder/);
    assert.equal(r.filesScanned, 0);
  });

  it('reports an invalid configuration as errors and scans with the valid parts', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-badrc-'));
    try {
      write(dir, { '.keywayrc.json': '{"rules":{"nope":"error"}}', 'a.ts': mark });
      const r = scanPaths([dir], { rules: [markerRule] });
      assert.equal(r.errors.length, 1);
      assert.match(r.errors[0].message, /"rules\.nope": unknown rule id/);
      assert.equal(r.findings.length, 1);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('config rules "off" disables a rule, a severity overrides it', () => {
    const off = scanPaths([path.join(root, 'src')], { rules: [markerRule], config: { rules: { 'hardcoded-secret': 'off' } } });
    assert.equal(off.findings.length, 0);
    const err = scanPaths([path.join(root, 'src')], { rules: [markerRule], config: { rules: { 'hardcoded-secret': 'error' } } });
    assert.ok(err.findings.length > 0 && err.findings.every((f) => f.severity === 'error'));
  });

  it('a rule that throws is reported, not fatal', () => {
    const boom: Rule = { meta: { ...markerRule.meta, id: 'secret-in-env' }, source: () => ({ visit() { throw new Error('boom'); } }) };
    const r = scanPaths([path.join(root, 'src')], { rules: [boom, markerRule] });
    assert.ok(r.errors.some((e) => /rule secret-in-env failed: boom/.test(e.message)));
    assert.ok(r.findings.length > 0);
  });

  it('collectFiles lists the files in a stable order', () => {
    const a = collectFiles([root], { config: DEFAULT_CONFIG }).files.map((f) => f.path);
    const b = collectFiles([root], { config: DEFAULT_CONFIG }).files.map((f) => f.path);
    assert.deepEqual(a, b);
    assert.ok(a.length > 5);
  });

  it('works on the checked-in fixture tree', () => {
    const r = scanPaths([path.join(fixturesDir, 'scan')], { rules: [markerRule] });
    assert.deepEqual(r.errors, []);
    assert.ok(r.filesScanned >= 3);
  });
});

describe('file reading', () => {
  it('decodes UTF-8 with BOM, UTF-16 LE/BE with BOM, latin1, and flags binary', () => {
    assert.deepEqual(decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x61])), { text: 'a', encoding: 'utf8-bom' });
    assert.deepEqual(decodeText(Buffer.from([0xff, 0xfe, 0x61, 0x00, 0x62, 0x00])), { text: 'ab', encoding: 'utf16le' });
    assert.deepEqual(decodeText(Buffer.from([0xfe, 0xff, 0x00, 0x61, 0x00, 0x62])), { text: 'ab', encoding: 'utf16be' });
    assert.deepEqual(decodeText(Buffer.from([0x63, 0x61, 0x66, 0xe9])), { text: 'café', encoding: 'latin1' });
    assert.deepEqual(decodeText(Buffer.from('café', 'utf8')), { text: 'café', encoding: 'utf8' });
    assert.equal(decodeText(Buffer.from([0x61, 0x00, 0x62])), undefined);
    // odd byte count after a UTF-16 BOM: the dangling byte is dropped, no throw
    assert.equal(decodeText(Buffer.from([0xff, 0xfe, 0x61, 0x00, 0x62]))?.text, 'a');
  });

  it('reads a file whole within the size limit: empty, exactly at it, one byte over, large, binary, surrogates, gone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-read-'));
    try {
      const file = (name: string, data: string | Buffer) => { const p = path.join(dir, name); fs.writeFileSync(p, data); return p; };
      assert.deepEqual(readForAnalysis(file('empty.ts', ''), 10), { ok: true, text: '', encoding: 'utf8', size: 0 });
      assert.deepEqual(readForAnalysis(file('at.ts', 'x'.repeat(10)), 10), { ok: true, text: 'x'.repeat(10), encoding: 'utf8', size: 10 });
      assert.deepEqual(readForAnalysis(file('over.ts', 'x'.repeat(11)), 10), { ok: false, reason: 'too-large' });
      const big = 'const a = "\u00e9\u4e2d";\n'.repeat(40_000); // > 1 MB of UTF-8, several reads
      const r = readForAnalysis(file('big.ts', big), 4 * 1024 * 1024);
      assert.ok(r.ok && r.text === big && r.encoding === 'utf8' && r.size === Buffer.byteLength(big));
      assert.deepEqual(readForAnalysis(file('bin.dat', Buffer.from([0x61, 0x00, 0x62])), 10), { ok: false, reason: 'binary' });
      // An encoded lone surrogate is not UTF-8: the file is read as Latin-1, as before.
      const lone = readForAnalysis(file('lone.ts', Buffer.from([0x61, 0xed, 0xa0, 0x80])), 10);
      assert.ok(lone.ok && lone.encoding === 'latin1' && lone.text === 'a\u00ed\u00a0\u0080');
      assert.deepEqual(readForAnalysis(path.join(dir, 'missing.ts'), 10), { ok: false, reason: 'unreadable', message: 'ENOENT' });
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('detects minified code by name and by line length', () => {
    assert.equal(looksMinified('a.min.js', 'x'), true);
    assert.equal(looksMinified('a-min.mjs', 'x'), true);
    assert.equal(looksMinified('a.js', 'const a = 1;\n'.repeat(200)), false);
    assert.equal(looksMinified('a.js', 'a=1;'.repeat(10_000)), true);
    // a small one-line file is still hand-written code: fully analysed (it once hid a live key as "minified")
    assert.equal(looksMinified('handler.ts', 'export const k = 1;'.repeat(300)), false);
  });

  it('FsProjectContext reads files with a cache and finds the nearest package.json dependencies', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-proj-'));
    try {
      write(dir, {
        'package.json': JSON.stringify({ dependencies: { a: '1' }, devDependencies: { b: '1' }, peerDependencies: { c: '1' } }),
        'src/deep/x.ts': 'one',
        'pkg/package.json': '{ not json',
        'pkg/y.ts': '',
      });
      const p = new FsProjectContext();
      const x = path.join(dir, 'src', 'deep', 'x.ts');
      assert.equal(p.readFile(x), 'one');
      fs.writeFileSync(x, 'two');
      assert.equal(p.readFile(x), 'one', 'cached');
      assert.equal(p.readFile(path.join(dir, 'missing.ts')), undefined);
      assert.deepEqual([...p.dependenciesOf(x)].sort(), ['a', 'b']);
      assert.deepEqual([...p.dependenciesOf(path.join(dir, 'pkg', 'y.ts'))], []);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });
});
