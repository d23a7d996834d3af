import type { APIGatewayProxyHandlerV2 } from 'aws-lambda';
import { loadConfig } from '../lib/config.js';

// The right way: the handler awaits a module-scope cached loader (see ../lib/config.ts).
export const handler: APIGatewayProxyHandlerV2 = async () => {
  const config = await loadConfig();
  return { statusCode: 200, body: JSON.stringify({ table: config.tableName, endpoint: config.apiEndpoint }) };
};
