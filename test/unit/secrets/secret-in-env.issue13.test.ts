// Issue 13 §1c: secrets in the environment as real projects put them there (and the false alarms to avoid).
import * as assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analyzer';
import { secretInEnv } from '../../../src/core/rules/secrets/secret-in-env';
import type { Finding } from '../../../src/core/types';
import { memoryProject } from '../lambda/helpers';

function check(path: string, text: string, files: Record<string, string> = {}): Finding[] {
  const errors: string[] = [];
  const out = analyzeText(path, text, {
    rules: [secretInEnv], project: memoryProject({ [path]: text, ...files }), onRuleError: (id, e) => errors.push(`${id}: ${e}`),
  });
  assert.deepEqual(errors, []);
  return out;
}
const names = (f: Finding[]) => f.map((x) => String(x.data?.name));

describe('secret-in-env, as real projects put secrets in the environment (issue 13 §1c)', () => {
  describe('env reads in modules a handler imports', () => {
    const handler = `import { resolve } from '../db/resolver';
import { sendWelcome } from '../services';
export const handler = async (event: { id: string }) => { await sendWelcome(await resolve(event.id)); };
`;
    const resolver = `import { Client } from 'pg';
const client = new Client({ host: process.env.RDS_HOST, password: process.env.RDS_PASSWORD, user: 'app' });
export const resolve = async (id: string) => (await client.query('select * from u where id = $1', [id])).rows[0];
`;
    const services = `export { sendWelcome } from './mailer';\n`;
    const mailer = `import sg from '@sendgrid/mail';
sg.setApiKey(process.env.SENDGRID_API_KEY as string);
export const sendWelcome = (u: { email: string }) => sg.send({ to: u.email, from: 'hi@example.com', subject: 'Hi' });
`;
    const files = { 'src/db/resolver.ts': resolver, 'src/services/index.ts': services, 'src/services/mailer.ts': mailer };

    it('reports a secret read in a required module at the handler\'s import, transitively', () => {
      const f = check('src/api/create-user.ts', handler, files);
      assert.deepEqual(names(f).sort(), ['RDS_PASSWORD', 'SENDGRID_API_KEY']);
      const rds = f.find((x) => x.data?.name === 'RDS_PASSWORD')!;
      assert.equal(rds.range.start.line, 0, 'at the import of ../db/resolver');
      assert.equal(rds.data?.crossFile, true);
      assert.match(rds.message, /db\/resolver\.ts \(which this handler imports\) reads RDS_PASSWORD from the environment/);
      assert.equal(f.find((x) => x.data?.name === 'SENDGRID_API_KEY')!.range.start.line, 1, 'at the import of ../services');
      assert.ok(!names(f).includes('RDS_HOST'));
    });

    it('does not report modules that fill the variable at run time, or pass it as a name', () => {
      const loader = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
export async function load() {
  if (!process.env.RDS_PASSWORD) {
    const p = await new SSMClient({}).send(new GetParameterCommand({ Name: '/db/pw', WithDecryption: true }));
    process.env.RDS_PASSWORD = p.Parameter!.Value!;
  }
}
export const resolve = async () => process.env.RDS_PASSWORD;
`;
      const named = `import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
export const resolve = async () => getSecret(process.env.DB_SECRET!);
`;
      assert.deepEqual(names(check('src/api/create-user.ts', handler, { ...files, 'src/db/resolver.ts': loader })), ['SENDGRID_API_KEY']);
      assert.deepEqual(names(check('src/api/create-user.ts', handler, { ...files, 'src/db/resolver.ts': named })), ['SENDGRID_API_KEY']);
    });

    it('a module that is Lambda code by itself is reported where it is analysed, not again at the import', () => {
      const h2 = `import { resolve } from './shared';\nexport const handler = async () => resolve();\n`;
      const shared = `export const resolve = () => fetch('https://x', { headers: { token: process.env.GITHUB_TOKEN! } });\n`;
      assert.deepEqual(names(check('src/handlers/a.ts', h2, { 'src/handlers/shared.ts': shared })), []);
      assert.deepEqual(names(check('src/handlers/shared.ts', shared)), ['GITHUB_TOKEN']);
    });

    it('does not follow imports from code that is not a handler (a library, a test)', () => {
      assert.deepEqual(names(check('src/lib/util.ts', `import { resolve } from '../db/resolver';\nexport const x = resolve;\n`, files)), []);
      assert.deepEqual(names(check('src/api/create-user.test.ts', handler, files)), []);
    });
  });

  describe('serverless variables', () => {
    const sls = (env: string, extra = '') => `service: accounts
provider:
  name: aws
  stage: \${opt:stage, 'dev'}
  environment:
${env}
custom:
  secrets:
    dev:
      DB: \${ssm:/accounts/dev/db-password}
    prod:
      DB: \${ssm:/accounts/prod/db-password}
  rdsMaster: Wint3r-is-c0ming-42
  dbUser: accounts_app
${extra}
functions:
  api:
    handler: src/api.handler
`;
    it('nested variables: a secret from a per-stage file or a per-stage custom block', () => {
      const f = check('serverless.yml', sls(`    CLIENT_SECRET: \${file(./config/\${self:provider.stage}.yml):CLIENT_SECRET}
    AUTH0: \${file(./config/\${self:provider.stage}.yml):auth0ClientSecret}
    TABLE: \${file(./config/\${self:provider.stage}.yml):tableName}
    DB_URL_PART: \${self:custom.secrets.\${self:provider.stage}.DB}`));
      assert.deepEqual(names(f), ['CLIENT_SECRET', 'AUTH0', 'DB_URL_PART']);
    });

    it('${self:custom.X} resolving to a literal that is also the database master password', () => {
      const resources = `resources:
  Resources:
    Db:
      Type: AWS::RDS::DBInstance
      Properties:
        Engine: postgres
        MasterUsername: \${self:custom.dbUser}
        MasterUserPassword: \${self:custom.rdsMaster}`;
      const f = check('serverless.yml', sls(`    RDS_MASTER: \${self:custom.rdsMaster}
    RDS_USER: \${self:custom.dbUser}`).replace('functions:', resources + '\nfunctions:'));
      assert.deepEqual(names(f), ['RDS_MASTER']);
      assert.equal(f[0].data?.kind, 'database-password');
      assert.match(f[0].message, /database password of Db/);
      assert.ok(!f[0].message.includes('Wint3r'), 'never the value');
    });

    it('server SDK keys and webhook URLs from Parameter Store are secrets; public SDK keys and plain URLs are not', () => {
      const f = check('serverless.yml', sls(`    LAUNCHDARKLY_SDK_KEY: \${ssm:/accounts/ld}
    LD_CLIENT_SDK_KEY: \${ssm:/accounts/ld-client}
    SLACK_WEBHOOK_URL: \${ssm:/accounts/alerts/slack}
    DOCS_URL: \${ssm:/accounts/docs-url}`));
      assert.deepEqual(names(f), ['LAUNCHDARKLY_SDK_KEY', 'SLACK_WEBHOOK_URL']);
      const code = 'export const handler = async (event: unknown) => init(process.env.SPLIT_SDK_KEY!, process.env.SPLIT_BROWSER_SDK_KEY!);\n';
      assert.deepEqual(names(check('src/handlers/flags.ts', code)), ['SPLIT_SDK_KEY']);
    });
  });

  it('a Ref to an SSM-typed template parameter is called that, not a Serverless variable', () => {
    const sls = `service: s
provider:
  name: aws
  environment:
    DB_PASSWORD:
      Ref: DbPassword
resources:
  Parameters:
    DbPassword:
      Type: AWS::SSM::Parameter::Value<String>
      Default: /s/db-password
  Resources: {}
functions:
  f:
    handler: h.handler
`;
    const f = check('serverless.yml', sls);
    assert.equal(f.length, 1);
    assert.match(f[0].message, /SSM-typed template parameter 'DbPassword'/);
    assert.doesNotMatch(f[0].message, /Serverless variable/);
  });

  it('a CDK stack is not Lambda code because its folder is called lambda', () => {
    const stack = `import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
export class Api extends Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    const pw = process.env.DB_PASSWORD;
    new lambda.Function(this, 'F', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromAsset('x') });
  }
}
`;
    assert.deepEqual(check('lambda-stack/lib/api-stack.ts', stack), []);
    assert.deepEqual(names(check('lambda/db.ts', 'export const pw = process.env.DB_PASSWORD;\n')), ['DB_PASSWORD']);
  });
});
