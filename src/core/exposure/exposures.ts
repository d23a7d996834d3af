// Sinks met by the flow: every sink site of a file is judged once; a sink reached by a function's parameter becomes a
// parameter sink of that function, and each call site (in this file, or a file that imports it) is judged in turn.
import { type ts, tsv } from '../ts';
import { findHandlers } from '../lambda/model';
import type { Flow, Target } from './flow';
import { isFunctionLike, type FunctionLike } from './scope';
import { assignmentSink, callSink, newSink, responseObjectSink, throwSink, type SinkInfo, type SinkResolver, type SinkSite } from './sinks';
import { CLEAN, isParam, read, sources, substitute, union, type Fact, type Source, type Taint } from './taint';

/** A helper between the call site reported and the sink: `logConfig` (in `src/lib/log.ts`). */
export interface Via { name: string; file?: string }

/** Parameter `index` of a function reaches a sink, after `ops` (property reads, stringification). */
export interface ParamSink { index: number; ops: readonly string[]; info: SinkInfo; via: Via[] }

export interface Exposure {
  /** Where it happens in this file: the sink, or the call that hands the secret to a helper that sinks it. */
  node: ts.Node;
  /** The expressions that carry the secret into it (sink arguments, or the helper's arguments). */
  values: ts.Expression[];
  sources: Source[];
  info: SinkInfo;
  via: Via[];
  /** The sink itself, when it is in this file's code at `node`. */
  site?: SinkSite;
}

/** Parameter sinks of the exports of another module (implemented by the module graph). */
export interface ImportedSinks {
  paramSinks(from: string, target: Extract<Target, { kind: 'import' }>): { fn: FunctionLike; sinks: ParamSink[]; file: string } | undefined;
}

export class ExposureAnalysis {
  readonly paramSinks = new Map<ts.Node, ParamSink[]>();
  readonly exposures: Exposure[] = [];
  private readonly keys = new Map<ts.Node, Set<string>>();
  private readonly queue: [FunctionLike, ParamSink][] = [];
  private callsByTarget?: Map<ts.Node, { call: ts.CallExpression | ts.NewExpression; name: string }[]>;
  private done = false;

  constructor(private readonly flow: Flow, private readonly imported: ImportedSinks | undefined) {}

  run(): this {
    if (this.done) return this;
    this.done = true;
    const resolver: SinkResolver = {
      resolve: (id) => this.flow.scopes.resolve(id),
      importOf: (id) => {
        const d = this.flow.scopes.resolve(id);
        const b = d && this.flow.binding(d);
        return b && { module: b.module, name: b.name };
      },
    };
    const n = this.flow.nodes;
    for (const c of n.calls) { const s = callSink(c, resolver); if (s) this.judge(s); }
    for (const x of n.news) { const s = newSink(x); if (s) this.judge(s); }
    let handlers: Set<ts.Node> | undefined;
    for (const o of n.objects) {
      let s = responseObjectSink(o);
      if (!s && o.properties.some((p) => p.name && tsv.isIdentifier(p.name) && p.name.text === 'body')) {
        handlers ??= new Set(findHandlers(this.flow.fm).map((h) => h.fn).filter((f): f is NonNullable<typeof f> => !!f));
        const fn = returnedFrom(o);
        if (fn && handlers.has(fn)) s = responseObjectSink(o, true);
      }
      if (s) this.judge(s);
    }
    for (const b of n.binaries) { const s = assignmentSink(b); if (s) this.judge(s); }
    for (const t of n.throws) { const s = throwSink(t); if (s) this.judge(s); }
    if (this.imported && this.flow.hasRelativeImports()) for (const c of n.calls) this.importedCall(c);
    while (this.queue.length) {
      const [fn, ps] = this.queue.shift()!;
      for (const { call, name } of this.callsTo(fn)) this.judgeCall(call, fn, ps, { name });
    }
    return this;
  }

  private judge(site: SinkSite): void {
    const tainted: ts.Expression[] = [];
    let found: Source[] = [];
    for (const v of site.values) {
      let t = this.flow.taint(v.expr);
      if (v.field) for (const f of v.field) t = read(t, f);
      if (site.redact) t = t.filter((f) => !site.redact!.some((p) => redacted(p, f.at)));
      if (!t.length) continue;
      const src = sources(t);
      if (src.length) { tainted.push(v.expr); found = mergeSources(found, src); }
      for (const f of t) if (isParam(f.origin)) this.addParamSink(f, site.info, []);
    }
    if (found.length) this.exposures.push({ node: site.node, values: tainted, sources: found, info: site.info, via: [], site });
  }

  private addParamSink(f: Fact, info: SinkInfo, via: Via[]): void {
    if (!isParam(f.origin)) return;
    const fn = f.origin.fn as FunctionLike;
    const ops = f.ops ?? [];
    const key = `${f.origin.index}|${ops.join('\u0001')}|${info.kind}|${info.api}`;
    let ks = this.keys.get(fn);
    if (!ks) this.keys.set(fn, ks = new Set());
    if (ks.has(key)) return;
    ks.add(key);
    const ps: ParamSink = { index: f.origin.index, ops, info, via };
    const list = this.paramSinks.get(fn);
    if (list) list.push(ps); else this.paramSinks.set(fn, [ps]);
    this.queue.push([fn, ps]);
  }

  /** A call that passes values to a function whose parameter reaches a sink. */
  private judgeCall(call: ts.CallExpression | ts.NewExpression, fn: FunctionLike, ps: ParamSink, via: Via): void {
    const arg = this.flow.argument(call, fn, ps.index);
    if (!arg.length) return;
    const t = substitute({ origin: { fn, index: ps.index }, at: [], ops: ps.ops }, arg);
    const chain = [via, ...ps.via];
    const src = sources(t);
    if (src.length) {
      const values = argumentsAt(call, fn, ps.index);
      // one finding per call: a logger wrapper seen as a logger here and followed into its module is the same leak
      const prev = this.exposures.find((e) => e.node === call);
      if (prev) prev.sources = mergeSources(prev.sources, src);
      else this.exposures.push({ node: call, values, sources: src, info: ps.info, via: chain });
    }
    for (const f of t) if (isParam(f.origin)) this.addParamSink(f, ps.info, chain);
  }

  /** The calls of this file to a function (and the `new`s of a class whose constructor it is). */
  private callsTo(fn: ts.Node): { call: ts.CallExpression | ts.NewExpression; name: string }[] {
    if (!this.callsByTarget) {
      const by = new Map<ts.Node, { call: ts.CallExpression | ts.NewExpression; name: string }[]>();
      const add = (f: ts.Node, call: ts.CallExpression | ts.NewExpression, name: string) => {
        const l = by.get(f);
        if (l) l.push({ call, name }); else by.set(f, [{ call, name }]);
      };
      for (const c of this.flow.nodes.calls) {
        const t = this.flow.target(c.expression);
        if (t?.kind === 'local') add(t.fn, c, t.name || calleeText(c));
      }
      for (const n of this.flow.nodes.news) {
        const cls = tsv.isIdentifier(n.expression) ? this.flow.scopes.resolve(n.expression) : undefined;
        if (cls?.kind !== 'class') continue;
        const ctor = (cls.node as ts.ClassLikeDeclaration).members.find((m) => m.kind === tsv.SyntaxKind.Constructor);
        if (ctor) add(ctor, n, `new ${n.expression.getText()}`);
      }
      this.callsByTarget = by;
    }
    return this.callsByTarget.get(fn) ?? [];
  }

  /** A call to an export of a relative module whose parameters reach a sink there. */
  private importedCall(c: ts.CallExpression): void {
    if (!c.arguments.length || !this.flow.mayCallImport(c.expression)) return;
    let any: Taint = CLEAN;
    for (const a of c.arguments) any = union(any, this.flow.taint(a));
    if (!any.length) return;
    const target = this.flow.target(c.expression);
    if (target?.kind !== 'import') return;
    const hit = this.imported!.paramSinks(this.flow.path, target);
    if (!hit) return;
    for (const ps of hit.sinks) this.judgeCall(c, hit.fn, ps, { name: target.label, file: hit.file });
  }
}

/** The function an object literal is returned from (`return {…}`, `=> ({…})`), or undefined. */
function returnedFrom(o: ts.Node): ts.Node | undefined {
  let cur = o;
  while (cur.parent && (cur.parent.kind === tsv.SyntaxKind.ParenthesizedExpression || cur.parent.kind === tsv.SyntaxKind.AsExpression
    || cur.parent.kind === tsv.SyntaxKind.SatisfiesExpression)) cur = cur.parent;
  const p = cur.parent;
  if (!p) return undefined;
  if (p.kind === tsv.SyntaxKind.ArrowFunction && (p as ts.ArrowFunction).body === cur) return p;
  if (p.kind !== tsv.SyntaxKind.ReturnStatement) return undefined;
  for (let f = p.parent; f; f = f.parent) if (isFunctionLike(f)) return f;
  return undefined;
}

/** A callee as shown in messages: names and dots only (never a literal of the code, which could be anything). */
function calleeText(c: ts.CallExpression): string {
  const t = c.expression.getText();
  if (!/^[\w$.]+$/.test(t)) return 'a helper';
  return t.length > 40 ? t.slice(0, 39) + '…' : t;
}

/** The argument expressions a call passes to parameter `index` (a rest parameter: all from there). */
function argumentsAt(call: ts.CallExpression | ts.NewExpression, fn: FunctionLike, index: number): ts.Expression[] {
  const rest = !!fn.parameters[index]?.dotDotDotToken;
  const out: ts.Expression[] = [];
  (call.arguments ?? []).forEach((a, i) => {
    if (i === index || (rest && i > index) || a.kind === tsv.SyntaxKind.SpreadElement) out.push(a);
  });
  return out.length ? out : [call];
}

function mergeSources(a: Source[], b: Source[]): Source[] {
  const out = [...a];
  for (const s of b) if (!out.some((x) => x === s || (x.label === s.label && x.file === s.file))) out.push(s);
  return out;
}

/** Whether a fact's place is under a redacted path (`*` matches any one field). */
function redacted(path: string[], at: readonly string[]): boolean {
  if (at.length < path.length) return false;
  return path.every((seg, i) => seg === '*' || seg === at[i]);
}
