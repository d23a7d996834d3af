import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analyzer';
import { FAKE } from './fakes';
import { assertNoLeak, covered, only, scan, scanFixture } from './helpers';

const names = (fs: ReturnType<typeof scan>) => fs.map((f) => f.data?.name);

describe('secret-in-env', () => {
  describe('serverless.yml', () => {
    const { text, findings } = scanFixture('serverless.yml');
    const env = only(findings, 'secret-in-env');

    it('reports a literal password in provider.environment, and hardcoded-secret reports it too', () => {
      const f = env.find((x) => x.data?.name === 'DB_PASSWORD');
      assert.ok(f);
      assert.equal(f.severity, 'warning');
      assert.equal(covered(text, f), 'Pg7xQ2mLk9Vr');
      assert.equal(f.data?.scope, 'provider');
      const hs = only(findings, 'hardcoded-secret').find((x) => x.data?.name === 'DB_PASSWORD');
      assert.ok(hs, 'both rules report a literal secret in the environment');
      assert.deepEqual(hs.range, f.range);
      assertNoLeak(findings, 'Pg7xQ2mLk9Vr');
    });

    it('reports ${ssm:…} variables of secrets (resolved into plain env), not with hardcoded-secret', () => {
      assert.deepEqual(names(env.filter((f) => f.data?.kind === 'ssm-variable')), ['API_KEY', 'LEGACY_TOKEN', 'SIGNING_SECRET']);
      const signing = env.find((f) => f.data?.name === 'SIGNING_SECRET')!;
      assert.equal(signing.data?.function, 'create');
      assert.equal(covered(text, signing), '${ssm:/orders/prod/signing-secret}');
      assert.equal(only(findings, 'hardcoded-secret').filter((f) => /API_KEY|SIGNING/.test(String(f.data?.name))).length, 0);
    });

    it('keeps names, ARNs, paths and plain config clean', () => {
      for (const clean of ['API_KEY_PARAM', 'DB_SECRET_ARN', 'TABLE_NAME', 'STAGE', 'LOG_LEVEL']) {
        assert.ok(!env.some((f) => f.data?.name === clean), clean);
      }
      assert.equal(env.length, 4);
    });
  });

  describe('SAM / CloudFormation YAML', () => {
    const { text, findings } = scanFixture('template.yaml');
    const env = only(findings, 'secret-in-env');

    it('reports {{resolve:secretsmanager}} in Globals and {{resolve:ssm-secure}} in a function', () => {
      const g = env.find((f) => f.data?.name === 'STRIPE_SECRET')!;
      assert.equal(g.data?.scope, 'globals');
      assert.equal(g.data?.kind, 'dynamic-reference');
      const l = env.find((f) => f.data?.name === 'DB_PASS_RESOLVED')!;
      assert.equal(l.data?.function, 'LegacyFn');
      assert.ok(!only(findings, 'hardcoded-secret').some((f) => f.data?.name === 'STRIPE_SECRET'));
    });

    it('reports !Ref of a NoEcho parameter, and a literal webhook secret', () => {
      const p = env.find((f) => f.data?.name === 'DB_PASSWORD')!;
      assert.equal(p.data?.kind, 'template-parameter');
      assert.equal(covered(text, p), '!Ref DbPassword'.slice(5));
      assert.ok(env.some((f) => f.data?.name === 'WEBHOOK_SECRET' && f.data?.kind === 'secret'));
    });

    it('keeps !Ref of a secret (its ARN), parameter names, !GetAtt and !Sub URLs clean', () => {
      assert.deepEqual(names(env), ['STRIPE_SECRET', 'DB_PASSWORD', 'WEBHOOK_SECRET', 'DB_PASS_RESOLVED']);
    });
  });

  it('{{resolve:secretsmanager}} of connection metadata (host, port) into plain variables is clean; the password key is not', () => {
    const yml = [
      'Resources:',
      '  Fn:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      '      Environment:',
      '        Variables:',
      "          DB_HOST: '{{resolve:secretsmanager:prod/db:SecretString:host}}'",
      "          DB_PASS: '{{resolve:secretsmanager:prod/db:SecretString:password}}'",
      "          DB_ALL: '{{resolve:secretsmanager:prod/db}}'",
      "          TABLE: '{{resolve:ssm:/app/table}}'",
      "          API_KEY: '{{resolve:ssm:/app/api-key}}'",
    ].join('\n');
    assert.deepEqual(only(scan('template.yml', yml), 'secret-in-env').map((f) => f.data?.name), ['DB_PASS', 'DB_ALL', 'API_KEY']);
  });

  it('CloudFormation JSON: Fn::Sub {{resolve:secretsmanager}} and a literal token; Ref of the secret is clean', () => {
    const { text, findings } = scanFixture('template.json');
    const env = only(findings, 'secret-in-env');
    assert.deepEqual(names(env), ['DB_PASSWORD', 'API_TOKEN']);
    assert.equal(covered(text, env[1]), '"tk9Lm2Qx7Vr4Pz8W"');
    assert.ok(only(findings, 'hardcoded-secret').some((f) => f.data?.name === 'API_TOKEN'));
  });

  describe('CDK', () => {
    const { text, findings } = scanFixture('cdk-stack.ts');
    const env = only(findings, 'secret-in-env');
    it('reports literals, unwrapped SecretValues and resolved SSM values in environment: {…}', () => {
      assert.deepEqual(names(env), ['DB_PASSWORD', 'DB_SECRET_VALUE', 'API_KEY', 'SESSION_SECRET', 'AUTH_TOKEN']);
      assert.equal(covered(text, env[0]), "'Pg7xQ2mLk9Vr'");
      assert.match(covered(text, env[1]), /unsafeUnwrap/);
    });
    it('reports addEnvironment with a literal, and hardcoded-secret reports the same literals', () => {
      const hs = names(only(findings, 'hardcoded-secret'));
      assert.deepEqual(hs, ['DB_PASSWORD', 'SESSION_SECRET', 'AUTH_TOKEN']);
    });
    it('keeps secretArn, parameter names and plain values clean', () => {
      for (const clean of ['DB_SECRET_ARN', 'API_KEY_PARAM', 'TABLE_NAME']) assert.ok(!env.some((f) => f.data?.name === clean), clean);
    });
    it('does not treat the global Function constructor or non-Lambda classes as Lambda functions', () => {
      const code = `const f = new Function('a', 'return a'); const b = new Bucket(this, 'B', { environment: { DB_PASSWORD: '${FAKE.password}' } });`;
      assert.equal(only(scan('stack.ts', code), 'secret-in-env').length, 0);
    });
  });

  describe('handler code reading the environment', () => {
    const { text, findings } = scanFixture('handler.ts');
    const env = only(findings, 'secret-in-env');
    it('reports process.env.X, process.env[\'X\'] and destructuring of secret names, as info', () => {
      assert.deepEqual(names(env), ['STRIPE_SECRET', 'DB_PASSWORD', 'GITHUB_TOKEN']);
      for (const f of env) {
        assert.equal(f.severity, 'info');
        assert.match(f.message, /SecureString/);
      }
      assert.equal(covered(text, env[1]), 'process.env.DB_PASSWORD');
    });
    it('keeps *_ARN, *_PARAM, plain config and writes to process.env clean', () => {
      assert.ok(!env.some((f) => /ARN|PARAM|TABLE|REGION|API_KEY$/.test(String(f.data?.name))));
    });
    it('only applies to Lambda code: a library reading a token is not reported', () => {
      assert.equal(only(scan('lib/publish.ts', 'export const t = process.env.NPM_TOKEN;'), 'secret-in-env').length, 0);
      // an Express server that uses the AWS SDK is not Lambda code either
      assert.equal(only(scan('server.js', "const AWS = require('aws-sdk');\napp.listen(3000);\nconst s = process.env.SESSION_SECRET;"), 'secret-in-env').length, 0);
      // The runtime's own credentials (how code calls the Parameters and Secrets Lambda Extension) are not configured secrets.
      const ext = "export const handler = async () => fetch('http://localhost:2773/systemsmanager/parameters/get?name=x', { headers: { 'X-Aws-Parameters-Secrets-Token': process.env.AWS_SESSION_TOKEN! } });";
      assert.equal(only(scan('src/handlers/ext.ts', ext), 'secret-in-env').length, 0);
      assert.equal(only(scan('lib/publish.ts', 'export const handler = async () => process.env.NPM_TOKEN;'), 'secret-in-env').length, 1);
      assert.equal(only(scan('src/handlers/pay.js', "const k = process.env['STRIPE_API_KEY'];"), 'secret-in-env').length, 1);
    });
    it('a variable the code passes as a SecretId/Name or to a fetch by name holds a name, not the secret', () => {
      const code = [
        "import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';",
        "import { getParameter } from '@aws-lambda-powertools/parameters/ssm';",
        'const client = new SecretsManagerClient({});',
        'const { DB_CREDENTIALS_SECRET } = process.env;',
        'const tokenSecret = process.env.GITHUB_TOKEN_SECRET;',
        'export const handler = async () => {',
        '  const a = await client.send(new GetSecretValueCommand({ SecretId: process.env.DATABASE_SECRET }));',
        "  const b = await getParameter(process.env['SSM_KEY_DB_PASSWORD'] ?? '/app/db-password', { decrypt: true });",
        '  const c = await getJSONSecret(DB_CREDENTIALS_SECRET);',
        '  const d = await client.send(new GetSecretValueCommand({ SecretId: tokenSecret }));',
        '  const e = await ssmProvider.get(process.env.API_TOKEN);',
        '  return verify(process.env.JWT_SECRET, a, b, c, d, e);',
        '};',
      ].join('\n');
      assert.deepEqual(names(only(scan('src/handlers/h.ts', code), 'secret-in-env')), ['JWT_SECRET']);
    });

    it('every read of a variable the file passes as a SecretId is of a name (guards and logs too)', () => {
      const code = [
        "import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';",
        'const sm = new SecretsManagerClient({});',
        'export const handler = async () => {',
        "  if (!process.env.STRIPE_SECRET) throw new Error('STRIPE_SECRET is not set');",
        '  console.log(`reading ${process.env.STRIPE_SECRET}`);',
        '  return sm.send(new GetSecretValueCommand({ SecretId: process.env.STRIPE_SECRET }));',
        '};',
      ].join('\n');
      assert.deepEqual(names(only(scan('src/handlers/pay.ts', code), 'secret-in-env')), []);
    });

    it('a project that depends on Lambda tooling counts as Lambda code', () => {
      const project = { readFile: () => undefined, dependenciesOf: () => new Set(['@types/aws-lambda']) };
      const code = 'export const key = process.env.API_KEY;';
      const found = analyzeText('src/lib/config.ts', code, { project }).filter((f) => f.ruleId === 'secret-in-env');
      assert.deepEqual(found.map((f) => f.data?.name), ['API_KEY']);
    });
  });

  it('serverless ${self:…} and ${param:…} defined in the file are judged by what they stand for', () => {
    const yml = [
      'service: s',
      'params:',
      '  default:',
      '    db_auth: dev_esmd_db_secret',
      '    api_token: ${ssm:/app/prod/api-token}',
      'custom:',
      '  settings:',
      '    PLAIN_SECRET_VALUE: ${ssm:SECRET_VALUE~true}',
      '    PLAIN_VALUE: ${ssm:PLAIN_VALUE}',
      'provider:',
      '  name: aws',
      '  environment: ${self:custom.settings}',
      'functions:',
      '  hello:',
      '    handler: handler.hello',
      '    environment:',
      '      SM_PGS_DB_AUTH: ${param:db_auth}',
      '      API_TOKEN: ${param:api_token}',
      '      OTHER_TOKEN: ${param:defined_in_the_dashboard}',
    ].join('\n');
    assert.deepEqual(names(only(scan('serverless.yml', yml), 'secret-in-env')), ['PLAIN_SECRET_VALUE', 'API_TOKEN', 'OTHER_TOKEN']);
  });

  it('CDK: a shared environment object of the file (and props spread into the function) is followed, and reported once', () => {
    const code = [
      "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';",
      "import { SecretValue } from 'aws-cdk-lib';",
      'export function build(scope: any) {',
      "  const commonEnv = { STAGE: 'prod', JWT_SECRET: SecretValue.secretsManager('jwt').unsafeUnwrap() };",
      "  const props = { environment: { ...commonEnv, TABLE: 'orders' } };",
      "  new NodejsFunction(scope, 'A', { entry: 'a.ts', environment: commonEnv });",
      "  new NodejsFunction(scope, 'B', { entry: 'b.ts', ...props });",
      '}',
    ].join('\n');
    const env = only(scan('lib/app-stack.ts', code), 'secret-in-env');
    assert.deepEqual(names(env), ['JWT_SECRET']);
    const resolve = "new NodejsFunction(scope, 'C', { environment: { DB_PASSWORD: '{{resolve:secretsmanager:prod/db:SecretString:password}}', TABLE: 'orders' } });";
    assert.deepEqual(names(only(scan('lib/other-stack.ts', `import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';\n${resolve}`), 'secret-in-env')), ['DB_PASSWORD']);
    assert.equal(env[0].range.start.line, 3);
  });

  it('serverless ${env:…}/${file(…)} variables of secret-named variables; plain ${opt:stage} is clean', () => {
    const yml = 'service: s\nprovider:\n  name: aws\n  environment:\n    DB_PASSWORD: ${env:DB_PASSWORD}\n    STAGE: ${opt:stage}\n    JWT_SECRET: ${file(./secrets.yml):jwt}\n    JWT_SECRET_NAME: ${self:custom.jwtName}\n';
    const f = only(scan('serverless.yml', yml), 'secret-in-env');
    assert.deepEqual(f.map((x) => [x.data?.name, x.data?.kind]), [['DB_PASSWORD', 'deploy-variable'], ['JWT_SECRET', 'deploy-variable']]);
  });

  it('serverless.ts: literal secrets and ${ssm:…} in provider/function environment', () => {
    const code = [
      "import type { AWS } from '@serverless/typescript';",
      'const config: AWS = {',
      "  service: 'orders',",
      "  provider: { name: 'aws', environment: { DB_PASSWORD: '" + FAKE.password + "', TABLE: 'orders', API_KEY: '${ssm:/orders/prod/api-key}' } },",
      "  functions: { create: { handler: 'src/create.handler', environment: { API_KEY_PARAM: '/orders/prod/api-key' } } },",
      '};',
      'module.exports = config;',
    ].join('\n');
    const f = only(scan('serverless.ts', code), 'secret-in-env');
    assert.deepEqual(f.map((x) => [x.data?.name, x.data?.kind]), [['DB_PASSWORD', 'password'], ['API_KEY', 'ssm-variable']]);
    assert.equal(only(scan('config.ts', code), 'secret-in-env').length, 0, 'only serverless.ts is a serverless config');
  });

  it('serverless.ts function modules (aws-nodejs-typescript): an environment beside a string handler, not any environment', () => {
    const fnModule = [
      "import schema from './schema';",
      "import { handlerPath } from '@libs/handler-resolver';",
      '',
      'export default {',
      '  handler: `${handlerPath(__dirname)}/handler.main`,',
      '  environment: {',
      "    GREETING_PARAM: '/svc/${sls:stage}/greeting',",
      "    STRIPE_KEY: '" + FAKE.stripeLive + "',",
      "    DB_PASSWORD: '${ssm:/svc/prod/db-password}',",
      '  },',
      "  events: [{ http: { method: 'post', path: 'hello', request: { schemas: { 'application/json': schema } } } }],",
      '};',
    ].join('\n');
    const f = only(scan('src/functions/hello/index.ts', fnModule), 'secret-in-env');
    assert.deepEqual(f.map((x) => x.data?.name), ['STRIPE_KEY', 'DB_PASSWORD']);
    assert.match(f[0].message, /serverless function environment/);
    assertNoLeak(f, FAKE.stripeLive);
    // an environment with no handler beside it (a test helper, a docker config in code) is not a Lambda environment
    const plain = "export const dockerEnv = { environment: { DB_PASSWORD: '" + FAKE.password + "' }, image: 'postgres:16' };";
    assert.equal(only(scan('scripts/dev-db.ts', plain), 'secret-in-env').length, 0);
    // a handler given by a variable is not a serverless definition either
    const computed = "const h = pick(); export default { handler: h, environment: { DB_PASSWORD: '" + FAKE.password + "' } };";
    assert.equal(only(scan('src/x.ts', computed), 'secret-in-env').length, 0);
  });

  it('serverless.yml resources.Resources (raw CloudFormation) and CDK L1 CfnFunction', () => {
    const yml = `service: s\nprovider:\n  name: aws\nresources:\n  Resources:\n    Raw:\n      Type: AWS::Lambda::Function\n      Properties:\n        Environment:\n          Variables:\n            API_TOKEN: ${FAKE.generic16}\n`;
    assert.deepEqual(only(scan('serverless.yml', yml), 'secret-in-env').map((f) => f.data?.function), ['Raw']);
    const code = `new lambda.CfnFunction(this, 'F', { code: {}, role: r, environment: { variables: { DB_PASSWORD: '${FAKE.password}', STAGE: 'prod' } } });`;
    assert.deepEqual(only(scan('stack.ts', code), 'secret-in-env').map((f) => f.data?.name), ['DB_PASSWORD']);
  });

  it('.env files and non-Lambda YAML are not a Lambda environment', () => {
    assert.equal(only(scan('.env', `DB_PASSWORD=${FAKE.password}`), 'secret-in-env').length, 0);
    assert.equal(only(scan('docker-compose.yml', `services:\n  db:\n    environment:\n      DB_PASSWORD: ${FAKE.password}\n`), 'secret-in-env').length, 0);
  });

  it('config.secretWords extends secret names in environments', () => {
    const yml = 'service: s\nprovider:\n  name: aws\n  environment:\n    LICENCE_CODE: ${ssm:/app/licence}\n';
    assert.equal(only(scan('serverless.yml', yml), 'secret-in-env').length, 0);
    assert.equal(only(scan('serverless.yml', yml, { secretWords: ['licence_code'] }), 'secret-in-env').length, 1);
  });
});
