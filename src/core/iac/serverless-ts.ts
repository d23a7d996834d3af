// serverless.ts / serverless.js (issue 13 §3): the configuration object, read from the TypeScript AST into the same
// position-keeping tree as serverless.yml, so the function mapping, the IAM rules and policy generation read it like YAML.
// Follows what is written in the file: the exported object (`export default`, `module.exports =`, `export =`, or the
// variable they name), spreads and shorthand properties of the file's own constants, `as`/`satisfies`. Values computed
// at run time (calls, imports) are left out. Pure: never throws.
import { ts, tsv } from '../ts';
import type { IacMap, IacNode, IacPair, IacScalar, ParseResult } from './nodes';

/** `serverless.ts`, `serverless.js`, `serverless.mjs`, `serverless.cjs`, `serverless.mts`, `serverless.cts`. */
export function isServerlessScript(path: string): boolean {
  return /(?:^|[\\/])serverless\.[cm]?[jt]s$/i.test(path);
}

function u(e: ts.Expression): ts.Expression {
  while (tsv.isParenthesizedExpression(e) || tsv.isAsExpression(e) || tsv.isSatisfiesExpression(e) || tsv.isNonNullExpression(e)
    || tsv.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

function keyText(n: ts.PropertyName): string | undefined {
  if (tsv.isIdentifier(n) || tsv.isStringLiteralLike(n) || tsv.isNumericLiteral(n)) return n.text;
  if (tsv.isComputedPropertyName(n) && tsv.isStringLiteralLike(n.expression)) return n.expression.text;
  return undefined;
}

class Reader {
  private readonly consts = new Map<string, ts.Expression>();
  private depth = 0;

  constructor(private readonly sf: ts.SourceFile) {
    for (const st of sf.statements) {
      if (!tsv.isVariableStatement(st)) continue;
      for (const d of st.declarationList.declarations) if (tsv.isIdentifier(d.name) && d.initializer) this.consts.set(d.name.text, d.initializer);
    }
  }

  /** The configuration object the file exports, or the top-level object that looks like one. */
  config(): ts.Expression | undefined {
    for (const st of this.sf.statements) {
      if (tsv.isExportAssignment(st)) return st.expression; // export default x / export = x
      if (tsv.isExpressionStatement(st) && tsv.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === tsv.SyntaxKind.EqualsToken
        && st.expression.left.getText(this.sf).replace(/\s/g, '') === 'module.exports') return st.expression.right;
    }
    for (const init of this.consts.values()) {
      const o = u(init);
      if (tsv.isObjectLiteralExpression(o) && o.properties.some((p) => p.name && keyText(p.name) === 'functions')) return o;
    }
    return undefined;
  }

  node(e: ts.Expression): IacNode | undefined {
    if (this.depth > 64) return undefined;
    this.depth++;
    try { return this.read(u(e)); } finally { this.depth--; }
  }

  private scalar(value: IacScalar['value'], e: ts.Node): IacScalar {
    return { type: 'scalar', value, start: e.getStart(this.sf), end: e.end };
  }

  private read(x: ts.Expression): IacNode | undefined {
    if (tsv.isStringLiteralLike(x)) return this.scalar(x.text, x);
    if (tsv.isTemplateExpression(x)) {
      // `${stage}` of a file constant is substituted; anything else is kept as `${…}` (a variable to IaC consumers)
      let t = x.head.text;
      for (const s of x.templateSpans) {
        const c = tsv.isIdentifier(s.expression) ? this.consts.get(s.expression.text) : undefined;
        t += (c && tsv.isStringLiteralLike(u(c)) ? (u(c) as ts.StringLiteralLike).text : '${' + s.expression.getText(this.sf) + '}') + s.literal.text;
      }
      return this.scalar(t, x);
    }
    if (tsv.isNumericLiteral(x)) return this.scalar(Number(x.text), x);
    if (x.kind === tsv.SyntaxKind.TrueKeyword || x.kind === tsv.SyntaxKind.FalseKeyword) return this.scalar(x.kind === tsv.SyntaxKind.TrueKeyword, x);
    if (x.kind === tsv.SyntaxKind.NullKeyword) return this.scalar(null, x);
    if (tsv.isIdentifier(x)) {
      const c = this.consts.get(x.text);
      return c ? this.node(c) : undefined;
    }
    if (tsv.isArrayLiteralExpression(x)) {
      const items: IacNode[] = [];
      for (const el of x.elements) {
        if (tsv.isSpreadElement(el)) { const s = this.node(el.expression); if (s?.type === 'seq') items.push(...s.items); continue; }
        const n = this.node(el);
        if (n) items.push(n);
      }
      return { type: 'seq', items, start: x.getStart(this.sf), end: x.end };
    }
    if (tsv.isObjectLiteralExpression(x)) return this.object(x);
    return undefined;
  }

  private object(x: ts.ObjectLiteralExpression): IacMap {
    const entries: IacPair[] = [];
    const put = (pair: IacPair) => {
      const i = entries.findIndex((p) => p.key.value === pair.key.value);
      if (i >= 0) entries.splice(i, 1); // a later property overrides an earlier one (and a spread's)
      entries.push(pair);
    };
    for (const p of x.properties) {
      if (tsv.isSpreadAssignment(p)) {
        const s = this.node(p.expression);
        if (s?.type === 'map') for (const e of s.entries) put(e);
        continue;
      }
      if (!p.name) continue;
      const k = keyText(p.name);
      if (k === undefined) continue;
      const value = tsv.isPropertyAssignment(p) ? this.node(p.initializer) : tsv.isShorthandPropertyAssignment(p) ? this.node(p.name) : undefined;
      if (value) put({ key: this.scalar(k, p.name), value });
    }
    return { type: 'map', entries, start: x.getStart(this.sf), end: x.end };
  }
}

/** The configuration of a serverless.ts/js file as a tree (one root, or none when no configuration object is found). */
export function parseServerlessScript(path: string, text: string): ParseResult {
  try {
    const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, /\.[cm]?js$/i.test(path) ? ts.ScriptKind.JS : ts.ScriptKind.TS);
    const r = new Reader(sf);
    const cfg = r.config();
    const root = cfg && r.node(cfg);
    return root?.type === 'map' ? { roots: [root], errors: [] } : { roots: [], errors: [{ message: 'no serverless configuration object found', offset: 0 }] };
  } catch (e) {
    return { roots: [], errors: [{ message: `could not be read: ${(e as Error).message}`, offset: 0 }] };
  }
}
