// The fix planner: every fix of a file composed once (shared clients and helpers, loaders named after what they
// load, never numbered), each pass checked (parse, no double declaration, finding gone), the result type-checked
// against the project, and cached values that one invocation cannot change for the next.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeText } from '../../../src/core/analyzer';
import { checkFix, fixText } from '../../../src/core/fixAll';
import { FixVerifier } from '../../../src/core/fixes/typecheck';
import { quickCheck } from '../../../src/core/fixes/verify';
import { lambdaRules } from '../../../src/core/rules/lambda';
import type { Finding } from '../../../src/core/types';
import { memoryProject } from './helpers';

const opts = (deps: string[] = []) => ({ rules: lambdaRules, project: memoryProject({}, deps) });

/** Names declared at module scope by `const`/`let`/`function` lines. */
function moduleDecls(text: string): string[] {
  return [...text.matchAll(/^(?:export\s+)?(?:const|let|function)\s+([\w$]+)/gm)].map((m) => m[1]);
}

const TRIAL = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';

export const handler = async (event: { id: string }) => {
  const ssm = new SSMClient({});
  const res = await ssm.send(new GetParameterCommand({ Name: '/orders/config' }));
  return { id: event.id, config: res.Parameter?.Value };
};

export const refundHandler = async (event: { id: string }) => {
  const ssm = new SSMClient({});
  const res = await ssm.send(new GetParameterCommand({ Name: '/refunds/config' }));
  return { id: event.id, config: res.Parameter?.Value };
};
`;

describe('fix planner (fix all)', () => {
  it('two handlers building the same client: one module-scope client, loaders named after what they load, nothing numbered', () => {
    const r = fixText('src/orders.ts', TRIAL, opts());
    const decls = moduleDecls(r.text);
    assert.deepEqual(decls.filter((n) => n === 'ssm'), ['ssm'], r.text);
    assert.ok(decls.includes('loadOrdersConfig') && decls.includes('loadRefundsConfig'), decls.join(', '));
    assert.ok(!decls.some((n) => /\d$/.test(n)), `no numbered names: ${decls.join(', ')}`);
    assert.equal(quickCheck('src/orders.ts', TRIAL, r.text), undefined);
    assert.deepEqual(r.failed, []);
    assert.equal(r.remaining.length, 0);
    // Every finding of the input is fixed (a client serving only its reads may be reported with them: one finding).
    assert.equal(r.fixed.length, analyzeText('src/orders.ts', TRIAL, opts()).length);
    assert.ok(r.fixed.length >= 2);
    assert.deepEqual(analyzeText('src/orders.ts', r.text, opts()), []);
    // Applying every fix again changes nothing.
    assert.equal(fixText('src/orders.ts', r.text, opts()).text, r.text);
  });

  it('the same in a .mjs file: the fixed module declares every name once (it would not load otherwise)', () => {
    const js = TRIAL.replace(/: \{ id: string \}/g, '');
    const r = fixText('src/orders.mjs', js, opts());
    const decls = moduleDecls(r.text);
    assert.equal(new Set(decls).size, decls.length, decls.join(', '));
    assert.equal(quickCheck('src/orders.mjs', js, r.text), undefined);
    assert.ok(!/\bCONFIG_TTL_MS2\b|loadConfig2/.test(r.text));
  });

  it('clients of different configurations stay apart, named after their region; one already at module scope is reused', () => {
    const code = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({ region: 'us-east-1' });

export const a = async (event: { n: string }) => {
  const client = new SSMClient({ region: 'us-east-1' });
  return client.send(new GetParameterCommand({ Name: event.n }));
};

export const b = async (event: { n: string }) => {
  const client = new SSMClient({ region: 'eu-west-1' });
  return client.send(new GetParameterCommand({ Name: event.n }));
};
`;
    const r = fixText('src/h.ts', code, opts());
    const clients = [...r.text.matchAll(/^const (\w+) = new SSMClient\((.*)\);$/gm)].map((m) => `${m[1]} ${m[2]}`);
    // b's client keeps its own name at module scope; a's is the one already there.
    assert.deepEqual(clients.sort(), ["client { region: 'eu-west-1' }", "ssm { region: 'us-east-1' }"], r.text);
    assert.match(r.text, /const client = ssm;/, 'a keeps its local name as an alias of the shared client');
    assert.equal(quickCheck('src/h.ts', code, r.text), undefined);
    assert.equal(fixText('src/h.ts', r.text, opts()).text, r.text);
  });

  it('an existing module-scope helper with the name a fix would pick keeps it; the loader takes the next meaningful name', () => {
    const code = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
const CACHE_TTL_MS = 5;

/** Someone else's function. */
export function loadOrdersConfig() { return { legacy: true }; }
function cached() { return 'mine'; }

export const refundHandler = async () => {
  const res = await ssm.send(new GetParameterCommand({ Name: '/orders/config' }));
  return res.Parameter?.Value;
};
`;
    const r = fixText('src/h.ts', code, opts());
    assert.match(r.text, /export function loadOrdersConfig\(\) \{ return \{ legacy: true \}; \}/);
    assert.match(r.text, /const CACHE_TTL_MS = 5;/);
    const decls = moduleDecls(r.text);
    assert.equal(new Set(decls).size, decls.length, decls.join(', '));
    assert.ok(decls.includes('loadOrdersConfigForRefund'), decls.join(', '));
    assert.ok(!decls.some((n) => /\d$/.test(n)), decls.join(', '));
    assert.equal(quickCheck('src/h.ts', code, r.text), undefined);
  });

  it('two handlers loading the same values share one loader', () => {
    const code = `const { SSMClient, GetParameterCommand } = require('@aws-sdk/client-ssm');
const ssm = new SSMClient({});
exports.handler = async () => (await ssm.send(new GetParameterCommand({ Name: '/shop/prod/api-url' }))).Parameter?.Value;
exports.putHandler = async () => {
  const res = await ssm.send(new GetParameterCommand({ Name: '/shop/prod/api-url' }));
  return res.Parameter?.Value;
};
`;
    const r = fixText('src/h.js', code, opts());
    assert.equal([...r.text.matchAll(/= cached\(/g)].length, 1, r.text);
    assert.equal([...r.text.matchAll(/await loadApiUrl\(\)/g)].length, 2, r.text);
    assert.deepEqual(analyzeText('src/h.js', r.text, opts()), []);
  });

  it('a fix linked to two findings is planned once', () => {
    const findings = analyzeText('src/orders.ts', TRIAL, opts());
    const loader = findings.find((f) => f.ruleId === 'uncached-fetch')!;
    const twin: Finding = { ...loader, message: loader.message, fixes: loader.fixes };
    const r = fixText('src/orders.ts', TRIAL, opts(), [...findings, twin]);
    assert.equal(moduleDecls(r.text).filter((n) => n === 'loadOrdersConfig').length, 1);
  });

  it('a fix that would break the file is offered disabled (checkFix) and never applied by fix all', () => {
    const findings = analyzeText('src/orders.ts', TRIAL, opts());
    const f = findings.find((x) => x.ruleId === 'uncached-fetch')!;
    const broken = { title: 'broken', isPreferred: true, edits: [{ range: f.range, newText: 'await (' }] };
    assert.match(checkFix('src/orders.ts', TRIAL, f, broken, opts()) ?? '', /syntax error/);
    const noop = { title: 'noop', isPreferred: true, edits: [{ range: { start: f.range.start, end: f.range.start }, newText: ' ' }] };
    assert.match(checkFix('src/orders.ts', TRIAL, f, noop, opts()) ?? '', /still be there/);
    const r = fixText('src/orders.ts', TRIAL, opts(), findings.map((x) => (x === f ? { ...x, fixes: [broken] } : x)));
    assert.ok(r.failed.some((x) => x.ruleId === 'uncached-fetch' && /syntax error/.test(x.reason)), JSON.stringify(r.failed));
    assert.equal(quickCheck('src/orders.ts', TRIAL, r.text), undefined);
  });

  it('a doubled declaration is caught before it is written', () => {
    assert.match(quickCheck('a.mjs', 'const a = 1;\n', 'const a = 1;\nconst a = 2;\n') ?? '', /declaration error.*TS2451/);
    assert.equal(quickCheck('a.mjs', 'const a = 1;\nconst a = 2;\n', 'const a = 1;\nconst a = 2;\nconst b = 3;\n'), undefined, 'a problem the file had does not block');
  });

  it('a fix that type-checks worse against the project tsconfig.json is rolled back, with the reason', function () {
    this.timeout(60_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-verify-'));
    const code = `import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const sm = new SecretsManagerClient({});
export const handler = async () => {
  const res = await sm.send(new GetSecretValueCommand({ SecretId: 'app/db-credentials' }));
  const creds = JSON.parse(res.SecretString ?? '{}');
  return creds.username;
};
`;
    try {
      // An old project: its ES2015 library has no Object.values, which the generated freezeDeep uses.
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2015', lib: ['es2015'], strict: true, noEmit: true, types: [] } }));
      const file = path.join(dir, 'db.ts');
      fs.writeFileSync(file, code);
      const r = fixText(file, code, { ...opts(), verifier: new FixVerifier() });
      assert.equal(r.text, code, 'rolled back');
      assert.ok(r.failed.length >= 1 && r.failed.every((x) => /type error: TS2550 Property 'values' does not exist/.test(x.reason)), JSON.stringify(r.failed));
      assert.equal(r.fixed.length, 0);
      // With a current library the same fix passes.
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', strict: true, noEmit: true, types: [] } }));
      const ok = fixText(file, code, { ...opts(), verifier: new FixVerifier() });
      assert.notEqual(ok.text, code);
      assert.deepEqual(ok.failed, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cached values are safe to share between invocations', () => {
  const secret = (body: string) => `import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const sm = new SecretsManagerClient({});
export const handler = async (event: { admin?: boolean }) => {
  const res = await sm.send(new GetSecretValueCommand({ SecretId: 'app/session-template' }));
${body}
};
`;

  it('a parsed secret is cached parsed and frozen', () => {
    const r = fixText('src/h.ts', secret(`  const session = JSON.parse(res.SecretString ?? '{}');\n  return { role: session.role };`), opts());
    assert.match(r.text, /return freezeDeep\(JSON\.parse\(res\.SecretString \?\? '\{\}'\)\);/);
    assert.match(r.text, /const session = await loadSessionTemplate\(\);/);
  });

  it('a parsed secret the handler changes: the string is cached and each invocation parses its own copy', () => {
    const r = fixText('src/h.ts', secret(`  const session = JSON.parse(res.SecretString ?? '{}');\n  if (event.admin) session.role = 'admin';\n  return session;`), opts());
    assert.match(r.text, /return response\.SecretString;/);
    assert.match(r.text, /const session = JSON\.parse\(sessionTemplate \?\? '\{\}'\);/);
    assert.ok(!/freezeDeep/.test(r.text));
  });

  it('a parameter value is cached as the value, not the response', () => {
    const r = fixText('src/h.ts', TRIAL, opts());
    assert.match(r.text, /return response\.Parameter\?\.Value;/);
    assert.ok(!/freezeDeep/.test(r.text));
  });

  it('a response read beyond its value is cached frozen', () => {
    const code = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
export const handler = async () => {
  const res = await ssm.send(new GetParameterCommand({ Name: '/app/flags' }));
  return { version: res.Parameter?.Version, value: res.Parameter?.Value };
};
`;
    const r = fixText('src/h.ts', code, opts());
    assert.match(r.text, /return freezeDeep\(response\);/);
  });

  it('a response the handler changes is not cached (no fix rather than a shared mutable object)', () => {
    const code = `import { SSMClient, GetParametersByPathCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
export const handler = async () => {
  const res = await ssm.send(new GetParametersByPathCommand({ Path: '/app/' }));
  res.Parameters?.sort((a, b) => String(a.Name).localeCompare(String(b.Name)));
  return res.Parameters;
};
`;
    const findings = analyzeText('src/h.ts', code, opts()).filter((f) => f.ruleId === 'uncached-fetch');
    assert.equal(findings.length, 1);
    assert.ok(!findings[0].fixes.some((f) => /module-scope loader/.test(f.title)), findings[0].fixes.map((f) => f.title).join(' | '));
  });
});
