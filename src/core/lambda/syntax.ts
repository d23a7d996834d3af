// Small syntax helpers of the Lambda model: unwrapping, property names, `require(…)`, bindings, `process.env.X`.
import { type ts, tsv } from '../ts';
import type { FnNode } from './types';

export const SK = tsv.SyntaxKind;

/** Read once (hot loops). */
export const forEachChild = tsv.forEachChild;

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
  const push = (c: ts.Node): undefined => { stack.push(c); return undefined; };
  while (stack.length) {
    const n = stack.pop()!;
    const r = visit(n);
    if (r === STOP) return;
    if (r === false) continue;
    // children pushed in source order, then that segment reversed (no scratch array: resetting one is a runtime call)
    const base = stack.length;
    forEachChild(n, push);
    for (let i = base, j = stack.length - 1; i < j; i++, j--) { const t = stack[i]; stack[i] = stack[j]; stack[j] = t; }
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

/**
 * The node kinds that bind names in a function (see `indexScopes`): the file scan collects them from the engine's
 * walk, so the names a function binds are read from this short list instead of by walking each function again.
 */
export const BINDING_KINDS: readonly ts.SyntaxKind[] = [
  SK.VariableDeclaration, SK.Parameter, SK.FunctionDeclaration, SK.ClassDeclaration,
];

interface ScopeIndex {
  /** Per function: the names bound in it (as `localNames` computes them, without its own parameters). */
  locals: Map<ts.Node, Set<string>>;
  /** Per function: its variable declarations by name, nested functions excluded (as `declarationIn`). */
  decls: Map<ts.Node, Map<string, ts.VariableDeclaration>>;
}

/** Scope indexes by tree, built from the binding nodes of a whole tree in pre-order (see `indexScopes`). */
const scopeIndexes = new WeakMap<ts.Node, ScopeIndex>();

function rootOf(n: ts.Node): ts.Node {
  let root = n;
  while (root.parent) root = root.parent;
  return root;
}

/**
 * Index a whole tree's binding nodes (every node of BINDING_KINDS in it, in pre-order): for each, the functions whose
 * body holds it, found up its parent chain. `localNames` and `declarationIn` then answer from the index with the same
 * results as their walks. Called once the tree is complete (parents set) and never for part of a tree.
 */
export function indexScopes(sf: ts.SourceFile, bindings: readonly ts.Node[]): void {
  const index: ScopeIndex = { locals: new Map(), decls: new Map() };
  const add = (fn: ts.Node, name: string) => {
    let set = index.locals.get(fn);
    if (!set) index.locals.set(fn, set = new Set());
    set.add(name);
  };
  const names: string[] = [];
  const collect = (n: ts.BindingName) => {
    if (tsv.isIdentifier(n)) names.push(n.text);
    else for (const el of n.elements) if (!tsv.isOmittedExpression(el)) collect(el.name);
  };
  for (const b of bindings) {
    names.length = 0;
    let owner: ts.Node | undefined; // the function whose body holds `b` with no function in between (for declarationIn)
    if (b.kind === SK.Parameter) {
      // a parameter binds in its function only when that is a function node (not a constructor or a function type);
      // as a child of that function node, it is in the body of every function whose body holds the function
      if (!isFunctionNode(b.parent)) continue;
      collect((b as ts.ParameterDeclaration).name);
    } else if (b.kind === SK.VariableDeclaration) {
      collect((b as ts.VariableDeclaration).name);
    } else {
      const name = (b as ts.FunctionDeclaration | ts.ClassDeclaration).name;
      if (!name) continue;
      names.push(name.text);
    }
    let first = true;
    for (let prev: ts.Node = b.kind === SK.Parameter ? b.parent : b, p = prev.parent; p; prev = p, p = p.parent) {
      if (!isFunctionNode(p)) continue;
      const inBody = (p as FnNode).body === prev;
      if (inBody) for (const x of names) add(p, x);
      if (first) {
        first = false;
        if (inBody && b.kind === SK.VariableDeclaration && tsv.isIdentifier((b as ts.VariableDeclaration).name)) owner = p;
      }
    }
    if (owner) {
      let decls = index.decls.get(owner);
      if (!decls) index.decls.set(owner, decls = new Map());
      const name = ((b as ts.VariableDeclaration).name as ts.Identifier).text;
      if (!decls.has(name)) decls.set(name, b as ts.VariableDeclaration);
    }
  }
  scopeIndexes.set(sf, index);
}

const NO_DECLS = new Map<string, ts.VariableDeclaration>();

/** The variable declaration of `name` inside `fn` (its body, nested blocks included; not nested functions). */
export function declarationIn(fn: FnNode, name: string): ts.VariableDeclaration | undefined {
  const root = rootOf(fn);
  const index = scopeIndexes.get(root);
  if (index) return (index.decls.get(fn) ?? NO_DECLS).get(name);
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
  const index = scopeIndexes.get(rootOf(fn));
  if (index) {
    const inBody = index.locals.get(fn);
    if (inBody) for (const x of inBody) out.add(x);
  } else {
    walkTree(fn.body, (n) => {
      if (tsv.isVariableDeclaration(n)) collectBindingNames(n.name, out);
      else if ((tsv.isFunctionDeclaration(n) || tsv.isClassDeclaration(n)) && n.name) out.add(n.name.text);
      if (isFunctionNode(n)) {
        for (const p of n.parameters) collectBindingNames(p.name, out);
      }
    });
  }
  cache.set(fn, out);
  return out;
}
