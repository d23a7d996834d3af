// Runs fuzz jobs off the main thread, so the test can stop a hung analysis (a synchronous infinite loop or
// catastrophic regex backtracking) with worker.terminate() and report the input instead of hanging.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeText, bracketImbalance, MAX_BRACKET_IMBALANCE } from '../../../src/core/analyzer';
import { documentKind, readDocument } from '../../../src/core/readers';
import { ts } from '../../../src/core/ts';
import type { ParseProblem } from '../../../src/core/types';
import { allRules } from '../../../src/core/rules';
import { scanPaths } from '../../../src/core/scan';
import { loadSeeds, mutate, mutationText, prng } from './fuzz-inputs';

export type FuzzJob =
  | { kind: 'mutations'; seed: number; count: number }
  | { kind: 'deep' }
  | { kind: 'scan'; seed: number; count: number };

export type FuzzMessage =
  | { type: 'start'; label: string; preview: string; length: number }
  | { type: 'end'; label: string; ms: number; findings: number; badPosition: boolean; silent?: boolean }
  | { type: 'threw'; label: string; stack: string }
  | { type: 'done'; stats: Record<string, number | string> };

const post = (m: FuzzMessage) => parentPort!.postMessage(m);

/** Whether the file cannot be parsed (strictly), judged apart from the engine: such a file must be reported. */
function unparseable(file: string, text: string): boolean {
  const kind = documentKind(file);
  if (!kind) return false;
  if (kind !== 'source') return readDocument(kind, text, file).errors.length > 0;
  if (bracketImbalance(text) > MAX_BRACKET_IMBALANCE) return true;
  try {
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
    return ((sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length ?? 0) > 0;
  } catch { return true; }
}

export const stats = { parseErrors: 0, silent: 0, maxRssMB: 0 };

function runOne(label: string, file: string, text: string, ruleErrors: Map<string, number>, checkSilence = true): number {
  post({ type: 'start', label, preview: JSON.stringify(text.slice(0, 300)), length: text.length });
  const t0 = performance.now();
  let found = 0;
  let badPosition = false;
  const problems: ParseProblem[] = [];
  try {
    const result = analyzeText(file, text, {
      onRuleError: (id) => ruleErrors.set(id, (ruleErrors.get(id) ?? 0) + 1),
      onParseError: (p) => problems.push(p),
    });
    found = result.length;
    badPosition = result.some((f) => f.range.start.line < 0 || f.range.start.character < 0);
  } catch (e) {
    post({ type: 'threw', label, stack: (e as Error)?.stack ?? String(e) });
  }
  const ms = performance.now() - t0;
  if (problems.length) stats.parseErrors++;
  // Never silent: a file the readers cannot parse must have been reported.
  const silent = checkSilence && !problems.length && unparseable(file, text);
  if (silent) stats.silent++;
  const rss = process.memoryUsage().rss / 1048576;
  if (rss > stats.maxRssMB) stats.maxRssMB = Math.round(rss);
  post({ type: 'end', label, ms, findings: found, badPosition, silent });
  return found;
}

function main(job: FuzzJob): void {
  const ruleErrors = new Map<string, number>();
  let findings = 0;
  if (job.kind === 'mutations') {
    const seeds = loadSeeds();
    const rand = prng(job.seed);
    for (let i = 0; i < job.count; i++) {
      const m = mutate(seeds, rand, i);
      findings += runOne(`#${i} ${m.name}`, `/fuzz/${i}/${m.name}`, mutationText(m), ruleErrors);
    }
    post({
      type: 'done',
      stats: {
        inputs: job.count, seeds: seeds.length, rules: allRules.length, findings, reportedUnparseable: stats.parseErrors,
        silent: stats.silent, maxRssMB: stats.maxRssMB, ruleErrors: [...ruleErrors].map(([k, v]) => `${k}=${v}`).join(', '),
      },
    });
  } else if (job.kind === 'deep') {
    const N = 10_000;
    const deep: [string, string][] = [
      ['deep.ts', '('.repeat(N) + '1' + ')'.repeat(N)],
      ['deep.js', 'a' + '.b'.repeat(N)],
      ['deep.tsx', '<a>'.repeat(N) + '</a>'.repeat(N)],
      ['deep.ts', 'function f(){'.repeat(N) + '}'.repeat(N)],
      ['deep.ts', 'const password = ' + '['.repeat(N) + '"Zx9!qLr7#vTp2@Wm"' + ']'.repeat(N)],
      ['deep.ts', 'x = 1 + '.repeat(N) + '1'],
      ['deep.ts', 'if (a) '.repeat(N) + 'f();'],
      ['deep.json', '['.repeat(N) + ']'.repeat(N)],
      ['deep.json', '{"a":'.repeat(N) + '1' + '}'.repeat(N)],
      ['deep.yml', Array.from({ length: 2_000 }, (_, k) => ' '.repeat(k) + 'k:').join('\n')],
      ['deep.yaml', '['.repeat(N) + ']'.repeat(N)],
      ['deep.yaml', '- '.repeat(N) + 'x'],
      ['deep.env', 'A=' + '$'.repeat(N)],
    ];
    deep.forEach(([name, text], i) => { findings += runOne(`deep #${i} ${name}`, name, text, ruleErrors, false); });
    post({ type: 'done', stats: { inputs: deep.length, findings } });
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-fuzz-'));
    try {
      const seeds = loadSeeds();
      const rand = prng(job.seed);
      for (let i = 0; i < job.count; i++) {
        const m = mutate(seeds, rand, i);
        const file = path.join(dir, `d${i % 7}`, `${i}-${m.name}`);
        fs.mkdirSync(path.dirname(file), { recursive: true }); // names such as .github/workflows/ci.yml
        fs.writeFileSync(file, m.bytes ?? Buffer.from(m.text!, 'utf8'));
      }
      fs.writeFileSync(path.join(dir, 'huge.ts'), Buffer.alloc(2 * 1024 * 1024, 0x61));
      fs.writeFileSync(path.join(dir, 'nul.ts'), Buffer.from([0x61, 0, 0x62]));
      fs.writeFileSync(path.join(dir, '.gitignore'), Buffer.from([0xff, 0xfe, 0, 0x2a, 0x5b]));
      fs.writeFileSync(path.join(dir, '.keywayrc.json'), '{"maxFileSize": 1048576}');
      post({ type: 'start', label: 'scanPaths', preview: dir, length: 0 });
      const t0 = performance.now();
      let r: ReturnType<typeof scanPaths> | undefined;
      try { r = scanPaths([dir]); } catch (e) { post({ type: 'threw', label: 'scanPaths', stack: (e as Error)?.stack ?? String(e) }); }
      post({ type: 'end', label: 'scanPaths', ms: performance.now() - t0, findings: r?.findings.length ?? 0, badPosition: false });
      const skipped = Object.fromEntries((r?.filesSkipped ?? []).map((s) => [s.reason, s.count]));
      const read = Object.fromEntries((r?.filesRead ?? []).map((s) => [s.kind, s.count]));
      post({ type: 'done', stats: { filesScanned: r?.filesScanned ?? -1, oversized: read['oversized'] ?? 0, binary: skipped['binary'] ?? 0 } });
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  }
}

main(workerData as FuzzJob);
