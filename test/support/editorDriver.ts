// Runs the test/editor suites inside the real VS Code (code-server) extension host, driven by chromium.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './paths';
import { startCodeServer, tail, workbenchUrl } from './codeServer';
import { launchBrowser } from './browser';
import type { TestResults } from './results';

export interface EditorRunOptions {
  workspace: string;
  resultsFile: string;
  env?: Record<string, string>;
  settings?: Record<string, unknown>;
  timeoutMs?: number;
  /** Keep the VS Code state dir (user data) for inspection after the run; returned in the result. */
  keepState?: boolean;
}

export async function runEditorTests(opts: EditorRunOptions): Promise<TestResults & { exitCode: number | undefined; stateDir: string }> {
  fs.rmSync(opts.resultsFile, { force: true });
  fs.rmSync(`${opts.resultsFile}.metrics.json`, { force: true });
  const server = await startCodeServer({
    env: { ...opts.env, KEYWAY_TEST_RESULTS: opts.resultsFile },
    settings: opts.settings,
  });
  const browser = await launchBrowser();
  let exitCode: number | undefined;
  try {
    const page = await browser.context.newPage();
    const exited = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => { resolve(code); });
    });
    const url = workbenchUrl(server, opts.workspace, {
      extensionPath: repoRoot,
      testsPath: path.join(repoRoot, 'out', 'test', 'editor', 'index.js'),
    });
    await page.goto(url);
    const timeoutMs = opts.timeoutMs ?? 10 * 60_000;
    const timedOut = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
    const outcome = await Promise.race([exited, timedOut]);
    if (outcome === 'timeout') {
      throw new Error(`editor tests did not finish within ${timeoutMs / 1000}s\n--- code-server log ---\n${tail(server.logFile)}`);
    }
    exitCode = outcome;
  } finally {
    await browser.close();
    await server.stop();
  }
  if (!fs.existsSync(opts.resultsFile)) {
    throw new Error(`the extension host exited (code ${exitCode}) without writing ${opts.resultsFile}; the test index may have failed to load.\n--- code-server log ---\n${tail(server.logFile)}`);
  }
  const results = JSON.parse(fs.readFileSync(opts.resultsFile, 'utf8')) as TestResults;
  if (!opts.keepState) fs.rmSync(server.stateDir, { recursive: true, force: true });
  return { ...results, exitCode, stateDir: server.stateDir };
}
