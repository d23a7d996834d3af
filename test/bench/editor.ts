// `npm run bench:editor`, the part that runs inside the VS Code extension host (extensionTestsPath).
// Measures edit-to-diagnostics latency, warm hover latency and the workspace scan, and writes the figures
// to $KEYWAY_BENCH_RESULTS. Started by scripts/bench-editor.mjs.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { KeywayApi } from '../../src/extension/extension';

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

const round = (n: number) => Math.round(n * 10) / 10;

interface EditLatency {
  /** From the change event in the extension host to the diagnostics set: Keyway's own latency. */
  p50: number; p95: number;
  /** From the `editor.edit` call: adds the edit's round trip through the workbench (in code-server, the browser). */
  fromEditP50: number; fromEditP95: number;
  analysisMs: number; analyzeTextMs: number; lines: number;
  /** The slowest edits as `round trip + change→diagnostics (analyzeText)` ms. */
  worst: string;
}

async function editLatency(api: KeywayApi, rel: string, edits: number): Promise<EditLatency> {
  const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, rel);
  const key = uri.toString();
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc);
  await api.editor.diagnostics.analyze(doc);
  // analyzeText's own time per analysis (the controller keeps it per document to size its debounce window).
  const lastMs = (api.editor.diagnostics as unknown as { lastMs: Map<string, number> }).lastMs;
  // Warm up the analyzer (JIT) on this file.
  let analysisMs = 0;
  for (let i = 0; i < 5; i++) { const t = performance.now(); await api.editor.diagnostics.analyze(doc); analysisMs = performance.now() - t; }
  const analyzeTextMs = lastMs.get(key) ?? NaN;
  const line = doc.lineCount - 2;
  const fromEdit: number[] = [];
  const fromChange: number[] = [];
  const rows: { total: number; trip: number; keyway: number; analysis: number }[] = [];
  for (let i = 0; i < edits; i++) {
    let tChange = NaN;
    const changed = vscode.workspace.onDidChangeTextDocument((e) => { if (e.document.uri.toString() === key && Number.isNaN(tChange)) tChange = performance.now(); });
    const analyzed = new Promise<number>((resolve) => {
      const sub = api.editor.diagnostics.onDidAnalyze((u) => { if (u.toString() === key) { sub.dispose(); resolve(performance.now()); } });
    });
    const t0 = performance.now();
    // A keystroke: one character typed (and removed on the next round) in a comment line at the end.
    await editor.edit((e) => (i % 2 === 0 ? e.insert(new vscode.Position(line, 0), 'x') : e.delete(new vscode.Range(line, 0, line, 1))), { undoStopBefore: false, undoStopAfter: false });
    const tDone = await analyzed;
    changed.dispose();
    fromEdit.push(tDone - t0);
    fromChange.push(tDone - tChange);
    rows.push({ total: tDone - t0, trip: tChange - t0, keyway: tDone - tChange, analysis: lastMs.get(key) ?? NaN });
    await new Promise((r) => setTimeout(r, 30)); // a typist's gap
  }
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  const worst = rows.sort((a, b) => b.total - a.total).slice(0, 4)
    .map((r) => `${Math.round(r.trip)}+${Math.round(r.keyway)}(${Math.round(r.analysis)})`).join(' ');
  return {
    p50: round(pct(fromChange, 50)), p95: round(pct(fromChange, 95)), fromEditP50: round(pct(fromEdit, 50)), fromEditP95: round(pct(fromEdit, 95)),
    analysisMs: round(analysisMs), analyzeTextMs: round(analyzeTextMs), lines: doc.lineCount, worst,
  };
}

async function hoverLatency(api: KeywayApi, rel: string, needle: string, n: number): Promise<{ p50: number; p95: number; allP50: number; allP95: number; cold: number }> {
  const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, rel);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  const pos = doc.positionAt(doc.getText().indexOf(needle) + 5);
  const hover = () => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos);
  const text = (h: vscode.Hover[]) => h.flatMap((x) => x.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('');
  let t = performance.now();
  // Cold: until the connection, the listing and the value are in.
  for (let i = 0; i < 100 && !/Parameter Store String[\s\S]*```/.test(text(await hover())); i++) await new Promise((r) => setTimeout(r, 100));
  const cold = performance.now() - t;
  // Keyway's hover: its provider, called as the workbench calls it.
  const own: number[] = [];
  const token = new vscode.CancellationTokenSource().token;
  for (let i = 0; i < n; i++) {
    t = performance.now();
    const h = await api.editor.hover.provideHover(doc, pos, token);
    own.push(performance.now() - t);
    if (!h || !/Parameter Store/.test(text([h]))) throw new Error('the warm hover lost its content');
  }
  // Every hover provider through the workbench (vscode.executeHoverProvider): adds the round trip through the
  // browser, and waits for the TypeScript extension's quick info from tsserver.
  const all: number[] = [];
  for (let i = 0; i < n; i++) {
    t = performance.now();
    const h = await hover();
    all.push(performance.now() - t);
    if (!/Parameter Store/.test(text(h))) throw new Error('the warm hover lost its content');
  }
  return { p50: round(pct(own, 50)), p95: round(pct(own, 95)), allP50: round(pct(all, 50)), allP95: round(pct(all, 95)), cold: round(cold) };
}

/**
 * analyzeText alone on a file's text, called back to back in this extension host after the workbench has been idle
 * for a while (median of 20, fixes deferred as on the typing path). Compared by the runner with the same call in
 * plain Node, it shows how much slower the host itself runs the same code.
 */
async function hostProbe(rel: string): Promise<number> {
  const file = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, rel).fsPath;
  const ext = vscode.extensions.getExtension('keyway.keyway')!;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const core = require(`${ext.extensionPath}/dist/core.js`) as typeof import('../../src/core/index');
  const text = fs.readFileSync(file, 'utf8');
  await new Promise((r) => setTimeout(r, 3000));
  for (let i = 0; i < 10; i++) core.analyzeText(file, text, { deferFixes: true });
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    core.analyzeText(file, text, { deferFixes: true });
    times.push(performance.now() - t);
  }
  return round(pct(times, 50));
}

export async function run(): Promise<void> {
  const out = process.env.KEYWAY_BENCH_RESULTS!;
  try {
    const ext = vscode.extensions.getExtension<KeywayApi>('keyway.keyway')!;
    const api = await ext.activate();
    const results: Record<string, unknown> = {};
    results.hover = await hoverLatency(api, 'src/lib/config.ts', '/my-frontend-app/production/table-name', 200);
    results.editRealistic = await editLatency(api, 'src/handlers/big-handler.ts', 60);
    results.editLambdaHeavy = await editLatency(api, 'src/handlers/many-handlers.ts', 30);
    results.hostProbeMs = await hostProbe('src/handlers/big-handler.ts');
    const t0 = performance.now();
    const summary = await vscode.commands.executeCommand<{ files: number; findings: number }>('keyway.scanWorkspace');
    results.scan = { ms: Math.round(performance.now() - t0), files: summary.files, findings: summary.findings };
    fs.writeFileSync(out, JSON.stringify(results, null, 2));
  } catch (e) {
    fs.writeFileSync(out, JSON.stringify({ error: String((e as Error).stack ?? e) }));
    throw e;
  }
}
