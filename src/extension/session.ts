// One explorer session = the current AWS connection, its two store indexes and its value service.
// Switching profile, region or endpoint (or an edit of the AWS config files) replaces all three:
// the old connection is aborted first, so no view, hover or command can show the previous account's data.
import * as vscode from 'vscode';
import type * as Aws from '../aws/index';
import { loadAws } from './lazy';
import type { Log } from './log';
import { readSettings, type KeywaySettings } from './settings';

export type StoreName = 'parameters' | 'secrets';

export interface Identity { account?: string; arn?: string; error?: Aws.AwsErrorInfo }

/** Refused in Restricted Mode: the user has not asked Keyway to connect to AWS (in the sidebar). */
export class RestrictedModeError extends Error {
  override readonly name = 'RestrictedModeError';
  constructor() {
    super('Restricted Mode: this folder is not trusted, so Keyway connects to AWS only when you ask in the Keyway sidebar (Connect to AWS), or once you trust the folder.');
  }
}

export interface Current {
  connection: Aws.Connection;
  index: Aws.ExplorerIndex;
  values: Aws.ValueService;
  identity?: Identity;
}

export class ExplorerSession implements vscode.Disposable {
  private manager?: Aws.ConnectionManager;
  private cur?: Current;
  /** The newest connect() in flight; a superseded connect() hands over to it. */
  private latest?: Promise<Current>;
  private ticket = 0;
  private readonly switched = new vscode.EventEmitter<Current>();
  private readonly updated = new vscode.EventEmitter<StoreName>();
  private readonly identified = new vscode.EventEmitter<Current>();
  private readonly callCounts = new Map<string, number>();
  /** Fired when a new connection replaces the previous one: views drop every node. */
  readonly onDidSwitch = this.switched.event;
  /** Fired when a store's index changes (page arrived, state changed). */
  readonly onDidUpdate = this.updated.event;
  /** Fired when the caller identity (account) is known or failed. */
  readonly onDidIdentify = this.identified.event;

  /** In Restricted Mode: the user asked (in the sidebar) to connect. */
  private userAllowed = false;

  constructor(private readonly log: Log, private readonly mfaPrompt: (serial: string) => Promise<string>) {
    void this.updateContext();
  }

  get current(): Current | undefined { return this.cur; }
  get settings(): KeywaySettings { return readSettings(); }

  /** Restricted Mode (an untrusted workspace): nothing in the editor starts AWS calls. */
  get restricted(): boolean { return !vscode.workspace.isTrusted; }

  /** AWS calls may happen: a trusted workspace, or the user asked in the sidebar. */
  get mayConnect(): boolean { return !this.restricted || this.userAllowed; }

  /** The user acted in the sidebar (Connect, Refresh, Select Profile, New Value…): connecting is allowed now. */
  allowByUser(): void {
    if (this.userAllowed) return;
    this.userAllowed = true;
    void this.updateContext();
  }

  /** `keyway.restricted`: true while Restricted Mode keeps Keyway from connecting (picks the welcome view). */
  updateContext(): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', 'keyway.restricted', !this.mayConnect);
  }

  /** The current connection, connecting with the settings on first use. Rejects in Restricted Mode until allowed. */
  ensure(): Promise<Current> {
    if (!this.mayConnect) return Promise.reject(new RestrictedModeError());
    if (this.cur && !this.cur.connection.disposed) return Promise.resolve(this.cur);
    return this.latest ?? this.start();
  }

  /** Replaces the connection (settings changed, profile switched, config files edited, Refresh). */
  reconnect(reason: string): Promise<Current> {
    this.log.info(this.mayConnect ? `Reconnecting: ${reason}` : `Not connecting (${reason}): Restricted Mode, waiting for Connect in the sidebar`);
    return this.start();
  }

  private start(): Promise<Current> {
    const ticket = ++this.ticket;
    const p = this.connect(ticket);
    this.latest = p;
    void p.finally(() => { if (this.latest === p) this.latest = undefined; }).catch(() => undefined);
    return p;
  }

  private async connect(ticket: number): Promise<Current> {
    if (!this.mayConnect) throw new RestrictedModeError();
    const aws = await loadAws();
    this.manager ??= new aws.ConnectionManager();
    const s = readSettings();
    const previous = this.cur;
    // Drop the old state before anything async, so nothing can render it any more.
    previous?.index.dispose();
    previous?.values.clear();
    this.cur = undefined;
    const connection = await this.manager.connect({
      profile: s.profile || undefined,
      region: s.region || undefined,
      endpointUrl: s.endpointUrl || undefined,
      mfaCodeProvider: this.mfaPrompt,
      logger: this.log,
      onApiCall: (r) => this.logCall(r),
    });
    if (ticket !== this.ticket && this.latest) return this.latest; // superseded by a newer switch
    const index = new aws.ExplorerIndex(connection);
    const values = new aws.ValueService(connection, { ttlMs: s.revealSeconds * 1000 });
    const cur: Current = { connection, index, values };
    this.cur = cur;
    this.log.info(`Connected: profile ${connection.profile || '(default chain)'}, region ${connection.region}, endpoint ${connection.endpoint ?? 'AWS'}`);
    for (const store of ['parameters', 'secrets'] as const) {
      const idx = index[store];
      idx.onPage(() => this.updated.fire(store));
      idx.onStateChange(() => this.updated.fire(store));
    }
    this.switched.fire(cur);
    void connection.whoAmI().then(
      (id) => { if (this.cur === cur) { cur.identity = { account: id.account, arn: id.arn }; this.identified.fire(cur); } },
      (e: { info?: Aws.AwsErrorInfo }) => { if (this.cur === cur) { cur.identity = { error: e.info }; this.identified.fire(cur); } },
    );
    return cur;
  }

  /**
   * The current connection with both listings started (hover, completion and name checks need the index).
   * In Restricted Mode it starts nothing: the connection and the listings the user started, if any.
   */
  indexed(): Current | undefined {
    const cur = this.cur;
    if (this.restricted) return cur && !cur.connection.disposed ? cur : undefined;
    if (!cur) { void this.ensure().then((c) => { void c.index.load(); }); return undefined; }
    if (cur.index.parameters.status === 'idle' || cur.index.secrets.status === 'idle') void cur.index.load();
    return cur;
  }

  /** Starts (or joins) the listing of a store; resolves with its final state. Never rejects. */
  async load(store: StoreName): Promise<Aws.IndexState | undefined> {
    try {
      const cur = await this.ensure();
      return await cur.index[store].load();
    } catch (e) {
      this.log.error(`Could not connect: ${(e as Error).message}`);
      return undefined;
    }
  }

  private logCall(r: Aws.ApiCallRecord): void {
    const n = (this.callCounts.get(r.operation) ?? 0) + 1;
    this.callCounts.set(r.operation, n);
    const line = `${r.service} ${r.operation} #${n}: ${r.ok ? 'ok' : `failed (${r.errorName ?? 'error'}${r.httpStatus ? `, HTTP ${r.httpStatus}` : ''})`} in ${r.durationMs.toFixed(0)} ms${r.attempts > 1 ? `, ${r.attempts} attempts` : ''}`;
    if (r.ok) this.log.info(line); else this.log.warn(line);
  }

  dispose(): void {
    this.cur?.index.dispose();
    this.cur?.values.clear();
    this.manager?.dispose();
    this.switched.dispose();
    this.updated.dispose();
    this.identified.dispose();
  }
}
