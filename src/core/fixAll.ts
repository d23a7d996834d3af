// "Fix all": apply every finding's preferred fix that does not overlap another, re-analyse, repeat
// (at most MAX_PASSES rounds, like ESLint). Shared by `keyway scan --fix` and the editor's
// `source.fixAll.keyway`, so both produce the same text.
import { analyzeText } from './analyzer';
import { applyEdits } from './fixes/apply';
import { lineStarts, offsetAt } from './text';
import type { AnalyzeOptions, Finding, Fix, Rule } from './types';

export const MAX_FIX_PASSES = 10;

interface Span { s: number; e: number }

function overlaps(a: Span, b: Span): boolean {
  if (a.s === a.e && b.s === b.e) return a.s === b.s; // two insertions at one point: order would be ambiguous
  if (a.s === a.e) return a.s > b.s && a.s < b.e;
  if (b.s === b.e) return b.s > a.s && b.s < a.e;
  return a.s < b.e && b.s < a.e;
}

/** The preferred fixes of `findings` that overlap neither each other nor themselves, in document order. */
export function selectFixes(text: string, findings: readonly Finding[]): Fix[] {
  const starts = lineStarts(text);
  const offsetOf = (p: Fix['edits'][number]['range']['start']) => Math.min(text.length, offsetAt(starts, p));
  const chosen: Fix[] = [];
  const taken: Span[] = [];
  for (const f of findings) {
    const fix = f.fixes.find((x) => x.isPreferred);
    if (!fix || !fix.edits.length) continue;
    const spans = fix.edits.map((e) => ({ s: offsetOf(e.range.start), e: offsetOf(e.range.end) }));
    if (spans.some((sp) => sp.e < sp.s)) continue;
    if (spans.some((a, i) => spans.some((b, j) => i < j && overlaps(a, b)))) continue;
    if (spans.some((sp) => taken.some((t) => overlaps(sp, t)))) continue;
    chosen.push(fix);
    taken.push(...spans);
  }
  return chosen;
}

export interface FixTextResult {
  text: string;
  /** Fixes applied over all passes. */
  applied: number;
  passes: number;
  /** Findings left in the fixed text. */
  remaining: Finding[];
}

/** Fix one file's text. Never throws: a pass whose edits cannot be applied ends the loop. */
export function fixText(path: string, text: string, options: AnalyzeOptions & { rules?: readonly Rule[] } = {}, initial?: Finding[]): FixTextResult {
  let current = initial ?? analyzeText(path, text, options);
  let applied = 0;
  let passes = 0;
  for (; passes < MAX_FIX_PASSES; passes++) {
    const fixes = selectFixes(text, current);
    if (!fixes.length) break;
    let next: string;
    try {
      next = applyEdits(text, fixes.flatMap((f) => f.edits));
    } catch {
      break;
    }
    if (next === text) break;
    text = next;
    applied += fixes.length;
    current = analyzeText(path, text, options);
  }
  return { text, applied, passes, remaining: current };
}
