// Small syntax helpers of the exposure analysis: unwrapping, names, classes, statement order, and the shapes of masking.
import { type ts, tsv } from '../ts';
import { isFunctionLike, type FunctionLike } from './scope';

const SK = tsv.SyntaxKind;

export type ClassNode = ts.ClassDeclaration | ts.ClassExpression;

/** A mask character in a replacement or a concatenated literal: `*`, `•`, `…`, `#`, `x` runs. */
export const MASK_TEXT = /[*•…#]|xxx|XXX|\.\.\.|REDACTED|redacted|hidden|masked/;
/** The largest window a `slice`/`substring` may show and still count as masking. */
const MASK_WINDOW = 8;

export function unwrap(e: ts.Expression): ts.Expression {
  while (e.kind === SK.ParenthesizedExpression || e.kind === SK.AsExpression || e.kind === SK.NonNullExpression
    || e.kind === SK.SatisfiesExpression || e.kind === SK.TypeAssertionExpression || e.kind === SK.AwaitExpression) {
    e = (e as ts.ParenthesizedExpression).expression;
  }
  return e;
}

export function literalKey(e: ts.Expression): string | undefined {
  const u = unwrap(e);
  if (tsv.isStringLiteralLike(u) || tsv.isNumericLiteral(u)) return u.text;
  return undefined;
}

export function propName(n: ts.PropertyName | undefined): string | undefined {
  if (!n) return undefined;
  if (tsv.isIdentifier(n) || tsv.isStringLiteralLike(n) || tsv.isNumericLiteral(n) || tsv.isPrivateIdentifier(n)) return n.text;
  if (tsv.isComputedPropertyName(n)) return literalKey(n.expression);
  return undefined;
}

/** `process.env` itself. */
export function isProcessEnv(e: ts.Expression): boolean {
  const u = unwrap(e);
  return tsv.isPropertyAccessExpression(u) && u.name.text === 'env' && tsv.isIdentifier(u.expression) && u.expression.text === 'process';
}

/** The class whose `this` a node sees (through arrow functions, not through function expressions). */
export function classOf(n: ts.Node): ClassNode | undefined {
  for (let p = n.parent; p; p = p.parent) {
    if (p.kind === SK.ClassDeclaration || p.kind === SK.ClassExpression) return p as ClassNode;
    if (p.kind === SK.FunctionExpression || p.kind === SK.FunctionDeclaration) return undefined;
  }
  return undefined;
}

export function classMethod(cls: ClassNode, name: string): FunctionLike | undefined {
  for (const m of cls.members) {
    if (propName(m.name) !== name) continue;
    if (tsv.isMethodDeclaration(m) && m.body) return m;
    if (tsv.isPropertyDeclaration(m) && m.initializer) {
      const u = unwrap(m.initializer);
      if (isFunctionLike(u)) return u;
    }
  }
  return undefined;
}

export function enclosingFunction(n: ts.Node): ts.Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (isFunctionLike(p)) return p;
  return undefined;
}

export function isLoop(n: ts.Node): boolean {
  switch (n.kind) {
    case SK.ForStatement: case SK.ForOfStatement: case SK.ForInStatement: case SK.WhileStatement: case SK.DoStatement:
      return true;
    default:
      return false;
  }
}

/** Whether a write always runs before `read`: its statement sits in a block that also contains the read. */
export function always(write: ts.Node, read: ts.Node): boolean {
  let st: ts.Node = write;
  while (st.parent && (st.parent.kind === SK.ParenthesizedExpression || st.parent.kind === SK.AwaitExpression || st.parent.kind === SK.BinaryExpression
    && (st.parent as ts.BinaryExpression).operatorToken.kind === SK.CommaToken)) st = st.parent;
  const stmt = st.parent;
  if (!stmt || stmt.kind !== SK.ExpressionStatement) return false;
  const block = stmt.parent;
  if (!block || (block.kind !== SK.Block && block.kind !== SK.SourceFile && block.kind !== SK.CaseClause && block.kind !== SK.DefaultClause)) return false;
  for (let p = read.parent; p; p = p.parent) if (p === block) return true;
  return false;
}

/** `'***'`, `'[redacted]'`, `undefined`, `null`, `''`: a value that replaces a field to hide it. */
export function isMaskValue(e: ts.Expression): boolean {
  const u = unwrap(e);
  if (u.kind === SK.NullKeyword || (tsv.isIdentifier(u) && u.text === 'undefined') || u.kind === SK.VoidExpression) return true;
  return tsv.isStringLiteralLike(u) && (u.text === '' || MASK_TEXT.test(u.text));
}

/** Simple expressions compared by text: `x`, `this.x`, `cfg.apiKey`. */
export function sameRef(a: ts.Expression, b: ts.Expression): boolean {
  const ua = unwrap(a);
  const ub = unwrap(b);
  const simple = (e: ts.Expression): boolean => tsv.isIdentifier(e) || e.kind === SK.ThisKeyword
    || (tsv.isPropertyAccessExpression(e) && simple(unwrap(e.expression)));
  return simple(ua) && simple(ub) && ua.getText() === ub.getText();
}

/**
 * The branch of `cond ? a : b` that hands the value back unmasked only when it is empty or short: `v ? mask(v) : v`
 * (b is falsy), `!v ? v : mask(v)`, `v.length > 8 ? mask(v) : v`.
 */
export function rawBranch(c: ts.ConditionalExpression): ts.Expression | undefined {
  let cond = unwrap(c.condition);
  let negated = false;
  while (tsv.isPrefixUnaryExpression(cond) && cond.operator === SK.ExclamationToken) { negated = !negated; cond = unwrap(cond.operand); }
  const whenEmpty = negated ? c.whenTrue : c.whenFalse;
  if (sameRef(cond, whenEmpty)) return whenEmpty;
  // v.length > n ? mask : v  /  v.length < n ? v : mask
  if (tsv.isBinaryExpression(cond) && tsv.isPropertyAccessExpression(unwrap(cond.left)) && (unwrap(cond.left) as ts.PropertyAccessExpression).name.text === 'length') {
    const base = (unwrap(cond.left) as ts.PropertyAccessExpression).expression;
    const k = cond.operatorToken.kind;
    const shortBranch = k === SK.GreaterThanToken || k === SK.GreaterThanEqualsToken ? (negated ? c.whenTrue : c.whenFalse)
      : k === SK.LessThanToken || k === SK.LessThanEqualsToken ? (negated ? c.whenFalse : c.whenTrue) : undefined;
    if (shortBranch && sameRef(base, shortBranch)) return shortBranch;
  }
  return undefined;
}

export function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v); else m.set(k, [v]);
}

/** `key.slice(0, 4)`, `key.slice(-4)`, `key.substring(0, 6)`: a short window is a masked form. */
export function isMaskWindow(c: ts.CallExpression, m: string): boolean {
  const num = (e: ts.Expression | undefined): number | undefined => {
    if (!e) return undefined;
    const u = unwrap(e);
    if (tsv.isNumericLiteral(u)) return Number(u.text);
    if (tsv.isPrefixUnaryExpression(u) && u.operator === SK.MinusToken && tsv.isNumericLiteral(u.operand)) return -Number(u.operand.text);
    return undefined;
  };
  const [a, b] = [num(c.arguments[0]), num(c.arguments[1])];
  if (a === undefined) return false;
  if (c.arguments.length === 1) return a < 0 && -a <= MASK_WINDOW;
  if (b === undefined) return false;
  if (m === 'substr') return b <= MASK_WINDOW;
  return b >= 0 && a >= 0 ? Math.abs(b - a) <= MASK_WINDOW : a < 0 && b <= 0 ? b - a <= MASK_WINDOW : false;
}

/** `key.replace(/.(?=.{4})/g, '*')`, `key.replace(/./g, (c, i) => …)`: a replacement by mask characters or a function. */
export function isMaskReplace(c: ts.CallExpression): boolean {
  const r = c.arguments[1] && unwrap(c.arguments[1]);
  if (!r) return false;
  if (isFunctionLike(r)) return true;
  return tsv.isStringLiteralLike(r) && MASK_TEXT.test(r.text);
}
