// Issue 12 §3b: quiet where real repositories keep their tests. Each snippet is written the way open-source Lambda
// repositories write their tests, fixtures and sample events; none holds a secret.
import assert from 'node:assert/strict';
import { fresh, fakeJwt, freshUuid } from './fakes';
import { only, scan } from './helpers';

const j = (...p: string[]) => p.join('');
const found = (file: string, code: string) => only(scan(file, code), 'hardcoded-secret').map((f) => `${f.range.start.line + 1}:${f.data?.kind}:${f.data?.name}`);

describe('hardcoded-secret: quiet in tests, fixtures and sample events (§3b)', () => {
  it('placeholders in tests: Bearer token123, s3cret, session-token-123, password123', () => {
    const code = [
      "import { handler } from '../src/handler';",
      "describe('auth', () => {",
      "  it('accepts a bearer token', async () => {",
      "    const event = { headers: { Authorization: 'Bearer token123', 'x-api-key': 'test-key' } };",
      "    const user = { username: 'jane', password: 's3cret', apiKey: 'abc123', token: 'session-token-123' };",
      "    const db = { password: 'password123', secret: 'shhh', clientSecret: 'client-secret-for-tests' };",
      "    const auth = { accessToken: 'access-token-1', refreshToken: 'refresh_token_2', idToken: 'id-token' };",
      "    expect(await handler(event, user, db, auth)).toBeDefined();",
      '  });',
      '});',
    ].join('\n');
    assert.deepEqual(found('tests/auth.test.ts', code), []);
    assert.deepEqual(found('src/__tests__/auth.spec.js', code), []);
  });

  it('fake pagination tokens in variables named fake…/mock… (base64 of a plain word or a cursor)', () => {
    const code = [
      "const fakeNextToken = 'bmV4dFBhZ2VUb2tlbg==';",
      "const fakePaginationToken = Buffer.from(JSON.stringify({ lastKey: 'ORDER#42' })).toString('base64');",
      "const mockCursor = 'eyJsYXN0RXZhbHVhdGVkS2V5Ijp7InBrIjoiT1JERVIjNDIifX0=';",
      `const fakeToken = '${j('Zm9vYmFy', 'YmF6cXV4')}';`,
      "export const fakeApiKey = 'x9KfP2mQ7rT4wZ8vL3nB6cY1';",
    ].join('\n');
    assert.deepEqual(found('tests/pagination.test.ts', code), []);
    assert.deepEqual(found('src/pagination.ts', code), [], 'fake… names are fake anywhere');
  });

  it('API session tokens such as InitialConfigurationToken: "InitialToken1"', () => {
    assert.deepEqual(found('tests/appconfig.test.ts', "const session = { InitialConfigurationToken: 'InitialToken1', NextPollConfigurationToken: 'NextToken2' };"), []);
    assert.deepEqual(found('src/appconfig.ts', "const session = { InitialConfigurationToken: 'InitialToken1', NextPollConfigurationToken: 'NextToken2' };"), []);
  });

  it('sample API Gateway events: accessKey, apiKey, X-Amz-Security-Token', () => {
    const event = JSON.stringify({
      headers: { Authorization: 'Bearer eyJraWQiOiJLTTFcLzZ', 'X-Amz-Security-Token': 'FQoGZXIvYXdzEDEaDEXAMPLETOKEN', 'x-api-key': 'test-api-key' },
      requestContext: { identity: { accessKey: 'ANPAJ2UCCR6DPCEXAMPLE', apiKey: 'Sample-API-Key-1', cognitoIdentityId: null, sourceIp: '127.0.0.1' }, requestId: freshUuid() },
      body: '{"password": "hunter2"}',
    }, null, 2);
    assert.deepEqual(found('events/event.json', event), []);
    assert.deepEqual(found('tests/events/apigw.json', event), []);
  });

  it('Step Functions references and task tokens in test events and mock state machines', () => {
    const asl = JSON.stringify({ States: { Wait: { Type: 'Task', Parameters: { 'token.$': '$$.Task.Token', 'apiKey.$': '$.secrets.apiKey', 'password.$': "States.Format('{}', $.pw)" } } } }, null, 2);
    assert.deepEqual(found('statemachine/flow.asl.json', asl), []);
    const yml = 'Payload:\n  token.$: $$.Task.Token\n  secret.$: $.input.secret\n';
    assert.deepEqual(found('template.yaml', yml), []);
    const mock = JSON.stringify({ MockedResponses: { Ok: { 0: { Return: { taskToken: `AAAAKgAAAAIAAAAAAAAAA${fresh(40)}`, TaskToken: fresh(120) } } } } }, null, 2);
    assert.deepEqual(found('tests/mocks/sfn.mock.json', mock), []);
    assert.deepEqual(found('src/callback.ts', `await sfn.send(new SendTaskSuccessCommand({ taskToken: '${fresh(64)}', output: '{}' }));`), []);
  });

  it('passwords built at run time from randomUUID() and other run-time values', () => {
    const code = [
      "import { randomUUID, randomBytes } from 'node:crypto';",
      'const password = `Pw-${randomUUID()}`;',
      "const secret = randomBytes(32).toString('hex');",
      "const apiKey = 'ak_' + randomUUID().replace(/-/g, '');",
      "const token = ['t', Date.now(), Math.random()].join('-');",
    ].join('\n');
    assert.deepEqual(found('tests/user.test.ts', code), []);
    assert.deepEqual(found('src/user.ts', code), []);
  });

  it('runtime expressions, JSONPath, template references and secrets-store references are never secrets', () => {
    const yml = [
      'environment:',
      '  DB_PASSWORD: ${ssm:/app/prod/db-password}',
      '  API_KEY: ${{ secrets.API_KEY }}',
      '  TOKEN: "{{resolve:secretsmanager:prod/app:SecretString:token}}"',
      '  CLIENT_SECRET: $(CLIENT_SECRET)',
      '  JWT_SECRET: !Ref JwtSecret',
      '  SIGNING_KEY: ${env:SIGNING_KEY}',
      '  PASSWORD: "%(password)s"',
      '  SECRET: <%= ENV["SECRET"] %>',
    ].join('\n');
    assert.deepEqual(found('serverless.yml', yml), []);
  });

  it('generic values in test code need high confidence; the same medium value in source is reported', () => {
    const medium = "const config = { password: 'Ql8#vK2x' };";
    assert.deepEqual(found('tests/config.test.ts', medium), []);
    assert.deepEqual(found('src/config.ts', medium), ['1:password:password']);
    const strong = `const apiToken = '${fresh(40)}';`;
    assert.deepEqual(found('tests/client.test.ts', strong), ['1:token:apiToken']);
  });

  it('provider formats count everywhere: a real-looking sk_live_ in a test is still a leak', () => {
    const sk = j('sk', '_live_', fresh(32));
    assert.deepEqual(found('tests/pay.test.ts', `const key = '${sk}';`), ['1:stripe-secret-key:key']);
    assert.deepEqual(found('events/charge.json', JSON.stringify({ stripeKey: sk })), ['1:stripe-secret-key:stripeKey']);
  });

  it('expired and sample JWTs in tests are not reported; a live-looking JWT in a test needs more than a name', () => {
    const code = `const expired = '${fakeJwt({ sub: 'u1', exp: 1600000000 })}'; const token = '${fakeJwt({ sub: 'u1' })}';`;
    assert.deepEqual(found('tests/jwt.test.ts', code), []);
  });

  it('test detection is relative to the project root: a project inside a folder called test is not test code', () => {
    assert.deepEqual(found('src/config.ts', "const config = { password: 'Ql8#vK2x' };"), ['1:password:password']);
  });
});
