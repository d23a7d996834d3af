import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findConfigFile, loadConfig, loadConfigFile, validateConfig } from '../../../src/core/config';
import { DEFAULT_CONFIG } from '../../../src/core/types';

describe('config (.keywayrc.json)', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-config-')); });
  after(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it('accepts a complete valid configuration', () => {
    const r = validateConfig({
      $schema: './schema.json',
      rules: { 'hardcoded-secret': 'error', 'uncached-fetch': 'off', 'sequential-fetch': 'hint' },
      cacheTtlSeconds: 60, secretWords: ['pin', 'passphrase'], ignore: ['legacy/**'], maxFileSize: 2048,
    }, 'rc.json');
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.config.rules, { 'hardcoded-secret': 'error', 'uncached-fetch': 'off', 'sequential-fetch': 'hint' });
    assert.equal(r.config.cacheTtlSeconds, 60);
    assert.deepEqual(r.config.secretWords, ['pin', 'passphrase']);
    assert.deepEqual(r.config.ignore, ['legacy/**']);
    assert.equal(r.config.maxFileSize, 2048);
  });

  it('an empty object gives the defaults', () => {
    const r = validateConfig({});
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.config, DEFAULT_CONFIG);
  });

  it('names the file and the key of an unknown rule id', () => {
    const r = validateConfig({ rules: { 'no-such-rule': 'error' } }, '/p/.keywayrc.json');
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0], /^\/p\/\.keywayrc\.json: "rules\.no-such-rule": unknown rule id/);
    assert.deepEqual(r.config.rules, {});
  });

  it('rejects a bad severity and keeps the valid rules', () => {
    const r = validateConfig({ rules: { 'hardcoded-secret': 'fatal', 'secret-in-env': 'info' } }, 'f');
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0], /"rules\.hardcoded-secret": must be one of "off", "error"/);
    assert.match(r.errors[0], /got "fatal"/);
    assert.deepEqual(r.config.rules, { 'secret-in-env': 'info' });
  });

  it('minConfidence takes "high" or "medium"', () => {
    assert.equal(validateConfig({ minConfidence: 'high' }).config.minConfidence, 'high');
    const bad = validateConfig({ minConfidence: 'low' });
    assert.equal(bad.config.minConfidence, undefined);
    assert.match(bad.errors.join('\n'), /"minConfidence": must be "high" or "medium"/);
  });

  it('rejects wrong types', () => {
    const r = validateConfig({ rules: [], cacheTtlSeconds: '300', secretWords: 'pin', ignore: [1, ''], maxFileSize: -5 }, 'f');
    const keys = r.errors.map((e) => /"([^"]+)"/.exec(e)?.[1]);
    assert.deepEqual(keys.sort(), ['cacheTtlSeconds', 'ignore[0]', 'ignore[1]', 'maxFileSize', 'rules', 'secretWords'].sort());
    assert.equal(r.config.cacheTtlSeconds, 300);
    assert.equal(r.config.maxFileSize, DEFAULT_CONFIG.maxFileSize);
  });

  it('rejects non-integer numbers', () => {
    const r = validateConfig({ cacheTtlSeconds: 1.5 }, 'f');
    assert.match(r.errors[0], /"cacheTtlSeconds": must be an integer >= 0, got 1\.5/);
  });

  it('rejects unknown top-level keys', () => {
    const r = validateConfig({ rule: {} }, 'f');
    assert.match(r.errors[0], /^f: "rule": unknown key/);
  });

  it('rejects a non-object document', () => {
    for (const raw of [null, [], 'x', 3]) {
      const r = validateConfig(raw, 'f');
      assert.equal(r.errors.length, 1);
      assert.match(r.errors[0], /must be a JSON object/);
    }
  });

  it('reports invalid JSON with the file name, without throwing', () => {
    const f = path.join(dir, 'bad.json');
    fs.writeFileSync(f, '{ "rules": ');
    const r = loadConfigFile(f);
    assert.equal(r.errors.length, 1);
    assert.ok(r.errors[0].startsWith(f + ': invalid JSON'));
  });

  it('reports a missing file without throwing', () => {
    const r = loadConfigFile(path.join(dir, 'missing.json'));
    assert.match(r.errors[0], /cannot read the configuration file \(ENOENT\)/);
  });

  it('finds the nearest .keywayrc.json above the scanned folder', () => {
    const deep = path.join(dir, 'proj', 'a', 'b');
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(dir, 'proj', '.keywayrc.json'), '\ufeff{ "cacheTtlSeconds": 42 }');
    assert.equal(findConfigFile(deep), path.join(dir, 'proj', '.keywayrc.json'));
    const r = loadConfig(deep);
    assert.deepEqual(r.errors, []);
    assert.equal(r.config.cacheTtlSeconds, 42);
    fs.writeFileSync(path.join(dir, 'proj', 'a', '.keywayrc.json'), '{ "cacheTtlSeconds": 7 }');
    assert.equal(loadConfig(deep).config.cacheTtlSeconds, 7);
  });

  it('an explicit file wins over discovery', () => {
    const f = path.join(dir, 'explicit.json');
    fs.writeFileSync(f, '{ "maxFileSize": 10 }');
    const r = loadConfig(path.join(dir, 'proj', 'a'), f);
    assert.equal(r.file, f);
    assert.equal(r.config.maxFileSize, 10);
  });
});
