// "Keyway: Scan workspace": the analyzer over every workspace folder, with progress and cancel.
// Files are analysed one by one with a yield between batches, so the extension host stays responsive.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Finding } from '../../core/types';
import { loadCore } from '../lazy';
import type { Log } from '../log';
import type { DiagnosticsController } from './diagnostics';

export interface ScanSummary { files: number; findings: number; skipped: number; cancelled: boolean; ms: number }

const BATCH = 25;
const tick = () => new Promise<void>((r) => setImmediate(r));

export async function scanWorkspace(diagnostics: DiagnosticsController, log: Log, token?: vscode.CancellationToken, progress?: vscode.Progress<{ message?: string; increment?: number }>): Promise<ScanSummary> {
  const t0 = Date.now();
  const core = await loadCore();
  const folders = vscode.workspace.workspaceFolders ?? [];
  let files = 0, found = 0, skipped = 0;
  for (const folder of folders) {
    const root = folder.uri.fsPath;
    const loaded = core.loadConfig(root);
    for (const e of loaded.errors) log.warn(e);
    const collected = core.collectFiles([root], { config: loaded.config, configFile: loaded.file });
    for (const n of collected.skipped.values()) skipped += n;
    const project = new core.FsProjectContext(loaded.config.maxFileSize);
    const total = collected.files.length;
    const byFile = new Map<string, Finding[]>();
    for (let i = 0; i < total; i++) {
      if (token?.isCancellationRequested) return { files, findings: found, skipped, cancelled: true, ms: Date.now() - t0 };
      const f = collected.files[i];
      const r = core.analyzeCollectedFile(f, { config: loaded.config, project, maxFileSize: loaded.config.maxFileSize });
      for (const e of r.errors) log.warn(`${e.path}: ${e.message}`);
      if ('skipped' in r) skipped++;
      if ('findings' in r) {
        files++;
        found += r.findings.length;
        byFile.set(f.abs, r.findings);
      }
      if (i % BATCH === BATCH - 1) {
        progress?.report({ message: `${folder.name}: ${i + 1}/${total} files`, increment: (BATCH / Math.max(total, 1)) * (100 / folders.length) });
        await tick();
      }
    }
    // URIs under the folder's own URI (its scheme is `vscode-remote` in remote windows, not `file`).
    for (const [file, findings] of byFile) {
      diagnostics.setFileFindings(vscode.Uri.joinPath(folder.uri, ...path.relative(root, file).split(path.sep)), findings);
    }
  }
  const summary = { files, findings: found, skipped, cancelled: false, ms: Date.now() - t0 };
  log.info(`Workspace scan: ${files} files, ${found} findings, ${skipped} skipped, ${summary.ms} ms`);
  return summary;
}

export function registerScanCommand(context: vscode.ExtensionContext, diagnostics: DiagnosticsController, log: Log): void {
  context.subscriptions.push(vscode.commands.registerCommand('keyway.scanWorkspace', async () => {
    if (!vscode.workspace.workspaceFolders?.length) {
      void vscode.window.showInformationMessage('Keyway: open a folder to scan.');
      return undefined;
    }
    const summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Keyway: scanning the workspace', cancellable: true },
      (progress, token) => scanWorkspace(diagnostics, log, token, progress),
    );
    const text = `Keyway: ${summary.cancelled ? 'scan cancelled after' : 'scanned'} ${summary.files} files: ${summary.findings} problem${summary.findings === 1 ? '' : 's'}${summary.skipped ? `, ${summary.skipped} files skipped` : ''}.`;
    void vscode.window.showInformationMessage(text, 'Show Problems').then((c) => { if (c) void vscode.commands.executeCommand('workbench.actions.view.problems'); });
    return summary;
  }));
}
