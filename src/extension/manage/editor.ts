// Edit a value in an editor tab: a `keyway-value:` document. Saving writes a new version, but only if
// nobody wrote a newer one since the tab was opened; on a conflict the user chooses overwrite, compare,
// reload or keep editing. A failed save throws, so VS Code keeps the tab dirty with the text intact.
import * as vscode from 'vscode';
import type * as Aws from '../../aws/index';
import * as manage from '../../core/manage';
import { loadAws } from '../lazy';
import type { ExplorerSession } from '../session';
import type { Prompter } from './prompter';

export const VALUE_SCHEME = 'keyway-value';
export const THEIRS_SCHEME = 'keyway-theirs';

interface Open { store: 'parameter' | 'secret'; name: string; version: string; type?: string; connection: number }

/** The path is for display (tab title, breadcrumbs); the exact name travels in the query. */
export function valueUri(store: 'parameter' | 'secret', name: string): vscode.Uri {
  return vscode.Uri.from({ scheme: VALUE_SCHEME, path: `/${store}${name.startsWith('/') ? '' : '/'}${name}`, query: `name=${encodeURIComponent(name)}` });
}

function parse(uri: vscode.Uri): { store: 'parameter' | 'secret'; name: string } {
  const m = /^\/(parameter|secret)\//.exec(uri.path);
  const q = /(?:^|&)name=([^&]*)/.exec(uri.query);
  if (!m || !q) throw vscode.FileSystemError.FileNotFound(uri);
  return { store: m[1] as 'parameter' | 'secret', name: decodeURIComponent(q[1]) };
}

export class ValueFileSystem implements vscode.FileSystemProvider, vscode.TextDocumentContentProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  private readonly open = new Map<string, Open>();
  /** The other writer's value, for the conflict diff (in memory only, dropped when the diff closes). */
  private readonly theirs = new Map<string, string>();

  constructor(private readonly session: ExplorerSession, public prompter: Prompter) {}

  watch(): vscode.Disposable { return new vscode.Disposable(() => undefined); }

  stat(uri: vscode.Uri): vscode.FileStat {
    const o = this.open.get(uri.toString());
    return { type: vscode.FileType.File, ctime: 0, mtime: o ? Number(o.version.replace(/\D/g, '').slice(0, 12)) || 1 : 0, size: 0 };
  }

  readDirectory(): [string, vscode.FileType][] { return []; }
  createDirectory(): void { throw vscode.FileSystemError.NoPermissions('Keyway values have no folders'); }
  delete(): void { throw vscode.FileSystemError.NoPermissions('Delete values from the Keyway explorer'); }
  rename(): void { throw vscode.FileSystemError.NoPermissions('Keyway values cannot be renamed'); }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { store, name } = parse(uri);
    const cur = await this.session.ensure();
    const aws = await loadAws();
    const svc = new aws.ManageService(cur.connection);
    try {
      if (store === 'parameter') {
        const p = await svc.getParameter(name);
        this.open.set(uri.toString(), { store, name, version: String(p.version), type: p.type, connection: cur.connection.instance });
        return Buffer.from(p.value, 'utf8');
      }
      const s = await svc.getSecret(name);
      this.open.set(uri.toString(), { store, name, version: s.versionId, connection: cur.connection.instance });
      return Buffer.from(s.value, 'utf8');
    } catch (e) {
      throw vscode.FileSystemError.Unavailable(errorText(e));
    }
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const o = this.open.get(uri.toString());
    if (!o) throw vscode.FileSystemError.Unavailable('Open the value from the Keyway explorer first (Edit Value).');
    const cur = await this.session.ensure();
    if (cur.connection.instance !== o.connection) {
      throw vscode.FileSystemError.Unavailable('Keyway switched to another AWS connection since this tab was opened; copy your text, then reopen the value.');
    }
    const value = Buffer.from(content).toString('utf8');
    const problems = manage.validateNew({ store: o.store, name: o.name, value, region: cur.connection.region }).filter((p) => p.field === 'value');
    if (problems.length) throw vscode.FileSystemError.Unavailable(problems.map((p) => p.message).join(' '));
    const size = manage.checkSize(o.store, value);
    const aws = await loadAws();
    const svc = new aws.ManageService(cur.connection);
    const put = (expected: boolean) => o.store === 'parameter'
      ? svc.putParameterVersion({ name: o.name, value, type: (o.type ?? 'String') as 'String' | 'StringList' | 'SecureString', tier: size.tier === 'Advanced' ? 'Advanced' : undefined, expectedVersion: expected ? Number(o.version) : undefined }).then(String)
      : svc.putSecretVersion({ id: o.name, value, expectedVersionId: expected ? o.version : undefined });
    try {
      o.version = await put(true);
    } catch (e) {
      if (!(e instanceof aws.ConflictError)) throw vscode.FileSystemError.Unavailable(`Not saved: ${errorText(e)} Your text is still here.`);
      const choice = await this.prompter.confirm('conflict', {
        message: `${o.name} changed since you opened it (now ${e.actual}).`,
        detail: 'Overwrite writes your text as a new version (theirs stays in the history). Compare shows both. Reload discards your edits.',
        buttons: ['Overwrite', 'Compare', 'Reload'],
      });
      if (choice === 'Overwrite') {
        try {
          o.version = await put(false);
        } catch (e2) {
          throw vscode.FileSystemError.Unavailable(`Not saved: ${errorText(e2)} Your text is still here.`);
        }
      } else {
        if (choice === 'Compare') {
          const theirsUri = vscode.Uri.from({ scheme: THEIRS_SCHEME, path: uri.path, query: String(Date.now()) });
          this.theirs.set(theirsUri.toString(), e.theirs ?? '');
          void vscode.commands.executeCommand('vscode.diff', theirsUri, uri, `${o.name}: theirs (${e.actual}) ↔ yours`);
        } else if (choice === 'Reload') {
          setTimeout(() => void vscode.commands.executeCommand('workbench.action.files.revert', uri), 0);
        }
        throw vscode.FileSystemError.Unavailable(`Not saved: ${o.name} has a newer version (${e.actual}). ${choice === 'Reload' ? 'Reloading it.' : 'Your text is still here.'}`);
      }
    }
    void cur.index[o.store === 'parameter' ? 'parameters' : 'secrets'].reload();
    cur.values.clear(o.store, o.name);
  }

  /** Content of the other writer's version in a conflict diff (read-only). */
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.theirs.get(uri.toString()) ?? '';
  }

  forgetTheirs(uri: vscode.Uri): void { this.theirs.delete(uri.toString()); }

  /** Opens a value for editing in a tab (JSON mode for JSON values). */
  async openEditor(store: 'parameter' | 'secret', name: string): Promise<vscode.TextEditor> {
    const doc = await vscode.workspace.openTextDocument(valueUri(store, name));
    if (/^\s*[{[]/.test(doc.getText())) await vscode.languages.setTextDocumentLanguage(doc, 'json');
    return vscode.window.showTextDocument(doc, { preview: false });
  }

  dispose(): void { this.emitter.dispose(); this.open.clear(); this.theirs.clear(); }
}

function errorText(e: unknown): string {
  const info = (e as { info?: Aws.AwsErrorInfo }).info;
  return info ? `${info.message} ${info.nextStep}` : (e as Error).message;
}
