// Regression tests for the detector defects of issue 12 §3a, each with freshly generated values.
import assert from 'node:assert/strict';
import { classifySecret } from '../../../src/core/secrets';
import { fresh, freshOpenSshKey, freshUuid } from './fakes';
import { assertNoLeak, only, scan } from './helpers';

const j = (...p: string[]) => p.join('');
const kinds = (file: string, code: string) => only(scan(file, code), 'hardcoded-secret').map((f) => f.data?.kind);

describe('hardcoded-secret: detector defects (§3a)', () => {
  it('an unencrypted OpenSSH private key (body starting with runs of A) is a key, in a key file, a string and .env', () => {
    for (let i = 0; i < 5; i++) {
      const key = freshOpenSshKey();
      assert.match(key.split('\n')[1], /^b3BlbnNzaC1rZXktdjEAAAAA/);
      assert.equal(classifySecret(key)?.kind, 'private-key');
      assert.deepEqual(kinds('deploy.ts', 'export const DEPLOY_KEY = `' + key + '`;'), ['private-key']);
      assert.deepEqual(kinds('.env', `SSH_KEY="${key.replace(/\n/g, '\\n')}"\n`), ['private-key']);
      assert.deepEqual(kinds('config.json', JSON.stringify({ sshKey: key })), ['private-key']);
    }
    // placeholder checks look at the key's variable part: a body of only fixed headers or a repeated filler is not a key
    assert.equal(classifySecret('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n...\n-----END OPENSSH PRIVATE KEY-----'), undefined);
    assert.equal(classifySecret(`-----BEGIN RSA PRIVATE KEY-----\n${'A'.repeat(64)}\n${'A'.repeat(64)}\n-----END RSA PRIVATE KEY-----`), undefined);
  });

  it('a value containing "test" is not a placeholder when the rest is random (ak_test_…, sk_test_…)', () => {
    const custom = j('ak_', 'test_', fresh(40));
    assert.equal(classifySecret(custom, 'apiKey')?.confidence, 'high');
    assert.deepEqual(kinds('src/pay.ts', `const apiKey = '${custom}';`), ['api-key']);
    assert.deepEqual(kinds('src/pay.ts', `const k = '${j('sk', '_test_', fresh(40))}';`), ['stripe-secret-key']);
    const testKey = only(scan('src/pay.ts', `const k = '${j('sk', '_test_', fresh(40))}';`), 'hardcoded-secret')[0];
    assert.equal(testKey.data?.mode, 'test');
    // whole-value judgement: these are placeholders
    for (const v of ['test1234', 'test-api-key', 'testpassword', 'my-test-secret', 'example-key-123']) assert.equal(classifySecret(v, 'apiKey'), undefined, v);
  });

  it('template literals are checked after every ${}', () => {
    const gh = j('gh', 'p_', fresh(36));
    assert.deepEqual(kinds('src/a.ts', 'const h = `Bearer ${user.id}:' + gh + '`;'), ['github-token']);
    assert.deepEqual(kinds('src/a.ts', 'const url = `${base}/hooks?key=${id}&token=' + gh + '`;'), ['github-token']);
    const conn = 'const dsn = `postgres://${user}:' + fresh(14) + '@db.acme-corp.io/app`;';
    assert.deepEqual(kinds('src/a.ts', conn), ['connection-string-password'], 'a literal password after a computed user');
    assert.deepEqual(kinds('src/a.ts', 'const dsn = `mongodb+srv://app:' + fresh(16) + '@${host}/orders`;'), ['connection-string-password']);
  });

  it('comments are scanned: a commented-out key is still a leaked key', () => {
    const sk = j('sk', '_live_', fresh(40));
    const slack = j('xo', 'xb-', fresh(12, '0123456789'), '-', fresh(13, '0123456789'), '-', fresh(24));
    assert.deepEqual(kinds('src/a.ts', `// const stripe = new Stripe('${sk}');\nexport const x = 1;`), ['stripe-secret-key']);
    assert.deepEqual(kinds('src/a.ts', `/**\n * old token: ${slack}\n */\nexport {};`), ['slack-token']);
    assert.deepEqual(kinds('serverless.yml', `service: a\n# SLACK_TOKEN: ${slack}\nprovider:\n  name: aws\n`), ['slack-token']);
    assert.deepEqual(kinds('.env', `# STRIPE_SECRET_KEY=${sk}\nSTAGE=dev\n`), ['stripe-secret-key']);
    // a key in a string is reported once (the comment pass skips what the value check saw)
    const found = only(scan('src/a.ts', `const k = '${sk}'; // ${'rotated'}`), 'hardcoded-secret');
    assert.equal(found.length, 1);
    assertNoLeak(found, sk);
  });

  it('UUIDs count under token names of providers that issue UUID tokens (Heroku, Codecov), not as ids', () => {
    assert.deepEqual(kinds('src/a.ts', `const HEROKU_API_KEY = '${freshUuid()}';`), ['heroku-api-key']);
    assert.deepEqual(kinds('.github/workflows/ci.yml', `env:\n  CODECOV_TOKEN: ${freshUuid()}\n`), ['codecov-token']);
    assert.deepEqual(kinds('src/a.ts', `const clientToken = '${freshUuid()}'; const requestId = '${freshUuid()}'; const token = '${freshUuid()}';`), []);
  });

  it('values assembled in code are folded: concatenation, join, Buffer.from base64, atob, btoa, const names', () => {
    const body = fresh(93, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') + 'AA';
    assert.deepEqual(kinds('src/a.ts', `const KEY = 'sk-ant-' + 'api03-' + '${body}';`), ['anthropic-api-key']);
    assert.deepEqual(kinds('src/a.ts', `const PREFIX = 'sk-ant-api03-';\nexport const key = PREFIX + '${body}';`), ['anthropic-api-key']);
    const gh = fresh(36);
    assert.deepEqual(kinds('src/a.ts', `const t = ['gh', 'p_', '${gh}'].join('');`), ['github-token']);
    const sk = j('sk', '_live_', fresh(40));
    assert.deepEqual(kinds('src/a.ts', `const k = Buffer.from('${Buffer.from(sk).toString('base64')}', 'base64').toString('utf8');`), ['stripe-secret-key']);
    assert.deepEqual(kinds('src/a.ts', `const k = atob('${Buffer.from(sk).toString('base64')}');`), ['stripe-secret-key']);
    const pw = fresh(14) + '!';
    assert.deepEqual(kinds('src/a.ts', `const auth = 'Basic ' + btoa('svc-orders:${pw}');`), ['basic-auth']);
    assert.deepEqual(kinds('src/a.ts', `const auth = \`Basic \${Buffer.from('svc-orders:${pw}').toString('base64')}\`;`), ['basic-auth']);
    // folding stops at run-time values: no guess on a fragment
    assert.deepEqual(kinds('src/a.ts', "const password = 'Pw-' + crypto.randomUUID(); const t = ['a', b, 'c'].join('');"), []);
    assert.deepEqual(kinds('src/a.ts', "const auth = 'Basic ' + btoa('admin:password');"), [], 'a placeholder pair is still a placeholder');
  });

  it('Mapbox pk. tokens are public like Stripe pk_; sk. tokens are secret', () => {
    const pk = j('p', 'k.eyJ1IjoiYWNtZSIsImEiOiJ', fresh(24), '.', fresh(22));
    const sk = j('s', 'k.eyJ1IjoiYWNtZSIsImEiOiJ', fresh(24), '.', fresh(22));
    assert.deepEqual(kinds('src/map.ts', `mapboxgl.accessToken = '${pk}'; const MAPBOX_TOKEN = '${pk}';`), []);
    assert.deepEqual(kinds('src/map.ts', `const MAPBOX_SECRET_TOKEN = '${sk}';`), ['mapbox-token']);
    assert.deepEqual(kinds('src/pay.ts', `const stripeKey = '${j('pk', '_live_', fresh(40))}';`), []);
  });

  it('a non-ASCII word is a word (Contraseña, Passwort, Zugangsschlüssel, パスワード)', () => {
    const code = "const labels = { password: 'Contraseña', token: 'Zugangsschlüssel', secret: 'Geheimnis', apiKey: 'パスワード', pwd: 'Contraseña2024' };";
    assert.deepEqual(kinds('src/i18n.ts', code), []);
    assert.deepEqual(kinds('locales/es.json', JSON.stringify({ password: 'Contraseña', clientSecret: 'Secreto del cliente' })), []);
  });
});
