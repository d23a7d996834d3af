import * as assert from 'node:assert/strict';
import { compareSides, describeRow, joinName, normalizePrefix, relativeName, sideLabels, type SideItem } from '../../../src/core/store/compare';

const p = (rel: string, x: Partial<SideItem> = {}, prefix = '/app/staging'): SideItem => ({ name: prefix + rel, rel, kind: 'parameter', type: 'String', tier: 'Standard', dataType: 'text', valueHash: `h:${rel}`, ...x });
const s = (rel: string, x: Partial<SideItem> = {}, prefix = 'app/staging'): SideItem => ({ name: prefix + rel, rel, kind: 'secret', type: 'secret', rotation: 'off', valueHash: `h:${rel}`, ...x });

describe('store/compare: environment parity', () => {
  it('normalises prefixes and relative names', () => {
    assert.equal(normalizePrefix('/app/staging/', 'parameter'), '/app/staging');
    assert.equal(normalizePrefix('app/staging', 'parameter'), '/app/staging');
    assert.equal(normalizePrefix('app/staging/', 'secret'), 'app/staging');
    assert.equal(relativeName('/app/staging/db/password', '/app/staging'), '/db/password');
    assert.equal(relativeName('/app/staging-old/x', '/app/staging'), undefined, 'a sibling with the same start is not under the prefix');
    assert.equal(relativeName('/app/staging', '/app/staging'), undefined);
    assert.equal(joinName('/app/production', '/db/password'), '/app/production/db/password');
    assert.deepEqual(sideLabels('/app/staging', '/app/production'), ['staging', 'production']);
    assert.deepEqual(sideLabels('/a/prod', '/b/prod'), ['/a/prod', '/b/prod']);
  });

  it('finds names missing on either side, type and metadata differences, and value equality by hash', () => {
    const a = [p('/only-a'), p('/same'), p('/typed', { type: 'String' }), p('/tier', { tier: 'Advanced' }), p('/value', { valueHash: 'x' }), p('/data', { dataType: 'aws:ec2:image' })];
    const b = [p('/only-b', {}, '/app/prod'), p('/same', {}, '/app/prod'), p('/typed', { type: 'SecureString', keyId: 'alias/aws/ssm' }, '/app/prod'), p('/tier', {}, '/app/prod'), p('/value', { valueHash: 'y' }, '/app/prod'), p('/data', {}, '/app/prod')];
    const r = compareSides('parameter', { prefix: '/app/staging', items: a }, { prefix: '/app/prod', items: b });
    const by = Object.fromEntries(r.rows.map((x) => [x.rel, x]));
    assert.deepEqual(r.rows.map((x) => x.rel), ['/data', '/only-a', '/only-b', '/same', '/tier', '/typed', '/value']);
    assert.equal(by['/only-a'].status, 'onlyA');
    assert.equal(by['/only-b'].status, 'onlyB');
    assert.equal(by['/same'].status, 'same');
    assert.equal(by['/same'].value, 'equal');
    assert.deepEqual(by['/typed'].differences, [{ field: 'type', a: 'String', b: 'SecureString' }], 'a type change implies the key change: not listed twice');
    assert.deepEqual(by['/tier'].differences.map((d) => d.field), ['tier']);
    assert.deepEqual(by['/data'].differences, [{ field: 'dataType', a: 'aws:ec2:image', b: 'text' }]);
    assert.equal(by['/value'].status, 'different');
    assert.equal(by['/value'].value, 'different');
    assert.deepEqual(r.counts, { onlyA: 1, onlyB: 1, different: 4, same: 1, typeDifferences: 1, valueDifferences: 1 });
    assert.equal(r.namesOrTypesDiffer, true);
  });

  it('compares KMS keys of two SecureStrings (an empty key is the AWS managed one)', () => {
    const r = compareSides('parameter',
      { prefix: '/a', items: [p('/k', { type: 'SecureString', keyId: 'alias/aws/ssm' }, '/a'), p('/c', { type: 'SecureString', keyId: 'alias/app-staging' }, '/a')] },
      { prefix: '/b', items: [p('/k', { type: 'SecureString' }, '/b'), p('/c', { type: 'SecureString', keyId: 'alias/app-prod' }, '/b')] });
    assert.equal(r.rows.find((x) => x.rel === '/k')!.status, 'same');
    assert.deepEqual(r.rows.find((x) => x.rel === '/c')!.differences, [{ field: 'kmsKey', a: 'alias/app-staging', b: 'alias/app-prod' }]);
    assert.equal(r.namesOrTypesDiffer, false, 'a KMS key difference alone does not fail CI');
  });

  it('compares JSON secrets key by key, and rotation and deletion of secrets', () => {
    const a = [s('/db', { jsonKeys: { username: '1', password: '2', host: '3', engine: 'pg' }, rotation: 'every 30 days' }), s('/old', { deleted: true, valueHash: undefined })];
    const b = [s('/db', { jsonKeys: { username: '9', password: '8', engine: 'pg', port: '5' }, rotation: 'off' }, 'app/prod'), s('/old', { valueHash: undefined }, 'app/prod')];
    const r = compareSides('secret', { prefix: 'app/staging', items: a }, { prefix: 'app/prod', items: b });
    const db = r.rows.find((x) => x.rel === '/db')!;
    assert.equal(db.value, 'different');
    assert.deepEqual(db.jsonKeys, { onlyA: ['host'], onlyB: ['port'], different: ['password', 'username'], equal: ['engine'] });
    assert.deepEqual(db.differences, [{ field: 'rotation', a: 'every 30 days', b: 'off' }]);
    assert.match(describeRow(db, 'staging', 'prod'), /rotation every 30 days → off · value differs: 2 keys differ \(password, username\); only in staging: host; only in prod: port/);
    const old = r.rows.find((x) => x.rel === '/old')!;
    assert.deepEqual(old.differences, [{ field: 'deletion', a: 'scheduled for deletion', b: 'active' }]);
    assert.equal(old.value, 'not-compared');
    // Same keys, same values, different JSON formatting: equal.
    const same = compareSides('secret', { prefix: 'x', items: [s('/j', { jsonKeys: { a: '1' }, valueHash: 'one' }, 'x')] }, { prefix: 'y', items: [s('/j', { jsonKeys: { a: '1' }, valueHash: 'two' }, 'y')] });
    assert.equal(same.rows[0].value, 'equal');
  });

  it('reports a value it could not read as unknown, not as equal', () => {
    const r = compareSides('parameter', { prefix: '/a', items: [p('/x', { valueHash: undefined, valueError: 'AccessDenied' }, '/a')] }, { prefix: '/b', items: [p('/x', {}, '/b')] });
    assert.equal(r.rows[0].value, 'unknown');
    assert.equal(r.rows[0].status, 'same', 'no known difference');
    assert.match(describeRow(r.rows[0], 'a', 'b'), /value not readable/);
  });

  it('never puts a value or a hash in a description', () => {
    const r = compareSides('parameter', { prefix: '/a', items: [p('/x', { valueHash: 'SECRET-HASH' }, '/a')] }, { prefix: '/b', items: [p('/x', { valueHash: 'OTHER-HASH' }, '/b')] });
    assert.doesNotMatch(describeRow(r.rows[0], 'a', 'b'), /HASH/);
  });
});
