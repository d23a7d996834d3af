import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanForSecrets, seededSecretStrings } from '../../support/hygiene';

describe('secret hygiene scanner (used on the VS Code user-data directory)', () => {
  it('lists every seeded SecureString, secret string and secret JSON field, and no plain config', () => {
    const s = seededSecretStrings();
    assert.ok(s.includes('sk_live_KeywaySeedproduction3f9a27c1d8e4b6'));
    assert.ok(s.includes('Kw-seed-db-staging-7Qx!v9Lr2'), 'the password inside the JSON secret');
    assert.ok(s.includes('kw-seed-oauth-production-Zp41mQa8Tn'));
    assert.ok(!s.includes('info'), 'log-level is plain config');
    assert.ok(!s.some((x) => x.startsWith('https://api.example.com')));
  });

  it('finds a planted value in UTF-8 and UTF-16 files in nested folders, and finds the Keyway log', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-hygiene-'));
    try {
      const secret = seededSecretStrings()[0];
      fs.mkdirSync(path.join(dir, 'logs', 'exthost', 'keyway.keyway'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'logs', 'exthost', 'keyway.keyway', 'Keyway.log'), 'DescribeParameters ok\n');
      fs.mkdirSync(path.join(dir, 'User', 'globalStorage'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'User', 'globalStorage', 'state.vscdb'), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(`x${secret}y`, 'utf16le')]));
      fs.writeFileSync(path.join(dir, 'clean.json'), '{"a":1}');
      const r = scanForSecrets(dir, seededSecretStrings());
      assert.equal(r.filesScanned, 3);
      assert.equal(r.logFiles.length, 1);
      assert.deepEqual(r.hits.map((h) => path.basename(h.file)), ['state.vscdb']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
