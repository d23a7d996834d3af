// The IAM rules on in-memory projects: correct policies are silent, unknown permissions are not judged, and the
// judgement follows the statements that really apply to each function.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeText } from '../../../src/core';
import type { ProjectContext } from '../../../src/core/types';

function memProject(files: Record<string, string>): ProjectContext {
  return { readFile: (p) => files[path.posix.normalize(p)], dependenciesOf: () => new Set() };
}

const HANDLER = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const ssm = new SSMClient({});
const sm = new SecretsManagerClient({});
export const handler = async () => {
  await ssm.send(new GetParameterCommand({ Name: '/app/prod/api-key', WithDecryption: true }));
  await sm.send(new GetSecretValueCommand({ SecretId: 'app/prod/db' }));
};
`;

function iamRules(yaml: string, extra: Record<string, string> = {}, file = '/p/serverless.yml'): string[] {
  const project = memProject({ '/p/src/h.ts': HANDLER, ...extra, [file]: yaml });
  return analyzeText(file, yaml, { project }).filter((f) => f.ruleId.startsWith('iam-')).map((f) => `${f.ruleId}:${f.range.start.line + 1}`);
}

const SLS = (statements: string, fnExtra = '') => `service: app
provider:
  name: aws
  iam:
    role:
      statements:
${statements}
functions:
  api:
    handler: src/h.handler
${fnExtra}`;

const GOOD = `        - Effect: Allow
          Action: ssm:GetParameter
          Resource: arn:aws:ssm:\${aws:region}:\${aws:accountId}:parameter/app/prod/api-key
        - Effect: Allow
          Action: secretsmanager:GetSecretValue
          Resource: arn:aws:secretsmanager:\${aws:region}:\${aws:accountId}:secret:app/prod/db-??????
        - Effect: Allow
          Action: kms:Decrypt
          Resource: arn:aws:kms:\${aws:region}:\${aws:accountId}:alias/aws/ssm`;

describe('IAM rules: silence and scope', () => {
  it('a least-privilege policy produces no finding', () => {
    assert.deepEqual(iamRules(SLS(GOOD)), []);
  });

  it('a parameter hierarchy wildcard (the domain guide\'s scoping) is not over-broad; a full secret ARN with its suffix covers the name', () => {
    const st = `        - Effect: Allow
          Action: [ssm:GetParameter, ssm:GetParametersByPath]
          Resource: arn:aws:ssm:us-east-1:123456789012:parameter/app/prod/*
        - Effect: Allow
          Action: secretsmanager:GetSecretValue
          Resource: arn:aws:secretsmanager:us-east-1:123456789012:secret:app/prod/db-Q1w2E3
        - Effect: Allow
          Action: kms:Decrypt
          Resource: '*'`;
    assert.deepEqual(iamRules(SLS(st)), []);
  });

  it('missing statements are reported once per name, at the function when no statement of the service exists', () => {
    const st = `        - Effect: Allow
          Action: ssm:GetParameter
          Resource: arn:aws:ssm:\${aws:region}:\${aws:accountId}:parameter/app/prod/api-key`;
    // (the parameter is decrypted with the default aws/ssm key: no kms:Decrypt needed)
    assert.deepEqual(iamRules(SLS(st)), ['iam-missing-grant:11']);
  });

  it('serverless-pseudo-parameters #{AWS::Region} are variables like ${AWS::Region}', () => {
    const st = GOOD.replace(/\$\{aws:region\}/g, '#{AWS::Region}').replace(/\$\{aws:accountId\}/g, '#{AWS::AccountId}');
    assert.deepEqual(iamRules(SLS(st)), []);
  });

  it('a name known only up to a prefix is not judged missing where a resource may grant it (a variable in the middle)', () => {
    const handler = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
export const handler = async () => ssm.send(new GetParameterCommand({ Name: \`/app/\${process.env.STAGE}/config\` }));
`;
    const st = `        - Effect: Allow
          Action: ssm:GetParameter
          Resource: arn:aws:ssm:\${aws:region}:\${aws:accountId}:parameter/app/\${sls:stage}/config`;
    assert.deepEqual(iamRules(SLS(st), { '/p/src/h.ts': handler }), []);
    const elsewhere = st.replace('parameter/app/', 'parameter/other/');
    assert.deepEqual(iamRules(SLS(elsewhere), { '/p/src/h.ts': handler }), ['iam-missing-grant:7', 'iam-overbroad-resource:9']);
  });

  it('middy 0.x ssm({ names }) is a read; its blanket decryption counts only for names that look secret', () => {
    const handler = `const middy = require('middy');
const { ssm } = require('middy/middlewares');
const base = async () => ({ ok: true });
module.exports.handler = middy(base).use(ssm({ cache: true, names: { FOO: 'foo', KEY: '/app/prod/api-key' } }));
`;
    const st = `        - Effect: Allow
          Action: ssm:GetParameters
          Resource: arn:aws:ssm:\${aws:region}:\${aws:accountId}:parameter/foo`;
    // foo is granted; /app/prod/api-key is not (its decryption uses the default aws/ssm key: no kms finding)
    assert.deepEqual(iamRules(SLS(st), { '/p/src/h.ts': handler }), ['iam-missing-grant:7']);
  });

  it('a Deny statement grants nothing; NotAction/NotResource and managed policies make the function unjudgeable', () => {
    const deny = GOOD.replace('Effect: Allow\n          Action: secretsmanager', 'Effect: Deny\n          Action: secretsmanager');
    assert.deepEqual(iamRules(SLS(deny)), ['iam-missing-grant:17']);
    const notAction = `        - Effect: Allow
          NotAction: iam:*
          Resource: '*'`;
    assert.deepEqual(iamRules(SLS(notAction)), []);
    const managed = SLS(`        - Effect: Allow\n          Action: sts:GetCallerIdentity\n          Resource: '*'`).replace('    role:\n', '    role:\n      managedPolicies:\n        - arn:aws:iam::aws:policy/SomeCustomReadPolicy\n');
    assert.deepEqual(iamRules(managed), []);
  });

  it('a custom role (provider.iam.role as an ARN) is not judged', () => {
    const yaml = `service: app\nprovider:\n  name: aws\n  iam:\n    role: arn:aws:iam::123456789012:role/shared\nfunctions:\n  api:\n    handler: src/h.handler\n`;
    assert.deepEqual(iamRules(yaml), []);
  });

  it('a handler that cannot be found is not judged', () => {
    const yaml = SLS(`        - Effect: Allow\n          Action: ssm:GetParameter\n          Resource: arn:aws:ssm:*:*:parameter/other/*`).replace('src/h.handler', 'src/missing.handler');
    assert.deepEqual(iamRules(yaml), []);
  });

  it('function-level statements apply only to their function', () => {
    const yaml = `service: app
provider:
  name: aws
functions:
  api:
    handler: src/h.handler
    iamRoleStatements:
${GOOD.replace(/^ {8}/gm, '      ')}
  other:
    handler: src/h.handler
`;
    // api (line 5) has its own complete statements; other (line 17) has none.
    assert.deepEqual(iamRules(yaml).sort(), ['iam-missing-grant:17', 'iam-missing-grant:17']);
  });

  it('SAM: a secret given by !Ref of an AWS::SecretsManager::Secret with a Name is covered by the same !Ref in the policy', () => {
    const handler = HANDLER.replace("SecretId: 'app/prod/db'", 'SecretId: process.env.DB_SECRET').replace(', WithDecryption: true', '');
    const tpl = `Transform: AWS::Serverless-2016-10-31
Resources:
  Db:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: app/prod/db
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: h.handler
      Environment:
        Variables:
          DB_SECRET: !Ref Db
      Policies:
        - Statement:
            - Effect: Allow
              Action: secretsmanager:GetSecretValue
              Resource: !Ref Db
            - Effect: Allow
              Action: ssm:GetParameter
              Resource: !Sub arn:aws:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/app/prod/api-key
`;
    assert.deepEqual(iamRules(tpl, { '/p/src/h.ts': handler }, '/p/template.yaml'), []);
  });

  it('re-analyses when a file the handler imports changes (the project model cache is validated)', () => {
    const yaml = SLS(`        - Effect: Allow\n          Action: ssm:GetParameter\n          Resource: arn:aws:ssm:*:*:parameter/app/prod/one`);
    const files: Record<string, string> = {
      '/p/src/h.ts': "import { read } from './lib';\nexport const handler = async () => read();\n",
      '/p/src/lib.ts': "import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';\nconst ssm = new SSMClient({});\nexport const read = () => ssm.send(new GetParameterCommand({ Name: '/app/prod/one' }));\n",
      '/p/serverless.yml': yaml,
    };
    const project = memProject(files);
    const run = () => analyzeText('/p/serverless.yml', yaml, { project }).filter((f) => f.ruleId === 'iam-missing-grant').map((f) => f.data?.name);
    assert.deepEqual(run(), []);
    files['/p/src/lib.ts'] = files['/p/src/lib.ts'].replace('/app/prod/one', '/app/prod/two');
    assert.deepEqual(run(), ['/app/prod/two']);
  });

  it('ordinary source files and non-IaC documents are not analysed by the IAM rules', () => {
    const project = memProject({});
    assert.deepEqual(analyzeText('/p/src/h.ts', HANDLER, { project }).filter((f) => f.ruleId.startsWith('iam-')), []);
    assert.deepEqual(analyzeText('/p/config.yml', 'a: 1\nResources: []\n', { project }).filter((f) => f.ruleId.startsWith('iam-')), []);
  });
});
