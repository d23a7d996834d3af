// Shared plumbing of the Lambda rules: the Lambda model of a file (src/core/lambda), built once per analysis after the
// engine's walk and kept in the analysis' scratch space, and small helpers for messages, ranges and fixes.
import { type ts, tsv } from '../../ts';
import { SCAN_KINDS, getLambdaModel, isFunctionNode, type ClientNew, type FetchCall, type LambdaModel } from '../../lambda/model';
import { RELATIVE_IMPORT, isRelevantText } from '../../lambda/sdk';
import { forEachChild, walkTree } from '../../lambda/syntax';
import { isTestCode } from '../../lambda/tests';
import { iacHandlerExports } from '../../iam/handlers';
import type { Fix, Range, Rule, SourceContext, SourceVisitor } from '../../types';

const MODEL = Symbol('lambda-model');
const NODES = Symbol('lambda-nodes');

/**
 * The first Lambda rule to run on a file with SDK code collects, during the engine's walk, the nodes the model's
 * scan looks at (so the model does not walk the tree again).
 */
function collector(ctx: SourceContext): SourceVisitor | undefined {
  if (ctx.shared.has(NODES)) return undefined;
  if (!isRelevantText(ctx.text) || isTestCode(ctx.path, ctx.project, ctx.config)) { ctx.shared.set(NODES, undefined); return undefined; }
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
  // Test code is not a handler (issue 13 §2): no Lambda rule runs there.
  const lm = !isTestCode(ctx.path, ctx.project, ctx.config) && (isRelevantText(ctx.text) || RELATIVE_IMPORT.test(ctx.text))
    ? getLambdaModel({ ...ctx, handlerNames: () => iacHandlerExports(ctx.path, ctx.project) }, ctx.shared.get(NODES) as ts.Node[] | undefined)
    : null;
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

/**
 * Clients built per invocation that serve nothing but uncached reads in the same function: `await new SSMClient({}).send(…)`
 * or `const ssm = new SSMClient({}); … ssm.send(…)` with no other use of `ssm`. Such a client is reported with its reads
 * (one finding, whose cached-loader fix moves the client too), not on its own.
 */
export function clientsUsedOnlyBy(lm: LambdaModel): Map<ClientNew, FetchCall[]> {
  // asked by uncached-fetch and client-in-handler: computed once per model
  let out = usedOnlyBy.get(lm);
  if (!out) usedOnlyBy.set(lm, out = computeUsedOnlyBy(lm));
  return out;
}

const usedOnlyBy = new WeakMap<LambdaModel, Map<ClientNew, FetchCall[]>>();

function computeUsedOnlyBy(lm: LambdaModel): Map<ClientNew, FetchCall[]> {
  const out = new Map<ClientNew, FetchCall[]>();
  if (!lm.reach.clients.size || !lm.reach.fetches.size) return out;
  const byReceiver = new Map<ts.Node, FetchCall>();
  for (const f of lm.reach.fetches.keys()) if (f.receiver) byReceiver.set(unwrapNode(f.receiver), f);
  for (const c of lm.reach.clients.keys()) {
    if (c.kind !== 'client') continue;
    const inline = byReceiver.get(c.node);
    if (inline) { out.set(c, [inline]); continue; }
    const d = c.node.parent;
    if (!tsv.isVariableDeclaration(d) || d.initializer !== c.node || !tsv.isIdentifier(d.name)) continue;
    const fn = enclosingFn(d);
    if (!fn) continue;
    const uses = identifierUses(fn, d.name.text, d.name);
    const fetches = uses.map((u) => byReceiver.get(u));
    if (uses.length && fetches.every((f) => f !== undefined)) out.set(c, [...new Set(fetches as FetchCall[])]);
  }
  return out;
}

function unwrapNode(n: ts.Node): ts.Node {
  while (tsv.isParenthesizedExpression(n) || tsv.isAsExpression(n) || tsv.isNonNullExpression(n)) n = n.expression;
  return n;
}

function enclosingFn(n: ts.Node): ts.Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (isFunctionNode(p)) return p;
  return undefined;
}

/** Identifiers named `name` in `fn` other than `decl` (property names excluded). */
function identifierUses(fn: ts.Node, name: string, decl: ts.Node): ts.Node[] {
  const out: ts.Node[] = [];
  const use = (n: ts.Identifier): void => {
    if (n.text !== name || n === decl) return;
    const p = n.parent;
    if ((tsv.isPropertyAccessExpression(p) && p.name === n) || (tsv.isPropertyAssignment(p) && p.name === n)) return;
    out.push(tsv.isShorthandPropertyAssignment(p) ? p : n);
  };
  const sf = fn.getSourceFile();
  const text = sf.text;
  if (!name || hasEscapeIn(sf, fn.pos, fn.end)) {
    // an identifier may be written with escapes (`\u0073sm`): look at every node
    walkTree(fn, (n) => {
      if (!tsv.isIdentifier(n)) return true;
      use(n);
      return false;
    });
    return out;
  }
  // Where the name is written in the function's text (in source order), the identifier that ends there, if any.
  for (let i = text.indexOf(name, fn.pos); i >= 0 && i + name.length <= fn.end; i = text.indexOf(name, i + 1)) {
    const n = identifierEndingAt(fn, i, i + name.length);
    if (n) use(n);
  }
  return out;
}

/** Offsets of backslash-u in a file's text (identifier escapes can only be there), once per tree. */
const escapesOf = new WeakMap<ts.SourceFile, number[]>();

function hasEscapeIn(sf: ts.SourceFile, start: number, end: number): boolean {
  let at = escapesOf.get(sf);
  if (!at) {
    at = [];
    for (let i = sf.text.indexOf('\\u'); i >= 0; i = sf.text.indexOf('\\u', i + 1)) at.push(i);
    escapesOf.set(sf, at);
  }
  let lo = 0;
  let hi = at.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (at[mid] < start) lo = mid + 1; else hi = mid; }
  return lo < at.length && at[lo] < end;
}

/** The identifier of `root`'s subtree written exactly over [start, end), found by descending the children that hold it. */
function identifierEndingAt(root: ts.Node, start: number, end: number): ts.Identifier | undefined {
  let n: ts.Node | undefined = root;
  const into = (c: ts.Node): true | undefined => (c.pos <= start && end <= c.end ? ((n = c), true) : undefined);
  for (;;) {
    if (tsv.isIdentifier(n)) return n.end === end ? n : undefined;
    const before: ts.Node = n;
    if (!forEachChild(before, into) || n === before) return undefined;
  }
}

/** The handler whose export statement holds `n` (`export const handler = middy(fn).use(ssm(…))`). */
export function handlerOfStatement(lm: LambdaModel, n: ts.Node): string | undefined {
  let top: ts.Node = n;
  while (top.parent && !tsv.isSourceFile(top.parent)) top = top.parent;
  return lm.reach.handlers.find((h) => h.exportNode === top)?.name;
}
