// Other text files (Python, Go, Java, Markdown, XML, nginx .conf, Makefile, .http, PowerShell, tool rc files): the
// shared line grammar names the values, the provider pass finds keys anywhere, and code in other languages stays
// quiet (an unquoted `name = expr` is code; f-strings are computed; lists of strings are not pairs).
import * as assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analyzer';
import { documentKind, readDocument } from '../../../src/core/readers';
import type { Finding } from '../../../src/core/types';
import { FAKE } from '../secrets/fakes';

const PW = 'Zx9qLr7vTp2Wm4Kd8Jh';
const HEX64 = '9f2c4e1a7b3d58f06a9e2c7b41d3f8e5a0c6b9d2e7f14a3c8b5d0e9f2a7c4b1d';

function secrets(path: string, text: string): Finding[] {
  return analyzeText(path, text).filter((f) => f.ruleId === 'hardcoded-secret');
}
const lines = (fs: Finding[]) => fs.map((f) => f.range.start.line + 1);

describe('readers: other text files', () => {
  it('reads the kinds that hold credentials in real repositories, not lock files or images', () => {
    for (const p of ['handler.py', 'main.go', 'src/main/java/A.java', 'Program.cs', 'app.rb', 'index.php', 'README.md', 'docs/a.rst',
      'settings.xml', 'web/index.html', 'deploy/nginx.conf', 'Makefile', 'Jenkinsfile', 'api.http', 'boot.ps1', '.sentryclirc', 'requirements.txt']) {
      assert.equal(documentKind(p), 'text', p);
    }
    for (const p of ['yarn.lock', 'go.sum', 'logo.png', 'font.woff2', 'data.csv', 'archive.zip']) assert.equal(documentKind(p), undefined, p);
  });

  it('names quoted values in every assignment form, with exact offsets', () => {
    const text = [
      `DB_PASSWORD = "${PW}"`, `var apiKey = '${PW}'`, `$env:GITLAB_TOKEN = "${PW}"`, `conn = connect(user="admin", password="${PW}")`,
      `"PASSWORD": "${PW}",`, `:secret => '${PW}'`, `os.getenv("API_TOKEN", "${PW}")`, `<password>${PW}</password>`,
      `<add key="ClientSecret" value="${PW}" />`, `self.client.headers["x-api-key"] = "${PW}"`, `allowed = ["token"] == "${PW}"`,
    ].join('\n');
    const doc = readDocument('text', text, 'x.txt');
    const got = doc.entries.map((e) => [e.key, text.slice(e.valueStart, e.valueEnd).replace(/^["']|["']$/g, '')]);
    assert.deepEqual(got, [['DB_PASSWORD', PW], ['apiKey', PW], ['GITLAB_TOKEN', PW], ['user', 'admin'], ['password', PW], ['PASSWORD', PW],
      ['secret', PW], ['API_TOKEN', PW], ['password', PW], ['ClientSecret', PW], ['x-api-key', PW]]);
  });

  it('Python, Go and Java: provider keys and named secrets found; code, f-strings and lists quiet', () => {
    const py = [
      'import os', `stripe.api_key = "${FAKE.stripeLive}"`, `password = os.environ.get("DB_PASSWORD", "postgres")`,
      'self._signing_key = key[:16]', 'def encode(self, private_key: ed25519.Ed25519PrivateKey) -> None:', 'password = f"{registry_id}-auth-token"',
      'if name in {"_type", "_parameters", "_token", "_on_update"}:', `conn = psycopg2.connect(user="admin", password="${PW}")`,
      'credentials = {"username": "admin", "password": "P@55w0rd!"}', 'token = next_token',
    ].join('\n');
    assert.deepEqual(lines(secrets('functions/app.py', py)), [2, 8]);
    const go = `package main\n\nconst tokenParam = "/inventory/prod/token"\nvar githubToken = "${FAKE.githubPat}"\n`;
    assert.deepEqual(lines(secrets('main.go', go)), [4]);
    const java = `class C {\n  static final String PASSWORD_PARAM = "/billing/prod/db/password";\n  private static final String DB_PASSWORD = "${PW}";\n}\n`;
    assert.deepEqual(lines(secrets('Config.java', java)), [3]);
  });

  it('config, docs and request files: unquoted `name = value` lines count; placeholders and samples do not', () => {
    assert.deepEqual(lines(secrets('.sentryclirc', `[defaults]\norg = acme\n\n[auth]\ntoken = ${HEX64}\n`)), [5]);
    assert.deepEqual(lines(secrets('api.http', `@baseUrl = https://api.acme.example\n@token = ${FAKE.githubOauth}\n\nGET {{baseUrl}}/orders\nAuthorization: Bearer {{token}}\nX-Api-Key: ${PW}\n`)), [2, 6]);
    const md = [
      '# Setup', '', `Use \`${FAKE.sendgrid}\` for staging.`, '', 'Set `JWT_SECRET` to a long random string.', '',
      `    ${FAKE.jwtIoSample}`, '', '| `STRIPE_SECRET_KEY` | `sk_test_...` |', 'password: changeme', 'DATABASE_URL=postgres://user:password@localhost:5432/db',
    ].join('\n');
    assert.deepEqual(lines(secrets('docs/setup.md', md)), [3]);
    const make = `push:\n\techo "${PW}" | docker login -u bot --password-stdin\n\tAPI_TOKEN := $(shell cat token)\n`;
    assert.deepEqual(lines(secrets('Makefile', make)), []);
  });

  it('copies under another suffix are read as what they copy; example copies on formats only', () => {
    const yml = `smtp:\n  password: ${PW}\n  token: ${FAKE.githubPat}\n`;
    assert.deepEqual(lines(secrets('config/settings.yml.bak', yml)), [2, 3]);
    assert.deepEqual(lines(secrets('config/settings.yml.example', yml)), [3]);
    assert.deepEqual(lines(secrets('infra/terraform.tfstate', `{ "resources": [{ "instances": [{ "attributes": { "password": "${PW}" } }] }] }\n`)), [1]);
  });

  it('a file of 50,000 quoted pairs is read whole (overlap checks are per character, not per pair)', () => {
    const doc = readDocument('text', '"a": '.repeat(100_000), 'data.md');
    assert.equal(doc.entries.length, 50_000);
  });

  it('no finding repeats the value', () => {
    for (const f of secrets('a.py', `API_KEY = "${PW}"\nkey = "${FAKE.openai}"\n`)) {
      assert.ok(!f.message.includes(PW) && !JSON.stringify(f.data).includes(PW));
      assert.ok(!f.message.includes(FAKE.openai) && !JSON.stringify(f.data).includes(FAKE.openai));
    }
  });
});

describe('hardcoded-secret: second-round detector defects', () => {
  it('an unsigned JWT (alg none, empty signature) is not a secret, even under a token name', () => {
    const none = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXN0In0.';
    assert.deepEqual(secrets('src/session.ts', `export const session = { accessToken: '${none}' };\n`), []);
  });

  it('Buffer.from(<hex>, "hex") under a key name: the encoded literal is judged, not its binary bytes', () => {
    assert.deepEqual(lines(secrets('src/crypto.ts', `const ENCRYPTION_KEY = Buffer.from('${HEX64}', 'hex');\n`)), [1]);
    assert.deepEqual(secrets('src/crypto.ts', `const EMPTY = Buffer.from('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex');\n`), []);
  });

  it('nested encodings are decoded: a .dockerconfigjson holding base64 of user:token', () => {
    const auth = Buffer.from(`ci:${FAKE.githubPat}`).toString('base64');
    const dcj = Buffer.from(JSON.stringify({ auths: { 'ghcr.io': { auth } } })).toString('base64');
    assert.deepEqual(lines(secrets('k8s/pull.yaml', `apiVersion: v1\nkind: Secret\ndata:\n  .dockerconfigjson: ${dcj}\n`)), [4]);
    const plain = Buffer.from(JSON.stringify({ auths: { 'ghcr.io': { email: 'ci@acme.example' } } })).toString('base64');
    assert.deepEqual(secrets('k8s/pull.yaml', `apiVersion: v1\nkind: Secret\ndata:\n  .dockerconfigjson: ${plain}\n`), []);
  });

  it('CloudFormation resource types used as keys are not secret names', () => {
    assert.deepEqual(secrets('schemas/us-east-1.json', '{ "AWS::ApiGateway::ApiKey": "b899a0d240b53d9d", "AWS::IAM::AccessKey": "6e1f6a1ab4c2d9e0" }\n'), []);
  });

  it('SQL statements that set a password', () => {
    const sql = `CREATE USER 'app'@'%' IDENTIFIED BY '${PW}';\nCREATE ROLE reporter WITH LOGIN PASSWORD '${PW}';\nCREATE USER 'dev'@'localhost' IDENTIFIED BY 'dev';\n`;
    assert.deepEqual(lines(secrets('docker/init.sql', sql)), [1, 2]);
  });

  it('paths, shape ids and documentation samples are not secrets', () => {
    // JMESPath paginator tokens, Smithy auth scheme ids, a dotenv sample URI, the AWS docs session token
    assert.deepEqual(secrets('apis/kinesis.paginators.json', '{ "output_token": "StreamDescription.Shards[-1].ShardId", "auth": ["aws.auth#sigv4"] }\n'), []);
    assert.deepEqual(secrets('src/errors.js', 'throw new Error("Must be in valid uri format like dotenv://:key_1234@dotenvx.com/vault/.env.vault");\n'), []);
    const sample = 'IQoJb3JpZ2luX2VjEOz' + '/'.repeat(20) + 'wEXAMPLEtMSJHMEUCIDoKK3JH9uGQE1z' + 'A'.repeat(60);
    assert.deepEqual(secrets('docs/sts.json', `{ "SessionToken": "${sample}" }\n`), []);
    // a README's code sample: `credentials: provider,` is code
    assert.deepEqual(secrets('README.md', '```js\nconst client = new S3Client({\n  credentials: provider,\n  privateKey: privateKeyStream,\n});\n```\n'), []);
  });

  it('JVM and .NET test classes count as test code: generic values there need high confidence', () => {
    const java = 'class OrderService {\n  private static final String PASSWORD = "Kx9mQ2vLp8";\n}\n';
    assert.deepEqual(lines(secrets('OrderService.java', java)), [2], 'medium confidence outside tests');
    assert.deepEqual(secrets('OrderServiceTest.java', java), []);
    assert.deepEqual(secrets('PaymentsTests.cs', java), []);
  });
});
