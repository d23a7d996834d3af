// The Powertools forms of the uncached-fetch fix, for projects that depend on @aws-lambda-powertools/parameters:
// `getParameter(name, { maxAge })` / `getSecret(name, { maxAge })` (whose cache lives at module scope in
// Powertools, and which return the value, a string, not the response), and `maxAge: 0` / `forceFetch: true`
// turned into a TTL.
import { tsv, type ts } from '../ts';
import type { FetchCall, FileModel } from '../lambda/model';
import { findProp } from '../lambda/model';
import { secureNames } from '../lambda/secure';
import type { Fix, SourceContext, TextEdit } from '../types';
import { deleteStatementOffsets, editReplace, moduleInsertion, type FnLike } from './common';
import { countRefs, identifierRefs, valueChain } from './handlerCode';
import type { Entry, UsedClient } from './loaderEntry';
import { isUsableName, nameOfValue } from './naming';
import { moduleTakenNames, refTo, type FixPlan, type PlanDecl, type PlanEdit } from './plan';
import { upperOf } from './clients';
import { detectStyle, lineIndentAt, type CodeStyle } from './style';

const PT_SSM = '@aws-lambda-powertools/parameters/ssm';
const PT_SECRETS = '@aws-lambda-powertools/parameters/secrets';

function camel(words: string[]): string {
  return words.map((w, i) => (i ? w[0].toUpperCase() + w.slice(1) : w)).join('');
}

interface Item { e: Entry; nameText: string; decrypt: boolean; uses: ts.Node[] }

/** One fetch as a Powertools call: its name's text, whether it decrypts, and the value reads it replaces. */
function itemOf(ctx: SourceContext, fn: FnLike, e: Entry, typescript: boolean): Item | undefined {
  const sf = ctx.sourceFile;
  const f = e.f;
  if (f.op !== 'GetParameter' && f.op !== 'GetSecretValue') return undefined;
  // getSecret's typings return string | Uint8Array: keep the SDK loader in TypeScript files.
  if (f.op === 'GetSecretValue' && typescript) return undefined;
  if (!f.input || !e.siteIsAwait) return undefined;
  const key = f.op === 'GetParameter' ? 'Name' : 'SecretId';
  let nameText: string | undefined;
  let decrypt = false;
  for (const p of f.input.properties) {
    if (!tsv.isPropertyAssignment(p) || !p.name || !tsv.isIdentifier(p.name)) return undefined;
    if (p.name.text === key) nameText = ctx.text.slice(p.initializer.getStart(sf), p.initializer.end);
    else if (p.name.text === 'WithDecryption') decrypt = p.initializer.kind === tsv.SyntaxKind.TrueKeyword;
    else return undefined;
  }
  if (!nameText || nameText.includes('\n')) return undefined;
  if (f.op === 'GetParameter' && secureNames(f, ctx.parameterKind, ctx.config.secretWords)) decrypt = true;
  const uses: ts.Node[] = [];
  for (const r of e.removable && e.binding ? identifierRefs(fn.body!, e.binding) : [e.site]) {
    const end = valueChain(r, f);
    if (!end) return undefined;
    uses.push(end);
  }
  return { e, nameText, decrypt, uses };
}

interface PtDecls { decls: PlanDecl[]; importKey: Map<string, string>; maxAgeKey: string }

/** The Powertools imports (an existing one is reused) and the max-age constant. */
function powertoolsDecls(sf: ts.SourceFile, m: FileModel, plan: Item[], ttl: number, style: CodeStyle,
  lower: NonNullable<ReturnType<typeof moduleInsertion>>, upper: ReturnType<typeof upperOf>): PtDecls {
  const decls: PlanDecl[] = [];
  const importKey = new Map<string, string>();
  for (const { e } of plan) {
    const fnName = e.f.op === 'GetParameter' ? 'getParameter' : 'getSecret';
    if (importKey.has(fnName)) continue;
    const module = fnName === 'getParameter' ? PT_SSM : PT_SECRETS;
    let local: string | undefined;
    for (const [l, b] of m.imports) if (b.module === module && b.name === fnName) local = l;
    const key = `import:${module}:${fnName}`;
    importKey.set(fnName, key);
    decls.push({
      key, kind: 'import', names: [fnName, `${fnName}${fnName === 'getParameter' ? 'FromParameterStore' : 'FromSecretsManager'}`], existing: local,
      code: '', import: { module, name: fnName }, lower, upper, blocked: [],
    });
  }
  const maxAgeKey = `const:maxAge:${ttl}`;
  let maxAgeExisting: string | undefined;
  for (const st of sf.statements) {
    if (!tsv.isVariableStatement(st) || st.declarationList.declarations.length !== 1) continue;
    const d = st.declarationList.declarations[0];
    if (tsv.isIdentifier(d.name) && /^CACHE_MAX_AGE_SECONDS/.test(d.name.text) && d.initializer && d.initializer.getText(sf) === String(ttl)) maxAgeExisting = d.name.text;
  }
  decls.push({
    key: maxAgeKey, kind: 'const', names: ['CACHE_MAX_AGE_SECONDS', 'PARAMETERS_MAX_AGE_SECONDS'], existing: maxAgeExisting,
    code: `/** Powertools caches each value at module scope for this many seconds (per Lambda container). */${style.eol}const ${refTo(maxAgeKey)} = ${ttl}${style.semi ? ';' : ''}`,
    lower, upper, blocked: [],
  });
  return { decls, importKey, maxAgeKey };
}

/** Names for the loaded values, free in the function and at module scope. */
function itemNames(sf: ts.SourceFile, fn: FnLike, plan: Item[]): string[] {
  const moduleTaken = moduleTakenNames(sf);
  const inFn = new Set<string>();
  const collect = (n: ts.Node): void => { if (tsv.isIdentifier(n)) inFn.add(n.text); tsv.forEachChild(n, collect); };
  collect(fn);
  const taken = (n: string) => inFn.has(n) || moduleTaken.has(n);
  return plan.map(({ e }) => {
    const words = camel(nameOfValue(e.f.names[0] ?? ''));
    const base = words && isUsableName(words) ? words : 'value';
    let n = base;
    for (const alt of [base, `${base}Value`, `loaded${base[0].toUpperCase()}${base.slice(1)}`]) if (!taken(alt)) { n = alt; break; }
    for (let i = 2; taken(n); i++) n = `${base}${i}`;
    inFn.add(n);
    return n;
  });
}

/** `const x = await getParameter(…)`, or the values loaded in parallel with `Promise.all`. */
function valuesDecl(plan: Item[], names: string[], d: PtDecls, style: CodeStyle, indent: string): string {
  const semi = style.semi ? ';' : '';
  const nl = style.eol;
  const calls = plan.map(({ e, nameText, decrypt }) => {
    const fnName = e.f.op === 'GetParameter' ? 'getParameter' : 'getSecret';
    const opts = decrypt ? `{ decrypt: true, maxAge: ${refTo(d.maxAgeKey)} }` : `{ maxAge: ${refTo(d.maxAgeKey)} }`;
    return `${refTo(d.importKey.get(fnName)!)}(${nameText}, ${opts})`;
  });
  if (plan.length === 1) return `const ${names[0]} = await ${calls[0]}${semi}`;
  const oneLine = `const [${names.join(', ')}] = await Promise.all([${calls.join(', ')}])${semi}`;
  return indent.length + oneLine.replace(/\u0001[^\u0001]*\u0001/g, 'x'.repeat(21)).length <= 100 ? oneLine
    : `const [${names.join(', ')}] = await Promise.all([${nl}${calls.map((c) => indent + style.indent + c).join(',' + nl)}${style.trailingComma ? ',' : ''}${nl}${indent}])${semi}`;
}

/** The edits in the function: the values declared where the first fetch was, each value read renamed, the fetches gone. */
function rewriteEdits(ctx: SourceContext, fn: FnLike, anchor: ts.Statement, plan: Item[], names: string[], decl: string, indent: string,
  clients: Map<string, UsedClient>, cleanup: PlanEdit[], eol: string): PlanEdit[] {
  const sf = ctx.sourceFile;
  const edits: PlanEdit[] = [];
  if (plan.some(({ e }) => e.removable === anchor)) edits.push({ start: anchor.getStart(sf), end: anchor.end, text: decl });
  else edits.push({ start: anchor.getStart(sf), end: anchor.getStart(sf), text: decl + eol + indent });
  plan.forEach(({ e, uses }, i) => {
    if (e.removable && e.removable !== anchor) { const d = deleteStatementOffsets(ctx.text, sf, e.removable); edits.push({ start: d.start, end: d.end, text: '' }); }
    for (const u of uses) {
      // The chain's root is the awaited fetch or the response variable.
      let root: ts.Node = u;
      while (tsv.isPropertyAccessExpression(root) || tsv.isNonNullExpression(root) || tsv.isParenthesizedExpression(root)) root = root.expression;
      if (e.removable && root.getStart(sf) >= e.removable.pos && root.end <= e.removable.end) continue;
      edits.push({ start: u.getStart(sf), end: u.end, text: names[i] });
    }
  });
  edits.push(...cleanup);
  // Local clients the rewrite leaves unused go.
  for (const c of clients.values()) {
    const bind = c.plan.edits.find((x) => x.bind)?.bind;
    if (c.inline || !bind) continue;
    if (countRefs(fn.body!, bind.local) === c.uses) {
      const stmt = c.plan.edits.find((x) => x.bind)!;
      edits.push({ start: stmt.start, end: stmt.end, text: '' });
    }
  }
  return edits;
}

/**
 * Only when every use of each response reads its value (`.Parameter?.Value`, `.SecretString`), so behaviour is
 * kept; the values are strings, which no invocation can change for the next.
 */
export function powertoolsRewrite(ctx: SourceContext, m: FileModel, fn: FnLike, top: ts.Statement, anchor: ts.Statement, entries: Entry[],
  clients: Map<string, UsedClient>, cleanup: PlanEdit[]): FixPlan | undefined {
  const sf = ctx.sourceFile;
  const style = detectStyle(sf, ctx.path);
  const plan: Item[] = [];
  for (const e of entries) {
    const item = itemOf(ctx, fn, e, style.typescript);
    if (!item) return undefined;
    plan.push(item);
  }
  const ttl = Math.max(1, Math.round(Number(ctx.config.cacheTtlSeconds) || 300));
  const lower = moduleInsertion(sf, new Set(), top);
  if (!lower) return undefined;
  const d = powertoolsDecls(sf, m, plan, ttl, style, lower, upperOf(ctx, top));
  const names = itemNames(sf, fn, plan);
  for (const decl of d.decls) decl.blocked = [...names];
  const indent = lineIndentAt(ctx.text, anchor.getStart(sf));
  const decl = valuesDecl(plan, names, d, style, indent);
  const edits = rewriteEdits(ctx, fn, anchor, plan, names, decl, indent, clients, cleanup, style.eol);
  return {
    title: `Read ${plan.length > 1 ? 'these values' : 'this value'} with Powertools Parameters (maxAge ${ttl} s)`,
    edits, decls: d.decls, style, targets: plan.map(({ e }) => ({ start: e.f.call.getStart(sf), end: e.f.call.end })),
  };
}

/** Powertools call with `maxAge: 0` / `forceFetch: true`: let the Powertools cache work with a TTL. */
export function powertoolsMaxAgeFix(ctx: SourceContext, f: FetchCall): Fix | undefined {
  const obj = f.ptOptions;
  if (!obj || f.style !== 'powertools') return undefined;
  const sf = ctx.sourceFile;
  const ttl = Math.max(1, Math.round(Number(ctx.config.cacheTtlSeconds) || 300));
  const maxAge = findProp(obj, 'maxAge');
  const force = findProp(obj, 'forceFetch');
  const edits: TextEdit[] = [];
  if (maxAge && tsv.isPropertyAssignment(maxAge)) edits.push(editReplace(ctx, maxAge.initializer.getStart(sf), maxAge.initializer.end, String(ttl)));
  if (force && tsv.isPropertyAssignment(force)) {
    if (!maxAge) edits.push(editReplace(ctx, force.getStart(sf), force.end, `maxAge: ${ttl}`));
    else {
      // remove `forceFetch: true` and its separating comma
      const props = obj.properties;
      const i = props.indexOf(force);
      const start = i > 0 ? props[i - 1].end : force.getStart(sf);
      const end = i > 0 ? force.end : (i + 1 < props.length ? props[i + 1].getStart(sf) : force.end);
      edits.push(editReplace(ctx, start, end, ''));
    }
  }
  if (!edits.length) return undefined;
  const copy = sharedObjectResult(f, obj) ? copyEdits(ctx, f.call) : [];
  edits.push(...copy);
  return { title: `Use the Powertools cache (maxAge: ${ttl})${copy.length ? ', a copy per invocation' : ''}`, edits, isPreferred: true };
}

/**
 * Whether Powertools would hand every caller the same cached object: it caches the transformed value itself
 * (`transform: 'json'` / `'auto'`, or a transform only known at runtime) and the records of getParameters /
 * getParametersByName. Plain values (a string; `transform: 'binary'` decodes to a string) cannot be changed.
 */
function sharedObjectResult(f: FetchCall, obj: ts.ObjectLiteralExpression): boolean {
  if (f.op !== 'GetParameter' && f.op !== 'GetSecretValue') return true;
  const transform = findProp(obj, 'transform');
  if (!transform) return false;
  if (!tsv.isPropertyAssignment(transform)) return true;
  const v = transform.initializer;
  return !(tsv.isStringLiteralLike(v) && v.text === 'binary');
}

/**
 * `structuredClone(await getSecret(…))` (or `.then((value) => structuredClone(value))` when not awaited): each
 * invocation gets its own copy of the cached object, as it got a fresh one before, so a handler that changes it
 * cannot leak the change into the next invocation.
 */
function copyEdits(ctx: SourceContext, call: ts.CallExpression): TextEdit[] {
  const sf = ctx.sourceFile;
  let top: ts.Node = call;
  while (tsv.isParenthesizedExpression(top.parent)) top = top.parent;
  if (tsv.isAwaitExpression(top.parent)) {
    const aw = top.parent;
    return [editReplace(ctx, aw.getStart(sf), aw.getStart(sf), 'structuredClone('), editReplace(ctx, aw.end, aw.end, ')')];
  }
  return [editReplace(ctx, call.end, call.end, '.then((value) => structuredClone(value))')];
}
