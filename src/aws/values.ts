// Reading values on demand (Reveal / Copy). Values live only in this in-memory cache, for a short TTL;
// they are never logged (the telemetry middleware records operation names only) and never persisted.
import type { Connection } from './connection';
import { SecretsService, type SecretValue } from './secrets';
import { SsmService, type ParameterValue } from './ssm';

export const DEFAULT_VALUE_TTL_MS = 30_000;

interface Entry<V> { value: V; expires: number; timer: ReturnType<typeof setTimeout> }

/** A TTL map whose entries are deleted when they expire (timers are unref'd). */
export class ValueCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  constructor(public ttlMs = DEFAULT_VALUE_TTL_MS, private readonly now: () => number = Date.now) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= this.now()) { this.delete(key); return undefined; }
    return e.value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    if (this.ttlMs <= 0) return;
    const timer = setTimeout(() => this.entries.delete(key), this.ttlMs);
    timer.unref?.();
    this.entries.set(key, { value, expires: this.now() + this.ttlMs, timer });
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (e) { clearTimeout(e.timer); this.entries.delete(key); }
  }

  clear(): void {
    for (const e of this.entries.values()) clearTimeout(e.timer);
    this.entries.clear();
  }

  get size(): number { return this.entries.size; }
}

export interface ValueServiceOptions { ttlMs?: number }

/** Fetches parameter and secret values for one connection, with a TTL cache and in-flight de-duplication. */
export class ValueService {
  private readonly cache: ValueCache<ParameterValue | SecretValue>;
  private readonly inflight = new Map<string, Promise<ParameterValue | SecretValue>>();
  private readonly ssm: SsmService;
  private readonly secrets: SecretsService;

  constructor(readonly connection: Connection, opts: ValueServiceOptions = {}) {
    this.cache = new ValueCache(opts.ttlMs ?? DEFAULT_VALUE_TTL_MS);
    this.ssm = new SsmService(connection);
    this.secrets = new SecretsService(connection);
    connection.signal.addEventListener('abort', () => this.clear(), { once: true });
  }

  get ttlMs(): number { return this.cache.ttlMs; }
  set ttlMs(ms: number) { this.cache.ttlMs = ms; }

  /** GetParameter WithDecryption, cached for the TTL. Rejects with KeywayAwsError. */
  getParameterValue(name: string, opts: { signal?: AbortSignal; fresh?: boolean } = {}): Promise<ParameterValue> {
    return this.cached(`p\u0000${name}`, opts.fresh, () => this.ssm.getParameter(name, opts.signal)) as Promise<ParameterValue>;
  }

  /** GetSecretValue (AWSCURRENT), cached for the TTL. Rejects with KeywayAwsError. */
  getSecretValue(id: string, opts: { signal?: AbortSignal; fresh?: boolean } = {}): Promise<SecretValue> {
    return this.cached(`s\u0000${id}`, opts.fresh, () => this.secrets.getSecretValue(id, opts.signal)) as Promise<SecretValue>;
  }

  /** Forgets one item's value, or every value. */
  clear(kind?: 'parameter' | 'secret', name?: string): void {
    if (kind && name !== undefined) this.cache.delete(`${kind === 'parameter' ? 'p' : 's'}\u0000${name}`);
    else this.cache.clear();
  }

  get cachedCount(): number { return this.cache.size; }

  private cached(key: string, fresh: boolean | undefined, fetch: () => Promise<ParameterValue | SecretValue>): Promise<ParameterValue | SecretValue> {
    if (!fresh) {
      const hit = this.cache.get(key);
      if (hit) return Promise.resolve(hit);
      const pending = this.inflight.get(key);
      if (pending) return pending;
    }
    const p = fetch().then((v) => {
      if (!this.connection.disposed) this.cache.set(key, v);
      return v;
    }).finally(() => { if (this.inflight.get(key) === p) this.inflight.delete(key); });
    this.inflight.set(key, p);
    return p;
  }
}

/**
 * Top-level keys of a JSON object value (for expanding a JSON secret/parameter into key children).
 * Returns undefined when the value is not a JSON object. Values of the keys are not returned.
 */
export function jsonObjectKeys(value: string | undefined): string[] | undefined {
  if (!value) return undefined;
  const t = value.trimStart();
  if (!t.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.keys(parsed) : undefined;
  } catch {
    return undefined;
  }
}
