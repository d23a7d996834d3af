import { strict as assert } from 'node:assert';
import { classifyAwsError, missingActionFrom } from '../../src/aws';

function awsError(name: string, message: string, status?: number): Error {
  return Object.assign(new Error(message), { name, $metadata: status ? { httpStatusCode: status } : {} });
}

describe('aws/errors classifyAwsError', () => {
  it('AccessDenied names the missing action from the message', () => {
    const e = awsError('AccessDeniedException', 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: ssm:DescribeParameters on resource: arn:aws:ssm:us-east-1:123456789012:* because no identity-based policy allows the ssm:DescribeParameters action', 400);
    const info = classifyAwsError(e, { operation: 'DescribeParameters', service: 'ssm' });
    assert.equal(info.kind, 'AccessDenied');
    assert.equal(info.action, 'ssm:DescribeParameters');
    assert.match(info.message, /ssm:DescribeParameters/);
    assert.match(info.nextStep, /allows ssm:DescribeParameters/);
    assert.equal(missingActionFrom('not authorized to perform: secretsmanager:ListSecrets'), 'secretsmanager:ListSecrets');
  });

  it('an expired SSO session offers aws sso login for the profile', () => {
    const e = awsError('CredentialsProviderError', 'The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.');
    const info = classifyAwsError(e, { profile: 'dev-sso' });
    assert.equal(info.kind, 'ExpiredToken');
    assert.equal(info.command, 'aws sso login --profile dev-sso');
    assert.match(info.nextStep, /aws sso login --profile dev-sso/);
    assert.equal(classifyAwsError(awsError('ExpiredTokenException', 'The security token included in the request is expired', 400)).kind, 'ExpiredToken');
  });

  it('no credentials', () => {
    const info = classifyAwsError(awsError('CredentialsProviderError', 'Could not load credentials from any providers'));
    assert.equal(info.kind, 'NoCredentials');
    assert.equal(info.retryable, false);
  });

  it('throttling, network, not found, validation, server error', () => {
    assert.equal(classifyAwsError(awsError('ThrottlingException', 'Rate exceeded', 400)).kind, 'Throttled');
    const net = classifyAwsError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), { endpoint: 'http://127.0.0.1:9', operation: 'ListSecrets' });
    assert.equal(net.kind, 'Network');
    assert.equal(net.errorName, 'ECONNREFUSED');
    assert.match(net.message, /127\.0\.0\.1:9/);
    assert.equal(classifyAwsError(awsError('TimeoutError', 'Connection timed out after 3000 ms')).kind, 'Network');
    assert.equal(classifyAwsError(awsError('ParameterNotFound', '', 400)).kind, 'NotFound');
    assert.equal(classifyAwsError(awsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.", 400)).kind, 'NotFound');
    assert.equal(classifyAwsError(awsError('ValidationException', '1 validation error detected', 400)).kind, 'Validation');
    const server = classifyAwsError(awsError('InternalServerError', 'boom', 500), { operation: 'DescribeParameters' });
    assert.equal(server.kind, 'Unknown');
    assert.equal(server.retryable, true);
    assert.match(server.message, /HTTP 500/);
    assert.equal(classifyAwsError(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' })).kind, 'Cancelled');
  });

  it('on the command line, next steps name options and running again, never the editor\'s settings, Refresh or log', () => {
    const cases: [unknown, { endpoint?: string; profile?: string }][] = [
      [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), { endpoint: 'http://127.0.0.1:9' }],
      [Object.assign(new Error('getaddrinfo ENOTFOUND ssm.us-east-1.amazonaws.com'), { code: 'ENOTFOUND' }), {}],
      [awsError('ExpiredTokenException', 'The security token included in the request is expired', 400), { profile: 'ci' }],
      [awsError('CredentialsProviderError', 'The SSO session associated with this profile has expired or is otherwise invalid.'), { profile: 'dev-sso' }],
      [awsError('CredentialsProviderError', 'Could not load credentials from any providers'), {}],
      [awsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400), {}],
      [awsError('ParameterNotFound', '', 400), {}],
      [awsError('ValidationException', '1 validation error detected', 400), {}],
      [awsError('WeirdError', 'x', 418), {}],
      [Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }), {}],
    ];
    for (const [e, ctx] of cases) {
      const editor = classifyAwsError(e, { operation: 'DescribeParameters', ...ctx });
      const cli = classifyAwsError(e, { operation: 'DescribeParameters', ...ctx, surface: 'cli' });
      assert.equal(cli.kind, editor.kind);
      assert.equal(cli.message, editor.message, 'only the next step depends on where it is shown');
      assert.doesNotMatch(cli.nextStep, /keyway\.endpointUrl|\brefresh\b(?! your credentials)|Refresh the list|Keyway log|Pick a profile|endpoint setting/i, `${editor.kind}: ${cli.nextStep}`);
    }
    assert.match(classifyAwsError(cases[0][0], { endpoint: 'http://127.0.0.1:9', surface: 'cli' }).nextStep, /--endpoint-url \(or AWS_ENDPOINT_URL\)/);
    assert.match(classifyAwsError(cases[3][0], { profile: 'dev-sso', surface: 'cli' }).nextStep, /^Run `aws sso login --profile dev-sso`, then run the command again\.$/);
    assert.match(classifyAwsError(cases[4][0], { surface: 'cli' }).nextStep, /--profile .*--endpoint-url/);
    assert.match(classifyAwsError(cases[8][0], { surface: 'cli' }).nextStep, /--verbose/);
    assert.match(classifyAwsError(awsError('ThrottlingException', 'Rate exceeded', 400), { surface: 'cli' }).nextStep, /run the command again \(AWS_MAX_ATTEMPTS/);
  });

  it('never copies the raw service message (which could quote input) into the user message', () => {
    const info = classifyAwsError(awsError('ValidationException', 'Value sk_live_DO_NOT_SHOW at Value failed to satisfy constraint', 400), { operation: 'PutParameter' });
    assert.doesNotMatch(`${info.message} ${info.nextStep}`, /sk_live_DO_NOT_SHOW/);
  });
});
