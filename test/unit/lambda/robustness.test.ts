// The Lambda rules never throw and stay fast on broken input: thousands of seeded mutations of real snippets.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../../../src/core/analyzer';
import { isRelevantText } from '../../../src/core/lambda/sdk';
import { FAKE } from '../secrets/fakes';
import { lambdaRules } from '../../../src/core/rules/lambda';
import { fixturesDir } from '../../support/paths';
import { memoryProject } from './helpers';

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

const TOKENS = ['{', '}', '(', ')', '[', ']', ';', ',', "'", '"', '`', '${', 'await ', 'async ', '=> ', 'new SSMClient(', 'new GetParameterCommand({ Name: ',
  '.send(', '.promise()', 'if (!cache) ', 'cache ??= ', 'export const handler = ', 'module.exports = ', 'exports.handler = ', 'return ',
  'WithDecryption: ', 'true', 'false', '\n', '/*', '*/', '//', '\u0000', '\uFFFD', 'import ', "from './x'", 'require(', 'middy(', '.use('];

describe('Lambda rules robustness', () => {
  const dir = path.join(fixturesDir, 'lambda', 'fixes');
  const seeds: { name: string; text: string }[] = [];
  for (const d of fs.readdirSync(dir)) {
    for (const f of fs.readdirSync(path.join(dir, d))) {
      if (/^input\./.test(f)) seeds.push({ name: `src/${d}.${f.split('.').pop()}`, text: fs.readFileSync(path.join(dir, d, f), 'utf8') });
    }
  }

  it('never fails on 2,000 mutated inputs, and each file stays under 250 ms', function () {
    this.timeout(120_000);
    assert.ok(seeds.length >= 8);
    const rnd = prng(20261129);
    const files: Record<string, string> = {};
    const project = memoryProject(files, ['@aws-lambda-powertools/parameters']);
    let slowest = 0;
    for (let i = 0; i < 2000; i++) {
      const seed = seeds[Math.floor(rnd() * seeds.length)];
      let text = seed.text;
      const ops = 1 + Math.floor(rnd() * 4);
      for (let k = 0; k < ops; k++) {
        const at = Math.floor(rnd() * (text.length + 1));
        const r = rnd();
        if (r < 0.3) text = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rnd() * 40)));
        else if (r < 0.6) text = text.slice(0, at) + TOKENS[Math.floor(rnd() * TOKENS.length)] + text.slice(at);
        else if (r < 0.75) text = text.slice(0, at);
        else if (r < 0.9) { const b = Math.floor(rnd() * text.length); text = text.slice(0, at) + text.slice(b, b + 60) + text.slice(at); }
        else text = text.replace(/ssm|sm|client/g, 'x');
      }
      // Let cross-file following see broken neighbours too.
      files['src/x.ts'] = text;
      const errors: string[] = [];
      const t0 = process.hrtime.bigint();
      const findings = analyzeText(seed.name, text, {
        rules: lambdaRules, project, onRuleError: (id, e) => { if (id !== 'parse') errors.push(`${id}: ${String(e)}`); },
        parameterKind: (n) => (n.includes('key') ? 'SecureString' : undefined),
      });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      slowest = Math.max(slowest, ms);
      assert.deepEqual(errors, [], `mutation ${i} of ${seed.name}:\n${text}`);
      for (const f of findings) {
        assert.ok(f.range.start.line >= 0 && f.range.end.line >= f.range.start.line);
        for (const fix of f.fixes) assert.ok(Array.isArray(fix.edits));
      }
      assert.ok(ms < 250, `mutation ${i} took ${ms.toFixed(1)} ms`);
    }
    assert.ok(slowest < 250);
  });

  it('handles binary data, an empty file and very deep nesting', () => {
    const errors: string[] = [];
    // The engine may refuse to parse (`parse` errors); the Lambda rules themselves must never fail.
    const opts = { rules: lambdaRules, onRuleError: (id: string, e: unknown) => { if (id !== 'parse') errors.push(`${id}: ${String(e)}`); } };
    analyzeText('src/a.ts', '', opts);
    analyzeText('src/b.js', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1'), opts);
    const deep = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
export const handler = async () => ${'['.repeat(700)}await ssm.send(new GetParameterCommand({ Name: '/a' }))${']'.repeat(700)};`;
    analyzeText('src/c.ts', deep, opts);
    const deepIf = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
export const handler = async (e) => { ${'if (e) { '.repeat(700)}await ssm.send(new GetParameterCommand({ Name: '/a' }));${' }'.repeat(700)} };`;
    analyzeText('src/d.ts', deepIf, opts);
    assert.deepEqual(errors, []);
  });

  // Expressions of thousands of terms nest as deep as they are long: a recursive walk of the model overflowed the
  // stack on them (every Lambda rule of the file failed). Each shape sits in a handler, with all rules and IaC on.
  it('judges handlers holding 3,000-term expressions (no stack overflow, the same findings)', function () {
    this.timeout(60_000);
    const N = 3000;
    const shapes: Record<string, string> = {
      concatenation: Array.from({ length: N }, (_, i) => `'part${i}'`).join(' + '),
      'env reads': Array.from({ length: N }, (_, i) => `process.env.PART_${i % 7}`).join(' + '),
      'a || chain': Array.from({ length: N }, (_, i) => `event.k${i}`).join(' || '),
      'a .then() chain': 'Promise.resolve(event)' + '.then((x) => x)'.repeat(N),
    };
    const files: Record<string, string> = {
      'serverless.yml': 'service: s\nprovider:\n  name: aws\n  iam:\n    role:\n      statements:\n'
        + '        - Effect: Allow\n          Action: ssm:GetParameter\n          Resource: arn:aws:ssm:*:*:parameter/app/prod/orders-table\n'
        + 'functions:\n  orders:\n    handler: src/orders.run\n',
    };
    const project = memoryProject(files);
    for (const [label, expr] of Object.entries(shapes)) {
      const uncached = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
export const run = async (event) => {
  const big = ${expr};
  const r = await ssm.send(new GetParameterCommand({ Name: '/app/prod/orders-table' }));
  return [big, r.Parameter?.Value];
};
`;
      // The same read behind a cache whose guard is the long expression itself.
      const cached = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
let cache;
export const run = async (event) => {
  if (cache && (${expr})) return cache;
  cache = (await ssm.send(new GetParameterCommand({ Name: '/app/prod/orders-table' }))).Parameter?.Value;
  return cache;
};
`;
      for (const [kind, text] of [['uncached', uncached], ['cached', cached]] as const) {
        files['src/orders.ts'] = text;
        const errors: string[] = [];
        const findings = analyzeText('src/orders.ts', text, { project, onRuleError: (id, e) => errors.push(`${id}: ${String(e)}`) });
        assert.deepEqual(errors, [], `${label}, ${kind}`);
        const ids = findings.map((f) => f.ruleId).filter((id) => id !== 'hardcoded-secret');
        assert.deepEqual(ids, kind === 'uncached' ? ['uncached-fetch'] : [], `${label}, ${kind}: ${ids.join(', ')}`);
      }
    }
  });
});

describe('Lambda SDK pre-filter', () => {
  it('admits exactly the modules the model recognises', () => {
    for (const yes of [
      "import { SSMClient } from '@aws-sdk/client-ssm';",
      'const { SecretsManagerClient } = require("@aws-sdk/client-secrets-manager");',
      "const AWS = require('aws-sdk');",
      "import SSM from 'aws-sdk/clients/ssm';",
      "import { getParameter } from '@aws-lambda-powertools/parameters/ssm';",
      "const m = await import('@aws-sdk/client-ssm');",
    ]) assert.ok(isRelevantText(yes), yes);
    for (const no of [
      "import { S3Client } from '@aws-sdk/client-s3';",
      "import { fromIni } from '@aws-sdk/credential-providers'; import { x } from '@aws-sdk/core';",
      "export const handler = async () => ({ statusCode: 200 });",
      '',
    ]) assert.ok(!isRelevantText(no), no);
  });
});

describe('deferred fixes (the editor typing path)', () => {
  const code = [
    "import { SSMClient, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';",
    'export const handler = async () => {',
    '  const ssm = new SSMClient({});',
    "  const a = await ssm.send(new GetParameterCommand({ Name: '/app/prod/db-password' }));",
    "  const b = await ssm.send(new GetParameterCommand({ Name: '/app/prod/table' }));",
    "  await ssm.send(new PutParameterCommand({ Name: '/app/prod/seen', Value: 'y', Overwrite: true }));",
    '  return [a.Parameter?.Value, b.Parameter?.Value];',
    '};',
  ].join('\n');

  it('reports the same findings with fixes left uncomputed, then with every fix when asked', () => {
    const deferred = analyzeText('src/handler.ts', code, { deferFixes: true });
    const full = analyzeText('src/handler.ts', code);
    const key = (f: { ruleId: string; range: unknown; message: string }) => JSON.stringify([f.ruleId, f.range, f.message]);
    assert.deepEqual(deferred.map(key), full.map(key));
    assert.deepEqual(
      [...new Set(deferred.filter((f) => f.fixesDeferred).map((f) => f.ruleId))].sort(),
      ['client-in-handler', 'missing-decryption', 'sequential-fetch', 'uncached-fetch'],
    );
    for (const f of deferred) if (f.fixesDeferred) assert.deepEqual(f.fixes, []);
    for (const f of full) assert.equal(f.fixesDeferred, undefined);
    assert.ok(full.filter((f) => f.ruleId === 'uncached-fetch').every((f) => f.fixes.length > 0));
  });
});

describe('a secret pasted where a name belongs', () => {
  it('is never repeated in a message or in finding data', () => {
    const code = [
      "import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';",
      'export const handler = async () => {',
      '  const sm = new SecretsManagerClient({});',
      `  return sm.send(new GetSecretValueCommand({ SecretId: '${FAKE.stripeLive}' }));`,
      '};',
    ].join('\n');
    const found = analyzeText('src/handler.ts', code);
    assert.ok(found.some((f) => f.ruleId === 'uncached-fetch'));
    for (const f of found) {
      assert.ok(!f.message.includes(FAKE.stripeLive), f.ruleId);
      assert.ok(!JSON.stringify(f.data ?? {}).includes(FAKE.stripeLive), f.ruleId);
    }
  });
});
