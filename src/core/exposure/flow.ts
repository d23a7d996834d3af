// The value flow of one file: what taint an expression carries (see taint.ts), demand-driven and memoized.
// Follows assignments (flow-insensitively), destructuring, JSON.parse/stringify, property reads, templates,
// concatenation, object and array literals and spreads, array and promise callbacks, awaits, function parameters
// and return values (summaries with symbolic parameters), class fields, and imports of relative modules.
import { type ts, tsv } from '../ts';
import type { FetchCall, FileModel, ImportBinding } from '../lambda/model';
import { Scopes, bindingDefaults, bindingPath, isFunctionLike, type Decl, type FunctionLike } from './scope';
import {
  ANY, CLEAN, bind, entries, exceptFields, fromEntries, isParam, named, parse, pick, prefix, read, stringify, union, without, type Source, type Taint,
} from './taint';
import { envIsSecret, envSource, extensionTaint, fetchTaint, middySources, urlText, type SourceOptions } from './sources';

const SK = tsv.SyntaxKind;

/** The nodes of a file the analysis looks at, collected by the engine's walk (or a walk of an imported file). */
export interface FlowNodes {
  calls: ts.CallExpression[];
  news: ts.NewExpression[];
  binaries: ts.BinaryExpression[];
  objects: ts.ObjectLiteralExpression[];
  throws: ts.ThrowStatement[];
  deletes: ts.DeleteExpression[];
}

export const FLOW_KINDS: readonly ts.SyntaxKind[] = [
  SK.CallExpression, SK.NewExpression, SK.BinaryExpression, SK.ObjectLiteralExpression, SK.ThrowStatement, SK.DeleteExpression,
];

export function emptyNodes(): FlowNodes {
  return { calls: [], news: [], binaries: [], objects: [], throws: [], deletes: [] };
}

export function addNode(nodes: FlowNodes, n: ts.Node): void {
  switch (n.kind) {
    case SK.CallExpression: nodes.calls.push(n as ts.CallExpression); break;
    case SK.NewExpression: nodes.news.push(n as ts.NewExpression); break;
    case SK.BinaryExpression: nodes.binaries.push(n as ts.BinaryExpression); break;
    case SK.ObjectLiteralExpression: nodes.objects.push(n as ts.ObjectLiteralExpression); break;
    case SK.ThrowStatement: nodes.throws.push(n as ts.ThrowStatement); break;
    case SK.DeleteExpression: nodes.deletes.push(n as ts.DeleteExpression); break;
  }
}

/** What a function of an imported module is, to a caller. */
export type Target =
  | { kind: 'local'; fn: FunctionLike; name: string }
  | { kind: 'import'; module: string; name: string; member?: string; label: string };

/** Access to relative imports (implemented by the module graph). */
export interface ModuleAccess {
  /** Taint of an exported value (`export const config = …`, `export let cache`). */
  exportValue(from: string, module: string, name: string): Taint;
  /** The result of calling an exported function with these arguments. */
  callExport(from: string, target: Extract<Target, { kind: 'import' }>, args: (fn: FunctionLike, index: number) => Taint): Taint;
}

/** An assignment (or collection insert) to a variable, at `path` inside it; or a `delete` of that path. */
interface Write { path: string[]; value?: ts.Expression; readPath?: (string | undefined)[]; str?: boolean; at: ts.Node }

function unwrap(e: ts.Expression): ts.Expression {
  while (e.kind === SK.ParenthesizedExpression || e.kind === SK.AsExpression || e.kind === SK.NonNullExpression
    || e.kind === SK.SatisfiesExpression || e.kind === SK.TypeAssertionExpression || e.kind === SK.AwaitExpression) {
    e = (e as ts.ParenthesizedExpression).expression;
  }
  return e;
}

function literalKey(e: ts.Expression): string | undefined {
  const u = unwrap(e);
  if (tsv.isStringLiteralLike(u) || tsv.isNumericLiteral(u)) return u.text;
  return undefined;
}

function propName(n: ts.PropertyName | undefined): string | undefined {
  if (!n) return undefined;
  if (tsv.isIdentifier(n) || tsv.isStringLiteralLike(n) || tsv.isNumericLiteral(n) || tsv.isPrivateIdentifier(n)) return n.text;
  if (tsv.isComputedPropertyName(n)) return literalKey(n.expression);
  return undefined;
}

/** `process.env` itself. */
export function isProcessEnv(e: ts.Expression): boolean {
  const u = unwrap(e);
  return tsv.isPropertyAccessExpression(u) && u.name.text === 'env' && tsv.isIdentifier(u.expression) && u.expression.text === 'process';
}

type ClassNode = ts.ClassDeclaration | ts.ClassExpression;

/** Callback methods whose callback receives the receiver's elements (index of the element parameter). */
const ELEMENT_CALLBACKS = new Map<string, number>(Object.entries({
  forEach: 0, map: 0, flatMap: 0, filter: 0, find: 0, findLast: 0, some: 0, every: 0, findIndex: 0, findLastIndex: 0,
  reduce: 1, reduceRight: 1, sort: 0, toSorted: 0,
}));
/** Methods that return (part of) the receiver as it is. */
const SAME_VALUE = new Set(['filter', 'slice', 'concat', 'sort', 'reverse', 'flat', 'toSorted', 'toReversed', 'splice', 'values',
  'valueOf', 'entries', 'finally', 'catch', 'toJSON', 'json', 'clone', 'unwrap', 'get' /* Map */]);
/** String methods whose result still contains the whole secret. */
const STRING_SAME = new Set(['trim', 'trimStart', 'trimEnd', 'trimLeft', 'trimRight', 'toString', 'toLowerCase', 'toUpperCase',
  'toLocaleLowerCase', 'toLocaleUpperCase', 'normalize', 'padStart', 'padEnd', 'split', 'text', 'toWellFormed', 'repeat']);
/** Methods returning one element of a collection. */
const ELEMENT_OF = new Set(['find', 'findLast', 'at', 'pop', 'shift', 'get']);
/** Global functions that pass the value through (as a string). */
const GLOBAL_STRING = new Set(['String', 'decodeURIComponent', 'encodeURIComponent', 'decodeURI', 'encodeURI', 'atob', 'btoa', 'escape', 'unescape']);
/** Memoizing wrappers: `memoize(async () => …)` returns what the function returns. */
const MEMOIZER = /memo|once|cache|cached|lazy|singleton|pMemoize/i;
/** A mask character in a replacement or a concatenated literal: `*`, `•`, `…`, `#`, `x` runs. */
const MASK_TEXT = /[*•…#]|xxx|XXX|\.\.\.|REDACTED|redacted|hidden|masked/;
/** The largest window a `slice`/`substring` may show and still count as masking. */
const MASK_WINDOW = 8;

export class Flow {
  readonly scopes = new Scopes();
  private readonly memo = new Map<ts.Node, Taint>();
  private readonly active = new Set<ts.Node>();
  private readonly varMemo = new Map<ts.Node, Taint>();
  private readonly returnsMemo = new Map<ts.Node, Taint>();
  private readonly fetchByExpr = new Map<ts.Node, FetchCall>();
  private readonly fetchByCallback = new Map<ts.Node, FetchCall>();
  private writeIndex?: { vars: Map<ts.Node, Write[]>; env: Map<string, Write[]>; fields: Map<ClassNode, Map<string, Write[]>> };
  private middyKeys?: Map<string, Source>;
  private readonly constCache = new Map<ts.Identifier, ts.Expression | undefined>();

  constructor(
    readonly path: string,
    readonly fm: FileModel,
    readonly nodes: FlowNodes,
    readonly options: SourceOptions,
    readonly modules: ModuleAccess | undefined,
  ) {
    for (const f of fm.fetches) {
      // the Lambda model also lists middy middlewares and extension calls as reads; their sources are read below
      if (f.style === 'middy' || f.style === 'extension') continue;
      if (f.callback) {
        const last = f.call.arguments[f.call.arguments.length - 1];
        if (last) this.fetchByCallback.set(unwrap(last), f);
      } else this.fetchByExpr.set(f.expr, f);
    }
  }

  get sf(): ts.SourceFile { return this.fm.sf; }

  /** The import a name is bound to: `import … from`, or a module-scope `const x = require(…)` / `const { a } = require(…)`. */
  binding(d: Decl): ImportBinding | undefined {
    if (d.kind === 'import') return this.fm.imports.get(d.id.text);
    if (d.kind !== 'var' || !tsv.isVariableDeclaration(d.node) || d.node.parent?.parent?.parent?.kind !== SK.SourceFile) return undefined;
    return this.fm.imports.get(d.id.text);
  }

  private relativeImports?: boolean;

  /** Whether this file imports or requires relative modules at all. */
  hasRelativeImports(): boolean {
    if (this.relativeImports === undefined) {
      this.relativeImports = false;
      for (const b of this.fm.imports.values()) if (b.module.startsWith('.')) { this.relativeImports = true; break; }
    }
    return this.relativeImports;
  }

  /** Cheap pre-check before resolving a callee: its name (or its object's) is bound by a relative import. */
  mayCallImport(callee: ts.Expression): boolean {
    let u = unwrap(callee);
    if (tsv.isPropertyAccessExpression(u)) u = unwrap(u.expression);
    if (tsv.isIdentifier(u)) return !!this.fm.imports.get(u.text)?.module.startsWith('.') || this.importedClassInstance(u);
    return false;
  }

  /** `const svc = new Service()` / `Service.getInstance()` with Service imported from a relative module. */
  private importedClassInstance(id: ts.Identifier): boolean {
    const d = this.scopes.resolve(id);
    if (!d || d.kind !== 'var' || !tsv.isVariableDeclaration(d.node) || !d.node.initializer) return false;
    const init = unwrap(d.node.initializer);
    const cls = tsv.isNewExpression(init) ? unwrap(init.expression)
      : tsv.isCallExpression(init) && tsv.isPropertyAccessExpression(unwrap(init.expression)) ? unwrap((unwrap(init.expression) as ts.PropertyAccessExpression).expression) : undefined;
    return !!cls && tsv.isIdentifier(cls) && !!this.fm.imports.get(cls.text)?.module.startsWith('.');
  }

  private bindingOf(id: ts.Identifier): ImportBinding | undefined {
    const d = this.scopes.resolve(id);
    return d && this.binding(d);
  }

  /** Keys filled by middy's secrets middlewares in this file. */
  middy(): Map<string, Source> {
    if (this.middyKeys) return this.middyKeys;
    const out = new Map<string, Source>();
    if (this.fm.text.includes('middy')) {
      for (const c of this.nodes.calls) {
        const m = middySources(c, this.fm, this.options.secretWords);
        if (m) for (const [k, v] of m) out.set(k, v);
      }
    }
    return (this.middyKeys = out);
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  taint(e: ts.Expression | undefined): Taint {
    if (!e) return CLEAN;
    const hit = this.memo.get(e);
    if (hit) return hit;
    if (this.active.has(e)) return CLEAN;
    this.active.add(e);
    let t: Taint;
    try { t = this.compute(e); } finally { this.active.delete(e); }
    this.memo.set(e, t);
    return t;
  }

  private compute(e: ts.Expression): Taint {
    switch (e.kind) {
      case SK.ParenthesizedExpression: case SK.AsExpression: case SK.NonNullExpression: case SK.SatisfiesExpression:
      case SK.TypeAssertionExpression: case SK.AwaitExpression:
        return this.taint((e as ts.ParenthesizedExpression).expression);
      case SK.Identifier: return this.identifier(e as ts.Identifier);
      case SK.PropertyAccessExpression: return this.property(e as ts.PropertyAccessExpression);
      case SK.ElementAccessExpression: return this.element(e as ts.ElementAccessExpression);
      case SK.CallExpression: return this.call(e as ts.CallExpression);
      case SK.NewExpression: return this.newExpr(e as ts.NewExpression);
      case SK.TemplateExpression: {
        let t: Taint = CLEAN;
        for (const s of (e as ts.TemplateExpression).templateSpans) t = union(t, this.taint(s.expression));
        return stringify(t);
      }
      case SK.BinaryExpression: return this.binary(e as ts.BinaryExpression);
      case SK.ConditionalExpression: {
        const c = e as ts.ConditionalExpression;
        return union(this.taint(c.whenTrue), this.taint(c.whenFalse));
      }
      case SK.ObjectLiteralExpression: return this.object(e as ts.ObjectLiteralExpression);
      case SK.SpreadElement:
        return this.taint((e as ts.SpreadElement).expression);
      case SK.ArrayLiteralExpression: {
        let t: Taint = CLEAN;
        (e as ts.ArrayLiteralExpression).elements.forEach((el, i) => {
          t = union(t, el.kind === SK.SpreadElement ? this.taint((el as ts.SpreadElement).expression) : prefix(this.taint(el), String(i)));
        });
        return t;
      }
      default:
        return CLEAN;
    }
  }

  private binary(b: ts.BinaryExpression): Taint {
    switch (b.operatorToken.kind) {
      case SK.PlusToken: case SK.PlusEqualsToken:
        return stringify(union(this.taint(b.left), this.taint(b.right)));
      case SK.QuestionQuestionToken: case SK.BarBarToken:
        return union(this.taint(b.left), this.taint(b.right));
      case SK.AmpersandAmpersandToken: case SK.CommaToken: case SK.EqualsToken: case SK.QuestionQuestionEqualsToken:
      case SK.BarBarEqualsToken: case SK.AmpersandAmpersandEqualsToken:
        return this.taint(b.right);
      default:
        return CLEAN;
    }
  }

  private object(o: ts.ObjectLiteralExpression): Taint {
    let t: Taint = CLEAN;
    for (const p of o.properties) {
      switch (p.kind) {
        case SK.PropertyAssignment: {
          const name = propName(p.name);
          if (name !== undefined) t = without(t, name, isMaskValue(p.initializer));
          t = union(t, prefix(name === undefined ? this.taint(p.initializer) : named(this.taint(p.initializer), name), name ?? ANY));
          break;
        }
        case SK.ShorthandPropertyAssignment:
          t = union(without(t, p.name.text), prefix(this.taint(p.name), p.name.text));
          break;
        case SK.SpreadAssignment:
          t = union(t, this.taint(p.expression));
          break;
        case SK.GetAccessor: {
          const name = propName(p.name);
          t = union(t, prefix(this.returns(p), name ?? ANY));
          break;
        }
      }
    }
    return t;
  }

  // -------------------------------------------------------------------------------------------
  // Names

  private identifier(id: ts.Identifier): Taint {
    const d = this.scopes.resolve(id);
    if (!d) return CLEAN;
    if (d.kind === 'var' && !this.binding(d)) {
      const local = this.straightLine(d, id);
      if (local) return local();
    }
    return this.declTaint(d);
  }

  /**
   * A variable read in the function that declares and writes it, outside any loop that writes it: only the writes
   * before the read count, from the last one that always runs (`let msg = key; msg = mask(msg); log(msg)` logs the
   * masked value), and a `delete x.field` before the read removes that field. Undefined when the order is not known
   * (a module-scope cache written by other functions, a closure, a loop): then every write counts.
   */
  private straightLine(d: Decl, read: ts.Node): (() => Taint) | undefined {
    const writes = this.writes().vars.get(d.id);
    if (!writes?.length) return undefined;
    const fn = enclosingFunction(d.node);
    if (enclosingFunction(read) !== fn || writes.some((w) => enclosingFunction(w.at) !== fn)) return undefined;
    for (let p = read.parent; p && p !== fn; p = p.parent) {
      if (isLoop(p) && writes.some((w) => w.at.pos >= p!.pos && w.at.end <= p!.end)) return undefined;
    }
    return () => {
      const before = writes.filter((w) => w.at.end <= read.pos).sort((a, b) => a.at.pos - b.at.pos);
      let from = -1;
      for (let i = before.length - 1; i >= 0; i--) {
        if (before[i].value && !before[i].path.length && !before[i].readPath && always(before[i].at, read)) { from = i; break; }
      }
      let t = from < 0 ? this.declBase(d) : CLEAN;
      for (const w of before.slice(Math.max(0, from))) {
        if (w.value) t = union(t, this.writeTaint(w));
        else if (always(w.at, read) && w.path.length === 1) t = without(t, w.path[0]);
      }
      return t;
    };
  }

  /** The taint of a declared name: its initializer and every assignment to it. */
  declTaint(d: Decl): Taint {
    const key = d.id;
    const hit = this.varMemo.get(key);
    if (hit) return hit;
    if (this.active.has(key)) return CLEAN;
    this.active.add(key);
    let t: Taint;
    try { t = this.computeDecl(d); } finally { this.active.delete(key); }
    this.varMemo.set(key, t);
    return t;
  }

  private computeDecl(d: Decl): Taint {
    switch (d.kind) {
      case 'param': return union(this.param(d.node as ts.ParameterDeclaration, d.id), this.written(d.id));
      case 'import': return this.imported(d);
      case 'var':
        return this.binding(d) ? this.imported(d) : union(this.declBase(d), this.written(d.id));
      default:
        return CLEAN;
    }
  }

  /** What a variable's declaration gives it: its initializer (through a destructuring path), a for-of element, defaults. */
  private declBase(d: Decl): Taint {
    const v = d.node as ts.VariableDeclaration;
    const path = v.name === d.id ? [] : bindingPath(d.id, v);
    let base: Taint;
    const loop = v.parent?.parent;
    if (loop && loop.kind === SK.ForOfStatement && (loop as ts.ForOfStatement).initializer === v.parent) {
      base = read(this.taint((loop as ts.ForOfStatement).expression), undefined);
    } else if (loop && loop.kind === SK.ForInStatement && (loop as ts.ForInStatement).initializer === v.parent) {
      base = CLEAN;
    } else if (v.initializer && isProcessEnv(v.initializer)) {
      // const { API_KEY } = process.env
      base = path.length && path[0] !== undefined ? this.env(path[0]) : CLEAN;
      path.splice(0, 1);
    } else base = this.taint(v.initializer);
    for (const seg of path) base = read(base, seg);
    for (const def of bindingDefaults(d.id, v)) base = union(base, this.taint(def));
    return named(base, d.id.text);
  }

  /** A parameter: bound by the call that runs a callback, or a symbolic parameter that call sites substitute. */
  private param(p: ts.ParameterDeclaration, id: ts.Identifier): Taint {
    const fn = p.parent as FunctionLike;
    const index = fn.parameters.indexOf(p);
    const path = p.name === id ? [] : bindingPath(id, p);
    let t = this.bound(fn, index);
    if (t === undefined) t = [{ origin: { fn, index }, at: [], ops: path.map((s) => s ?? '#any') }];
    else for (const seg of path) t = read(t, seg);
    if (p.initializer) t = union(t, this.taint(p.initializer));
    for (const def of bindingDefaults(id, p)) t = union(t, this.taint(def));
    return t;
  }

  /**
   * What a library call passes to a callback's parameter: array elements, a promise's value, an SDK v2 callback's
   * response, middy's context. Undefined when the function is not such a callback (its parameters are symbolic).
   */
  private bound(fn: FunctionLike, index: number): Taint | undefined {
    const fetch = this.fetchByCallback.get(fn);
    if (fetch) return index === 1 ? fetchTaint(fetch, this.options) ?? CLEAN : CLEAN;
    const call = fn.parent;
    if (call && (call.kind === SK.CallExpression || call.kind === SK.NewExpression) && (call as ts.CallExpression).arguments?.includes(fn as ts.Expression)) {
      const c = call as ts.CallExpression;
      const callee = unwrap(c.expression);
      if (call.kind === SK.NewExpression) return CLEAN; // new Promise((resolve, reject) => …)
      if (tsv.isPropertyAccessExpression(callee)) {
        const m = callee.name.text;
        const recv = this.taint(callee.expression);
        if (m === 'then') return index === 0 && c.arguments[0] === fn ? recv : CLEAN;
        const at = ELEMENT_CALLBACKS.get(m);
        if (at !== undefined) {
          if (index === at) return read(recv, undefined);
          if ((m === 'reduce' || m === 'reduceRight') && index === 0) return this.taint(c.arguments[1]);
          return CLEAN;
        }
        // Object.entries(x).forEach(([k, v]) => …) is handled above; other library callbacks get nothing from us
      }
      return CLEAN;
    }
    // middy: the handler's context carries what the secrets middleware fetched
    const p = fn.parameters[index];
    if (index === 1 && p && tsv.isIdentifier(p.name) && /^_?(context|ctx)$/.test(p.name.text) && this.middy().size) return this.middyContext();
    return undefined;
  }

  private middyContext(): Taint {
    let t: Taint = CLEAN;
    for (const [k, s] of this.middy()) t = union(t, [{ origin: s, at: [k] }]);
    return t;
  }

  /** An environment variable: a secret name, a key set by middy, or a value this file stores there. */
  env(name: string): Taint {
    let t: Taint = CLEAN;
    if (envIsSecret(name, this.options.secretWords)) t = [{ origin: envSource(name), at: [] }];
    const m = this.middy().get(name);
    if (m) t = union(t, [{ origin: m, at: [] }]);
    const w = this.writes().env.get(name);
    if (w) for (const x of w) t = union(t, this.writeTaint(x));
    return t;
  }

  private imported(d: Decl): Taint {
    const b = this.binding(d);
    if (!b || !b.module.startsWith('.') || !this.modules || b.name === '*') return CLEAN;
    return this.modules.exportValue(this.path, b.module, b.name);
  }

  // -------------------------------------------------------------------------------------------
  // Writes (assignments, collection inserts, Object.assign), indexed once per file

  private writes(): NonNullable<Flow['writeIndex']> {
    if (this.writeIndex) return this.writeIndex;
    const idx: NonNullable<Flow['writeIndex']> = { vars: new Map(), env: new Map(), fields: new Map() };
    this.writeIndex = idx;
    for (const b of this.nodes.binaries) {
      const k = b.operatorToken.kind;
      if (k === SK.EqualsToken || k === SK.QuestionQuestionEqualsToken || k === SK.BarBarEqualsToken || k === SK.AmpersandAmpersandEqualsToken) {
        this.record(idx, b.left, b.right, [], b);
      } else if (k === SK.PlusEqualsToken) this.record(idx, b.left, b.right, [], b, undefined, true);
    }
    for (const x of this.nodes.deletes) this.record(idx, x.expression, undefined, [], x);
    for (const c of this.nodes.calls) {
      const callee = unwrap(c.expression);
      if (!tsv.isPropertyAccessExpression(callee)) continue;
      const m = callee.name.text;
      if ((m === 'push' || m === 'unshift' || m === 'add') && c.arguments.length) {
        for (const a of c.arguments) this.record(idx, callee.expression, a, [ANY], c);
      } else if (m === 'set' && c.arguments.length >= 2) {
        this.record(idx, callee.expression, c.arguments[1], [literalKey(c.arguments[0]) ?? ANY], c);
      } else if (m === 'assign' && tsv.isIdentifier(callee.expression) && callee.expression.text === 'Object' && c.arguments.length >= 2) {
        for (const a of c.arguments.slice(1)) this.record(idx, c.arguments[0], a, [], c);
      }
    }
    return idx;
  }

  private record(idx: NonNullable<Flow['writeIndex']>, target: ts.Expression, value: ts.Expression | undefined, extra: string[], at: ts.Node,
    readPath?: (string | undefined)[], str?: boolean): void {
    let l = unwrap(target);
    // destructuring assignment: ({ a, b: c } = obj), [x, y] = arr
    if (tsv.isObjectLiteralExpression(l)) {
      for (const p of l.properties) {
        if (tsv.isShorthandPropertyAssignment(p)) this.record(idx, p.name, value, extra, at, [...(readPath ?? []), p.name.text]);
        else if (tsv.isPropertyAssignment(p)) this.record(idx, p.initializer, value, extra, at, [...(readPath ?? []), propName(p.name)]);
      }
      return;
    }
    if (tsv.isArrayLiteralExpression(l)) {
      l.elements.forEach((el, i) => { if (!tsv.isOmittedExpression(el) && !tsv.isSpreadElement(el)) this.record(idx, el, value, extra, at, [...(readPath ?? []), String(i)]); });
      return;
    }
    const path: string[] = [];
    while (tsv.isPropertyAccessExpression(l) || tsv.isElementAccessExpression(l)) {
      if (isProcessEnv(l.expression)) {
        const name = tsv.isPropertyAccessExpression(l) ? l.name.text : literalKey(l.argumentExpression);
        if (name && value) push(idx.env, name, { path: [], value, readPath, str, at });
        return;
      }
      path.unshift(tsv.isPropertyAccessExpression(l) ? l.name.text : literalKey(l.argumentExpression) ?? ANY);
      l = unwrap(l.expression);
    }
    const w: Write = { path: [...path, ...extra], value, readPath, str, at };
    if (l.kind === SK.ThisKeyword) {
      const cls = classOf(l);
      if (!cls || !w.path.length) return;
      let fields = idx.fields.get(cls);
      if (!fields) idx.fields.set(cls, fields = new Map());
      push(fields, w.path[0], { ...w, path: w.path.slice(1) });
      return;
    }
    if (!tsv.isIdentifier(l)) return;
    const d = this.scopes.resolve(l);
    if (d) push(idx.vars, d.id, w);
  }

  private writeTaint(w: Write): Taint {
    if (!w.value) return CLEAN;
    let t = this.taint(w.value);
    if (w.readPath) for (const s of w.readPath) t = read(t, s);
    if (w.str) t = stringify(t);
    if (w.path.length && w.path[w.path.length - 1] !== ANY) t = named(t, w.path[w.path.length - 1]);
    for (let i = w.path.length - 1; i >= 0; i--) t = prefix(t, w.path[i]);
    return t;
  }

  private written(id: ts.Node): Taint {
    const ws = this.writes().vars.get(id);
    if (!ws) return CLEAN;
    let t: Taint = CLEAN;
    let fields: Set<string> | undefined;
    for (const w of ws) {
      let x = this.writeTaint(w);
      // `config[key] = value` into `{ stage: …, loaded: false }`: the fields the code names itself are not among the keys
      if (x.length && w.path[0] === ANY) {
        fields ??= this.declaredFields(id);
        if (fields.size) x = exceptFields(x, fields);
      }
      t = union(t, x);
    }
    return t;
  }

  /** `this.name` in a class: everything the class stores there, its initializer, or its getter. */
  private field(cls: ClassNode, name: string): Taint {
    let t: Taint = CLEAN;
    for (const m of cls.members) {
      if (propName(m.name) !== name) continue;
      if (tsv.isPropertyDeclaration(m) && m.initializer) t = union(t, this.taint(m.initializer));
      else if (tsv.isGetAccessorDeclaration(m)) t = union(t, this.returns(m));
    }
    const ws = this.writes().fields.get(cls)?.get(name);
    if (ws) for (const w of ws) t = union(t, this.writeTaint(w));
    return t;
  }

  /** An instance of a class of this file: its fields and getters. */
  private instance(cls: ClassNode, n: ts.NewExpression): Taint {
    const names = new Set<string>();
    for (const m of cls.members) {
      const nm = propName(m.name);
      if (nm && (tsv.isPropertyDeclaration(m) || tsv.isGetAccessorDeclaration(m))) names.add(nm);
    }
    const fields = this.writes().fields.get(cls);
    if (fields) for (const k of fields.keys()) names.add(k);
    let t: Taint = CLEAN;
    for (const nm of names) t = union(t, prefix(this.field(cls, nm), nm));
    const ctor = cls.members.find((m) => m.kind === SK.Constructor) as ts.ConstructorDeclaration | undefined;
    return ctor ? bind(t, ctor, (i) => this.taint(n.arguments?.[i])) : t;
  }

  // -------------------------------------------------------------------------------------------
  // Property reads

  private property(e: ts.PropertyAccessExpression): Taint {
    const name = e.name.text;
    const obj = unwrap(e.expression);
    if (isProcessEnv(obj)) return this.env(name);
    if (obj.kind === SK.ThisKeyword) {
      const cls = classOf(obj);
      return cls ? this.field(cls, name) : CLEAN;
    }
    if (tsv.isIdentifier(obj)) {
      // a namespace import of a relative module: `cfg.config`
      const b = this.bindingOf(obj);
      if (b && b.name === '*' && b.module.startsWith('.') && this.modules) return this.modules.exportValue(this.path, b.module, name);
      // middy: `context.apiKey`, `request.context.apiKey`
    }
    if (this.middy().has(name) && /(^|\.)context$/.test(tsv.isIdentifier(obj) ? obj.text : tsv.isPropertyAccessExpression(obj) ? `.${obj.name.text}` : '')) {
      return union([{ origin: this.middy().get(name)!, at: [] }], read(this.taint(obj), name));
    }
    return read(this.taint(obj), name);
  }

  /** Fields a variable is given by name: its object literal initializer's properties and `x.name = …` writes. */
  private declaredFields(id: ts.Node): Set<string> {
    const out = new Set<string>();
    const v = id.parent;
    if (v && tsv.isVariableDeclaration(v) && v.name === id && v.initializer) {
      const init = unwrap(v.initializer);
      if (tsv.isObjectLiteralExpression(init)) for (const p of init.properties) { const n = propName(p.name); if (n) out.add(n); }
    }
    for (const w of this.writes().vars.get(id) ?? []) if (w.path.length && !w.path[0].startsWith('*')) out.add(w.path[0]);
    return out;
  }

  private element(e: ts.ElementAccessExpression): Taint {
    const key = literalKey(e.argumentExpression);
    if (isProcessEnv(e.expression)) return key ? this.env(key) : CLEAN;
    return read(this.taint(e.expression), key);
  }

  // -------------------------------------------------------------------------------------------
  // Calls

  private newExpr(n: ts.NewExpression): Taint {
    const callee = unwrap(n.expression);
    if (tsv.isIdentifier(callee)) {
      if (callee.text === 'Buffer' || callee.text === 'String') return stringify(this.taint(n.arguments?.[0]));
      if (callee.text === 'Map' || callee.text === 'Set') return fromEntriesOrSame(callee.text, this.taint(n.arguments?.[0]));
      const d = this.scopes.resolve(callee);
      if (d?.kind === 'class' && (tsv.isClassDeclaration(d.node) || tsv.isClassExpression(d.node))) return this.instance(d.node, n);
    }
    return CLEAN;
  }

  private call(c: ts.CallExpression): Taint {
    const f = this.fetchByExpr.get(c);
    if (f) return fetchTaint(f, this.options) ?? CLEAN;
    const callee = unwrap(c.expression);
    const a0 = c.arguments[0];
    if (a0 && c.arguments.length <= 3) {
      const url = urlText(a0, (id) => this.constInit(id));
      if (url) { const x = extensionTaint(url, this.options); if (x) return x; }
    }
    if (tsv.isPropertyAccessExpression(callee)) return this.methodCall(c, callee);
    if (tsv.isIdentifier(callee)) {
      const d = this.scopes.resolve(callee);
      if (!d) {
        if (GLOBAL_STRING.has(callee.text)) return stringify(this.taint(a0));
        if (callee.text === 'structuredClone') return this.taint(a0);
        if (callee.text === 'getInternal' && this.middy().size) return this.middyContext();
        return CLEAN;
      }
      const b = this.binding(d);
      if (b) {
        if (b.module === 'util' || b.module === 'node:util') return b.name === 'format' || b.name === 'inspect' ? stringify(this.argsUnion(c)) : CLEAN;
        if (b && b.name === 'getInternal' && b.module.startsWith('@middy/')) return this.middyContext();
      }
    }
    return this.userCall(c);
  }

  private argsUnion(c: ts.CallExpression): Taint {
    let t: Taint = CLEAN;
    for (const a of c.arguments) t = union(t, this.taint(a));
    return t;
  }

  private methodCall(c: ts.CallExpression, callee: ts.PropertyAccessExpression): Taint {
    const m = callee.name.text;
    const recvExpr = unwrap(callee.expression);
    const a0 = c.arguments[0];
    // globals (`JSON.parse`), and Node modules bound by import or require (`util.format`)
    const recvBinding = tsv.isIdentifier(recvExpr) ? this.bindingOf(recvExpr) : undefined;
    const recvName = !tsv.isIdentifier(recvExpr) ? undefined
      : recvBinding ? (recvBinding.name === '*' || recvBinding.name === 'default' ? recvBinding.module.replace(/^node:/, '') : undefined)
        : this.scopes.resolve(recvExpr) ? undefined : recvExpr.text;
    if (recvName) {
      switch (`${recvName}.${m}`) {
        case 'JSON.parse': return parse(this.taint(a0));
        case 'JSON.stringify': {
          const rep = c.arguments[1] && unwrap(c.arguments[1]);
          const t = this.taint(a0);
          if (rep && tsv.isArrayLiteralExpression(rep)) return stringify(pick(t, rep.elements.map((x) => literalKey(x) ?? '')));
          // a replacer function is how code redacts while it serialises
          if (rep && isFunctionLike(rep)) return CLEAN;
          return stringify(t);
        }
        case 'Object.assign': return this.argsUnion(c);
        case 'Object.entries': return entries(this.taint(a0));
        case 'Object.fromEntries': return fromEntries(this.taint(a0));
        case 'Object.values': return read(this.taint(a0), undefined).length ? prefix(read(this.taint(a0), undefined), ANY) : CLEAN;
        case 'Object.freeze': case 'Object.seal': case 'Array.from': case 'Promise.resolve': case 'Promise.all': case 'Promise.allSettled':
        case 'Promise.race': case 'Promise.any':
          return this.taint(a0);
        case 'Buffer.from': case 'Buffer.concat': return stringify(this.taint(a0));
        case 'util.format': case 'util.inspect': return stringify(this.argsUnion(c));
        case 'Object.keys': case 'Object.getOwnPropertyNames': return CLEAN;
      }
    }
    const recv = this.taint(callee.expression);
    if (recv.length) {
      const primitive = recv.every((f) => !f.at.length && !isParam(f.origin));
      if (m === 'then') {
        const cb = a0 && unwrap(a0);
        return cb && isFunctionLike(cb) ? this.returns(cb) : recv;
      }
      if (m === 'slice' || m === 'substring' || m === 'substr') return this.isMaskWindow(c, m) ? CLEAN : recv;
      if (m === 'replace' || m === 'replaceAll') return this.isMaskReplace(c) ? CLEAN : stringify(recv);
      if (m === 'concat') return primitive ? stringify(union(recv, this.argsUnion(c))) : union(recv, this.argsUnion(c));
      if (m === 'join') return stringify(read(recv, undefined));
      if (m === 'toString' || m === 'text' || m === 'decode' || m === 'toJSON') return m === 'decode' ? stringify(this.taint(a0)) : stringify(recv);
      if (STRING_SAME.has(m)) return stringify(recv);
      if (m === 'map' || m === 'flatMap') {
        const cb = a0 && unwrap(a0);
        return cb && isFunctionLike(cb) ? prefix(this.returns(cb), ANY) : CLEAN;
      }
      if (m === 'reduce' || m === 'reduceRight') {
        const cb = a0 && unwrap(a0);
        return union(cb && isFunctionLike(cb) ? this.returns(cb) : CLEAN, this.taint(c.arguments[1]));
      }
      if (ELEMENT_OF.has(m)) return primitive ? CLEAN : read(recv, m === 'get' ? (a0 && literalKey(a0)) : undefined);
      if (SAME_VALUE.has(m)) return recv;
    }
    // `new TextDecoder().decode(secretBinary)`
    if (m === 'decode' && a0) return stringify(this.taint(a0));
    return this.userCall(c);
  }

  /** `key.slice(0, 4)`, `key.slice(-4)`, `key.substring(0, 6)`: a short window is a masked form. */
  private isMaskWindow(c: ts.CallExpression, m: string): boolean {
    const num = (e: ts.Expression | undefined): number | undefined => {
      if (!e) return undefined;
      const u = unwrap(e);
      if (tsv.isNumericLiteral(u)) return Number(u.text);
      if (tsv.isPrefixUnaryExpression(u) && u.operator === SK.MinusToken && tsv.isNumericLiteral(u.operand)) return -Number(u.operand.text);
      return undefined;
    };
    const [a, b] = [num(c.arguments[0]), num(c.arguments[1])];
    if (a === undefined) return false;
    if (c.arguments.length === 1) return a < 0 && -a <= MASK_WINDOW;
    if (b === undefined) return false;
    if (m === 'substr') return b <= MASK_WINDOW;
    return b >= 0 && a >= 0 ? Math.abs(b - a) <= MASK_WINDOW : a < 0 && b <= 0 ? b - a <= MASK_WINDOW : false;
  }

  /** `key.replace(/.(?=.{4})/g, '*')`, `key.replace(/./g, (c, i) => …)`: a replacement by mask characters or a function. */
  private isMaskReplace(c: ts.CallExpression): boolean {
    const r = c.arguments[1] && unwrap(c.arguments[1]);
    if (!r) return false;
    if (isFunctionLike(r)) return true;
    return tsv.isStringLiteralLike(r) && MASK_TEXT.test(r.text);
  }

  /** A call to a function of this file or of a relative import: its return summary with the arguments substituted. */
  private userCall(c: ts.CallExpression): Taint {
    const target = this.target(c.expression);
    if (!target) return this.callbackResults(c);
    const args = (fn: FunctionLike, i: number) => this.argument(c, fn, i);
    if (target.kind === 'local') return bind(this.returns(target.fn), target.fn, (i) => args(target.fn, i));
    if (!this.modules) return CLEAN;
    return this.modules.callExport(this.path, target, args);
  }

  /**
   * A call Keyway does not know, given functions written inline (`pRetry(() => fetch())`, `cache.wrap(key, () => load())`,
   * `ids.map((id) => read(id))`): what those functions return is what such wrappers and mappers hand back.
   */
  private callbackResults(c: ts.CallExpression): Taint {
    let t: Taint = CLEAN;
    const callee = unwrap(c.expression);
    const mapper = tsv.isPropertyAccessExpression(callee) && (callee.name.text === 'map' || callee.name.text === 'flatMap');
    for (const a of c.arguments) {
      const u = unwrap(a);
      if (isFunctionLike(u)) t = union(t, this.returns(u));
    }
    return mapper ? prefix(t, ANY) : t;
  }

  /** The taint a call passes to parameter `i` of `fn` (a rest parameter collects the remaining arguments). */
  argument(c: ts.CallExpression | ts.NewExpression, fn: FunctionLike, i: number): Taint {
    const list = c.arguments ?? [];
    const p = fn.parameters[i];
    if (p?.dotDotDotToken) {
      let t: Taint = CLEAN;
      for (let j = i; j < list.length; j++) t = union(t, prefix(this.taint(list[j]), ANY));
      return t;
    }
    const spreadAt = list.findIndex((a) => a.kind === SK.SpreadElement);
    if (spreadAt >= 0 && spreadAt <= i) return read(this.taint((list[spreadAt] as ts.SpreadElement).expression), undefined);
    return this.taint(list[i]);
  }

  /** What a callee denotes: a function of this file (declared, assigned, memoized, a method) or an export of a relative module. */
  target(calleeExpr: ts.Expression, depth = 0): Target | undefined {
    if (depth > 4) return undefined;
    const callee = unwrap(calleeExpr);
    if (tsv.isIdentifier(callee)) {
      const d = this.scopes.resolve(callee);
      if (!d) return undefined;
      if (d.kind === 'function' && isFunctionLike(d.node)) return { kind: 'local', fn: d.node, name: callee.text };
      const b = this.binding(d);
      if (b) return b.module.startsWith('.') ? { kind: 'import', module: b.module, name: b.name === '*' ? 'default' : b.name, label: callee.text } : undefined;
      if (d.kind === 'var' && tsv.isVariableDeclaration(d.node) && d.node.name === d.id && d.node.initializer) {
        const fn = this.functionOf(d.node.initializer, depth);
        if (fn) return fn.kind === 'local' ? { ...fn, name: callee.text } : fn;
      }
      return undefined;
    }
    if (tsv.isPropertyAccessExpression(callee)) {
      const m = callee.name.text;
      const obj = unwrap(callee.expression);
      if (obj.kind === SK.ThisKeyword) {
        const cls = classOf(obj);
        const fn = cls && classMethod(cls, m);
        return fn ? { kind: 'local', fn, name: m } : undefined;
      }
      if (!tsv.isIdentifier(obj)) return undefined;
      const d = this.scopes.resolve(obj);
      if (!d) return undefined;
      const b = this.binding(d);
      if (b) {
        if (!b.module.startsWith('.')) return undefined;
        if (b.name === '*') return { kind: 'import', module: b.module, name: m, label: `${obj.text}.${m}` };
        return { kind: 'import', module: b.module, name: b.name, member: m, label: `${obj.text}.${m}` };
      }
      if (d.kind === 'class' && (tsv.isClassDeclaration(d.node) || tsv.isClassExpression(d.node))) {
        const fn = classMethod(d.node, m);
        return fn ? { kind: 'local', fn, name: `${obj.text}.${m}` } : undefined;
      }
      if (d.kind === 'var' && tsv.isVariableDeclaration(d.node) && d.node.name === d.id && d.node.initializer) {
        const init = unwrap(d.node.initializer);
        if (tsv.isObjectLiteralExpression(init)) {
          for (const p of init.properties) {
            if (propName(p.name) !== m) continue;
            if (tsv.isMethodDeclaration(p)) return { kind: 'local', fn: p, name: `${obj.text}.${m}` };
            if (tsv.isPropertyAssignment(p)) {
              const fn = this.functionOf(p.initializer, depth);
              return fn && fn.kind === 'local' ? { ...fn, name: `${obj.text}.${m}` } : fn;
            }
            if (tsv.isShorthandPropertyAssignment(p)) return this.target(p.name, depth + 1);
          }
        }
        // an instance: `new Cls()`, or a static factory `Cls.getInstance()`
        const cls = tsv.isNewExpression(init) ? unwrap(init.expression)
          : tsv.isCallExpression(init) && tsv.isPropertyAccessExpression(unwrap(init.expression)) ? unwrap((unwrap(init.expression) as ts.PropertyAccessExpression).expression) : undefined;
        if (cls && tsv.isIdentifier(cls)) {
          const cd = this.scopes.resolve(cls);
          if (cd?.kind === 'class' && (tsv.isClassDeclaration(cd.node) || tsv.isClassExpression(cd.node))) {
            const fn = classMethod(cd.node, m);
            return fn ? { kind: 'local', fn, name: `${obj.text}.${m}` } : undefined;
          }
          const cb = cd && this.binding(cd);
          if (cb && cb.module.startsWith('.')) return { kind: 'import', module: cb.module, name: cb.name === '*' ? 'default' : cb.name, member: m, label: `${obj.text}.${m}` };
        }
      }
    }
    return undefined;
  }

  /** The function an initializer is: a function expression, an alias, or a memoized function. */
  private functionOf(init: ts.Expression, depth: number): Target | undefined {
    const u = unwrap(init);
    if (isFunctionLike(u)) return { kind: 'local', fn: u, name: '' };
    if (tsv.isIdentifier(u)) return this.target(u, depth + 1);
    if (tsv.isCallExpression(u)) {
      const callee = unwrap(u.expression);
      const name = tsv.isIdentifier(callee) ? callee.text : tsv.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (MEMOIZER.test(name)) {
        for (const a of u.arguments) {
          const fa = unwrap(a);
          if (isFunctionLike(fa)) return { kind: 'local', fn: fa, name: '' };
          if (tsv.isIdentifier(fa)) return this.target(fa, depth + 1);
        }
      }
    }
    return undefined;
  }

  /** What a function returns (its return statements, or a concise arrow's body), with symbolic parameters. */
  returns(fn: FunctionLike): Taint {
    const hit = this.returnsMemo.get(fn);
    if (hit) return hit;
    if (this.active.has(fn)) return CLEAN;
    this.active.add(fn);
    let t: Taint = CLEAN;
    try {
      const body = fn.body;
      if (body && body.kind !== SK.Block) t = this.taint(body as ts.Expression);
      else if (body) {
        const visit = (n: ts.Node): void => {
          if (isFunctionLike(n) || n.kind === SK.ClassDeclaration || n.kind === SK.ClassExpression) return;
          if (n.kind === SK.ReturnStatement) { t = union(t, this.taint((n as ts.ReturnStatement).expression)); return; }
          tsv.forEachChild(n, visit);
        };
        tsv.forEachChild(body, visit);
      }
    } finally { this.active.delete(fn); }
    this.returnsMemo.set(fn, t);
    return t;
  }

  /** The initializer of a const (for URLs built from constants). */
  private constInit(id: ts.Identifier): ts.Expression | undefined {
    if (this.constCache.has(id)) return this.constCache.get(id);
    const d = this.scopes.resolve(id);
    const init = d?.kind === 'var' && tsv.isVariableDeclaration(d.node) && d.node.name === d.id ? d.node.initializer : undefined;
    this.constCache.set(id, init);
    return init;
  }

  /** The taint of a module-scope export of this file, by exported name. */
  exportValue(name: string): Taint {
    const node = this.fm.exports.get(name);
    if (!node) return CLEAN;
    // `export const x = …` maps to the initializer: judge the variable (its assignments count)
    const p = node.parent;
    if (p && tsv.isVariableDeclaration(p) && p.initializer === node && tsv.isIdentifier(p.name)) {
      const d = this.scopes.lookup(p.name.text, p.name);
      if (d) return this.declTaint(d);
    }
    if (tsv.isIdentifier(node)) {
      const d = this.scopes.lookup(node.text, node);
      return d ? this.declTaint(d) : CLEAN;
    }
    if (isFunctionLike(node) || tsv.isClassDeclaration(node) || tsv.isExportSpecifier(node)) return CLEAN;
    return this.taint(node as ts.Expression);
  }

  /** The function an export denotes (for calls from another module), following `export { f }`, aliases and memoizers. */
  exportedFunction(name: string, member?: string): FunctionLike | undefined {
    const node = this.fm.exports.get(name);
    if (!node) return undefined;
    let u: ts.Node = node;
    if (tsv.isExpression(u as ts.Expression)) u = unwrap(u as ts.Expression);
    if (member !== undefined) {
      let cls: ClassNode | undefined;
      if (tsv.isClassDeclaration(u) || tsv.isClassExpression(u)) cls = u;
      else if (tsv.isIdentifier(u)) { const d = this.scopes.lookup(u.text, u); if (d?.kind === 'class') cls = d.node as ClassNode; }
      if (cls) return classMethod(cls, member);
      if (tsv.isObjectLiteralExpression(u)) {
        for (const p of u.properties) {
          if (propName(p.name) !== member) continue;
          if (tsv.isMethodDeclaration(p)) return p;
          if (tsv.isPropertyAssignment(p)) { const t = this.functionOf(p.initializer, 0); return t?.kind === 'local' ? t.fn : undefined; }
          if (tsv.isShorthandPropertyAssignment(p)) { const t = this.target(p.name); return t?.kind === 'local' ? t.fn : undefined; }
        }
      }
      // `export const secrets = new SecretsClient()`: a method of its class
      if (tsv.isNewExpression(u) && tsv.isIdentifier(u.expression)) {
        const d = this.scopes.lookup(u.expression.text, u.expression);
        if (d?.kind === 'class') return classMethod(d.node as ClassNode, member);
      }
      return undefined;
    }
    if (isFunctionLike(u)) return u;
    if (tsv.isIdentifier(u)) { const t = this.target(u); return t?.kind === 'local' ? t.fn : undefined; }
    const t = this.functionOf(u as ts.Expression, 0);
    return t?.kind === 'local' ? t.fn : undefined;
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v); else m.set(k, [v]);
}

function fromEntriesOrSame(kind: string, t: Taint): Taint {
  return kind === 'Map' ? fromEntries(t) : t;
}

/** The class whose `this` a node sees (through arrow functions, not through function expressions). */
export function classOf(n: ts.Node): ClassNode | undefined {
  for (let p = n.parent; p; p = p.parent) {
    if (p.kind === SK.ClassDeclaration || p.kind === SK.ClassExpression) return p as ClassNode;
    if (p.kind === SK.FunctionExpression || p.kind === SK.FunctionDeclaration) return undefined;
  }
  return undefined;
}

function classMethod(cls: ClassNode, name: string): FunctionLike | undefined {
  for (const m of cls.members) {
    if (propName(m.name) !== name) continue;
    if (tsv.isMethodDeclaration(m) && m.body) return m;
    if (tsv.isPropertyDeclaration(m) && m.initializer) {
      const u = unwrap(m.initializer);
      if (isFunctionLike(u)) return u;
    }
  }
  return undefined;
}

function enclosingFunction(n: ts.Node): ts.Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (isFunctionLike(p)) return p;
  return undefined;
}

function isLoop(n: ts.Node): boolean {
  switch (n.kind) {
    case SK.ForStatement: case SK.ForOfStatement: case SK.ForInStatement: case SK.WhileStatement: case SK.DoStatement:
      return true;
    default:
      return false;
  }
}

/** Whether a write always runs before `read`: its statement sits in a block that also contains the read. */
function always(write: ts.Node, read: ts.Node): boolean {
  let st: ts.Node = write;
  while (st.parent && (st.parent.kind === SK.ParenthesizedExpression || st.parent.kind === SK.AwaitExpression || st.parent.kind === SK.BinaryExpression
    && (st.parent as ts.BinaryExpression).operatorToken.kind === SK.CommaToken)) st = st.parent;
  const stmt = st.parent;
  if (!stmt || stmt.kind !== SK.ExpressionStatement) return false;
  const block = stmt.parent;
  if (!block || (block.kind !== SK.Block && block.kind !== SK.SourceFile && block.kind !== SK.CaseClause && block.kind !== SK.DefaultClause)) return false;
  for (let p = read.parent; p; p = p.parent) if (p === block) return true;
  return false;
}

/** `'***'`, `'[redacted]'`, `undefined`, `null`, `''`: a value that replaces a field to hide it. */
function isMaskValue(e: ts.Expression): boolean {
  const u = unwrap(e);
  if (u.kind === SK.NullKeyword || (tsv.isIdentifier(u) && u.text === 'undefined') || u.kind === SK.VoidExpression) return true;
  return tsv.isStringLiteralLike(u) && (u.text === '' || MASK_TEXT.test(u.text));
}
