// Small syntax helpers of the Lambda model: unwrapping, property names, `require(…)`, bindings, `process.env.X`.
import { type ts, tsv } from '../ts';
import type { FnNode } from './types';

export const SK = tsv.SyntaxKind;

/** Returned by a `walkTree` visitor to end the walk. */
export const STOP = 'stop';

/**
 * Pre-order walk of `root` and its descendants, in source order, without recursion: an expression of thousands of
 * terms (`'a' + 'b' + …`, a long `.then()` chain) nests as deep as it is long, and a recursive walk overflows the
 * stack on it. `visit` returns `false` to skip a node's children, or `STOP` to end the walk.
 */
export function walkTree(root: ts.Node | undefined, visit: (n: ts.Node) => boolean | void | typeof STOP): void {
  if (!root) return;
  const stack: ts.Node[] = [root];
  const kids: ts.Node[] = [];
  const push = (c: ts.Node): undefined => { kids.push(c); return undefined; };
  while (stack.length) {
    const n = stack.pop()!;
    const r = visit(n);
    if (r === STOP) return;
    if (r === false) continue;
    kids.length = 0;
    tsv.forEachChild(n, push);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
}

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

/** Declarations by name of the functions of one tree (the last one asked about: one tree kept at most). */
let declTree: ts.Node | undefined;
const declsByFn = new Map<ts.Node, Map<string, ts.VariableDeclaration>>();

/** The variable declaration of `name` inside `fn` (its body, nested blocks included; not nested functions). */
export function declarationIn(fn: FnNode, name: string): ts.VariableDeclaration | undefined {
  let root: ts.Node = fn;
  while (root.parent) root = root.parent;
  if (root !== declTree) { declTree = root; declsByFn.clear(); }
  let decls = declsByFn.get(fn);
  if (!decls) {
    const found = decls = new Map();
    // one walk per function: looked up per identifier, a walk per name was quadratic on long expressions
    walkTree(fn.body, (n) => {
      if (tsv.isVariableDeclaration(n) && tsv.isIdentifier(n.name) && !found.has(n.name.text)) found.set(n.name.text, n);
      return !isFunctionNode(n);
    });
    declsByFn.set(fn, decls);
  }
  return decls.get(name);
}

/** Names bound inside a function (parameters, variables, nested declarations), cached per function in `cache`. */
export function localNames(fn: FnNode, cache: Map<ts.Node, Set<string>>): Set<string> {
  let s = cache.get(fn);
  if (s) return s;
  s = new Set();
  const out = s;
  for (const p of fn.parameters) collectBindingNames(p.name, out);
  walkTree(fn.body, (n) => {
    if (tsv.isVariableDeclaration(n)) collectBindingNames(n.name, out);
    else if ((tsv.isFunctionDeclaration(n) || tsv.isClassDeclaration(n)) && n.name) out.add(n.name.text);
    if (isFunctionNode(n)) {
      for (const p of n.parameters) collectBindingNames(p.name, out);
    }
  });
  cache.set(fn, out);
  return out;
}
