// Reference extraction (issue 7): which parameter names and secret ids a handler reads, with the operation and whether
// it decrypts. Builds on the per-file Lambda model (src/core/lambda): SDK/Powertools calls come from `FileModel.fetches`;
// this module evaluates their name expressions (literals, templates, concatenations, constants, `process.env.X` mapped
// by the IaC, arguments of same-file and relatively imported wrapper functions) and follows calls from the handler.
// Pure: no vscode, no AWS.
import * as nodePath from 'node:path';
import { ts, tsv } from '../ts';
import { buildFileModel, recentModel, findHandlers, findProp, walkTree, type FetchCall, type FileModel } from '../lambda/model';
import { decryptionExpression, decryptionState } from '../lambda/secure';
import { readsValues, type Operation } from '../lambda/sdk';
import type { ProjectContext, Range } from '../types';
import { pathLooksSecret } from '../secrets/names';
import { UNKNOWN, evaluate, findDeclaration, hintOf, toReference, unwrap, type EnvMap, type Scope } from './evaluate';

export type { Operation } from '../lambda/sdk';
export { UNKNOWN, type EnvMap } from './evaluate';
export { handlerReferences } from './handler-refs';

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
  /** The customer managed KMS key the IaC encrypts this value with, as written (set by the project model). */
  key?: string;
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

/** The expressions a fetch takes its names from. */
export function nameExpressions(f: FetchCall): ts.Node[] {
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
    case 'GetParameters':
    case 'BatchGetSecretValue': {
      const v = prop(f.input, f.op === 'GetParameters' ? 'Names' : 'SecretIdList');
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

/** `WithDecryption: true`, or an expression that evaluates to true (a helper's `decrypt` argument at its call sites). */
function decrypts(f: FetchCall, scope: Scope): boolean {
  const state = decryptionState(f);
  if (state !== 'unknown') return state === 'yes';
  const e = decryptionExpression(f);
  return !!e && evaluate(e, scope).includes('true');
}

export function referencesOfFetch(f: FetchCall, scope: Scope, out: References): void {
  // middy middlewares are read by middyReferences; listings read no value (they need no resource-scoped grant)
  if (f.style === 'middy' || !readsValues(f.op)) return;
  const kind = f.service === 'ssm' ? 'parameter' as const : 'secret' as const;
  const decrypt = f.service === 'ssm' && decrypts(f, scope);
  const sf = scope.m.sf;
  if (f.style === 'extension') { extensionReferences(f, scope, out, kind, decrypt); return; }
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

/** The Lambda extension's URL: the `name=` / `secretId=` query parameter, evaluated like any name. */
function extensionReferences(f: FetchCall, scope: Scope, out: References, kind: 'parameter' | 'secret', decrypt: boolean): void {
  const sf = scope.m.sf;
  const arg = f.call.arguments[0];
  const key = kind === 'parameter' ? 'name' : 'secretId';
  let urlExpr: ts.Node | undefined = arg;
  const u = arg && unwrap(arg);
  if (u && tsv.isIdentifier(u)) {
    const d = findDeclaration(u.text, u);
    if (d && tsv.isVariableDeclaration(d) && d.initializer) urlExpr = d.initializer;
  }
  const values = urlExpr ? evaluate(urlExpr, scope) : [UNKNOWN];
  for (const url of values) {
    const q = new RegExp(`[?&]${key}=([^&#]*)`).exec(url);
    const r = q ? toReference(safeDecode(q[1])) : undefined;
    if (!r) {
      out.unresolved.push({ kind, op: f.op, decrypt, range: rangeOf(sf, f.call), file: scope.m.path });
      continue;
    }
    out.refs.push({ name: kind === 'parameter' ? parameterNameOf(r.name) : r.name, kind, op: f.op, decrypt, prefix: r.prefix, range: rangeOf(sf, arg ?? f.call), file: scope.m.path });
  }
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

/**
 * middy middlewares: `ssm({ fetchData: { key: '/app/prod/x', all: '/app/prod/' } })` (GetParameters, or
 * GetParametersByPath for a path ending in `/`; always decrypted) and `secretsManager({ fetchData: { key: 'id' } })`.
 */
export function middyReferences(c: ts.CallExpression, callee: ts.Identifier, scope: Scope, out: References): void {
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
    walkTree(m.sf, (n) => {
      if (tsv.isCallExpression(n) && tsv.isIdentifier(n.expression)) middyReferences(n, n.expression, scope, out);
    });
  }
  return dedupe(out).refs;
}


export function dedupe(r: References): References {
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

