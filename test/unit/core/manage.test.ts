import * as assert from 'node:assert/strict';
import {
  checkJson, checkSize, decide, looksLikeProduction, monthlyCost, proposeName, validateLambdaArn, validateNew, validateParameterName,
  validateRecoveryDays, validateSchedule, validateSecretName,
} from '../../../src/core/manage';

describe('manage: checks before any API call', () => {
  describe('parameter names', () => {
    it('accepts hierarchical and plain names', () => {
      for (const n of ['/my-frontend-app/production/table-name', 'plain_name.v2', '/a', '/a-b/c_d/e.f']) assert.equal(validateParameterName(n), undefined, n);
    });
    const bad: [string, RegExp][] = [
      ['', /Enter a name/],
      ['/app/has space', /white space/],
      ['/app/käse', /"ä" is not allowed/],
      ['/app/x$y', /"\$" is not allowed/],
      ['app/prod/key', /fully qualified/],
      ['/app/prod/', /cannot end with "\/"/],
      ['/app//key', /empty segment/],
      ['/' + Array.from({ length: 16 }, (_, i) => `l${i}`).join('/'), /at most 15 levels; this one has 16/],
      ['/aws/reserved', /cannot begin with "aws" or "ssm"/],
      ['SSMthing', /cannot begin with "aws" or "ssm"/],
      ['/' + 'x'.repeat(1000), /too long: its ARN would be/],
    ];
    for (const [name, re] of bad) it(`refuses ${JSON.stringify(name.length > 40 ? name.slice(0, 40) + '…' : name)} with its reason`, () => assert.match(validateParameterName(name) ?? '', re));
  });

  describe('secret names', () => {
    it('accepts names with / _ + = . @ -', () => {
      for (const n of ['/my-frontend-app/production/database-credentials', 'prod/db+ro=1@x.y']) assert.equal(validateSecretName(n), undefined, n);
    });
    it('refuses long names, spaces, other characters, ARN-like suffixes and ARNs', () => {
      assert.match(validateSecretName('x'.repeat(513)) ?? '', /at most 512/);
      assert.match(validateSecretName('a b') ?? '', /white space/);
      assert.match(validateSecretName('a#b') ?? '', /"#" is not allowed/);
      assert.match(validateSecretName('prod/db-AbC123') ?? '', /hyphen and six characters/);
      assert.match(validateSecretName('arn:aws:secretsmanager:us-east-1:1:secret:x') ?? '', /not allowed|not an ARN/);
    });
  });

  describe('sizes and tiers', () => {
    it('keeps a small parameter in the standard tier', () => assert.deepEqual(checkSize('parameter', 'x'.repeat(4096)), { ok: true, tier: 'Standard' }));
    it('moves a parameter over 4 KB to the advanced tier and says why', () => {
      const d = checkSize('parameter', 'x'.repeat(4097));
      assert.equal(d.tier, 'Advanced');
      assert.match(d.message ?? '', /over the standard tier's 4 KB/);
    });
    it('refuses a parameter over 8 KB and a secret over 64 KB', () => {
      assert.equal(checkSize('parameter', 'x'.repeat(8193)).ok, false);
      assert.match(checkSize('parameter', 'x'.repeat(8193)).message ?? '', /at most 8 KB/);
      assert.equal(checkSize('secret', 'x'.repeat(65536)).ok, true);
      assert.match(checkSize('secret', 'x'.repeat(65537)).message ?? '', /at most 64 KB/);
    });
    it('counts UTF-8 bytes, not characters', () => assert.equal(checkSize('parameter', 'é'.repeat(2049)).tier, 'Advanced'));
  });

  it('checks JSON when the value looks like JSON or the name ends in .json', () => {
    assert.equal(checkJson('/a/flags', '{"a":1}'), undefined);
    assert.match(checkJson('/a/flags', '{"a":1') ?? '', /not valid JSON/);
    assert.match(checkJson('/a/config.json', 'plain') ?? '', /not valid JSON/);
    assert.equal(checkJson('/a/plain', 'plain'), undefined);
  });

  it('answers the three questions in order', () => {
    assert.equal(decide(false, false), 'String');
    assert.equal(decide(false, true), 'String', 'not sensitive wins over rotation');
    assert.equal(decide(true, true), 'SecretsManager');
    assert.equal(decide(true, false), 'SecureString');
  });

  it('prices each choice per month', () => {
    assert.equal(monthlyCost('String').monthly, 0);
    assert.equal(monthlyCost('SecureString', 'Advanced').monthly, 0.05);
    assert.match(monthlyCost('SecretsManager').text, /\$0\.40 per secret per month, plus \$0\.05 per 10,000 API calls/);
  });

  it('collects every problem of a new value', () => {
    assert.deepEqual(validateNew({ store: 'parameter', name: '/ok/name', value: 'v' }), []);
    const p = validateNew({ store: 'parameter', name: 'bad name', value: 'x'.repeat(9000) });
    assert.deepEqual(p.map((x) => x.field), ['name', 'value']);
    assert.match(validateNew({ store: 'secret', name: 'ok', value: '' })[0].message, /empty/);
  });

  it('validates rotation schedules, Lambda ARNs and recovery windows', () => {
    for (const ok of ['30', 'rate(10 days)', 'rate(4 hours)', 'cron(0 8 1 * ? *)']) assert.equal(validateSchedule(ok), undefined, ok);
    for (const bad of ['0', '1001', 'weekly', 'cron(0 8 * *)']) assert.ok(validateSchedule(bad), bad);
    assert.equal(validateLambdaArn('arn:aws:lambda:us-east-1:123456789012:function:rotate-db'), undefined);
    assert.ok(validateLambdaArn('rotate-db'));
    assert.equal(validateRecoveryDays(7), undefined);
    assert.ok(validateRecoveryDays(6));
    assert.ok(validateRecoveryDays(31));
  });

  it('proposes a name under the prefix the workspace uses most', () => {
    const known = ['/my-frontend-app/production/table-name', '/my-frontend-app/production/api-endpoint', '/other/x'];
    assert.equal(proposeName('stripeApiKey', known), '/my-frontend-app/production/stripe-api-key');
    assert.equal(proposeName('KEY', []), '/key');
  });

  describe('names that look like production (the publish confirmation cannot be skipped for them)', () => {
    const prod = ['/my-frontend-app/production/third-party-api-key', '/app/prod/db', 'prod-db-password', 'prod/db+ro=1@x.y', 'stripe_live_key',
      '/billing/LIVE/token', 'myAppProd/token', '/svc/prd/api-key', 'Production.Database.Password'];
    const other = ['/my-frontend-app/staging/log-level', '/app/product-catalog/table', '/delivery/api-key', 'olive-oil', '/app/reproduce/x', 'productionize', 'livestock/key', ''];
    for (const n of prod) it(`${JSON.stringify(n)} looks like production`, () => assert.equal(looksLikeProduction(n), true));
    for (const n of other) it(`${JSON.stringify(n)} does not`, () => assert.equal(looksLikeProduction(n), false));
  });
});
