import * as assert from 'node:assert/strict';
import { iacReads, secretNameFromId } from '../../../src/core/store/iacReads';

const reads = (file: string, text: string) => iacReads(file, text).map((r) => [r.kind, r.name, r.via, r.requires ?? '-', `${r.range.start.line}:${r.range.start.character}`]);

describe('store/iacReads: names read at deploy time', () => {
  it('serverless ${ssm:…}: nested variables, regions, defaults, the old ~true and secrets through SSM', () => {
    const yml = [
      'provider:',
      '  environment:',
      '    A: ${ssm:/app/${sls:stage}/a}',
      '    B: ${ssm(us-west-2):/app/b~true}',
      "    C: ${ssm:/app/c, 'fallback'}",
      '    D: ${ssm:/aws/reference/secretsmanager/app/db}',
      '    E: ${self:custom.notSsm}',
    ].join('\n');
    assert.deepEqual(reads('serverless.yml', yml), [
      ['parameter', '/app/${sls:stage}/a', 'serverless-ssm', '-', '2:13'],
      ['parameter', '/app/b', 'serverless-ssm', '-', '3:24'],
      ['parameter', '/app/c', 'serverless-ssm', '-', '4:13'],
      ['secret', 'app/db', 'serverless-ssm-secret', '-', '5:13'],
    ]);
  });

  it('CloudFormation dynamic references, with !Sub variables and secret ARNs', () => {
    const yml = [
      'Resources:',
      '  Db:',
      '    Properties:',
      "      MasterUserPassword: '{{resolve:secretsmanager:app/${Stage}/db:SecretString:password}}'",
      "      Other: '{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf:SecretString:username::}}'",
      "      Key: !Sub '{{resolve:ssm-secure:/app/${Stage}/key:3}}'",
      "      Plain: '{{resolve:ssm:/app/common/domain}}'",
    ].join('\n');
    assert.deepEqual(reads('template.yaml', yml).map((r) => r.slice(0, 4)), [
      ['secret', 'app/${Stage}/db', 'cfn-resolve-secretsmanager', '-'],
      ['secret', 'app/db', 'cfn-resolve-secretsmanager', '-'],
      ['parameter', '/app/${Stage}/key', 'cfn-resolve-ssm-secure', 'SecureString'],
      ['parameter', '/app/common/domain', 'cfn-resolve-ssm', 'plain'],
    ]);
  });

  it('AWS::SSM::Parameter::Value parameters in YAML and JSON templates', () => {
    const yml = 'Parameters:\n  Vpc:\n    Type: AWS::SSM::Parameter::Value<String>\n    Default: /net/vpc-id\n  Name:\n    Type: String\n    Default: /not/read\n';
    assert.deepEqual(reads('t.yaml', yml), [['parameter', '/net/vpc-id', 'cfn-parameter-type', 'plain', '3:13']]);
    const json = JSON.stringify({ Parameters: { Ami: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' } } }, null, 2);
    const r = iacReads('t.json', json);
    assert.equal(r.length, 1);
    assert.equal(json.slice(json.indexOf('"/aws/service') + 1).startsWith(r[0].name), true);
  });

  it('CDK lookups', () => {
    const ts = [
      "import * as ssm from 'aws-cdk-lib/aws-ssm';",
      "const a = ssm.StringParameter.valueForStringParameter(this, '/app/domain');",
      "const b = ssm.StringParameter.fromSecureStringParameterAttributes(this, 'B', { parameterName: '/app/key', version: 1 });",
      "const c = secretsmanager.Secret.fromSecretNameV2(this, 'C', 'app/signing');",
      "const d = secretsmanager.Secret.fromSecretCompleteArn(this, 'D', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app/other-AbCdEf');",
    ].join('\n');
    assert.deepEqual(reads('stack.ts', ts).map((r) => r.slice(0, 4)), [
      ['parameter', '/app/domain', 'cdk-lookup', '-'],
      ['secret', 'app/signing', 'cdk-lookup', '-'],
      ['secret', 'app/other', 'cdk-lookup', '-'],
      ['parameter', '/app/key', 'cdk-lookup', 'SecureString'],
    ]);
  });

  it('ignores text that only looks alike and never throws', () => {
    assert.deepEqual(iacReads('x.yml', 'a: ${ssm:'), []);
    assert.deepEqual(iacReads('x.ts', 'const s = "{{resolve:ssm:"'), []);
    assert.deepEqual(iacReads('x.md', '{{resolve:ssm:/a}}'), []);
    assert.equal(secretNameFromId('arn:aws:secretsmanager:r:1:secret:a/b-AbCdEf'), 'a/b');
    assert.equal(secretNameFromId('a/b'), 'a/b');
  });
});
