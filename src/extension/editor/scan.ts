// "Keyway: Scan workspace": the analyzer over every workspace folder, with progress and cancel. The scan runs in a
// worker thread (dist/scanWorker.js): walking, ignore matching, reading and every rule stay off the extension host's
// main thread, so a huge or hostile repository cannot freeze other extensions; Cancel terminates the worker. Where a
// worker cannot start, files are analysed here one by one with a yield between batches.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { Finding, ScanError } from '../../core/index';
import { loadCore } from '../lazy';
import type { Log } from '../log';
import type { ScanWorkerInput, ScanWorkerMessage } from '../scanWorker';
import type { DiagnosticsController } from './diagnostics';

export interface ScanSummary { files: number; findings: number; skipped: number; cancelled: boolean; ms: number }

const BATCH = 25;
const tick = () => new Promise<void>((r) => setImmediate(r));

type Progress = vscode.Progress<{ message?: string; increment?: number }>;

/** A file problem for the output channel (never a diagnostic): `path:line: message`. */
function logError(log: Log, e: ScanError): void {
  log.warn(`${e.path}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : ''}: ${e.message}`);
}

/** The scan in a worker thread. Resolves undefined when no worker could be started (the caller scans in process). */
function scanInWorker(diagnostics: DiagnosticsController, log: Log, token?: vscode.CancellationToken, progress?: Progress): Promise<ScanSummary | undefined> {
  const script = path.join(__dirname, 'scanWorker.js');
  if (!fs.existsSync(script)) return Promise.resolve(undefined);
  const folders = vscode.workspace.workspaceFolders ?? [];
  const byRoot = new Map(folders.map((f) => [f.uri.fsPath, f]));
  const t0 = Date.now();
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(script, { workerData: { roots: folders.map((f) => f.uri.fsPath) } satisfies ScanWorkerInput });
    } catch (e) {
      log.warn(`Workspace scan: no worker thread (${(e as Error).message}); scanning on the extension host`);
      resolve(undefined);
      return;
    }
    let files = 0, findings = 0, skipped = 0, finished = false;
    const reported = new Map<string, number>();
    const finish = (cancelled: boolean) => {
      if (finished) return;
      finished = true;
      sub?.dispose();
      void worker.terminate();
      const summary = { files, findings, skipped, cancelled, ms: Date.now() - t0 };
      log.info(`Workspace scan${cancelled ? ' (cancelled)' : ''}: ${files} files, ${findings} findings, ${skipped} skipped, ${summary.ms} ms`);
      resolve(summary);
    };
    const sub = token?.onCancellationRequested(() => finish(true));
    worker.on('message', (m: ScanWorkerMessage) => {
      if (finished) return;
      switch (m.type) {
        case 'progress': {
          const folder = byRoot.get(m.root);
          const before = reported.get(m.root) ?? 0;
          reported.set(m.root, m.done);
          const share = 100 / Math.max(folders.length, 1);
          progress?.report({ message: `${folder?.name ?? m.root}: ${m.done}/${m.total} files`, increment: m.total ? ((m.done - before) / m.total) * share : 0 });
          break;
        }
        case 'file': {
          const folder = byRoot.get(m.root);
          if (!folder) break;
          // URIs under the folder's own URI (its scheme is `vscode-remote` in remote windows, not `file`).
          diagnostics.setFileFindings(vscode.Uri.joinPath(folder.uri, ...path.relative(m.root, m.abs).split(path.sep)), m.findings);
          break;
        }
        case 'errors': for (const e of m.errors) logError(log, e); break;
        case 'root-done':
          files += m.files; findings += m.findings; skipped += m.skipped;
          log.info(`Workspace scan of ${m.root}: ${m.ignore}`);
          break;
        case 'failed': log.error(`Workspace scan failed: ${m.message}`); break;
      }
    });
    worker.on('error', (e) => { log.error(`Workspace scan failed: ${e.message}`); finish(false); });
    worker.on('exit', () => finish(token?.isCancellationRequested ?? false));
  });
}

export async function scanWorkspace(diagnostics: DiagnosticsController, log: Log, token?: vscode.CancellationToken, progress?: Progress): Promise<ScanSummary> {
  const off = await scanInWorker(diagnostics, log, token, progress);
  if (off) return off;
  return scanHere(diagnostics, log, token, progress);
}

/** The fallback: the same scan on the extension host, yielding between batches. */
async function scanHere(diagnostics: DiagnosticsController, log: Log, token?: vscode.CancellationToken, progress?: Progress): Promise<ScanSummary> {
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
      for (const e of r.errors) logError(log, e);
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
