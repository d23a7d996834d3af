// Helpers shared by the secret and IAM rules: one parse per document, name lookup on the TS syntax tree.
import { type ts, tsv } from '../../ts';
import { parseInfra, type InfraModel } from '../../iac';
import type { DocumentContext, Range } from '../../types';

let last: { path: string; text: string; model: InfraModel } | undefined;

/** The infrastructure model of a YAML/JSON document, parsed once for all rules that ask for the same text. */
export function modelOf(ctx: DocumentContext): InfraModel {
  if (last && last.path === ctx.path && last.text === ctx.text) return last.model;
  const model = parseInfra(ctx.text, ctx.kind === 'json' ? 'json' : 'yaml');
  last = { path: ctx.path, text: ctx.text, model };
  return model;
}

export function docRange(ctx: { positionAt(o: number): Range['start'] }, start: number, end: number): Range {
  return { start: ctx.positionAt(start), end: ctx.positionAt(Math.max(start, end)) };
}

export function nodeRange(sf: ts.SourceFile, node: ts.Node, positionAt: (o: number) => Range['start']): Range {
  return { start: positionAt(node.getStart(sf)), end: positionAt(node.end) };
}

/** The name of a property name node (`foo`, `'foo'`, `["foo"]`, `#foo`). */
export function propertyNameText(name: ts.Node | undefined): string | undefined {
  if (!name) return undefined;
  switch (name.kind) {
    case tsv.SyntaxKind.Identifier:
    case tsv.SyntaxKind.PrivateIdentifier:
    case tsv.SyntaxKind.StringLiteral:
    case tsv.SyntaxKind.NoSubstitutionTemplateLiteral:
      return (name as ts.Identifier).text;
    case tsv.SyntaxKind.ComputedPropertyName: {
      const e = (name as ts.ComputedPropertyName).expression;
      return tsv.isStringLiteralLike(e) ? e.text : undefined;
    }
    case tsv.SyntaxKind.JsxNamespacedName:
      return (name as ts.JsxNamespacedName).name.text;
    default:
      return undefined;
  }
}

/** The name an expression stands for: `x` -> x, `a.b.c` -> c, `a['c']` -> c, `this.#c` -> c. */
export function expressionName(e: ts.Node | undefined): string | undefined {
  if (!e) return undefined;
  if (e.kind === tsv.SyntaxKind.Identifier) return (e as ts.Identifier).text;
  if (e.kind === tsv.SyntaxKind.PropertyAccessExpression) return (e as ts.PropertyAccessExpression).name.text;
  if (e.kind === tsv.SyntaxKind.ElementAccessExpression) {
    const a = (e as ts.ElementAccessExpression).argumentExpression;
    return tsv.isStringLiteralLike(a) ? a.text : undefined;
  }
  return undefined;
}

/** Text of a string-ish expression: literals as is; template expressions with each substitution as `${…}`. */
export function literalText(e: ts.Node | undefined): string | undefined {
  if (!e) return undefined;
  if (e.kind === tsv.SyntaxKind.StringLiteral || e.kind === tsv.SyntaxKind.NoSubstitutionTemplateLiteral) return (e as ts.StringLiteral).text;
  if (e.kind === tsv.SyntaxKind.TemplateExpression) {
    const t = e as ts.TemplateExpression;
    return t.head.text + t.templateSpans.map((s) => '${…}' + s.literal.text).join('');
  }
  return undefined;
}

/** Property of an object literal by name. */
export function objectProperty(obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of obj.properties) {
    if (p.kind === tsv.SyntaxKind.PropertyAssignment && propertyNameText(p.name) === name) return p.initializer;
    if (p.kind === tsv.SyntaxKind.ShorthandPropertyAssignment && p.name.text === name) return p.name;
  }
  return undefined;
}

/** Unwrap `(x)`, `x as T`, `x!`, `x satisfies T`. */
export function unwrap(e: ts.Expression): ts.Expression {
  let cur = e;
  for (;;) {
    if (tsv.isParenthesizedExpression(cur) || tsv.isAsExpression(cur) || tsv.isNonNullExpression(cur) || tsv.isSatisfiesExpression(cur)
      || tsv.isTypeAssertionExpression(cur)) cur = cur.expression;
    else return cur;
  }
}

/** Is `e` the expression `process.env`? */
export function isProcessEnv(e: ts.Node): boolean {
  const u = tsv.isExpression(e) ? unwrap(e) : e;
  return u.kind === tsv.SyntaxKind.PropertyAccessExpression
    && (u as ts.PropertyAccessExpression).name.text === 'env'
    && (u as ts.PropertyAccessExpression).expression.kind === tsv.SyntaxKind.Identifier
    && ((u as ts.PropertyAccessExpression).expression as ts.Identifier).text === 'process';
}

const EXAMPLE_WORDS = new Set(['example', 'examples', 'sample', 'samples', 'template', 'dist', 'default', 'defaults', 'tmpl', 'tpl']);

/**
 * Files whose values are placeholders by intent: `.env.example`, `.env.sample`, `example.env`, `config.example.json`,
 * `docker-compose.sample.yml`. (`template.yaml` is SAM's default template name, so only inner segments count for YAML/JSON.)
 */
export function isExampleFile(path: string): boolean {
  const base = path.replace(/^.*[\\/]/, '').toLowerCase();
  const segs = base.split('.');
  const env = segs.includes('env');
  const inner = env ? segs : segs.slice(1, -1);
  return inner.some((s) => EXAMPLE_WORDS.has(s) || s.split(/[_-]/).some((w) => EXAMPLE_WORDS.has(w)));
}
