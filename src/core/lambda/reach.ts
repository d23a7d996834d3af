// Reachability: from each handler, the functions that run on every invocation (same file, class methods, relative
// imports), walked with cache-guard tracking, and the fetches and clients they reach outside any cache.
import { ts, tsv } from '../ts';
import { CacheGuards, MEMOIZERS, isMemoized, mutableThisProps } from './caches';
import { externalSummary } from './external';
import { findHandlers, resolveFunction } from './handlers';
import { SK, declarationIn, forEachChild, isFunctionNode, localNames, propName, unwrap } from './syntax';
import type { ClassNode, ClientNew, CrossFileHit, Env, FetchCall, FileModel, FnNode, ImportBinding, Reach, Resolved } from './types';

export interface ReachState {
  fetches: Map<FetchCall, string>;
  clients: Map<ClientNew, string>;
  crossFile: CrossFileHit[];
  visited: Set<ts.Node>;
  /** Class methods reached on an instance that outlives the invocation: their `this.*` state is a cache. */
  persistentThis?: Set<ts.Node>;
}

/** `??`, `||`, `??=`, `||=`, `&&=`: the right operand runs only on some evaluations of the left. */
function isShortCircuit(b: ts.BinaryExpression): boolean {
  const k = b.operatorToken.kind;
  return k === SK.QuestionQuestionEqualsToken || k === SK.BarBarEqualsToken || k === SK.QuestionQuestionToken
    || k === SK.BarBarToken || k === SK.AmpersandAmpersandEqualsToken;
}

/** Every handler of the file, walked: the fetches and clients each runs per invocation, here and in relative imports. */
export function computeReach(m: FileModel, env: Env): Reach {
  const handlers = findHandlers(m);
  const st: ReachState = { fetches: new Map(), clients: new Map(), crossFile: [], visited: new Set() };
  for (const h of handlers) {
    // A custom-resource handler runs once per deployment: nothing it does is per-invocation work worth caching.
    if (h.customResource) continue;
    // A class-based handler (`export const handler = new Lambda().handler`) runs on an instance built at module load.
    if (h.fn) { walkReach(m, h.fn, h.name, st, env, tsv.isClassLike(h.fn.parent)); continue; }
    const r = resolveFunction(m, m.exports.get(h.name));
    if (r && 'external' in r) {
      const hit = externalSummary(m.path, r.external, env);
      if (hit && (hit.fetches.length || hit.clients.length)) {
        st.crossFile.push({ site: h.exportNode, handler: h.name, callee: r.external.name, file: hit.file, fetches: hit.fetches, clients: hit.clients });
      }
    }
  }
  return { handlers, fetches: st.fetches, clients: st.clients, crossFile: st.crossFile };
}

/** Walk the functions that run per invocation of `handler`, from `root` (`rootPersistent`: a long-lived instance's method). */
export function walkReach(m: FileModel, root: FnNode, handler: string, st: ReachState, env: Env, rootPersistent = false): void {
  new ReachWalker(m, handler, st, env).run(root, rootPersistent);
}

class ReachWalker {
  private readonly persistentThis: Set<ts.Node>;
  private readonly locals = new Map<ts.Node, Set<string>>();
  private readonly queue: FnNode[] = [];
  private readonly fetchAt: Map<ts.Node, FetchCall>;
  private readonly clientAt: Map<ts.Node, ClientNew>;
  private readonly guards: CacheGuards;
  // the function being walked, its local names and the `this.*` state that caches in it
  private fn!: FnNode;
  private loc!: Set<string>;
  private thisState: Set<string> | undefined;

  constructor(private readonly m: FileModel, private readonly handler: string, private readonly st: ReachState, private readonly env: Env) {
    this.persistentThis = st.persistentThis ??= new Set();
    // Built once per file (a file may export hundreds of handlers, each walked in turn).
    this.fetchAt = m.fetchAt ??= new Map(m.fetches.map((f) => [f.call as ts.Node, f]));
    this.clientAt = m.clientAt ??= new Map(m.clients.map((c) => [c.node as ts.Node, c]));
    this.guards = new CacheGuards(m, env.project, this.locals);
  }

  run(root: FnNode, rootPersistent: boolean): void {
    if (rootPersistent) this.persistentThis.add(root);
    this.queue.push(root);
    while (this.queue.length) {
      const fn = this.queue.shift()!;
      if (this.st.visited.has(fn)) continue;
      this.st.visited.add(fn);
      this.fn = fn;
      this.loc = localNames(fn, this.locals);
      // In a method of an instance that outlives the invocation, `this.x` written by the class is cached state.
      const cls = this.persistentThis.has(fn) && tsv.isClassLike(fn.parent) ? fn.parent : undefined;
      this.thisState = cls ? mutableThisProps(cls) : undefined;
      if (fn.body) this.walk(fn.body, false);
    }
  }

  private isCacheRef(e: ts.Node): boolean {
    return this.guards.isCacheRef(e, this.fn, this.loc, this.thisState);
  }

  private follow(target: Resolved, site: ts.Node, calleeName: string, persistent = false): void {
    if (!target) return;
    if ('fn' in target) {
      if (persistent) this.persistentThis.add(target.fn);
      if (!this.st.visited.has(target.fn)) this.queue.push(target.fn);
      return;
    }
    const hit = externalSummary(this.m.path, target.external, this.env);
    if (hit && (hit.fetches.length || hit.clients.length)) {
      this.st.crossFile.push({ site, handler: this.handler, callee: calleeName, file: hit.file, fetches: hit.fetches, clients: hit.clients });
    }
  }

  /** Nodes left to walk, each with whether it runs only when a cache check says so (a stack: no recursion). */
  private readonly work: ts.Node[] = [];
  private readonly workGuarded: boolean[] = [];
  private pushGuarded = false;
  private readonly pushKid = (k: ts.Node): undefined => { this.work.push(k); this.workGuarded.push(this.pushGuarded); return undefined; };

  /** Walk a subtree; `guarded`: it runs only when a cache check says so. */
  private walk(root: ts.Node, guarded: boolean): void {
    const work = this.work;
    const base = work.length;
    work.push(root);
    this.workGuarded.push(guarded);
    while (work.length > base) this.step(work.pop()!, this.workGuarded.pop()!);
  }

  /** Walk these next, in this order. */
  private later(items: readonly (readonly [ts.Node | undefined, boolean])[]): void {
    for (let i = items.length - 1; i >= 0; i--) {
      const [n, guarded] = items[i];
      if (n) { this.work.push(n); this.workGuarded.push(guarded); }
    }
  }

  /** Walk `a`, `b`, `c` next, in this order (the common case of `later`, without building a list). */
  private later3(a: ts.Node, ga: boolean, b: ts.Node, gb: boolean, c: ts.Node | undefined, gc: boolean): void {
    const work = this.work;
    const g = this.workGuarded;
    if (c) { work.push(c); g.push(gc); }
    work.push(b); g.push(gb);
    work.push(a); g.push(ga);
  }

  /** One node: record what it does outside a cache, and schedule its children with the guard each runs under. */
  private step(n: ts.Node, guarded: boolean): void {
    switch (n.kind) {
      case SK.IfStatement: {
        const s = n as ts.IfStatement;
        const g = guarded || this.isCacheRef(s.expression);
        this.later3(s.expression, guarded, s.thenStatement, g, s.elseStatement, g);
        return;
      }
      case SK.ConditionalExpression: {
        const c = n as ts.ConditionalExpression;
        const g = guarded || this.isCacheRef(c.condition);
        this.later3(c.condition, guarded, c.whenTrue, g, c.whenFalse, g);
        return;
      }
      case SK.BinaryExpression: {
        if (!isShortCircuit(n as ts.BinaryExpression)) break;
        // `a || b || c`: each operand runs only when those before it read no cache state. The chain is read flat
        // (a 3,000-term chain is 3,000 levels deep), and each operand is judged once.
        const operands: ts.Expression[] = [];
        let e: ts.Expression = n as ts.BinaryExpression;
        while (tsv.isBinaryExpression(e) && isShortCircuit(e)) { operands.push(e.right); e = e.left; }
        operands.push(e);
        operands.reverse();
        const items: [ts.Node, boolean][] = [];
        let g = guarded;
        for (const o of operands) {
          items.push([o, g]);
          if (!g && this.isCacheRef(o)) g = true;
        }
        this.later(items);
        return;
      }
      case SK.Block:
      case SK.CaseClause:
      case SK.DefaultClause:
        this.laterStatements((n as ts.Block).statements, guarded);
        return;
      case SK.CallExpression:
        if (!guarded && this.onCall(n as ts.CallExpression)) return;
        break;
      case SK.NewExpression:
        if (!guarded) this.onNew(n as ts.NewExpression);
        break;
    }
    // children in source order, then that segment reversed (popped in source order; all share `guarded`)
    const work = this.work;
    const base = work.length;
    this.pushGuarded = guarded;
    forEachChild(n, this.pushKid);
    for (let i = base, j = work.length - 1; i < j; i++, j--) { const t = work[i]; work[i] = work[j]; work[j] = t; }
  }

  /** Statements in order: after `if (cached) return cached;` the rest of the block runs on a miss only. */
  private laterStatements(stmts: readonly ts.Statement[], guarded: boolean): void {
    // the guard of each statement, judged in order; then all pushed, last first
    const work = this.work;
    const gs = this.workGuarded;
    const base = work.length;
    let g = guarded;
    for (const s of stmts) {
      work.push(s);
      gs.push(g);
      if (!g && tsv.isIfStatement(s) && !s.elseStatement && endsAbruptly(s.thenStatement) && this.isCacheRef(s.expression)) g = true;
    }
    for (let i = base, j = work.length - 1; i < j; i++, j--) {
      const t = work[i]; work[i] = work[j]; work[j] = t;
      const u = gs[i]; gs[i] = gs[j]; gs[j] = u;
    }
  }

  /** A call outside any cache: record its fetch, follow what it calls. True when the call's children were walked here. */
  private onCall(c: ts.CallExpression): boolean {
    // cachedFetch(key, () => fetch) / cache.getOrSet(key, loader) / memoize(() => …)(): the loader runs on a miss only.
    const cn = unwrap(c.expression);
    const calleeName = tsv.isIdentifier(cn) ? cn.text
      : tsv.isPropertyAccessExpression(cn) ? `${tsv.isIdentifier(cn.expression) ? cn.expression.text : ''} ${cn.name.text}` : '';
    if (MEMOIZERS.test(calleeName) && c.arguments.some((a) => isFunctionNode(unwrap(a)))) {
      // Only the loader functions are guarded: `cache.set(k, await fetch())` still fetches every time.
      this.later([[c.expression, false], ...c.arguments.map((a) => [a, isFunctionNode(unwrap(a))] as const)]);
      return true;
    }
    const f = this.fetchAt.get(c);
    if (f && !f.cachedByLibrary && !this.st.fetches.has(f)) this.st.fetches.set(f, this.handler);
    const callee = unwrap(c.expression);
    const loc = this.loc;
    if (tsv.isIdentifier(callee) && !loc.has(callee.text)) this.follow(resolveCallee(this.m, callee), c, callee.text);
    else if (tsv.isPropertyAccessExpression(callee) && callee.expression.kind === SK.ThisKeyword) {
      // this.load() inside a class-based handler (state persists when this method's does)
      const owner = ts.findAncestor(c, ts.isClassLike);
      const member = owner && classMember(owner, callee.name.text);
      if (member) this.follow({ fn: member }, c, callee.name.text, this.persistentThis.has(this.fn));
    } else if (!f && !this.clientAt.has(c) && tsv.isPropertyAccessExpression(callee)) {
      this.followMethodCall(c, callee); // (an SDK call itself is no method of the user's classes)
    }
    // functions passed by reference: names.map(fetchOne)
    for (const a of c.arguments) {
      if (tsv.isIdentifier(a) && !loc.has(a.text) && this.m.topFunctions.has(a.text)) this.follow(resolveCallee(this.m, a), c, a.text);
    }
    return false;
  }

  /** `recv.method()`: a method of a class of this file or of a relative import, or a function of an imported module. */
  private followMethodCall(c: ts.CallExpression, callee: ts.PropertyAccessExpression): void {
    const m = this.m;
    const method = callee.name.text;
    const b = tsv.isIdentifier(callee.expression) && !this.loc.has(callee.expression.text) ? m.imports.get(callee.expression.text) : undefined;
    const rc = b && (b.name === '*' || b.name === 'default') ? undefined : receiverClass(m, callee.expression, this.fn, this.loc);
    const recvText = callee.expression.getText();
    const label = `${recvText.length > 48 ? recvText.slice(0, 47) + '…' : recvText}.${method}`;
    if (rc?.local) {
      // a method of a class of this file, on a module-scope instance, a singleton, or a static call
      const member = classMember(rc.local, method);
      if (member) this.follow({ fn: member }, c, label, rc.persistent);
    } else if (rc?.imported) {
      this.follow({ external: { ...rc.imported, member: method, persistent: rc.persistent }, site: c }, c, label);
    } else if (b && b.module.startsWith('.')) {
      this.follow({ external: { module: b.module, name: b.name === '*' ? method : `default.${method}` }, site: c }, c, label);
    }
  }

  /** A client built outside any cache; `new Cls()` runs the constructor and field initialisers of a class here. */
  private onNew(ne: ts.NewExpression): void {
    const cl = this.clientAt.get(ne);
    if (cl) {
      if (!this.st.clients.has(cl)) this.st.clients.set(cl, this.handler);
      return;
    }
    const cn = unwrap(ne.expression);
    if (!tsv.isIdentifier(cn) || this.loc.has(cn.text)) return;
    const c = classRef(this.m, cn.text);
    if (c?.local) {
      const ctor = classMember(c.local, 'constructor');
      if (ctor) this.follow({ fn: ctor }, ne, `new ${cn.text}`);
      for (const x of c.local.members) {
        if (tsv.isPropertyDeclaration(x) && x.initializer && !x.modifiers?.some((mod) => mod.kind === SK.StaticKeyword)) this.walk(x.initializer, false);
      }
    } else if (c?.imported) {
      this.follow({ external: { ...c.imported, member: 'constructor', persistent: false }, site: ne }, ne, `new ${cn.text}`);
    }
  }
}

function endsAbruptly(s: ts.Statement): boolean {
  if (tsv.isReturnStatement(s) || tsv.isThrowStatement(s)) return true;
  if (tsv.isBlock(s) && s.statements.length) return endsAbruptly(s.statements[s.statements.length - 1]);
  return false;
}

function resolveCallee(m: FileModel, id: ts.Identifier): Resolved {
  const b = m.imports.get(id.text);
  if (b) return b.module.startsWith('.') ? { external: b, site: id } : undefined;
  const t = m.topFunctions.get(id.text);
  if (!t) return undefined;
  if (isMemoized(t)) return undefined;
  return resolveFunction(m, t);
}

/** A method (or arrow-function property, or the constructor) of a class, by name. */
export function classMember(cls: ClassNode, name: string): FnNode | undefined {
  for (const x of cls.members) {
    // the constructor is walked like a method (parameters and a body)
    if (name === 'constructor' && tsv.isConstructorDeclaration(x) && x.body) return x as unknown as FnNode;
    if (tsv.isMethodDeclaration(x) && propName(x.name) === name && x.body) return x;
    if (tsv.isPropertyDeclaration(x) && propName(x.name) === name && x.initializer) {
      const init = unwrap(x.initializer);
      if (isFunctionNode(init)) return init;
    }
  }
  return undefined;
}

/** A class this file declares or imports from a relative module, by identifier. */
function classRef(m: FileModel, name: string): { local?: ClassNode; imported?: ImportBinding } | undefined {
  const c = m.classes.get(name);
  if (c) return { local: c };
  const b = m.imports.get(name);
  if (b && b.module.startsWith('.')) return { imported: b };
  return undefined;
}

/**
 * The class whose method a call `recv.method()` runs, and whether the instance outlives the invocation:
 * `Cls.method()` (static), `Cls.getInstance().method()` (a singleton factory), `x.method()` with `x` a module-scope
 * `new Cls()` or a local `Cls.getInstance()` (persistent); `new Cls().method()` or a local `new Cls()` (per invocation).
 */
function receiverClass(m: FileModel, recv: ts.Expression, fn: FnNode, loc: Set<string>, depth = 0):
  { local?: ClassNode; imported?: ImportBinding; persistent: boolean } | undefined {
  if (depth > 3) return undefined;
  let u = unwrap(recv) as ts.Expression;
  if (tsv.isAwaitExpression(u)) u = unwrap(u.expression) as ts.Expression;
  if (tsv.isIdentifier(u)) return identifierClass(m, u, fn, loc, depth);
  if (tsv.isNewExpression(u) && tsv.isIdentifier(u.expression)) {
    const c = classRef(m, u.expression.text);
    return c && { ...c, persistent: false };
  }
  if (tsv.isCallExpression(u) && tsv.isPropertyAccessExpression(u.expression) && tsv.isIdentifier(u.expression.expression)
    && !loc.has(u.expression.expression.text)) {
    const c = classRef(m, u.expression.expression.text);
    return c && { ...c, persistent: true }; // a static factory: `Cls.getInstance()`
  }
  return undefined;
}

function identifierClass(m: FileModel, u: ts.Identifier, fn: FnNode, loc: Set<string>, depth: number):
  { local?: ClassNode; imported?: ImportBinding; persistent: boolean } | undefined {
  const local = loc.has(u.text);
  if (!local) {
    // `Cls.method()`. A whole-module or default import (`const X = require('./x')`) is followed as a module by the
    // caller; externalSummary finds a class there when the module exports one.
    const c = classRef(m, u.text);
    if (c?.local || (c?.imported && c.imported.name !== '*' && c.imported.name !== 'default')) return { ...c, persistent: true };
    if (c?.imported) return undefined;
  }
  // a local: declared in the function the call sits in (a callback: `records.map(async (r) => { const s = S.getInstance(); … })`)
  // or in an outer one up to `fn`
  let d: ts.VariableDeclaration | undefined;
  if (local) {
    for (let f: ts.Node | undefined = u; f && !d; f = f === fn ? undefined : f.parent) {
      if (isFunctionNode(f)) d = declarationIn(f, u.text);
    }
  } else d = m.moduleVars.get(u.text);
  if (!d?.initializer) return undefined;
  const r = receiverClass(m, d.initializer, fn, loc, depth + 1);
  return r && { ...r, persistent: r.persistent || !local };
}
