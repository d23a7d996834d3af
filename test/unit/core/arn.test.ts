import * as assert from 'node:assert/strict';
import { parameterArn, parameterConsoleUrl, partitionOf, secretArnPattern, secretConsoleUrl } from '../../../src/core/arn';

describe('ARNs and console links', () => {
  it('builds parameter ARNs with exactly one slash after "parameter"', () => {
    assert.equal(parameterArn('us-east-1', '123456789012', '/app/prod/key'), 'arn:aws:ssm:us-east-1:123456789012:parameter/app/prod/key');
    assert.equal(parameterArn('us-east-1', '123456789012', 'plain'), 'arn:aws:ssm:us-east-1:123456789012:parameter/plain');
  });

  it('uses the partition of the region', () => {
    assert.equal(partitionOf('cn-north-1'), 'aws-cn');
    assert.equal(partitionOf('us-gov-west-1'), 'aws-us-gov');
    assert.equal(partitionOf('eu-west-1'), 'aws');
    assert.match(parameterArn('cn-north-1', '1', '/a'), /^arn:aws-cn:/);
  });

  it('matches a secret by name plus the six random characters AWS appends', () => {
    assert.equal(secretArnPattern('us-east-1', '123456789012', '/app/prod/db'), 'arn:aws:secretsmanager:us-east-1:123456789012:secret:/app/prod/db-??????');
  });

  it('double-encodes parameter names in console links and encodes secret names once', () => {
    assert.equal(parameterConsoleUrl('us-east-1', '/a/b'), 'https://us-east-1.console.aws.amazon.com/systems-manager/parameters/%252Fa%252Fb/description?region=us-east-1&tab=Table');
    assert.equal(secretConsoleUrl('eu-west-1', '/a/b'), 'https://eu-west-1.console.aws.amazon.com/secretsmanager/secret?name=%2Fa%2Fb&region=eu-west-1');
  });
});
