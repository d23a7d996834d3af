import type { APIGatewayProxyHandlerV2 } from 'aws-lambda';
import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';

const ssm = new SSMClient({});
let apiKey: string | undefined;

// Done right: a module-scope client and a cached loader, with decryption.
async function partnerKey(): Promise<string> {
  if (apiKey) return apiKey;
  const out = await ssm.send(new GetParameterCommand({ Name: '/my-frontend-app/production/third-party-api-key', WithDecryption: true }));
  apiKey = out.Parameter?.Value ?? '';
  return apiKey;
}

export const handler: APIGatewayProxyHandlerV2 = async (event) => {
  const key = await partnerKey();
  // Mistake: the decrypted key goes to CloudWatch Logs in plain text on every invocation.
  console.log('calling the partner API with key', key);
  const res = await fetch(`https://partner.example.com/v1/orders/${event.pathParameters?.id ?? ''}`, { headers: { 'x-api-key': key } });
  return { statusCode: res.status, body: await res.text() };
};
