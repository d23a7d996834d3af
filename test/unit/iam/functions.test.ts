// The function ↔ handler mapping: handler strings, code locations and CDK constructs resolved to source files.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { functionsFromCdk, functionsFromInfra, resolveSourceFile, splitHandler } from '../../../src/core/iam';
import type { ProjectContext } from '../../../src/core/types';

function memProject(files: Record<string, string>): ProjectContext {
  return { readFile: (p) => files[path.posix.normalize(p)], dependenciesOf: () => new Set() };
}

describe('iam function ↔ handler mapping', () => {
  it('splits handler strings at the last dot of the file name', () => {
    assert.deepEqual(splitHandler('src/handlers/orders.handler'), { module: 'src/handlers/orders', exportName: 'handler' });
    assert.deepEqual(splitHandler('app.lambdaHandler'), { module: 'app', exportName: 'lambdaHandler' });
    assert.deepEqual(splitHandler('./v1.2/api'), { module: './v1.2/api', exportName: 'handler' });
  });

  it('resolves .ts before .js, index files, and dist/ → src/ only when the built file is missing', () => {
    const p = memProject({ '/p/src/a.ts': 'a', '/p/src/a.js': 'js', '/p/lib/b/index.mjs': 'b', '/p/src/c.ts': 'c', '/p/dist/d.js': 'd', '/p/src/d.ts': 'd-src' });
    assert.equal(resolveSourceFile('/p', 'src/a', p)?.path, '/p/src/a.ts');
    assert.equal(resolveSourceFile('/p', 'lib/b', p)?.path, '/p/lib/b/index.mjs');
    assert.equal(resolveSourceFile('/p', 'dist/c', p)?.path, '/p/src/c.ts');
    assert.equal(resolveSourceFile('/p', 'dist/d', p)?.path, '/p/dist/d.js');
    assert.equal(resolveSourceFile('/p', 'nope', p), undefined);
  });

  it('serverless: handler relative to serverless.yml, environment merged (function over provider), ${self:custom} resolved', () => {
    const yml = `service: shop
custom:
  root: /shop/\${sls:stage}
provider:
  name: aws
  environment:
    PREFIX: \${self:custom.root}/
    SHARED: /shop/shared
functions:
  a:
    handler: handlers/a.main
    environment:
      SHARED: /shop/own
      FROM_SSM: \${ssm:/shop/prod/value}
`;
    const [fn] = functionsFromInfra('/p/serverless.yml', yml, 'yaml', memProject({ '/p/handlers/a.js': 'x' }));
    assert.equal(fn.handlerFile, '/p/handlers/a.js');
    assert.equal(fn.handlerExport, 'main');
    assert.equal(fn.env.get('PREFIX'), '/shop/${sls:stage}/');
    assert.equal(fn.env.get('SHARED'), '/shop/own');
    assert.equal(fn.env.get('FROM_SSM'), '\u0000', 'deploy-time lookups are unknown');
  });

  it('SAM: CodeUri from Globals or the function; CloudFormation parameters kept as ${Param}; Ref of an SSM parameter resource is its name', () => {
    const tpl = `Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: { Type: String, Default: prod }
Globals:
  Function:
    CodeUri: functions/
Resources:
  Cfg:
    Type: AWS::SSM::Parameter
    Properties: { Name: /shop/prod/cfg, Type: String, Value: x }
  A:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.handler
      Environment:
        Variables:
          P: !Sub /shop/\${Stage}/a
          C: !Ref Cfg
  B:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: other/
      Handler: b.handler
      Role: arn:aws:iam::123456789012:role/external
`;
    const fns = functionsFromInfra('/p/template.yaml', tpl, 'yaml', memProject({ '/p/functions/a.ts': 'a', '/p/other/b.ts': 'b' }));
    assert.deepEqual(fns.map((f) => [f.name, f.handlerFile, f.opaque]), [
      ['A', '/p/functions/a.ts', undefined], ['B', '/p/other/b.ts', 'a role defined outside this template'],
    ]);
    assert.equal(fns[0].env.get('P'), '/shop/${Stage}/a');
    assert.equal(fns[0].env.get('C'), '/shop/prod/cfg');
  });

  it('CDK: Code.fromAsset (relative to cdk.json, or path.join(__dirname, …)), NodejsFunction entry and its default entry', () => {
    const stack = `import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
const DIR = 'lambda/one';
export class S extends cdk.Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    new lambda.Function(this, 'One', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.run', code: lambda.Code.fromAsset(DIR), environment: { A: 'x', B: \`/app/\${id}/y\` } });
    new lambda.Function(this, 'Two', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'main.handler', code: lambda.Code.fromAsset(path.join(__dirname, '..', 'lambda', 'two')) });
    const three = new NodejsFunction(this, 'Three', { entry: path.resolve(__dirname, '../src/three.ts'), handler: 'go' });
    new NodejsFunction(this, 'four');
    three.addToRolePolicy(new cdk.aws_iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: ['arn:aws:ssm:*:*:parameter/app/*'] }));
    someSecret.grantRead(three);
  }
}
`;
    const files = {
      '/p/cdk.json': '{}', '/p/lib/stack.ts': stack, '/p/lambda/one/index.js': 'one', '/p/lambda/two/main.ts': 'two',
      '/p/src/three.ts': 'three', '/p/lib/stack.four.ts': 'four',
    };
    const fns = functionsFromCdk('/p/lib/stack.ts', stack, memProject(files));
    assert.deepEqual(fns.map((f) => [f.name, f.handlerFile, f.handlerExport]), [
      ['One', '/p/lambda/one/index.js', 'run'], ['Two', '/p/lambda/two/main.ts', 'handler'], ['Three', '/p/src/three.ts', 'go'],
      ['four', '/p/lib/stack.four.ts', 'handler'],
    ]);
    assert.deepEqual([...fns[0].env], [['A', 'x'], ['B', '/app/\u0000/y']]);
    assert.deepEqual(fns[2].statements.map((s) => [s.actions, s.resources.map((r) => r.text)]), [[['ssm:GetParameter'], ['arn:aws:ssm:*:*:parameter/app/*']]]);
    assert.match(fns[2].opaque ?? '', /grantRead/);
  });
});
