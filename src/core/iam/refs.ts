// Reference extraction (issue 7): which parameter names and secret ids a handler reads, with the operation and whether
// it decrypts. Builds on the per-file Lambda model (src/core/lambda): SDK/Powertools calls come from `FileModel.fetches`;
// this module evaluates their name expressions (literals, templates, concatenations, constants, `process.env.X` mapped
// by the IaC, arguments of same-file and relatively imported wrapper functions) and follows calls from the handler.
// Pure: no vscode, no AWS.
import * as nodePath from 'node:path';
import { ts, tsv } from '../ts';
import { buildFileModel, recentModel, findHandlers, findProp, isFunctionNode, resolveFunction, type FetchCall, type FileModel, type FnNode } from '../lambda/model';
import { decryptionState } from '../lambda/secure';
import type { Operation } from '../lambda/sdk';
import type { ProjectContext, Range } from '../types';
import { pathLooksSecret } from '../secrets/names';
import { isCredentialText } from '../secrets/detect';

export type { Operation } from '../lambda/sdk';

/** Marks a part of a name that is not known statically. Never appears in a reported name. */
export const UNKNOWN = '\u0000';

export interface Reference {
  /** The parameter name / secret id; for a prefix reference, the literal prefix (no `*`). */
  name: string;
  kind: 'parameter' | 'secret';
  op: Operation;
  /** SecureString decryption requested (`WithDecryption: true` / Powertools `decrypt: true`). */
  decrypt: boolean;
  /** The name is only known up to this prefix (template literal, concatenation, env prefix). */
  prefix: boolean;
  /** Where the name is written (the name argument or property value). */
  range: Range;
  /** File of the fetch. */
  file: string;
}

/** A read whose name is not known statically (no literal prefix): it cannot be put in a policy. */
export interface UnresolvedReference {
  kind: 'parameter' | 'secret';
  op: Operation;
  decrypt: boolean;
  /** The variable the name comes from (`process.env.DB_PARAM` → `DB_PARAM`), when known. */
  hint?: string;
  range: Range;
  file: string;
}

export interface References { refs: Reference[]; unresolved: UnresolvedReference[] }

/** Environment variable name → value as the IaC maps it (`UNKNOWN` marks parts that are not known). */
export type EnvMap = ReadonlyMap<string, string>;

// ---------------------------------------------------------------------------------------------
// File models (parsed once per text)

const SCRIPT_EXT = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

function scriptKind(p: string): ts.ScriptKind {
  if (/\.tsx$/i.test(p)) return ts.ScriptKind.TSX;
  if (/\.jsx$/i.test(p)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/i.test(p)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

const modelCache = new Map<string, { text: string; model: FileModel }>();

/** The Lambda file model of a file's text (parsed with parent pointers), cached by path and text. */
export function fileModelOf(path: string, text: string): FileModel {
  const hit = modelCache.get(path);
  if (hit && hit.text === text) return hit.model;
  const analyzed = recentModel(path, text);
  if (analyzed) return analyzed;
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKind(path));
  const model = buildFileModel(path, text, sf, true);
  if (modelCache.size > 1000) modelCache.clear();
  modelCache.set(path, { text, model });
  return model;
}

function pathApi(p: string): typeof nodePath.posix {
  return p.includes('\\') && !p.includes('/') ? nodePath.win32 : nodePath.posix;
}

/** Resolve a relative module specifier from `from` to an existing source file (TS sources preferred over JS). */
export function resolveModule(from: string, spec: string, project: ProjectContext): { path: string; text: string } | undefined {
  const P = pathApi(from);
  const base = P.join(P.dirname(from), spec);
  const cands: string[] = [];
  const ext = /\.[cm]?[jt]sx?$/i.exec(base)?.[0];
  if (ext) {
    const stem = base.slice(0, -ext.length);
    if (/^\.[cm]?jsx?$/i.test(ext)) cands.push(stem + ext.replace(/js/i, 'ts'));
    cands.push(base);
  } else {
    for (const e of SCRIPT_EXT) cands.push(base + e);
    for (const e of SCRIPT_EXT) cands.push(P.join(base, 'index' + e));
  }
  for (const c of cands) {
    let text: string | undefined;
    try { text = project.readFile(c); } catch { text = undefined; }
    if (text !== undefined) return { path: c, text };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Name evaluation

const MAX_ALTERNATIVES = 16;

interface Scope {
  m: FileModel;
  env: EnvMap | undefined;
  bindings: ReadonlyMap<string, string[]>;
  depth: number;
}

function unwrap(e: ts.Node): ts.Node {
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
function envVarName(e: ts.Node): string | undefined {
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
function findDeclaration(id: string, at: ts.Node): ts.VariableDeclaration | ts.BindingElement | ts.ParameterDeclaration | undefined {
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
  const visit = (n: ts.Node) => {
    if (out.length > 32) return;
    if (tsv.isCallExpression(n)) {
      const c = unwrap(n.expression);
      if ((tsv.isIdentifier(c) && c.text === name) || (tsv.isPropertyAccessExpression(c) && c.name.text === name)) out.push(n);
    }
    tsv.forEachChild(n, visit);
  };
  visit(m.sf);
  return out;
}

/** Alternatives for the text of a string expression; `UNKNOWN` marks parts not known statically. */
function evaluate(e: ts.Node | undefined, scope: Scope): string[] {
  if (!e || scope.depth > 12) return [UNKNOWN];
  const u = unwrap(e);
  const next: Scope = { ...scope, depth: scope.depth + 1 };
  if (tsv.isStringLiteralLike(u)) return [u.text];
  if (tsv.isNumericLiteral(u)) return [u.text];
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
  if (tsv.isIdentifier(u)) {
    const b = scope.bindings.get(u.text);
    const decl = findDeclaration(u.text, u);
    if (decl && tsv.isParameter(decl)) {
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
      const pattern = decl.parent;
      const vd = pattern.parent;
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
    if (c !== undefined) return [c];
    return [UNKNOWN];
  }
  if (tsv.isPropertyAccessExpression(u)) {
    // CONFIG.prefix with `const CONFIG = { prefix: '…' }`
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
  if (tsv.isCallExpression(u) && tsv.isPropertyAccessExpression(u.expression) && u.expression.name.text === 'join'
    && tsv.isArrayLiteralExpression(unwrap(u.expression.expression))) {
    // ['', 'app', stage, 'db'].join('/')
    const arr = unwrap(u.expression.expression) as ts.ArrayLiteralExpression;
    const sep = u.arguments[0] ? evaluate(u.arguments[0], next) : [','];
    if (sep.length !== 1 || sep[0].includes(UNKNOWN)) return [UNKNOWN];
    let acc = [''];
    arr.elements.forEach((el, i) => { acc = product(acc, i ? product([sep[0]], evaluate(el, next)) : evaluate(el, next)); });
    return acc;
  }
  return [UNKNOWN];
}

/** Names of an expression the IaC left as a variable (`${Stage}`) stay as written; only `UNKNOWN` cuts a name. */
function toReference(value: string): { name: string; prefix: boolean } | undefined {
  if (isCredentialText(value)) return undefined; // a secret where a name belongs: not a name to grant or show
  const i = value.indexOf(UNKNOWN);
  if (i < 0) return { name: value, prefix: false };
  const pre = value.slice(0, i);
  // A prefix that is only `/` (or empty) names nothing useful.
  if (!pre.replace(/^\/+/, '').length) return undefined;
  return { name: pre, prefix: true };
}

function hintOf(e: ts.Node | undefined): string | undefined {
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

/** The expressions a fetch takes its names from. */
function nameExpressions(f: FetchCall): ts.Node[] {
  const prop = (obj: ts.ObjectLiteralExpression | undefined, n: string): ts.Node | undefined => {
    if (!obj) return undefined;
    const p = findProp(obj, n);
    if (!p) return undefined;
    if (tsv.isPropertyAssignment(p)) return p.initializer;
    if (tsv.isShorthandPropertyAssignment(p)) return p.name;
    return undefined;
  };
  if (f.style === 'powertools') {
    const a = f.call.arguments[0];
    if (!a) return [];
    const u = unwrap(a);
    if (tsv.isObjectLiteralExpression(u)) return u.properties.map((p) => p.name).filter((n): n is ts.PropertyName => !!n);
    return [a];
  }
  switch (f.op) {
    case 'GetParameter': { const x = prop(f.input, 'Name'); return x ? [x] : []; }
    case 'GetParametersByPath': { const x = prop(f.input, 'Path'); return x ? [x] : []; }
    case 'GetSecretValue': { const x = prop(f.input, 'SecretId'); return x ? [x] : []; }
    case 'GetParameters': {
      const v = prop(f.input, 'Names');
      let arr = v && unwrap(v);
      // Names: NAMES with `const NAMES = ['/a', '/b']`
      if (arr && tsv.isIdentifier(arr)) {
        const d = findDeclaration(arr.text, arr);
        const init = d && tsv.isVariableDeclaration(d) && d.initializer ? unwrap(d.initializer) : undefined;
        if (init && tsv.isArrayLiteralExpression(init)) arr = init;
      }
      return arr && tsv.isArrayLiteralExpression(arr) ? arr.elements.filter((e) => !tsv.isSpreadElement(e)) : v ? [v] : [];
    }
  }
  return [];
}

function rangeOf(sf: ts.SourceFile, n: ts.Node): Range {
  const s = sf.getLineAndCharacterOfPosition(n.getStart(sf));
  const e = sf.getLineAndCharacterOfPosition(n.end);
  return { start: { line: s.line, character: s.character }, end: { line: e.line, character: e.character } };
}

/** Normalise a parameter name read by an ARN to its path (`arn:aws:ssm:r:a:parameter/x` → `/x`). */
function parameterNameOf(name: string): string {
  const m = /^arn:[^:]*:ssm:[^:]*:[^:]*:parameter(\/.*)$/.exec(name);
  return m ? m[1] : name;
}

function referencesOfFetch(f: FetchCall, scope: Scope, out: References): void {
  const kind = f.service === 'ssm' ? 'parameter' as const : 'secret' as const;
  const decrypt = f.service === 'ssm' && decryptionState(f) === 'yes';
  const sf = scope.m.sf;
  const exprs = nameExpressions(f);
  if (!exprs.length) {
    out.unresolved.push({ kind, op: f.op, decrypt, range: rangeOf(sf, f.call), file: scope.m.path });
    return;
  }
  for (const e of exprs) {
    // getParametersByName({ '/a': {…} }): the property names are the names.
    const isKey = f.style === 'powertools' && !!e.parent && (tsv.isPropertyAssignment(e.parent) || tsv.isShorthandPropertyAssignment(e.parent)) && e.parent.name === e;
    const names = isKey ? [tsv.isIdentifier(e) || tsv.isStringLiteralLike(e) ? (e as ts.Identifier).text : UNKNOWN] : evaluate(e, scope);
    for (const v of names) {
      const r = toReference(v);
      if (!r) {
        const hint = hintOf(e);
        out.unresolved.push({ kind, op: f.op, decrypt, range: rangeOf(sf, e), file: scope.m.path, ...(hint ? { hint } : {}) });
        continue;
      }
      let name = kind === 'parameter' ? parameterNameOf(r.name) : r.name;
      if (f.op === 'GetParametersByPath' && !r.prefix && name.length > 1) name = name.replace(/\/+$/, '');
      out.refs.push({ name, kind, op: f.op, decrypt, prefix: r.prefix, range: rangeOf(sf, e), file: scope.m.path });
    }
  }
}

/**
 * middy middlewares: `ssm({ fetchData: { key: '/app/prod/x', all: '/app/prod/' } })` (GetParameters, or
 * GetParametersByPath for a path ending in `/`; always decrypted) and `secretsManager({ fetchData: { key: 'id' } })`.
 */
function middyReferences(c: ts.CallExpression, callee: ts.Identifier, scope: Scope, out: References): void {
  const b = scope.m.imports.get(callee.text);
  // middy 2+: `@middy/ssm`, `@middy/secrets-manager`; middy 0.x: `const { ssm, secretsManager } = require('middy/middlewares')`
  const legacy = b?.module === 'middy/middlewares' && (b.name === 'ssm' || b.name === 'secretsManager');
  if (!b || (b.module !== '@middy/ssm' && b.module !== '@middy/secrets-manager' && !legacy)) return;
  const arg = c.arguments[0] && unwrap(c.arguments[0]);
  if (!arg || !tsv.isObjectLiteralExpression(arg)) return;
  // `fetchData` (middy 2+) or `names` (middy 0.x and 1.x)
  const fd = findProp(arg, 'fetchData') ?? findProp(arg, 'names');
  const obj = fd && tsv.isPropertyAssignment(fd) ? unwrap(fd.initializer) : undefined;
  if (!obj || !tsv.isObjectLiteralExpression(obj)) return;
  const ssm = b.module === '@middy/ssm' || (legacy && b.name === 'ssm');
  const sf = scope.m.sf;
  for (const p of obj.properties) {
    if (!tsv.isPropertyAssignment(p)) continue;
    for (const v of evaluate(p.initializer, scope)) {
      const r = toReference(v);
      const byPath = ssm && !!r && !r.prefix && r.name.endsWith('/');
      const op: Operation = !ssm ? 'GetSecretValue' : byPath ? 'GetParametersByPath' : 'GetParameters';
      const kind = ssm ? 'parameter' as const : 'secret' as const;
      if (!r) {
        const hint = hintOf(p.initializer);
        out.unresolved.push({ kind, op, decrypt: ssm, range: rangeOf(sf, p.initializer), file: scope.m.path, ...(hint ? { hint } : {}) });
        continue;
      }
      const name = byPath && r.name.length > 1 ? r.name.replace(/\/+$/, '') : r.name;
      // The middleware asks for decryption of every name, String or not: count a SecureString only where the name
      // looks secret or covers a whole path (which may hold some).
      const lastSegment = v.replace(/\/+$/, '').slice(v.replace(/\/+$/, '').lastIndexOf('/') + 1);
      const decrypt = ssm && (byPath || lastSegment.includes(UNKNOWN) || pathLooksSecret(lastSegment));
      out.refs.push({ name, kind, op, decrypt, prefix: r.prefix, range: rangeOf(sf, p.initializer), file: scope.m.path });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Per file

/**
 * Every parameter/secret read in one file, wherever it is (handler or not), with names evaluated in the file alone
 * (`process.env.X` is unknown unless `env` maps it). Used by the editor to check names against the account. `_project`
 * is accepted for symmetry with the analyzer's context; names are not followed into other files here.
 */
export function fileReferences(path: string, text: string, _project?: ProjectContext, env?: EnvMap): References['refs'] {
  const m = fileModelOf(path, text);
  const out: References = { refs: [], unresolved: [] };
  const scope: Scope = { m, env, bindings: new Map(), depth: 0 };
  for (const f of m.fetches) referencesOfFetch(f, scope, out);
  if (text.includes('@middy/')) {
    const visit = (n: ts.Node): void => {
      if (tsv.isCallExpression(n) && tsv.isIdentifier(n.expression)) middyReferences(n, n.expression, scope, out);
      tsv.forEachChild(n, visit);
    };
    visit(m.sf);
  }
  return dedupe(out).refs;
}

// ---------------------------------------------------------------------------------------------
// Per handler: follow calls from the handler (same file and relative imports)

interface Task { m: FileModel; fn: ts.Node; bindings: Map<string, string[]>; module: boolean }

function keyOf(m: FileModel, fn: ts.Node, bindings: Map<string, string[]>): string {
  return `${m.path}\u0001${fn.pos}\u0001${[...bindings].map(([k, v]) => k + '=' + v.join('|')).join(',')}`;
}

function exportedFunction(m: FileModel, name: string, project: ProjectContext, depth = 0): { m: FileModel; fn: FnNode } | undefined {
  if (depth > 4) return undefined;
  const node = m.exports.get(name);
  const r = resolveFunction(m, node);
  if (!r) return undefined;
  if ('fn' in r) return { m, fn: r.fn };
  const target = resolveModule(m.path, r.external.module, project);
  if (!target) return undefined;
  const other = fileModelOf(target.path, target.text);
  return exportedFunction(other, r.external.name === '*' ? name : r.external.name, project, depth + 1);
}

/**
 * What the handler `exportName` of `file` reads: its own code, module-scope code of every file it reaches, and the
 * functions it calls (same file, relative imports), with arguments bound to parameters.
 */
export function handlerReferences(file: string, text: string, exportName: string, project: ProjectContext, env?: EnvMap): References {
  const out: References = { refs: [], unresolved: [] };
  const m0 = fileModelOf(file, text);
  const start = exportedFunction(m0, exportName, project);
  const queue: Task[] = [];
  const seen = new Set<string>();
  const modulesDone = new Set<string>();
  const otherHandlers = (m: FileModel): Set<ts.Node> => {
    const s = new Set<ts.Node>();
    for (const h of findHandlers(m)) { const n = m.exports.get(h.name); if (n) s.add(n); }
    // The handler's own export (`middy(fn).use(ssm({ fetchData }))`) is walked; its function bodies are followed.
    if (m === m0) { const own = m.exports.get(exportName); if (own) s.delete(own); }
    return s;
  };
  const addModule = (m: FileModel) => {
    if (modulesDone.has(m.path)) return;
    modulesDone.add(m.path);
    queue.push({ m, fn: m.sf, bindings: new Map(), module: true });
  };
  const push = (m: FileModel, fn: ts.Node, bindings: Map<string, string[]>) => {
    const k = keyOf(m, fn, bindings);
    if (seen.has(k) || seen.size > 2000) return;
    seen.add(k);
    addModule(m);
    queue.push({ m, fn, bindings, module: false });
  };
  addModule(m0);
  if (start) push(start.m, start.fn, new Map());

  let steps = 0;
  while (queue.length && steps++ < 5000) {
    const task = queue.shift()!;
    const { m } = task;
    const fetchAt = new Map<ts.Node, FetchCall>();
    for (const f of m.fetches) fetchAt.set(f.call, f);
    const scope: Scope = { m, env, bindings: task.bindings, depth: 0 };
    const skip = task.module ? otherHandlers(m) : new Set<ts.Node>();

    const bind = (fn: FnNode, args: readonly ts.Expression[]): Map<string, string[]> => {
      const b = new Map<string, string[]>();
      fn.parameters.forEach((p, i) => {
        if (tsv.isIdentifier(p.name) && args[i]) {
          const v = evaluate(args[i], scope);
          if (v.some((x) => x !== UNKNOWN)) b.set(p.name.text, v);
        }
      });
      return b;
    };
    const followExternal = (spec: string, name: string, args: readonly ts.Expression[]) => {
      const target = resolveModule(m.path, spec, project);
      if (!target) return;
      const om = fileModelOf(target.path, target.text);
      const hit = name === '*' ? undefined : exportedFunction(om, name, project);
      if (hit) push(hit.m, hit.fn, bind(hit.fn, args));
      else addModule(om);
    };
    const followIdentifier = (id: ts.Identifier, args: readonly ts.Expression[]) => {
      const b = m.imports.get(id.text);
      if (b) { if (b.module.startsWith('.')) followExternal(b.module, b.name, args); return; }
      const t = m.topFunctions.get(id.text);
      if (!t) return;
      const r = resolveFunction(m, t);
      if (r && 'fn' in r) push(m, r.fn, bind(r.fn, args));
      else if (r && 'external' in r) followExternal(r.external.module, r.external.name, args);
    };

    const visit = (n: ts.Node): void => {
      if (task.module && n !== task.fn) {
        // Module scope: code that runs at load. Functions run only when called (followed from the handler).
        if (isFunctionNode(n) || tsv.isClassLike(n) || skip.has(n)) return;
      }
      if (n.kind === tsv.SyntaxKind.CallExpression) {
        const c = n as ts.CallExpression;
        const f = fetchAt.get(c);
        if (f) referencesOfFetch(f, scope, out);
        const callee = unwrap(c.expression);
        if (tsv.isIdentifier(callee)) middyReferences(c, callee, scope, out);
        if (tsv.isIdentifier(callee)) followIdentifier(callee, c.arguments);
        else if (tsv.isPropertyAccessExpression(callee)) {
          const obj = unwrap(callee.expression);
          if (obj.kind === tsv.SyntaxKind.ThisKeyword) {
            const cls = ts.findAncestor(c, ts.isClassLike);
            const member = cls?.members.find((x) => tsv.isMethodDeclaration(x) && tsv.isIdentifier(x.name) && x.name.text === callee.name.text);
            if (member && tsv.isMethodDeclaration(member)) push(m, member, bind(member, c.arguments));
          } else if (tsv.isIdentifier(obj)) {
            const b = m.imports.get(obj.text);
            if (b && b.module.startsWith('.') && (b.name === '*' || b.name === 'default')) followExternal(b.module, callee.name.text, c.arguments);
          }
        }
        // Functions passed by reference: names.map(fetchOne), Promise.all([load()])
        for (const a of c.arguments) {
          const ua = unwrap(a);
          if (tsv.isIdentifier(ua) && (m.topFunctions.has(ua.text) || m.imports.has(ua.text))) followIdentifier(ua, []);
        }
      }
      tsv.forEachChild(n, visit);
    };
    if (task.module) visit(task.fn);
    else {
      const fn = task.fn as FnNode;
      if (fn.body) visit(fn.body);
    }
  }
  return dedupe(out);
}

function dedupe(r: References): References {
  const seen = new Set<string>();
  const refs = r.refs.filter((x) => {
    const k = `${x.file}|${x.range.start.line}:${x.range.start.character}|${x.name}|${x.op}|${x.prefix}|${x.decrypt}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const seenU = new Set<string>();
  const unresolved = r.unresolved.filter((x) => {
    const k = `${x.file}|${x.range.start.line}:${x.range.start.character}|${x.op}`;
    if (seenU.has(k)) return false;
    seenU.add(k);
    return true;
  });
  return { refs, unresolved };
}

/** Handlers exported by a file (for projects without IaC: each handler file is its own function). */
export function handlerExports(path: string, text: string): string[] {
  const m = fileModelOf(path, text);
  return findHandlers(m).map((h) => h.name);
}
