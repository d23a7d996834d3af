// Helpers shared by the fix generators: scopes, names, insertion points, ranges.
import { ts, tsv } from '../ts';
import type { SourceContext, TextEdit } from '../types';

export type FnLike = ts.FunctionLikeDeclaration;

export function isFn(n: ts.Node): n is FnLike {
  return tsv.isFunctionDeclaration(n) || tsv.isFunctionExpression(n) || tsv.isArrowFunction(n) || tsv.isMethodDeclaration(n)
    || tsv.isConstructorDeclaration(n) || tsv.isGetAccessorDeclaration(n) || tsv.isSetAccessorDeclaration(n);
}

export function enclosingFunction(n: ts.Node): FnLike | undefined {
  for (let p = n.parent; p; p = p.parent) if (isFn(p)) return p;
  return undefined;
}

export function enclosingFunctions(n: ts.Node): FnLike[] {
  const out: FnLike[] = [];
  for (let p = n.parent; p; p = p.parent) if (isFn(p)) out.push(p);
  return out;
}

/** The statement directly under the source file that contains `n`. */
export function topLevelStatement(n: ts.Node): ts.Statement | undefined {
  let cur: ts.Node = n;
  while (cur.parent && !tsv.isSourceFile(cur.parent)) cur = cur.parent;
  return cur.parent ? (cur as ts.Statement) : undefined;
}

function bindingNames(n: ts.BindingName, out: Set<string>) {
  if (tsv.isIdentifier(n)) { out.add(n.text); return; }
  for (const el of n.elements) if (!tsv.isOmittedExpression(el)) bindingNames(el.name, out);
}

const declCache = new WeakMap<ts.Node, Set<string>>();

/** Names declared inside a function (parameters, variables, nested function and class names), nested functions included. */
export function declaredIn(fn: FnLike): Set<string> {
  const hit = declCache.get(fn);
  if (hit) return hit;
  const out = new Set<string>();
  for (const p of fn.parameters) bindingNames(p.name, out);
  const visit = (n: ts.Node) => {
    if (tsv.isVariableDeclaration(n) || tsv.isParameter(n) || tsv.isBindingElement(n)) {
      if (!tsv.isBindingElement(n)) bindingNames(n.name, out);
    } else if ((tsv.isFunctionDeclaration(n) || tsv.isClassDeclaration(n)) && n.name) out.add(n.name.text);
    else if (tsv.isCatchClause(n) && n.variableDeclaration) bindingNames(n.variableDeclaration.name, out);
    tsv.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  declCache.set(fn, out);
  return out;
}

/** Identifiers that `node` reads (property names and object keys excluded). */
export function referencedNames(node: ts.Node): { names: Set<string>; usesThis: boolean } {
  const names = new Set<string>();
  let usesThis = false;
  const visit = (n: ts.Node): void => {
    if (n.kind === tsv.SyntaxKind.ThisKeyword || n.kind === tsv.SyntaxKind.SuperKeyword) { usesThis = true; return; }
    if (tsv.isIdentifier(n)) {
      const p = n.parent;
      if (p && tsv.isPropertyAccessExpression(p) && p.name === n) return;
      if (p && (tsv.isPropertyAssignment(p) || tsv.isMethodDeclaration(p) || tsv.isPropertyDeclaration(p)) && p.name === n) return;
      if (n.text === 'arguments') usesThis = true;
      names.add(n.text);
      return;
    }
    if (tsv.isTypeNode(n)) return;
    tsv.forEachChild(n, visit);
  };
  visit(node);
  return { names, usesThis };
}

/** True when `node` reads a name declared in one of the functions around it (or uses `this`/`arguments`). */
export function readsLocals(node: ts.Node, around: readonly FnLike[]): boolean {
  const { names, usesThis } = referencedNames(node);
  if (usesThis) return true;
  for (const fn of around) {
    const d = declaredIn(fn);
    for (const n of names) if (d.has(n)) return true;
  }
  return false;
}

function isImportLike(st: ts.Statement): boolean {
  if (tsv.isImportDeclaration(st) || tsv.isImportEqualsDeclaration(st)) return true;
  if (tsv.isVariableStatement(st)) {
    return st.declarationList.declarations.every((d) => {
      let e = d.initializer;
      while (e && (tsv.isPropertyAccessExpression(e) || tsv.isParenthesizedExpression(e))) e = e.expression;
      return !!e && tsv.isCallExpression(e) && tsv.isIdentifier(e.expression) && e.expression.text === 'require';
    });
  }
  if (tsv.isExpressionStatement(st) && tsv.isStringLiteral(st.expression)) return true; // 'use strict'
  return false;
}

/**
 * Where module-scope declarations go: after the imports/requires (and after any top-level statement declaring
 * one of `needs`), but before `before`. Returns the offset and whether the text goes after a statement.
 */
/** Per top-level statement: whether it is import-like, and the names it declares (no nodes: safe to cache weakly). */
interface StatementIndex { importLike: boolean[]; declared: string[][]; vars: boolean[] }
const statementIndexCache = new WeakMap<ts.SourceFile, StatementIndex>();

function statementIndex(sf: ts.SourceFile): StatementIndex {
  const hit = statementIndexCache.get(sf);
  if (hit) return hit;
  const idx: StatementIndex = { importLike: [], declared: [], vars: [] };
  for (const st of sf.statements) {
    const declared = new Set<string>();
    if (tsv.isVariableStatement(st)) for (const d of st.declarationList.declarations) bindingNames(d.name, declared);
    else if ((tsv.isFunctionDeclaration(st) || tsv.isClassDeclaration(st) || tsv.isEnumDeclaration(st)) && st.name) declared.add(st.name.text);
    idx.importLike.push(isImportLike(st));
    idx.declared.push([...declared]);
    idx.vars.push(tsv.isVariableStatement(st));
  }
  statementIndexCache.set(sf, idx);
  return idx;
}

export function moduleInsertion(sf: ts.SourceFile, needs: Set<string>, before: ts.Statement): { offset: number; afterStatement: boolean } | undefined {
  const idx = statementIndex(sf);
  const sts = sf.statements;
  let last: ts.Statement | undefined;
  let i = 0;
  for (; i < sts.length && sts[i].pos < before.pos; i++) {
    if (idx.importLike[i] || (needs.size && idx.declared[i].some((n) => needs.has(n)))) last = sts[i];
  }
  // A needed name declared at/after `before` cannot be used above it.
  if (needs.size) {
    for (; i < sts.length; i++) if (idx.vars[i] && idx.declared[i].some((n) => needs.has(n))) return undefined;
  }
  if (last) return { offset: last.end, afterStatement: true };
  const leading = ts.getLeadingCommentRanges(sf.text, before.getFullStart());
  return { offset: leading && leading.length ? leading[0].pos : before.getStart(sf), afterStatement: false };
}

export function editReplace(ctx: SourceContext, start: number, end: number, newText: string): TextEdit {
  return { range: { start: ctx.positionAt(start), end: ctx.positionAt(end) }, newText };
}

/** The span that removes a whole statement, with its line when it stands alone on it. */
export function deleteStatementOffsets(text: string, sf: ts.SourceFile, st: ts.Statement): { start: number; end: number } {
  let start = st.getStart(sf);
  let end = st.end;
  let s = start;
  while (s > 0 && (text[s - 1] === ' ' || text[s - 1] === '\t')) s--;
  let e = end;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  const lineStartsHere = s === 0 || text[s - 1] === '\n';
  if (lineStartsHere && (text[e] === '\n' || text.startsWith('\r\n', e))) {
    start = s;
    end = e + (text[e] === '\n' ? 1 : 2);
  }
  return { start, end };
}

/** The edit that removes a whole statement, with its line when it stands alone on it. */
export function deleteStatement(ctx: SourceContext, st: ts.Statement): TextEdit {
  const { start, end } = deleteStatementOffsets(ctx.text, ctx.sourceFile, st);
  return editReplace(ctx, start, end, '');
}

export function unwrapExpr(e: ts.Expression): ts.Expression {
  while (tsv.isParenthesizedExpression(e) || tsv.isAsExpression(e) || tsv.isNonNullExpression(e) || tsv.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

/** The nearest ancestor that is not a parenthesis. */
export function parentSkippingParens(n: ts.Node): ts.Node {
  let p = n.parent;
  while (p && tsv.isParenthesizedExpression(p)) p = p.parent;
  return p;
}
