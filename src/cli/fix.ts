// `keyway scan --fix`: for each file with fixable findings, core's planner (fixText) composes every preferred
// fix, checks each pass (parse, no name declared twice, the fixed findings gone), then every changed file is
// type-checked at once against its project (FixVerifier: diagnostics before vs after, per file). A file that
// fails is left as it was and its fixes are reported failed with the reason; the others are written back in
// their encoding. What remains is counted by a fresh scan (main.ts), so the summary matches `keyway scan`.
import type * as Core from '../core/index';
import type { AnalyzeOptions, Finding, Rule, RuleId } from '../core/types';

type CoreModule = typeof Core;

export interface FixedItem { file: string; ruleId: RuleId; line: number; message: string }
export interface FailedItem extends FixedItem { reason: string }

export interface FixSummary {
  fixed: FixedItem[];
  failed: FailedItem[];
  filesFixed: number;
  filesFailed: number;
}

export interface FixOutcome {
  summary: FixSummary;
  errors: { path: string; message: string }[];
}

interface Pending { file: string; original: string; encoding: Core.Encoding; first: Finding[]; result: Core.FixTextResult }

export async function fixFiles(
  core: CoreModule,
  findings: readonly Finding[],
  options: AnalyzeOptions & { rules?: readonly Rule[]; maxFileSize: number },
  /** The type-checker (dist/typecheck.js), loaded only when some file changed. */
  loadTypeChecker: () => Promise<Core.FixTypeChecker> = async () => new (await import('../core/fixes/typecheck')).FixVerifier(),
): Promise<FixOutcome> {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f); else byFile.set(f.file, [f]);
  }
  const errors: FixOutcome['errors'] = [];
  const summary: FixSummary = { fixed: [], failed: [], filesFixed: 0, filesFailed: 0 };
  const pending: Pending[] = [];
  for (const [file, initial] of byFile) {
    if (!initial.some((f) => f.fixes.some((x) => x.isPreferred))) continue;
    try {
      const read = core.readForAnalysis(file, options.maxFileSize);
      if (!read.ok) { errors.push({ path: file, message: `cannot fix: file is ${read.reason}` }); continue; }
      const result = core.fixText(file, read.text, options, initial);
      pending.push({ file, original: read.text, encoding: read.encoding, first: initial, result });
    } catch (e) {
      errors.push({ path: file, message: `cannot fix: ${(e as Error).message}` });
    }
  }
  // Type-check every changed file at once (one program per tsconfig.json, before and after).
  const changed = pending.filter((p) => p.result.text !== p.original);
  let failures = new Map<string, string>();
  if (changed.length) {
    try {
      const verifier = await loadTypeChecker();
      failures = verifier.verify(changed.map((p) => ({ path: p.file, before: p.original, after: p.result.text })));
      for (const note of verifier.notes) errors.push({ path: note.split(':')[0], message: note.slice(note.indexOf(':') + 2) });
    } catch (e) {
      for (const p of changed) failures.set(p.file, `it could not be type-checked (${(e as Error).message.split('\n')[0]})`);
    }
  }
  for (const p of pending) {
    const reason = failures.get(p.file);
    const r = reason ? core.rolledBack(p.original, p.first, p.result.remaining, p.result.failed, reason, p.result.applied, p.result.passes) : p.result;
    if (r.text !== p.original) {
      try {
        // Never through a symbolic link (the scanner's guard in core/scan/files.ts).
        core.writeFileNoFollow(p.file, core.encodeText(r.text, p.encoding));
        summary.filesFixed++;
        for (const x of r.fixed) summary.fixed.push({ file: p.file, ...x });
      } catch (e) {
        const message = `cannot write the fixed file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
        for (const x of r.fixed) summary.failed.push({ file: p.file, ...x, reason: message });
        summary.filesFailed++;
        continue;
      }
    }
    if (r.failed.length) summary.filesFailed++;
    for (const x of r.failed) summary.failed.push({ file: p.file, ...x });
  }
  return { summary, errors };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The first clause of a finding's message (what and where, without the advice), for one line of the fix summary. */
export function shortMessage(message: string): string {
  const one = message.replace(/\s+/g, ' ').trim();
  const cut = one.search(/: |\. /);
  const head = cut > 0 ? one.slice(0, cut) : one.replace(/\.$/, '');
  return head.length > 140 ? `${head.slice(0, 139)}…` : head;
}

/** How many problems a fresh scan after writing found, and their severities ("1 error, 2 warnings"). */
export interface Remaining { total: number; detail: string }

/**
 * The lines of the text report that say what --fix did, in place of the scan's own summary line: each problem
 * fixed (file:line in the file as it was), each that could not be fixed with the reason, and what remains,
 * counted by a fresh scan after the fixed files were written.
 */
export function fixSummaryLines(s: FixSummary, remaining: Remaining, display: (file: string) => string): string[] {
  const lines: string[] = [];
  const byRule = (items: FixedItem[]) => {
    const counts = new Map<string, number>();
    for (const i of items) counts.set(i.ruleId, (counts.get(i.ruleId) ?? 0) + 1);
    return [...counts].map(([r, n]) => `${r} ${n}`).join(', ');
  };
  const at = (f: FixedItem) => `${display(f.file)}:${f.line}`;
  const width = Math.max(0, ...[...s.fixed, ...s.failed].map((f) => at(f).length));
  if (s.fixed.length) {
    lines.push(`Fixed ${plural(s.fixed.length, 'problem')} in ${plural(s.filesFixed, 'file')} (${byRule(s.fixed)}):`);
    for (const f of s.fixed) lines.push(`  ${at(f).padEnd(width)}  ${f.ruleId}  ${shortMessage(f.message)}`);
  } else if (!s.failed.length) {
    lines.push(remaining.total ? `Nothing was fixed: no problem found has a fix Keyway applies automatically.` : 'Nothing to fix.');
  }
  if (s.failed.length) {
    lines.push(`Could not fix ${plural(s.failed.length, 'problem')} in ${plural(s.filesFailed, 'file')} (that code is unchanged):`);
    for (const f of s.failed) lines.push(`  ${at(f).padEnd(width)}  ${f.ruleId}: ${f.reason}`);
  }
  const fresh = s.filesFixed ? ', counted by a fresh scan after fixing' : '';
  lines.push(remaining.total
    ? `✖ ${plural(remaining.total, 'problem')} remain${remaining.total === 1 ? 's' : ''} (${remaining.detail})${fresh}.`
    : `✔ No problems remain${fresh ? ` (${fresh.slice(2)})` : ''}.`);
  return lines;
}
