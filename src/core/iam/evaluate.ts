// Name evaluation for least privilege: the text a parameter or secret name expression has, as alternatives, with
// `UNKNOWN` for the parts not known statically (literals, templates, concatenations, constants, `process.env.X` as
// the IaC maps it, arguments bound by the handler walk or found at the function's own call sites).
import { type ts, tsv } from '../ts';
import { STOP, findProp, isFunctionNode, walkTree, type FileModel, type FnNode } from '../lambda/model';
import { isCredentialText } from '../secrets/detect';

/** Marks a part of a name that is not known statically. Never appears in a reported name. */
export const UNKNOWN = '\u0000';

/** Environment variable name → value as the IaC maps it (`UNKNOWN` marks parts that are not known). */
export type EnvMap = ReadonlyMap<string, string>;

const MAX_ALTERNATIVES = 16;

export interface Scope {
  m: FileModel;
  env: EnvMap | undefined;
  bindings: ReadonlyMap<string, string[]>;
  depth: number;
}

export function unwrap(e: ts.Node): ts.Node {
  while (tsv.isParenthesizedExpression(e) || tsv.isAsExpression(e) || tsv.isNonNullExpression(e)
    || tsv.isSatisfiesExpression(e) || tsv.isTypeAssertionExpression(e) || tsv.isAwaitExpression(e)) e = e.expression;
  return e;
}

function product(a: string[], b: string[]): string[] {
  const out: string[] = [];
  for (const x of a) for (const y of b) { if (out.length < MAX_ALTERNATIVES) out.push(x + y); }
  return out;
}

/** `process.env.X` / `process.env['X']` → X. */
export function envVarName(e: ts.Node): string | undefined {
  let obj: ts.Node; let name: string | undefined;
  if (tsv.isPropertyAccessExpression(e)) { obj = e.expression; name = e.name.text; }
  else if (tsv.isElementAccessExpression(e) && tsv.isStringLiteralLike(e.argumentExpression)) { obj = e.expression; name = e.argumentExpression.text; }
  else return undefined;
  obj = unwrap(obj);
  if (tsv.isPropertyAccessExpression(obj) && obj.name.text === 'env' && tsv.isIdentifier(obj.expression) && obj.expression.text === 'process') return name;
  return undefined;
}

function envValue(scope: Scope, name: string): string[] {
  const v = scope.env?.get(name);
  return v === undefined ? [UNKNOWN] : [v];
}

/** The declaration of `id` visible at `at` (a `const`/`let` with an initializer, or a binding element), searching outwards. */
export function findDeclaration(id: string, at: ts.Node): ts.VariableDeclaration | ts.BindingElement | ts.ParameterDeclaration | undefined {
  let cur: ts.Node | undefined = at.parent;
  while (cur) {
    if (isFunctionNode(cur)) {
      for (const p of cur.parameters) if (tsv.isIdentifier(p.name) && p.name.text === id) return p;
    }
    const stmts = tsv.isBlock(cur) || tsv.isSourceFile(cur) || tsv.isModuleBlock(cur) ? cur.statements : undefined;
    if (stmts) {
      for (const st of stmts) {
        if (!tsv.isVariableStatement(st)) continue;
        for (const d of st.declarationList.declarations) {
          if (tsv.isIdentifier(d.name) && d.name.text === id) return d;
          if (tsv.isObjectBindingPattern(d.name)) {
            for (const el of d.name.elements) if (tsv.isIdentifier(el.name) && el.name.text === id) return el;
          }
        }
      }
    }
    cur = cur.parent;
  }
  return undefined;
}

/** Call sites `f(…)` of the function `fn` in its own file (by name), for evaluating its parameters. */
const callSiteCache = new WeakMap<ts.Node, ts.CallExpression[]>();

function callSitesOf(fn: FnNode, m: FileModel): ts.CallExpression[] {
  const hit = callSiteCache.get(fn);
  if (hit) return hit;
  const found = findCallSites(fn, m);
  callSiteCache.set(fn, found);
  return found;
}

function findCallSites(fn: FnNode, m: FileModel): ts.CallExpression[] {
  let name: string | undefined;
  if ((tsv.isFunctionDeclaration(fn) || tsv.isFunctionExpression(fn)) && fn.name) name = fn.name.text;
  else if (tsv.isVariableDeclaration(fn.parent) && tsv.isIdentifier(fn.parent.name)) name = fn.parent.name.text;
  else if (tsv.isMethodDeclaration(fn) && tsv.isIdentifier(fn.name)) name = fn.name.text;
  if (!name) return [];
  const out: ts.CallExpression[] = [];
  walkTree(m.sf, (n) => {
    if (out.length > 32) return STOP;
    if (tsv.isCallExpression(n)) {
      const c = unwrap(n.expression);
      if ((tsv.isIdentifier(c) && c.text === name) || (tsv.isPropertyAccessExpression(c) && c.name.text === name)) out.push(n);
    }
  });
  return out;
}

/** Alternatives for the text of a string expression; `UNKNOWN` marks parts not known statically. */
export function evaluate(e: ts.Node | undefined, scope: Scope): string[] {
  if (!e || scope.depth > 12) return [UNKNOWN];
  const u = unwrap(e);
  const next: Scope = { ...scope, depth: scope.depth + 1 };
  if (tsv.isStringLiteralLike(u)) return [u.text];
  if (tsv.isNumericLiteral(u)) return [u.text];
  if (u.kind === tsv.SyntaxKind.TrueKeyword || u.kind === tsv.SyntaxKind.FalseKeyword) return [u.kind === tsv.SyntaxKind.TrueKeyword ? 'true' : 'false'];
  if (tsv.isTemplateExpression(u)) {
    let acc = [u.head.text];
    for (const s of u.templateSpans) acc = product(product(acc, evaluate(s.expression, next)), [s.literal.text]);
    return acc;
  }
  if (tsv.isBinaryExpression(u)) {
    const k = u.operatorToken.kind;
    if (k === tsv.SyntaxKind.PlusToken) return product(evaluate(u.left, next), evaluate(u.right, next));
    if (k === tsv.SyntaxKind.QuestionQuestionToken || k === tsv.SyntaxKind.BarBarToken) {
      const l = evaluate(u.left, next);
      // The left side is what runs when it is set; use the default only when nothing is known about the left.
      if (l.some((x) => x !== UNKNOWN)) return l;
      return evaluate(u.right, next);
    }
    return [UNKNOWN];
  }
  if (tsv.isConditionalExpression(u)) return [...evaluate(u.whenTrue, next), ...evaluate(u.whenFalse, next)].slice(0, MAX_ALTERNATIVES);
  const env = envVarName(u);
  if (env !== undefined) return envValue(scope, env);
  if (tsv.isIdentifier(u)) return evaluateIdentifier(u, scope, next);
  if (tsv.isPropertyAccessExpression(u)) return evaluateProperty(u, next);
  if (tsv.isCallExpression(u)) {
    // encodeURIComponent(name) in a URL (the Lambda extension) stands for the name
    if (tsv.isIdentifier(u.expression) && /^(encodeURIComponent|encodeURI|String)$/.test(u.expression.text) && u.arguments[0]) return evaluate(u.arguments[0], next);
    return evaluateJoin(u, next);
  }
  return [UNKNOWN];
}

/** A variable: a parameter (bound by the walk, or evaluated at its call sites), a `const`, a destructured env var. */
function evaluateIdentifier(u: ts.Identifier, scope: Scope, next: Scope): string[] {
  const decl = findDeclaration(u.text, u);
  if (decl && tsv.isParameter(decl)) {
    const b = scope.bindings.get(u.text);
    if (b) return b;
    // Not called from the walk: evaluate the argument at the function's own call sites in this file.
    const fn = decl.parent;
    if (!isFunctionNode(fn) || scope.depth > 6) return [UNKNOWN];
    const idx = fn.parameters.indexOf(decl);
    const out: string[] = [];
    for (const c of callSitesOf(fn, scope.m)) {
      const a = c.arguments[idx];
      if (a) for (const v of evaluate(a, { ...next, depth: next.depth + 3 })) if (out.length < MAX_ALTERNATIVES && !out.includes(v)) out.push(v);
    }
    return out.length ? out : [UNKNOWN];
  }
  if (decl && tsv.isVariableDeclaration(decl) && decl.initializer) return evaluate(decl.initializer, next);
  if (decl && tsv.isBindingElement(decl)) {
    // const { TABLE_PARAM } = process.env / const { X = 'default' } = process.env
    const vd = decl.parent.parent;
    if (tsv.isVariableDeclaration(vd) && vd.initializer) {
      const init = unwrap(vd.initializer);
      if (tsv.isPropertyAccessExpression(init) && init.name.text === 'env' && tsv.isIdentifier(init.expression) && init.expression.text === 'process') {
        const key = decl.propertyName && tsv.isIdentifier(decl.propertyName) ? decl.propertyName.text : u.text;
        const v = envValue(scope, key);
        if (v[0] === UNKNOWN && decl.initializer) return evaluate(decl.initializer, next);
        return v;
      }
    }
    return [UNKNOWN];
  }
  const c = scope.m.stringConsts.get(u.text);
  return c !== undefined ? [c] : [UNKNOWN];
}

/** `CONFIG.prefix` with `const CONFIG = { prefix: '…' }`. */
function evaluateProperty(u: ts.PropertyAccessExpression, next: Scope): string[] {
  const obj = unwrap(u.expression);
  if (tsv.isIdentifier(obj)) {
    const decl = findDeclaration(obj.text, obj);
    const init = decl && tsv.isVariableDeclaration(decl) && decl.initializer ? unwrap(decl.initializer) : undefined;
    if (init && tsv.isObjectLiteralExpression(init)) {
      const p = findProp(init, u.name.text);
      if (p && tsv.isPropertyAssignment(p)) return evaluate(p.initializer, next);
    }
  }
  return [UNKNOWN];
}

/** `['', 'app', stage, 'db'].join('/')`. */
function evaluateJoin(u: ts.CallExpression, next: Scope): string[] {
  if (!tsv.isPropertyAccessExpression(u.expression) || u.expression.name.text !== 'join'
    || !tsv.isArrayLiteralExpression(unwrap(u.expression.expression))) return [UNKNOWN];
  const arr = unwrap(u.expression.expression) as ts.ArrayLiteralExpression;
  const sep = u.arguments[0] ? evaluate(u.arguments[0], next) : [','];
  if (sep.length !== 1 || sep[0].includes(UNKNOWN)) return [UNKNOWN];
  let acc = [''];
  arr.elements.forEach((el, i) => { acc = product(acc, i ? product([sep[0]], evaluate(el, next)) : evaluate(el, next)); });
  return acc;
}

/** Names of an expression the IaC left as a variable (`${Stage}`) stay as written; only `UNKNOWN` cuts a name. */
export function toReference(value: string): { name: string; prefix: boolean } | undefined {
  if (isCredentialText(value)) return undefined; // a secret where a name belongs: not a name to grant or show
  const i = value.indexOf(UNKNOWN);
  if (i < 0) return { name: value, prefix: false };
  const pre = value.slice(0, i);
  // A prefix that is only `/` (or empty) names nothing useful.
  if (!pre.replace(/^\/+/, '').length) return undefined;
  return { name: pre, prefix: true };
}

export function hintOf(e: ts.Node | undefined): string | undefined {
  if (!e) return undefined;
  let u = unwrap(e);
  if (tsv.isBinaryExpression(u)) u = unwrap(u.left);
  const env = envVarName(u);
  if (env) return env;
  if (tsv.isPropertyAccessExpression(u)) return u.name.text;
  if (tsv.isIdentifier(u)) return u.text;
  if (tsv.isTemplateExpression(u) && u.head.text === '' && u.templateSpans[0]) return hintOf(u.templateSpans[0].expression);
  return undefined;
}

