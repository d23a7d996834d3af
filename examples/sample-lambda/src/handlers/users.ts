import type { APIGatewayProxyHandlerV2 } from 'aws-lambda';
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';

const secretsManager = new SecretsManagerClient({});
const ssm = new SSMClient({});

export const handler: APIGatewayProxyHandlerV2 = async () => {
  // Mistake: the OAuth secret arrives through a plaintext environment variable.
  const oauthSecret = process.env.OAUTH_CLIENT_SECRET ?? '';

  // Mistake: a table name does not need Secrets Manager ($0.40 per secret per month).
  const table = await secretsManager.send(new GetSecretValueCommand({ SecretId: '/my-frontend-app/production/users-table-name' }));

  // Mistake: a SecureString read without decryption returns ciphertext.
  const apiKey = await ssm.send(new GetParameterCommand({ Name: '/my-frontend-app/production/third-party-api-key' }));

  return { statusCode: 200, body: JSON.stringify({ table: table.SecretString, signed: oauthSecret.length > 0, key: apiKey.Parameter?.Name }) };
};
