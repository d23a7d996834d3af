import * as assert from 'node:assert/strict';
import { applyEdits } from '../../../src/core/fixes/apply';
import { literalValue, planMove } from '../../../src/core/move';
import { lineStarts, positionAt } from '../../../src/core/text';
import type { Range } from '../../../src/core/types';
import { typeCheck } from '../../support/typecheck';

function rangeOf(text: string, needle: string): Range {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  const s = lineStarts(text);
  return { start: positionAt(s, i), end: positionAt(s, i + needle.length) };
}

const KEY = "'sk_test_" + "4eC39HqLyjWDarjtT1zdp7dc'";

describe('move a secret: the code change', function () {
  this.timeout(60_000);
  it('turns a module-scope constant used in the handler into awaited loader reads, reusing the SDK import', () => {
    const src = [
      "import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';",
      '',
      `const paymentsApiKey = ${KEY};`,
      '',
      'export const handler = async () => {',
      "  return { statusCode: 200, body: paymentsApiKey.length > 0 ? 'ok' : 'no' };",
      '};',
      '',
    ].join('\n');
    const plan = planMove('h.ts', src, rangeOf(src, KEY), { name: '/my-frontend-app/production/payments-api-key', store: 'parameter' });
    assert.ok(plan.ok, plan.ok ? '' : plan.reason);
    const out = applyEdits(src, plan.edits);
    assert.doesNotMatch(out, /sk_test_/, 'the literal is gone');
    assert.match(out, /\(await getParameterValue\('\/my-frontend-app\/production\/payments-api-key'\)\)\.length/);
    assert.match(out, /const getParameterValueClient = new SSMClient\(\{\}\);/);
    assert.match(out, /WithDecryption: true/);
    assert.equal((out.match(/from '@aws-sdk\/client-ssm'/g) ?? []).length, 1, 'the existing import is reused');
    assert.deepEqual(typeCheck('move-module-const.ts', out), []);
  });

  it('replaces a literal inside an async function and adds the Secrets Manager loader and import', () => {
    const src = 'export async function handler() {\n  const token = ' + KEY + ';\n  return token;\n}\n';
    const plan = planMove('h.ts', src, rangeOf(src, KEY), { name: 'prod/token', store: 'secret' });
    assert.ok(plan.ok);
    const out = applyEdits(src, plan.edits);
    assert.match(out, /^import \{ SecretsManagerClient, GetSecretValueCommand \} from '@aws-sdk\/client-secrets-manager';/);
    assert.match(out, /const token = \(await getSecretValue\('prod\/token'\)\);/);
    assert.deepEqual(typeCheck('move-async-secret.ts', out), []);
  });

  it('reuses a loader the file already has', () => {
    const src = 'async function getParameterValue(n: string): Promise<string> { return n; }\nexport async function handler() {\n  return ' + KEY + ';\n}\n';
    const plan = planMove('h.ts', src, rangeOf(src, KEY), { name: '/a/b', store: 'parameter' });
    assert.ok(plan.ok);
    assert.equal(plan.edits.length, 1);
  });

  it('follows the file style: CommonJS, double quotes, no semicolons', () => {
    const src = 'const x = 1\nexports.handler = async () => {\n  return "' + 'sk_test_' + '4eC39HqLyjWDarjtT1zdp7dc"\n}\n';
    const plan = planMove('h.js', src, rangeOf(src, '"sk_test_4eC39HqLyjWDarjtT1zdp7dc"'), { name: '/a/b', store: 'parameter' });
    assert.ok(plan.ok);
    const out = applyEdits(src, plan.edits);
    assert.match(out, /const \{ SSMClient, GetParameterCommand \} = require\("@aws-sdk\/client-ssm"\)\n/);
    assert.match(out, /return \(await getParameterValue\("\/a\/b"\)\)\n/);
    assert.doesNotMatch(out, /;\n/);
  });

  it('generates Powertools calls when asked', () => {
    const src = 'export async function handler() {\n  return ' + KEY + ';\n}\n';
    const plan = planMove('h.ts', src, rangeOf(src, KEY), { name: '/a/b', store: 'parameter', loader: 'powertools', ttlSeconds: 120 });
    assert.ok(plan.ok);
    const out = applyEdits(src, plan.edits);
    assert.match(out, /import \{ getParameter \} from '@aws-lambda-powertools\/parameters\/ssm';/);
    assert.match(out, /getParameter\(name, \{ decrypt: true, maxAge: 120 \}\)/);
  });

  it('refuses what it cannot do safely, with the reason, before anything is created', () => {
    const sync = 'export function handler() {\n  return ' + KEY + ';\n}\n';
    const r1 = planMove('h.ts', sync, rangeOf(sync, KEY), { name: '/a/b', store: 'parameter' });
    assert.equal(r1.ok, false);
    assert.match(r1.ok ? '' : r1.reason, /not async/);
    const exported = `export const KEY = ${KEY};\n`;
    const r2 = planMove('h.ts', exported, rangeOf(exported, KEY), { name: '/a/b', store: 'parameter' });
    assert.match(r2.ok ? '' : r2.reason, /exported/);
    const topUse = `const KEY = ${KEY};\nconsole.log(KEY);\n`;
    const r3 = planMove('h.ts', topUse, rangeOf(topUse, KEY), { name: '/a/b', store: 'parameter' });
    assert.match(r3.ok ? '' : r3.reason, /outside an async function \(line 2\)/);
  });

  it('writes an IaC reference: serverless ${ssm:…}, CloudFormation {{resolve:secretsmanager:…}}', () => {
    const sls = 'provider:\n  environment:\n    OAUTH_SECRET: kw-literal-Zp41mQa8Tn\nfunctions:\n  a:\n    handler: a.handler\n';
    const p1 = planMove('serverless.yml', sls, rangeOf(sls, 'kw-literal-Zp41mQa8Tn'), { name: '/app/prod/oauth', store: 'parameter' });
    assert.ok(p1.ok);
    assert.match(applyEdits(sls, p1.edits), /OAUTH_SECRET: \$\{ssm:\/app\/prod\/oauth\}/);
    const cfn = 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Environment:\n        Variables:\n          DB_PASSWORD: "kw-literal-Zp41mQa8Tn"\n';
    const p2 = planMove('template.yaml', cfn, rangeOf(cfn, '"kw-literal-Zp41mQa8Tn"'), { name: 'prod/db', store: 'secret' });
    assert.ok(p2.ok);
    assert.match(applyEdits(cfn, p2.edits), /DB_PASSWORD: '\{\{resolve:secretsmanager:prod\/db\}\}'/);
    const p3 = planMove('template.yaml', cfn, rangeOf(cfn, '"kw-literal-Zp41mQa8Tn"'), { name: '/a/b', store: 'parameter' });
    assert.match(p3.ok ? '' : p3.reason, /cannot resolve a SecureString/);
  });

  it('reads the literal value under the range (quotes removed)', () => {
    const src = `const a = ${KEY};`;
    assert.equal(literalValue('a.ts', src, rangeOf(src, KEY)), 'sk_test_4eC39HqLyjWDarjtT1zdp7dc');
    const y = 'K: "v\\u0041"\n';
    assert.equal(literalValue('a.yml', y, rangeOf(y, '"v\\u0041"')), 'vA');
  });
});
