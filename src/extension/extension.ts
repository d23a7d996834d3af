// Activation stays thin: register views, commands and listeners. Nothing here loads ts-morph or the
// AWS SDK; the first view render or command loads them through ./lazy.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { disposeClipboardTimers } from './clipboard';
import { registerCommands } from './commands';
import { loadAws, loadedLayers } from './lazy';
import { Log } from './log';
import { RevealedValues } from './reveal';
import { ExplorerSession } from './session';
import { CONNECTION_SETTINGS } from './settings';
import { registerStatusBar } from './statusBar';
import { registerViews, type Views } from './views/register';
import { registerEditor, type Editor } from './editor/register';
import { registerManage, type Manage } from './manage/commands';
import { registerBeyond, type Beyond } from './beyond/register';

export interface KeywayApi {
  /** Timing and lazy-loading facts about this activation (used by the tests and `Keyway: Show Log`). */
  activationStats(): { durationMs: number; loadedLayers: string[] };
  /** The explorer's parts, for the editor tests. */
  explorer: { session: ExplorerSession; views: Views; reveals: RevealedValues };
  /** The editor features' parts, for the editor tests and benchmarks. */
  editor: Editor;
  /** Value management (create, edit, history…), for the editor tests. */
  manage: Manage;
  /** Compare, audit, verify and find references (issue 14), for the editor tests. */
  beyond: Beyond;
}

export function activate(context: vscode.ExtensionContext): KeywayApi {
  const t0 = performance.now();
  const log = new Log();
  const reveals = new RevealedValues();
  const session = new ExplorerSession(log, (serial) => askMfa(serial));
  context.subscriptions.push(log, reveals, session);
  const views = registerViews(context, session, reveals);
  registerCommands(context, { log, views, session, reveals });
  registerStatusBar(context, session);
  const editor = registerEditor(context, { log, session, reveals, views });
  const manage = registerManage(context, { session, views, log });
  const beyond = registerBeyond(context, { session, views, log, reveals });

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (CONNECTION_SETTINGS.some((k) => e.affectsConfiguration(k))) {
        reveals.clear();
        void session.reconnect('settings changed');
      } else if (e.affectsConfiguration('keyway.revealTimeoutSeconds') && session.current) {
        session.current.values.ttlMs = session.settings.revealSeconds * 1000;
      }
    }),
    session.onDidSwitch(() => reveals.clear()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      // Leaving Restricted Mode: the views may connect, and the editor features may use AWS again.
      void session.updateContext();
      for (const t of Object.values(views.trees)) t.fireNow();
      editor.diagnostics.reanalyzeAll();
    }),
  );
  // Watch the AWS config files once the AWS layer is loaded (never at activation).
  let watching = false;
  context.subscriptions.push(session.onDidSwitch(() => {
    if (watching) return;
    watching = true;
    void loadAws().then((aws) => {
      const files = aws.sharedConfigPaths();
      let timer: ReturnType<typeof setTimeout> | undefined;
      for (const file of [files.configFile, files.credentialsFile]) {
        const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
        const changed = () => {
          clearTimeout(timer);
          timer = setTimeout(() => void session.reconnect(`${path.basename(file)} changed`), 500);
        };
        context.subscriptions.push(w, w.onDidChange(changed), w.onDidCreate(changed), w.onDidDelete(changed));
      }
    });
  }));

  const durationMs = performance.now() - t0;
  log.info(`Keyway ${context.extension.packageJSON.version as string} activated in ${durationMs.toFixed(1)} ms`);
  return { activationStats: () => ({ durationMs, loadedLayers: loadedLayers() }), explorer: { session, views, reveals }, editor, manage, beyond };
}

async function askMfa(serial: string): Promise<string> {
  const code = await vscode.window.showInputBox({
    title: 'Keyway: MFA code',
    prompt: `Enter the current code of ${serial}`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (/^\d{6}$/.test(v.trim()) ? undefined : 'Six digits'),
  });
  if (!code) throw new Error('MFA code entry was cancelled');
  return code.trim();
}

export function deactivate(): void {
  // Disposables registered on the context are disposed by VS Code.
  disposeClipboardTimers();
}
