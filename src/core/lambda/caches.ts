// Caches: what makes a fetch or a client *not* per-invocation work. Module-scope state written from a function (a
// cache variable, a Map of clients, a promise), `this.*` state of a long-lived instance, memoizing wrappers, and the
// guards (`if (cached) return cached`, `x ??= await load()`) that the reachability walk treats as "runs once".
import { type ts, tsv } from '../ts';
import type { ProjectContext } from '../types';
import { loadExternal } from './external';
import { scanFile } from './file';
import { resolveFunction } from './handlers';
import { SK, STOP, declarationIn, isFunctionNode, localNames, processEnvName, unwrap, walkTree } from './syntax';
import type { ClassNode, FileModel, FnNode } from './types';

/** Whether `name` is a parameter (or destructured parameter) of the function `at` is in: the invocation's input. */
export function isParameterOf(name: string, at: ts.Node): boolean {
  const bound = (b: ts.BindingName): boolean => tsv.isIdentifier(b) ? b.text === name
    : b.elements.some((el) => !tsv.isOmittedExpression(el) && bound(el.name));
  // The nearest function's own parameters only, and not a callback's (`items.forEach((p) => …)` iterates data, often
  // fetched data, not the invocation's input).
  let p: ts.Node | undefined = at.parent;
  while (p && !isFunctionNode(p)) p = p.parent;
  if (!p || !isFunctionNode(p)) return false;
  if (p.parent && (tsv.isCallExpression(p.parent) || tsv.isNewExpression(p.parent)) && p.parent.arguments?.includes(p as ts.Expression)) return false;
  return p.parameters.some((x) => bound(x.name));
}

/**
 * What a written value is made of: only constants (`true`, `0`: an init flag such as `initialized = true` right after
 * a load), the invocation's own input (`event.debug`, `context.awsRequestId`, `process.env.X`, with or without
 * constants: a per-call flag, not a cache), or anything else (fetched, called, awaited, built: worth caching).
 */
export function valueSource(e: ts.Expression, at: ts.Node, depth = 0): 'constant' | 'input' | 'other' {
  if (depth > 8) return 'other';
  const u = unwrap(e) as ts.Expression;
  const both = (a: ts.Expression, b: ts.Expression) => {
    const x = valueSource(a, at, depth + 1);
    const y = valueSource(b, at, depth + 1);
    return x === 'other' || y === 'other' ? 'other' : x === 'input' || y === 'input' ? 'input' : 'constant';
  };
  switch (u.kind) {
    case SK.StringLiteral: case SK.NoSubstitutionTemplateLiteral: case SK.NumericLiteral: case SK.BigIntLiteral:
    case SK.TrueKeyword: case SK.FalseKeyword: case SK.NullKeyword: case SK.RegularExpressionLiteral:
      return 'constant';
    case SK.Identifier:
      return (u as ts.Identifier).text === 'undefined' ? 'constant' : isParameterOf((u as ts.Identifier).text, at) ? 'input' : 'other';
    case SK.PrefixUnaryExpression:
      return valueSource((u as ts.PrefixUnaryExpression).operand, at, depth + 1);
    case SK.BinaryExpression: {
      const b = u as ts.BinaryExpression;
      return b.operatorToken.kind < SK.FirstAssignment || b.operatorToken.kind > SK.LastAssignment ? both(b.left, b.right) : 'other';
    }
    case SK.ConditionalExpression:
      return both((u as ts.ConditionalExpression).whenTrue, (u as ts.ConditionalExpression).whenFalse);
    case SK.PropertyAccessExpression: case SK.ElementAccessExpression: {
      let r: ts.Expression = u;
      while (tsv.isPropertyAccessExpression(r) || tsv.isElementAccessExpression(r)) r = unwrap(r.expression) as ts.Expression;
      return tsv.isIdentifier(r) && (r.text === 'process' || isParameterOf(r.text, at)) ? 'input' : 'other';
    }
    default:
      return 'other';
  }
}

/** A write that keeps nothing worth caching: a value taken from the invocation's own input. */
export function isTrivialValue(e: ts.Expression, at: ts.Node): boolean {
  return valueSource(e, at) === 'input';
}

const mutablePropsCache = new WeakMap<ClassNode, Set<string>>();

/** `this.x` properties a class writes outside its constructor (`this.x = …`, `this.x ??= …`, `this.x[k] = …`, `this.x.set(…)`). */
export function mutableThisProps(cls: ClassNode): Set<string> {
  let out = mutablePropsCache.get(cls);
  if (out) return out;
  out = new Set();
  const set = out;
  const thisProp = (e: ts.Expression): string | undefined => {
    let t = unwrap(e) as ts.Expression;
    while ((tsv.isPropertyAccessExpression(t) || tsv.isElementAccessExpression(t)) && t.expression.kind !== SK.ThisKeyword) t = unwrap(t.expression) as ts.Expression;
    return tsv.isPropertyAccessExpression(t) && t.expression.kind === SK.ThisKeyword ? t.name.text : undefined;
  };
  const visit = (n: ts.Node): void => {
    if (tsv.isBinaryExpression(n) && (n.operatorToken.kind === SK.EqualsToken || n.operatorToken.kind === SK.QuestionQuestionEqualsToken
      || n.operatorToken.kind === SK.BarBarEqualsToken)) {
      // a fetched or built value is state worth caching; a flag from the call's arguments is not
      const x = thisProp(n.left);
      if (x && !isTrivialValue(n.right, n)) set.add(x);
    } else if (tsv.isCallExpression(n) && tsv.isPropertyAccessExpression(n.expression) && /^(set|add|push)$/.test(n.expression.name.text)) {
      const x = thisProp(n.expression.expression);
      if (x) set.add(x);
    }
  };
  for (const x of cls.members) if (!tsv.isConstructorDeclaration(x)) walkTree(x, visit);
  mutablePropsCache.set(cls, set);
  return set;
}

/** `memoize(async () => …)` / `once(…)` / `pMemoize(…)`: the wrapper caches the result. */
export function isMemoized(init: ts.Node): boolean {
  const u = unwrap(init);
  if (!tsv.isCallExpression(u)) return false;
  const callee = unwrap(u.expression);
  const name = tsv.isIdentifier(callee) ? callee.text : tsv.isPropertyAccessExpression(callee) ? callee.name.text : '';
  return MEMOIZERS.test(name);
}

/** Names of functions that memoize or cache what the function they are given returns. */
export const MEMOIZERS = /memo|once|cache|cached|lazy|singleton/i;

/**
 * Per walk of one file: which expressions read cache state, so that code behind them runs once, not per invocation.
 * Cache state is a module-scope variable written from a function (`m.mutable`), `this.*` written by a long-lived
 * instance's class, a static property of a class of the file, `process.env.X` that the file (or a module it imports)
 * fills at run time, a local `const` computed from any of these, or a call of a helper of the file that reads them.
 */
export class CacheGuards {
  private importedEnvWrites: Set<string> | undefined;
  private readonly stateReaders = new Map<string, boolean>();

  constructor(private readonly m: FileModel, private readonly project: ProjectContext, private readonly locals: Map<ts.Node, Set<string>>) {}

  /** Whether `e`, in function `fn` (locals `loc`; `thisState`: cached `this.*` props, if any), reads cache state. */
  isCacheRef(e: ts.Node, fn: FnNode, loc: Set<string>, thisState: Set<string> | undefined, depth = 0): boolean {
    const m = this.m;
    const reads = (n: ts.Node): boolean => {
      if (thisState && tsv.isPropertyAccessExpression(n) && n.expression.kind === SK.ThisKeyword && thisState.has(n.name.text)) return true;
      // `if (!process.env.JWT_SECRET) await loadSecrets()` where the file sets process.env.JWT_SECRET: the
      // environment is the cache
      const env = processEnvName(n);
      if (env && this.envIsCache(env)) return true;
      // `if (!Cls.instance) Cls.instance = new Cls()`: a static property of a class of this file lives as long as the module
      if (tsv.isPropertyAccessExpression(n) && tsv.isIdentifier(n.expression) && !loc.has(n.expression.text) && m.classes.has(n.expression.text)) return true;
      // `if (isCached()) return cache`: a helper of this file that reads the module-scope cache state
      return tsv.isCallExpression(n) && tsv.isIdentifier(n.expression) && !loc.has(n.expression.text) && depth < 2
        && this.readsModuleState(n.expression.text);
    };
    let hit = false;
    walkTree(e, (n) => {
      if (reads(n)) { hit = true; return STOP; }
      if (!tsv.isIdentifier(n)) return true;
      hit = this.identifierIsCache(n, fn, loc, thisState, depth);
      return hit ? STOP : false;
    });
    return hit;
  }

  private identifierIsCache(n: ts.Identifier, fn: FnNode, loc: Set<string>, thisState: Set<string> | undefined, depth: number): boolean {
    const p = n.parent;
    if (p && tsv.isPropertyAccessExpression(p) && p.name === n) return false;
    if (this.m.mutable.has(n.text) && !loc.has(n.text)) return true;
    // `const valid = cache && expiresAt > Date.now(); if (valid) return cache;`, `let c = clients.get(region); if (!c) …`
    if (loc.has(n.text) && depth < 2) {
      const d = declarationIn(fn, n.text);
      return !!d?.initializer && this.isCacheRef(d.initializer, fn, loc, thisState, depth + 1);
    }
    return false;
  }

  /** `process.env.X` that this file, or a module it imports relatively, sets at run time (a loader's cache). */
  envIsCache(name: string): boolean {
    if (this.m.envWrites.has(name)) return true;
    if (!this.importedEnvWrites) {
      const found = this.importedEnvWrites = new Set();
      for (const b of this.m.imports.values()) {
        if (!b.module.startsWith('.')) continue;
        try {
          const ext = loadExternal(this.m.path, b.module, this.project);
          if (ext) { scanFile(ext.model); for (const w of ext.model.envWrites) found.add(w); }
        } catch { /* unreadable: nothing known */ }
      }
    }
    return this.importedEnvWrites.has(name);
  }

  /** Whether a top-level function of this file reads module-scope state written from a function (a cache). */
  private readsModuleState(name: string): boolean {
    const known = this.stateReaders.get(name);
    if (known !== undefined) return known;
    const m = this.m;
    this.stateReaders.set(name, false);
    const t = m.topFunctions.get(name);
    const r = t && !isMemoized(t) ? resolveFunction(m, t) : undefined;
    let hit = false;
    if (r && 'fn' in r && r.fn.body && m.mutable.size) {
      const own = localNames(r.fn, this.locals);
      walkTree(r.fn.body, (n) => {
        if (!tsv.isIdentifier(n)) return true;
        const p = n.parent;
        if (!(p && tsv.isPropertyAccessExpression(p) && p.name === n) && m.mutable.has(n.text) && !own.has(n.text)) hit = true;
        return hit ? STOP : false;
      });
    }
    this.stateReaders.set(name, hit);
    return hit;
  }
}
