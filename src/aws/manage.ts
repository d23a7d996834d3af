// Writing values: create, new versions with a conflict check, history and labels, restore, rotation,
// replication, delete and restore, tags. Every method rejects with KeywayAwsError (or ConflictError);
// values are passed to AWS and back to the caller only — never logged.
// Nothing here validates input: callers run core/manage's checks first, so invalid input costs no call.
import type { Connection } from './connection';
import { KeywayAwsError } from './errors';
import { SecretsService } from './secrets';
import { SsmService } from './ssm';

export type ParameterType = 'String' | 'StringList' | 'SecureString';
export type Tier = 'Standard' | 'Advanced';

/** Somebody wrote a newer version since the caller read the value. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  constructor(readonly expected: string, readonly actual: string, readonly theirs: string | undefined) {
    super(`A newer version was written since you opened it (expected ${expected}, found ${actual}).`);
  }
}

export interface ParameterVersion {
  version: number;
  /** The value (decrypted). Callers mask it for display. */
  value: string;
  type?: string;
  labels: string[];
  lastModified?: number;
  lastModifiedUser?: string;
  description?: string;
}

export interface SecretVersion {
  versionId: string;
  stages: string[];
  created?: number;
  lastAccessed?: number;
}

const ssmSdk = () => import('@aws-sdk/client-ssm');
const smSdk = () => import('@aws-sdk/client-secrets-manager');
const ms = (d: Date | undefined) => (d ? d.getTime() : undefined);

export class ManageService {
  private readonly ssm: SsmService;
  private readonly secrets: SecretsService;

  constructor(readonly connection: Connection) {
    this.ssm = new SsmService(connection);
    this.secrets = new SecretsService(connection);
  }

  private async ssmCall<T>(operation: string, fn: (c: import('@aws-sdk/client-ssm').SSMClient, sdk: typeof import('@aws-sdk/client-ssm')) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.ssm.client(), await ssmSdk());
    } catch (e) {
      if (e instanceof ConflictError || e instanceof KeywayAwsError) throw e;
      throw new KeywayAwsError(this.connection.classify(e, 'ssm', operation), { cause: e });
    }
  }

  private async smCall<T>(operation: string, fn: (c: import('@aws-sdk/client-secrets-manager').SecretsManagerClient, sdk: typeof import('@aws-sdk/client-secrets-manager')) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.secrets.client(), await smSdk());
    } catch (e) {
      if (e instanceof ConflictError || e instanceof KeywayAwsError) throw e;
      throw new KeywayAwsError(this.connection.classify(e, 'secretsmanager', operation), { cause: e });
    }
  }

  private get opts() { return { abortSignal: this.connection.signal }; }

  // ---- Parameter Store ----------------------------------------------------------------------

  /** PutParameter without Overwrite: fails with a classified error if the name exists. Returns the version. */
  createParameter(p: { name: string; value: string; type: ParameterType; tier?: Tier; description?: string; keyId?: string; dataType?: string; allowedPattern?: string; tags?: Record<string, string> }): Promise<number> {
    return this.ssmCall('PutParameter', async (c, sdk) => {
      const tags = p.tags && Object.keys(p.tags).length ? Object.entries(p.tags).map(([Key, Value]) => ({ Key, Value })) : undefined;
      const out = await c.send(new sdk.PutParameterCommand({
        Name: p.name, Value: p.value, Type: p.type, Tier: p.tier ?? 'Standard', Description: p.description, Overwrite: false,
        ...(p.keyId && p.type === 'SecureString' ? { KeyId: p.keyId } : {}), ...(p.dataType ? { DataType: p.dataType } : {}),
        ...(p.allowedPattern ? { AllowedPattern: p.allowedPattern } : {}), ...(tags ? { Tags: tags } : {}),
      }), this.opts);
      return out.Version ?? 1;
    });
  }

  /** The current value, type and version (decrypted). */
  getParameter(name: string, version?: number): Promise<ParameterVersion> {
    return this.ssmCall('GetParameter', async (c, sdk) => {
      const out = await c.send(new sdk.GetParameterCommand({ Name: version ? `${name}:${version}` : name, WithDecryption: true }), this.opts);
      const p = out.Parameter;
      return { version: p?.Version ?? 0, value: p?.Value ?? '', type: p?.Type, labels: p?.Selector ? [p.Selector] : [], lastModified: ms(p?.LastModifiedDate) };
    });
  }

  /**
   * Writes a new version, but only if the current version is still `expectedVersion`
   * (Parameter Store has no conditional write; the check and the write are two calls).
   * Returns the new version.
   */
  putParameterVersion(p: { name: string; value: string; type: ParameterType; tier?: Tier; expectedVersion?: number }): Promise<number> {
    return this.ssmCall('PutParameter', async (c, sdk) => {
      if (p.expectedVersion !== undefined) {
        const cur = await c.send(new sdk.GetParameterCommand({ Name: p.name, WithDecryption: true }), this.opts);
        const actual = cur.Parameter?.Version ?? 0;
        if (actual !== p.expectedVersion) throw new ConflictError(`v${p.expectedVersion}`, `v${actual}`, cur.Parameter?.Value);
      }
      const out = await c.send(new sdk.PutParameterCommand({ Name: p.name, Value: p.value, Type: p.type, Tier: p.tier, Overwrite: true }), this.opts);
      return out.Version ?? 0;
    });
  }

  /** Every version, oldest first, with labels (values decrypted; the caller masks them). */
  parameterHistory(name: string): Promise<ParameterVersion[]> {
    return this.ssmCall('GetParameterHistory', async (c, sdk) => {
      const out: ParameterVersion[] = [];
      let token: string | undefined;
      do {
        const page = await c.send(new sdk.GetParameterHistoryCommand({ Name: name, WithDecryption: true, MaxResults: 50, NextToken: token }), this.opts);
        for (const h of page.Parameters ?? []) {
          out.push({ version: h.Version ?? 0, value: h.Value ?? '', type: h.Type, labels: h.Labels ?? [], lastModified: ms(h.LastModifiedDate), lastModifiedUser: h.LastModifiedUser, description: h.Description });
        }
        token = page.NextToken || undefined;
      } while (token);
      return out.sort((a, b) => a.version - b.version);
    });
  }

  /** Adds labels to a version (a label moves from any other version). Returns labels AWS refused. */
  labelParameterVersion(name: string, version: number, labels: string[]): Promise<string[]> {
    return this.ssmCall('LabelParameterVersion', async (c, sdk) => {
      const out = await c.send(new sdk.LabelParameterVersionCommand({ Name: name, ParameterVersion: version, Labels: labels }), this.opts);
      return out.InvalidLabels ?? [];
    });
  }

  unlabelParameterVersion(name: string, version: number, labels: string[]): Promise<void> {
    return this.ssmCall('UnlabelParameterVersion', async (c, sdk) => {
      await c.send(new sdk.UnlabelParameterVersionCommand({ Name: name, ParameterVersion: version, Labels: labels }), this.opts);
    });
  }

  /** Restores an old version by writing its value as a new version (history never rewinds). */
  async restoreParameterVersion(name: string, version: number, expectedVersion?: number): Promise<number> {
    const old = await this.getParameter(name, version);
    return this.putParameterVersion({ name, value: old.value, type: (old.type ?? 'String') as ParameterType, expectedVersion });
  }

  deleteParameter(name: string): Promise<void> {
    return this.ssmCall('DeleteParameter', async (c, sdk) => {
      await c.send(new sdk.DeleteParameterCommand({ Name: name }), this.opts);
    });
  }

  parameterTags(name: string): Promise<Record<string, string>> {
    return this.ssmCall('ListTagsForResource', async (c, sdk) => {
      const out = await c.send(new sdk.ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }), this.opts);
      return Object.fromEntries((out.TagList ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
    });
  }

  setParameterTags(name: string, add: Record<string, string>, remove: string[]): Promise<void> {
    return this.ssmCall('AddTagsToResource', async (c, sdk) => {
      if (Object.keys(add).length) await c.send(new sdk.AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: name, Tags: Object.entries(add).map(([Key, Value]) => ({ Key, Value })) }), this.opts);
      if (remove.length) await c.send(new sdk.RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: name, TagKeys: remove }), this.opts);
    });
  }

  // ---- Secrets Manager ----------------------------------------------------------------------

  /** CreateSecret, then (optionally) the rotation configuration. Returns the ARN. */
  createSecret(p: { name: string; value: string; description?: string; rotation?: { lambdaArn: string; schedule: string }; kmsKeyId?: string; tags?: Record<string, string> }): Promise<string> {
    return this.smCall('CreateSecret', async (c, sdk) => {
      const tags = p.tags && Object.keys(p.tags).length ? Object.entries(p.tags).map(([Key, Value]) => ({ Key, Value })) : undefined;
      const out = await c.send(new sdk.CreateSecretCommand({ Name: p.name, SecretString: p.value, Description: p.description, ...(p.kmsKeyId ? { KmsKeyId: p.kmsKeyId } : {}), ...(tags ? { Tags: tags } : {}) }), this.opts);
      if (p.rotation) await this.setRotation(p.name, p.rotation.lambdaArn, p.rotation.schedule, false);
      return out.ARN ?? '';
    });
  }

  /** The AWSCURRENT value and version id (asked by stage, which every emulator resolves the same way as AWS). */
  getSecret(id: string, versionId?: string): Promise<{ value: string; versionId: string; stages: string[] }> {
    return this.smCall('GetSecretValue', async (c, sdk) => {
      const out = await c.send(new sdk.GetSecretValueCommand(versionId ? { SecretId: id, VersionId: versionId } : { SecretId: id, VersionStage: 'AWSCURRENT' }), this.opts);
      return { value: out.SecretString ?? '', versionId: out.VersionId ?? '', stages: out.VersionStages ?? [] };
    });
  }

  /**
   * PutSecretValue (moves AWSCURRENT to the new version, AWSPREVIOUS to the old), if AWSCURRENT is still
   * `expectedVersionId`. `versionId` (a UUID) fixes the new version's id in advance, so a confirmation can name it.
   */
  putSecretVersion(p: { id: string; value: string; expectedVersionId?: string; versionId?: string }): Promise<string> {
    return this.smCall('PutSecretValue', async (c, sdk) => {
      if (p.expectedVersionId) {
        const cur = await c.send(new sdk.GetSecretValueCommand({ SecretId: p.id, VersionStage: 'AWSCURRENT' }), this.opts);
        if (cur.VersionId !== p.expectedVersionId) throw new ConflictError(p.expectedVersionId, cur.VersionId ?? '?', cur.SecretString);
      }
      const out = await c.send(new sdk.PutSecretValueCommand({ SecretId: p.id, SecretString: p.value, ClientRequestToken: p.versionId }), this.opts);
      return out.VersionId ?? '';
    });
  }

  secretVersions(id: string): Promise<SecretVersion[]> {
    return this.smCall('ListSecretVersionIds', async (c, sdk) => {
      const out: SecretVersion[] = [];
      let token: string | undefined;
      do {
        const page = await c.send(new sdk.ListSecretVersionIdsCommand({ SecretId: id, IncludeDeprecated: true, MaxResults: 100, NextToken: token }), this.opts);
        for (const v of page.Versions ?? []) out.push({ versionId: v.VersionId ?? '', stages: v.VersionStages ?? [], created: ms(v.CreatedDate), lastAccessed: ms(v.LastAccessedDate) });
        token = page.NextToken || undefined;
      } while (token);
      return out.sort((a, b) => (a.created ?? 0) - (b.created ?? 0));
    });
  }

  /** Moves AWSCURRENT to `versionId` (the version that had it gets AWSPREVIOUS from AWS). */
  moveCurrent(id: string, versionId: string): Promise<void> {
    return this.smCall('UpdateSecretVersionStage', async (c, sdk) => {
      const versions = await this.secretVersions(id);
      const current = versions.find((v) => v.stages.includes('AWSCURRENT'));
      if (current?.versionId === versionId) return;
      await c.send(new sdk.UpdateSecretVersionStageCommand({ SecretId: id, VersionStage: 'AWSCURRENT', MoveToVersionId: versionId, RemoveFromVersionId: current?.versionId }), this.opts);
    });
  }

  /** Rotate now (RotateSecret with the configured rotation). */
  rotateNow(id: string): Promise<void> {
    return this.smCall('RotateSecret', async (c, sdk) => {
      await c.send(new sdk.RotateSecretCommand({ SecretId: id, RotateImmediately: true }), this.opts);
    });
  }

  /** Enables or edits rotation: a Lambda and a schedule (`30` days, `rate(…)` or `cron(…)`). */
  setRotation(id: string, lambdaArn: string, schedule: string, rotateImmediately = false): Promise<void> {
    return this.smCall('RotateSecret', async (c, sdk) => {
      const s = schedule.trim();
      const RotationRules = /^\d+$/.test(s) ? { AutomaticallyAfterDays: Number(s) } : { ScheduleExpression: s };
      await c.send(new sdk.RotateSecretCommand({ SecretId: id, RotationLambdaARN: lambdaArn || undefined, RotationRules, RotateImmediately: rotateImmediately }), this.opts);
    });
  }

  disableRotation(id: string): Promise<void> {
    return this.smCall('CancelRotateSecret', async (c, sdk) => {
      await c.send(new sdk.CancelRotateSecretCommand({ SecretId: id }), this.opts);
    });
  }

  addReplica(id: string, region: string): Promise<void> {
    return this.smCall('ReplicateSecretToRegions', async (c, sdk) => {
      await c.send(new sdk.ReplicateSecretToRegionsCommand({ SecretId: id, AddReplicaRegions: [{ Region: region }] }), this.opts);
    });
  }

  /** Scheduled deletion with a recovery window (7–30 days), or immediate deletion when `force`. */
  deleteSecret(id: string, opts: { recoveryDays?: number; force?: boolean }): Promise<number | undefined> {
    return this.smCall('DeleteSecret', async (c, sdk) => {
      const out = await c.send(new sdk.DeleteSecretCommand(opts.force
        ? { SecretId: id, ForceDeleteWithoutRecovery: true }
        : { SecretId: id, RecoveryWindowInDays: opts.recoveryDays ?? 30 }), this.opts);
      return ms(out.DeletionDate);
    });
  }

  restoreSecret(id: string): Promise<void> {
    return this.smCall('RestoreSecret', async (c, sdk) => {
      await c.send(new sdk.RestoreSecretCommand({ SecretId: id }), this.opts);
    });
  }

  secretTags(id: string): Promise<Record<string, string>> {
    return this.smCall('DescribeSecret', async (c, sdk) => {
      const out = await c.send(new sdk.DescribeSecretCommand({ SecretId: id }), this.opts);
      return Object.fromEntries((out.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
    });
  }

  setSecretTags(id: string, add: Record<string, string>, remove: string[]): Promise<void> {
    return this.smCall('TagResource', async (c, sdk) => {
      if (Object.keys(add).length) await c.send(new sdk.TagResourceCommand({ SecretId: id, Tags: Object.entries(add).map(([Key, Value]) => ({ Key, Value })) }), this.opts);
      if (remove.length) await c.send(new sdk.UntagResourceCommand({ SecretId: id, TagKeys: remove }), this.opts);
    });
  }
}
