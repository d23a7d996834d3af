// Small syntax helpers of the Lambda model: unwrapping, property names, `require(…)`, bindings, `process.env.X`.
import { type ts, tsv } from '../ts';
import type { FnNode } from './types';

export const SK = tsv.SyntaxKind;

export function isFunctionNode(n: ts.Node): n is FnNode {
  return n.kind === tsv.SyntaxKind.FunctionDeclaration || n.kind === tsv.SyntaxKind.FunctionExpression
    || n.kind === tsv.SyntaxKind.ArrowFunction || n.kind === tsv.SyntaxKind.MethodDeclaration;
}

export function unwrap(e: ts.Node): ts.Node {
  while (tsv.isParenthesizedExpression(e) || tsv.isAsExpression(e) || tsv.isNonNullExpression(e)
    || tsv.isSatisfiesExpression(e) || tsv.isTypeAssertionExpression(e) || tsv.isAwaitExpression(e)) e = e.expression;
  return e;
}

export function propName(n: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!n) return undefined;
  if (tsv.isIdentifier(n) || tsv.isStringLiteral(n) || tsv.isNoSubstitutionTemplateLiteral(n) || tsv.isPrivateIdentifier(n)) return n.text;
  return undefined;
}

export function findProp(obj: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  for (const p of obj.properties) if (propName(p.name) === name) return p;
  return undefined;
}

export function propValue(obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  const p = findProp(obj, name);
  if (!p) return undefined;
  if (tsv.isPropertyAssignment(p)) return p.initializer;
  if (tsv.isShorthandPropertyAssignment(p)) return p.name;
  return undefined;
}

export function requireSpec(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  e = unwrap(e) as ts.Expression;
  if (tsv.isCallExpression(e) && tsv.isIdentifier(e.expression) && e.expression.text === 'require'
    && e.arguments.length === 1 && tsv.isStringLiteralLike(e.arguments[0])) return e.arguments[0].text;
  return undefined;
}

export function collectBindingNames(n: ts.BindingName, out: Set<string>) {
  if (tsv.isIdentifier(n)) { out.add(n.text); return; }
  for (const el of n.elements) if (!tsv.isOmittedExpression(el)) collectBindingNames(el.name, out);
}

/** `process.env.X` / `process.env['X']` → `X`. */
export function processEnvName(e: ts.Node): string | undefined {
  const u = unwrap(e);
  if (!tsv.isPropertyAccessExpression(u) && !tsv.isElementAccessExpression(u)) return undefined;
  const o = unwrap(u.expression);
  if (!tsv.isPropertyAccessExpression(o) || o.name.text !== 'env' || !tsv.isIdentifier(o.expression) || o.expression.text !== 'process') return undefined;
  if (tsv.isPropertyAccessExpression(u)) return u.name.text;
  return tsv.isStringLiteralLike(u.argumentExpression) ? u.argumentExpression.text : undefined;
}

/** The variable declaration of `name` inside `fn` (its body, nested blocks included; not nested functions). */
export function declarationIn(fn: FnNode, name: string): ts.VariableDeclaration | undefined {
  let found: ts.VariableDeclaration | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (tsv.isVariableDeclaration(n) && tsv.isIdentifier(n.name) && n.name.text === name) { found = n; return; }
    if (isFunctionNode(n)) return;
    tsv.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/** Names bound inside a function (parameters, variables, nested declarations), cached per function in `cache`. */
export function localNames(fn: FnNode, cache: Map<ts.Node, Set<string>>): Set<string> {
  let s = cache.get(fn);
  if (s) return s;
  s = new Set();
  const out = s;
  for (const p of fn.parameters) collectBindingNames(p.name, out);
  const visit = (n: ts.Node) => {
    if (tsv.isVariableDeclaration(n)) collectBindingNames(n.name, out);
    else if ((tsv.isFunctionDeclaration(n) || tsv.isClassDeclaration(n)) && n.name) out.add(n.name.text);
    if (isFunctionNode(n)) {
      for (const p of n.parameters) collectBindingNames(p.name, out);
    }
    tsv.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  cache.set(fn, out);
  return out;
}
