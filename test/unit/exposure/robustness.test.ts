// secret-exposed never throws and stays fast on broken or pathological input.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../../../src/core/analyzer';
import { allRules } from '../../../src/core/rules';
import { fixturesDir } from '../../support/paths';
import { memoryProject } from '../lambda/helpers';

const rule = allRules.filter((r) => r.meta.id === 'secret-exposed');

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = ['{', '}', '(', ')', '[', ']', ';', ',', "'", '`', '${', 'await ', '=> ', 'console.log(', 'throw new Error(', '...', '.then(',
  'JSON.parse(', 'process.env.DB_PASSWORD', 'return ', '= ', 'this.', 'delete ', 'for (const x of ', '\n', '/*', '//', "from './x'", 'require('];

function corpusFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) corpusFiles(p, out);
    else if (/\.[cm]?[jt]s$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('secret-exposed robustness', () => {
  it('never fails on 1,500 mutated corpus files, and none takes pathologically long', function () {
    this.timeout(120_000);
    const seeds = corpusFiles(path.join(fixturesDir, 'exposure', 'corpus')).map((f) => ({ name: `/p/src/${path.basename(f)}`, text: fs.readFileSync(f, 'utf8') }));
    const rnd = prng(20261204);
    const files: Record<string, string> = {};
    const project = memoryProject(files);
    let slowest = 0;
    for (let i = 0; i < 1500; i++) {
      const seed = seeds[Math.floor(rnd() * seeds.length)];
      let text = seed.text;
      for (let k = 0, ops = 1 + Math.floor(rnd() * 4); k < ops; k++) {
        const at = Math.floor(rnd() * (text.length + 1));
        const r = rnd();
        if (r < 0.3) text = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rnd() * 40)));
        else if (r < 0.65) text = text.slice(0, at) + TOKENS[Math.floor(rnd() * TOKENS.length)] + text.slice(at);
        else if (r < 0.8) text = text.slice(0, at);
        else { const b = Math.floor(rnd() * text.length); text = text.slice(0, at) + text.slice(b, b + 80) + text.slice(at); }
      }
      files['/p/src/x.ts'] = text; // imported neighbours are broken too
      const errors: string[] = [];
      const t0 = performance.now();
      analyzeText(seed.name, text.replace(/from '\.\.?\/[^']*'/, "from './x'"), { rules: rule, project, onRuleError: (id, e) => errors.push(`${id}: ${(e as Error)?.stack}`) });
      slowest = Math.max(slowest, performance.now() - t0);
      assert.deepEqual(errors.filter((e) => !e.startsWith('parse')), [], `mutation ${i} of ${seed.name}`);
    }
    // a guard against blow-ups, not a speed target (those are in bench:analyzer): generous for a busy shared machine
    assert.ok(slowest < 1500, `slowest file ${slowest.toFixed(0)} ms`);
  });

  it('survives values built from thousands of terms, deep nesting and long call chains', () => {
    const head = `import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const sm = new SecretsManagerClient({});
export const handler = async () => {
  const k = (await sm.send(new GetSecretValueCommand({ SecretId: 'x' }))).SecretString;
`;
    // (2,000 terms: far deeper expressions overflow the TypeScript walks of the Lambda model, which every rule shares)
    const concat = `  const s = k${' + k'.repeat(2000)};\n  console.log(s);\n`;
    let dag = '  const a0 = k;\n';
    for (let i = 1; i < 900; i++) dag += `  const a${i} = a${i - 1} + a${i - 1};\n`;
    dag += '  console.log(a899);\n';
    const nested = `  console.log(${'['.repeat(300)}k${']'.repeat(300)});\n`;
    let chain = '  const v0 = k;\n';
    for (let i = 1; i < 1500; i++) chain += `  const v${i} = v${i - 1};\n`;
    chain += '  console.log(v1499);\n';
    const fns = Array.from({ length: 800 }, (_, i) => `function f${i}(x: string): string { return ${i ? `f${i - 1}(x)` : 'x'}; }`).join('\n');
    for (const body of [concat, nested, chain, dag, '  console.log(f799(k));\n']) {
      const errors: string[] = [];
      const text = `${head}${body}};\n${body.includes('f799') ? fns : ''}`;
      const t0 = performance.now();
      const f = analyzeText('/p/src/h.ts', text, { rules: rule, project: memoryProject(), onRuleError: (id, e) => errors.push(`${id}: ${(e as Error)?.message}`) });
      assert.deepEqual(errors, []);
      assert.ok(performance.now() - t0 < 3000, 'fast enough');
      assert.ok(f.length <= 1);
      if (body === concat || body === nested) assert.equal(f.length, 1, 'a shallow secret term is still seen');
    }
  });
});
