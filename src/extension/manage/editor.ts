// Edit a value in an editor tab: a custom editor on a `keyway-value:` URI. The text being edited (the
// draft) lives in the extension host's memory only:
// - VS Code backs up every dirty *text* document (hot exit, crash recovery) in plain text under the user
//   data folder, whatever its scheme. A custom editor's backup is whatever `backupCustomDocument` writes;
//   Keyway refuses to write one, so VS Code keeps no copy and asks before a window with unpublished
//   changes closes (see docs/architecture.md, "Editing a value").
// - Saving publishes a new version, so it is never automatic: `files.autoSave` is off for these editors
//   (a language default, package.json), and every save still shows a confirmation naming the account,
//   region, name, type and the version it creates — unless the user turned confirmations off, the save
//   came from Publish/Ctrl+S, and the name does not look like production.
// - A write happens only if nobody wrote a newer version since the value was read; on a conflict the user
//   chooses overwrite, compare or reload. A failed or cancelled publish keeps the editor dirty, text intact.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type * as Aws from '../../aws/index';
import * as manage from '../../core/manage';
import { loadAws } from '../lazy';
import type { Log } from '../log';
import type { Current, ExplorerSession } from '../session';
import { readSettings } from '../settings';
import { isFromView, valueEditorHtml, type ToView, type ValueHeader } from './editorView';
import type { Prompter } from './prompter';

export const VALUE_SCHEME = 'keyway-value';
export const VALUE_EDITOR = 'keyway.valueEditor';
/** Read-only, in-memory texts shown in diffs (the stored value, your draft, the other writer's version). */
export const COMPARE_SCHEME = 'keyway-compare';

type Store = 'parameter' | 'secret';
const TOP: Record<Store, string> = { parameter: 'Parameter Store', secret: 'Secrets Manager' };

/**
 * The path is for display (tab title and description) and for the `keyway-value` language, whose
 * `files.autoSave` default is off; the exact store and name travel in the query.
 */
export function valueUri(store: Store, name: string): vscode.Uri {
  return vscode.Uri.from({ scheme: VALUE_SCHEME, path: `/${TOP[store]}${name.startsWith('/') ? '' : '/'}${name}`, query: `store=${store}&name=${encodeURIComponent(name)}` });
}

export function parseValueUri(uri: vscode.Uri): { store: Store; name: string } {
  const s = /(?:^|&)store=(parameter|secret)(?:&|$)/.exec(uri.query);
  const q = /(?:^|&)name=([^&]+)/.exec(uri.query);
  if (uri.scheme !== VALUE_SCHEME || !s || !q) throw new Error(`Not a Keyway value: ${uri.toString(true)}. Open values from the Keyway explorer (Edit Value).`);
  return { store: s[1] as Store, name: decodeURIComponent(q[1]) };
}

interface Base { text: string; version: string; type: string; connection: number }

export class ValueDocument implements vscode.CustomDocument {
  /** What was read (memory only): the text, its version, and the connection it came through. */
  base?: Base;
  /** The text being edited (memory only). */
  draft?: string;
  dirty = false;
  error?: string;
  notice?: string;
  /** True while the Publish command (not some other save) is saving this document. */
  publishing = false;
  /** Why the last save did not publish (shown by the Publish command; VS Code shows it for its own saves). */
  lastError?: Error;
  panel?: vscode.WebviewPanel;
  constructor(readonly uri: vscode.Uri, readonly store: Store, readonly name: string, private readonly onDispose: (d: ValueDocument) => void) {}
  dispose(): void {
    this.base = undefined;
    this.draft = undefined;
    this.panel = undefined;
    this.onDispose(this);
  }
}

export class ValueEditorProvider implements vscode.CustomEditorProvider<ValueDocument>, vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.CustomDocumentContentChangeEvent<ValueDocument>>();
  readonly onDidChangeCustomDocument = this.changed.event;
  /** Values opened by Edit Value in this session (others are restored tabs: nothing is read until asked). */
  private readonly requested = new Set<string>();
  private readonly docs = new Map<string, ValueDocument>();
  private readonly compareTexts = new Map<string, string>();
  /** For the tests: saves VS Code asked for, versions written, backups refused. */
  readonly stats = { saves: 0, published: 0, backupsRefused: 0 };
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly session: ExplorerSession, private readonly prompter: () => Prompter, private readonly log: Log) {
    this.subs.push(
      session.onDidIdentify(() => { for (const d of this.docs.values()) this.post(d, { kind: 'header', header: this.header(d) }); }),
      session.onDidSwitch((cur) => {
        for (const d of this.docs.values()) {
          if (d.base && d.base.connection !== cur.connection.instance) {
            d.notice = 'Keyway switched to another AWS connection since this value was read: publishing from this tab is refused. Copy your text, then reopen the value from the explorer.';
            this.postInit(d);
          }
        }
      }),
    );
  }

  /** Opens a value for editing (Edit Value): reads it now, because the user asked. */
  async open(store: Store, name: string): Promise<ValueDocument> {
    const uri = valueUri(store, name);
    const key = uri.toString();
    const existing = this.docs.get(key);
    if (!existing) this.requested.add(key);
    else if (!existing.base) { await this.load(existing); this.postInit(existing); }
    await vscode.commands.executeCommand('vscode.openWith', uri, VALUE_EDITOR, { preview: false });
    const doc = this.docs.get(key);
    if (!doc) throw new Error(`The value editor for ${name} did not open.`);
    return doc;
  }

  document(uri: vscode.Uri): ValueDocument | undefined { return this.docs.get(uri.toString()); }

  /** The value document of the active editor tab, if any. */
  active(): ValueDocument | undefined {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    return input instanceof vscode.TabInputCustom && input.viewType === VALUE_EDITOR ? this.document(input.uri) : undefined;
  }

  async openCustomDocument(uri: vscode.Uri): Promise<ValueDocument> {
    const { store, name } = parseValueUri(uri);
    const key = uri.toString();
    const doc = new ValueDocument(uri, store, name, (d) => { if (this.docs.get(key) === d) this.docs.delete(key); });
    this.docs.set(key, doc);
    if (this.requested.delete(key)) await this.load(doc);
    else doc.notice = `This tab was restored from an earlier session. Keyway has not read ${name}: load it to edit.`;
    return doc;
  }

  async resolveCustomEditor(doc: ValueDocument, panel: vscode.WebviewPanel): Promise<void> {
    doc.panel = panel;
    panel.webview.options = { enableScripts: true, localResourceRoots: [] };
    panel.webview.html = valueEditorHtml(panel.webview);
    const subs = [
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(doc, m)),
      panel.onDidDispose(() => { if (doc.panel === panel) doc.panel = undefined; for (const s of subs) s.dispose(); }),
    ];
  }

  private async onMessage(doc: ValueDocument, m: unknown): Promise<void> {
    if (!isFromView(m)) return;
    switch (m.kind) {
      case 'ready': this.postInit(doc); break;
      case 'edit': this.edit(doc, m.text); break;
      case 'publish': await vscode.commands.executeCommand('keyway.publishValue', doc.uri); break;
      case 'compare': await this.compareWithCurrent(doc).catch((e) => this.prompter().error(`Keyway: could not compare. ${errorText(e)}`)); break;
      case 'discard': await this.discard(doc); break;
      case 'load': await this.load(doc); this.postInit(doc); break;
    }
  }

  /** An edit of the draft (from the page, or from the tests standing in for it). */
  edit(doc: ValueDocument, text: string): void {
    if (!doc.base) return;
    doc.draft = text;
    doc.dirty = true;
    this.changed.fire({ document: doc });
  }

  private async load(doc: ValueDocument): Promise<void> {
    try {
      const cur = await this.session.ensure();
      const svc = new (await loadAws()).ManageService(cur.connection);
      if (doc.store === 'parameter') {
        const p = await svc.getParameter(doc.name);
        doc.base = { text: p.value, version: String(p.version), type: p.type ?? 'String', connection: cur.connection.instance };
      } else {
        const s = await svc.getSecret(doc.name);
        doc.base = { text: s.value, version: s.versionId, type: 'secret', connection: cur.connection.instance };
      }
      doc.draft = doc.base.text;
      doc.dirty = false;
      doc.error = doc.notice = undefined;
    } catch (e) {
      doc.error = `Could not read ${doc.name}. ${errorText(e)}`;
    }
  }

  private header(doc: ValueDocument): ValueHeader {
    const cur = this.session.current;
    const same = cur && doc.base && cur.connection.instance === doc.base.connection;
    return {
      name: doc.name,
      store: doc.store,
      type: doc.base?.type ?? (doc.store === 'secret' ? 'secret' : ''),
      version: doc.base ? (doc.store === 'parameter' ? `v${doc.base.version}` : shortId(doc.base.version)) : undefined,
      account: same ? cur.identity?.account : undefined,
      region: same ? cur.connection.region : undefined,
      endpoint: same ? cur.connection.endpoint : undefined,
      production: manage.looksLikeProduction(doc.name),
    };
  }

  private post(doc: ValueDocument, m: ToView): void { void doc.panel?.webview.postMessage(m); }

  private postInit(doc: ValueDocument): void {
    this.post(doc, { kind: 'init', header: this.header(doc), text: doc.base ? doc.draft : undefined, dirty: doc.dirty, loaded: !!doc.base, notice: doc.notice, error: doc.error });
  }

  private async discard(doc: ValueDocument): Promise<void> {
    if (!doc.dirty) return;
    if (doc.panel?.active) await vscode.commands.executeCommand('workbench.action.files.revert');
    else await this.revertCustomDocument(doc);
  }

  // ---- VS Code's working-copy hooks ----------------------------------------------------------

  /** Every save publishes (after the confirmation); VS Code marks the tab clean only if this resolves. */
  async saveCustomDocument(doc: ValueDocument): Promise<void> {
    this.stats.saves++;
    this.post(doc, { kind: 'busy', busy: true });
    doc.lastError = undefined;
    try {
      await this.publish(doc);
    } catch (e) {
      doc.lastError = e as Error;
      throw e;
    } finally {
      this.post(doc, { kind: 'busy', busy: false });
    }
  }

  saveCustomDocumentAs(): Promise<void> {
    return Promise.reject(new Error('A Keyway value cannot be saved as a file: that would write it to disk. Publish it as a new version instead.'));
  }

  async revertCustomDocument(doc: ValueDocument): Promise<void> {
    doc.draft = doc.base?.text;
    doc.dirty = false;
    this.post(doc, { kind: 'reset', text: doc.draft ?? '', dirty: false });
  }

  /**
   * Refused on purpose: a backup would be the draft in plain text on disk. VS Code then keeps no copy,
   * and asks before it closes or reloads a window with unpublished changes.
   */
  backupCustomDocument(): Promise<vscode.CustomDocumentBackup> {
    this.stats.backupsRefused++;
    return Promise.reject(new Error('Keyway keeps unpublished values in memory only and never writes them to a backup.'));
  }

  // ---- Publishing ------------------------------------------------------------------------------

  private async publish(doc: ValueDocument): Promise<void> {
    const base = doc.base;
    const value = doc.draft;
    if (!base || value === undefined) throw new Error(`Nothing to publish: the value of ${doc.name} was not loaded.`);
    const cur = await this.session.ensure();
    if (cur.connection.instance !== base.connection) {
      throw new Error('Keyway switched to another AWS connection since this tab was opened: not published. Copy your text, then reopen the value from the explorer.');
    }
    if (value === base.text) {
      doc.dirty = false;
      this.post(doc, { kind: 'saved', header: this.header(doc) });
      return; // nothing changed: no new version
    }
    const problems = manage.validateNew({ store: doc.store, name: doc.name, value, region: cur.connection.region }).filter((p) => p.field === 'value');
    if (problems.length) throw new Error(`Not published: ${problems.map((p) => p.message).join(' ')} Your text is still here.`);
    const size = manage.checkSize(doc.store, value);
    const versionId = doc.store === 'secret' ? randomUUID() : undefined;
    if (!(await this.confirm(doc, cur, base, value, size, versionId))) throw new vscode.CancellationError();

    const aws = await loadAws();
    const svc = new aws.ManageService(cur.connection);
    const put = (expected: boolean): Promise<string> => doc.store === 'parameter'
      ? svc.putParameterVersion({ name: doc.name, value, type: base.type as Aws.ParameterType, tier: size.tier === 'Advanced' ? 'Advanced' : undefined, expectedVersion: expected ? Number(base.version) : undefined }).then(String)
      : svc.putSecretVersion({ id: doc.name, value, expectedVersionId: expected ? base.version : undefined, versionId });
    let version: string;
    try {
      version = await put(true);
    } catch (e) {
      if (!(e instanceof aws.ConflictError)) throw new Error(`Not published: ${errorText(e)} Your text is still here.`);
      const resolved = await this.conflict(doc, e, put);
      if (resolved === 'reloaded') return;
      version = resolved;
    }
    base.text = value;
    base.version = version;
    this.stats.published++;
    this.log.info(`Published a new version of ${doc.name} (${doc.store === 'parameter' ? `v${version}` : shortId(version)})`);
    doc.dirty = doc.draft !== value;
    this.post(doc, { kind: 'saved', header: this.header(doc) });
    // Typed while the write was in flight: VS Code marks the tab clean when this save resolves, so mark it again.
    if (doc.dirty) setTimeout(() => this.changed.fire({ document: doc }), 0);
    void cur.index[doc.store === 'parameter' ? 'parameters' : 'secrets'].reload();
    cur.values.clear(doc.store, doc.name);
    this.prompter().info(`Keyway: published ${doc.store === 'parameter' ? `v${version}` : `version ${shortId(version)}`} of ${doc.name}.`);
  }

  /** The confirmation naming the target. Returns whether to write. */
  private async confirm(doc: ValueDocument, cur: Current, base: Base, value: string, size: manage.SizeDecision, versionId: string | undefined): Promise<boolean> {
    const production = manage.looksLikeProduction(doc.name);
    if (doc.publishing && !production && !readSettings().confirmPublish) return true;
    const account = await accountOf(cur);
    const next = doc.store === 'parameter' ? `v${Number(base.version) + 1}` : versionId!;
    const wasJson = isJson(base.text);
    const detail = [
      `Account: ${account}${cur.connection.profile ? ` (profile ${cur.connection.profile})` : ''}`,
      `Region: ${cur.connection.region}${cur.connection.endpoint ? ` — endpoint ${cur.connection.endpoint}` : ''}`,
      `Name: ${doc.name}`,
      `Type: ${doc.store === 'parameter' ? `Parameter Store ${base.type}${size.tier === 'Advanced' ? ' (advanced tier)' : ''}` : 'Secrets Manager secret'}`,
      doc.store === 'parameter'
        ? `Creates: version ${Number(base.version) + 1} (the current version is ${base.version})`
        : `Creates: version ${versionId} as AWSCURRENT (the current version ${base.version} becomes AWSPREVIOUS)`,
      ...(size.message ? [size.message] : []),
      ...(wasJson && !isJson(value) ? ['Warning: the stored value is JSON and your text does not parse as JSON.'] : []),
      ...(production ? ['This name looks like production: this confirmation is always shown.'] : []),
    ].join('\n');
    const publish = doc.store === 'parameter' ? `Publish ${next}` : 'Publish New Version';
    const choice = await this.prompter().confirm('publish', { message: `Publish a new version of ${doc.name}?`, detail, buttons: [publish, 'Show Diff'] });
    if (choice === publish) return true;
    if (choice === 'Show Diff') {
      await this.compareWithCurrent(doc);
      void vscode.window.showInformationMessage(`Not published yet: review your changes to ${doc.name}, then publish.`, 'Publish…')
        .then((c) => { if (c) void vscode.commands.executeCommand('keyway.publishValue', doc.uri); });
    }
    return false;
  }

  private async conflict(doc: ValueDocument, e: Aws.ConflictError, put: (expected: boolean) => Promise<string>): Promise<string | 'reloaded'> {
    const choice = await this.prompter().confirm('conflict', {
      message: `${doc.name} changed since you opened it (now ${e.actual}).`,
      detail: 'Overwrite writes your text as a new version (theirs stays in the history). Compare shows both. Reload discards your edits.',
      buttons: ['Overwrite', 'Compare', 'Reload'],
    });
    if (choice === 'Overwrite') {
      try {
        return await put(false);
      } catch (e2) {
        throw new Error(`Not published: ${errorText(e2)} Your text is still here.`);
      }
    }
    if (choice === 'Compare') {
      await this.diff(doc, e.theirs ?? '', `theirs (${e.actual})`);
      throw new Error(`Not published: ${doc.name} has a newer version (${e.actual}). Your text is still here.`);
    }
    if (choice === 'Reload') {
      await this.load(doc);
      this.postInit(doc);
      return 'reloaded';
    }
    throw new vscode.CancellationError();
  }

  /** Diff of the version stored now against the draft (read fresh; both texts in memory only). */
  async compareWithCurrent(doc: ValueDocument): Promise<void> {
    if (!doc.base) return;
    const cur = await this.session.ensure();
    const svc = new (await loadAws()).ManageService(cur.connection);
    const stored = doc.store === 'parameter' ? await svc.getParameter(doc.name) : await svc.getSecret(doc.name);
    const label = doc.store === 'parameter' ? `v${(stored as Aws.ParameterVersion).version}` : shortId((stored as { versionId: string }).versionId);
    await this.diff(doc, stored.value, `${label}, stored`);
  }

  private async diff(doc: ValueDocument, left: string, leftLabel: string): Promise<void> {
    const stamp = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const uri = (side: string) => vscode.Uri.from({ scheme: COMPARE_SCHEME, path: doc.uri.path, query: `side=${side}&t=${stamp}` });
    const l = uri('stored');
    const r = uri('draft');
    this.compareTexts.set(l.toString(), left);
    this.compareTexts.set(r.toString(), doc.draft ?? '');
    await vscode.commands.executeCommand('vscode.diff', l, r, `${doc.name}: ${leftLabel} ↔ your draft`, { preview: true });
  }

  /** Content of a compare view (read-only; dropped when the view closes). */
  provideTextDocumentContent(uri: vscode.Uri): string { return this.compareTexts.get(uri.toString()) ?? ''; }

  forgetCompare(uri: vscode.Uri): void { this.compareTexts.delete(uri.toString()); }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.changed.dispose();
    this.compareTexts.clear();
    this.docs.clear();
    this.requested.clear();
  }
}

/** Publish from the command, the editor title, Ctrl+S or the page: a save VS Code tracks, marked deliberate. */
export async function publishValue(values: ValueEditorProvider, prompter: Prompter, uri?: vscode.Uri): Promise<boolean> {
  const doc = uri ? values.document(uri) : values.active();
  if (!doc) { prompter.info('Keyway: open a value with Edit Value first.'); return false; }
  doc.publishing = true;
  doc.lastError = undefined;
  let saved = false;
  try {
    saved = (await vscode.workspace.save(doc.uri)) !== undefined;
  } catch { /* reported below, from the document */ } finally {
    doc.publishing = false;
  }
  const e = doc.lastError as Error | undefined;
  if (!saved && e && !(e instanceof vscode.CancellationError)) prompter.error(`Keyway: ${errorText(e)}`);
  return saved;
}

async function accountOf(cur: Current): Promise<string> {
  if (cur.identity?.account) return cur.identity.account;
  try {
    return (await cur.connection.whoAmI()).account ?? 'unknown';
  } catch (e) {
    return `unknown (${errorText(e)})`;
  }
}

function isJson(s: string): boolean {
  if (!/^\s*[{[]/.test(s)) return false;
  try { JSON.parse(s); return true; } catch { return false; }
}

function shortId(id: string): string { return id.length > 12 ? `${id.slice(0, 8)}…` : id; }

function errorText(e: unknown): string {
  const info = (e as { info?: Aws.AwsErrorInfo }).info;
  return info ? `${info.message} ${info.nextStep}` : (e as Error).message;
}
