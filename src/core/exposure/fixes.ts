// The two fixes of secret-exposed: put a masked form (the first 4 characters, then `…`) where the secret was, or take
// the value out of the log call or response. Both edit only the expressions that carry the secret.
import { type ts, tsv } from '../ts';
import type { Fix, SourceContext, TextEdit } from '../types';
import { deleteStatement, editReplace } from '../fixes/common';
import type { Exposure } from './exposures';
import { splitWords } from '../secrets/names';
import type { Flow } from './flow';
import { hasSource, isParam, type Taint } from './taint';

const SK = tsv.SyntaxKind;

/** The masked form of an expression: `${String(x).slice(0, 4)}…` (a template literal). */
export function maskedText(expr: string): string {
  return `\`\${String(${expr}).slice(0, 4)}…\``;
}

/** A leaf: the smallest syntax that carries the secret inside a sink value. */
type Leaf = ts.Expression | ts.ShorthandPropertyAssignment | ts.SpreadAssignment;

function unwrapParens(e: ts.Expression): ts.Expression {
  while (e.kind === SK.ParenthesizedExpression || e.kind === SK.AsExpression || e.kind === SK.NonNullExpression) e = (e as ts.ParenthesizedExpression).expression;
  return e;
}

const STRINGIFIERS = /^(?:JSON\.stringify|String|util\.format|util\.inspect|format|inspect)$/;

/** The leaves of a value that carry a secret, going into templates, concatenations, literals and stringifiers. */
function leaves(flow: Flow, e: ts.Expression, out: Leaf[]): void {
  const u = unwrapParens(e);
  if (!hasSource(flow.taint(u))) return;
  if (tsv.isTemplateExpression(u)) { for (const s of u.templateSpans) leaves(flow, s.expression, out); return; }
  if (tsv.isBinaryExpression(u) && u.operatorToken.kind === SK.PlusToken) { leaves(flow, u.left, out); leaves(flow, u.right, out); return; }
  if (tsv.isConditionalExpression(u)) { leaves(flow, u.whenTrue, out); leaves(flow, u.whenFalse, out); return; }
  if (tsv.isObjectLiteralExpression(u)) {
    for (const p of u.properties) {
      if (tsv.isPropertyAssignment(p)) leaves(flow, p.initializer, out);
      else if (tsv.isShorthandPropertyAssignment(p)) { if (hasSource(flow.taint(p.name))) out.push(p); }
      else if (tsv.isSpreadAssignment(p)) { if (hasSource(flow.taint(p.expression))) out.push(p); }
    }
    return;
  }
  if (tsv.isArrayLiteralExpression(u)) { for (const el of u.elements) if (!tsv.isSpreadElement(el)) leaves(flow, el, out); return; }
  if (tsv.isCallExpression(u) && STRINGIFIERS.test(u.expression.getText()) && u.arguments.length) {
    const before = out.length;
    leaves(flow, u.arguments[0], out);
    if (out.length > before) return;
  }
  out.push(u);
}

/** Only secret strings (not objects holding them), with no parameter left to substitute. */
function primitive(t: Taint): boolean {
  return t.length > 0 && t.every((f) => !isParam(f.origin) && !f.at.length);
}

/** Object fields (one level) that hold secrets: `config` → ['apiKey'], or undefined when the secret is deeper or anywhere. */
function secretFields(t: Taint): string[] | undefined {
  const out: string[] = [];
  for (const f of t) {
    if (isParam(f.origin)) continue;
    if (f.at.length !== 1 || f.at[0].startsWith('*')) return undefined;
    if (!out.includes(f.at[0])) out.push(f.at[0]);
  }
  return out.length ? out : undefined;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
const access = (base: string, field: string) => (IDENT.test(field) ? `${base}.${field}` : `${base}[${JSON.stringify(field)}]`);
const simple = (e: ts.Expression): boolean => {
  const u = unwrapParens(e);
  return tsv.isIdentifier(u) || (tsv.isPropertyAccessExpression(u) && simple(u.expression)) || u.kind === SK.ThisKeyword;
};

/** The masked replacement of a leaf, or undefined when it cannot be masked in place. */
function maskLeaf(ctx: SourceContext, flow: Flow, leaf: Leaf): TextEdit[] | undefined {
  const sf = ctx.sourceFile;
  if (tsv.isShorthandPropertyAssignment(leaf)) {
    const t = flow.taint(leaf.name);
    const name = leaf.name.text;
    if (primitive(t)) return [editReplace(ctx, leaf.getStart(sf), leaf.end, `${name}: ${maskedText(name)}`)];
    const fields = secretFields(t);
    return fields ? [editReplace(ctx, leaf.getStart(sf), leaf.end, `${name}: ${maskedObject(name, fields)}`)] : undefined;
  }
  if (tsv.isSpreadAssignment(leaf)) {
    const fields = secretFields(flow.taint(leaf.expression));
    if (!fields || !simple(leaf.expression)) return undefined;
    const base = leaf.expression.getText(sf);
    return [editReplace(ctx, leaf.getStart(sf), leaf.end, `...${base}, ${fields.map((f) => `${IDENT.test(f) ? f : JSON.stringify(f)}: ${maskedText(access(base, f))}`).join(', ')}`)];
  }
  const t = flow.taint(leaf);
  const text = leaf.getText(sf);
  if (primitive(t)) {
    // `${key}` in a template: mask inside the substitution and put the ellipsis after it
    const span = leaf.parent;
    if (span && tsv.isTemplateSpan(span) && span.expression === leaf) {
      return [
        editReplace(ctx, leaf.getStart(sf), leaf.end, `String(${text}).slice(0, 4)`),
        editReplace(ctx, span.literal.getStart(sf) + 1, span.literal.getStart(sf) + 1, '…'),
      ];
    }
    return [editReplace(ctx, leaf.getStart(sf), leaf.end, maskedText(text))];
  }
  const fields = secretFields(t);
  if (!fields || !simple(leaf)) return undefined;
  return [editReplace(ctx, leaf.getStart(sf), leaf.end, maskedObject(text, fields))];
}

function maskedObject(base: string, fields: string[]): string {
  return `{ ...${base}, ${fields.map((f) => `${IDENT.test(f) ? f : JSON.stringify(f)}: ${maskedText(access(base, f))}`).join(', ')} }`;
}

/** Items to take out of comma-separated lists (arguments, properties, elements), and other edits. */
interface Removal { lists: Map<ts.NodeArray<ts.Node>, Set<ts.Node>>; edits: TextEdit[] }

function removeFrom(r: Removal, list: ts.NodeArray<ts.Node>, item: ts.Node): void {
  let s = r.lists.get(list);
  if (!s) r.lists.set(list, s = new Set());
  s.add(item);
}

/** The edits that take items out of a list with their separators (runs of adjacent items at once). */
function listEdits(ctx: SourceContext, list: ts.NodeArray<ts.Node>, items: Set<ts.Node>): TextEdit[] {
  const sf = ctx.sourceFile;
  const out: TextEdit[] = [];
  if (items.size >= list.length) return [editReplace(ctx, list[0].getStart(sf), list[list.length - 1].end, '')];
  for (let i = 0; i < list.length; i++) {
    if (!items.has(list[i])) continue;
    let j = i;
    while (j + 1 < list.length && items.has(list[j + 1])) j++;
    out.push(j + 1 < list.length
      ? editReplace(ctx, list[i].getStart(sf), list[j + 1].getStart(sf), '')
      : editReplace(ctx, list[i - 1].end, list[j].end, ''));
    i = j;
  }
  return out;
}

/** Take a leaf out of the value that contains it; false when that would leave broken or meaningless code. */
function removeLeaf(ctx: SourceContext, e: Exposure, leaf: Leaf, r: Removal): boolean {
  const sf = ctx.sourceFile;
  const p = leaf.parent;
  if (tsv.isShorthandPropertyAssignment(leaf) || tsv.isSpreadAssignment(leaf)) { removeFrom(r, (p as ts.ObjectLiteralExpression).properties, leaf); return true; }
  let cur: ts.Node = leaf;
  while (cur.parent && cur.parent.kind === SK.ParenthesizedExpression) cur = cur.parent;
  const up = cur.parent;
  if (!up) return false;
  if (tsv.isTemplateSpan(up) && up.expression === cur) {
    // `a ${key} b` → `a  b`: drop the substitution
    r.edits.push(editReplace(ctx, cur.getStart(sf) - 2, up.literal.getStart(sf) + 1, ''));
    return true;
  }
  if (tsv.isBinaryExpression(up) && up.operatorToken.kind === SK.PlusToken) {
    r.edits.push(up.right === cur ? editReplace(ctx, up.left.end, cur.end, '') : editReplace(ctx, cur.getStart(sf), up.right.getStart(sf), ''));
    return true;
  }
  if (tsv.isPropertyAssignment(up) && up.initializer === cur && tsv.isObjectLiteralExpression(up.parent) && e.info.kind !== 'storage'
    && !(e.site && e.site.node === up.parent)) {
    removeFrom(r, up.parent.properties, up);
    return true;
  }
  if (tsv.isArrayLiteralExpression(up)) { removeFrom(r, up.elements, cur); return true; }
  if ((tsv.isCallExpression(up) || tsv.isNewExpression(up)) && up === e.node && e.info.kind === 'log' && e.site) {
    removeFrom(r, up.arguments!, cur);
    return true;
  }
  return false;
}

const noun = (e: Exposure) => (e.info.kind === 'log' ? 'log call' : e.info.kind === 'error' ? 'error message' : e.info.kind === 'response' ? 'response' : 'write');

/** Words of a helper's name that say it only logs or answers (masking what it is given changes nothing else). */
const OUTPUT_WORDS = new Set(['log', 'logger', 'debug', 'print', 'trace', 'warn', 'info', 'error', 'audit', 'respond', 'response',
  'reply', 'send', 'json', 'ok', 'fail', 'dump']);

/**
 * Both fixes, when they apply: masking is preferred (it keeps the log line). A value handed to a helper is masked at
 * the call only when the helper is there to log or answer: a helper that also uses it (`new PartnerClient(key)`) would
 * get a masked credential, so the fix belongs in the helper.
 */
export function exposureFixes(ctx: SourceContext, flow: Flow, e: Exposure): Fix[] {
  if (e.via.length && !splitWords(e.via[0].name.replace(/^new /, '')).some((w) => OUTPUT_WORDS.has(w))) return [];
  const ls: Leaf[] = [];
  for (const v of e.values) leaves(flow, v, ls);
  if (!ls.length) return [];
  const fixes: Fix[] = [];
  const masks: TextEdit[] = [];
  let maskable = true;
  for (const l of ls) {
    const m = maskLeaf(ctx, flow, l);
    if (!m) { maskable = false; break; }
    masks.push(...m);
  }
  if (maskable && e.info.kind !== 'storage') {
    fixes.push({ title: `${e.info.kind === 'log' ? 'Log' : 'Use'} a masked form instead (first 4 characters, then …)`, edits: masks, isPreferred: true });
  }
  if (!e.via.length) {
    const r: Removal = { lists: new Map(), edits: [] };
    if (ls.every((l) => removeLeaf(ctx, e, l, r))) {
      const call = e.site?.statement && (e.node as ts.CallExpression).arguments;
      // every argument of a log statement goes: the statement goes
      const whole = call && r.lists.get(call)?.size === call.length;
      const edits = whole ? [deleteStatement(ctx, e.site!.statement!)] : [...r.edits, ...[...r.lists].flatMap(([list, items]) => listEdits(ctx, list, items))];
      if (edits.length) fixes.push({ title: `Remove the value from the ${noun(e)}`, edits, isPreferred: !fixes.length });
    }
  }
  return fixes;
}
