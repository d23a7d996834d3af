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

interface FindingsFile {
  parameters: { name: string; type: 'String' | 'StringList' | 'SecureString'; value: string; description?: string; tier?: 'Standard' | 'Advanced' }[];
  secrets: { name: string; value: string; description?: string; rotationDays?: number; scheduleDeletion?: number; pendingValue?: string }[];
}

/** The drift and audit findings seeded on top of the hybrid layout (test/fixtures/seed/findings.json). */
export function findingsFixture(): FindingsFile {
  return JSON.parse(fs.readFileSync(path.join(fixturesDir, 'seed', 'findings.json'), 'utf8')) as FindingsFile;
}

/** Every item the findings seed creates, with its value (pending secret versions included). */
export function findingsItems(): SeededItem[] {
  const f = findingsFixture();
  return [
    ...f.parameters.map((p) => ({ kind: 'parameter' as const, name: p.name, value: p.value, type: p.type })),
    ...f.secrets.flatMap((s) => [{ kind: 'secret' as const, name: s.name, value: s.value, rotationDays: s.rotationDays }, ...(s.pendingValue ? [{ kind: 'secret' as const, name: s.name, value: s.pendingValue }] : [])]),
  ];
}

/**
 * Seeds the findings fixture: a drift between the two stages and one item per audit finding moto can show (a secret
 * scheduled for deletion, a rotation left half done with an AWSPENDING version). Run after seedHybridLayout.
 */
export async function seedFindings(endpoint: string, region = 'us-east-1'): Promise<SeededItem[]> {
  const { SSMClient, PutParameterCommand } = await import('@aws-sdk/client-ssm');
  const { SecretsManagerClient, CreateSecretCommand, RotateSecretCommand, DeleteSecretCommand, PutSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const credentials = { accessKeyId: MOTO_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: MOTO_ENV.AWS_SECRET_ACCESS_KEY };
  const ssm = new SSMClient({ endpoint, region, credentials });
  const sm = new SecretsManagerClient({ endpoint, region, credentials });
  const f = findingsFixture();
  try {
    await Promise.all(f.parameters.map((p) => ssm.send(new PutParameterCommand({ Name: p.name, Value: p.value, Type: p.type, Tier: p.tier ?? 'Standard', Description: p.description, Overwrite: true }))));
    await Promise.all(f.secrets.map(async (s) => {
      await sm.send(new CreateSecretCommand({ Name: s.name, SecretString: s.value, Description: s.description }));
      if (s.rotationDays) await sm.send(new RotateSecretCommand({ SecretId: s.name, RotationRules: { AutomaticallyAfterDays: s.rotationDays }, RotateImmediately: false }));
      if (s.pendingValue) await sm.send(new PutSecretValueCommand({ SecretId: s.name, SecretString: s.pendingValue, VersionStages: ['AWSPENDING'] }));
      if (s.scheduleDeletion) await sm.send(new DeleteSecretCommand({ SecretId: s.name, RecoveryWindowInDays: s.scheduleDeletion }));
    }));
  } finally {
    ssm.destroy();
    sm.destroy();
  }
  return findingsItems();
}

/** Removes what seedFindings created (tests that must leave the shared emulator as they found it). */
export async function unseedFindings(endpoint: string, region = 'us-east-1'): Promise<void> {
  const { SSMClient, DeleteParametersCommand } = await import('@aws-sdk/client-ssm');
  const { SecretsManagerClient, DeleteSecretCommand } = await import('@aws-sdk/client-secrets-manager');
  const credentials = { accessKeyId: MOTO_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: MOTO_ENV.AWS_SECRET_ACCESS_KEY };
  const ssm = new SSMClient({ endpoint, region, credentials });
  const sm = new SecretsManagerClient({ endpoint, region, credentials });
  const f = findingsFixture();
  try {
    await ssm.send(new DeleteParametersCommand({ Names: f.parameters.map((p) => p.name) }));
    await Promise.all(f.secrets.map((s) => sm.send(new DeleteSecretCommand({ SecretId: s.name, ForceDeleteWithoutRecovery: true })).catch(() => undefined)));
  } finally {
    ssm.destroy();
    sm.destroy();
  }
}

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
