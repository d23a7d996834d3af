// What one handler reads: its own code, module-scope code of every file it reaches, and the functions it calls (same
// file, relative imports), with arguments bound to parameters so that wrapper functions' names resolve.
import { ts, tsv } from '../ts';
import { findHandlers, isFunctionNode, resolveFunction, walkTree, type FetchCall, type FileModel, type FnNode } from '../lambda/model';
import type { ProjectContext } from '../types';
import { UNKNOWN, evaluate, unwrap, type EnvMap, type Scope } from './evaluate';
import { dedupe, fileModelOf, middyReferences, referencesOfFetch, resolveModule, type References } from './refs';

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
  return new HandlerWalk(fileModelOf(file, text), exportName, project, env).run();
}

class HandlerWalk {
  private readonly out: References = { refs: [], unresolved: [] };
  private readonly queue: Task[] = [];
  private readonly seen = new Set<string>();
  private readonly modulesDone = new Set<string>();
  // the task being walked
  private task!: Task;
  private scope!: Scope;
  private fetchAt!: Map<ts.Node, FetchCall>;
  private skip!: Set<ts.Node>;

  constructor(private readonly m0: FileModel, private readonly exportName: string, private readonly project: ProjectContext,
    private readonly env: EnvMap | undefined) {}

  run(): References {
    const start = exportedFunction(this.m0, this.exportName, this.project);
    this.addModule(this.m0);
    if (start) this.push(start.m, start.fn, new Map());
    let steps = 0;
    while (this.queue.length && steps++ < 5000) {
      const task = this.task = this.queue.shift()!;
      const m = task.m;
      this.fetchAt = new Map();
      for (const f of m.fetches) this.fetchAt.set(f.call, f);
      this.scope = { m, env: this.env, bindings: task.bindings, depth: 0 };
      this.skip = task.module ? this.otherHandlers(m) : new Set();
      if (task.module) walkTree(task.fn, this.visit);
      else {
        const fn = task.fn as FnNode;
        walkTree(fn.body, this.visit);
      }
    }
    return dedupe(this.out);
  }

  /** Other handlers' exports of a module: not walked as module-scope code (they run when invoked, not at load). */
  private otherHandlers(m: FileModel): Set<ts.Node> {
    const s = new Set<ts.Node>();
    for (const h of findHandlers(m)) { const n = m.exports.get(h.name); if (n) s.add(n); }
    // The handler's own export (`middy(fn).use(ssm({ fetchData }))`) is walked; its function bodies are followed.
    if (m === this.m0) { const own = m.exports.get(this.exportName); if (own) s.delete(own); }
    return s;
  }

  private addModule(m: FileModel): void {
    if (this.modulesDone.has(m.path)) return;
    this.modulesDone.add(m.path);
    this.queue.push({ m, fn: m.sf, bindings: new Map(), module: true });
  }

  private push(m: FileModel, fn: ts.Node, bindings: Map<string, string[]>): void {
    const k = keyOf(m, fn, bindings);
    if (this.seen.has(k) || this.seen.size > 2000) return;
    this.seen.add(k);
    this.addModule(m);
    this.queue.push({ m, fn, bindings, module: false });
  }

  /** Parameter bindings of a call: each argument whose text is (partly) known. */
  private bind(fn: FnNode, args: readonly ts.Expression[]): Map<string, string[]> {
    const b = new Map<string, string[]>();
    fn.parameters.forEach((p, i) => {
      if (tsv.isIdentifier(p.name) && args[i]) {
        const v = evaluate(args[i], this.scope);
        if (v.some((x) => x !== UNKNOWN)) b.set(p.name.text, v);
      }
    });
    return b;
  }

  private followExternal(spec: string, name: string, args: readonly ts.Expression[]): void {
    const target = resolveModule(this.task.m.path, spec, this.project);
    if (!target) return;
    const om = fileModelOf(target.path, target.text);
    const hit = name === '*' ? undefined : exportedFunction(om, name, this.project);
    if (hit) this.push(hit.m, hit.fn, this.bind(hit.fn, args));
    else this.addModule(om);
  }

  private followIdentifier(id: ts.Identifier, args: readonly ts.Expression[]): void {
    const m = this.task.m;
    const b = m.imports.get(id.text);
    if (b) { if (b.module.startsWith('.')) this.followExternal(b.module, b.name, args); return; }
    const t = m.topFunctions.get(id.text);
    if (!t) return;
    const r = resolveFunction(m, t);
    if (r && 'fn' in r) this.push(m, r.fn, this.bind(r.fn, args));
    else if (r && 'external' in r) this.followExternal(r.external.module, r.external.name, args);
  }

  private readonly visit = (n: ts.Node): boolean => {
    const task = this.task;
    // Module scope: code that runs at load. Functions run only when called (followed from the handler).
    if (task.module && n !== task.fn && (isFunctionNode(n) || tsv.isClassLike(n) || this.skip.has(n))) return false;
    if (n.kind === tsv.SyntaxKind.CallExpression) this.onCall(n as ts.CallExpression);
    return true;
  };

  private onCall(c: ts.CallExpression): void {
    const m = this.task.m;
    const f = this.fetchAt.get(c);
    if (f) referencesOfFetch(f, this.scope, this.out);
    const callee = unwrap(c.expression);
    if (tsv.isIdentifier(callee)) {
      middyReferences(c, callee, this.scope, this.out);
      this.followIdentifier(callee, c.arguments);
    } else if (tsv.isPropertyAccessExpression(callee)) {
      const obj = unwrap(callee.expression);
      if (obj.kind === tsv.SyntaxKind.ThisKeyword) {
        const cls = ts.findAncestor(c, ts.isClassLike);
        const member = cls?.members.find((x) => tsv.isMethodDeclaration(x) && tsv.isIdentifier(x.name) && x.name.text === callee.name.text);
        if (member && tsv.isMethodDeclaration(member)) this.push(m, member, this.bind(member, c.arguments));
      } else if (tsv.isIdentifier(obj)) {
        const b = m.imports.get(obj.text);
        if (b && b.module.startsWith('.') && (b.name === '*' || b.name === 'default')) this.followExternal(b.module, callee.name.text, c.arguments);
      }
    }
    // Functions passed by reference: names.map(fetchOne), Promise.all([load()])
    for (const a of c.arguments) {
      const ua = unwrap(a);
      if (tsv.isIdentifier(ua) && (m.topFunctions.has(ua.text) || m.imports.has(ua.text))) this.followIdentifier(ua, []);
    }
  }
}
