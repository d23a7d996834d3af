// "Move this secret to Parameter Store / Secrets Manager": the code change, planned before anything is
// created (so an impossible move is refused first) and applied only after the value exists in AWS.
// Source: the literal becomes a read through a module-scope cached loader (generated, or reused).
// IaC: the literal becomes a reference (`${ssm:…}` in serverless, `{{resolve:secretsmanager:…}}` in CloudFormation/SAM).
import { ts, tsv } from './ts';
import { documentKind } from './analyzer';
import { detectStyle, type CodeStyle } from './fixes/style';
import { lineStarts, offsetAt, positionAt } from './text';
import type { Range, TextEdit } from './types';

export interface MoveTarget {
  name: string;
  store: 'parameter' | 'secret';
  /** Loader style: plain SDK v3 (default) or Powertools (when the project depends on it). */
  loader?: 'sdk' | 'powertools';
  ttlSeconds?: number;
}

export type MovePlan = { ok: true; edits: TextEdit[]; description: string } | { ok: false; reason: string };

/** The literal's text without quotes, as the code sees it, or undefined when the range is not a plain literal. */
export function literalValue(path: string, text: string, range: Range): string | undefined {
  const starts = lineStarts(text);
  const raw = text.slice(offsetAt(starts, range.start), offsetAt(starts, range.end));
  if (documentKind(path) === 'source') {
    const sf = ts.createSourceFile('x.ts', `(${raw})`, ts.ScriptTarget.Latest, true);
    const st = sf.statements[0];
    if (st && tsv.isExpressionStatement(st)) {
      let e: ts.Expression = st.expression;
      while (tsv.isParenthesizedExpression(e)) e = e.expression;
      if (tsv.isStringLiteral(e) || tsv.isNoSubstitutionTemplateLiteral(e)) return e.text;
    }
    return undefined;
  }
  const t = raw.trim();
  if (/^"(?:[^"\\]|\\.)*"$/.test(t)) {
    try { return JSON.parse(t) as string; } catch { return undefined; }
  }
  if (/^'(?:[^']|'')*'$/.test(t)) return t.slice(1, -1).replace(/''/g, "'");
  return t || undefined;
}

export function planMove(path: string, text: string, range: Range, target: MoveTarget): MovePlan {
  try {
    const kind = documentKind(path);
    if (kind === 'source') return planSource(path, text, range, target);
    if (kind === 'yaml' || kind === 'json') return planIac(path, text, range, target, kind);
    return { ok: false, reason: 'Keyway moves secrets out of TypeScript/JavaScript code and serverless, SAM or CloudFormation templates; edit this file by hand.' };
  } catch (e) {
    return { ok: false, reason: `Keyway could not plan the change: ${(e as Error).message}` };
  }
}

function planIac(path: string, text: string, range: Range, target: MoveTarget, kind: 'yaml' | 'json'): MovePlan {
  const serverless = /(^|[\\/])serverless\.[^\\/]*$/i.test(path) || /^\s*provider\s*:/m.test(text) && /^\s*functions\s*:/m.test(text);
  const cfn = /AWSTemplateFormatVersion|AWS::Serverless|AWS::Lambda::Function|"Resources"\s*:|^Resources\s*:/m.test(text);
  let ref: string;
  if (serverless) {
    ref = target.store === 'parameter' ? `\${ssm:${target.name}}` : `\${ssm:/aws/reference/secretsmanager/${target.name.replace(/^\//, '')}}`;
  } else if (cfn) {
    if (target.store === 'parameter') {
      return { ok: false, reason: 'CloudFormation cannot resolve a SecureString into a Lambda environment variable. Choose Secrets Manager (answer "Yes" to rotation), or read the parameter in the function code.' };
    }
    ref = `{{resolve:secretsmanager:${target.name}}}`;
  } else {
    return { ok: false, reason: 'This file is not a serverless, SAM or CloudFormation template; edit it by hand.' };
  }
  const starts = lineStarts(text);
  const start = offsetAt(starts, range.start);
  const end = offsetAt(starts, range.end);
  const quoted = kind === 'json' || /^['"]/.test(text.slice(start, end)) || ref.startsWith('{');
  const newText = kind === 'json' ? JSON.stringify(ref) : quoted ? `'${ref}'` : ref;
  return { ok: true, edits: [{ range, newText }], description: `replace the value with ${ref}` };
}

function q(style: CodeStyle, s: string): string {
  return style.quote === '"' ? JSON.stringify(s) : `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function loaderCode(style: CodeStyle, target: MoveTarget, fn: string): { decl: string; imports: { module: string; names: string[] }[] } {
  const s = style.semi ? ';' : '';
  const i = style.indent;
  const ttl = (target.ttlSeconds ?? 300) * 1000;
  const ts_ = style.typescript;
  if (target.loader === 'powertools') {
    const mod = target.store === 'parameter' ? '@aws-lambda-powertools/parameters/ssm' : '@aws-lambda-powertools/parameters/secrets';
    const call = target.store === 'parameter' ? `getParameter(name, { decrypt: true, maxAge: ${ttl / 1000} })` : `getSecret(name, { maxAge: ${ttl / 1000} })`;
    return {
      imports: [{ module: mod, names: [target.store === 'parameter' ? 'getParameter' : 'getSecret'] }],
      decl: [
        `/** Reads a value through Powertools (cached ${ttl / 1000} s per Lambda container). */`,
        `async function ${fn}(name${ts_ ? ': string' : ''})${ts_ ? ': Promise<string>' : ''} {`,
        `${i}return String((await ${call}) ?? '')${s}`,
        '}',
      ].join(style.eol),
    };
  }
  const param = target.store === 'parameter';
  const client = param ? 'SSMClient' : 'SecretsManagerClient';
  const command = param ? 'GetParameterCommand' : 'GetSecretValueCommand';
  const input = param ? '{ Name: name, WithDecryption: true }' : '{ SecretId: name }';
  const read = param ? '(r) => r.Parameter?.Value ?? \'\'' : '(r) => r.SecretString ?? \'\'';
  const cache = `${fn}Cache`;
  const clientVar = `${fn}Client`;
  return {
    imports: [{ module: param ? '@aws-sdk/client-ssm' : '@aws-sdk/client-secrets-manager', names: [client, command] }],
    decl: [
      `const ${clientVar} = new ${client}({})${s}`,
      `const ${cache}${ts_ ? ': Map<string, { value: Promise<string>; expires: number }>' : ''} = new Map()${s}`,
      '',
      `/** Reads a value once per Lambda container and again after ${ttl / 1000} s (a failed read is retried on the next call). */`,
      `function ${fn}(name${ts_ ? ': string' : ''})${ts_ ? ': Promise<string>' : ''} {`,
      `${i}const hit = ${cache}.get(name)${s}`,
      `${i}if (hit && hit.expires > Date.now()) return hit.value${s}`,
      `${i}const value = ${clientVar}.send(new ${command}(${input})).then(${read.replace(/'/g, style.quote)})${s}`,
      `${i}${cache}.set(name, { value, expires: Date.now() + ${ttl} })${s}`,
      `${i}value.catch(() => ${cache}.delete(name))${s}`,
      `${i}return value${s}`,
      '}',
    ].join(style.eol),
  };
}

function isAsyncFunction(n: ts.Node): boolean {
  return (tsv.isFunctionDeclaration(n) || tsv.isFunctionExpression(n) || tsv.isArrowFunction(n) || tsv.isMethodDeclaration(n))
    && !!ts.getModifiers(n as ts.HasModifiers)?.some((m) => m.kind === tsv.SyntaxKind.AsyncKeyword);
}

function enclosingFunction(n: ts.Node): ts.Node | undefined {
  for (let p = n.parent; p; p = p.parent) {
    if (tsv.isFunctionLike(p)) return p;
  }
  return undefined;
}

type Offsets = { start: number; end: number; text: string };
type Reject = { ok: false; reason: string };

/** The string literal that covers the selection. */
function literalAt(sf: ts.SourceFile, start: number, end: number): ts.Node | undefined {
  let literal: ts.Node | undefined;
  const find = (n: ts.Node): void => {
    if (literal) return;
    if ((tsv.isStringLiteral(n) || tsv.isNoSubstitutionTemplateLiteral(n)) && n.getStart(sf) <= start && n.end >= end) { literal = n; return; }
    if (n.getStart(sf) <= start && n.end >= end) tsv.forEachChild(n, find);
  };
  find(sf);
  return literal;
}

/** The uses of a module-scope name (not property names), or why one of them cannot await a loader. */
function usesOf(sf: ts.SourceFile, starts: number[], decl: ts.VariableDeclaration & { name: ts.Identifier }): ts.Identifier[] | Reject {
  const id = decl.name.text;
  let bad: string | undefined;
  const uses: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (tsv.isIdentifier(n) && n.text === id && n !== decl.name) {
      const p = n.parent;
      const isProp = (tsv.isPropertyAccessExpression(p) && p.name === n) || (tsv.isPropertyAssignment(p) && p.name === n);
      if (!isProp) {
        if (tsv.isShorthandPropertyAssignment(p)) bad ??= `${id} is used as a shorthand property; write \`${id}: ${id}\` first.`;
        const f = enclosingFunction(n);
        if (!f || !isAsyncFunction(f)) bad ??= `${id} is used outside an async function (line ${positionAt(starts, n.getStart(sf)).line + 1}), where a loader call cannot be awaited.`;
        uses.push(n);
      }
    }
    tsv.forEachChild(n, visit);
  };
  visit(sf);
  return bad ? { ok: false, reason: bad } : uses;
}

/** The statement's whole lines, with the comments that lead it. */
function statementLines(text: string, sf: ts.SourceFile, stmt: ts.Statement): { start: number; end: number } {
  const lineStart = text.lastIndexOf('\n', stmt.getStart(sf) - 1) + 1;
  const comments = ts.getLeadingCommentRanges(text, stmt.getFullStart()) ?? [];
  let start = comments.length ? Math.min(comments[0].pos, lineStart) : lineStart;
  start = text.lastIndexOf('\n', start - 1) + 1;
  const nl = text.indexOf('\n', stmt.end);
  return { start, end: nl < 0 ? text.length : nl + 1 };
}

/** Module scope: `const NAME = 'literal'` used only inside async functions → the declaration goes, each use awaits the loader. */
function moduleConstEdits(sf: ts.SourceFile, text: string, starts: number[], literal: ts.Node, call: string): Offsets[] | Reject {
  const decl = literal.parent;
  if (!decl || !tsv.isVariableDeclaration(decl) || decl.initializer !== literal || !tsv.isIdentifier(decl.name)) {
    return { ok: false, reason: 'The secret is a module-scope value that is not a simple `const NAME = "…"`; move it by hand.' };
  }
  const list = decl.parent;
  const stmt = list.parent;
  if (!tsv.isVariableDeclarationList(list) || !tsv.isVariableStatement(stmt) || list.declarations.length !== 1) {
    return { ok: false, reason: 'The secret shares its declaration with other variables; split the declaration first.' };
  }
  if (ts.getModifiers(stmt)?.some((m) => m.kind === tsv.SyntaxKind.ExportKeyword)) {
    return { ok: false, reason: `${decl.name.text} is exported: other modules read it synchronously, so it cannot become a loader call here.` };
  }
  const uses = usesOf(sf, starts, decl as ts.VariableDeclaration & { name: ts.Identifier });
  if (!Array.isArray(uses)) return uses;
  return [{ ...statementLines(text, sf, stmt), text: '' }, ...uses.map((u) => ({ start: u.getStart(sf), end: u.end, text: call }))];
}

/** The loader (and its imports) added after the imports, unless the file already has one. */
function loaderEdits(sf: ts.SourceFile, text: string, style: CodeStyle, target: MoveTarget, fnName: string): Offsets[] {
  if (new RegExp(`(?:function|const|let)\\s+${fnName}\\b`).test(text)) return [];
  const edits: Offsets[] = [];
  const code = loaderCode(style, target, fnName);
  let lastImport: ts.Statement | undefined;
  for (const st of sf.statements) {
    if (tsv.isImportDeclaration(st) || (tsv.isVariableStatement(st) && /\brequire\s*\(/.test(st.getText(sf)))) lastImport = st;
    else break;
  }
  const importLines: string[] = [];
  for (const imp of code.imports) {
    const have = sf.statements.find((st) => tsv.isImportDeclaration(st) && tsv.isStringLiteral(st.moduleSpecifier) && st.moduleSpecifier.text === imp.module && st.importClause?.namedBindings && tsv.isNamedImports(st.importClause.namedBindings)) as ts.ImportDeclaration | undefined;
    if (have && style.esm) {
      const named = have.importClause!.namedBindings as ts.NamedImports;
      const missing = imp.names.filter((n) => !named.elements.some((e) => e.name.text === n));
      if (missing.length) {
        const lastEl = named.elements[named.elements.length - 1];
        edits.push({ start: lastEl.end, end: lastEl.end, text: `, ${missing.join(', ')}` });
      }
    } else if (style.esm || style.typescript) {
      importLines.push(`import { ${imp.names.join(', ')} } from ${q(style, imp.module)}${style.semi ? ';' : ''}`);
    } else {
      importLines.push(`const { ${imp.names.join(', ')} } = require(${q(style, imp.module)})${style.semi ? ';' : ''}`);
    }
  }
  const at = lastImport ? lastImport.end : 0;
  const eol = style.eol;
  const block = `${importLines.length ? (lastImport ? eol : '') + importLines.join(eol) + (lastImport ? '' : eol) : ''}${eol}${eol}${code.decl}${lastImport ? '' : eol + eol}`;
  edits.push({ start: at, end: at, text: lastImport ? block : block.replace(/^\s+/, '') });
  return edits;
}

function planSource(path: string, text: string, range: Range, target: MoveTarget): MovePlan {
  const kind = /\.tsx$/i.test(path) ? ts.ScriptKind.TSX : /\.jsx$/i.test(path) ? ts.ScriptKind.JSX : /\.[cm]?js$/i.test(path) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  const style = detectStyle(sf, path);
  const starts = lineStarts(text);
  const literal = literalAt(sf, offsetAt(starts, range.start), offsetAt(starts, range.end));
  if (!literal) return { ok: false, reason: 'The secret is not a plain string literal here; move it by hand.' };
  const fnName = target.store === 'parameter' ? 'getParameterValue' : 'getSecretValue';
  const call = `(await ${fnName}(${q(style, target.name)}))`;
  const fn = enclosingFunction(literal);
  let replacements: Offsets[];
  if (fn) {
    if (!isAsyncFunction(fn)) return { ok: false, reason: 'The literal is inside a function that is not async, so it cannot await the loader; make the function async, then move the secret.' };
    replacements = [{ start: literal.getStart(sf), end: literal.end, text: call }];
  } else {
    const r = moduleConstEdits(sf, text, starts, literal, call);
    if (!Array.isArray(r)) return r;
    replacements = r;
  }
  // The loader: reuse one already in the file, else add it (and its imports) after the imports.
  const edits = [...replacements, ...loaderEdits(sf, text, style, target, fnName)];
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  for (let k = 1; k < edits.length; k++) {
    if (edits[k].start < edits[k - 1].end) return { ok: false, reason: 'The change would overlap itself; move this secret by hand.' };
  }
  return {
    ok: true,
    edits: edits.map((e) => ({ range: { start: positionAt(starts, e.start), end: positionAt(starts, e.end) }, newText: e.text })),
    description: `read it with ${fnName}(${q(style, target.name)}) through a module-scope cached loader`,
  };
}
