// The fix corpus, fixed as `keyway scan --fix` fixes it: every file parses, type-checks no worse than before (with
// the project's strict tsconfig.json, checked by the `typescript` package — another compiler than the one the
// fixes are verified with), declares no name twice, keeps no finding a fix was offered for, and fixing it again
// changes nothing. test/aws/fix-corpus.test.ts runs the same fixed files against moto.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { quickCheck } from '../../../src/core/fixes/verify';
import { fixText } from '../../../src/core/fixAll';
import { FsProjectContext } from '../../../src/core/scan';
import { documentKind } from '../../../src/core/analyzer';
import { recordMetric } from '../../support/metrics';
import { artifactsDir, fixturesDir, repoRoot } from '../../support/paths';
import { copyCorpus, corpusNames, fixCorpus, fixKind, type CorpusFile } from '../../support/fixCorpus';

const FIXABLE = new Set(['uncached-fetch', 'client-in-handler', 'missing-decryption', 'sequential-fetch']);

/** Diagnostics of the TypeScript files under `dir` with its tsconfig.json, by file name, as "code message". */
function typeDiagnostics(dir: string): Map<string, string[]> {
  const cfg = ts.readConfigFile(path.join(dir, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(cfg.config, ts.sys, dir);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  const out = new Map<string, string[]>();
  for (const f of parsed.fileNames) {
    const sf = program.getSourceFile(f)!;
    out.set(path.relative(dir, f).split(path.sep).join('/'), [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]
      .map((d) => `TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`));
  }
  return out;
}

/** The diagnostics of `after` that `before` does not have (as many times). */
function worse(before: string[], after: string[]): string[] {
  const left = [...before];
  return after.filter((d) => {
    const i = left.indexOf(d);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

describe('fix corpus: every fix on real handler shapes', function () {
  this.timeout(180_000);
  let files: CorpusFile[] = [];
  let fixedDir = '';
  let originalDir = '';

  before(() => {
    originalDir = copyCorpus('unit-original');
    files = fixCorpus(originalDir);
    fixedDir = copyCorpus('unit-fixed');
    for (const f of files) fs.writeFileSync(path.join(fixedDir, f.name), f.fixed);
  });

  it('has at least 40 handler files, in every module system and language', () => {
    const names = corpusNames();
    assert.ok(names.length >= 40, `${names.length} files`);
    for (const ext of ['.ts', '.mjs', '.cjs', '.js']) assert.ok(names.some((n) => n.endsWith(ext)), `a ${ext} file`);
  });

  it('fixes every file, with no failed fix and no fixable finding left', () => {
    const problems: string[] = [];
    for (const f of files) {
      if (f.fixed === f.original) problems.push(`${f.name}: not changed`);
      for (const x of f.result.failed) problems.push(`${f.name}:${x.line} ${x.ruleId}: ${x.reason}`);
      for (const x of f.result.remaining) if (FIXABLE.has(x.ruleId)) problems.push(`${f.name}:${x.range.start.line + 1} ${x.ruleId} left: ${x.message}`);
    }
    assert.deepEqual(problems, []);
  });

  it('each fixed file parses and declares no name twice', () => {
    const problems: string[] = [];
    for (const f of files) {
      const why = quickCheck(f.path, f.original, f.fixed);
      if (why) problems.push(`${f.name}: ${why}`);
      const out = ts.transpileModule(f.fixed, { reportDiagnostics: true, fileName: path.basename(f.name), compilerOptions: { allowJs: true } });
      for (const d of out.diagnostics ?? []) problems.push(`${f.name}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    }
    assert.deepEqual(problems, []);
  });

  it('each fixed TypeScript file type-checks no worse than before (strict tsconfig.json)', () => {
    const before = typeDiagnostics(originalDir);
    const after = typeDiagnostics(fixedDir);
    assert.ok(before.size >= 20, `${before.size} TypeScript files checked`);
    const problems: string[] = [];
    for (const [name, diags] of after) for (const d of worse(before.get(name) ?? [], diags)) problems.push(`${name}: ${d}`);
    assert.deepEqual(problems, []);
    // The corpus itself is clean, so "no worse" means "no error".
    assert.deepEqual([...before].filter(([, d]) => d.length).map(([n, d]) => `${n}: ${d[0]}`), []);
  });

  it('fixing a fixed file again changes nothing (idempotent)', () => {
    const project = new FsProjectContext();
    const changed = files.filter((f) => fixText(path.join(fixedDir, f.name), f.fixed, { project }).text !== f.fixed).map((f) => f.name);
    assert.deepEqual(changed, []);
  });

  it('every kind of fix ran on the corpus (counts per kind recorded)', () => {
    const byKind = new Map<string, Set<string>>();
    for (const f of files) {
      for (const a of f.result.appliedFixes) {
        const k = fixKind(a.title);
        if (!byKind.has(k)) byKind.set(k, new Set());
        byKind.get(k)!.add(f.name);
      }
    }
    const counts = Object.fromEntries([...byKind].map(([k, s]) => [k, s.size]).sort());
    recordMetric('fix corpus: files per fix kind', JSON.stringify(counts));
    for (const k of ['cached loader (SDK)', 'cached loader (Powertools)', 'Powertools maxAge', 'keyed request cache', 'hoisted client', 'decryption', 'Promise.all']) {
      assert.ok((counts[k] ?? 0) >= 1, `${k} ran on no file: ${JSON.stringify(counts)}`);
    }
  });
});

describe('fix all on every fixture', function () {
  this.timeout(180_000);

  it('applying all fixes twice is a no-op, and no fix fails its checks', () => {
    // A copy outside test/ (test code is not handler code), with the example project beside it.
    const root = path.join(artifactsDir, 'fixtures-copy');
    fs.rmSync(root, { recursive: true, force: true });
    fs.cpSync(fixturesDir, path.join(root, 'fixtures'), { recursive: true });
    fs.cpSync(path.join(repoRoot, 'examples'), path.join(root, 'examples'), { recursive: true });
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) { if (e.name !== 'node_modules') walk(p); } else if (documentKind(p)) files.push(p);
      }
    };
    walk(root);
    const project = new FsProjectContext();
    const problems: string[] = [];
    let changed = 0;
    let applied = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const once = fixText(file, text, { project });
      applied += once.applied;
      for (const x of once.failed) problems.push(`${path.relative(root, file)}:${x.line} ${x.ruleId}: ${x.reason}`);
      if (once.text === text) continue;
      changed++;
      const twice = fixText(file, once.text, { project });
      if (twice.text !== once.text) problems.push(`${path.relative(root, file)}: a second fix all changed it again`);
    }
    recordMetric('fix all on every fixture: files fixed / fixes applied / files', `${changed} / ${applied} / ${files.length}`);
    assert.ok(changed >= 40, `${changed} fixture files had fixes`);
    assert.deepEqual(problems, []);
  });
});
