import assert from 'node:assert/strict';
import { isWildcardResource, sensitiveActionsOf } from '../../../src/core/rules/iam/iam-wildcard-resource';
import { covered, only, scan, scanFixture } from './helpers';

const resources = (fs: ReturnType<typeof scan>) => fs.map((f) => f.data?.resource);

describe('iam-wildcard-resource', () => {
  it('IAM policy JSON: a wildcard ARN in a Resource list; scoped ARNs and non-secret actions are clean', () => {
    const { text, findings } = scanFixture('policy.json');
    const f = only(findings, 'iam-wildcard-resource');
    assert.deepEqual(resources(f), ['arn:aws:ssm:*:*:*']);
    assert.equal(covered(text, f[0]), '"arn:aws:ssm:*:*:*"');
    assert.equal(f[0].severity, 'warning');
    assert.match(f[0].message, /parameter\/my-app\/prod\/\*/);
  });

  describe('serverless.yml', () => {
    const { text, findings } = scanFixture('serverless.yml');
    const f = only(findings, 'iam-wildcard-resource');
    it('provider.iam.role.statements with Resource "*" (Deny and scoped statements are clean)', () => {
      assert.equal(covered(text, f[0]), '"*"');
      assert.deepEqual(f[0].data?.actions, ['ssm:GetParameter', 'ssm:GetParametersByPath']);
    });
    it('functions.*.iamRoleStatements with a secretsmanager wildcard ARN in a list', () => {
      assert.deepEqual(resources(f), ['*', 'arn:aws:secretsmanager:*:*:secret:*']);
    });
    it('provider.iamRoleStatements (old syntax) and flow-style Action lists', () => {
      const yml = 'service: s\nprovider:\n  name: aws\n  iamRoleStatements:\n    - Effect: "Allow"\n      Action: [ssm:Get*]\n      Resource: [arn:aws:ssm:us-east-1:*:parameter/*]\n';
      assert.deepEqual(resources(only(scan('serverless.yaml', yml), 'iam-wildcard-resource')), ['arn:aws:ssm:us-east-1:*:parameter/*']);
    });
  });

  describe('SAM / CloudFormation YAML', () => {
    const { text, findings } = scanFixture('template.yaml');
    const f = only(findings, 'iam-wildcard-resource');
    it('SAM policy template SSMParameterReadPolicy with ParameterName "*"', () => {
      assert.equal(covered(text, f[0]), "'*'");
    });
    it('SAM inline Statement with a !Sub wildcard ARN; the scoped !Sub ARN is clean', () => {
      assert.ok(f.some((x) => x.data?.resource === 'arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:*'));
      assert.ok(!f.some((x) => String(x.data?.resource).includes('parameter/orders')));
    });
    it('AWS::IAM::Role policies (ssm:Get*) and AWS::IAM::ManagedPolicy (Action "*"); the trust policy is clean', () => {
      assert.deepEqual(resources(f).slice(2), ['arn:aws:ssm:*:*:parameter/*', '*']);
      assert.equal(f.length, 4);
    });
  });

  it('broad AWS managed policies attached to a function (SAM Policies, linked role), not to unrelated roles', () => {
    const yml = [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Api:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Handler: index.handler',
      '      Policies:',
      '        - AWSLambdaBasicExecutionRole',
      '        - AmazonSSMReadOnlyAccess',
      '  Worker:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      '      Role: !GetAtt WorkerRole.Arn',
      '  WorkerRole:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      ManagedPolicyArns: [arn:aws:iam::aws:policy/SecretsManagerReadWrite]',
      '  InstanceRole:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]',
    ].join('\n');
    const f = only(scan('template.yaml', yml), 'iam-wildcard-resource');
    assert.deepEqual(f.map((x) => x.range.start.line), [8, 16]);
    assert.match(f[0].message, /AmazonSSMReadOnlyAccess/);
  });

  it('CloudFormation JSON: Fn::Join built wildcard ARN with secretsmanager:*', () => {
    const { findings } = scanFixture('template.json');
    const f = only(findings, 'iam-wildcard-resource');
    assert.equal(f.length, 1);
    assert.ok(String(f[0].data?.resource).endsWith(':secret:*'));
  });

  describe('CDK', () => {
    const { text, findings } = scanFixture('cdk-stack.ts');
    const f = only(findings, 'iam-wildcard-resource');
    it("new iam.PolicyStatement with resources ['*'] and a template-literal wildcard ARN", () => {
      assert.equal(f.length, 2);
      assert.equal(covered(text, f[0]), "'*'");
      assert.match(covered(text, f[1]), /^`arn:aws:secretsmanager:\$\{this\.region\}/);
    });
    it('scoped resources and effect: DENY are clean', () => {
      assert.ok(!f.some((x) => String(x.data?.resource).includes('orders/prod')));
    });
    it('statements built with addActions(...) and addAllResources() / addResources("*")', () => {
      const code = [
        "const st = new iam.PolicyStatement();",
        "st.addActions('ssm:GetParameter', 'ssm:GetParameters');",
        'st.addAllResources();',
        "const sm = new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'] });",
        "sm.addResources('arn:aws:secretsmanager:*:*:secret:*');",
        "const ok = new PolicyStatement({ actions: ['ssm:GetParameter'] });",
        "ok.addResources('arn:aws:ssm:us-east-1:1:parameter/app/*');",
        "const logs = new PolicyStatement({ actions: ['logs:PutLogEvents'] });",
        'logs.addAllResources();',
      ].join('\n');
      const f = only(scan('stack.ts', code), 'iam-wildcard-resource');
      assert.deepEqual(f.map((x) => [x.range.start.line, x.data?.resource]), [[2, '*'], [4, 'arn:aws:secretsmanager:*:*:secret:*']]);
    });
    it('raw policy objects in code ({ Effect, Action, Resource })', () => {
      const code = `await iam.putRolePolicy({ PolicyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'ssm:*', Resource: '*' }] }) });`;
      assert.equal(only(scan('setup.ts', code), 'iam-wildcard-resource').length, 1);
      const scoped = code.replace("Resource: '*'", "Resource: 'arn:aws:ssm:us-east-1:1:parameter/app/*'");
      assert.equal(only(scan('setup.ts', scoped), 'iam-wildcard-resource').length, 0);
    });
  });

  it('action matching: globs, wildcard and case', () => {
    assert.deepEqual(sensitiveActionsOf('ssm:GetParameter*'), ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:GetParameterHistory']);
    assert.deepEqual(sensitiveActionsOf('SecretsManager:getsecretvalue'), ['secretsmanager:GetSecretValue']);
    assert.equal(sensitiveActionsOf('*').length, 6);
    assert.deepEqual(sensitiveActionsOf('ssm:PutParameter'), []);
    assert.deepEqual(sensitiveActionsOf('s3:*'), []);
  });

  it('resource matching: equivalent wildcards yes, scoped paths and other services no', () => {
    const both = new Set(['ssm', 'secretsmanager']);
    for (const yes of ['*', 'arn:aws:ssm:*:*:parameter/*', 'arn:aws:ssm:*:*:*', 'arn:aws:secretsmanager:*:*:secret:*', 'arn:*:*:*:*:*',
      'arn:aws:ssm:${AWS::Region}:${AWS::AccountId}:parameter/*', 'arn:aws:ssm:eu-west-1:123456789012:parameter*']) {
      assert.ok(isWildcardResource(yes, both), yes);
    }
    for (const no of ['arn:aws:ssm:*:*:parameter/app/*', 'arn:aws:secretsmanager:*:*:secret:prod/*', 'arn:aws:s3:::*',
      'arn:aws:ssm:*:*:parameter/${Stage}/*', 'arn:aws:kms:*:*:key/*']) {
      assert.ok(!isWildcardResource(no, both), no);
    }
    assert.ok(!isWildcardResource('arn:aws:secretsmanager:*:*:secret:*', new Set(['ssm'])));
  });

  it('Deny statements, NotAction and non-secret actions are never reported', () => {
    const json = JSON.stringify({ Statement: [
      { Effect: 'Deny', Action: 'ssm:*', Resource: '*' },
      { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
      { Effect: 'Allow', Action: ['s3:GetObject', 'kms:Decrypt'], Resource: '*' },
    ] });
    assert.equal(only(scan('policy.json', json), 'iam-wildcard-resource').length, 0);
  });
});
