// Secrets Manager access: the client (created lazily per connection) and the few calls Keyway makes.
import type { SecretsManagerClient, SecretListEntry, DescribeSecretResponse } from '@aws-sdk/client-secrets-manager';
import type { Connection } from './connection';
import { KeywayAwsError } from './errors';
import type { Page, SecretMeta, SecretReplica } from './model';

/** The SDK module, loaded once on first use (dist/aws.js stays cheap to load). */
let secretsSdkModule: Promise<typeof import('@aws-sdk/client-secrets-manager')> | undefined;
const secretsSdk = () => (secretsSdkModule ??= import('@aws-sdk/client-secrets-manager'));

/** ListSecrets' maximum page size: the fewest calls for a full listing. */
export const LIST_SECRETS_PAGE_SIZE = 100;

export interface SecretValue {
  name: string;
  arn?: string;
  versionId?: string;
  versionStages?: string[];
  /** SecretString, when the secret is text. */
  value?: string;
  /** SecretBinary, when the secret is binary. */
  binary?: Uint8Array;
  /** Epoch ms. */
  created?: number;
}

const ms = (d: Date | undefined): number | undefined => (d ? d.getTime() : undefined);

function rotationFields(m: SecretMeta, e: Pick<SecretListEntry, 'RotationEnabled' | 'RotationRules' | 'RotationLambdaARN' | 'LastRotatedDate' | 'NextRotationDate'>): void {
  m.rotationEnabled = e.RotationEnabled === true;
  const r = e.RotationRules;
  if (r?.AutomaticallyAfterDays !== undefined) m.rotationDays = r.AutomaticallyAfterDays;
  if (r?.ScheduleExpression) {
    m.rotationSchedule = r.ScheduleExpression;
    if (m.rotationDays === undefined) {
      const rate = /^rate\((\d+)\s+days?\)$/.exec(r.ScheduleExpression.trim());
      if (rate) m.rotationDays = Number(rate[1]);
    }
  }
  if (r?.Duration) m.rotationWindow = r.Duration;
  if (e.RotationLambdaARN) m.rotationLambdaArn = e.RotationLambdaARN;
  if (e.LastRotatedDate) m.lastRotated = ms(e.LastRotatedDate);
  if (e.NextRotationDate) m.nextRotation = ms(e.NextRotationDate);
}

export function toSecretMeta(e: SecretListEntry): SecretMeta {
  const m: SecretMeta = { kind: 'secret', name: e.Name ?? '', rotationEnabled: false };
  if (e.ARN) m.arn = e.ARN;
  if (e.Description) m.description = e.Description;
  if (e.KmsKeyId) m.kmsKeyId = e.KmsKeyId;
  rotationFields(m, e);
  if (e.LastAccessedDate) m.lastAccessed = ms(e.LastAccessedDate);
  if (e.LastChangedDate) m.lastChanged = ms(e.LastChangedDate);
  if (e.CreatedDate) m.created = ms(e.CreatedDate);
  if (e.DeletedDate) m.deletedDate = ms(e.DeletedDate);
  if (e.PrimaryRegion) m.primaryRegion = e.PrimaryRegion;
  if (e.OwningService) m.owningService = e.OwningService;
  if (e.Tags?.length) m.tags = Object.fromEntries(e.Tags.map((t) => [t.Key ?? '', t.Value ?? '']));
  if (e.SecretVersionsToStages) m.versionStages = e.SecretVersionsToStages;
  return m;
}

export function replicasOf(d: DescribeSecretResponse): SecretReplica[] {
  return (d.ReplicationStatus ?? []).map((r) => ({ region: r.Region ?? '', status: r.Status, statusMessage: r.StatusMessage, kmsKeyId: r.KmsKeyId, lastAccessed: ms(r.LastAccessedDate) }));
}

export class SecretsService {
  constructor(readonly connection: Connection) {}

  client(): Promise<SecretsManagerClient> {
    return this.connection.client<SecretsManagerClient>('secrets', async (cfg) => {
      const { SecretsManagerClient: Client } = await secretsSdk();
      return new Client(cfg);
    });
  }

  /** One ListSecrets page, including secrets scheduled for deletion. Rejects with KeywayAwsError. */
  async listSecretsPage(nextToken: string | undefined, signal?: AbortSignal): Promise<Page<SecretMeta>> {
    try {
      const { ListSecretsCommand } = await secretsSdk();
      const client = await this.client();
      const out = await client.send(new ListSecretsCommand({ MaxResults: LIST_SECRETS_PAGE_SIZE, NextToken: nextToken, IncludePlannedDeletion: true }), { abortSignal: this.connection.linkSignal(signal) });
      return { items: (out.SecretList ?? []).map(toSecretMeta), nextToken: out.NextToken || undefined };
    } catch (e) {
      throw new KeywayAwsError(this.connection.classify(e, 'secretsmanager', 'ListSecrets'), { cause: e });
    }
  }

  /** DescribeSecret: full metadata including replica regions and statuses (never the value). */
  async describeSecret(id: string, signal?: AbortSignal): Promise<SecretMeta> {
    try {
      const { DescribeSecretCommand } = await secretsSdk();
      const client = await this.client();
      const d = await client.send(new DescribeSecretCommand({ SecretId: id }), { abortSignal: this.connection.linkSignal(signal) });
      const m = toSecretMeta({ ...d, SecretVersionsToStages: d.VersionIdsToStages });
      m.replicas = replicasOf(d);
      return m;
    } catch (e) {
      throw new KeywayAwsError(this.connection.classify(e, 'secretsmanager', 'DescribeSecret'), { cause: e });
    }
  }

  /** GetSecretValue (AWSCURRENT). The value is returned to the caller only; it is never logged. */
  async getSecretValue(id: string, signal?: AbortSignal): Promise<SecretValue> {
    try {
      const { GetSecretValueCommand } = await secretsSdk();
      const client = await this.client();
      const out = await client.send(new GetSecretValueCommand({ SecretId: id, VersionStage: 'AWSCURRENT' }), { abortSignal: this.connection.linkSignal(signal) });
      return { name: out.Name ?? id, arn: out.ARN, versionId: out.VersionId, versionStages: out.VersionStages, value: out.SecretString, binary: out.SecretBinary, created: ms(out.CreatedDate) };
    } catch (e) {
      throw new KeywayAwsError(this.connection.classify(e, 'secretsmanager', 'GetSecretValue'), { cause: e });
    }
  }
}
