import * as assert from 'node:assert/strict';
import type { ParameterMeta, SecretMeta } from '../../../src/aws/model';
import { auditItem, auditTotals, sortFindings, valueFacts, valueNeed, type AuditFinding, type AuditItem } from '../../../src/core/store/audit/index';
import { auditJson, auditMarkdown, buildReport, mdCell } from '../../../src/core/store/audit/report';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);
const param = (name: string, x: Partial<ParameterMeta> = {}): ParameterMeta => ({ kind: 'parameter', name, type: 'String', tier: 'Standard', ...x });
const secret = (name: string, x: Partial<SecretMeta> = {}): SecretMeta => ({ kind: 'secret', name, rotationEnabled: false, created: NOW - 10 * DAY, lastAccessed: NOW - DAY, ...x });
const judge = (item: AuditItem) => auditItem(item, { now: NOW });
const checks = (item: AuditItem) => judge(item).map((f) => f.check);
// Fake values built by concatenation so no scanner mistakes them for real keys.
const STRIPE_LIKE = 'sk_' + 'live_' + '4eC39HqLyjWDarjtT1zdp7dc';

describe('store/audit: value facts', () => {
  it('records size, shape and sensitivity, never the value', () => {
    const f = valueFacts('/app/prod/config', JSON.stringify({ url: 'https://x.example.com', password: 'Zx9!qLr7#vTp2@Wm', apiKey: STRIPE_LIKE }));
    assert.equal(f.json, 'object');
    assert.equal(f.jsonKeyCount, 3);
    assert.deepEqual(f.secretKeys.sort(), ['apiKey', 'password']);
    assert.equal(f.sensitive, true);
    assert.doesNotMatch(JSON.stringify(f), /Zx9|sk_live/);
    const plain = valueFacts('/app/prod/table-name', 'orders-prod');
    assert.deepEqual({ sensitive: plain.sensitive, json: plain.json, bytes: plain.bytes }, { sensitive: false, json: 'none', bytes: 11 });
    assert.equal(valueFacts('/app/prod/db-password', 'x').sensitive, true, 'a secret name is enough');
    assert.equal(valueFacts('/app/prod/billing', STRIPE_LIKE).credential, true, 'a credential format is enough');
    assert.equal(valueFacts('/app/prod/x', undefined, true).sensitive, true, 'a binary secret counts as sensitive');
  });

  it('reads only the values a check needs', () => {
    assert.equal(valueNeed(param('/a', { type: 'String' })), 'plain');
    assert.equal(valueNeed(param('/a', { type: 'StringList' })), 'plain');
    assert.equal(valueNeed(param('/a', { type: 'SecureString' })), undefined, 'a Standard SecureString is never read');
    assert.equal(valueNeed(param('/a', { type: 'SecureString', tier: 'Advanced' })), 'decrypted');
    assert.equal(valueNeed(secret('a')), 'decrypted');
    assert.equal(valueNeed(secret('a', { rotationEnabled: true })), undefined);
    assert.equal(valueNeed(secret('a', { deletedDate: NOW })), undefined);
    assert.equal(valueNeed(secret('rds!db-1', { owningService: 'rds' })), undefined, 'secrets managed by another service are left alone');
  });
});

describe('store/audit: checks', () => {
  it('a secret without rotation holding one sensitive value → SecureString, $0.40 saved', () => {
    const f = judge({ kind: 'secret', meta: secret('app/prod/stripe-key'), facts: valueFacts('app/prod/stripe-key', STRIPE_LIKE) });
    assert.deepEqual(f.map((x) => x.check), ['secret-as-securestring']);
    assert.equal(f[0].monthlyCost, 0.4);
    assert.equal(f[0].monthlyCostAfter, 0);
    assert.equal(f[0].fix.action, 'convert-secret-to-securestring');
    assert.equal(f[0].fix.target, '/app/prod/stripe-key', 'a name with a path becomes a fully qualified parameter name');
    assert.doesNotMatch(JSON.stringify(f), /sk_live/);
    const big = judge({ kind: 'secret', meta: secret('app/prod/cert-key'), facts: { ...valueFacts('app/prod/cert-key', 'x'), bytes: 6000 } });
    assert.equal(big[0].monthlyCostAfter, 0.05, 'over 4 KB it needs the Advanced tier');
  });

  it('multi-value credentials, rotating, managed or pending secrets are not converted', () => {
    const creds = JSON.stringify({ username: 'app', password: 'Zx9!qLr7#vTp2@Wm', host: 'db.internal' });
    assert.deepEqual(checks({ kind: 'secret', meta: secret('app/db'), facts: valueFacts('app/db', creds) }), []);
    assert.deepEqual(checks({ kind: 'secret', meta: secret('app/key', { rotationEnabled: true, rotationDays: 30, lastRotated: NOW - DAY }), facts: valueFacts('app/key', STRIPE_LIKE) }), []);
    assert.deepEqual(checks({ kind: 'secret', meta: secret('rds!cluster', { owningService: 'rds' }), facts: valueFacts('rds!cluster', STRIPE_LIKE) }), []);
    assert.deepEqual(checks({ kind: 'secret', meta: secret('app/big-key'), facts: { ...valueFacts('app/big-key', 'x'), bytes: 9000 } }), [], 'over 8 KB no parameter holds it');
  });

  it('plain configuration in Secrets Manager → String parameter', () => {
    const f = judge({ kind: 'secret', meta: secret('app/prod/endpoints'), facts: valueFacts('app/prod/endpoints', '{"search":"https://search.example.com","images":"https://img.example.com"}') });
    assert.deepEqual(f.map((x) => x.check), ['plain-config-in-secrets-manager']);
    assert.equal(f[0].fix.action, 'convert-secret-to-string');
  });

  it('String parameters with a sensitive name or value → SecureString', () => {
    assert.deepEqual(checks({ kind: 'parameter', meta: param('/app/prod/db-password'), facts: valueFacts('/app/prod/db-password', 'hunter2-but-longer') }), ['sensitive-string-parameter']);
    assert.deepEqual(checks({ kind: 'parameter', meta: param('/app/prod/billing'), facts: valueFacts('/app/prod/billing', STRIPE_LIKE) }), ['sensitive-string-parameter']);
    assert.deepEqual(checks({ kind: 'parameter', meta: param('/app/prod/db-password') }), ['sensitive-string-parameter'], 'by name even when no value was read');
    assert.deepEqual(checks({ kind: 'parameter', meta: param('/app/prod/api-key-param'), facts: valueFacts('/app/prod/api-key-param', '/app/prod/api-key') }), [], 'a reference to a secret is not a secret');
    assert.deepEqual(checks({ kind: 'parameter', meta: param('/app/prod/table-name'), facts: valueFacts('/app/prod/table-name', 'orders') }), []);
    assert.deepEqual(checks({ kind: 'parameter', meta: param('/app/prod/db-password', { type: 'SecureString' }) }), []);
  });

  it('Advanced parameters that fit Standard and have no policy → recreate, $0.05 saved', () => {
    const small = judge({ kind: 'parameter', meta: param('/app/banner', { tier: 'Advanced' }), facts: valueFacts('/app/banner', 'Free shipping') });
    assert.deepEqual(small.map((f) => [f.check, f.monthlyCost, f.monthlyCostAfter]), [['advanced-fits-standard', 0.05, 0]]);
    assert.deepEqual(checks({ kind: 'parameter', meta: param('/app/banner', { tier: 'Advanced', policies: [{ type: 'Expiration' }] }), facts: valueFacts('/app/banner', 'x') }), [], 'policies need Advanced');
    assert.deepEqual(checks({ kind: 'parameter', meta: param('/app/big', { tier: 'Advanced' }), facts: valueFacts('/app/big', 'x'.repeat(5000)) }), []);
    assert.deepEqual(checks({ kind: 'parameter', meta: param('/app/unknown', { tier: 'Advanced' }) }), [], 'no value read, no guess');
  });

  it('rotation overdue: last rotation (or creation) older than the schedule plus a day', () => {
    const late = judge({ kind: 'secret', meta: secret('db', { rotationEnabled: true, rotationDays: 30, lastRotated: NOW - 40 * DAY }) });
    assert.deepEqual(late.map((f) => f.check), ['rotation-overdue']);
    assert.match(late[0].message, /should have rotated 10 days ago \(last rotated 2026-04-22, schedule every 30 days\)/);
    assert.deepEqual(checks({ kind: 'secret', meta: secret('db', { rotationEnabled: true, rotationDays: 30, lastRotated: NOW - 30.5 * DAY }) }), [], 'within the grace day');
    assert.deepEqual(checks({ kind: 'secret', meta: secret('db', { rotationEnabled: true, rotationDays: 7, created: NOW - 20 * DAY }) }), ['rotation-overdue'], 'never rotated since creation');
    assert.deepEqual(checks({ kind: 'secret', meta: secret('db', { rotationEnabled: true, rotationSchedule: 'cron(0 8 1 * ? *)', nextRotation: NOW - 3 * DAY }) }), ['rotation-overdue'], 'cron schedules use NextRotationDate');
  });

  it('rotation failing: an AWSPENDING version that is not current', () => {
    assert.deepEqual(checks({ kind: 'secret', meta: secret('db', { rotationEnabled: true, rotationDays: 30, lastRotated: NOW - DAY, versionStages: { v1: ['AWSCURRENT'], v2: ['AWSPENDING'] } }) }), ['rotation-failing']);
    assert.deepEqual(checks({ kind: 'secret', meta: secret('db', { rotationEnabled: true, rotationDays: 30, lastRotated: NOW - DAY, versionStages: { v1: ['AWSCURRENT', 'AWSPENDING'] } }) }), [], 'pending on the current version is a finished rotation');
  });

  it('pending deletion and unused secrets', () => {
    const pending = judge({ kind: 'secret', meta: secret('old', { deletedDate: NOW - 3 * DAY }) });
    assert.deepEqual(pending.map((f) => [f.check, f.fix.action]), [['pending-deletion', 'restore-secret']]);
    assert.equal(pending[0].monthlyCost, 0, 'a secret scheduled for deletion is not billed');
    assert.deepEqual(checks({ kind: 'secret', meta: secret('quiet', { lastAccessed: NOW - 120 * DAY, rotationEnabled: true, rotationDays: 30, lastRotated: NOW - DAY }) }), ['unused-secret']);
    assert.deepEqual(checks({ kind: 'secret', meta: secret('never', { lastAccessed: undefined, created: NOW - 200 * DAY, rotationEnabled: true, rotationDays: 365, lastRotated: NOW - DAY }) }), ['unused-secret']);
    assert.deepEqual(checks({ kind: 'secret', meta: secret('fresh', { lastAccessed: undefined, created: NOW - 5 * DAY, rotationEnabled: true, rotationDays: 30 }) }), []);
  });

  it('sums costs and savings per check; savings never go negative', () => {
    const fs: AuditFinding[] = [
      ...judge({ kind: 'secret', meta: secret('a/key'), facts: valueFacts('a/key', STRIPE_LIKE) }),
      ...judge({ kind: 'secret', meta: secret('b/key'), facts: valueFacts('b/key', STRIPE_LIKE) }),
      ...judge({ kind: 'parameter', meta: param('/c', { tier: 'Advanced' }), facts: valueFacts('/c', 'x') }),
      ...judge({ kind: 'secret', meta: secret('d', { deletedDate: NOW }) }),
    ];
    const t = auditTotals(fs);
    assert.equal(t.findings, 4);
    assert.equal(t.monthlySavings, 0.85);
    assert.equal(t.monthlyCost, 0.85);
    assert.deepEqual(t.byCheck.map((c) => [c.check, c.count, c.monthlySavings]), [['secret-as-securestring', 2, 0.8], ['advanced-fits-standard', 1, 0.05], ['pending-deletion', 1, 0]]);
    assert.deepEqual(sortFindings(fs).map((f) => f.name), ['a/key', 'b/key', '/c', 'd']);
  });
});

describe('store/audit: report', () => {
  const findings = [
    ...auditItem({ kind: 'secret', meta: secret('app|prod/key'), facts: valueFacts('app|prod/key', STRIPE_LIKE) }, { now: NOW }),
    ...auditItem({ kind: 'parameter', meta: param('/app/prod/db-password') }, { now: NOW }),
  ];
  const report = buildReport({ generatedAt: '2026-06-01T00:00:00.000Z', account: '123456789012', region: 'us-east-1', scanned: { parameters: 10, secrets: 3, valuesRead: 4 }, complete: false, errors: [{ where: 'parameter values', message: 'AccessDenied (2 items)' }], findings, apiCalls: 7 });

  it('renders Markdown with a total, a table per check, costs per line and the incomplete mark', () => {
    const md = auditMarkdown(report);
    assert.match(md, /^# Keyway account audit/);
    assert.match(md, /\*\*2 findings\*\*.*\*\*\$0\.40 a month\*\* \(\$4\.80 a year\)/);
    assert.match(md, /\| Secrets without rotation that a SecureString would hold \| 1 \| \$0\.40 \|/);
    assert.match(md, /\| `app\|prod\/key` \| \$0\.40 \| \$0\.00 \|/);
    assert.match(md, /\*\*Incomplete:\*\*/);
    assert.match(md, /## Not checked\n\n- parameter values: AccessDenied \(2 items\)/);
    assert.match(md, /with 7 API calls/);
  });

  it('renders JSON with totals and findings, and no value', () => {
    const j = JSON.parse(auditJson(report));
    assert.equal(j.totals.monthlySavings, 0.4);
    assert.equal(j.findings.length, 2);
    assert.equal(j.complete, false);
    assert.doesNotMatch(auditJson(report), /sk_live/);
  });

  it('escapes Markdown table cells', () => {
    assert.equal(mdCell('a|b*c\n<x>'), 'a\\|b\\*c \\<x\\>');
  });
});
