import * as assert from 'node:assert/strict';
import { ts } from 'ts-morph';
import { analyzeText, documentKind } from '../../../src/core/analyzer';
import { lineStarts, offsetAt, positionAt } from '../../../src/core/text';
import type { Rule } from '../../../src/core/types';

/** A test rule: reports every string literal equal to "flag-me". */
const flagRule: Rule = {
  meta: { id: 'hardcoded-secret', title: 't', defaultSeverity: 'warning', description: 'd' },
  source(ctx) {
    return {
      visit(node) {
        if (ts.isStringLiteral(node) && node.text === 'flag-me') {
          ctx.report({ message: 'found', range: { start: ctx.positionAt(node.getStart()), end: ctx.positionAt(node.getEnd()) } });
        }
      },
    };
  },
  document(ctx) {
    const i = ctx.text.indexOf('flag-me');
    if (i >= 0) ctx.report({ message: 'doc', range: { start: ctx.positionAt(i), end: ctx.positionAt(i + 7) } });
  },
};
const throwingRule: Rule = {
  meta: { id: 'uncached-fetch', title: 't', defaultSeverity: 'error', description: 'd' },
  source() { return { visit() { throw new Error('boom'); } }; },
};

describe('core engine', () => {
  it('visitors with kinds see only those nodes, in pre-order; finish sees the linked tree', () => {
    const seen: string[] = [];
    const all: number[] = [];
    let parentsInFinish = false;
    const kinds: Rule = {
      meta: { id: 'hardcoded-secret', title: 't', defaultSeverity: 'warning', description: 'd' },
      source() {
        return { kinds: [ts.SyntaxKind.StringLiteral, ts.SyntaxKind.CallExpression], visit(n) { seen.push(ts.SyntaxKind[n.kind] + ':' + n.getText()); } };
      },
    };
    const everything: Rule = {
      meta: { id: 'uncached-fetch', title: 't', defaultSeverity: 'warning', description: 'd' },
      source(ctx) {
        return {
          visit(n) { all.push(n.kind); },
          finish() { parentsInFinish = ctx.sourceFile.statements[0].getChildAt(0, ctx.sourceFile).parent === ctx.sourceFile.statements[0]; },
        };
      },
    };
    const none: Rule = {
      meta: { id: 'secret-in-env', title: 't', defaultSeverity: 'warning', description: 'd' },
      source() { return { kinds: [], visit() { throw new Error('no node was asked for'); } }; },
    };
    analyzeText('a.ts', "f('a', g('b'));\nconst x = 'c';", { rules: [kinds, everything, none] });
    assert.deepEqual(seen, ["CallExpression:f('a', g('b'))", "StringLiteral:'a'", "CallExpression:g('b')", "StringLiteral:'b'", "StringLiteral:'c'"]);
    assert.equal(all[0], ts.SyntaxKind.SourceFile);
    assert.ok(all.length > seen.length);
    assert.ok(parentsInFinish);
  });

  it('classifies paths by kind', () => {
    assert.equal(documentKind('a/b/handler.ts'), 'source');
    assert.equal(documentKind('x.mjs'), 'source');
    assert.equal(documentKind('x.cts'), 'source');
    assert.equal(documentKind('x.d.ts'), undefined);
    assert.equal(documentKind('serverless.yml'), 'yaml');
    assert.equal(documentKind('template.yaml'), 'yaml');
    assert.equal(documentKind('policy.json'), 'json');
    assert.equal(documentKind('.env'), 'env');
    assert.equal(documentKind('.env.production'), 'env');
    assert.equal(documentKind('README.md'), 'text');
    assert.equal(documentKind('logo.png'), undefined);
  });

  it('maps offsets and positions both ways, with CRLF and CR line ends', () => {
    const text = 'ab\r\ncd\ref\ngh';
    const starts = lineStarts(text);
    assert.deepEqual(starts, [0, 4, 7, 10]);
    assert.deepEqual(positionAt(starts, 5), { line: 1, character: 1 });
    assert.equal(offsetAt(starts, { line: 3, character: 1 }), 11);
  });

  it('runs a rule visitor over every node and reports 0-based ranges', () => {
    const f = analyzeText('h.ts', 'const a = 1;\nconst b = "flag-me";\n', { rules: [flagRule] });
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].range, { start: { line: 1, character: 10 }, end: { line: 1, character: 19 } });
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].file, 'h.ts');
  });

  it('applies configured severity and turns rules off', () => {
    const text = 'x("flag-me")';
    assert.equal(analyzeText('a.js', text, { rules: [flagRule], config: { rules: { 'hardcoded-secret': 'error' } } })[0].severity, 'error');
    assert.equal(analyzeText('a.js', text, { rules: [flagRule], config: { rules: { 'hardcoded-secret': 'off' } } }).length, 0);
  });

  it('honours keyway-ignore-next-line, for all rules or the named one', () => {
    const all = '// keyway-ignore-next-line\nx("flag-me")';
    const named = '// keyway-ignore-next-line hardcoded-secret\nx("flag-me")';
    const other = '// keyway-ignore-next-line uncached-fetch\nx("flag-me")';
    assert.equal(analyzeText('a.ts', all, { rules: [flagRule] }).length, 0);
    assert.equal(analyzeText('a.ts', named, { rules: [flagRule] }).length, 0);
    assert.equal(analyzeText('a.ts', other, { rules: [flagRule] }).length, 1);
  });

  it('routes YAML, JSON and .env documents to document rules', () => {
    assert.equal(analyzeText('serverless.yml', 'a: flag-me', { rules: [flagRule] })[0].message, 'doc');
    assert.equal(analyzeText('p.json', '{"a":"flag-me"}', { rules: [flagRule] }).length, 1);
    assert.equal(analyzeText('.env', 'A=flag-me', { rules: [flagRule] }).length, 1);
  });

  it('survives a throwing rule and reports the error to the caller', () => {
    const errors: string[] = [];
    const f = analyzeText('a.ts', 'x("flag-me")', { rules: [throwingRule, flagRule], onRuleError: (id) => errors.push(id) });
    assert.equal(f.length, 1);
    assert.deepEqual(errors, ['uncached-fetch']);
  });

  it('walks 400-deep nesting (as deep as the TypeScript parser goes) without recursion', () => {
    const deep = 'const x = ' + '['.repeat(400) + '"flag-me"' + ']'.repeat(400) + ';';
    assert.equal(analyzeText('deep.ts', deep, { rules: [flagRule] }).length, 1);
  });

  it('returns no findings instead of throwing when even the parser cannot cope (200,000-deep nesting)', () => {
    const deep = 'const x = ' + '['.repeat(200000) + '"flag-me"' + ']'.repeat(200000) + ';';
    const errors: string[] = [];
    assert.deepEqual(analyzeText('deep.ts', deep, { rules: [flagRule], onRuleError: (id) => errors.push(id) }), []);
    assert.deepEqual(errors, ['parse']);
  });
});
