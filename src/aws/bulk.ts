// Batched reads for compare, audit, verify and export: filtered listings (one prefix, a set of names) and values read
// in the largest batches each API allows (GetParameters: 10 names; BatchGetSecretValue: 20 ids), a few batches at a
// time. Throttling is absorbed by the SDK's adaptive retries (the connection's client config), as in the explorer.
// Values go to the caller's callback only; they are never logged or kept here.
import type { SSMClient, ParameterStringFilter } from '@aws-sdk/client-ssm';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Connection } from './connection';
import { KeywayAwsError } from './errors';
import type { ParameterMeta, SecretMeta } from './model';
import { SecretsService, toSecretMeta } from './secrets';
import { SsmService, toParameterMeta } from './ssm';

export const GET_PARAMETERS_BATCH = 10;
export const BATCH_GET_SECRETS_BATCH = 20;
/** DescribeParameters: at most 50 values per filter. ListSecrets: at most 10 values per filter. */
export const NAME_FILTER_BATCH = 50;
export const SECRET_FILTER_BATCH = 10;
/** Batches in flight at once: enough to hide latency, few enough to stay under the default TPS limits. */
export const DEFAULT_CONCURRENCY = 4;

const ssmSdk = () => import('@aws-sdk/client-ssm');
const smSdk = () => import('@aws-sdk/client-secrets-manager');

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `fn` on every item with at most `concurrency` in flight; stops starting new ones once `signal` aborts. */
export async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      if (signal?.aborted) return;
      await fn(items[next++]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

export interface ReadOptions { signal?: AbortSignal; concurrency?: number }

/** One value read: the text (or binary), or the classified reason it could not be read. */
export type ValueCallback = (name: string, read: { value?: string; binary?: boolean; type?: string; error?: KeywayAwsError }) => void;

export class BulkReader {
  private readonly ssm: SsmService;
  private readonly secrets: SecretsService;
  /** Set once BatchGetSecretValue turned out not to be available (denied or not implemented): use GetSecretValue. */
  private noBatchSecrets = false;

  constructor(readonly connection: Connection) {
    this.ssm = new SsmService(connection);
    this.secrets = new SecretsService(connection);
  }

  private async ssmCall<T>(op: string, fn: (c: SSMClient, sdk: typeof import('@aws-sdk/client-ssm')) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.ssm.client(), await ssmSdk());
    } catch (e) {
      if (e instanceof KeywayAwsError) throw e;
      throw new KeywayAwsError(this.connection.classify(e, 'ssm', op), { cause: e });
    }
  }

  private async smCall<T>(op: string, fn: (c: SecretsManagerClient, sdk: typeof import('@aws-sdk/client-secrets-manager')) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.secrets.client(), await smSdk());
    } catch (e) {
      if (e instanceof KeywayAwsError) throw e;
      throw new KeywayAwsError(this.connection.classify(e, 'secretsmanager', op), { cause: e });
    }
  }

  private opts(signal?: AbortSignal) { return { abortSignal: this.connection.linkSignal(signal) }; }

  /** DescribeParameters with filters, every page (filtered pages may come back short or empty with a token). */
  private async describeAll(filters: ParameterStringFilter[], signal?: AbortSignal, stopAfter = Infinity): Promise<ParameterMeta[]> {
    return this.ssmCall('DescribeParameters', async (c, sdk) => {
      const out: ParameterMeta[] = [];
      let token: string | undefined;
      do {
        const page = await c.send(new sdk.DescribeParametersCommand({ ParameterFilters: filters, MaxResults: 50, NextToken: token }), this.opts(signal));
        for (const p of page.Parameters ?? []) out.push(toParameterMeta(p));
        token = page.NextToken || undefined;
      } while (token && out.length < stopAfter && !signal?.aborted);
      return out;
    });
  }

  /** Every parameter under `path` (recursive), metadata only. `path` starts with `/`; '' or '/' is the whole store. */
  listParametersUnder(path: string, signal?: AbortSignal): Promise<ParameterMeta[]> {
    const p = path.replace(/\/+$/, '');
    if (!p) return this.describeAll([], signal);
    return this.describeAll([{ Key: 'Path', Option: 'Recursive', Values: [p] }], signal);
  }

  /** Whether at least one parameter exists under `path` (stops at the first page with one). */
  async countParametersUnder(path: string, signal?: AbortSignal): Promise<number> {
    const p = path.replace(/\/+$/, '') || '/';
    const found = await this.describeAll([{ Key: 'Path', Option: 'Recursive', Values: [p] }], signal, 1);
    return found.length;
  }

  /** Metadata of exact parameter names (50 per call); missing names are absent from the map. */
  async describeParameters(names: readonly string[], signal?: AbortSignal): Promise<Map<string, ParameterMeta>> {
    const out = new Map<string, ParameterMeta>();
    for (const batch of chunks(names, NAME_FILTER_BATCH)) {
      for (const m of await this.describeAll([{ Key: 'Name', Option: 'Equals', Values: batch }], signal)) out.set(m.name, m);
    }
    return out;
  }

  /** Every secret whose name is under `prefix` (or the whole store for ''), including those pending deletion. */
  listSecretsUnder(prefix: string, signal?: AbortSignal): Promise<SecretMeta[]> {
    const p = prefix.replace(/\/+$/, '');
    return this.listSecretsFiltered(p ? [`${p}/`] : [], (n) => !p || n.startsWith(`${p}/`), signal);
  }

  /** Secrets by exact name (10 names per call); missing names are absent from the map. */
  async describeSecrets(names: readonly string[], signal?: AbortSignal): Promise<Map<string, SecretMeta>> {
    const out = new Map<string, SecretMeta>();
    for (const batch of chunks(names, SECRET_FILTER_BATCH)) {
      const wanted = new Set(batch);
      for (const m of await this.listSecretsFiltered(batch, (n) => wanted.has(n), signal)) out.set(m.name, m);
    }
    return out;
  }

  private listSecretsFiltered(values: string[], keep: (name: string) => boolean, signal?: AbortSignal): Promise<SecretMeta[]> {
    return this.smCall('ListSecrets', async (c, sdk) => {
      const out: SecretMeta[] = [];
      let token: string | undefined;
      do {
        const page = await c.send(new sdk.ListSecretsCommand({
          MaxResults: 100, NextToken: token, IncludePlannedDeletion: true, ...(values.length ? { Filters: [{ Key: 'name', Values: values }] } : {}),
        }), this.opts(signal));
        for (const e of page.SecretList ?? []) { const m = toSecretMeta(e); if (keep(m.name)) out.push(m); }
        token = page.NextToken || undefined;
      } while (token && !signal?.aborted);
      return out;
    });
  }

  /**
   * Parameter values, 10 names per GetParameters call, `concurrency` calls at a time. Each name gets exactly one
   * callback: its value, or its error (NotFound for names AWS reports invalid; the call's error for a failed batch).
   */
  async readParameters(names: readonly string[], decrypt: boolean, onValue: ValueCallback, o: ReadOptions = {}): Promise<void> {
    await pool(chunks(names, GET_PARAMETERS_BATCH), o.concurrency ?? DEFAULT_CONCURRENCY, async (batch) => {
      try {
        const out = await this.ssmCall('GetParameters', async (c, sdk) => c.send(new sdk.GetParametersCommand({ Names: batch, WithDecryption: decrypt }), this.opts(o.signal)));
        const got = new Set<string>();
        for (const p of out.Parameters ?? []) {
          if (!p.Name) continue;
          got.add(p.Name);
          onValue(p.Name, { value: p.Value ?? '', type: p.Type });
        }
        for (const n of batch) {
          if (got.has(n)) continue;
          onValue(n, { error: new KeywayAwsError(this.connection.classify(Object.assign(new Error('not found'), { name: 'ParameterNotFound' }), 'ssm', 'GetParameters')) });
        }
      } catch (e) {
        const err = e instanceof KeywayAwsError ? e : new KeywayAwsError(this.connection.classify(e, 'ssm', 'GetParameters'), { cause: e });
        if (err.info.kind === 'Cancelled') return;
        for (const n of batch) onValue(n, { error: err });
      }
    }, o.signal);
  }

  /** Secret values (AWSCURRENT), 20 per BatchGetSecretValue call; one GetSecretValue each where batching is unavailable. */
  async readSecrets(names: readonly string[], onValue: ValueCallback, o: ReadOptions = {}): Promise<void> {
    await pool(chunks(names, BATCH_GET_SECRETS_BATCH), o.concurrency ?? DEFAULT_CONCURRENCY, async (batch) => {
      if (!this.noBatchSecrets) {
        try {
          const out = await this.smCall('BatchGetSecretValue', async (c, sdk) => c.send(new sdk.BatchGetSecretValueCommand({ SecretIdList: batch }), this.opts(o.signal)));
          const got = new Set<string>();
          for (const v of out.SecretValues ?? []) {
            const name = batch.find((n) => n === v.Name || n === v.ARN) ?? v.Name;
            if (!name) continue;
            got.add(name);
            onValue(name, v.SecretString !== undefined ? { value: v.SecretString } : { value: undefined, binary: !!v.SecretBinary });
          }
          for (const e of out.Errors ?? []) {
            const name = batch.find((n) => n === e.SecretId) ?? e.SecretId;
            if (!name || got.has(name)) continue;
            got.add(name);
            onValue(name, { error: new KeywayAwsError(this.connection.classify(Object.assign(new Error(e.Message ?? ''), { name: e.ErrorCode ?? 'Error' }), 'secretsmanager', 'BatchGetSecretValue')) });
          }
          for (const n of batch) if (!got.has(n)) onValue(n, { error: new KeywayAwsError(this.connection.classify(Object.assign(new Error('not returned'), { name: 'ResourceNotFoundException' }), 'secretsmanager', 'BatchGetSecretValue')) });
          return;
        } catch (e) {
          const err = e as KeywayAwsError;
          if (err.info?.kind === 'Cancelled') return;
          // Denied (no secretsmanager:BatchGetSecretValue) or not implemented by an emulator: fall back for good.
          if (err.info?.kind !== 'AccessDenied' && err.info?.kind !== 'Validation' && err.info?.httpStatus !== 404 && err.info?.errorName !== 'UnknownOperationException') {
            for (const n of batch) onValue(n, { error: err });
            return;
          }
          this.noBatchSecrets = true;
        }
      }
      for (const n of batch) {
        if (o.signal?.aborted) return;
        try {
          const v = await this.secrets.getSecretValue(n, o.signal);
          onValue(n, v.value !== undefined ? { value: v.value } : { value: undefined, binary: !!v.binary });
        } catch (e) {
          const err = e as KeywayAwsError;
          if (err.info?.kind === 'Cancelled') return;
          onValue(n, { error: err });
        }
      }
    }, o.signal);
  }
}
