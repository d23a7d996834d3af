// The Compare view: runs a comparison (through the explorer's index when its listing is complete, else one filtered
// listing per prefix), with progress and cancel, and shows it as a tree. A store that fails becomes a Retry node.
import * as vscode from 'vscode';
import type * as Core from '../../../core/index';
import { loadAws, loadCore } from '../../lazy';
import type { Log } from '../../log';
import type { ExplorerSession } from '../../session';
import { errorText } from '../errors';
import { storeLabel, type CompareOutcome, type CompareRequest } from './compareModel';
import type { CompareNode } from './nodes/compareNode';
import { CompareErrorNode } from './nodes/errorNode';
import { CompareMessageNode } from './nodes/messageNode';
import { CompareStoreNode } from './nodes/storeNode';

export const COMPARE_VIEW = 'keyway.compare';

export class CompareTree implements vscode.TreeDataProvider<CompareNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CompareNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private current?: CompareOutcome;
  private running?: { request: CompareRequest; controller: AbortController };
  private core?: typeof Core;
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly session: ExplorerSession, private readonly log: Log) {
    // A comparison of a previous connection is another account's: drop it.
    this.subs.push(session.onDidSwitch(() => { this.running?.controller.abort(); this.clear(); }));
  }

  get outcome(): CompareOutcome | undefined { return this.current; }
  get busy(): boolean { return !!this.running; }

  /**
   * Nodes and their tree items are made once per comparison: VS Code keeps a tree item's command by the item it was
   * given, so handing it a new item for the same node on every request loses a click made in between.
   */
  private readonly items = new WeakMap<CompareNode, vscode.TreeItem>();
  private readonly kids = new WeakMap<CompareNode, CompareNode[]>();
  private roots?: { outcome: CompareOutcome | undefined; nodes: CompareNode[] };

  getTreeItem(n: CompareNode): vscode.TreeItem {
    let item = this.items.get(n);
    if (!item) { item = n.toTreeItem(); this.items.set(n, item); }
    return item;
  }

  getChildren(n?: CompareNode): CompareNode[] {
    if (n) {
      let c = this.kids.get(n);
      if (!c) { c = n.children(); this.kids.set(n, c); }
      return c;
    }
    if (this.running && !this.current) return [new CompareMessageNode('compare:running', `Comparing ${this.running.request.a} ↔ ${this.running.request.b}…`, 'loading~spin')];
    if (this.roots && this.roots.outcome === this.current) return this.roots.nodes;
    const nodes = this.rootNodes();
    this.roots = { outcome: this.current, nodes };
    return nodes;
  }

  private rootNodes(): CompareNode[] {
    const o = this.current;
    if (!o || !this.core) return [];
    const out: CompareNode[] = o.results.map((r) => new CompareStoreNode(o, r, this.core!.store.describeRow));
    for (const f of o.failures) out.push(new CompareErrorNode(f.kind, f.message));
    if (!o.results.some((r) => r.rows.length) && !o.failures.length) out.push(new CompareMessageNode('compare:empty', `Nothing under ${o.request.a} or ${o.request.b} (${o.region})`, 'info'));
    return out;
  }

  /** Runs a comparison with progress (cancellable); never rejects: failures become Retry nodes. */
  async run(req: CompareRequest): Promise<CompareOutcome | undefined> {
    this.running?.controller.abort();
    const controller = new AbortController();
    this.running = { request: req, controller };
    void vscode.commands.executeCommand('setContext', 'keyway.compare.active', true);
    void vscode.commands.executeCommand('setContext', 'keyway.compare.running', true);
    void vscode.commands.executeCommand(`${COMPARE_VIEW}.focus`);
    this.changed.fire(undefined);
    const t0 = performance.now();
    try {
      return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Keyway: comparing ${req.a} ↔ ${req.b}`, cancellable: true }, async (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        const [aws, core] = await Promise.all([loadAws(), loadCore()]);
        this.core = core;
        const cur = await this.session.ensure();
        const results: Core.store.CompareResult[] = [];
        const failures: CompareOutcome['failures'] = [];
        let fromIndex = true;
        for (const kind of req.kinds) {
          const a = core.store.normalizePrefix(req.a, kind);
          const b = core.store.normalizePrefix(req.b, kind);
          const index = cur.index[kind === 'parameter' ? 'parameters' : 'secrets'] as unknown as import('../../../aws/index').StoreIndex<import('../../../aws/index').StoreItem>;
          try {
            const sides = await aws.loadCompareSides(cur.connection, kind, a, b, {
              values: req.values, index, signal: controller.signal,
              onProgress: (p) => progress.report({ message: `${storeLabel(kind)}: ${p.phase === 'listing' ? 'listing…' : `values ${p.done}/${p.total}`}` }),
            });
            if (sides.listingCalls === 'api') fromIndex = false;
            results.push(core.store.compareSides(kind, { prefix: a, items: sides.a }, { prefix: b, items: sides.b }));
          } catch (e) {
            if (controller.signal.aborted) return undefined;
            failures.push({ kind, message: errorText(e) });
            this.log.warn(`Compare ${storeLabel(kind)} ${a} ↔ ${b} failed: ${errorText(e)}`);
          }
        }
        if (controller.signal.aborted) return undefined;
        const labels = core.store.sideLabels(core.store.normalizePrefix(req.a, 'secret'), core.store.normalizePrefix(req.b, 'secret'));
        const outcome: CompareOutcome = { request: req, results, failures, labels, region: cur.connection.region, connectionInstance: cur.connection.instance, took: performance.now() - t0, fromIndex };
        this.current = outcome;
        const rows = results.reduce((n, r) => n + r.rows.length, 0);
        this.log.info(`Compare ${req.a} ↔ ${req.b}: ${rows} names in ${outcome.took.toFixed(0)} ms${fromIndex ? ' (listing from the index)' : ''}`);
        return outcome;
      });
    } finally {
      if (this.running?.controller === controller) this.running = undefined;
      void vscode.commands.executeCommand('setContext', 'keyway.compare.running', false);
      this.changed.fire(undefined);
    }
  }

  rerun(): Promise<CompareOutcome | undefined> {
    const req = this.current?.request ?? this.running?.request;
    return req ? this.run(req) : Promise.resolve(undefined);
  }

  swap(): Promise<CompareOutcome | undefined> {
    const req = this.current?.request;
    return req ? this.run({ ...req, a: req.b, b: req.a }) : Promise.resolve(undefined);
  }

  cancel(): void { this.running?.controller.abort(); }

  clear(): void {
    this.current = undefined;
    void vscode.commands.executeCommand('setContext', 'keyway.compare.active', false);
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.running?.controller.abort();
    for (const s of this.subs) s.dispose();
    this.changed.dispose();
  }
}
