// Runs fuzz jobs off the main thread, so the test can stop a hung analysis (a synchronous infinite loop or
// catastrophic regex backtracking) with worker.terminate() and report the input instead of hanging.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeText } from '../../../src/core/analyzer';
import { allRules } from '../../../src/core/rules';
import { scanPaths } from '../../../src/core/scan';
import { loadSeeds, mutate, mutationText, prng } from './fuzz-inputs';

export type FuzzJob =
  | { kind: 'mutations'; seed: number; count: number }
  | { kind: 'deep' }
  | { kind: 'scan'; seed: number; count: number };

export type FuzzMessage =
  | { type: 'start'; label: string; preview: string; length: number }
  | { type: 'end'; label: string; ms: number; findings: number; badPosition: boolean }
  | { type: 'threw'; label: string; stack: string }
  | { type: 'done'; stats: Record<string, number | string> };

const post = (m: FuzzMessage) => parentPort!.postMessage(m);

function runOne(label: string, file: string, text: string, ruleErrors: Map<string, number>): number {
  post({ type: 'start', label, preview: JSON.stringify(text.slice(0, 300)), length: text.length });
  const t0 = performance.now();
  let found = 0;
  let badPosition = false;
  try {
    const result = analyzeText(file, text, { onRuleError: (id) => ruleErrors.set(id, (ruleErrors.get(id) ?? 0) + 1) });
    found = result.length;
    badPosition = result.some((f) => f.range.start.line < 0 || f.range.start.character < 0);
  } catch (e) {
    post({ type: 'threw', label, stack: (e as Error)?.stack ?? String(e) });
  }
  post({ type: 'end', label, ms: performance.now() - t0, findings: found, badPosition });
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
    post({ type: 'done', stats: { inputs: job.count, seeds: seeds.length, rules: allRules.length, findings, ruleErrors: [...ruleErrors].map(([k, v]) => `${k}=${v}`).join(', ') } });
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
    deep.forEach(([name, text], i) => { findings += runOne(`deep #${i} ${name}`, name, text, ruleErrors); });
    post({ type: 'done', stats: { inputs: deep.length, findings } });
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-fuzz-'));
    try {
      const seeds = loadSeeds();
      const rand = prng(job.seed);
      for (let i = 0; i < job.count; i++) {
        const m = mutate(seeds, rand, i);
        const sub = path.join(dir, `d${i % 7}`);
        fs.mkdirSync(sub, { recursive: true });
        fs.writeFileSync(path.join(sub, `${i}-${m.name}`), m.bytes ?? Buffer.from(m.text!, 'utf8'));
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
