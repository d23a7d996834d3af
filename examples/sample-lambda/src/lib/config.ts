import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';

const ssm = new SSMClient({});
const secretsManager = new SecretsManagerClient({});
const TTL_MS = 300_000;

interface Config { tableName: string; apiEndpoint: string; apiKey: string; db: { username: string; password: string } }
let cached: { value: Config; expires: number } | undefined;

export async function loadConfig(): Promise<Config> {
  if (cached && cached.expires > Date.now()) return cached.value;
  const [table, endpoint, key, db] = await Promise.all([
    ssm.send(new GetParameterCommand({ Name: '/my-frontend-app/production/table-name' })),
    ssm.send(new GetParameterCommand({ Name: '/my-frontend-app/production/api-endpoint' })),
    ssm.send(new GetParameterCommand({ Name: '/my-frontend-app/production/third-party-api-key', WithDecryption: true })),
    secretsManager.send(new GetSecretValueCommand({ SecretId: '/my-frontend-app/production/database-credentials' })),
  ]);
  const value: Config = {
    tableName: table.Parameter?.Value ?? '',
    apiEndpoint: endpoint.Parameter?.Value ?? '',
    apiKey: key.Parameter?.Value ?? '',
    db: JSON.parse(db.SecretString ?? '{}') as Config['db'],
  };
  cached = { value, expires: Date.now() + TTL_MS };
  return value;
}
