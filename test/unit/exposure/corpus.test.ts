// Precision and recall of secret-exposed on its labeled corpus (test/fixtures/exposure/corpus): every line marked
// `// EXPOSED` must be covered by one finding; any other finding is a false positive.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../../../src/core/analyzer';
import { allRules } from '../../../src/core/rules';
import type { Finding, ProjectContext } from '../../../src/core/types';
import { fixturesDir } from '../../support/paths';

const ROOT = path.join(fixturesDir, 'exposure', 'corpus');
const SOURCE = /\.(?:[cm]?[jt]sx?)$/;

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (SOURCE.test(e.name)) out.push(p);
  }
  return out.sort();
}

const project: ProjectContext = {
  readFile: (p) => { try { return fs.readFileSync(p, 'utf8'); } catch { return undefined; } },
  dependenciesOf: () => new Set(),
};

export interface CorpusScore { tp: number; fp: number; fn: number; files: number; marked: number; falsePositives: string[]; missed: string[] }

/** Run the rule over the corpus and match its findings to the markers. */
export function scoreCorpus(): CorpusScore {
  const files = walk(ROOT);
  const score: CorpusScore = { tp: 0, fp: 0, fn: 0, files: files.length, marked: 0, falsePositives: [], missed: [] };
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const marked = new Set<number>();
    text.split('\n').forEach((l, i) => { if (/\/\/ EXPOSED\b/.test(l)) marked.add(i); });
    score.marked += marked.size;
    const errors: string[] = [];
    const findings: Finding[] = analyzeText(file, text, { rules: allRules, project, onRuleError: (id, e) => errors.push(`${id}: ${(e as Error).stack}`) })
      .filter((f) => f.ruleId === 'secret-exposed');
    assert.deepEqual(errors, [], `rule errors in ${file}`);
    const rel = path.relative(ROOT, file);
    const matched = new Set<number>();
    for (const f of findings) {
      const hit = [...marked].find((l) => !matched.has(l) && f.range.start.line <= l && l <= f.range.end.line);
      if (hit !== undefined) { matched.add(hit); score.tp++; } else { score.fp++; score.falsePositives.push(`${rel}:${f.range.start.line + 1} ${f.message}`); }
    }
    for (const l of marked) if (!matched.has(l)) { score.fn++; score.missed.push(`${rel}:${l + 1}`); }
  }
  return score;
}

describe('secret-exposed: labeled corpus', () => {
  it('precision ≥ 0.95 and recall ≥ 0.90', function () {
    this.timeout(60000);
    const s = scoreCorpus();
    const precision = s.tp / Math.max(1, s.tp + s.fp);
    const recall = s.tp / Math.max(1, s.tp + s.fn);
    const detail = `${s.files} files, ${s.marked} marked: tp ${s.tp}, fp ${s.fp}, fn ${s.fn}; precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`
      + (s.falsePositives.length ? `\nfalse positives:\n  ${s.falsePositives.join('\n  ')}` : '')
      + (s.missed.length ? `\nmissed:\n  ${s.missed.join('\n  ')}` : '');
    console.log(`      ${detail.split('\n')[0]}`);
    assert.ok(s.marked >= 40, `the corpus must stay substantial (${s.marked} marked)`);
    assert.ok(precision >= 0.95, `precision below 0.95 — ${detail}`);
    assert.ok(recall >= 0.9, `recall below 0.90 — ${detail}`);
  });
});
