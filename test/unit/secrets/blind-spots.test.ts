// Blind spots found by the unseen round of December 2026 (test/fixtures/secrets-corpus/unseen-2026-12, written before
// the detector was read) and by scanning real code offline (npm, Go module cache, PyPI packages). Every value is
// generated fresh on each run; each case is the general shape, not the corpus line.
import assert from 'node:assert/strict';
import { documentKind } from '../../../src/core/readers/kind';
import { fakeJwt, fresh, freshHex } from './fakes';
import { only, scan } from './helpers';

const j = (...p: string[]) => p.join('');
const lines = (file: string, text: string) => only(scan(file, text), 'hardcoded-secret').map((f) => f.range.start.line + 1);
const pw = () => `${fresh(6)}${fresh(2, '0123456789')}${fresh(10)}`;

describe('hardcoded-secret: blind spots of the unseen round', () => {
  it('reads logs, HAR captures and shell history', () => {
    assert.equal(documentKind('logs/ingest-2026-11-30.log'), 'text');
    assert.equal(documentKind('tools/checkout.har'), 'json');
    for (const f of ['.bash_history', 'ops/bash_history', '.zsh_history', '.history']) assert.equal(documentKind(f), 'shell', f);
    assert.equal(documentKind('HISTORY'), undefined, 'a changelog named HISTORY is not shell history');
    const telegram = `${fresh(10, '123456789')}:AA${fresh(33)}`;
    const log = [
      `2026-11-30T02:00:01Z DEBUG config loaded: {"stage":"prod","apiKey":"${fresh(32)}"}`,
      `2026-11-30T02:00:02Z DEBUG POST https://api.telegram.org/bot${telegram}/sendMessage`,
      `2026-11-30T02:00:03Z ERROR connect failed: postgres://ingest:${pw()}@orders-db.internal:5432/ingest`,
      `2026-11-30T02:00:04Z INFO requestId=${crypto.randomUUID()} done`,
    ].join('\n');
    assert.deepEqual(lines('acme/logs/app.log', log), [1, 2, 3]);
    const har = JSON.stringify({ log: { entries: [{ request: { headers: [
      { name: 'authorization', value: `Bearer ${fakeJwt({ iss: 'supabase', ref: fresh(20).toLowerCase(), role: 'service_role' })}` },
      { name: 'x-request-id', value: crypto.randomUUID() },
    ] } }] } }, null, 2);
    assert.equal(lines('acme/tools/capture.har', har).length, 1);
    const history = [
      'ls -la',
      `export DD_API_KEY=${freshHex(32)}`,
      `aws configure set aws_secret_access_key ${fresh(40)} --profile data`,
      `docker run -e DB_PASSWORD=${pw()} postgres:16`,
      `htpasswd -b -c /etc/nginx/.htpasswd grafana ${pw()}`,
      'git log --oneline | head',
    ].join('\n');
    assert.deepEqual(lines('acme/ops/.bash_history', history), [2, 3, 4, 5]);
  });

  it('plist key/string pairs and server-config directives name their values', () => {
    const plist = ['<dict>', '\t<key>AlgoliaAdminKey</key>', `\t<string>${freshHex(32)}</string>`, '\t<key>CFBundleIdentifier</key>',
      '\t<string>com.acme.store</string>', '\t<key>IntercomSecret</key>', `\t<string>${fresh(32)}</string>`, '</dict>'].join('\n');
    assert.deepEqual(lines('acme/ios/Info.plist', plist), [3, 7]);
    const nginx = ['location /api/ {', `    proxy_set_header X-Api-Key "${fresh(32)}";`, '    proxy_set_header Host $host;', '}'].join('\n');
    assert.deepEqual(lines('acme/deploy/nginx.conf', nginx), [2]);
    const apache = ['<VirtualHost *:443>', `    SetEnv DB_PASSWORD ${pw()}`, '    SetEnv APP_ENV production',
      `    RequestHeader set X-Upstream-Token "${fresh(32)}"`, '</VirtualHost>'].join('\n');
    assert.deepEqual(lines('acme/apache/vhost.conf', apache), [2, 4]);
  });

  it('Go DSNs without a scheme, JSON serialised inside a string, and a bare Key named by its section', () => {
    const go = ['package main', '', 'const (', `\tdefaultDSN = "exporter:${pw()}@tcp(mysql.internal:3306)/metrics?parseTime=true"`,
      '\tlocalDSN = "root:root@tcp(127.0.0.1:3306)/test"', ')'].join('\n');
    assert.deepEqual(lines('acme/cmd/main.go', go), [4]);
    const postman = JSON.stringify({ item: [{ request: { body: { mode: 'raw', raw: JSON.stringify({ email: 'qa@acme.io', password: pw() }, null, 2) } } }] }, null, 1);
    assert.equal(lines('acme/postman/api.postman_collection.json', postman).length, 1);
    const appsettings = JSON.stringify({ Jwt: { Issuer: 'portal', Key: fresh(48) }, Cache: { Key: 'orders-v2' } }, null, 2);
    assert.deepEqual(lines('acme/appsettings.json', appsettings), [4]);
  });

  it('framework secrets whose last word is not a secret word, and key files holding one token', () => {
    const yml = ['development:', `  secret_key_base: ${freshHex(128)}`, 'production:', '  secret_key_base: <%= ENV["SECRET_KEY_BASE"] %>'].join('\n');
    assert.deepEqual(lines('acme/config/secrets.yml', yml), [2]);
    const salt = () => fresh(64, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!@#%^&*()-_[]<>~+=,.;:/?|');
    const wp = ['<?php', `define( 'LOGGED_IN_KEY', '${salt()}' );`, "define( 'NONCE_KEY', 'put your unique phrase here' );",
      `define( 'AUTH_SALT', '${salt()}' );`, "define( 'DB_CHARSET', 'utf8mb4' );"].join('\n');
    assert.deepEqual(lines('acme/wp-config.php', wp), [2, 4]);
    assert.equal(documentKind('config/master.key'), 'private-key');
    assert.deepEqual(lines('acme/config/master.key', freshHex(32)), [1]);
    assert.deepEqual(lines('acme/config/master.key', 'replace-me-with-your-master-key'), []);
  });

  it('code: a random piece after ${}, a literal read through .slice()/.trim(), express-basic-auth users', () => {
    const code = [
      `const REFRESH_SECRET = \`\${process.env.STAGE}-${freshHex(64)}\`;`,
      'const LABEL = `${process.env.STAGE}-orders-api-refresh-token-label`;',
      `export const cfg = { CONTENTFUL_ACCESS_TOKEN: '${fresh(43)}'.slice(0, 43), name: ' orders '.trim() };`,
      `app.use('/admin', basicAuth({ users: { admin: '${pw()}' }, challenge: true }));`,
      "app.use('/ops', basicAuth({ users: { ops: process.env.OPS_PASSWORD! } }));",
    ].join('\n');
    assert.deepEqual(lines('acme/src/app.ts', code), [1, 3, 4]);
  });
});

describe('hardcoded-secret: quiet on real code (npm, Go and PyPI packages read by hand)', () => {
  it('identifiers, migration names, regular expressions and <placeholders> are not secrets', () => {
    const py = [
      'SESSION_KEY = "_auth_user_id"',
      'CSRF_SESSION_KEY = "_csrftoken"',
      'INTERNAL_RESET_SESSION_TOKEN = "_password_reset_token"',
      'dependencies = [("auth", "0004_alter_user_username_opts")]',
      'token = r"[-!#$%&\'*+.^_`|~0-9a-zA-Z]+"',
      'qtoken = r\'(?:"(?:[^"]|"")+"|[\\w]+?)\'',
      '"""For example `{"Proxy-Authorization": "Basic <username>:<password>"}`."""',
    ].join('\n');
    assert.deepEqual(lines('acme/lib/auth.py', py), []);
  });

  it('URLs: a JWS header decoded is not user:password, nor a multi-host URL, nor scott/tiger, nor a badge token', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', jwk: { e: 'AQAB', kty: 'RSA', n: fresh(40) }, nonce: 'nonce', url: 'url' })).toString('base64');
    const go = [`\tprotected = "${header}"`, "\tmhu := MultiHostUrl('https://foo.com:123,foo:bar@bar.com/path')"].join('\n');
    assert.deepEqual(lines('acme/jws_test.go', go), []);
    const py = ['engine = create_engine("mssql+pyodbc://scott:tiger^5HHH@mssql2017:1433/test?driver=ODBC+Driver+17")',
      'url = "https://jo%40email.com:a%20secret@m\u00fcller.de:1234/path"'].join('\n');
    assert.deepEqual(lines('acme/lib/engines.py', py), []);
    const md = `[![Build Status](https://travis-ci.com/acme/lib.svg?token=${fresh(20)}&branch=master)](https://travis-ci.com/acme/lib)`;
    assert.deepEqual(lines('acme/README.md', md), []);
  });

  it('tests: a value that names itself (…password) is medium at most, so quiet in tests; still reported elsewhere', () => {
    const code = `\t\t{Username: "special", Password: "special<${fresh(6)}+3p#6-.${fresh(6)}:m8G;kGypassword", Valid: true},`;
    assert.deepEqual(lines('acme/crypto_test.go', code), []);
    assert.deepEqual(lines('acme/crypto.go', code), [1]);
  });

  it('API documentation examples, Firebase mobile configs and a claimless JWT in a sample event', () => {
    const examples = JSON.stringify({ examples: { ChangePassword: [{ input: { NewPassword: `]${fresh(6)}/{pB9${fresh(4)}`, OldPassword: `${fresh(4)}_;xh4~8${fresh(3)}` } }] } }, null, 2);
    assert.deepEqual(lines('acme/data/iam/examples-1.json', examples), []);
    const gs = JSON.stringify({ client: [{ api_key: [{ current_key: j('AIza', 'Sy', fresh(33)) }] }] }, null, 2);
    assert.deepEqual(lines('acme/android/app/google-services.json', gs), []);
    const claimless = `eyJhbGciOiJIUzI1NiJ9.e30.${fresh(43)}`;
    const event = JSON.stringify({ headers: { authorization: `Bearer ${claimless}` } }, null, 2);
    assert.deepEqual(lines('acme/events/apigw-event.json', event), []);
  });
});
