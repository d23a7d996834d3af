// Shared plumbing of the Lambda rules: the Lambda model of a file (src/core/lambda), built once per analysis after the
// engine's walk and kept in the analysis' scratch space, and small helpers for messages, ranges and fixes.
import type { ts } from '../../ts';
import { SCAN_KINDS, getLambdaModel, type FetchCall, type LambdaModel } from '../../lambda/model';
import { RELATIVE_IMPORT, isRelevantText } from '../../lambda/sdk';
import type { Fix, Range, Rule, SourceContext, SourceVisitor } from '../../types';

const MODEL = Symbol('lambda-model');
const NODES = Symbol('lambda-nodes');

/**
 * The first Lambda rule to run on a file with SDK code collects, during the engine's walk, the nodes the model's
 * scan looks at (so the model does not walk the tree again).
 */
function collector(ctx: SourceContext): SourceVisitor | undefined {
  if (ctx.shared.has(NODES)) return undefined;
  if (!isRelevantText(ctx.text)) { ctx.shared.set(NODES, undefined); return undefined; }
  const list: ts.Node[] = [];
  ctx.shared.set(NODES, list);
  return { kinds: SCAN_KINDS, visit: (n) => { list.push(n); } };
}

/** The Lambda model needs the whole tree with parent pointers: build it (and report) once the shared walk is done. */
export function afterWalk(check: (ctx: SourceContext) => void): NonNullable<Rule['source']> {
  return (ctx) => ({ ...collector(ctx), finish: () => check(ctx) });
}

/** The shared Lambda model, or undefined for the vast majority of files (no SDK code, no handler calling relative code). */
export function model(ctx: SourceContext): LambdaModel | undefined {
  const hit = ctx.shared.get(MODEL) as LambdaModel | null | undefined;
  if (hit !== undefined) return hit ?? undefined;
  const lm = isRelevantText(ctx.text) || RELATIVE_IMPORT.test(ctx.text)
    ? getLambdaModel(ctx, ctx.shared.get(NODES) as ts.Node[] | undefined) : null;
  ctx.shared.set(MODEL, lm);
  return lm ?? undefined;
}

export function range(ctx: SourceContext, n: ts.Node): Range {
  return { start: ctx.positionAt(n.getStart(ctx.sourceFile)), end: ctx.positionAt(n.end) };
}

export function describe(f: { op: string; names: string[] }): string {
  if (!f.names.length) return f.op;
  const shown = f.names.slice(0, 3).map((n) => `"${n}"`).join(', ');
  return `${f.op} of ${shown}${f.names.length > 3 ? ', …' : ''}`;
}

export function safeFix(make: () => Fix | undefined): Fix[] {
  try {
    const f = make();
    return f ? [f] : [];
  } catch {
    return [];
  }
}

export const fetchData = (f: FetchCall, extra: Record<string, string | number | boolean | string[]> = {}) => ({
  operation: f.op, service: f.service, api: f.style, names: f.names, ...extra,
});
