// The worker thread behind "Keyway: Scan Workspace" (built to dist/scanWorker.js; core loads from ./core.js). It runs
// the whole scan — walk, ignore matching, every reader and rule — off the extension host's main thread, and posts
// progress, each file's findings and errors, and a summary. No `vscode` here. Cancelling terminates the worker.
import { parentPort, workerData } from 'node:worker_threads';
import type { Finding, ScanError } from '../core/index';

export interface ScanWorkerInput { roots: string[] }

export type ScanWorkerMessage =
  | { type: 'progress'; root: string; done: number; total: number }
  | { type: 'file'; root: string; abs: string; findings: Finding[] }
  | { type: 'errors'; errors: ScanError[] }
  | { type: 'root-done'; root: string; files: number; findings: number; skipped: number; ignore: string }
  | { type: 'failed'; message: string };

const PROGRESS_EVERY = 25;

async function run(input: ScanWorkerInput): Promise<void> {
  const post = (m: ScanWorkerMessage) => parentPort!.postMessage(m);
  const core = await import('../core/index');
  for (const root of input.roots) {
    const loaded = core.loadConfig(root);
    if (loaded.errors.length) post({ type: 'errors', errors: loaded.errors.map((message) => ({ path: loaded.file ?? root, message, kind: 'config' as const })) });
    const collected = core.collectFiles([root], { config: loaded.config, configFile: loaded.file });
    if (collected.errors.length) post({ type: 'errors', errors: collected.errors });
    let skipped = 0;
    for (const n of collected.skipped.values()) skipped += n;
    const project = new core.FsProjectContext(loaded.config.maxFileSize);
    const total = collected.files.length;
    let files = 0, findings = 0;
    post({ type: 'progress', root, done: 0, total });
    for (let i = 0; i < total; i++) {
      const f = collected.files[i];
      const r = core.analyzeCollectedFile(f, { config: loaded.config, project, maxFileSize: loaded.config.maxFileSize });
      if (r.errors.length) post({ type: 'errors', errors: r.errors });
      if ('skipped' in r) skipped++;
      if ('findings' in r) {
        files++;
        findings += r.findings.length;
        post({ type: 'file', root, abs: f.abs, findings: r.findings });
      }
      if (i % PROGRESS_EVERY === PROGRESS_EVERY - 1 || i === total - 1) post({ type: 'progress', root, done: i + 1, total });
    }
    post({ type: 'root-done', root, files, findings, skipped, ignore: collected.ignore.note });
  }
}

if (parentPort) {
  run(workerData as ScanWorkerInput).then(
    () => process.exit(0),
    (e: unknown) => { parentPort!.postMessage({ type: 'failed', message: e instanceof Error ? e.message : String(e) } satisfies ScanWorkerMessage); process.exit(1); },
  );
}
