// The parameter or secret name under the cursor, resolved as far as the IaC allows (issue 13 §1, hovers): the same
// evaluation the IAM rules and `keyway policy` use (`evaluate`, the environment each function's IaC gives it), for
// `Name: process.env.PARAM_NAME`, `` `/${stage}/db/url` `` and a bare `process.env.X`. Names keeping an IaC variable
// (`${sls:stage}`) are matched against a store's names (`matchStoreNames`) to list them per stage; parts that cannot be
// resolved are described. Pure: files through the ProjectContext, the store through the caller's tree.
import * as nodePath from 'node:path';
import { type ts, tsv } from '../ts';
import { readsValues } from '../lambda/sdk';
import type { ProjectContext } from '../types';
import { UNKNOWN, envVarName, evaluate, findDeclaration, unwrap, type Scope } from './evaluate';
import type { IamFunction } from './functions';
import { handlerReferences } from './handler-refs';
import { iacFunctionsAbove } from './handlers';
import { fileModelOf, nameExpressions } from './refs';

export interface NameResolution {
  /** The name with IaC variables kept (`/app/${sls:stage}/db`) and each unknown part as `…`. */
  template: string;
  /** The name when fully known (no variable, no unknown part). */
  name?: string;
  /** Deploy-time variables left in the name (`sls:stage`, `var.stage`). */
  variables: string[];
  /** What could not be resolved, described (`process.env.TENANT: not set by serverless.yml for "orders"`). */
  unresolved: string[];
  /** Functions whose environment gives this resolution (empty without IaC). */
  functions: string[];
  /** The IaC file the environment comes from. */
  source?: string;
}

export interface ResolvedNameAt {
  /** Offsets of the expression under the cursor. */
  start: number;
  end: number;
  /** Known from the read (`GetParameter` → parameter); undefined for a `process.env.X` outside a read. */
  kind?: 'parameter' | 'secret';
  /** The expression as written. */
  written: string;
  resolutions: NameResolution[];
}

const MAX_FUNCTIONS = 40;

function P(p: string): typeof nodePath.posix {
  return p.includes('\\') && !p.includes('/') ? nodePath.win32 : nodePath.posix;
}

const within = (n: ts.Node, sf: ts.SourceFile, offset: number) => n.getStart(sf) <= offset && offset <= n.end;

/** The name expression of a read, or a `process.env.X`, at `offset`. */
function targetAt(path: string, text: string, offset: number): { expr: ts.Node; kind?: 'parameter' | 'secret'; scope: Omit<Scope, 'env'> } | undefined {
  const m = fileModelOf(path, text);
  const scope = { m, bindings: new Map<string, string[]>(), depth: 0 };
  for (const f of m.fetches) {
    if (f.style === 'middy' || f.style === 'extension' || !readsValues(f.op) || !within(f.call, m.sf, offset)) continue;
    for (const e of nameExpressions(f)) {
      if (within(e, m.sf, offset)) return { expr: e, kind: f.service === 'ssm' ? 'parameter' : 'secret', scope };
    }
  }
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (found || !within(n, m.sf, offset)) return;
    if (envVarName(n) !== undefined) { found = n; return; }
    n.forEachChild(visit);
  };
  visit(m.sf);
  return found ? { expr: found, scope } : undefined;
}

/** The environment of a function, with `${env:X}` for every variable its IaC does not set. */
class EnvOf extends Map<string, string> {
  override get(key: string): string | undefined {
    return super.get(key) ?? `\${env:${key}}`;
  }
}

/** Sub-expressions whose value is not known statically, as written, with why. */
function unknownParts(e: ts.Node, scope: Scope, depth = 0): string[] {
  const u = unwrap(e);
  if (depth > 6 || !evaluate(u, scope).some((v) => v.includes(UNKNOWN))) return [];
  if (tsv.isTemplateExpression(u)) return u.templateSpans.flatMap((s) => unknownParts(s.expression, scope, depth + 1));
  if (tsv.isBinaryExpression(u) && u.operatorToken.kind === tsv.SyntaxKind.PlusToken) return [...unknownParts(u.left, scope, depth + 1), ...unknownParts(u.right, scope, depth + 1)];
  if (tsv.isIdentifier(u)) {
    const d = findDeclaration(u.text, u);
    if (d && tsv.isVariableDeclaration(d) && d.initializer) return unknownParts(d.initializer, scope, depth + 1);
  }
  const env = envVarName(u);
  const text = u.getText(scope.m.sf).replace(/\s+/g, ' ');
  if (env !== undefined) return [`${text}: set by the IaC to a value known only at deploy time`];
  return [`${text.length > 60 ? text.slice(0, 57) + '…' : text}: computed at run time`];
}

function describe(values: string[], fn: IamFunction | undefined, parts: string[], where: string): NameResolution[] {
  const out: NameResolution[] = [];
  for (const v of values) {
    const variables: string[] = [];
    const unresolved: string[] = [];
    for (const m of v.matchAll(/\$\{([^{}]*)\}/g)) {
      const env = /^env:(.+)$/.exec(m[1]);
      if (env) unresolved.push(fn ? `process.env.${env[1]}: not set by ${where} for "${fn.name}"` : `process.env.${env[1]}: no infrastructure file sets it`);
      else if (!variables.includes(m[1])) variables.push(m[1]);
    }
    if (v.includes(UNKNOWN)) unresolved.push(...parts);
    const template = v.replace(/\u0000+/g, '…');
    const known = !variables.length && !unresolved.length && !v.includes(UNKNOWN);
    out.push({ template, ...(known ? { name: template } : {}), variables, unresolved: [...new Set(unresolved)], functions: fn ? [fn.name] : [], ...(fn?.definedIn ? { source: fn.definedIn } : {}) });
  }
  return out;
}

/** Names the handler walk of `fn` (the IAM model) gives the read written at `at` in `path` (a prefix ends in UNKNOWN). */
function walkedNames(fn: IamFunction, path: string, at: { line: number; character: number }, project: ProjectContext): string[] {
  if (!fn.handlerFile || fn.handlerText === undefined) return [];
  const norm = P(path).normalize(path);
  const r = handlerReferences(fn.handlerFile, fn.handlerText, fn.handlerExport, project, fn.env);
  return [...new Set(r.refs.filter((x) => P(x.file).normalize(x.file) === norm && x.range.start.line === at.line && x.range.start.character === at.character)
    .map((x) => (x.prefix ? x.name + UNKNOWN : x.name)))];
}

/** Functions (from the IaC above the file) whose handler is this file or reaches it. */
function functionsRunning(path: string, project: ProjectContext): IamFunction[] {
  const all = iacFunctionsAbove(path, project).slice(0, MAX_FUNCTIONS);
  const norm = P(path).normalize(path);
  const direct = all.filter((f) => f.handlerFile && P(path).normalize(f.handlerFile) === norm);
  if (direct.length) return direct;
  return all.filter((f) => {
    if (!f.handlerFile || f.handlerText === undefined) return false;
    const r = handlerReferences(f.handlerFile, f.handlerText, f.handlerExport, project, f.env);
    return [...r.refs, ...r.unresolved].some((x) => P(x.file).normalize(x.file) === norm);
  });
}

/**
 * The name read at `offset` of a source file, resolved with the environment of every function the IaC runs it in
 * (one resolution per distinct result, with the functions that give it), or without IaC. Undefined when the cursor is
 * on no name expression of a read and on no `process.env.X`.
 */
export function resolveNameAt(path: string, text: string, offset: number, project: ProjectContext): ResolvedNameAt | undefined {
  const t = targetAt(path, text, offset);
  if (!t) return undefined;
  const sf = t.scope.m.sf;
  const u = unwrap(t.expr);
  if (tsv.isStringLiteralLike(u)) {
    // A name written out: nothing to resolve (and no infrastructure to read)
    const r: NameResolution = { template: u.text, name: u.text, variables: [], unresolved: [], functions: [] };
    return { start: t.expr.getStart(sf), end: t.expr.end, ...(t.kind ? { kind: t.kind } : {}), written: t.expr.getText(sf), resolutions: [r] };
  }
  const fns = functionsRunning(path, project);
  const byTemplate = new Map<string, NameResolution>();
  const add = (r: NameResolution) => {
    const hit = byTemplate.get(r.template + '\u0001' + r.unresolved.join('|'));
    if (hit) { hit.functions.push(...r.functions.filter((f) => !hit.functions.includes(f))); return; }
    byTemplate.set(r.template + '\u0001' + r.unresolved.join('|'), r);
  };
  for (const fn of fns.length ? fns : [undefined]) {
    const env = new EnvOf(fn?.env ?? []);
    const scope: Scope = { ...t.scope, env };
    const values = evaluate(t.expr, scope);
    const where = fn?.definedIn ? P(fn.definedIn).basename(fn.definedIn) : 'the infrastructure';
    // A helper's parameter (`Name: name` in lib/params.ts) is bound by the handler's calls: take the names the IAM
    // model computes for this very expression when the file alone knows nothing.
    const walked = fn && values.every((v) => !v.replace(/\u0000/g, '')) ? walkedNames(fn, path, sf.getLineAndCharacterOfPosition(t.expr.getStart(sf)), project) : [];
    const parts = walked.length ? ['the rest: computed at run time'] : unknownParts(t.expr, scope);
    for (const r of describe(walked.length ? walked : values, fn, parts, where)) add(r);
  }
  return { start: t.expr.getStart(sf), end: t.expr.end, ...(t.kind ? { kind: t.kind } : {}), written: t.expr.getText(sf), resolutions: [...byTemplate.values()] };
}

/** The part of a store index the matcher needs: a folder's direct children (`/app/prod` holds `/app/prod/x`). */
export interface NameTree {
  children(path: string): { folders: readonly { name: string; path: string }[]; items: readonly { name: string }[] };
}

/**
 * Names of a store that a template with deploy-time variables can be (`/app/${sls:stage}/db` → `/app/prod/db`,
 * `/app/dev/db`), each with the values its variables take there (the stage). Each variable stands for one path
 * segment or part of one; unknown parts (`…`) are not matched.
 */
export function matchStoreNames(template: string, tree: NameTree, limit = 10): { name: string; values: string[] }[] {
  if (template.includes('…') || !template.includes('${')) return [];
  const lead = template.startsWith('/');
  const segs = (lead ? template.slice(1) : template).split('/');
  const out: { name: string; values: string[] }[] = [];
  const segRe = (s: string) => new RegExp('^' + s.split(/(\$\{[^{}]*\})/).map((p) => (p.startsWith('${') ? '([^/]+?)' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('') + '$');
  const walk = (folder: string, i: number, values: string[]): void => {
    if (out.length >= limit || i >= segs.length) return;
    const seg = segs[i];
    const last = i === segs.length - 1;
    const kids = tree.children(folder);
    if (!seg.includes('${')) {
      const childPath = folder === '' ? (lead ? '/' + seg : seg) : folder + '/' + seg;
      if (last) { if (kids.items.some((x) => x.name === childPath)) out.push({ name: childPath, values }); return; }
      if (kids.folders.some((f) => f.path === childPath)) walk(childPath, i + 1, values);
      return;
    }
    const re = segRe(seg);
    if (last) {
      for (const it of kids.items) {
        if (folder === '' && it.name.startsWith('/') !== lead) continue;
        const leaf = it.name.slice(it.name.lastIndexOf('/') + 1);
        const m = re.exec(leaf);
        if (m && out.length < limit) out.push({ name: it.name, values: [...values, ...m.slice(1)] });
      }
      return;
    }
    for (const f of kids.folders) {
      if (folder === '' && f.path.startsWith('/') !== lead) continue;
      const m = re.exec(f.name);
      if (m) walk(f.path, i + 1, [...values, ...m.slice(1)]);
    }
  };
  walk('', 0, []);
  return out;
}
