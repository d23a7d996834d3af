import * as assert from 'node:assert/strict';
import { parseEnv } from '../../../src/core/iac';
import { dotenvValue, envKeyFor, exportKeys, formatDotenv, formatExportJson, planImport, planJson, segmentFor } from '../../../src/core/store/transfer';

const STRIPE_LIKE = 'sk_' + 'live_' + '4eC39HqLyjWDarjtT1zdp7dc';

describe('store/transfer: export', () => {
  it('names dotenv keys after the path, upper snake case', () => {
    assert.equal(envKeyFor('db-password'), 'DB_PASSWORD');
    assert.equal(envKeyFor('/nested/db.password'), 'NESTED_DB_PASSWORD');
    assert.equal(envKeyFor('2fa-seed'), '_2FA_SEED');
  });

  it('writes values that read back the same with a dotenv parser', () => {
    const values = ['plain', 'with space', 'a#b', '#start', 'quote"d', "single'quote", 'back\\slash', 'multi\nline\r\n', 'tab\there', '{"json":true,"n":[1,2]}', 'https://x.example.com/a?b=1&c=2', '', '${NOT_EXPANDED}'];
    const keys = new Map(values.map((v, i) => [`K${String(i).padStart(2, '0')}`, { rel: `k${i}`, value: v }]));
    const parsed = parseEnv(formatDotenv(keys, 'header\nsecond line'));
    assert.deepEqual(parsed.map((e) => e.value), values);
    assert.equal(dotenvValue('simple-value_1.2'), 'simple-value_1.2');
  });

  it('reports names that collapse to the same key instead of dropping one', () => {
    const { keys, collisions } = exportKeys([{ rel: 'db-password', value: 'a' }, { rel: 'db_password', value: 'b' }, { rel: 'table', value: 'c' }]);
    assert.deepEqual(collisions, [['db-password', 'db_password']]);
    assert.deepEqual([...keys.keys()], ['TABLE']);
  });

  it('exports JSON keyed by the names after the path', () => {
    assert.deepEqual(JSON.parse(formatExportJson([{ rel: 'b/x', value: '2' }, { rel: 'a', value: '1' }])), { a: '1', 'b/x': '2' });
  });
});

describe('store/transfer: import, classified by the three questions', () => {
  const env = [
    '# app settings',
    'TABLE_NAME=orders-prod',
    'API_URL="https://api.example.com/v1"',
    `STRIPE_SECRET_KEY=${STRIPE_LIKE}`,
    'DB_PASSWORD=Zx9!qLr7#vTp2@Wm',
    'SESSION_TOKEN=short',
    'DB_SECRET_ARN=arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf',
    'EMPTY=',
    'LOG_LEVEL=info',
    'LOG_LEVEL=debug',
    'export FEATURE_FLAGS=\'{"beta": true}\'',
    'BROKEN_JSON={"a":',
  ].join('\n');

  it('plain config → String, sensitive → SecureString, --rotate → Secrets Manager; values never in the plan JSON', () => {
    const { entries, duplicates } = planImport(env, { prefix: '/app/prod', rotate: ['DB_PASSWORD'] });
    const by = Object.fromEntries(entries.map((e) => [e.key, e]));
    assert.deepEqual(duplicates, ['LOG_LEVEL']);
    assert.equal(by.LOG_LEVEL.value, 'debug', 'the last assignment wins');
    assert.equal(by.TABLE_NAME.destination, 'String');
    assert.equal(by.API_URL.destination, 'String');
    assert.equal(by.STRIPE_SECRET_KEY.destination, 'SecureString');
    assert.match(by.STRIPE_SECRET_KEY.sensitiveWhy, /value looks like a credential \(Stripe secret key\)|key names a secret/);
    assert.equal(by.SESSION_TOKEN.destination, 'SecureString', 'a secret name is enough');
    assert.equal(by.DB_PASSWORD.destination, 'SecretsManager');
    assert.equal(by.DB_PASSWORD.monthly, 0.4);
    assert.equal(by.DB_SECRET_ARN.destination, 'String', 'a reference to a secret is not a secret');
    assert.equal(by.FEATURE_FLAGS.destination, 'String');
    assert.deepEqual(by.EMPTY.problems, ['empty value: AWS does not store empty values']);
    assert.match(by.BROKEN_JSON.problems.join(' '), /not valid JSON/);
    assert.equal(by.TABLE_NAME.name, '/app/prod/TABLE_NAME');
    assert.equal(by.TABLE_NAME.line, 2);
    const json = JSON.stringify(planJson(entries));
    for (const secret of [STRIPE_LIKE, 'Zx9!qLr7', 'orders-prod']) assert.ok(!json.includes(secret), 'no value in the plan');
  });

  it('hints at rotation for credentials that usually rotate, without choosing it', () => {
    const { entries } = planImport('DB_PASSWORD=Zx9!qLr7#vTp2@Wm\n', { prefix: '/app' });
    assert.equal(entries[0].destination, 'SecureString');
    assert.match(entries[0].rotationHint ?? '', /--rotate DB_PASSWORD/);
  });

  it('names keys as written, kebab or lower case, and checks names before any call', () => {
    assert.equal(segmentFor('DB_PASSWORD', 'kebab'), 'db-password');
    assert.equal(segmentFor('DB_PASSWORD', 'lower'), 'db_password');
    const { entries } = planImport('A.B=1\n', { prefix: '/aws/reserved', keyStyle: 'kebab' });
    assert.equal(entries[0].name, '/aws/reserved/a-b');
    assert.match(entries[0].problems.join(' '), /cannot begin with "aws"/);
  });
});
