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
      const read = core.readForAnalysis(f.abs, loaded.config.maxFileSize);
      if (!read.ok) { skipped++; continue; }
      if (core.documentKind(f.abs) === 'source' && core.looksMinified(f.abs, read.text)) { skipped++; continue; }
      project.remember(f.abs, read.text);
      const findings = core.analyzeText(f.abs, read.text, { config: loaded.config, project, onRuleError: (id, e) => log.warn(`Rule ${id} failed on ${f.path}: ${(e as Error)?.message ?? e}`) });
      files++;
      found += findings.length;
      byFile.set(f.abs, findings);
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
