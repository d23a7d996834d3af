// Reading the handler code around a fetch: where a response is used, whether only its value is read, whether
// the handler changes it, which statements a rewrite may remove.
import { ts, tsv } from '../ts';
import type { FetchCall } from '../lambda/model';
import { parentSkippingParens, type FnLike } from './common';
import { lineIndentAt, reindent } from './style';

export function isAsync(fn: FnLike): boolean {
  return !!ts.getModifiers(fn)?.some((m) => m.kind === tsv.SyntaxKind.AsyncKeyword);
}

/** Declaration of a local identifier inside `fn`: `const x = <init>` (the only declaration of that name). */
export function localDecl(fn: FnLike, name: string): ts.VariableDeclaration | undefined {
  let byName = declsOf.get(fn);
  if (!byName) {
    // one walk per function (asked once per name and fetch): each name's only declaration, or null when several
    const found = byName = new Map<string, ts.VariableDeclaration | null>();
    const visit = (n: ts.Node): void => {
      if (tsv.isVariableDeclaration(n) && tsv.isIdentifier(n.name)) found.set(n.name.text, found.has(n.name.text) ? null : n);
      tsv.forEachChild(n, visit);
    };
    if (fn.body) visit(fn.body);
    declsOf.set(fn, byName);
  }
  return byName.get(name) ?? undefined;
}

/** Per function, the variable declarations with a simple name (the tree does not change while it is analysed). */
const declsOf = new WeakMap<FnLike, Map<string, ts.VariableDeclaration | null>>();

function isRefTo(x: ts.Node, name: string): x is ts.Identifier {
  if (!tsv.isIdentifier(x) || x.text !== name) return false;
  const p = x.parent;
  return !(tsv.isPropertyAccessExpression(p) && p.name === x) && !(tsv.isPropertyAssignment(p) && p.name === x)
    && !(tsv.isVariableDeclaration(p) && p.name === x) && !(tsv.isBindingElement(p) && (p.name === x || p.propertyName === x));
}

/** References to `name` in `scope` (declarations, property names and keys excluded). */
export function identifierRefs(scope: ts.Node, name: string): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (x: ts.Node): void => {
    if (isRefTo(x, name)) out.push(x);
    tsv.forEachChild(x, visit);
  };
  visit(scope);
  return out;
}

export function countRefs(scope: ts.Node, name: string): number {
  return identifierRefs(scope, name).length;
}

/** No condition, loop or try between `from` and `to`: the code at `from` runs whenever `to` does. */
export function isPlainPath(from: ts.Node, to: ts.Node): boolean {
  for (let p = from.parent; p && p !== to; p = p.parent) {
    if (tsv.isIfStatement(p) || tsv.isConditionalExpression(p) || tsv.isIterationStatement(p, false) || tsv.isTryStatement(p)
      || tsv.isCatchClause(p) || tsv.isSwitchStatement(p) || tsv.isCaseClause(p) || tsv.isDefaultClause(p)) return false;
    if (tsv.isBinaryExpression(p) && [tsv.SyntaxKind.AmpersandAmpersandToken, tsv.SyntaxKind.BarBarToken, tsv.SyntaxKind.QuestionQuestionToken]
      .includes(p.operatorToken.kind)) return false;
  }
  return true;
}

export function blocksOf(n: ts.Node, fn: FnLike): ts.Block[] {
  const out: ts.Block[] = [];
  for (let p = n.parent; p && p !== fn; p = p.parent) if (tsv.isBlock(p)) out.unshift(p);
  return out;
}

/**
 * The end of `x.Parameter?.Value` / `x.Parameter!.Value` (GetParameter) or `x.SecretString` (GetSecretValue) read
 * from `node` (the response), or undefined when `node` is used some other way.
 */
export function valueChain(node: ts.Node, f: FetchCall): ts.Node | undefined {
  const up = (n: ts.Node) => { let p = n.parent; while (p && (tsv.isNonNullExpression(p) || tsv.isParenthesizedExpression(p))) p = p.parent; return p; };
  const p = up(node);
  if (!p || !tsv.isPropertyAccessExpression(p)) return undefined;
  if (f.op === 'GetSecretValue') return p.name.text === 'SecretString' ? p : undefined;
  if (f.op !== 'GetParameter' || p.name.text !== 'Parameter') return undefined;
  const q = up(p);
  return q && tsv.isPropertyAccessExpression(q) && q.name.text === 'Value' ? q : undefined;
}

const MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'delete', 'clear', 'add']);
const OBJECT_MUTATORS = new Set(['assign', 'defineProperty', 'defineProperties', 'setPrototypeOf']);

function isAssignmentTarget(n: ts.Node): boolean {
  const p = n.parent;
  if (tsv.isBinaryExpression(p) && p.left === n && p.operatorToken.kind >= tsv.SyntaxKind.FirstAssignment && p.operatorToken.kind <= tsv.SyntaxKind.LastAssignment) return true;
  if ((tsv.isPrefixUnaryExpression(p) || tsv.isPostfixUnaryExpression(p))
    && (p.operator === tsv.SyntaxKind.PlusPlusToken || p.operator === tsv.SyntaxKind.MinusMinusToken)) return true;
  return tsv.isDeleteExpression(p);
}

/**
 * The function a call's callee names when it is declared in the same file (`function f(…)`, `const f = (…) =>`,
 * `const f = function (…)`), the only declaration of that name; undefined otherwise (an import, a method, a value).
 */
function localFunction(sf: ts.SourceFile, callee: ts.Expression): ts.SignatureDeclaration & { body?: ts.Node } | undefined {
  if (!tsv.isIdentifier(callee)) return undefined;
  const found: (ts.SignatureDeclaration & { body?: ts.Node })[] = [];
  const visit = (n: ts.Node): void => {
    if (tsv.isFunctionDeclaration(n) && n.name?.text === callee.text && n.body) found.push(n);
    else if (tsv.isVariableDeclaration(n) && tsv.isIdentifier(n.name) && n.name.text === callee.text && n.initializer
      && (tsv.isArrowFunction(n.initializer) || tsv.isFunctionExpression(n.initializer))) found.push(n.initializer);
    tsv.forEachChild(n, visit);
  };
  visit(sf);
  return found.length === 1 ? found[0] : undefined;
}

/** Whether passing `arg` to `call` lets a function of this file change it (the parameter it lands in is mutated there). */
function mutatedByCallee(call: ts.CallExpression, arg: ts.Node, depth: number): boolean {
  const i = call.arguments.indexOf(arg as ts.Expression);
  if (i < 0 || depth > 3) return false;
  const fn = localFunction(arg.getSourceFile(), call.expression);
  const param = fn?.parameters[i];
  if (!fn?.body || !param || param.dotDotDotToken) return false;
  if (tsv.isIdentifier(param.name)) return isMutated(fn.body, param.name.text, depth + 1);
  // A destructured parameter copies the top level; its object-valued parts are still shared.
  return param.name.elements.some((el) => tsv.isBindingElement(el) && tsv.isIdentifier(el.name) && isMutated(fn.body!, el.name.text, depth + 1));
}

/**
 * Whether the function changes what `name` holds: writes a property, calls a mutating method, `Object.assign(name, …)`,
 * or passes it (or a part of it) to a function of this file that does.
 */
export function isMutated(scope: ts.Node, name: string, depth = 0): boolean {
  for (const ref of identifierRefs(scope, name)) {
    let cur: ts.Node = ref;
    for (;;) {
      const p = cur.parent;
      if ((tsv.isPropertyAccessExpression(p) || tsv.isElementAccessExpression(p)) && p.expression === cur) { cur = p; continue; }
      if (tsv.isNonNullExpression(p) || tsv.isParenthesizedExpression(p)) { cur = p; continue; }
      break;
    }
    if (cur !== ref && isAssignmentTarget(cur)) return true;
    let asArg: ts.Node = cur;
    while (tsv.isParenthesizedExpression(asArg.parent)) asArg = asArg.parent;
    if (tsv.isCallExpression(asArg.parent) && mutatedByCallee(asArg.parent, asArg, depth)) return true;
    if (tsv.isPropertyAccessExpression(cur) && MUTATORS.has(cur.name.text) && tsv.isCallExpression(cur.parent) && cur.parent.expression === cur) return true;
    // The object (or a part of it) passed as the target of Object.assign & co.
    let arg: ts.Node = cur;
    while (tsv.isPropertyAccessExpression(arg) && MUTATORS.has(arg.name.text)) arg = arg.expression;
    const call = parentSkippingParens(arg);
    if (tsv.isCallExpression(call) && call.arguments[0] === arg && tsv.isPropertyAccessExpression(call.expression)
      && OBJECT_MUTATORS.has(call.expression.name.text) && tsv.isIdentifier(call.expression.expression) && call.expression.expression.text === 'Object') return true;
    // A for…of/in writing into it, or a destructuring assignment target.
    if (cur !== ref && (tsv.isArrayLiteralExpression(cur.parent) || tsv.isShorthandPropertyAssignment(cur.parent) || tsv.isPropertyAssignment(cur.parent))) {
      let q: ts.Node = cur.parent;
      while (tsv.isArrayLiteralExpression(q) || tsv.isObjectLiteralExpression(q) || tsv.isPropertyAssignment(q)) q = q.parent;
      if (tsv.isBinaryExpression(q) && q.operatorToken.kind === tsv.SyntaxKind.EqualsToken && q.left.pos <= cur.pos && cur.end <= q.left.end) return true;
    }
  }
  return false;
}

function isJsonParse(e: ts.Expression): boolean {
  return tsv.isPropertyAccessExpression(e) && e.name.text === 'parse' && tsv.isIdentifier(e.expression) && e.expression.text === 'JSON';
}

/** Names of types declared inside a function (they cannot be used at module scope). */
function localTypeNames(fn: FnLike): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if ((tsv.isInterfaceDeclaration(n) || tsv.isTypeAliasDeclaration(n) || tsv.isClassDeclaration(n) || tsv.isEnumDeclaration(n)) && n.name) out.add(n.name.text);
    tsv.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return out;
}

function typeRefsOk(n: ts.Node, localTypes: Set<string>): boolean {
  let ok = true;
  const visit = (x: ts.Node): void => {
    if (!ok) return;
    if (tsv.isTypeReferenceNode(x) || tsv.isExpressionWithTypeArguments(x)) {
      let t: ts.Node = tsv.isTypeReferenceNode(x) ? x.typeName : x.expression;
      while (tsv.isQualifiedName(t)) t = t.left;
      while (tsv.isPropertyAccessExpression(t)) t = t.expression;
      if (tsv.isIdentifier(t) && localTypes.has(t.text)) ok = false;
    } else if (tsv.isTypeQueryNode(x)) ok = false; // typeof local
    tsv.forEachChild(x, visit);
  };
  visit(n);
  return ok;
}

export function countDeclarations(fn: FnLike, name: string): number {
  let n = 0;
  const visit = (x: ts.Node): void => {
    if ((tsv.isVariableDeclaration(x) || tsv.isBindingElement(x) || tsv.isParameter(x)) && tsv.isIdentifier(x.name) && x.name.text === name) n++;
    tsv.forEachChild(x, visit);
  };
  for (const p of fn.parameters) visit(p);
  if (fn.body) visit(fn.body);
  return n;
}

export interface ParsedSecret {
  /** `const creds = JSON.parse(…)` — removed: the loader parses once. */
  decl: ts.VariableStatement;
  /** The binding as written (`creds`, `{ username, password }`). */
  bindingText: string;
  /** Names it declares. */
  names: string[];
  /** `JSON.parse(response.SecretString ?? '{}') as T`, indentation-free. */
  parseText: string;
  typeText?: string;
}

/** `const creds = JSON.parse(res.SecretString ?? '{}') as T` — the only use of a fetched secret, in the same block. */
export function jsonParseOf(f: FetchCall, removable: ts.VariableStatement, binding: string, fn: FnLike, sf: ts.SourceFile, text: string): ParsedSecret | undefined {
  if (f.op !== 'GetSecretValue') return undefined;
  const refs = identifierRefs(fn.body!, binding);
  if (refs.length !== 1) return undefined;
  const acc = refs[0].parent;
  if (!tsv.isPropertyAccessExpression(acc) || acc.expression !== refs[0] || acc.name.text !== 'SecretString') return undefined;
  let cur: ts.Node = acc;
  for (;;) {
    const p = cur.parent;
    if (tsv.isNonNullExpression(p) || tsv.isParenthesizedExpression(p) || tsv.isAsExpression(p)) { cur = p; continue; }
    if (tsv.isBinaryExpression(p) && p.left === cur && (p.operatorToken.kind === tsv.SyntaxKind.QuestionQuestionToken
      || p.operatorToken.kind === tsv.SyntaxKind.BarBarToken) && tsv.isStringLiteralLike(p.right)) { cur = p; continue; }
    break;
  }
  const call = cur.parent;
  if (!tsv.isCallExpression(call) || call.arguments.length !== 1 || call.arguments[0] !== cur || !isJsonParse(call.expression)) return undefined;
  let top: ts.Node = call;
  while (tsv.isAsExpression(top.parent) || tsv.isParenthesizedExpression(top.parent) || tsv.isSatisfiesExpression(top.parent)) top = top.parent;
  const d = top.parent;
  if (!tsv.isVariableDeclaration(d) || d.initializer !== top) return undefined;
  const st = d.parent?.parent;
  if (!st || !tsv.isVariableStatement(st) || st.declarationList.declarations.length !== 1 || !(st.declarationList.flags & tsv.NodeFlags.Const)) return undefined;
  if (st.parent !== removable.parent) return undefined;
  const declared: string[] = [];
  const collect = (n: ts.BindingName) => {
    if (tsv.isIdentifier(n)) declared.push(n.text);
    else for (const el of n.elements) if (!tsv.isOmittedExpression(el)) collect(el.name);
  };
  collect(d.name);
  for (const n of declared) if (countDeclarations(fn, n) !== 1) return undefined;
  if (!typeRefsOk(d, localTypeNames(fn))) return undefined;
  const indent = lineIndentAt(text, st.getStart(sf));
  return {
    decl: st,
    bindingText: text.slice(d.name.getStart(sf), d.name.end),
    names: declared,
    parseText: reindent(text.slice(top.getStart(sf), top.end), indent, ''),
    typeText: d.type ? text.slice(d.type.getStart(sf), d.type.end) : undefined,
  };
}
