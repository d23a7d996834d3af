// Loads the hybrid layout (test/fixtures/seed/hybrid.json) into an AWS endpoint (moto).
// The same fixture serves the test layers and `npm run demo`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir } from './paths';
import { MOTO_ENV } from './moto';

interface SeedFile {
  stages: string[];
  app: string;
  parameters: { name: string; type: 'String' | 'StringList' | 'SecureString'; value: string; description?: string }[];
  secrets: { name: string; value: string; description?: string; rotationDays?: number; tags?: Record<string, string> }[];
}

export interface SeededItem { name: string; value: string; kind: 'parameter' | 'secret'; type?: string; rotationDays?: number }

export function seedFixture(): SeedFile {
  return JSON.parse(fs.readFileSync(path.join(fixturesDir, 'seed', 'hybrid.json'), 'utf8')) as SeedFile;
}

/** Every item the seed creates, with its value (for tests that check values never leak). */
export function seededItems(): SeededItem[] {
  const seed = seedFixture();
  const out: SeededItem[] = [];
  for (const stage of seed.stages) {
    const sub = (s: string) => s.replace(/\{stage\}/g, stage);
    for (const p of seed.parameters) out.push({ kind: 'parameter', name: `/${seed.app}/${stage}/${p.name}`, value: sub(p.value), type: p.type });
    for (const s of seed.secrets) out.push({ kind: 'secret', name: `/${seed.app}/${stage}/${s.name}`, value: sub(s.value), rotationDays: s.rotationDays });
  }
  return out;
}

export async function seedHybridLayout(endpoint: string, region = 'us-east-1'): Promise<SeededItem[]> {
  const { SSMClient, PutParameterCommand } = await import('@aws-sdk/client-ssm');
  const { SecretsManagerClient, CreateSecretCommand, RotateSecretCommand } = await import('@aws-sdk/client-secrets-manager');
  const credentials = { accessKeyId: MOTO_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: MOTO_ENV.AWS_SECRET_ACCESS_KEY };
  const ssm = new SSMClient({ endpoint, region, credentials });
  const sm = new SecretsManagerClient({ endpoint, region, credentials });
  const seed = seedFixture();
  const items = seededItems();
  const meta = new Map<string, { description?: string; tags?: Record<string, string> }>();
  for (const stage of seed.stages) {
    for (const p of seed.parameters) meta.set(`/${seed.app}/${stage}/${p.name}`, { description: p.description });
    for (const s of seed.secrets) {
      const tags = s.tags && Object.fromEntries(Object.entries(s.tags).map(([k, v]) => [k, v.replace(/\{stage\}/g, stage)]));
      meta.set(`/${seed.app}/${stage}/${s.name}`, { description: s.description, tags });
    }
  }
  try {
    await Promise.all(items.map(async (it) => {
      const m = meta.get(it.name) ?? {};
      if (it.kind === 'parameter') {
        await ssm.send(new PutParameterCommand({
          Name: it.name, Value: it.value, Type: it.type as 'String', Overwrite: true, Description: m.description,
        }));
      } else {
        await sm.send(new CreateSecretCommand({
          Name: it.name, SecretString: it.value, Description: m.description,
          Tags: m.tags && Object.entries(m.tags).map(([Key, Value]) => ({ Key, Value })),
        }));
        if (it.rotationDays) {
          // No rotation Lambda exists in the emulator: configure the schedule without rotating now.
          await sm.send(new RotateSecretCommand({
            SecretId: it.name, RotationRules: { AutomaticallyAfterDays: it.rotationDays }, RotateImmediately: false,
          }));
        }
      }
    }));
  } finally {
    ssm.destroy();
    sm.destroy();
  }
  return items;
}
