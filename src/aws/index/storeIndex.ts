// A streaming, cancellable, resumable index of one store (Parameter Store or Secrets Manager).
// One paginated listing per index: each page is added to the tree and announced as it arrives.
// A page that still fails after the SDK's retries puts the index in an `error` state holding the
// classified error and the page token; retry() resumes from that token. load()/retry() never reject.
import { classifyAwsError, KeywayAwsError, type AwsErrorInfo } from '../errors';
import type { Page } from '../model';
import { HierarchyTree, type Children, type FolderSummary } from './tree';

export type StoreName = 'parameters' | 'secrets';
export type IndexStatus = 'idle' | 'loading' | 'complete' | 'error' | 'cancelled';

export interface IndexState {
  store: StoreName;
  status: IndexStatus;
  /** Connection the data came from; drop anything with another id/instance. */
  connectionId: string;
  connectionInstance: number;
  /** Items held. */
  count: number;
  /** Pages received so far (in this index's lifetime). */
  pages: number;
  /** Set in the `error` state (and `cancelled`, with kind Cancelled). */
  error?: AwsErrorInfo;
  /** Epoch ms the listing started / finished. */
  startedAt?: number;
  finishedAt?: number;
}

export interface PageEvent<T> {
  store: StoreName;
  connectionId: string;
  connectionInstance: number;
  /** 1-based. */
  pageNumber: number;
  /** Items of this page (already in the index). */
  items: readonly T[];
  /** Items held after this page. */
  total: number;
  /** True on the last page. */
  done: boolean;
}

export interface Disposable { dispose(): void }

export type PageFetcher<T> = (nextToken: string | undefined, signal: AbortSignal) => Promise<Page<T>>;

export interface StoreIndexOptions<T> {
  store: StoreName;
  connectionId: string;
  connectionInstance: number;
  fetchPage: PageFetcher<T>;
  /** Aborts the index for good (e.g. the connection's signal). */
  signal?: AbortSignal;
}

class Emitter<E> {
  private readonly listeners = new Set<(e: E) => void>();
  on(l: (e: E) => void): Disposable {
    this.listeners.add(l);
    return { dispose: () => { this.listeners.delete(l); } };
  }
  emit(e: E): void {
    for (const l of [...this.listeners]) {
      try { l(e); } catch { /* a listener must not break loading */ }
    }
  }
  clear(): void { this.listeners.clear(); }
}

export class StoreIndex<T extends { name: string }> {
  readonly tree = new HierarchyTree<T>();
  private readonly pageEmitter = new Emitter<PageEvent<T>>();
  private readonly stateEmitter = new Emitter<IndexState>();
  private st: IndexState;
  /** Token of the next page to fetch (undefined + status complete = done; undefined + idle = first page). */
  private resumeToken: string | undefined;
  private run?: { promise: Promise<IndexState>; controller: AbortController };

  constructor(private readonly opts: StoreIndexOptions<T>) {
    this.st = { store: opts.store, status: 'idle', connectionId: opts.connectionId, connectionInstance: opts.connectionInstance, count: 0, pages: 0 };
    opts.signal?.addEventListener('abort', () => this.cancel(), { once: true });
  }

  get store(): StoreName { return this.opts.store; }
  get state(): IndexState { return { ...this.st }; }
  get status(): IndexStatus { return this.st.status; }
  get size(): number { return this.tree.size; }

  onPage(listener: (e: PageEvent<T>) => void): Disposable { return this.pageEmitter.on(listener); }
  onStateChange(listener: (s: IndexState) => void): Disposable { return this.stateEmitter.on(listener); }

  /**
   * Starts the listing if it has not started; resolves when it completes, fails or is cancelled.
   * Calling it again while loading returns the same promise; after completion it resolves at once.
   */
  load(signal?: AbortSignal): Promise<IndexState> {
    if (this.run) return this.run.promise;
    if (this.st.status !== 'idle') return Promise.resolve(this.state);
    return this.start(undefined, signal);
  }

  /** From `error` or `cancelled`: resumes the listing from the page that failed. Otherwise like load(). */
  retry(signal?: AbortSignal): Promise<IndexState> {
    if (this.run) return this.run.promise;
    if (this.st.status === 'error' || this.st.status === 'cancelled') {
      if (this.opts.signal?.aborted) return Promise.resolve(this.state);
      return this.start(this.resumeToken, signal);
    }
    return this.load(signal);
  }

  /** Forgets everything and lists again from the first page. */
  async reload(signal?: AbortSignal): Promise<IndexState> {
    const previous = this.run?.promise;
    this.cancel();
    if (previous) await previous;
    if (this.run) return this.run.promise;
    this.tree.clear();
    this.resumeToken = undefined;
    this.st = { ...this.st, status: 'idle', count: 0, pages: 0, error: undefined, startedAt: undefined, finishedAt: undefined };
    return this.load(signal);
  }

  /** Stops loading: no further page is requested or added. */
  cancel(): void {
    this.run?.controller.abort();
  }

  /** Cancels and drops listeners. */
  dispose(): void {
    this.cancel();
    this.pageEmitter.clear();
    this.stateEmitter.clear();
  }

  get(name: string): T | undefined { return this.tree.get(name); }
  children(path = ''): Children<T> { return this.tree.children(path); }
  folder(path: string): FolderSummary | undefined { return this.tree.summary(path); }
  filter(text: string, limit?: number): T[] { return this.tree.filter(text, limit); }

  private setState(patch: Partial<IndexState>): void {
    this.st = { ...this.st, ...patch, count: this.tree.size };
    this.stateEmitter.emit(this.state);
  }

  private start(token: string | undefined, signal?: AbortSignal): Promise<IndexState> {
    const controller = new AbortController();
    const signals = [controller.signal];
    if (signal) signals.push(signal);
    if (this.opts.signal) signals.push(this.opts.signal);
    const linked = signals.length > 1 ? AbortSignal.any(signals) : controller.signal;
    const promise = this.loop(token, linked).finally(() => {
      if (this.run?.controller === controller) this.run = undefined;
    });
    this.run = { promise, controller };
    return promise;
  }

  private async loop(first: string | undefined, signal: AbortSignal): Promise<IndexState> {
    let token = first;
    this.setState({ status: 'loading', error: undefined, startedAt: this.st.startedAt ?? Date.now(), finishedAt: undefined });
    try {
      for (;;) {
        if (signal.aborted) return this.cancelled(token);
        let page: Page<T>;
        try {
          page = await this.opts.fetchPage(token, signal);
        } catch (e) {
          if (signal.aborted) return this.cancelled(token);
          const info = e instanceof KeywayAwsError ? e.info : classifyAwsError(e, { operation: this.opts.store === 'parameters' ? 'DescribeParameters' : 'ListSecrets' });
          if (info.kind === 'Cancelled') return this.cancelled(token);
          this.resumeToken = token;
          this.setState({ status: 'error', error: info, finishedAt: Date.now() });
          return this.state;
        }
        // A page that arrives after cancellation is dropped.
        if (signal.aborted) return this.cancelled(token);
        for (const item of page.items) this.tree.add(item);
        const pages = this.st.pages + 1;
        const done = !page.nextToken;
        this.st = { ...this.st, pages, count: this.tree.size };
        this.pageEmitter.emit({ store: this.opts.store, connectionId: this.opts.connectionId, connectionInstance: this.opts.connectionInstance, pageNumber: pages, items: page.items, total: this.tree.size, done });
        token = page.nextToken;
        if (done) {
          this.resumeToken = undefined;
          this.setState({ status: 'complete', finishedAt: Date.now() });
          return this.state;
        }
      }
    } catch (e) {
      // Defensive: nothing above should throw, but an index must never reject.
      this.resumeToken = token;
      this.setState({ status: 'error', error: classifyAwsError(e), finishedAt: Date.now() });
      return this.state;
    }
  }

  private cancelled(token: string | undefined): IndexState {
    this.resumeToken = token;
    this.setState({ status: 'cancelled', error: classifyAwsError(Object.assign(new Error('cancelled'), { name: 'AbortError' }), { operation: this.opts.store === 'parameters' ? 'DescribeParameters' : 'ListSecrets' }), finishedAt: Date.now() });
    return this.state;
  }
}
