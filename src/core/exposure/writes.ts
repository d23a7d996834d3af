// The writes of a file, indexed once: assignments (plain, compound, destructuring), collection inserts (`push`, `set`,
// `add`), `Object.assign`, and `delete`, by the variable, class field or environment variable they write.
import { type ts, tsv } from '../ts';
import { ANY } from './taint';
import type { Scopes } from './scope';
import type { FlowNodes } from './types';
import { classOf, isProcessEnv, literalKey, propName, push, unwrap, type ClassNode } from './syntax';

const SK = tsv.SyntaxKind;

/** An assignment (or collection insert) to a variable, at `path` inside it; or a `delete` of that path (no value). */
export interface Write { path: string[]; value?: ts.Expression; readPath?: (string | undefined)[]; str?: boolean; at: ts.Node }

export interface WriteIndex {
  /** By the declaring identifier of the variable. */
  vars: Map<ts.Node, Write[]>;
  /** `process.env.X = …`, by X. */
  env: Map<string, Write[]>;
  /** `this.x = …` in a class, by class then field. */
  fields: Map<ClassNode, Map<string, Write[]>>;
}

/** Every write of a file, resolved to what it writes. */
export function buildWriteIndex(nodes: FlowNodes, scopes: Scopes): WriteIndex {
  const idx: WriteIndex = { vars: new Map(), env: new Map(), fields: new Map() };
  const record = (target: ts.Expression, value: ts.Expression | undefined, extra: string[], at: ts.Node, readPath?: (string | undefined)[], str?: boolean) =>
    recordWrite(idx, scopes, target, value, extra, at, readPath, str);
  for (const b of nodes.binaries) {
    const k = b.operatorToken.kind;
    if (k === SK.EqualsToken || k === SK.QuestionQuestionEqualsToken || k === SK.BarBarEqualsToken || k === SK.AmpersandAmpersandEqualsToken) {
      record(b.left, b.right, [], b);
    } else if (k === SK.PlusEqualsToken) record(b.left, b.right, [], b, undefined, true);
  }
  for (const x of nodes.deletes) record(x.expression, undefined, [], x);
  for (const c of nodes.calls) {
    const callee = unwrap(c.expression);
    if (!tsv.isPropertyAccessExpression(callee)) continue;
    const m = callee.name.text;
    if ((m === 'push' || m === 'unshift' || m === 'add') && c.arguments.length) {
      for (const a of c.arguments) record(callee.expression, a, [ANY], c);
    } else if (m === 'set' && c.arguments.length >= 2) {
      record(callee.expression, c.arguments[1], [literalKey(c.arguments[0]) ?? ANY], c);
    } else if (m === 'assign' && tsv.isIdentifier(callee.expression) && callee.expression.text === 'Object' && c.arguments.length >= 2) {
      for (const a of c.arguments.slice(1)) record(c.arguments[0], a, [], c);
    }
  }
  return idx;
}

function recordWrite(idx: WriteIndex, scopes: Scopes, target: ts.Expression, value: ts.Expression | undefined, extra: string[], at: ts.Node,
  readPath?: (string | undefined)[], str?: boolean): void {
  let l = unwrap(target);
  // destructuring assignment: ({ a, b: c } = obj), [x, y] = arr
  if (tsv.isObjectLiteralExpression(l)) {
    for (const p of l.properties) {
      if (tsv.isShorthandPropertyAssignment(p)) recordWrite(idx, scopes, p.name, value, extra, at, [...(readPath ?? []), p.name.text]);
      else if (tsv.isPropertyAssignment(p)) recordWrite(idx, scopes, p.initializer, value, extra, at, [...(readPath ?? []), propName(p.name)]);
    }
    return;
  }
  if (tsv.isArrayLiteralExpression(l)) {
    l.elements.forEach((el, i) => { if (!tsv.isOmittedExpression(el) && !tsv.isSpreadElement(el)) recordWrite(idx, scopes, el, value, extra, at, [...(readPath ?? []), String(i)]); });
    return;
  }
  const path: string[] = [];
  while (tsv.isPropertyAccessExpression(l) || tsv.isElementAccessExpression(l)) {
    if (isProcessEnv(l.expression)) {
      const name = tsv.isPropertyAccessExpression(l) ? l.name.text : literalKey(l.argumentExpression);
      if (name && value) push(idx.env, name, { path: [], value, readPath, str, at });
      return;
    }
    path.unshift(tsv.isPropertyAccessExpression(l) ? l.name.text : literalKey(l.argumentExpression) ?? ANY);
    l = unwrap(l.expression);
  }
  const w: Write = { path: [...path, ...extra], value, readPath, str, at };
  if (l.kind === SK.ThisKeyword) {
    const cls = classOf(l);
    if (!cls || !w.path.length) return;
    let fields = idx.fields.get(cls);
    if (!fields) idx.fields.set(cls, fields = new Map());
    push(fields, w.path[0], { ...w, path: w.path.slice(1) });
    return;
  }
  if (!tsv.isIdentifier(l)) return;
  const d = scopes.resolve(l);
  if (d) push(idx.vars, d.id, w);
}
