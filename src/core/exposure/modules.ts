// Following values across relative imports (the reach the Lambda model uses for handlers): an imported function's
// return value, an imported module-scope value, and the sinks an imported function's parameters reach.
// Modules are parsed only when needed: for a value, when their text (or a module they import) can read a secret;
// for parameters, when a tainted argument is passed to them.
import * as nodePath from 'node:path';
import { type ts, tsv } from '../ts';
import { fileModelOf, resolveModule } from '../iam/refs';
import type { ProjectContext } from '../types';
import { ExposureAnalysis, type ImportedSinks, type ParamSink } from './exposures';
import { Flow, FLOW_KINDS, addNode, emptyNodes, type FlowNodes, type ModuleAccess, type Target } from './flow';
import type { FunctionLike } from './scope';
import { hasSourceMarker, type SourceOptions } from './sources';
import { CLEAN, bind, isParam, type Source, type Taint } from './taint';

const MAX_DEPTH = 4;
const MAX_CACHE = 300;
const SPECIFIER = /(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*)['"](\.\.?\/[^'"]+)['"]/g;

interface Loaded { text: string; key: string; flow: Flow; exposures?: ExposureAnalysis }

/** Parsed imported modules, by path (checked against the text and the options on every hit). */
const cache = new Map<string, Loaded>();
/** Whether a module, or one it imports relatively, mentions a secret source (text only, no parse). */
const reachCache = new Map<string, { text: string; hit: boolean; budget: number }>();

function optionsKey(o: SourceOptions): string {
  return o.secretWords.join('\u0001');
}

/** The relative module specifiers a text imports or requires. */
export function relativeSpecifiers(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(SPECIFIER)) out.add(m[1]);
  return [...out];
}

/**
 * Whether a file, or the relative modules it imports (up to four levels), could read a secret. Text only: nothing is
 * parsed. Results are kept by path with the depth they looked at (a cycle back to a file being looked at counts as no).
 */
export function mayReachSource(path: string, text: string, project: ProjectContext, budget = MAX_DEPTH, active = new Set<string>(), marked?: boolean): boolean {
  if (marked ?? hasSourceMarker(text)) return true;
  if (budget <= 0 || active.has(path)) return false;
  const known = reachCache.get(path);
  if (known && known.text === text && (known.hit || known.budget >= budget)) return known.hit;
  active.add(path);
  let hit = false;
  for (const spec of relativeSpecifiers(text).slice(0, 40)) {
    let r: { path: string; text: string } | undefined;
    try { r = resolveModule(path, spec, project); } catch { r = undefined; }
    if (r && mayReachSource(r.path, r.text, project, budget - 1, active)) { hit = true; break; }
  }
  active.delete(path);
  if (reachCache.size > 20000) reachCache.clear();
  reachCache.set(path, { text, hit, budget });
  return hit;
}

function collect(sf: ts.SourceFile): FlowNodes {
  const nodes = emptyNodes();
  const kinds = new Set(FLOW_KINDS);
  const visit = (n: ts.Node): void => {
    if (kinds.has(n.kind)) addNode(nodes, n);
    tsv.forEachChild(n, visit);
  };
  visit(sf);
  return nodes;
}

/** The module graph of one analysis. */
export class ModuleGraph implements ModuleAccess, ImportedSinks {
  private depth = 0;

  constructor(private readonly project: ProjectContext, private readonly options: SourceOptions, private readonly root: string) {}

  private load(from: string, spec: string): { path: string; loaded: Loaded } | undefined {
    let r: { path: string; text: string } | undefined;
    try { r = resolveModule(from, spec, this.project); } catch { r = undefined; }
    if (!r) return undefined;
    const key = optionsKey(this.options);
    const hit = cache.get(r.path);
    if (hit && hit.text === r.text && hit.key === key) return { path: r.path, loaded: hit };
    let fm;
    try { fm = fileModelOf(r.path, r.text); } catch { return undefined; }
    const flow = new Flow(r.path, fm, collect(fm.sf), this.options, this);
    const loaded: Loaded = { text: r.text, key, flow };
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(r.path, loaded);
    return { path: r.path, loaded };
  }

  /** Run `fn` one level deeper, or not at all past the depth limit. */
  private deeper<T>(fallback: T, fn: () => T): T {
    if (this.depth >= MAX_DEPTH) return fallback;
    this.depth++;
    try { return fn(); } catch { return fallback; } finally { this.depth--; }
  }

  private reaches(from: string, spec: string): boolean {
    let r: { path: string; text: string } | undefined;
    try { r = resolveModule(from, spec, this.project); } catch { r = undefined; }
    return !!r && mayReachSource(r.path, r.text, this.project);
  }

  exportValue(from: string, module: string, name: string): Taint {
    if (!this.reaches(from, module)) return CLEAN;
    return this.deeper(CLEAN, () => {
      const m = this.load(from, module);
      if (!m) return CLEAN;
      const re = this.reexport(m.loaded.flow, name);
      if (re) return this.exportValue(m.path, re.module, re.name);
      return annotate(foreignFree(m.loaded.flow.exportValue(name), m.loaded.flow.sf), this.display(m.path));
    });
  }

  callExport(from: string, target: Extract<Target, { kind: 'import' }>, args: (fn: FunctionLike, index: number) => Taint): Taint {
    // a module that cannot read a secret still passes its arguments through (`format(secret)`): parse it only then
    let argTaint = false;
    const reach = this.reaches(from, target.module);
    return this.deeper(CLEAN, () => {
      const m = this.load(from, target.module);
      if (!m) return CLEAN;
      const re = this.reexport(m.loaded.flow, target.name);
      if (re) return this.callExport(m.path, { ...target, module: re.module, name: re.name }, args);
      const fn = m.loaded.flow.exportedFunction(target.name, target.member);
      if (!fn) return CLEAN;
      if (!reach) {
        for (let i = 0; i < fn.parameters.length && !argTaint; i++) if (args(fn, i).length) argTaint = true;
        if (!argTaint) return CLEAN;
      }
      return annotate(foreignFree(bind(m.loaded.flow.returns(fn), fn, (i) => args(fn, i)), m.loaded.flow.sf), this.display(m.path));
    });
  }

  paramSinks(from: string, target: Extract<Target, { kind: 'import' }>): { fn: FunctionLike; sinks: ParamSink[]; file: string } | undefined {
    return this.deeper(undefined, () => {
      const m = this.load(from, target.module);
      if (!m) return undefined;
      const re = this.reexport(m.loaded.flow, target.name);
      if (re) return this.paramSinks(m.path, { ...target, module: re.module, name: re.name });
      const fn = m.loaded.flow.exportedFunction(target.name, target.member);
      if (!fn) return undefined;
      m.loaded.exposures ??= new ExposureAnalysis(m.loaded.flow, this).run();
      const sinks = m.loaded.exposures.paramSinks.get(fn);
      return sinks?.length ? { fn, sinks, file: this.display(m.path) } : undefined;
    });
  }

  /** `export { x } from './y'` / `export * from './y'`: where the name really lives. */
  private reexport(flow: Flow, name: string): { module: string; name: string } | undefined {
    const node = flow.fm.exports.get(name);
    if (node && tsv.isExportSpecifier(node)) {
      const decl = node.parent.parent;
      if (decl.moduleSpecifier && tsv.isStringLiteral(decl.moduleSpecifier) && decl.moduleSpecifier.text.startsWith('.')) {
        return { module: decl.moduleSpecifier.text, name: (node.propertyName ?? node.name).text };
      }
      return undefined;
    }
    if (node) return undefined;
    for (const st of flow.sf.statements) {
      if (tsv.isExportDeclaration(st) && !st.exportClause && st.moduleSpecifier && tsv.isStringLiteral(st.moduleSpecifier)
        && st.moduleSpecifier.text.startsWith('.')) {
        const r = this.load(flow.path, st.moduleSpecifier.text);
        if (r && (r.loaded.flow.fm.exports.has(name))) return { module: st.moduleSpecifier.text, name };
      }
    }
    return undefined;
  }

  /** A path as shown in messages: relative to the analysed file's folder when close, else as given. */
  display(p: string): string {
    const P = p.includes('\\') && !p.includes('/') ? nodePath.win32 : nodePath.posix;
    const rel = P.relative(P.dirname(this.root), p);
    return rel && !rel.startsWith('..' + P.sep + '..') ? rel : p;
  }
}

/** Drop parameter facts of another module's functions (closures there): no call site here can substitute them. */
function foreignFree(t: Taint, sf: ts.SourceFile): Taint {
  if (!t.some((f) => isParam(f.origin))) return t;
  return t.filter((f) => !isParam(f.origin) || f.origin.fn.getSourceFile() !== sf);
}

const annotated = new WeakMap<Source, Map<string, Source>>();

/** Sources read in another file say so (`… (read in lib/config.ts)`); one object per source and file, so facts still merge. */
function annotate(t: Taint, file: string): Taint {
  if (!t.some((f) => !isParam(f.origin) && !f.origin.file)) return t;
  return t.map((f) => {
    if (isParam(f.origin) || f.origin.file) return f;
    let byFile = annotated.get(f.origin);
    if (!byFile) annotated.set(f.origin, byFile = new Map());
    let s = byFile.get(file);
    if (!s) byFile.set(file, s = { ...f.origin, file });
    return { ...f, origin: s };
  });
}
