import type { APIGatewayProxyHandlerV2 } from 'aws-lambda';
import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';

// Mistake: a third-party key committed to source. It belongs in a SecureString parameter.
const paymentsApiKey = 'sk_live_51Hx9KeywayDemoOnly7c2Qm4Rt8Vb3Nd6';

export const handler: APIGatewayProxyHandlerV2 = async (event) => {
  // Mistake: a new client on every invocation.
  const ssm = new SSMClient({});
  const secretsManager = new SecretsManagerClient({});

  // Mistake: fetched on every invocation, one after the other, never cached.
  const table = await ssm.send(new GetParameterCommand({ Name: '/my-frontend-app/production/table-name' }));
  const endpoint = await ssm.send(new GetParameterCommand({ Name: '/my-frontend-app/production/api-endpoint' }));
  const db = await secretsManager.send(
    new GetSecretValueCommand({ SecretId: '/my-frontend-app/production/database-credentials' }),
  );
  const credentials = JSON.parse(db.SecretString ?? '{}') as { username: string; password: string };

  return {
    statusCode: 200,
    body: JSON.stringify({
      table: table.Parameter?.Value,
      endpoint: endpoint.Parameter?.Value,
      user: credentials.username,
      keyConfigured: paymentsApiKey.length > 0,
      path: event.rawPath,
    }),
  };
};
