// What a call calls: a function of this file (declared, assigned, memoized, an object or class method, a method of an
// instance or a static factory's result) or an export of a relative module; and what an export of this file is.
import { type ts, tsv } from '../ts';
import type { Flow } from './flow';
import { isFunctionLike, type FunctionLike } from './scope';
import { classMethod, classOf, propName, unwrap, type ClassNode } from './syntax';
import type { Target } from './types';

const SK = tsv.SyntaxKind;

/** Memoizing wrappers: `memoize(async () => …)` returns what the function returns. */
const MEMOIZER = /memo|once|cache|cached|lazy|singleton|pMemoize/i;

/** What a callee denotes: a function of this file (declared, assigned, memoized, a method) or an export of a relative module. */
export function resolveTarget(flow: Flow, calleeExpr: ts.Expression, depth = 0): Target | undefined {
  if (depth > 4) return undefined;
  const callee = unwrap(calleeExpr);
  if (tsv.isIdentifier(callee)) {
    const d = flow.scopes.resolve(callee);
    if (!d) return undefined;
    if (d.kind === 'function' && isFunctionLike(d.node)) return { kind: 'local', fn: d.node, name: callee.text };
    const b = flow.binding(d);
    if (b) return b.module.startsWith('.') ? { kind: 'import', module: b.module, name: b.name === '*' ? 'default' : b.name, label: callee.text } : undefined;
    if (d.kind === 'var' && tsv.isVariableDeclaration(d.node) && d.node.name === d.id && d.node.initializer) {
      const fn = functionOf(flow, d.node.initializer, depth);
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
    const d = flow.scopes.resolve(obj);
    if (!d) return undefined;
    const b = flow.binding(d);
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
            const fn = functionOf(flow, p.initializer, depth);
            return fn && fn.kind === 'local' ? { ...fn, name: `${obj.text}.${m}` } : fn;
          }
          if (tsv.isShorthandPropertyAssignment(p)) return resolveTarget(flow, p.name, depth + 1);
        }
      }
      // an instance: `new Cls()`, or a static factory `Cls.getInstance()`
      const cls = tsv.isNewExpression(init) ? unwrap(init.expression)
        : tsv.isCallExpression(init) && tsv.isPropertyAccessExpression(unwrap(init.expression)) ? unwrap((unwrap(init.expression) as ts.PropertyAccessExpression).expression) : undefined;
      if (cls && tsv.isIdentifier(cls)) {
        const cd = flow.scopes.resolve(cls);
        if (cd?.kind === 'class' && (tsv.isClassDeclaration(cd.node) || tsv.isClassExpression(cd.node))) {
          const fn = classMethod(cd.node, m);
          return fn ? { kind: 'local', fn, name: `${obj.text}.${m}` } : undefined;
        }
        const cb = cd && flow.binding(cd);
        if (cb && cb.module.startsWith('.')) return { kind: 'import', module: cb.module, name: cb.name === '*' ? 'default' : cb.name, member: m, label: `${obj.text}.${m}` };
      }
    }
  }
  return undefined;
}

/** The function an initializer is: a function expression, an alias, or a memoized function. */
export function functionOf(flow: Flow, init: ts.Expression, depth: number): Target | undefined {
  const u = unwrap(init);
  if (isFunctionLike(u)) return { kind: 'local', fn: u, name: '' };
  if (tsv.isIdentifier(u)) return resolveTarget(flow, u, depth + 1);
  if (tsv.isCallExpression(u)) {
    const callee = unwrap(u.expression);
    const name = tsv.isIdentifier(callee) ? callee.text : tsv.isPropertyAccessExpression(callee) ? callee.name.text : '';
    if (MEMOIZER.test(name)) {
      for (const a of u.arguments) {
        const fa = unwrap(a);
        if (isFunctionLike(fa)) return { kind: 'local', fn: fa, name: '' };
        if (tsv.isIdentifier(fa)) return resolveTarget(flow, fa, depth + 1);
      }
    }
  }
  return undefined;
}

/** The function an export denotes (for calls from another module), following `export { f }`, aliases and memoizers. */
export function exportedFunction(flow: Flow, name: string, member?: string): FunctionLike | undefined {
  const node = flow.fm.exports.get(name);
  if (!node) return undefined;
  let u: ts.Node = node;
  if (tsv.isExpression(u as ts.Expression)) u = unwrap(u as ts.Expression);
  if (member !== undefined) {
    let cls: ClassNode | undefined;
    if (tsv.isClassDeclaration(u) || tsv.isClassExpression(u)) cls = u;
    else if (tsv.isIdentifier(u)) { const d = flow.scopes.lookup(u.text, u); if (d?.kind === 'class') cls = d.node as ClassNode; }
    if (cls) return classMethod(cls, member);
    if (tsv.isObjectLiteralExpression(u)) {
      for (const p of u.properties) {
        if (propName(p.name) !== member) continue;
        if (tsv.isMethodDeclaration(p)) return p;
        if (tsv.isPropertyAssignment(p)) { const t = functionOf(flow, p.initializer, 0); return t?.kind === 'local' ? t.fn : undefined; }
        if (tsv.isShorthandPropertyAssignment(p)) { const t = resolveTarget(flow, p.name); return t?.kind === 'local' ? t.fn : undefined; }
      }
    }
    // `export const secrets = new SecretsClient()`: a method of its class
    if (tsv.isNewExpression(u) && tsv.isIdentifier(u.expression)) {
      const d = flow.scopes.lookup(u.expression.text, u.expression);
      if (d?.kind === 'class') return classMethod(d.node as ClassNode, member);
    }
    return undefined;
  }
  if (isFunctionLike(u)) return u;
  if (tsv.isIdentifier(u)) { const t = resolveTarget(flow, u); return t?.kind === 'local' ? t.fn : undefined; }
  const t = functionOf(flow, u as ts.Expression, 0);
  return t?.kind === 'local' ? t.fn : undefined;
}
