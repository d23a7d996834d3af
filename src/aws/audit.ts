// The account audit, the AWS half: streams both stores' listings page by page (the explorer's ExplorerIndex), reads
// only the values the checks need, in full batches, a few at a time, and hands each item to the caller's judge as soon
// as it is known. Values go to `inspect` (which returns facts) and are dropped. Cancellable at any point; a failed
// listing or read is reported and the rest goes on.
import { BATCH_GET_SECRETS_BATCH, BulkReader, DEFAULT_CONCURRENCY, GET_PARAMETERS_BATCH } from './bulk';
import type { KeywayAwsError } from './errors';
import type { ExplorerIndex } from './index/explorerIndex';
import type { StoreIndex } from './index/storeIndex';
import type { ParameterMeta, SecretMeta, StoreItem } from './model';

export type AuditNeed = 'plain' | 'decrypted' | undefined;

export type AuditSubject<F> =
  | { kind: 'parameter'; meta: ParameterMeta; facts?: F; valueError?: string }
  | { kind: 'secret'; meta: SecretMeta; facts?: F; valueError?: string };

export interface AuditProgress {
  parameters: number;
  secrets: number;
  /** Listings still running. */
  listing: boolean;
  valuesQueued: number;
  valuesRead: number;
  judged: number;
  findings: number;
}

export interface AuditRunOptions<F, R> {
  index: ExplorerIndex;
  /** Which value an item needs (core/store/audit valueNeed). */
  need: (meta: ParameterMeta | SecretMeta) => AuditNeed;
  /** Facts about a value, computed at once; the value is dropped after (core/store/audit valueFacts). */
  inspect: (name: string, value: string | undefined, binary: boolean) => F;
  /** Findings for one item (core/store/audit auditItem). */
  judge: (item: AuditSubject<F>) => R[];
  onFindings?: (findings: R[], item: AuditSubject<F>) => void;
  onProgress?: (p: AuditProgress) => void;
  signal?: AbortSignal;
  concurrency?: number;
  /** The index belongs to this audit (CLI): cancelling the audit cancels its listings. */
  ownsIndex?: boolean;
}

export interface AuditRunResult<R> {
  findings: R[];
  scanned: { parameters: number; secrets: number; valuesRead: number };
  complete: boolean;
  cancelled: boolean;
  errors: { where: string; message: string }[];
}

type Queue = { names: string[]; items: Map<string, AuditSubject<unknown>> };

export async function runAudit<F, R>(o: AuditRunOptions<F, R>): Promise<AuditRunResult<R>> {
  const reader = new BulkReader(o.index.connection);
  const findings: R[] = [];
  const errors = new Map<string, { where: string; message: string; count: number }>();
  const seen = { parameters: new Set<string>(), secrets: new Set<string>() };
  const progress: AuditProgress = { parameters: 0, secrets: 0, listing: true, valuesQueued: 0, valuesRead: 0, judged: 0, findings: 0 };
  const report = () => { try { o.onProgress?.({ ...progress }); } catch { /* listener errors do not stop the audit */ } };
  const cancelled = () => !!o.signal?.aborted;
  const concurrency = o.concurrency ?? DEFAULT_CONCURRENCY;
  const noteError = (where: string, e: KeywayAwsError | Error) => {
    const message = 'info' in e ? `${e.info.message}` : e.message;
    const k = `${where}\u0000${message}`;
    const x = errors.get(k);
    if (x) x.count++; else errors.set(k, { where, message, count: 1 });
  };

  const judge = (item: AuditSubject<F>) => {
    progress.judged++;
    let out: R[] = [];
    try { out = o.judge(item); } catch (e) { noteError(item.meta.name, e as Error); }
    if (out.length) {
      findings.push(...out);
      progress.findings += out.length;
      try { o.onFindings?.(out, item); } catch { /* ignore */ }
    }
  };

  // Batches of names waiting for values; each full batch is read while the listing goes on.
  const queues: Record<'plain' | 'decrypted' | 'secret', Queue> = {
    plain: { names: [], items: new Map() }, decrypted: { names: [], items: new Map() }, secret: { names: [], items: new Map() },
  };
  let inFlight = 0;
  const waiters: (() => void)[] = [];
  const running = new Set<Promise<void>>();
  const slot = async () => {
    while (inFlight >= concurrency && !cancelled()) await new Promise<void>((r) => waiters.push(r));
    inFlight++;
  };
  const release = () => { inFlight--; waiters.shift()?.(); };

  const dispatch = async (which: keyof typeof queues, names: string[], items: Map<string, AuditSubject<unknown>>) => {
    await slot();
    const p = (async () => {
      try {
        if (cancelled()) return;
        const onValue = (name: string, read: { value?: string; binary?: boolean; error?: KeywayAwsError }) => {
          const item = items.get(name) as AuditSubject<F> | undefined;
          if (!item) return;
          items.delete(name);
          if (read.error) {
            item.valueError = read.error.info.message;
            noteError(which === 'secret' ? 'secret values' : 'parameter values', read.error);
          } else {
            progress.valuesRead++;
            try { item.facts = o.inspect(name, read.value, !!read.binary); } catch (e) { item.valueError = (e as Error).message; }
          }
          judge(item);
        };
        if (which === 'secret') await reader.readSecrets(names, onValue, { signal: o.signal, concurrency: 1 });
        else await reader.readParameters(names, which === 'decrypted', onValue, { signal: o.signal, concurrency: 1 });
        // Names the read never answered (cancelled mid-batch) are judged on metadata alone.
        if (!cancelled()) for (const item of items.values()) judge(item as AuditSubject<F>);
        report();
      } finally {
        release();
      }
    })();
    running.add(p);
    void p.finally(() => running.delete(p));
  };

  const flush = async (which: keyof typeof queues, all: boolean) => {
    const q = queues[which];
    const size = which === 'secret' ? BATCH_GET_SECRETS_BATCH : GET_PARAMETERS_BATCH;
    while (q.names.length >= size || (all && q.names.length)) {
      const names = q.names.splice(0, size);
      const items = new Map(names.map((n) => [n, q.items.get(n)!]));
      for (const n of names) q.items.delete(n);
      await dispatch(which, names, items);
    }
  };

  const take = async (store: 'parameters' | 'secrets', items: readonly StoreItem[]) => {
    for (const meta of items) {
      if (cancelled()) return;
      if (seen[store].has(meta.name)) continue;
      seen[store].add(meta.name);
      progress[store]++;
      const item = (meta.kind === 'parameter' ? { kind: 'parameter', meta } : { kind: 'secret', meta }) as AuditSubject<F>;
      let need: AuditNeed;
      try { need = o.need(meta); } catch { need = undefined; }
      if (!need) { judge(item); continue; }
      const which = meta.kind === 'secret' ? 'secret' : need;
      queues[which].names.push(meta.name);
      queues[which].items.set(meta.name, item as AuditSubject<unknown>);
      progress.valuesQueued++;
    }
    await Promise.all([flush('plain', false), flush('decrypted', false), flush('secret', false)]);
    report();
  };

  const stores = ['parameters', 'secrets'] as const;
  const indexes: Record<(typeof stores)[number], StoreIndex<StoreItem>> = {
    parameters: o.index.parameters as unknown as StoreIndex<StoreItem>,
    secrets: o.index.secrets as unknown as StoreIndex<StoreItem>,
  };
  // Pages are taken in order; a page that arrives while the previous one is being queued waits its turn.
  let chain = Promise.resolve();
  const subs = stores.map((s) => indexes[s].onPage((e) => { chain = chain.then(() => take(s, e.items)); }));
  const onAbort = () => { if (o.ownsIndex) o.index.cancel(); for (const w of waiters.splice(0)) w(); };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  let complete = true;
  try {
    report();
    // Whatever an index already holds (complete or partly loaded) is taken first; new pages follow.
    for (const s of stores) chain = chain.then(() => take(s, [...indexes[s].tree.items()]));
    const abortWait = new Promise<void>((resolve) => { if (cancelled()) resolve(); else o.signal?.addEventListener('abort', () => resolve(), { once: true }); });
    const states = await Promise.race([
      Promise.all(stores.map((s) => indexes[s].status === 'error' || indexes[s].status === 'cancelled' ? indexes[s].retry() : indexes[s].load())),
      abortWait.then(() => undefined),
    ]);
    for (const [i, s] of stores.entries()) {
      const st = states?.[i];
      if (st && st.status !== 'complete') {
        complete = false;
        if (st.error && st.status !== 'cancelled') noteError(s === 'parameters' ? 'DescribeParameters' : 'ListSecrets', { name: 'Error', message: `${st.error.message} ${st.error.nextStep}` } as Error);
      }
    }
    progress.listing = false;
    // Items added to the index before this audit subscribed (a listing already under way) are swept here.
    for (const s of stores) chain = chain.then(() => take(s, [...indexes[s].tree.items()]));
    await chain;
    for (const q of ['plain', 'decrypted', 'secret'] as const) await flush(q, true);
    while (running.size) await Promise.all([...running]);
  } finally {
    for (const sub of subs) sub.dispose();
    o.signal?.removeEventListener('abort', onAbort);
  }
  progress.listing = false;
  report();
  const wasCancelled = cancelled();
  return {
    findings,
    scanned: { parameters: progress.parameters, secrets: progress.secrets, valuesRead: progress.valuesRead },
    complete: complete && !wasCancelled,
    cancelled: wasCancelled,
    errors: [...errors.values()].map((e) => ({ where: e.where, message: e.count > 1 ? `${e.message} (${e.count} items)` : e.message })),
  };
}
