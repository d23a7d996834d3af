// The policy checker: a small, test-only implementation of IAM's Allow evaluation, run against every generated
// policy. Every reference of a function must be allowed; for each reference, names next to it (another stage, another
// secret, another app) must be denied.
import * as assert from 'node:assert/strict';
import { generateStatements, policyDocument, type AnalyzedFunction, type Reference } from '../../../src/core/iam';
import { PROJECTS, functionsOf } from './helpers';

const REGION = 'eu-west-1';
const ACCOUNT = '210987654321';

// ---- test-only IAM matching (independent of src/core) ---------------------------------------
function wildcardToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
}
function actionMatches(pattern: string, action: string): boolean {
  // Service prefix and action name are case-insensitive in IAM.
  return wildcardToRegExp(pattern, true).test(action);
}
function resourceMatches(pattern: string, arn: string): boolean {
  return wildcardToRegExp(pattern, false).test(arn);
}
interface Stmt { Effect: string; Action: string | string[]; Resource: string | string[] }
function allowed(doc: { Statement: unknown[] }, action: string, arn: string): boolean {
  const list = (x: string | string[]) => (Array.isArray(x) ? x : [x]);
  return (doc.Statement as Stmt[]).some((s) => s.Effect === 'Allow'
    && list(s.Action).some((a) => actionMatches(a, action)) && list(s.Resource).some((r) => resourceMatches(r, arn)));
}

/** A real ARN the request for `name` is evaluated against (secrets carry a random 6-character suffix). */
function requestArn(kind: 'parameter' | 'secret', name: string): string {
  if (kind === 'secret') return `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-Xy12Zq`;
  return `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name.startsWith('/') ? name : '/' + name}`;
}

/** Concrete names a reference stands for: the name itself; for a prefix, two names under it. */
function concreteNames(r: Reference): string[] {
  if (r.prefix) return [r.name + 'tenant-42', r.name + 'a/b'];
  return [r.name];
}

/** Names next to a reference that the function does not read. */
function siblingNames(r: Reference): string[] {
  const lead = r.name.startsWith('/') ? '/' : '';
  const segs = r.name.split('/').filter(Boolean);
  const out: string[] = [];
  const stages: Record<string, string> = { production: 'staging', prod: 'dev', staging: 'production', dev: 'prod' };
  const stageAt = segs.findIndex((s) => stages[s] !== undefined);
  if (stageAt >= 0) out.push(lead + segs.map((s, i) => (i === stageAt ? stages[s] : s)).join('/') + (r.prefix ? 'x' : ''));
  if (segs.length >= 2) out.push(lead + ['other-app', ...segs.slice(1)].join('/') + (r.prefix ? 'x' : ''));
  if (r.prefix) {
    // Outside the prefix: its parent folder's other entries.
    const parent = r.name.replace(/[^/]*\/?$/, '');
    out.push(parent + 'zz-not-under-prefix');
  } else if (r.op !== 'GetParametersByPath') {
    out.push(r.name + '-other');
    out.push(r.name.replace(/[^/]+$/, 'other-secret-name'));
  }
  return out.filter((n) => !concreteNames(r).includes(n));
}

function action(r: Reference): string {
  return r.kind === 'secret' ? 'secretsmanager:GetSecretValue' : `ssm:${r.op}`;
}

describe('generated policies against a test-only IAM evaluator', () => {
  const all: { project: string; fn: AnalyzedFunction }[] = [];
  for (const p of PROJECTS) for (const fn of functionsOf(p)) all.push({ project: p, fn });

  it('finds functions and references in every fixture project', () => {
    for (const p of PROJECTS) {
      const fns = all.filter((x) => x.project === p);
      assert.ok(fns.length >= (p === 'cfn' ? 1 : 2), `${p}: ${fns.length} functions`);
      assert.ok(fns.every((x) => x.fn.references.refs.length > 0), `${p}: a function without references`);
    }
  });

  for (const p of PROJECTS) {
    it(`${p}: every reference is allowed, every sibling name is denied`, () => {
      for (const { fn } of all.filter((x) => x.project === p)) {
        // Names with IaC variables (`${Stage}`) are rendered with the variable; evaluate them at one concrete value.
        const refs = fn.references.refs.map((r) => ({ ...r, name: r.name.replace(/\$\{Stage\}/g, 'prod') }));
        const doc = policyDocument(generateStatements(refs, 'json', { region: REGION, account: ACCOUNT }));
        for (const r of refs) {
          for (const n of concreteNames(r)) {
            const arn = r.op === 'GetParametersByPath' ? requestArn('parameter', n) : requestArn(r.kind, n);
            assert.ok(allowed(doc, action(r), arn), `${fn.name}: ${action(r)} on ${arn} should be allowed`);
          }
          if (r.op === 'GetParametersByPath') {
            // The path's children are granted too (`parameter/P/*`).
            assert.ok(allowed(doc, 'ssm:GetParametersByPath', requestArn('parameter', r.name + '/child')));
          }
          for (const s of siblingNames(r)) {
            const covered = refs.some((o) => o.kind === r.kind && (o.prefix ? s.startsWith(o.name) : o.name === s || (o.op === 'GetParametersByPath' && s.startsWith(o.name + '/'))));
            if (covered) continue; // the function reads that name too
            assert.ok(!allowed(doc, action(r), requestArn(r.kind, s)), `${fn.name}: ${action(r)} on sibling ${s} must be denied`);
          }
          // Operations the code does not use are not granted.
          if (r.kind === 'parameter') {
            for (const op of ['GetParameter', 'GetParameters', 'GetParametersByPath']) {
              if (refs.some((o) => o.kind === 'parameter' && o.op === op)) continue;
              assert.ok(!allowed(doc, `ssm:${op}`, requestArn('parameter', r.name)), `${fn.name}: ssm:${op} must not be granted`);
            }
          }
        }
        // The AWS managed key when SecureStrings are decrypted with it; a customer managed key the IaC names otherwise
        const decrypts = refs.some((r) => r.decrypt && !r.key);
        assert.equal(allowed(doc, 'kms:Decrypt', `arn:aws:kms:${REGION}:${ACCOUNT}:alias/aws/ssm`), decrypts,
          `${fn.name}: kms:Decrypt must be granted exactly when SecureStrings are decrypted`);
        for (const r of refs.filter((x) => x.key)) {
          const key = `arn:aws:kms:${REGION}:${ACCOUNT}:key/<${r.key!.replace(/\.(arn|key_id|id)$/, '')}>`;
          assert.ok(allowed(doc, 'kms:Decrypt', key), `${fn.name}: kms:Decrypt on ${key} (the key of ${r.name})`);
        }
        assert.ok(!allowed(doc, 'secretsmanager:PutSecretValue', requestArn('secret', 'x')));
        assert.ok(!allowed(doc, 'ssm:PutParameter', requestArn('parameter', refs[0].name)));
      }
    });
  }

  it('the seed example: payments gets only stripe-*, user management only auth-*', () => {
    const fns = all.filter((x) => x.project === 'serverless').map((x) => x.fn);
    const doc = (name: string) => policyDocument(generateStatements(fns.find((f) => f.name === name)!.references.refs, 'json', { region: REGION, account: ACCOUNT }));
    const stripe = requestArn('secret', '/my-frontend-app/production/stripe-secret-key');
    const auth = requestArn('secret', '/my-frontend-app/production/auth-signing-key');
    assert.ok(allowed(doc('payments'), 'secretsmanager:GetSecretValue', stripe));
    assert.ok(!allowed(doc('payments'), 'secretsmanager:GetSecretValue', auth));
    assert.ok(allowed(doc('user-management'), 'secretsmanager:GetSecretValue', auth));
    assert.ok(!allowed(doc('user-management'), 'secretsmanager:GetSecretValue', stripe));
  });

  it('the evaluator itself: globs, case-insensitive actions, case-sensitive ARNs', () => {
    const d = { Statement: [{ Effect: 'Allow', Action: 'SSM:GetParam*', Resource: 'arn:aws:ssm:*:*:parameter/a/?' }] };
    assert.ok(allowed(d, 'ssm:GetParameter', 'arn:aws:ssm:r:1:parameter/a/b'));
    assert.ok(!allowed(d, 'ssm:GetParameter', 'arn:aws:ssm:r:1:parameter/a/bc'));
    assert.ok(!allowed(d, 'ssm:GetParameter', 'arn:aws:ssm:r:1:parameter/A/b'));
    assert.ok(!allowed(d, 'ssm:PutParameter', 'arn:aws:ssm:r:1:parameter/a/b'));
  });
});
