// The emulator the AWS-layer tests talk to: the endpoint in KEYWAY_TEST_ENDPOINT (set by test/aws/hooks.ts,
// or by the test runner), plus helpers to reset it and to build connections with dummy credentials.
import { MOTO_ENV } from '../../support/moto';

/** Dummy credentials for the emulator (never real ones). */
export const DUMMY_CREDENTIALS = { accessKeyId: MOTO_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: MOTO_ENV.AWS_SECRET_ACCESS_KEY };

export function testEndpoint(): string {
  const e = process.env.KEYWAY_TEST_ENDPOINT;
  if (!e) throw new Error('KEYWAY_TEST_ENDPOINT is not set: run with --require out/test/aws/hooks.js');
  return e.replace(/\/+$/, '');
}

export async function resetEmulator(endpoint = testEndpoint()): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`emulator reset failed: HTTP ${res.status}`);
  await res.arrayBuffer();
}


