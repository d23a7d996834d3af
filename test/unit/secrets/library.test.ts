import assert from 'node:assert/strict';
import { classifySecret, extraWordSet, isSecretName, shannonEntropy, splitWords } from '../../../src/core/secrets';
import { FAKE } from './fakes';

describe('secrets library', () => {
  it('splits identifiers on camelCase, snake_case, kebab-case and acronyms', () => {
    assert.deepEqual(splitWords('dbPasswordV2'), ['db', 'password', 'v2']);
    assert.deepEqual(splitWords('APIKey'), ['api', 'key']);
    assert.deepEqual(splitWords('x-api-key'), ['x', 'api', 'key']);
    assert.deepEqual(splitWords('AWS_SECRET_ACCESS_KEY'), ['aws', 'secret', 'access', 'key']);
  });

  it('secret names: the secret word must head the name', () => {
    for (const yes of ['password', 'dbPassword', 'DB_PASSWORD', 'passwd', 'pwd', 'secret', 'clientSecret', 'client_secret', 'token',
      'authToken', 'GITHUB_TOKEN', 'apiKey', 'api_key', 'API-KEY', 'apikey', 'accessKey', 'secretAccessKey', 'privateKey', 'signingKey',
      'credentials', 'credential', 'auth', 'basicAuth', 'secretValue', 'SecretString', 'apiKeys', 'passwords', 'dbPass', 'SMTP_PASS']) {
      assert.ok(isSecretName(yes), yes);
    }
    for (const no of ['authorName', 'tokenizer', 'passwordLabel', 'secretariat', 'secretName', 'DB_SECRET_ARN', 'API_KEY_PARAM',
      'tokenUrl', 'passwordMinLength', 'passwordHash', 'authType', 'nextToken', 'pageToken', 'csrfToken', 'key', 'primaryKey',
      'sortKey', 'keyboard', 'monkey', 'bypass', 'compass', 'passage', 'oauthProvider', 'secretId', 'tokenCount']) {
      assert.ok(!isSecretName(no), no);
    }
    assert.ok(isSecretName('licence_code', extraWordSet(['licenceCode'])));
  });

  it('secret names: the quick pre-filter never hides a head word (every glued, paired and single form)', () => {
    for (const yes of ['passphrase', 'creds', 'authorization', 'xApiKey', 'githubPat', 'GH_PAT', 'masterkey', 'webhookSecret',
      'bearerToken', 'refreshTokens', 'hmacKey', 'licenseKey', 'rootPass', 'mysqlpassword', 'stripeapikey', 'Authorization']) {
      assert.ok(isSecretName(yes), yes);
    }
    // configured words bypass the pre-filter
    assert.ok(isSecretName('pinCode', extraWordSet(['code'])));
    assert.ok(!isSecretName('pinCode'));
  });

  it('classifies provider formats without a name and never returns the value', () => {
    const cases: [string, string][] = [
      [FAKE.stripeLive, 'stripe-secret-key'], [FAKE.githubPat, 'github-token'], [FAKE.slackBot, 'slack-token'],
      [FAKE.google, 'google-api-key'], [FAKE.sendgrid, 'sendgrid-api-key'], [FAKE.openai, 'openai-api-key'],
      [FAKE.twilioKey, 'twilio-api-key'], [FAKE.awsKeyId, 'aws-access-key-id'], [FAKE.pem, 'private-key'],
      [FAKE.postgres, 'connection-string-password'],
    ];
    for (const [v, kind] of cases) {
      const m = classifySecret(v);
      assert.equal(m?.kind, kind, kind);
      assert.equal(m?.confidence, 'high');
      assert.ok(!Object.values(m!).includes(v));
    }
  });

  it('generic values need a secret name and a secret-looking value', () => {
    assert.equal(classifySecret(FAKE.generic16), undefined);
    assert.equal(classifySecret(FAKE.generic16, 'apiKey')?.kind, 'api-key');
    assert.equal(classifySecret(FAKE.generic16, 'authorName'), undefined);
    for (const v of ['changeme', 'Enter your password', '${DB_PASSWORD}', '{{resolve:ssm-secure:/a/b}}', '/app/prod/db-password',
      'arn:aws:ssm:us-east-1:1:parameter/x', '550e8400-e29b-41d4-a716-446655440000', 'sha512-abcDEF123+/==', 'aaaaaaaaaaaa',
      'https://example.com/callback', 'process.env.SECRET', 'your-token-here', 'accessToken']) {
      assert.equal(classifySecret(v, 'secret'), undefined, v);
    }
  });

  it('Shannon entropy', () => {
    assert.equal(shannonEntropy(''), 0);
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('abcd'), 2);
    assert.ok(shannonEntropy(FAKE.generic24) > 3.5);
  });
});
