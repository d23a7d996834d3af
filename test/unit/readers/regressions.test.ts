// Inputs found by `npm run fuzz` that once hung or crashed a reader, kept as regressions.
import * as assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analyzer';
import { parseHcl } from '../../../src/core/iac/hcl';
import { readDocument } from '../../../src/core/readers';
import { allRules } from '../../../src/core/rules';

describe('readers: fuzz regressions', () => {
  it('seed 20261204 #7315: the JSON fallback on a 37 KB line of word characters is linear (took 4.2 s)', () => {
    // A mutated policy.json whose one line repeated a slice of JS: the unquoted-key alternative was tried at every
    // position inside long runs of word characters.
    const text = '{ "Version": "2012-10-17", ' + 'const client = new SecretsManagerClient'.repeat(1000) + ' x';
    const t0 = performance.now();
    const d = readDocument('json', text, 'policy.json');
    const problems: string[] = [];
    analyzeText('policy.json', text, { onParseError: (p) => problems.push(p.message) });
    assert.ok(performance.now() - t0 < 1000, `took ${(performance.now() - t0).toFixed(0)} ms`);
    assert.equal(d.fallback, 'key-value-pairs');
    assert.equal(problems.length, 1, 'reported, never silent');
    const words = 'a'.repeat(40_000) + ':' + 'b'.repeat(40_000);
    const t1 = performance.now();
    readDocument('json', words, 'x.json');
    assert.ok(performance.now() - t1 < 1000);
  });

  it('fuzz seed 0x6b657977 #207: HCL with a stray "]" inside an object ends (looped forever)', () => {
    const text = 'a = {\n b = "x\n ]\n }\n';
    const t0 = performance.now();
    const r = parseHcl(text);
    assert.ok(performance.now() - t0 < 500);
    assert.ok(r.errors.length >= 1);
    const f = analyzeText('main.tf', 'resource "x" "y" {\n  env = {\n    KEY = "v\n  ]\n  }\n}\n', { onParseError: () => undefined });
    assert.ok(Array.isArray(f));
  });

  it('fuzz seed 20261204 #6451: secret-in-env on a handler with thousands of process.env reads is linear (took 5 s)', () => {
    const reads = Array.from({ length: 3000 }, (_, i) => `  const k${i} = process.env.API_TOKEN_${i % 50};`).join('\n');
    const text = `exports.handler = async (event, context) => {\n${reads}\n  return k1;\n};\n`;
    const t0 = performance.now();
    const f = analyzeText('app.js', text, { rules: allRules.filter((r) => r.meta.id === 'secret-in-env') });
    assert.ok(performance.now() - t0 < 2000, `took ${(performance.now() - t0).toFixed(0)} ms`);
    assert.ok(f.some((x) => x.ruleId === 'secret-in-env'));
  });
});
