// CDK grants (issue 13 §3): `param.grantRead(fn)`, `secret.grantRead(fn)`, `key.grantDecrypt(fn)` count as the
// statements CDK writes for them; a grant on a construct Keyway cannot identify keeps the function unjudged.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeText } from '../../../src/core';
import { functionsFromCdk } from '../../../src/core/iam/cdk';
import type { ProjectContext } from '../../../src/core/types';

function memProject(files: Record<string, string>): ProjectContext {
  return { readFile: (p) => files[path.posix.normalize(p)], dependenciesOf: () => new Set() };
}

const HANDLER = `import { SSMClient, GetParameterCommand, GetParametersByPathCommand } from '@aws-sdk/client-ssm';
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const ssm = new SSMClient({});
const sm = new SecretsManagerClient({});
let cfg: unknown;
export const handler = async () => {
  cfg ??= {
    url: (await ssm.send(new GetParameterCommand({ Name: '/billing/prod/api-url' }))).Parameter?.Value,
    key: (await ssm.send(new GetParameterCommand({ Name: '/billing/prod/api-key', WithDecryption: true }))).Parameter?.Value,
    db: (await sm.send(new GetSecretValueCommand({ SecretId: 'billing/prod/db' }))).SecretString,
  };
  return cfg;
};
`;

/** A stack with one NodejsFunction and `grants` in its constructor; IAM findings as `rule:line` of the stack. */
function judge(grants: string, handler = HANDLER, extraStack = ''): string[] {
  const stack = `import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
${extraStack}
export class BillingStack extends Stack {
  constructor(scope: any, id: string, props: any) {
    super(scope, id);
    const fn = new NodejsFunction(this, 'Billing', { entry: path.join(__dirname, '../src/billing.ts') });
${grants}
  }
}
`;
  const files: Record<string, string> = { '/p/cdk.json': '{}', '/p/lib/stack.ts': stack, '/p/src/billing.ts': handler };
  const project = memProject(files);
  return ['/p/lib/stack.ts', '/p/src/billing.ts'].flatMap((file) => analyzeText(file, files[file], { project })
    .filter((f) => f.ruleId.startsWith('iam-')).map((f) => `${f.ruleId}@${path.posix.basename(file)}:${f.range.start.line + 1}`)).sort();
}

const ALL_GRANTS = `    ssm.StringParameter.fromStringParameterName(this, 'Url', '/billing/prod/api-url').grantRead(fn);
    const apiKey = ssm.StringParameter.fromSecureStringParameterAttributes(this, 'Key', { parameterName: '/billing/prod/api-key' });
    apiKey.grantRead(fn);
    const db = Secret.fromSecretNameV2(this, 'Db', 'billing/prod/db');
    db.grantRead(fn);
    kms.Alias.fromAliasName(this, 'SsmKey', 'alias/aws/ssm').grantDecrypt(fn);`;

describe('CDK grants as IAM statements', () => {
  it('grantRead on parameters and secrets, grantDecrypt on the key: a complete policy, no finding', () => {
    assert.deepEqual(judge(ALL_GRANTS), []);
  });

  it('a read no grant covers is reported (a parameter granted to the function, another one read)', () => {
    const grants = ALL_GRANTS.replace("'/billing/prod/api-url'", "'/billing/staging/api-url'");
    assert.deepEqual(judge(grants), ['iam-missing-grant@stack.ts:13', 'iam-overbroad-resource@stack.ts:13']);
  });

  it('grantRead does not allow GetParametersByPath', () => {
    const handler = `import { SSMClient, GetParametersByPathCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
export const handler = async () => ssm.send(new GetParametersByPathCommand({ Path: '/billing/prod/flags/' }));
`;
    const grants = "    new ssm.StringParameter(this, 'Flags', { parameterName: '/billing/prod/flags/beta', stringValue: 'on' }).grantRead(fn);";
    assert.deepEqual(judge(grants, handler), ['iam-missing-grant@stack.ts:13']);
  });

  it('a SecureString with the default aws/ssm key needs no kms:Decrypt; grantRead on a parameter with encryptionKey grants it', () => {
    const withoutKey = ALL_GRANTS.split('\n').filter((l) => !/grantDecrypt/.test(l)).join('\n');
    assert.deepEqual(judge(withoutKey), []);
    const withKey = withoutKey.replace("{ parameterName: '/billing/prod/api-key' }", "{ parameterName: '/billing/prod/api-key', encryptionKey: this.key }")
      .replace('apiKey.grantRead(fn);', "this.key = new kms.Key(this, 'K');\n    apiKey.grantRead(fn);");
    assert.deepEqual(judge(withKey), []);
  });

  it('the grant through fn.role, fn.role!, fn.grantPrincipal, a this.x field and a new Secret with a secretName', () => {
    const grants = `    this.url = new ssm.StringParameter(this, 'Url', { parameterName: '/billing/prod/api-url', stringValue: 'https://x' });
    this.url.grantRead(fn.role!);
    ssm.StringParameter.fromStringParameterAttributes(this, 'Key', { parameterName: '/billing/prod/api-key' }).grantRead(fn.grantPrincipal);
    new Secret(this, 'Db', { secretName: 'billing/prod/db' }).grantRead(fn.role);
    new kms.Key(this, 'K').grant(fn, 'kms:Decrypt');`;
    assert.deepEqual(judge(grants), []);
  });

  it('a grant on an unknown construct (passed in props) keeps the function unjudged; one on a bucket is ignored', () => {
    const unknown = ALL_GRANTS.replace('db.grantRead(fn);', 'props.dbSecret.grantRead(fn);');
    assert.deepEqual(judge(unknown), []);
    const bucket = ALL_GRANTS.replace('db.grantRead(fn);', "new s3.Bucket(this, 'B').grantRead(fn);");
    assert.deepEqual(judge(bucket), ['iam-missing-grant@stack.ts:12']); // no secretsmanager statement: at the function
  });

  it('a secret whose name CDK generates cannot be judged; grantWrite does not allow reads', () => {
    const generated = ALL_GRANTS.replace("const db = Secret.fromSecretNameV2(this, 'Db', 'billing/prod/db');", "const db = new Secret(this, 'Db');");
    assert.deepEqual(judge(generated), []);
    const write = ALL_GRANTS.replace('db.grantRead(fn);', 'db.grantWrite(fn);');
    assert.deepEqual(judge(write), ['iam-missing-grant@stack.ts:17']);
  });

  it('the statements carry the actions aws-cdk-lib writes, placed at the grant call', () => {
    const stack = `import { Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
export class S extends Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    const fn = new NodejsFunction(this, 'F', { entry: 'src/f.ts' });
    ssm.StringParameter.fromStringParameterName(this, 'P', \`/app/\${id}/x\`).grantRead(fn);
    Secret.fromSecretCompleteArn(this, 'S', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-AbCdEf').grantRead(fn);
  }
}
`;
    const [fn] = functionsFromCdk('/p/lib/s.ts', stack, memProject({ '/p/cdk.json': '{}' }));
    assert.equal(fn.opaque, undefined);
    assert.deepEqual(fn.statements.map((s) => [s.actions, s.resources.map((r) => r.text), stack.slice(s.start, s.start + 20)]), [
      [['ssm:DescribeParameters', 'ssm:GetParameters', 'ssm:GetParameter', 'ssm:GetParameterHistory'],
        ['arn:${Partition}:ssm:${Region}:${Account}:parameter/app/${id}/x'], 'ssm.StringParameter.'],
      [['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-AbCdEf'], 'Secret.fromSecretCom'],
    ]);
  });
});
