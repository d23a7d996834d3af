// Robustness and walk guarantees of the analysis engine (src/core/analyzer.ts).
import * as assert from 'node:assert/strict';
import { ts } from 'ts-morph';
import { analyzeText, bracketImbalance, MAX_BRACKET_IMBALANCE } from '../../../src/core/analyzer';
import type { Rule } from '../../../src/core/types';
import { lexicalStrings } from '../../../src/core/secrets/lexical';
import { FAKE } from '../secrets/fakes';

describe('analysis engine', () => {
  it('bracketImbalance ignores brackets in strings, templates, comments and regex literals', () => {
    const code = [
      "const a = '(((' + \"[[[\" + `{{{ ${ f({ x: [1] }) } }}}`;",
      '// ((((( comment',
      '/* {{{{ block */',
      'const re = /[(]{2}\\/[^)]+/g; const d = a / b / (c);',
      'if (x) { return /}/.test(y) ? z! / 2 : (w); }',
      'const t = `a${`b${c}`}d`;',
    ].join('\n');
    assert.equal(bracketImbalance(code), 0);
  });

  it('bracketImbalance counts unclosed and mismatched brackets', () => {
    assert.equal(bracketImbalance('f((('), 3);
    assert.equal(bracketImbalance('a)]}'), 3);
    assert.equal(bracketImbalance('{ ( }'), 3); // two unclosed, one mismatched
  });

  it('does not hang on code that makes TypeScript backtrack exponentially', () => {
    // 30 unclosed `x = async function (e) {` take TypeScript's parser minutes; the engine declines quickly.
    const text = 'x = async function (e) {'.repeat(30);
    assert.ok(bracketImbalance(text) > MAX_BRACKET_IMBALANCE);
    const errors: string[] = [];
    const t0 = performance.now();
    const r = analyzeText('a.ts', text, { onRuleError: (id, e) => errors.push(`${id}: ${(e as Error).message}`) });
    assert.ok(performance.now() - t0 < 500);
    assert.deepEqual(r, []);
    assert.match(errors[0], /^parse: not parsed: \d+ unclosed or mismatched brackets \(read with fallback: string-literal-tokens\)$/);
  });

  it('source the parser cannot take still gets its hardcoded secrets, from the token stream', () => {
    const secret = `const stripe = '${FAKE.stripeLive}';\nconst password = 'Qx8vLm2Kp9Zt4';\nconst label = 'Password';\n`;
    const cases: [string, string][] = [
      ['too many unclosed brackets', 'x = async function (e) {'.repeat(30) + '\n' + secret],
      ['nesting that overflows the parser', secret + 'const deep = ' + '['.repeat(60000) + ']'.repeat(60000) + ';\n'],
    ];
    for (const [what, text] of cases) {
      const errors: string[] = [];
      const t0 = performance.now();
      const r = analyzeText('a.ts', text, { onRuleError: (id) => errors.push(id) });
      assert.ok(performance.now() - t0 < 5000, what);
      assert.deepEqual(errors.filter((e) => e !== 'parse'), [], what);
      assert.ok(errors.includes('parse'), what);
      assert.deepEqual(r.map((f) => [f.ruleId, f.range.start.line, f.data?.kind, f.data?.name]), [
        ['hardcoded-secret', text.split('\n').findIndex((l) => l.includes('stripe =')), 'stripe-secret-key', 'stripe'],
        ['hardcoded-secret', text.split('\n').findIndex((l) => l.includes('password =')), 'password', 'password'],
      ], what);
      assert.ok(r.every((f) => !f.message.includes(FAKE.stripeLive) && !f.message.includes('Qx8vLm2Kp9Zt4')));
    }
  });

  it('the token stream keeps templates, regular expressions and JSX apart from string literals', () => {
    const text = "const re = /'/g; const t = `a${ `b${c}` }'d'`; const k = { \"apiKey\": 'v1', token: `t2` }; f(x / 2, '3');";
    assert.deepEqual(lexicalStrings(text, false).map((s) => [s.value, s.name ?? '']), [
      ['a', 't'], ['b', ''], ['apiKey', ''], ['v1', 'apiKey'], ['t2', 'token'], ['3', ''],
    ]);
  });

  it('still analyses files with a few unclosed brackets (code being typed)', () => {
    const seen: string[] = [];
    const rule: Rule = {
      meta: { id: 'hardcoded-secret', title: 't', defaultSeverity: 'warning', description: 't' },
      source: () => ({ visit(n) { if (n.kind === ts.SyntaxKind.Identifier) seen.push((n as ts.Identifier).text); } }),
    };
    analyzeText('a.ts', 'function f() {\n  const apiKey = g(\n', { rules: [rule] });
    assert.ok(seen.includes('apiKey'));
  });

  it('visits every node once in pre-order with parent pointers set, JSDoc included', () => {
    const text = '/** Doc {@link X} */\nexport function f(a: number) { return [a, { b: a + 1 }]; }\nclass C { m() {} }\n';
    const order: ts.Node[] = [];
    let parentsOk = true;
    const rule: Rule = {
      meta: { id: 'hardcoded-secret', title: 't', defaultSeverity: 'warning', description: 't' },
      source(ctx) {
        return {
          visit(n) {
            order.push(n);
            if (n !== ctx.sourceFile && !n.parent) parentsOk = false;
            n.getText(); // needs the parent chain up to the source file
          },
          finish() {
            const fn = ctx.sourceFile.statements[0];
            const doc = (fn as unknown as { jsDoc: ts.Node[] }).jsDoc[0];
            assert.equal(doc.parent, fn);
            assert.equal(doc.getText(), '/** Doc {@link X} */');
          },
        };
      },
    };
    const errors: unknown[] = [];
    analyzeText('a.ts', text, { rules: [rule], onRuleError: (_id, e) => errors.push(e) });
    assert.deepEqual(errors, []);
    assert.ok(parentsOk);
    // reference: a recursive pre-order walk
    const ref: ts.SyntaxKind[] = [];
    const sf = ts.createSourceFile('a.ts', text, ts.ScriptTarget.Latest, true);
    const walk = (n: ts.Node) => { ref.push(n.kind); ts.forEachChild(n, walk); };
    walk(sf);
    assert.deepEqual(order.map((n) => n.kind), ref);
  });

  it('a visitor that throws stops only itself', () => {
    let other = 0;
    const bad: Rule = { meta: { id: 'secret-in-env', title: 'b', defaultSeverity: 'warning', description: 'b' }, source: () => ({ visit() { throw new Error('boom'); } }) };
    const good: Rule = { meta: { id: 'hardcoded-secret', title: 'g', defaultSeverity: 'warning', description: 'g' }, source: () => ({ visit() { other++; } }) };
    const errors: string[] = [];
    analyzeText('a.ts', 'const a = 1; const b = 2;', { rules: [bad, good], onRuleError: (id) => errors.push(id) });
    assert.deepEqual(errors, ['secret-in-env']);
    assert.ok(other > 5);
  });

  it('never throws on 10,000-deep nesting (the parser overflows; the engine reports it)', () => {
    const errors: string[] = [];
    assert.deepEqual(analyzeText('a.ts', '('.repeat(10_000) + '1' + ')'.repeat(10_000), { onRuleError: (id) => errors.push(id) }), []);
    assert.deepEqual(errors, ['parse']);
  });
});
