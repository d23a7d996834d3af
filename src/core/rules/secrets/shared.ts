// Helpers shared by the secret and IAM rules: one parse per document, name lookup on the TS syntax tree.
import { type ts, tsv } from '../../ts';
import { buildInfraModel, parseInfra, type InfraModel } from '../../iac';
import { walkTree } from '../../lambda/syntax';
import type { DocumentContext, Range } from '../../types';

let last: { path: string; text: string; model: InfraModel } | undefined;

/** The infrastructure model of a YAML/JSON document, parsed once for all rules that ask for the same text. */
export function modelOf(ctx: DocumentContext): InfraModel {
  if (last && last.path === ctx.path && last.text === ctx.text) return last.model;
  // The engine has read the document once (lenient fallbacks included); older callers without it parse here.
  const model = ctx.document
    ? buildInfraModel({ roots: ctx.document.roots, errors: ctx.document.errors })
    : parseInfra(ctx.text, ctx.kind === 'json' ? 'json' : 'yaml');
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
  // `config.yml.example`, `settings.json.dist`: the last suffix says it when another extension comes before it
  const inner = env ? segs : segs.length >= 3 ? segs.slice(1) : segs.slice(1, -1);
  return inner.some((s) => EXAMPLE_WORDS.has(s) || s.split(/[_-]/).some((w) => EXAMPLE_WORDS.has(w)));
}

/** Request keys whose value names a parameter or secret (the variable holds a reference, not the secret). */
const REFERENCE_KEYS = new Set(['SecretId', 'SecretArn', 'SecretName', 'Name', 'Names', 'Path', 'ParameterName', 'ParameterPath',
  'secretId', 'secretArn', 'secretName', 'name', 'names', 'path', 'parameterName', 'parameterPath']);
/** Functions that fetch a parameter or secret by name: `getParameter(x)`, `getSecret(x)`, `getJSONSecret(x)`, `fetchSecretValue(x)`. */
const FETCH_BY_NAME = /^(?:get|fetch|load|read|resolve|retrieve)(?:json|cached)?(?:secret|param|parameter|ssmparam|ssmparameter)s?(?:value|string|json)?$/i;

/**
 * Where a value goes, through `(x)`, `x!`, `x as T` and defaults (`x ?? 'y'`, `x || 'y'`): the outermost such
 * expression and its parent.
 */
function usedAs(e: ts.Node): { cur: ts.Node; p: ts.Node | undefined } {
  let cur = e;
  let p = cur.parent;
  while (p && (p.kind === tsv.SyntaxKind.ParenthesizedExpression || p.kind === tsv.SyntaxKind.NonNullExpression || p.kind === tsv.SyntaxKind.AsExpression
    || (p.kind === tsv.SyntaxKind.BinaryExpression && (p as ts.BinaryExpression).left === cur
      && [tsv.SyntaxKind.QuestionQuestionToken, tsv.SyntaxKind.BarBarToken].includes((p as ts.BinaryExpression).operatorToken.kind)))) {
    cur = p;
    p = p.parent;
  }
  return { cur, p };
}

/** Is this expression used as the name of a parameter or secret (a request key, or the argument of a fetch by name)? */
export function namesAStoredValue(e: ts.Node): boolean {
  let start = e;
  if (e.parent?.kind === tsv.SyntaxKind.PropertyAccessExpression && (e.parent as ts.PropertyAccessExpression).name === e) start = e.parent; // this.secretId
  const { cur, p } = usedAs(start);
  if (!p) return false;
  if (p.kind === tsv.SyntaxKind.PropertyAssignment && (p as ts.PropertyAssignment).initializer === cur) {
    return REFERENCE_KEYS.has(propertyNameText((p as ts.PropertyAssignment).name) ?? '');
  }
  if (p.kind === tsv.SyntaxKind.ArrayLiteralExpression && p.parent?.kind === tsv.SyntaxKind.PropertyAssignment) {
    return REFERENCE_KEYS.has(propertyNameText((p.parent as ts.PropertyAssignment).name) ?? ''); // Names: [x, y]
  }
  if ((p.kind === tsv.SyntaxKind.CallExpression || p.kind === tsv.SyntaxKind.NewExpression) && (p as ts.CallExpression).arguments?.[0] === cur) {
    const callee = (p as ts.CallExpression).expression;
    const fn = expressionName(callee);
    if (fn && FETCH_BY_NAME.test(fn)) return true;
    // a Powertools provider or a helper client: `ssmProvider.get(x)`, `secrets.get(x)`
    if ((fn === 'get' || fn === 'getMultiple') && callee.kind === tsv.SyntaxKind.PropertyAccessExpression
      && /ssm|secret|param/i.test(expressionName((callee as ts.PropertyAccessExpression).expression) ?? '')) return true;
  }
  return false;
}

/** The variable a read is stored in: `const secretId = process.env.X ?? 'default'` → `secretId`. */
export function storedIn(e: ts.Node): string | undefined {
  const { cur, p } = usedAs(e);
  if (p?.kind === tsv.SyntaxKind.VariableDeclaration && (p as ts.VariableDeclaration).initializer === cur && (p as ts.VariableDeclaration).name.kind === tsv.SyntaxKind.Identifier) {
    return ((p as ts.VariableDeclaration).name as ts.Identifier).text;
  }
  if (p?.kind === tsv.SyntaxKind.PropertyDeclaration && (p as ts.PropertyDeclaration).initializer === cur) return propertyNameText((p as ts.PropertyDeclaration).name);
  return undefined;
}

/** Uses of a local variable as a parameter or secret name anywhere in the file. */
/**
 * Names of the file's variables that hold a stored value's name, computed in one walk per file: asked once per
 * `process.env` read or literal, a walk per question made large files quadratic. The set holds strings only, so the
 * WeakMap entry never keeps the tree alive.
 */
const storedValueNames = new WeakMap<ts.SourceFile, Set<string>>();

export function variableNamesAStoredValue(sf: ts.SourceFile, name: string): boolean {
  let names = storedValueNames.get(sf);
  if (!names) {
    const found = new Set<string>();
    walkTree(sf, (n) => {
      if (n.kind === tsv.SyntaxKind.Identifier && namesAStoredValue(n)) found.add((n as ts.Identifier).text);
      if (n.kind === tsv.SyntaxKind.ShorthandPropertyAssignment && REFERENCE_KEYS.has((n as ts.ShorthandPropertyAssignment).name.text)) {
        found.add((n as ts.ShorthandPropertyAssignment).name.text);
      }
    });
    names = found;
    storedValueNames.set(sf, names);
  }
  return names.has(name);
}

