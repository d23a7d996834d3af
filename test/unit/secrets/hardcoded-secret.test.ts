import assert from 'node:assert/strict';
import { FAKE } from './fakes';
import { assertNoLeak, covered, only, scan } from './helpers';

interface Case { title: string; file: string; code: string; secret: string; kind?: string; name?: string; count?: number }

const positives: Case[] = [
  { title: 'Stripe live secret key in an unnamed variable (provider format needs no name)', file: 'a.ts', code: `const k = '${FAKE.stripeLive}';`, secret: FAKE.stripeLive, kind: 'stripe-secret-key', name: 'k' },
  { title: 'Stripe test secret key in an object property', file: 'a.ts', code: `export const cfg = { stripe: { key: "${FAKE.stripeTest}" } };`, secret: FAKE.stripeTest, kind: 'stripe-secret-key', name: 'key' },
  { title: 'Stripe restricted key passed as a call argument', file: 'a.js', code: `const stripe = require('stripe')('${FAKE.stripeRestricted}');`, secret: FAKE.stripeRestricted, kind: 'stripe-restricted-key' },
  { title: 'GitHub classic token in a class field', file: 'a.ts', code: `class Client { private readonly token = '${FAKE.githubPat}'; }`, secret: FAKE.githubPat, kind: 'github-token', name: 'token' },
  { title: 'GitHub fine-grained token as a default parameter', file: 'a.ts', code: `export function octo(auth = '${FAKE.githubFineGrained}') { return auth; }`, secret: FAKE.githubFineGrained, kind: 'github-token', name: 'auth' },
  { title: 'GitHub OAuth and server tokens as elements of a tokens array', file: 'a.ts', code: `const tokens = ['${FAKE.githubOauth}', '${FAKE.githubServer}'];`, secret: FAKE.githubOauth, kind: 'github-token', count: 2 },
  { title: 'Slack bot token in a JSX attribute', file: 'a.tsx', code: `export const A = () => <Slack token="${FAKE.slackBot}" />;`, secret: FAKE.slackBot, kind: 'slack-token', name: 'token' },
  { title: 'Slack user token in a template literal without substitutions', file: 'a.ts', code: 'const slack = `' + FAKE.slackUser + '`;', secret: FAKE.slackUser, kind: 'slack-token' },
  { title: 'Slack webhook URL in a constant', file: 'a.mjs', code: `export const WEBHOOK = '${FAKE.slackWebhook}';`, secret: FAKE.slackWebhook, kind: 'slack-webhook' },
  { title: 'Google API key in a config object', file: 'a.ts', code: `const firebaseConfig = { apiKey: '${FAKE.google}', projectId: 'demo' };`, secret: FAKE.google, kind: 'google-api-key', name: 'apiKey' },
  { title: 'Twilio API key SID (the account SID next to it is an identifier, not a secret)', file: 'a.ts', code: `const twilio = makeClient('${FAKE.twilioKey}', '${FAKE.twilioSid}');`, secret: FAKE.twilioKey, kind: 'twilio-api-key' },
  { title: 'SendGrid key passed to setApiKey', file: 'a.cjs', code: `sgMail.setApiKey('${FAKE.sendgrid}');`, secret: FAKE.sendgrid, kind: 'sendgrid-api-key' },
  { title: 'OpenAI project key in an object property', file: 'a.ts', code: `const openai = new OpenAI({ apiKey: '${FAKE.openai}' });`, secret: FAKE.openai, kind: 'openai-api-key' },
  { title: 'OpenAI legacy key in a plain variable', file: 'a.js', code: `var k = "${FAKE.openaiLegacy}";`, secret: FAKE.openaiLegacy, kind: 'openai-api-key' },
  { title: 'PEM private key in a multi-line template literal', file: 'a.ts', code: 'export const signingKey = `' + FAKE.pem + '`;', secret: FAKE.pem.split('\n')[1], kind: 'private-key' },
  { title: 'PEM private key in a string with \\n escapes', file: 'a.ts', code: `const pem = "${FAKE.pem.replace(/\n/g, '\\n')}";`, secret: FAKE.pem.split('\n')[1], kind: 'private-key' },
  { title: 'postgres connection string with a password', file: 'a.ts', code: `const url = '${FAKE.postgres}';`, secret: 'S3cr3tPw0rd', kind: 'connection-string-password' },
  { title: 'mongodb+srv connection string in an object property', file: 'a.ts', code: `export default { mongo: { uri: '${FAKE.mongo}' } };`, secret: 'q9Xk2LmP7vRt', kind: 'connection-string-password' },
  { title: 'redis URL with only a password', file: 'a.ts', code: `const r = new Redis('${FAKE.redis}');`, secret: 'Rd1sPw9xKq2', kind: 'connection-string-password' },
  { title: 'amqp URL with credentials', file: 'a.ts', code: `connect("${FAKE.amqp}")`, secret: 'Mq7pL2xZ9k', kind: 'connection-string-password' },
  { title: 'template literal whose head embeds a password', file: 'a.ts', code: 'const dsn = `' + FAKE.mysql + '${host}/shop`;', secret: 'Xk92jfLq0', kind: 'connection-string-password' },
  { title: 'generic high-entropy value assigned to apiKey', file: 'a.ts', code: `const apiKey = '${FAKE.generic16}';`, secret: FAKE.generic16, kind: 'api-key', name: 'apiKey' },
  { title: 'generic value in a snake_case variable', file: 'a.py.js', code: `const api_key = "${FAKE.generic24}";`, secret: FAKE.generic24, name: 'api_key' },
  { title: 'password in a class field', file: 'a.ts', code: `class Db { dbPassword = '${FAKE.password}'; }`, secret: FAKE.password, kind: 'password', name: 'dbPassword' },
  { title: 'client secret assigned to this.clientSecret', file: 'a.ts', code: `class C { constructor() { this.clientSecret = '${FAKE.generic24}'; } }`, secret: FAKE.generic24, name: 'clientSecret' },
  { title: 'password as a default parameter', file: 'a.ts', code: `export function connect(host: string, password = '${FAKE.password}') {}`, secret: FAKE.password, kind: 'password', name: 'password' },
  { title: 'destructuring default of an api token', file: 'a.ts', code: `const { apiToken = '${FAKE.generic16}' } = options;`, secret: FAKE.generic16, name: 'apiToken' },
  { title: 'kebab-case header key x-api-key', file: 'a.ts', code: `fetch(u, { headers: { 'x-api-key': '${FAKE.generic24}' } });`, secret: FAKE.generic24, name: 'x-api-key' },
  { title: 'nodemailer/SMTP auth pass next to a user', file: 'a.ts', code: `const transport = createTransport({ host: 'smtp-relay.example.net', auth: { user: 'mailer@acme.io', pass: '${FAKE.generic24}' } });`, secret: FAKE.generic24, kind: 'password', name: 'password' },
  { title: 'SMTP auth pass next to a user in YAML', file: 'config.yml', code: `smtp:\n  host: smtp.acme.io\n  auth:\n    user: mailer@acme.io\n    pass: '${FAKE.generic24}'\n`, secret: FAKE.generic24, kind: 'password', name: 'password' },
  { title: 'Authorization header with a Bearer JWT', file: 'a.ts', code: `const headers = { Authorization: 'Bearer ${FAKE.jwt}' };`, secret: FAKE.jwt, kind: 'jwt', name: 'Authorization' },
  { title: 'fallback default after process.env', file: 'a.ts', code: `const key = process.env.STRIPE_SECRET ?? '${FAKE.generic16}';`, secret: FAKE.generic16, name: 'STRIPE_SECRET' },
  { title: 'comparison against a literal password', file: 'a.ts', code: `if (password === '${FAKE.password}') grant();`, secret: FAKE.password, name: 'password' },
  { title: 'jwt.sign with a literal secret', file: 'a.ts', code: `const t = jwt.sign(payload, '${FAKE.generic24}');`, secret: FAKE.generic24, name: 'jwtSecret' },
  { title: 'AWS access key id together with its secret access key', file: 'a.ts', code: `const creds = { accessKeyId: '${FAKE.awsKeyId}', secretAccessKey: '${FAKE.awsSecret}' };`, secret: FAKE.awsSecret, count: 2 },
  { title: 'ADO.NET-style connection string with Password=', file: 'a.cs.ts', code: `const cs = 'Server=sql.internal;Database=orders;User Id=svc;Password=Qx8vLm2Kp9!;';`, secret: 'Qx8vLm2Kp9!', kind: 'connection-string-password' },
  { title: 'weak but real password containing a secret word', file: 'a.js', code: `module.exports = { jwtSecret: 'my-super-secret-jwt-key-2024' };`, secret: 'my-super-secret-jwt-key-2024', name: 'jwtSecret' },
  { title: 'Basic auth header value', file: 'a.ts', code: `const h = { Authorization: 'Basic c3ZjLW9yZGVyczpReDh2TG0yS3A5' };`, secret: 'c3ZjLW9yZGVyczpReDh2TG0yS3A5', name: 'Authorization' },
  { title: 'random letters-only value under a secret name', file: 'a.ts', code: `const clientSecret = 'ZxKqPmLvTrWnHbGdFsJcQwRt';`, secret: 'ZxKqPmLvTrWnHbGdFsJcQwRt', name: 'clientSecret' },
  { title: 'extra secret word from config.secretWords', file: 'a.ts', code: `const licenceCode = '${FAKE.generic24}';`, secret: FAKE.generic24, name: 'licenceCode' },
];

const negatives: Case[] = [
  { title: 'placeholder <your-api-key>', file: 'a.ts', code: `const apiKey = '<your-api-key>';`, secret: '' },
  { title: 'placeholder changeme', file: 'a.ts', code: `const password = 'changeme';`, secret: '' },
  { title: 'placeholder xxx… and ****', file: 'a.ts', code: `const token = 'xxxxxxxxxxxxxxxx'; const secret = '****************';`, secret: '' },
  { title: 'placeholder your_api_key_here', file: 'a.ts', code: `const API_KEY = 'your_api_key_here';`, secret: '' },
  { title: 'example, dummy and test values', file: 'a.ts', code: `const a = { secret: 'example-secret-123', apiKey: 'dummy-key-9876', password: 'test1234' };`, secret: '' },
  { title: '${VAR} interpolation placeholder', file: 'a.ts', code: `const apiKey = '\${API_KEY}'; const password = '{{ db_password }}';`, secret: '' },
  { title: 'reading process.env', file: 'a.ts', code: `const password = process.env.DB_PASSWORD; const t = process.env['API_TOKEN'] || '';`, secret: '' },
  { title: 'parameter name as the value', file: 'a.ts', code: `const password = '/my-app/prod/db-password'; const apiKeyParam = '/my-app/prod/api-key';`, secret: '' },
  { title: 'Secrets Manager secret names as the value', file: 'a.ts', code: `const DB_SECRET = 'prod/orders/db-credentials'; const apiKeySecret = 'myApp/stripeApiKey';`, secret: '' },
  { title: 'secret ARN as the value', file: 'a.ts', code: `const secret = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';`, secret: '' },
  { title: 'hex digests (md5, sha1, sha256) under hash names', file: 'a.ts', code: `const checksum = 'd8e8fca2dc0f896fd7cb4cb0031ba249'; const sha1 = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3'; const passwordHash = '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8';`, secret: '' },
  { title: 'UUIDs', file: 'a.ts', code: `const clientToken = '123e4567-e89b-12d3-a456-426614174000'; const token = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';`, secret: '' },
  { title: 'SRI integrity strings', file: 'a.ts', code: `const s = { integrity: 'sha512-Xg4c6bE2Y7PqM8vN1wZ3kR5tL9uH0jS2dF4gA6hK8lQ0pW2eR4tY6uI8oP0aS2dF4gH6jK8lZ0xC2vB4nM6qW8e==' };`, secret: '' },
  { title: 'Stripe publishable keys', file: 'a.ts', code: `const stripeKey = '${FAKE.stripePublishable}'; const pk = '${FAKE.stripePublishableTest}';`, secret: '' },
  { title: 'labels and i18n text about passwords', file: 'a.ts', code: `const passwordLabel = 'Enter your password'; const messages = { password: 'Password must be 8 characters', token: 'Your session token has expired' };`, secret: '' },
  { title: 'empty and short values', file: 'a.ts', code: `const password = ''; const secret = 'abc'; const pwd = 'a1';`, secret: '' },
  { title: 'URLs without credentials', file: 'a.ts', code: `const tokenEndpoint = 'https://auth.example.com/oauth2/token'; const token = 'https://login.example.com/authorize?x=1';`, secret: '' },
  { title: 'file paths', file: 'a.ts', code: `const privateKey = './certs/private-key.pem'; const secret = 'C:\\\\keys\\\\secret.txt';`, secret: '' },
  { title: 'identifier-looking words', file: 'a.ts', code: `const tokenType = 'Bearer'; const password = 'new-password'; const secret = 'clientSecret'; const TOKEN = 'access_token';`, secret: '' },
  { title: 'long camelCase event and error names under secret-looking names', file: 'a.ts', code: `export const AcquireTokenByRefreshToken = "acquireTokenByRefreshToken"; export const INVALID_USERNAME_OR_PASSWORD = "invalidUserNameOrPassword"; const X_AWS_EC2_METADATA_TOKEN = "x-aws-ec2-metadata-token";`, secret: '' },
  { title: 'names that only contain a secret word: authorName, tokenizer, secretariat, passwordLabel', file: 'a.ts', code: `const authorName = '${FAKE.generic16}'; const tokenizer = '${FAKE.generic24}'; const secretariat = '${FAKE.generic16}'; const passwordLabel = '${FAKE.generic24}';`, secret: '' },
  { title: 'names that hold a reference: secretName, DB_SECRET_ARN, nextToken', file: 'a.ts', code: `const secretName = 'prod/db-credentials'; const DB_SECRET_ARN = 'prod-db-Ab12Cd34'; const nextToken = 'eyJsYXN0S2V5IjoiYWJjIn0xyz';`, secret: '' },
  { title: 'AWS documentation example keys', file: 'a.ts', code: `const c = { accessKeyId: '${FAKE.awsExampleKeyId}', secretAccessKey: '${FAKE.awsExampleSecret}' };`, secret: '' },
  { title: 'a PEM header constant without a key body', file: 'a.ts', code: `const HEADER = '-----BEGIN RSA PRIVATE KEY-----'; const FOOTER = '-----END RSA PRIVATE KEY-----';`, secret: '' },
  { title: 'connection strings with templated or default passwords', file: 'a.ts', code: 'const a = `postgres://app:${pw}@db/x`; const b = "postgres://postgres:postgres@localhost:5432/test"; const c = "mongodb://user:<password>@host/db";', secret: '' },
  { title: 'anonymous-login URLs and URLs on reserved example hosts', file: 'a.ts', code: 'const a = "https://anonymous:flabada@developer.mozilla.org/en-US/docs/Web/API/URL/password"; const b = "ftp://anon:guest%40mail.org@ftp.gnu.org/"; const c = "postgres://app:Qz8LmP2vXr@db.example.com/app"; const d = "redis://:Tq3Wv8Lx1z@cache.test:6379";', secret: '' },
  { title: 'an expired JWT (a test fixture) and the jwt.io sample token', file: 'a.ts', code: `const headers = { Authorization: 'Bearer ${FAKE.jwtExpired}' }; const token = '${FAKE.jwtIoSample}';`, secret: '' },
  { title: 'a secret-named variable holding the name a SecretId reads', file: 'a.ts', code: 'const dynamoDBSecret = "n11795611-dynamoDBTableName-assessment2"; const apiKeySecret = "prod/Xk9LmQ2vR7tZ"; export const r = [new GetSecretValueCommand({ SecretId: dynamoDBSecret }), getSecret(apiKeySecret)];', secret: '' },
  { title: 'namespaced action types and event names', file: 'a.ts', code: "export const SET_TOKEN = 'reset/SET_TOKEN'; export const REFRESH_TOKEN = 'admin.reset/REFRESH_TOKEN'; const authToken = 'auth/tokenRefreshed';", secret: '' },
  { title: 'a CSS class starting with sk-', file: 'a.tsx', code: `export const S = () => <div className="sk-fading-circle-animation-wrapper-large" />;`, secret: '' },
  { title: 'module specifiers and type-level strings', file: 'a.ts', code: `import x from '${'gh' + 'p_'}aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5'; type T = 'secret-value-Zx8kQ2mP9vL4tR7w';`, secret: '' },
  { title: 'module specifiers and code fragments under secret-looking names', file: 'a.ts', code: `const PT_SECRETS = '@aws-lambda-powertools/parameters/secrets'; const TOKENS = ['.promise()', 'require(', '??=', 'middy('];`, secret: '' },
  { title: 'base64 of a placeholder (Kubernetes Secret sample, Basic user:password)', file: 'a.ts', code: `const secret = { password: 'cGFzc3dvcmQ=', auth: 'Basic dXNlcjpwYXNzd29yZA==' };`, secret: '' },
  { title: 'a bcrypt hash under a password name', file: 'a.ts', code: `const password = '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';`, secret: '' },
  { title: 'numbers, booleans and dates', file: 'a.ts', code: `const token = '1234567890'; const secret = 'true'; const password = '2024-01-31';`, secret: '' },
];

describe('hardcoded-secret', () => {
  describe('positives', () => {
    for (const c of positives) {
      it(c.title, () => {
        const config = c.name === 'licenceCode' ? { secretWords: ['licenceCode'] } : undefined;
        const all = scan(c.file, c.code, config);
        const found = only(all, 'hardcoded-secret');
        assert.equal(found.length, c.count ?? 1, JSON.stringify(found.map((f) => f.data)));
        for (const f of found) {
          assert.equal(f.severity, 'error');
          const text = covered(c.code, f);
          assert.match(text, /^['"`]/, 'range covers the string literal');
          assert.match(text, /['"`]$/);
          assert.ok(f.message.includes('Parameter Store') || f.message.includes('Secrets Manager'));
        }
        if (c.kind) assert.equal(found[0].data?.kind, c.kind);
        if (c.name) assert.equal(found[0].data?.name, c.name);
        assertNoLeak(all, c.secret);
      });
    }
  });

  describe('negatives (must not flag)', () => {
    for (const c of negatives) {
      it(c.title, () => {
        const found = only(scan(c.file, c.code), 'hardcoded-secret');
        assert.deepEqual(found.map((f) => `${f.data?.kind} ${f.data?.name}`), []);
      });
    }
  });

  describe('documents', () => {
    it('flags secret-named keys and provider formats in YAML, not references', () => {
      const yml = [
        'database:',
        `  password: ${FAKE.password}`,
        '  passwordRef: !Ref DbPassword',
        `  url: ${FAKE.postgres}`,
        'ci:',
        "  token: ${{ secrets.GH_TOKEN }}",
        '  notes: "Rotate the password every month"',
        `slack: ${FAKE.slackWebhook}`,
      ].join('\n');
      const found = only(scan('config.yml', yml), 'hardcoded-secret');
      assert.deepEqual(found.map((f) => f.data?.kind), ['password', 'connection-string-password', 'slack-webhook']);
      assert.equal(covered(yml, found[0]), FAKE.password);
      assertNoLeak(found, FAKE.password);
    });

    it('flags JSON keys and values with exact ranges, ignores Fn:: objects and {{resolve}}', () => {
      const json = JSON.stringify({
        clientSecret: FAKE.generic24,
        nested: { list: [FAKE.openai] },
        DbPassword: { 'Fn::Sub': '{{resolve:secretsmanager:${DbSecret}:SecretString:password}}' },
        apiKey: { Ref: 'ApiKeyParam' },
      }, null, '\t');
      const found = only(scan('settings.json', json), 'hardcoded-secret');
      assert.deepEqual(found.map((f) => [f.data?.name, f.data?.kind]), [['clientSecret', 'client-secret'], ['list', 'openai-api-key']]);
      assert.equal(covered(json, found[0]), JSON.stringify(FAKE.generic24));
    });

    it('flags .env values (export, quotes) and skips comments, references and example files', () => {
      const env = [
        '# DB_PASSWORD=ignored-in-comment-9Xk2',
        `export STRIPE_SECRET_KEY="${FAKE.stripeLive}"`,
        `DB_PASSWORD='${FAKE.password}'`,
        'API_TOKEN=${OTHER_TOKEN}',
        'LOG_LEVEL=debug',
        `SESSION_SECRET=${FAKE.generic24} # inline comment`,
      ].join('\n');
      const found = only(scan('.env', env), 'hardcoded-secret');
      assert.deepEqual(found.map((f) => f.data?.name), ['STRIPE_SECRET_KEY', 'DB_PASSWORD', 'SESSION_SECRET']);
      assert.equal(covered(env, found[2]), FAKE.generic24);
      const example = only(scan('.env.example', `DB_PASSWORD=${FAKE.password}\nSTRIPE_SECRET_KEY=${FAKE.stripeLive}\n`), 'hardcoded-secret');
      assert.deepEqual(example.map((f) => f.data?.kind), ['stripe-secret-key'], 'example files only report provider formats');
    });

    it('reads NAME=value items of list-style environments (docker-compose)', () => {
      const yml = `services:\n  db:\n    environment:\n      - POSTGRES_PASSWORD=${FAKE.password}\n      - POSTGRES_USER=app\n      - POSTGRES_PASSWORD_FILE=/run/secrets/pg\n`;
      const found = only(scan('docker-compose.yml', yml), 'hardcoded-secret');
      assert.deepEqual(found.map((f) => f.data?.name), ['POSTGRES_PASSWORD']);
      assertNoLeak(found, FAKE.password);
    });

    it('uses the parameter name for CloudFormation Parameters Default and Name/Value pairs', () => {
      const yml = [
        'Parameters:',
        '  DbPassword:',
        '    Type: String',
        '    NoEcho: true',
        `    Default: ${FAKE.password}`,
        'Resources:',
        '  Task:',
        '    Type: AWS::ECS::TaskDefinition',
        '    Properties:',
        '      ContainerDefinitions:',
        '        - Environment:',
        '            - Name: API_TOKEN',
        `              Value: ${FAKE.generic16}`,
      ].join('\n');
      const found = only(scan('stack.yaml', yml), 'hardcoded-secret');
      assert.deepEqual(found.map((f) => f.data?.name), ['DbPassword', 'API_TOKEN']);
    });
  });

  describe('configuration and suppression', () => {
    it('keyway-ignore-next-line hides the finding on the next line only', () => {
      const code = `// keyway-ignore-next-line hardcoded-secret\nconst a = '${FAKE.githubPat}';\nconst b = '${FAKE.githubPat}';`;
      const found = only(scan('a.ts', code), 'hardcoded-secret');
      assert.deepEqual(found.map((f) => f.range.start.line), [2]);
    });
    it('# keyway-ignore-next-line works in YAML and .env files', () => {
      const yml = `# keyway-ignore-next-line hardcoded-secret\npassword: ${FAKE.password}\ntoken: ${FAKE.generic16}\n`;
      assert.deepEqual(only(scan('c.yml', yml), 'hardcoded-secret').map((f) => f.data?.name), ['token']);
      const env = `# keyway-ignore-next-line\nDB_PASSWORD=${FAKE.password}\n`;
      assert.equal(only(scan('.env', env), 'hardcoded-secret').length, 0);
    });
    it('.keywayrc rules can turn it off or change its severity', () => {
      const code = `const a = '${FAKE.githubPat}';`;
      assert.equal(only(scan('a.ts', code, { rules: { 'hardcoded-secret': 'off' } }), 'hardcoded-secret').length, 0);
      assert.equal(only(scan('a.ts', code, { rules: { 'hardcoded-secret': 'warning' } }), 'hardcoded-secret')[0].severity, 'warning');
    });
  });
});
