// "Fix all": one planner for every fix of a file, shared by `keyway scan --fix` and the editor's
// `source.fixAll.keyway`, so both produce the same text. Each pass composes the preferred fixes of every finding
// (fixes/plan.ts: shared clients, helpers and imports written once, names allocated once), applies them, and
// checks the result before going on: it must parse no worse and declare no name twice, and every finding a fix
// was applied for must be gone when the text is analysed again. A fix that fails is left out (reported with its
// reason) and the pass is planned again without it. A verifier (type-check against the project) may then reject
// the whole file, which is rolled back.
import { analyzeText } from './analyzer';
import { applyEdits } from './fixes/apply';
import { composePlans, editsPlan, planOf, type FixPlan } from './fixes/plan';
import { detectStyle } from './fixes/style';
import { parseSource, quickCheck, type FixTypeChecker } from './fixes/verify';
import { lineStarts, offsetAt } from './text';
import type { AnalyzeOptions, Finding, Fix, Rule, RuleId } from './types';

export const MAX_FIX_PASSES = 10;

interface Span { s: number; e: number }

function overlaps(a: Span, b: Span): boolean {
  if (a.s === a.e && b.s === b.e) return a.s === b.s; // two insertions at one point: order would be ambiguous
  if (a.s === a.e) return a.s > b.s && a.s < b.e;
  if (b.s === b.e) return b.s > a.s && b.s < a.e;
  return a.s < b.e && b.s < a.e;
}

/** The preferred fixes of `findings` that overlap neither each other nor themselves, in document order (edits as given). */
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

/** A finding, as reported in a fix summary (1-based line in the text it was found in). */
export interface FindingRef { ruleId: RuleId; message: string; line: number }
export interface FailedFix extends FindingRef { reason: string }

export interface FixTextResult {
  text: string;
  /** Fixes applied over all passes (a fix shared by several findings counts once). */
  applied: number;
  passes: number;
  /** Findings left in the fixed text. */
  remaining: Finding[];
  /** Findings of the input that the output no longer has. */
  fixed: FindingRef[];
  /** Fixes that were not applied (or were rolled back), with the reason. */
  failed: FailedFix[];
  /** The fixes applied, in order: their titles and the rules of the findings each fixed. */
  appliedFixes: { title: string; ruleIds: RuleId[] }[];
}

export interface FixTextOptions extends AnalyzeOptions {
  rules?: readonly Rule[];
  /** Type-checks the result against the project; a failure rolls the whole file back. */
  verifier?: FixTypeChecker;
}

/** Fix order within a pass: a loader first (it moves the clients and decrypts), then hoists, then the smaller fixes. */
const PRIORITY: Partial<Record<RuleId, number>> = { 'uncached-fetch': 0, 'client-in-handler': 1, 'missing-decryption': 2, 'sequential-fetch': 3 };

const keyOf = (f: Finding) => `${f.ruleId}\u0000${f.message}`;

function counts(findings: readonly Finding[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of findings) out.set(keyOf(f), (out.get(keyOf(f)) ?? 0) + 1);
  return out;
}

const refOf = (f: Finding): FindingRef => ({ ruleId: f.ruleId, message: f.message, line: f.range.start.line + 1 });

interface Planned { plan: FixPlan; findings: Finding[] }

/** One plan per distinct preferred fix (a fix linked to several findings is planned once), in priority order. */
function plansOf(path: string, text: string, findings: readonly Finding[], excluded: Set<string>): Planned[] {
  const byFix = new Map<Fix, Planned>();
  let style: ReturnType<typeof detectStyle> | undefined;
  let starts: number[] | undefined;
  for (const f of findings) {
    const fix = f.fixes.find((x) => x.isPreferred);
    if (!fix || !fix.edits.length || excluded.has(keyOf(f))) continue;
    const hit = byFix.get(fix);
    if (hit) { hit.findings.push(f); continue; }
    const plan = planOf(fix) ?? editsPlan(text, fix, style ??= detectStyle(parseSource(path, text), path), starts ??= lineStarts(text));
    byFix.set(fix, { plan, findings: [f] });
  }
  // A fix linked to findings it does not cover (the function's loader, offered on a fetch it leaves) fixes only those it covers.
  for (const p of byFix.values()) {
    const targets = p.plan.targets;
    if (!targets || p.findings.length < 2) continue;
    starts ??= lineStarts(text);
    const covered = p.findings.filter((f) => {
      const at = offsetAt(starts!, f.range.start);
      return targets.some((t) => t.start <= at && at < t.end);
    });
    if (covered.length) p.findings = covered;
  }
  const prio = (p: Planned) => Math.min(...p.findings.map((f) => PRIORITY[f.ruleId] ?? 9));
  return [...byFix.values()].sort((a, b) => prio(a) - prio(b)
    || a.findings[0].range.start.line - b.findings[0].range.start.line || a.findings[0].range.start.character - b.findings[0].range.start.character);
}

/** Why the fixes of `applied` did not remove their findings from `next`, by finding key. */
function unresolved(applied: Planned[], now: readonly Finding[], next: readonly Finding[]): Map<Planned, string> {
  const before = counts(now);
  const after = counts(next);
  const fixedHere = new Map<string, number>();
  for (const p of applied) for (const f of p.findings) fixedHere.set(keyOf(f), (fixedHere.get(keyOf(f)) ?? 0) + 1);
  const bad = new Map<Planned, string>();
  for (const p of applied) {
    for (const f of p.findings) {
      const k = keyOf(f);
      if ((after.get(k) ?? 0) > (before.get(k) ?? 0) - (fixedHere.get(k) ?? 0)) {
        bad.set(p, `the ${f.ruleId} finding is still there after the fix`);
        break;
      }
    }
  }
  return bad;
}

/** Fix one file's text. Never throws. */
export function fixText(path: string, text: string, options: FixTextOptions = {}, initial?: Finding[]): FixTextResult {
  const analyze = (t: string) => analyzeText(path, t, options);
  const original = text;
  const first = initial ?? analyze(text);
  let current = first;
  let applied = 0;
  let passes = 0;
  const failed: FailedFix[] = [];
  const appliedFixes: FixTextResult['appliedFixes'] = [];
  const excluded = new Set<string>();
  const fail = (p: Planned, reason: string) => {
    for (const f of p.findings) { failed.push({ ...refOf(f), reason }); excluded.add(keyOf(f)); }
  };
  for (; passes < MAX_FIX_PASSES; passes++) {
    let planned = plansOf(path, text, current, excluded);
    let next: string | undefined;
    let nextFindings: Finding[] | undefined;
    let appliedHere: Planned[] = [];
    // Plan, apply, check; a fix that fails its check is dropped and the pass planned again without it.
    for (let attempt = 0; planned.length && attempt < 8; attempt++) {
      const sf = parseSource(path, text);
      let composition;
      try {
        composition = composePlans(text, sf, planned.map((p) => p.plan));
      } catch (e) {
        for (const p of planned) fail(p, `the fix could not be planned: ${(e as Error).message}`);
        break;
      }
      appliedHere = planned.filter((p) => composition.applied.includes(p.plan));
      if (!appliedHere.length) break;
      let candidate: string;
      try {
        candidate = applyEdits(text, composition.edits);
      } catch (e) {
        for (const p of appliedHere) fail(p, `its edits overlap: ${(e as Error).message}`);
        break;
      }
      const broken = quickCheck(path, text, candidate);
      if (broken) {
        if (appliedHere.length === 1) { fail(appliedHere[0], broken); planned = planned.filter((p) => p !== appliedHere[0]); continue; }
        // Find the culprit: each fix of the pass alone.
        const culprits = appliedHere.filter((p) => {
          const alone = composePlans(text, sf, [p.plan]);
          try { return !!quickCheck(path, text, applyEdits(text, alone.edits)); } catch { return true; }
        });
        const blame = culprits.length ? culprits : appliedHere;
        for (const p of blame) fail(p, broken);
        planned = planned.filter((p) => !blame.includes(p));
        continue;
      }
      const after = analyze(candidate);
      const bad = unresolved(appliedHere, current, after);
      if (bad.size) {
        for (const [p, reason] of bad) fail(p, reason);
        planned = planned.filter((p) => !bad.has(p));
        continue;
      }
      next = candidate;
      nextFindings = after;
      break;
    }
    if (next === undefined || next === text) break;
    text = next;
    current = nextFindings!;
    applied += appliedHere.length;
    for (const p of appliedHere) appliedFixes.push({ title: p.plan.title, ruleIds: [...new Set(p.findings.map((f) => f.ruleId))] });
  }
  if (options.verifier && text !== original) {
    const reason = options.verifier.verify([{ path, before: original, after: text }]).get(path);
    if (reason) return rolledBack(original, first, current, failed, reason, applied, passes);
  }
  return { text, applied, passes, remaining: current, fixed: gone(first, current), failed, appliedFixes };
}

/** The result when a file's fixes are rejected as a whole: the input, with every fix that was applied reported failed. */
export function rolledBack(original: string, first: Finding[], fixedFindings: readonly Finding[], failed: FailedFix[], reason: string,
  applied: number, passes: number): FixTextResult {
  const out = [...failed];
  for (const r of gone(first, fixedFindings)) out.push({ ...r, reason: `${reason}; the file was left as it was` });
  if (out.length === failed.length && applied) out.push({ ruleId: first[0]?.ruleId ?? 'uncached-fetch', message: 'the fixes of this file', line: 1, reason });
  return { text: original, applied: 0, passes, remaining: first, fixed: [], failed: out, appliedFixes: [] };
}

/** The findings of `before` that `after` no longer has (by rule and message, as many times as they occur). */
function gone(before: readonly Finding[], after: readonly Finding[]): FindingRef[] {
  const left = counts(after);
  const out: FindingRef[] = [];
  for (const f of before) {
    const n = left.get(keyOf(f)) ?? 0;
    if (n > 0) left.set(keyOf(f), n - 1); else out.push(refOf(f));
  }
  return out;
}

/**
 * Check one quick fix before it is offered: applied alone to `text`, it must parse no worse, declare no name
 * twice, and remove `finding`. Returns the reason it fails, or undefined.
 */
export function checkFix(path: string, text: string, finding: Finding, fix: Fix, options: AnalyzeOptions & { rules?: readonly Rule[] } = {},
  findings?: readonly Finding[]): string | undefined {
  let after: string;
  try {
    after = applyEdits(text, fix.edits);
  } catch (e) {
    return `its edits overlap: ${(e as Error).message}`;
  }
  const broken = quickCheck(path, text, after);
  if (broken) return broken;
  const left = analyzeText(path, after, options).filter((f) => keyOf(f) === keyOf(finding)).length;
  const had = counts(findings ?? analyzeText(path, text, { ...options, deferFixes: true })).get(keyOf(finding)) ?? 1;
  if (left >= had) return `the ${finding.ruleId} finding would still be there after the fix`;
  return undefined;
}
