import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';

const ssm = new SSMClient({});

// The parameter's name comes from serverless.yml (TABLE_NAME_PARAM). Hover `process.env.TABLE_NAME_PARAM`: Keyway
// resolves it through the IaC and shows the parameter behind it.
let tableName: Promise<string> | undefined;

const loadTableName = (): Promise<string> =>
  (tableName ??= ssm
    .send(new GetParameterCommand({ Name: process.env.TABLE_NAME_PARAM }))
    .then((response) => response.Parameter?.Value ?? ''));

export const handler = async () => {
  const table = await loadTableName();
  return { statusCode: 200, body: JSON.stringify({ table }) };
};
