// The Audit view: runs the account audit over the explorer's own listing (no second listing when it is loaded),
// streams findings in as they are judged, shows progress, and stops on Cancel with what it has.
import * as vscode from 'vscode';
import type * as Core from '../../../core/index';
import type { AuditFinding } from '../../../core/store/audit/types';
import { loadAws, loadCore } from '../../lazy';
import type { Log } from '../../log';
import type { ExplorerSession } from '../../session';
import { errorText } from '../errors';
import type { AuditState } from './auditState';
import type { AuditNode } from './nodes/auditNode';
import { AuditCheckNode } from './nodes/checkNode';
import { AuditErrorNode } from './nodes/errorNode';
import { AuditMessageNode } from './nodes/messageNode';
import { AuditTotalNode } from './nodes/totalNode';

export const AUDIT_VIEW = 'keyway.audit';

export class AuditTree implements vscode.TreeDataProvider<AuditNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AuditNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private st?: AuditState;
  private core?: typeof Core;
  private controller?: AbortController;
  private timer?: ReturnType<typeof setTimeout>;
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly session: ExplorerSession, private readonly log: Log) {
    this.subs.push(session.onDidSwitch(() => { this.cancel(); this.clear(); }));
  }

  get state(): AuditState | undefined { return this.st; }

  getTreeItem(n: AuditNode): vscode.TreeItem { return n.toTreeItem(); }

  getChildren(n?: AuditNode): AuditNode[] {
    if (n) return n.children();
    const s = this.st; const core = this.core;
    if (!s || !core) return [];
    const audit = core.store.audit;
    s.totals = audit.auditTotals(s.findings);
    const out: AuditNode[] = [new AuditTotalNode(s, audit.usd)];
    const sorted = audit.sortFindings(s.findings);
    for (const c of audit.AUDIT_CHECKS) {
      const list = sorted.filter((f) => f.check === c.id);
      if (list.length) out.push(new AuditCheckNode(c.id, c.title, c.why, list, s.fixed, audit.usd));
    }
    s.errors.forEach((e, i) => out.push(new AuditErrorNode(e.where, e.message, i)));
    if (!s.running && s.cancelled) out.push(new AuditMessageNode('audit:cancelled', 'Cancelled: the findings cover what was scanned. Run the audit again for the rest.', 'debug-pause'));
    else if (!s.running && !s.findings.length && !s.errors.length) out.push(new AuditMessageNode('audit:none', 'No findings: every stored value is where the three questions put it.', 'pass'));
    return out;
  }

  /** Runs the audit with progress (cancellable). Resolves with the final state; never rejects. */
  async run(): Promise<AuditState | undefined> {
    this.cancel();
    // Set before the first await, so a Cancel right after the start is never lost.
    const controller = new AbortController();
    this.controller = controller;
    const [aws, core] = await Promise.all([loadAws(), loadCore()]);
    this.core = core;
    const audit = core.store.audit;
    let cur;
    try { cur = await this.session.ensure(); } catch (e) {
      void vscode.window.showErrorMessage(`Keyway: could not connect to AWS. ${errorText(e)}`);
      return undefined;
    }
    const st: AuditState = {
      running: true, complete: false, cancelled: false, findings: [], fixed: new Set(), totals: audit.auditTotals([]),
      progress: { parameters: 0, secrets: 0, listing: true, valuesQueued: 0, valuesRead: 0 }, errors: [], startedAt: Date.now(),
      region: cur.connection.region, account: cur.identity?.account, endpoint: cur.connection.endpoint, connectionInstance: cur.connection.instance,
    };
    this.st = st;
    void vscode.commands.executeCommand('setContext', 'keyway.audit.active', true);
    void vscode.commands.executeCommand('setContext', 'keyway.audit.running', true);
    this.fireNow();
    const now = Date.now();
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Keyway: auditing the account', cancellable: true }, async (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        const result = await aws.runAudit<ReturnType<typeof audit.valueFacts>, AuditFinding>({
          index: cur.index, signal: controller.signal,
          need: audit.valueNeed, inspect: audit.valueFacts, judge: (item) => audit.auditItem(item, { now }),
          onFindings: (fs) => { st.findings.push(...fs); this.fireSoon(); },
          onProgress: (p) => {
            st.progress = p;
            progress.report({ message: `${p.parameters.toLocaleString('en-US')} parameters, ${p.secrets.toLocaleString('en-US')} secrets${p.listing ? ' (listing)' : ''}; values ${p.valuesRead}/${p.valuesQueued}; ${p.findings} findings` });
            this.fireSoon();
          },
        });
        st.complete = result.complete;
        st.cancelled = result.cancelled;
        st.errors = result.errors;
        st.progress = { ...st.progress, parameters: result.scanned.parameters, secrets: result.scanned.secrets, valuesRead: result.scanned.valuesRead, listing: false };
      });
    } catch (e) {
      st.errors.push({ where: 'audit', message: errorText(e) });
    } finally {
      st.running = false;
      st.finishedAt = Date.now();
      if (this.controller === controller) this.controller = undefined;
      void vscode.commands.executeCommand('setContext', 'keyway.audit.running', false);
      this.fireNow();
    }
    st.totals = audit.auditTotals(st.findings);
    this.log.info(`Audit: ${st.progress.parameters} parameters, ${st.progress.secrets} secrets, ${st.progress.valuesRead} values read, ${st.findings.length} findings in ${st.finishedAt! - st.startedAt} ms${st.cancelled ? ' (cancelled)' : ''}`);
    return st;
  }

  /** The report of the audit on show (Markdown/JSON export). */
  report(): Core.store.AuditReport | undefined {
    const s = this.st; const core = this.core;
    if (!s || !core) return undefined;
    return core.store.buildReport({
      generatedAt: new Date(s.finishedAt ?? Date.now()).toISOString(), account: s.account, region: s.region ?? '', endpoint: s.endpoint,
      scanned: { parameters: s.progress.parameters, secrets: s.progress.secrets, valuesRead: s.progress.valuesRead },
      complete: s.complete && !s.running, errors: s.errors, findings: s.findings,
    });
  }

  markFixed(f: AuditFinding): void {
    this.st?.fixed.add(f);
    this.fireNow();
  }

  cancel(): void { this.controller?.abort(); }

  clear(): void {
    this.st = undefined;
    void vscode.commands.executeCommand('setContext', 'keyway.audit.active', false);
    this.fireNow();
  }

  private fireNow(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    this.changed.fire(undefined);
  }

  /** Findings stream in page by page: refresh at most every 250 ms. */
  private fireSoon(): void {
    this.timer ??= setTimeout(() => { this.timer = undefined; this.changed.fire(undefined); }, 250);
  }

  dispose(): void {
    this.cancel();
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subs) s.dispose();
    this.changed.dispose();
  }
}
