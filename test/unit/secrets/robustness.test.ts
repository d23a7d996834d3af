import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../../../src/core/analyzer';
import { secretRules as secretFamily } from '../../../src/core/rules/secrets';
import { iamWildcardResource, sensitiveActionsOf } from '../../../src/core/rules/iam/iam-wildcard-resource';
import { classifySecret } from '../../../src/core/secrets';
import { FIX } from './helpers';

/** The secret rules and iam-wildcard-resource (which moved to the IAM family). */
const secretRules = [...secretFamily, iamWildcardResource];

/** Errors of these rules fail the test; the engine's own parse diagnostics (e.g. `parse`) are not ours to judge. */
const MINE = new Set(secretRules.map((r) => r.meta.id as string));

/** Small deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

const JUNK = ['!Ref', '!Sub', '{', '}', '[', ']', ':', '"', "'", '`', '${', '\n', '\t', '  ', '- ', '#', '\\', '\u0000', 'é', '{{resolve:', '*'];

function mutate(text: string, r: () => number): string {
  let t = text;
  const n = 1 + Math.floor(r() * 6);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (t.length + 1));
    const op = r();
    if (op < 0.4) t = t.slice(0, at) + JUNK[Math.floor(r() * JUNK.length)] + t.slice(at);
    else if (op < 0.7) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 20));
    else { const from = Math.floor(r() * t.length); t = t.slice(0, at) + t.slice(from, from + 40) + t.slice(at); }
  }
  return t;
}

describe('secret rules: robustness', () => {
  it('never throws on 1,500 mutated fixtures and stays under a per-file time bound', function () {
    this.timeout(60000);
    const files = fs.readdirSync(FIX);
    const r = rng(42);
    let worst = 0;
    for (let i = 0; i < 1500; i++) {
      const f = files[i % files.length];
      const text = mutate(fs.readFileSync(path.join(FIX, f), 'utf8'), r);
      const errors: unknown[] = [];
      const t0 = process.hrtime.bigint();
      analyzeText(f, text, { rules: secretRules, onRuleError: (id, e) => { if (MINE.has(id)) errors.push(e); } });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (i >= files.length) worst = Math.max(worst, ms); // the first round pays module warm-up
      assert.deepEqual(errors, [], `rule error on mutation ${i} of ${f}`);
    }
    assert.ok(worst < 1000, `slowest file took ${worst.toFixed(1)} ms`);
  });

  it('no catastrophic regex backtracking on adversarial values (every name kind, long letter runs, many wildcards)', () => {
    const values = [
      'dbSecret.secretValue.unsafeUnwrap()', 'ssm.StringParameter.valueForStringParameter(this',
      'a'.repeat(5000) + '!', 'aB'.repeat(3000) + '-1x', 'a-'.repeat(3000) + '1', 'x.'.repeat(3000), 'A'.repeat(100) + '.'.repeat(100) + '(',
      'postgres://' + 'a:'.repeat(3000), 'Password=' + ';'.repeat(3000), '-----BEGIN PRIVATE KEY-----' + 'A'.repeat(5000),
      'sk-' + 'a-'.repeat(3000), 'xoxb-' + '1-'.repeat(3000), '@' + 'a/'.repeat(3000), 'a/'.repeat(3000) + '.js+',
    ];
    for (const v of values) {
      for (const name of ['password', 'apiKey', 'DB_SECRET_VALUE', 'token', undefined]) {
        const t0 = process.hrtime.bigint();
        classifySecret(v, name);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        assert.ok(ms < 200, `${ms.toFixed(0)} ms for ${v.slice(0, 30)}… under ${name}`);
      }
    }
    const t0 = process.hrtime.bigint();
    assert.deepEqual(sensitiveActionsOf('*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b'), []);
    assert.ok(Number(process.hrtime.bigint() - t0) / 1e6 < 50);
  });

  it('deeply nested YAML, JSON and source do not crash', () => {
    const inputs: [string, string][] = [
      ['a.yaml', 'x: ' + '['.repeat(5000)],
      ['a.yaml', Array.from({ length: 600 }, (_, i) => ' '.repeat(i) + 'k:').join('\n')],
      ['a.yaml', 'x: ' + '['.repeat(90) + ']'.repeat(90)],
      ['a.json', '['.repeat(10000)],
      ['a.json', '{"a":'.repeat(200) + '1' + '}'.repeat(200)],
      ['a.env', 'A="' + 'x'.repeat(100000)],
      ['a.yaml', '\u0000\uffff\ud800 binary \u0001'.repeat(1000)],
    ];
    for (const [name, text] of inputs) {
      const errors: unknown[] = [];
      assert.doesNotThrow(() => analyzeText(name, text, { rules: secretRules, onRuleError: (id, e) => { if (MINE.has(id)) errors.push(e); } }));
      assert.deepEqual(errors, [], name);
    }
  });
});
