// Constant folding of string expressions, so values assembled in code are judged whole: concatenation
// (`'sk-ant-' + '…'`), `[…].join('')`, `Buffer.from(…, 'base64').toString()`, `atob(…)`, `btoa('user:pass')`,
// template literals whose parts are all constant, and `const` identifiers of the same file. Never throws.
import { type ts, tsv } from '../ts';

const SK = tsv.SyntaxKind;
const MAX_LEN = 100_000;

/**
 * The outermost expression around a string literal that folding can still see through: `+` chains, parentheses,
 * `[…].join()`, `Buffer.from(…)`/`.toString()`, `atob`/`btoa`, `String(…)`.
 */
export function foldRoot(lit: ts.Node): ts.Node {
  let cur = lit;
  for (let depth = 0; depth < 64; depth++) {
    const p = cur.parent;
    if (!p) return cur;
    if (p.kind === SK.ParenthesizedExpression) { cur = p; continue; }
    // `${…}` of a template literal: the template is judged whole when every part folds
    if (p.kind === SK.TemplateSpan && (p as ts.TemplateSpan).expression === cur && p.parent) { cur = p.parent; continue; }
    if (p.kind === SK.BinaryExpression && (p as ts.BinaryExpression).operatorToken.kind === SK.PlusToken) { cur = p; continue; }
    if (p.kind === SK.ArrayLiteralExpression) {
      const call = joinCallOf(p as ts.ArrayLiteralExpression);
      if (call) { cur = call; continue; }
      return cur;
    }
    if (p.kind === SK.CallExpression && (p as ts.CallExpression).arguments[0] === cur) {
      const fn = calleeName(p as ts.CallExpression);
      if (fn === 'atob' || fn === 'btoa' || fn === 'String' || fn === 'Buffer.from' || fn === 'decodeURIComponent') {
        cur = toStringCallOf(p) ?? p;
        continue;
      }
    }
    return cur;
  }
  return cur;
}

/** `[…].join(sep)` around an array literal. */
function joinCallOf(arr: ts.ArrayLiteralExpression): ts.CallExpression | undefined {
  const pa = arr.parent;
  if (pa?.kind !== SK.PropertyAccessExpression || (pa as ts.PropertyAccessExpression).expression !== arr) return undefined;
  if ((pa as ts.PropertyAccessExpression).name.text !== 'join') return undefined;
  const call = pa.parent;
  return call?.kind === SK.CallExpression && (call as ts.CallExpression).expression === pa ? call as ts.CallExpression : undefined;
}

/** `x.toString(…)` around a call. */
function toStringCallOf(e: ts.Node): ts.CallExpression | undefined {
  const pa = e.parent;
  if (pa?.kind !== SK.PropertyAccessExpression || (pa as ts.PropertyAccessExpression).expression !== e) return undefined;
  if ((pa as ts.PropertyAccessExpression).name.text !== 'toString') return undefined;
  const call = pa.parent;
  return call?.kind === SK.CallExpression && (call as ts.CallExpression).expression === pa ? call as ts.CallExpression : undefined;
}

function calleeName(c: ts.CallExpression): string | undefined {
  const e = c.expression;
  if (e.kind === SK.Identifier) return (e as ts.Identifier).text;
  if (e.kind === SK.PropertyAccessExpression) {
    const pa = e as ts.PropertyAccessExpression;
    if (pa.expression.kind === SK.Identifier) {
      const obj = (pa.expression as ts.Identifier).text;
      if (obj === 'Buffer' && pa.name.text === 'from') return 'Buffer.from';
      if ((obj === 'window' || obj === 'globalThis' || obj === 'self') && (pa.name.text === 'atob' || pa.name.text === 'btoa')) return pa.name.text;
    }
    return '.' + pa.name.text;
  }
  return undefined;
}

/** Bytes held by a folded `Buffer.from(…)`, as a latin1 string. */
interface Bytes { bytes: string }

/** Constant `const NAME = …` initialisers of the file, looked up by name (first declaration wins). */
export type ConstLookup = (name: string) => ts.Expression | undefined;

export function constLookup(sf: ts.SourceFile): ConstLookup {
  let map: Map<string, ts.Expression> | undefined;
  return (name) => {
    if (!map) {
      map = new Map();
      const visit = (n: ts.Node): void => {
        if (n.kind === SK.VariableStatement) {
          const list = (n as ts.VariableStatement).declarationList;
          if (list.flags & tsv.NodeFlags.Const) {
            for (const d of list.declarations) {
              if (d.name.kind === SK.Identifier && d.initializer && !map!.has(d.name.text)) map!.set(d.name.text, d.initializer);
            }
          }
        }
        if (n.kind === SK.SourceFile || n.kind === SK.ModuleBlock || n.kind === SK.ModuleDeclaration) tsv.forEachChild(n, visit);
      };
      visit(sf);
    }
    return map.get(name);
  };
}

/** The constant string (or bytes) an expression folds to, or undefined when any part is computed at run time. */
export function foldString(e: ts.Node, lookup?: ConstLookup): string | undefined {
  const r = fold(e, lookup, 0);
  return typeof r === 'string' ? r : r ? Buffer.from(r.bytes, 'latin1').toString('utf8') : undefined;
}

function fold(e: ts.Node, lookup: ConstLookup | undefined, depth: number): string | Bytes | undefined {
  if (depth > 24) return undefined;
  switch (e.kind) {
    case SK.StringLiteral: case SK.NoSubstitutionTemplateLiteral:
      return (e as ts.StringLiteral).text;
    case SK.NumericLiteral:
      return (e as ts.NumericLiteral).text;
    case SK.ParenthesizedExpression: case SK.AsExpression: case SK.NonNullExpression: case SK.SatisfiesExpression:
      return fold((e as ts.ParenthesizedExpression).expression, lookup, depth + 1);
    case SK.TemplateExpression: {
      const t = e as ts.TemplateExpression;
      let s = t.head.text;
      for (const span of t.templateSpans) {
        const v = str(fold(span.expression, lookup, depth + 1));
        if (v === undefined) return undefined;
        s += v + span.literal.text;
        if (s.length > MAX_LEN) return undefined;
      }
      return s;
    }
    case SK.BinaryExpression: {
      const b = e as ts.BinaryExpression;
      if (b.operatorToken.kind !== SK.PlusToken) return undefined;
      const l = str(fold(b.left, lookup, depth + 1));
      if (l === undefined) return undefined;
      const r = str(fold(b.right, lookup, depth + 1));
      if (r === undefined || l.length + r.length > MAX_LEN) return undefined;
      return l + r;
    }
    case SK.Identifier: {
      const init = lookup?.((e as ts.Identifier).text);
      return init ? fold(init, lookup, depth + 4) : undefined;
    }
    case SK.ArrayLiteralExpression:
      return undefined;
    case SK.CallExpression:
      return foldCall(e as ts.CallExpression, lookup, depth);
    default:
      return undefined;
  }
}

function str(v: string | Bytes | undefined): string | undefined {
  return typeof v === 'string' ? v : v ? Buffer.from(v.bytes, 'latin1').toString('utf8') : undefined;
}

function foldCall(c: ts.CallExpression, lookup: ConstLookup | undefined, depth: number): string | Bytes | undefined {
  const fn = calleeName(c);
  const arg = (i: number) => c.arguments[i] ? fold(c.arguments[i], lookup, depth + 1) : undefined;
  const argStr = (i: number) => str(arg(i));
  switch (fn) {
    case 'String': case 'decodeURIComponent': {
      const v = argStr(0);
      if (v === undefined || fn === 'String') return v;
      try { return decodeURIComponent(v); } catch { return undefined; }
    }
    case 'atob': {
      const v = argStr(0);
      return v === undefined ? undefined : { bytes: Buffer.from(v, 'base64').toString('latin1') };
    }
    case 'btoa': {
      const v = argStr(0);
      return v === undefined ? undefined : Buffer.from(v, 'latin1').toString('base64');
    }
    case 'Buffer.from': {
      const v = arg(0);
      if (v === undefined) return undefined;
      if (typeof v !== 'string') return v;
      const enc = c.arguments[1] ? argStr(1) : 'utf8';
      if (enc === 'base64' || enc === 'base64url' || enc === 'hex' || enc === 'utf8' || enc === 'utf-8' || enc === 'latin1' || enc === 'binary' || enc === 'ascii') {
        return { bytes: Buffer.from(v, enc as BufferEncoding).toString('latin1') };
      }
      return undefined;
    }
    case '.toString': {
      const target = (c.expression as ts.PropertyAccessExpression).expression;
      const v = fold(target, lookup, depth + 1);
      if (v === undefined || typeof v === 'string') return v;
      const enc = c.arguments[0] ? argStr(0) : 'utf8';
      if (enc === 'base64' || enc === 'base64url' || enc === 'hex' || enc === 'utf8' || enc === 'utf-8' || enc === 'latin1' || enc === 'ascii') {
        return Buffer.from(v.bytes, 'latin1').toString(enc as BufferEncoding);
      }
      return undefined;
    }
    case '.join': {
      const target = (c.expression as ts.PropertyAccessExpression).expression;
      if (target.kind !== SK.ArrayLiteralExpression) return undefined;
      const sep = c.arguments[0] ? argStr(0) : ',';
      if (sep === undefined) return undefined;
      const parts: string[] = [];
      let len = 0;
      for (const el of (target as ts.ArrayLiteralExpression).elements) {
        const v = str(fold(el, lookup, depth + 1));
        if (v === undefined) return undefined;
        parts.push(v);
        len += v.length + sep.length;
        if (len > MAX_LEN) return undefined;
      }
      return parts.join(sep);
    }
    case '.concat': {
      const target = (c.expression as ts.PropertyAccessExpression).expression;
      let s = str(fold(target, lookup, depth + 1));
      if (s === undefined) return undefined;
      for (let i = 0; i < c.arguments.length; i++) {
        const v = argStr(i);
        if (v === undefined) return undefined;
        s += v;
      }
      return s;
    }
    default:
      return undefined;
  }
}
