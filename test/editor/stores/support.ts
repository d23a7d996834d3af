// Shared by the compare/audit/verify/references suites: the findings seed (drift and audit findings) on top of the
// hybrid layout, loaded into the explorer's index, and removed afterwards so the emulator is left as found.
import { SSMClient } from '@aws-sdk/client-ssm';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { KeywayApi } from '../../../src/extension/extension';
import { seedFindings, unseedFindings } from '../../support/seed';
import { keyway, waitFor } from '../helpers';

export const endpoint = (): string => process.env.KEYWAY_TEST_ENDPOINT!;
const creds = { accessKeyId: 'testing', secretAccessKey: 'testing' };
export const ssm = (): SSMClient => new SSMClient({ endpoint: endpoint(), region: 'us-east-1', credentials: creds });
export const sm = (): SecretsManagerClient => new SecretsManagerClient({ endpoint: endpoint(), region: 'us-east-1', credentials: creds });

/** The extension, connected straight to moto, with both listings complete and fresh. */
export async function freshKeyway(): Promise<KeywayApi> {
  const api = await keyway();
  const cur = await waitFor('the direct connection', async () => {
    const c = await api.explorer.session.ensure();
    return c.connection.endpoint === endpoint() && !c.connection.disposed ? c : undefined;
  });
  const states = await Promise.all([cur.index.parameters.reload(), cur.index.secrets.reload()]);
  if (states.some((st) => st.status !== 'complete' || !st.count)) throw new Error(`the listings did not load: ${JSON.stringify(states)}`);
  return api;
}

export async function withFindings(): Promise<void> {
  await seedFindings(endpoint());
}

export async function withoutFindings(): Promise<void> {
  await unseedFindings(endpoint());
  const api = await keyway();
  const cur = api.explorer.session.current;
  if (cur) await Promise.all([cur.index.parameters.reload(), cur.index.secrets.reload()]);
}
