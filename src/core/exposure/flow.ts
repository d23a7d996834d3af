// The value flow of one file: what taint an expression carries (see taint.ts), demand-driven and memoized.
// Follows assignments (in statement order inside a function, every write for module state), destructuring,
// JSON.parse/stringify, property reads, templates, concatenation, object and array literals and spreads, array and
// promise callbacks, awaits, function parameters and return values (summaries with symbolic parameters), class fields,
// and imports of relative modules. What the file knows before evaluating (scopes, fetches, imports) is in flowFile.ts. Built-in calls are in calls.ts, call targets in targets.ts, writes in writes.ts.
import { type ts, tsv } from '../ts';
import { FlowFile } from './flowFile';
import { bindingDefaults, bindingPath, isFunctionLike, type Decl, type FunctionLike } from './scope';
import {
  ANY, CLEAN, bind, exceptFields, fromEntries, named, prefix, read, stringify, union, without, type Taint,
} from './taint';
import { envIsSecret, envSource, fetchTaint } from './sources';
import { ELEMENT_CALLBACKS, GLOBAL_STRING, callbackResults, extensionCall, methodCall, promiseValue } from './calls';
import {
  always, classOf, enclosingFunction, isLoop, isMaskValue, isProcessEnv, literalKey, propName, rawBranch, unwrap, type ClassNode,
} from './syntax';
import { exportedFunction, resolveTarget } from './targets';
import type { Target } from './types';
import { buildWriteIndex, type Write, type WriteIndex } from './writes';

export { FLOW_KINDS, addNode, emptyNodes, type FlowNodes, type ModuleAccess, type Target } from './types';
export { classOf, isProcessEnv } from './syntax';

const SK = tsv.SyntaxKind;

/** Nested evaluations in progress at most (the stack stays far from its limit on generated code). */
const MAX_ACTIVE = 600;
/** Evaluations per file at most (a few thousand in a large real file). */
const MAX_STEPS = 200_000;

export class Flow extends FlowFile {
  private readonly memo = new Map<ts.Node, Taint>();
  private readonly active = new Set<ts.Node>();
  private readonly varMemo = new Map<ts.Node, Taint>();
  private readonly returnsMemo = new Map<ts.Node, Taint>();
  private writeIndex?: WriteIndex;
  private readonly constCache = new Map<ts.Identifier, ts.Expression | undefined>();

  // -------------------------------------------------------------------------------------------
  // Expressions

  taint(e: ts.Expression | undefined): Taint {
    if (!e) return CLEAN;
    const hit = this.memo.get(e);
    if (hit) return hit;
    if (this.active.has(e)) return CLEAN; // a cycle: what is known so far
    if (this.over()) return CLEAN;
    const cuts = this.cuts;
    this.active.add(e);
    let t: Taint;
    try { t = this.compute(e); } finally { this.active.delete(e); }
    // a value computed while a chain was cut short is incomplete: not kept, so a shallower read computes it again
    if (this.cuts === cuts) this.memo.set(e, t);
    return t;
  }

  private cuts = 0;
  private steps = 0;

  /**
   * A chain deeper than any real value flow (`a + b + …` in ten thousand terms, hundreds of nested calls), or an
   * analysis past its step budget (generated code): stop there. Counted, so incomplete results are not memoized.
   */
  private over(): boolean {
    if (this.active.size > MAX_ACTIVE || ++this.steps > MAX_STEPS) { this.cuts++; return true; }
    return false;
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
        // `v ? mask(v) : v`, `v.length > 8 ? mask(v) : '****'`, `!v ? v : mask(v)`: the branch that returns the value as it
        // is runs only when it is empty or short, the shape of every masking helper
        const raw = rawBranch(c);
        return union(raw === c.whenTrue ? CLEAN : this.taint(c.whenTrue), raw === c.whenFalse ? CLEAN : this.taint(c.whenFalse));
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
    if (this.over()) return CLEAN;
    const cuts = this.cuts;
    this.active.add(key);
    let t: Taint;
    try { t = this.computeDecl(d); } finally { this.active.delete(key); }
    if (this.cuts === cuts) this.varMemo.set(key, t);
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
    let call = fn.parent;
    while (call && call.kind === SK.ParenthesizedExpression) call = call.parent;
    if (call && (call.kind === SK.CallExpression || call.kind === SK.NewExpression) && (call as ts.CallExpression).arguments?.some((a) => unwrap(a) === fn)) {
      const c = call as ts.CallExpression;
      const callee = unwrap(c.expression);
      if (call.kind === SK.NewExpression) return CLEAN; // new Promise((resolve, reject) => …)
      // http.get(extensionUrl, (res) => …): the extension's response
      const ext = extensionCall(this, c);
      if (ext) return index === 0 ? ext : CLEAN;
      if (tsv.isPropertyAccessExpression(callee)) {
        const m = callee.name.text;
        const recv = this.taint(callee.expression);
        if (m === 'then') return index === 0 && c.arguments[0] === fn ? recv : CLEAN;
        // res.on('data', (chunk) => body += chunk): pieces of the body, as text
        if ((m === 'on' || m === 'once' || m === 'addListener') && literalKey(c.arguments[0]) === 'data') return index === 0 ? stringify(recv) : CLEAN;
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

  middyContext(): Taint {
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

  private writes(): WriteIndex {
    return (this.writeIndex ??= buildWriteIndex(this.nodes, this.scopes));
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
    // `constructor(private readonly apiKey: string)`: a parameter property (what `new` passes, substituted there)
    const ctor = cls.members.find((m) => m.kind === SK.Constructor) as ts.ConstructorDeclaration | undefined;
    const p = ctor?.parameters.find((x) => x.modifiers?.length && tsv.isIdentifier(x.name) && x.name.text === name);
    if (p) t = union(t, this.declTaint({ kind: 'param', id: p.name as ts.Identifier, node: p }));
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
      if (callee.text === 'Promise' && !this.scopes.resolve(callee)) return promiseValue(this, n);
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
    const ext = extensionCall(this, c);
    if (ext) return ext;
    if (tsv.isPropertyAccessExpression(callee)) return methodCall(this, c, callee);
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

  argsUnion(c: ts.CallExpression): Taint {
    let t: Taint = CLEAN;
    for (const a of c.arguments) t = union(t, this.taint(a));
    return t;
  }

  /** A call to a function of this file or of a relative import: its return summary with the arguments substituted. */
  userCall(c: ts.CallExpression): Taint {
    const target = this.target(c.expression);
    if (!target) return callbackResults(this, c);
    const args = (fn: FunctionLike, i: number) => this.argument(c, fn, i);
    if (target.kind === 'local') return bind(this.returns(target.fn), target.fn, (i) => args(target.fn, i));
    if (!this.modules) return CLEAN;
    return this.modules.callExport(this.path, target, args);
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

  /** What a callee denotes (see targets.ts). */
  target(calleeExpr: ts.Expression): Target | undefined {
    return resolveTarget(this, calleeExpr);
  }

  /** What a function returns (its return statements, or a concise arrow's body), with symbolic parameters. */
  returns(fn: FunctionLike): Taint {
    const hit = this.returnsMemo.get(fn);
    if (hit) return hit;
    if (this.active.has(fn)) return CLEAN;
    if (this.over()) return CLEAN;
    const cuts = this.cuts;
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
    if (this.cuts === cuts) this.returnsMemo.set(fn, t);
    return t;
  }

  /** The initializer of a const (for URLs built from constants). */
  constInit(id: ts.Identifier): ts.Expression | undefined {
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

  /** The function an export of this file denotes (for calls from another module). */
  exportedFunction(name: string, member?: string): FunctionLike | undefined {
    return exportedFunction(this, name, member);
  }
}

function fromEntriesOrSame(kind: string, t: Taint): Taint {
  return kind === 'Map' ? fromEntries(t) : t;
}
