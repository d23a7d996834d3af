// Following code into relative imports: reading and modelling another file of the project (cached by path and
// text), what an imported function runs per call, and the one-fetch wrapper functions other files export.
import * as nodePath from 'node:path';
import { ts, tsv } from '../ts';
import type { ProjectContext } from '../types';
import { isMemoized } from './caches';
import { buildFileModel } from './file';
import { resolveFunction } from './handlers';
import { classMember, walkReach, type ReachState } from './reach';
import { RELATIVE_IMPORT, isRelevantText, type Operation } from './sdk';
import { findProp, isFunctionNode, propValue, unwrap } from './syntax';
import type { ClassNode, Env, FetchCall, FileModel, FnNode, ImportBinding, Resolved } from './types';

const SOURCE_EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export interface ExternalFile { text: string; model: FileModel }
const externalCache = new Map<string, ExternalFile>();

function scriptKindOf(p: string): ts.ScriptKind {
  if (/\.tsx$/i.test(p)) return ts.ScriptKind.TSX;
  if (/\.jsx$/i.test(p)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/i.test(p)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/**
 * The single fetch a function exported by a relative module makes directly (`export const getSecret = async (id) =>
 * (await sm.send(new GetSecretValueCommand({ SecretId: id }))).SecretString`), or undefined.
 */
export function importedFetchWrapper(from: string, b: ImportBinding, project: ProjectContext): FetchCall | undefined {
  if (!b.module.startsWith('.') || b.name === '*') return undefined;
  const ext = loadExternal(from, b.module, project);
  if (!ext) return undefined;
  const node = ext.model.exports.get(b.name);
  if (!node || isMemoized(node)) return undefined;
  const r = resolveFunction(ext.model, node);
  if (!r || !('fn' in r)) return undefined;
  const inner = directFetches(ext.model).get(r.fn);
  return inner?.length === 1 ? inner[0] : undefined;
}

/** Promise-style fetches by the function they are directly in (built once per file model). */
export function directFetches(m: FileModel): Map<ts.Node, FetchCall[]> {
  if (m.byFunction) return m.byFunction;
  const by = new Map<ts.Node, FetchCall[]>();
  for (const f of m.fetches) {
    if (f.callback) continue;
    let p: ts.Node | undefined = f.call.parent;
    while (p && !isFunctionNode(p)) p = p.parent;
    if (!p) continue;
    const list = by.get(p);
    if (list) list.push(f); else by.set(p, [f]);
  }
  m.byFunction = by;
  return by;
}

export function loadExternal(from: string, spec: string, project: ProjectContext): ExternalFile | undefined {
  const P = from.includes('\\') && !from.includes('/') ? nodePath.win32 : nodePath.posix;
  const base = P.join(P.dirname(from), spec);
  const candidates: string[] = [];
  const ext = /\.[cm]?[jt]sx?$/i.exec(base)?.[0];
  if (ext) {
    const stem = base.slice(0, -ext.length);
    if (/^\.[cm]?jsx?$/i.test(ext)) candidates.push(stem + ext.replace(/js/i, 'ts'));
    candidates.push(base);
  } else {
    for (const e of SOURCE_EXTS) candidates.push(base + e);
    for (const e of SOURCE_EXTS) candidates.push(P.join(base, 'index' + e));
  }
  for (const c of candidates) {
    let text: string | undefined;
    try { text = project.readFile(c); } catch { text = undefined; }
    if (text === undefined) continue;
    // A file with no SDK code and no relative import cannot lead to a fetch: do not parse it.
    if (!isRelevantText(text) && !RELATIVE_IMPORT.test(text)) return undefined;
    const hit = externalCache.get(c);
    if (hit && hit.text === text) return hit;
    const sf = ts.createSourceFile(c, text, ts.ScriptTarget.Latest, true, scriptKindOf(c));
    const model = buildFileModel(c, text, sf, true);
    if (externalCache.size > 500) externalCache.clear();
    const entry = { text, model };
    externalCache.set(c, entry);
    return entry;
  }
  return undefined;
}

interface ExternalSummary { file: string; fetches: { op: Operation; names: string[] }[]; clients: string[] }

/** What an imported function of a relative module runs per call (uncached fetches, clients). */
export function externalSummary(from: string, b: ImportBinding, env: Env): ExternalSummary | undefined {
  if (env.depth >= 4 || !b.module.startsWith('.')) return undefined;
  const ext = loadExternal(from, b.module, env.project);
  if (!ext) return undefined;
  const m = ext.model;
  const env2: Env = { project: env.project, depth: env.depth + 1 };
  /** The class an export denotes (`export class X`, `module.exports = X`, `export default class`). */
  const classOf = (n: ts.Node | undefined): ClassNode | undefined => {
    const u = n && unwrap(n);
    if (!u) return undefined;
    if (tsv.isClassDeclaration(u) || tsv.isClassExpression(u)) return u;
    if (tsv.isIdentifier(u)) return m.classes.get(u.text);
    return undefined;
  };
  let node: ts.Node | undefined;
  let method: FnNode | undefined;
  let persistent = !!b.persistent;
  if (b.member !== undefined) {
    // `x.method()` on an instance (or the class) of a class exported by that file
    const c = classOf(m.exports.get(b.name === '*' ? 'default' : b.name));
    method = c && classMember(c, b.member);
  } else if (b.name.startsWith('default.')) {
    const d = m.exports.get('default');
    const obj = d && unwrap(d);
    node = obj && tsv.isObjectLiteralExpression(obj) ? propValue(obj, b.name.slice(8)) ?? findProp(obj, b.name.slice(8)) : undefined;
    // `import Cls from './x'; Cls.getInstance()`: a static method of the default-exported class
    if (!node) { const c = classOf(d); method = c && classMember(c, b.name.slice(8)); persistent = true; }
  } else {
    // `const load = require('./x'); load()` calls what `module.exports =` is
    node = m.exports.get(b.name === '*' ? 'default' : b.name);
    // `const Cls = require('./x'); Cls.getInstance()` where the module exports a class
    if (!node) { const c = classOf(m.exports.get('default')); method = c && classMember(c, b.name); persistent = true; }
  }
  if (node && isMemoized(node)) return undefined;
  const r: Resolved = method ? { fn: method } : resolveFunction(m, node);
  if (!r) return undefined;
  if ('external' in r) return externalSummary(m.path, r.external, env2);
  const st: ReachState = { fetches: new Map(), clients: new Map(), crossFile: [], visited: new Set() };
  walkReach(m, r.fn, b.member ?? b.name, st, env2, persistent);
  const fetches = [...st.fetches.keys()].map((f) => ({ op: f.op, names: f.names }));
  const clients = [...st.clients.keys()].filter((c) => c.kind === 'client').map((c) => c.className);
  for (const h of st.crossFile) { fetches.push(...h.fetches); clients.push(...h.clients); }
  return { file: m.path, fetches, clients };
}
