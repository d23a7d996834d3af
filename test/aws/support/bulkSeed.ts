// Fast seeding of many parameters and secrets into the emulator. Seeding is not under test, so it
// skips the SDK (signing, middleware) and POSTs the awsJson1.1 requests directly over keep-alive
// sockets with bounded concurrency; the emulator does not check signatures. The listing under
// test always goes through the real SDK and the real API.
import * as http from 'node:http';

export interface BulkLayout {
  prefix: string;
  apps: number;
  stages: number;
  parametersPerStage: number;
  secretsPerStage: number;
}

/** 10 apps x 4 stages x 250 parameters = 10,000 parameters; x 25 secrets = 1,000 secrets. */
export const LARGE_LAYOUT: BulkLayout = { prefix: '/kw-bench', apps: 10, stages: 4, parametersPerStage: 250, secretsPerStage: 25 };

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const TYPES = ['String', 'StringList', 'SecureString'] as const;

export interface PlannedParameter { name: string; type: (typeof TYPES)[number]; tier: 'Standard' | 'Advanced'; description?: string }
export interface PlannedSecret { name: string; description?: string }

/** Parameters live three folder levels deep: <prefix>/app-NN/stage-N/param-NNNN. */
export function plannedParameters(l: BulkLayout): PlannedParameter[] {
  const out: PlannedParameter[] = [];
  let i = 0;
  for (let a = 0; a < l.apps; a++) {
    for (let s = 0; s < l.stages; s++) {
      for (let p = 0; p < l.parametersPerStage; p++, i++) {
        out.push({
          name: `${l.prefix}/app-${pad(a, 2)}/stage-${s}/param-${pad(p, 4)}`,
          type: TYPES[i % 3],
          tier: i % 97 === 0 ? 'Advanced' : 'Standard',
          description: i % 5 === 0 ? `bulk parameter ${i}` : undefined,
        });
      }
    }
  }
  return out;
}

export function plannedSecrets(l: BulkLayout): PlannedSecret[] {
  const out: PlannedSecret[] = [];
  for (let a = 0; a < l.apps; a++) {
    for (let s = 0; s < l.stages; s++) {
      for (let k = 0; k < l.secretsPerStage; k++) {
        out.push({ name: `${l.prefix}/app-${pad(a, 2)}/stage-${s}/secret-${pad(k, 3)}`, description: k % 4 === 0 ? 'bulk secret' : undefined });
      }
    }
  }
  return out;
}

/** Deterministic, obviously fake value for a seeded item (tests check that values never leak). */
export function bulkValue(name: string): string {
  return `kw-bulk-value:${name.split('/').pop()}`;
}

function postJson(agent: http.Agent, endpoint: URL, target: string, service: string, body: unknown): Promise<void> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: endpoint.hostname, port: endpoint.port, method: 'POST', path: '/', agent,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': target,
        'content-length': Buffer.byteLength(data),
        // Region and service come from the credential scope; the signature is not checked by the emulator.
        authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if ((res.statusCode ?? 500) < 300) resolve();
        else reject(new Error(`${target} failed: HTTP ${res.statusCode} ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}

async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      for (let attempt = 1; ; attempt++) {
        try { await fn(item); break; } catch (e) {
          if (attempt >= 3) throw e;
          await new Promise((r) => setTimeout(r, 50 * attempt));
        }
      }
    }
  }));
}

export interface BulkSeedResult {
  parameters: PlannedParameter[];
  secrets: PlannedSecret[];
  parameterMs: number;
  secretMs: number;
}

export async function bulkSeed(endpoint: string, layout: BulkLayout = LARGE_LAYOUT, opts: { concurrency?: number } = {}): Promise<BulkSeedResult> {
  const url = new URL(endpoint);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency ?? 8 });
  const parameters = plannedParameters(layout);
  const secrets = plannedSecrets(layout);
  try {
    const t0 = performance.now();
    await pool(parameters, opts.concurrency ?? 8, (p) => postJson(agent, url, 'AmazonSSM.PutParameter', 'ssm', {
      Name: p.name, Value: bulkValue(p.name), Type: p.type, Tier: p.tier, Overwrite: true, ...(p.description ? { Description: p.description } : {}),
    }));
    const t1 = performance.now();
    await pool(secrets, opts.concurrency ?? 8, (s) => postJson(agent, url, 'secretsmanager.CreateSecret', 'secretsmanager', {
      Name: s.name, SecretString: bulkValue(s.name), ...(s.description ? { Description: s.description } : {}),
    }));
    const t2 = performance.now();
    return { parameters, secrets, parameterMs: t1 - t0, secretMs: t2 - t1 };
  } finally {
    agent.destroy();
  }
}

/** Page size the emulator really uses for DescribeParameters when asked for 50 (AWS: 50; stock moto 5.2: 10). */
export async function effectiveDescribePageSize(endpoint: string): Promise<number> {
  const res = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.DescribeParameters',
      authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ssm/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify({ MaxResults: 50 }),
  });
  const body = await res.json() as { Parameters?: unknown[] };
  return body.Parameters?.length ?? 0;
}

/** Calls a full listing of `n` items needs at `pageSize`: exactly ceil(n / pageSize), on AWS and on the project's moto. */
export function expectedListingCalls(n: number, pageSize: number): [number, number] {
  const min = Math.max(1, Math.ceil(n / pageSize));
  return [min, min];
}

export function assertCallsInRange(actual: number, [min, max]: [number, number], what: string): void {
  if (actual < min || actual > max) throw new Error(`${what}: ${actual} calls, expected ${min === max ? min : `${min}..${max}`}`);
}
