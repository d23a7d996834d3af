// The tree of one store. Data comes from the AWS layer's index only; pages stream in while a progress
// bar shows in the view; a failed listing becomes a Retry node, never a blank tree or a rejection.
import * as vscode from 'vscode';
import type * as Aws from '../../aws/index';
import { loadAws } from '../lazy';
import type { RevealedValues } from '../reveal';
import type { ExplorerSession, StoreName } from '../session';
import { plural } from './format';
import { ErrorNode, type ExplorerNode, FolderNode, JsonKeyNode, MessageNode, ParameterNode, SecretNode, type NodeContext } from './nodes';

/** Error kinds shown as a welcome view (with buttons) instead of an error node. */
const WELCOME_KINDS: Partial<Record<Aws.AwsErrorKind, string>> = {
  NoCredentials: 'noCredentials',
  ExpiredToken: 'expiredToken',
  AccessDenied: 'accessDenied',
};
const FILTER_LIMIT = 500;

export class StoreTree implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subs: vscode.Disposable[] = [];
  private view?: vscode.TreeView<ExplorerNode>;
  private filterText = '';
  private refreshTimer?: ReturnType<typeof setTimeout>;
  private progressFor?: Aws.StoreIndex<Aws.StoreItem>;
  /** JSON keys of parameters whose value was revealed (keys only, never values). */
  private readonly jsonKeys = new Map<string, string[]>();
  private lastState = '';

  constructor(readonly store: StoreName, readonly viewId: string, private readonly session: ExplorerSession, private readonly reveals: RevealedValues) {
    this.subs.push(
      session.onDidSwitch(() => { this.jsonKeys.clear(); this.fireNow(); }),
      session.onDidUpdate((s) => { if (s === store) this.fireSoon(); }),
      reveals.onDidChange(() => this.fireSoon(50)),
    );
  }

  attach(view: vscode.TreeView<ExplorerNode>): void { this.view = view; }

  get filter(): string { return this.filterText; }
  setFilter(text: string): void {
    this.filterText = text.trim();
    void vscode.commands.executeCommand('setContext', `keyway.${this.store}.filtered`, this.filterText.length > 0);
    if (this.view) this.view.description = this.filterText ? `filter: ${this.filterText}` : undefined;
    this.fireNow();
  }

  /** Remember the JSON keys of a parameter whose value was revealed, so it expands into them. */
  setJsonKeys(name: string, keys: string[] | undefined): void {
    if (keys?.length) this.jsonKeys.set(name, keys); else this.jsonKeys.delete(name);
    this.fireSoon(50);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem { return node.toTreeItem(); }

  async resolveTreeItem(item: vscode.TreeItem, node: ExplorerNode): Promise<vscode.TreeItem> {
    // Replica regions come from DescribeSecret, once per secret, when its tooltip is first shown.
    if (node instanceof SecretNode && node.meta.replicas === undefined) {
      const cur = this.session.current;
      if (cur && cur.connection.instance === node.ctx.connectionInstance) {
        try {
          const meta = await cur.index.secrets.loadDetails(node.meta.name);
          return new SecretNode(node.ctx, meta, node.label).toTreeItem();
        } catch { /* keep the listing's metadata */ }
      }
    }
    return item;
  }

  /** Parents are rebuilt from the index (VS Code matches them to shown nodes by id); used by reveal(). */
  getParent(node: ExplorerNode): ExplorerNode | undefined {
    const cur = this.session.current;
    if (!cur || cur.connection.instance !== node.ctx.connectionInstance || this.filterText) return undefined;
    if (node instanceof JsonKeyNode) return node.owner;
    const name = node instanceof FolderNode ? node.folder.path : node instanceof ParameterNode || node instanceof SecretNode ? node.name : undefined;
    if (name === undefined) return undefined;
    const cut = name.lastIndexOf('/');
    if (cut <= 0) return undefined;
    const summary = this.indexOf(cur).folder(name.slice(0, cut));
    return summary && summary.path ? new FolderNode(node.ctx, summary) : undefined;
  }

  /** The node of an item by name in the current connection, for "Reveal in Explorer". */
  nodeFor(name: string): ExplorerNode | undefined {
    const cur = this.session.current;
    if (!cur) return undefined;
    const meta = this.indexOf(cur).get(name);
    return meta ? this.leaf(this.nodeContext(cur), meta) : undefined;
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    try {
      if (!node) return await this.roots();
      const cur = this.session.current;
      if (!cur || cur.connection.instance !== node.ctx.connectionInstance) return [];
      if (node instanceof FolderNode) return this.folderChildren(cur, node.ctx, node.folder.path);
      if (node instanceof SecretNode) return await this.secretKeys(cur, node);
      if (node instanceof ParameterNode) return (node.jsonKeys ?? []).map((k) => new JsonKeyNode(node.ctx, node, k));
      return [];
    } catch (e) {
      // Never reject into the tree: show what failed.
      const ctx = this.nodeContext(this.session.current);
      const aws = await loadAws();
      return [new ErrorNode(ctx, aws.classifyAwsError(e), 'listing')];
    }
  }

  /** This view's store index of a connection (both stores share the StoreIndex API). */
  private indexOf(cur: { index: Aws.ExplorerIndex }): Aws.StoreIndex<Aws.StoreItem> {
    return cur.index[this.store] as unknown as Aws.StoreIndex<Aws.StoreItem>;
  }

  private nodeContext(cur: { connection: Aws.Connection } | undefined): NodeContext {
    return {
      store: this.store,
      connectionInstance: cur?.connection.instance ?? 0,
      region: cur?.connection.region ?? '',
      revealed: (key) => this.reveals.get(key),
    };
  }

  private async roots(): Promise<ExplorerNode[]> {
    if (!this.session.mayConnect) {
      // Restricted Mode: the welcome view offers Connect; nothing is listed until the user asks.
      this.setState('restricted');
      return [];
    }
    const cur = this.session.current;
    if (!cur) {
      this.setState('connecting');
      void this.session.ensure().then(() => this.fireNow(), () => this.fireNow());
      return [new MessageNode(this.nodeContext(undefined), 'Connecting…', 'loading~spin', 'connecting')];
    }
    const ctx = this.nodeContext(cur);
    const idx = this.indexOf(cur);
    const state = idx.state;
    if (state.status === 'idle') {
      this.startLoad(idx, () => idx.load());
      this.setState('loading');
      return [new MessageNode(ctx, `Loading ${this.store === 'parameters' ? 'parameters' : 'secrets'}…`, 'loading~spin', 'loading')];
    }
    if (state.status === 'loading' && this.progressFor !== idx) this.startLoad(idx, () => idx.load());
    const welcome = state.error && WELCOME_KINDS[state.error.kind];
    if (welcome && state.count === 0) {
      this.setState(welcome);
      if (this.view) this.view.message = state.error ? `${state.error.message} ${state.error.nextStep}` : undefined;
      return [];
    }
    if (this.view) this.view.message = undefined;
    if (state.count === 0) {
      if (state.status === 'loading') {
        this.setState('loading');
        return [new MessageNode(ctx, 'Loading…', 'loading~spin', 'loading')];
      }
      if (state.status === 'complete') {
        this.setState('empty');
        return [];
      }
    }
    this.setState(state.status);
    const out: ExplorerNode[] = this.filterText ? this.filtered(ctx, idx) : this.folderChildren(cur, ctx, '');
    if (state.status === 'error' && state.error) out.push(new ErrorNode(ctx, state.error, 'listing'));
    if (state.status === 'cancelled') out.push(new MessageNode(ctx, `Loading cancelled after ${plural(state.count, 'item')}. Refresh to load the rest.`, 'debug-pause', 'cancelled'));
    return out;
  }

  private filtered(ctx: NodeContext, idx: Aws.StoreIndex<Aws.StoreItem>): ExplorerNode[] {
    const matches = idx.filter(this.filterText, FILTER_LIMIT + 1);
    const nodes: ExplorerNode[] = matches.slice(0, FILTER_LIMIT).map((m) => this.leaf(ctx, m, m.name));
    if (!nodes.length) nodes.push(new MessageNode(ctx, `No ${this.store} match "${this.filterText}"`, 'search', 'nomatch'));
    if (matches.length > FILTER_LIMIT) nodes.push(new MessageNode(ctx, `Showing the first ${FILTER_LIMIT} matches; refine the filter`, 'ellipsis', 'more'));
    return nodes;
  }

  private folderChildren(cur: { index: Aws.ExplorerIndex }, ctx: NodeContext, path: string): ExplorerNode[] {
    const idx = this.indexOf(cur);
    const { folders, items } = idx.children(path);
    return [...folders.map((f) => new FolderNode(ctx, f)), ...items.map((m) => this.leaf(ctx, m))];
  }

  private leaf(ctx: NodeContext, m: Aws.StoreItem, label?: string): ExplorerNode {
    return m.kind === 'parameter' ? new ParameterNode(ctx, m, label, this.jsonKeys.get(m.name)) : new SecretNode(ctx, m, label);
  }

  /** Expanding a secret reads its value (once, cached for the reveal time) to list its JSON keys, masked. */
  private async secretKeys(cur: { values: Aws.ValueService }, node: SecretNode): Promise<ExplorerNode[]> {
    const aws = await loadAws();
    try {
      const v = await cur.values.getSecretValue(node.meta.name);
      const keys = aws.jsonObjectKeys(v.value);
      if (keys?.length) return keys.map((k) => new JsonKeyNode(node.ctx, node, k));
      return [new MessageNode(node.ctx, v.binary ? 'Binary value (masked)' : 'Plain value (not a JSON object); use Reveal Value', 'info', `plain:${node.meta.name}`)];
    } catch (e) {
      const info = (e as { info?: Aws.AwsErrorInfo }).info ?? aws.classifyAwsError(e);
      return [new ErrorNode(node.ctx, info, { owner: node })];
    }
  }

  private startLoad(idx: Aws.StoreIndex<Aws.StoreItem>, run: () => Promise<Aws.IndexState>): void {
    this.progressFor = idx;
    void vscode.window.withProgress({ location: { viewId: this.viewId } }, async () => {
      void vscode.commands.executeCommand('setContext', `keyway.${this.store}.loading`, true);
      try { await run(); } finally {
        void vscode.commands.executeCommand('setContext', `keyway.${this.store}.loading`, false);
        this.fireNow();
      }
    });
  }

  /** Reload this store from the first page (the view's Refresh). */
  reload(): void {
    const cur = this.session.current;
    if (!cur) { void this.session.ensure().then(() => this.fireNow(), () => this.fireNow()); return; }
    const idx = this.indexOf(cur);
    cur.values.clear();
    this.jsonKeys.clear();
    this.startLoad(idx, () => idx.reload());
    this.fireNow();
  }

  retryListing(): void {
    const cur = this.session.current;
    if (!cur) return;
    const idx = this.indexOf(cur);
    this.startLoad(idx, () => idx.retry());
    this.fireNow();
  }

  cancel(): void {
    this.session.current?.index[this.store].cancel();
  }

  private setState(state: string): void {
    if (state === this.lastState) return;
    this.lastState = state;
    void vscode.commands.executeCommand('setContext', `keyway.${this.store}.state`, state);
  }

  fireNow(): void {
    if (this.refreshTimer) { clearTimeout(this.refreshTimer); this.refreshTimer = undefined; }
    this.changed.fire(undefined);
  }

  /** Coalesces bursts (pages arriving, reveals expiring) into one refresh. */
  private fireSoon(ms = 200): void {
    this.refreshTimer ??= setTimeout(() => { this.refreshTimer = undefined; this.changed.fire(undefined); }, ms);
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const s of this.subs) s.dispose();
    this.changed.dispose();
  }
}
