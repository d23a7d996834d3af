// Golden tests for every Lambda fix: apply the preferred fix to input.* and compare with expected.*;
// the fixed file must no longer trigger the rule, and every TypeScript output must type-check
// (with the `typescript` package itself, whose lib files are on disk).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { analyzeText } from '../../../src/core/analyzer';
import { applyEdits } from '../../../src/core/fixes/apply';
import { selectFixes } from '../../../src/core/fixAll';
import { lambdaRules } from '../../../src/core/rules/lambda';
import type { KeywayConfig, ParameterKind, RuleId } from '../../../src/core/types';
import { fixturesDir, repoRoot } from '../../support/paths';
import { memoryProject } from './helpers';

interface Case {
  rule: RuleId;
  input: string;
  expected: string;
  /** 1-based line of the finding to fix (default: the first finding of the rule). */
  line?: number;
  deps?: string[];
  config?: Partial<KeywayConfig>;
  kinds?: Record<string, ParameterKind>;
  /** Findings of the rule expected to remain after this one fix (other fetches a one-fetch fix leaves). Default 0. */
  remaining?: number;
}

const root = path.join(fixturesDir, 'lambda', 'fixes');
const cases = fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, 'case.json'))).sort();
const update = process.env.UPDATE_GOLDEN === '1';

function analyze(name: string, text: string, c: Case) {
  return analyzeText(`src/${name}`, text, {
    rules: lambdaRules,
    project: memoryProject({}, c.deps),
    config: c.config,
    parameterKind: c.kinds ? (n) => c.kinds![n] : undefined,
    onRuleError: (id, e) => { throw new Error(`${id}: ${String(e)}`); },
  });
}

describe('Lambda fixes (golden files)', () => {
  assert.ok(cases.length >= 8, 'golden cases present');
  const tsOutputs: string[] = [];

  for (const dir of cases) {
    const c: Case = JSON.parse(fs.readFileSync(path.join(root, dir, 'case.json'), 'utf8'));
    const inputPath = path.join(root, dir, c.input);
    const expectedPath = path.join(root, dir, c.expected);
    if (/\.[cm]?tsx?$/.test(c.expected)) tsOutputs.push(expectedPath);

    it(`${dir}: ${c.rule} fix matches ${c.expected}`, () => {
      const input = fs.readFileSync(inputPath, 'utf8');
      const findings = analyze(c.input, input, c).filter((f) => f.ruleId === c.rule);
      const target = c.line ? findings.find((f) => f.range.start.line + 1 === c.line) : findings[0];
      assert.ok(target, `a ${c.rule} finding in ${dir}`);
      const fix = target.fixes.find((f) => f.isPreferred);
      assert.ok(fix, `a preferred fix for ${c.rule} in ${dir}`);
      // `keyway scan --fix` accepts it (no self-overlap, no two insertions at one point).
      assert.deepEqual(selectFixes(input, [target]), [fix], 'the fix is applicable by fix-all');
      const output = applyEdits(input, fix.edits);
      if (update) fs.writeFileSync(expectedPath, output);
      assert.equal(output, fs.readFileSync(expectedPath, 'utf8'));
      // The fixed file no longer has the problem.
      const after = analyze(c.input, output, c).filter((f) => f.ruleId === c.rule);
      assert.equal(after.length, c.remaining ?? 0, `${c.rule} findings left after the fix:\n${after.map((f) => f.message).join('\n')}`);
      assert.ok(!after.some((f) => f.range.start.line === target.range.start.line && f.message === target.message), 'the fixed finding is gone');
    });
  }

  it('every TypeScript golden output type-checks against the real AWS SDK types', function () {
    this.timeout(60_000);
    const stubs = path.join(fixturesDir, 'lambda', 'types', 'powertools-parameters.d.ts');
    const program = ts.createProgram([...tsOutputs, stubs], {
      noEmit: true, strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10, lib: ['lib.es2022.d.ts'], types: ['node'], skipLibCheck: true,
      esModuleInterop: true, typeRoots: [path.join(repoRoot, 'node_modules', '@types')],
    });
    const problems: string[] = [];
    for (const file of tsOutputs) {
      const sf = program.getSourceFile(file);
      assert.ok(sf, file);
      for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
        const pos = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : undefined;
        problems.push(`${path.relative(root, file)}:${pos ? pos.line + 1 : '?'}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('every JavaScript golden output parses', () => {
    for (const dir of cases) {
      const c: Case = JSON.parse(fs.readFileSync(path.join(root, dir, 'case.json'), 'utf8'));
      if (!/\.[cm]?jsx?$/.test(c.expected)) continue;
      const text = fs.readFileSync(path.join(root, dir, c.expected), 'utf8');
      const out = ts.transpileModule(text, { reportDiagnostics: true, fileName: c.expected, compilerOptions: { allowJs: true } });
      assert.deepEqual((out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), [], dir);
    }
  });
});
