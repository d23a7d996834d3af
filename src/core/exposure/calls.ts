// What built-in calls do to a value: JSON, Object, Promise, Buffer and util; string and array methods (masking windows
// and replacements included); promise callbacks; calls to the Parameters and Secrets Lambda Extension; `new Promise`
// executors; and callbacks handed to calls Keyway does not know.
import { type ts, tsv } from '../ts';
import type { Flow } from './flow';
import { isFunctionLike } from './scope';
import { extensionTaint, urlText } from './sources';
import { isMaskReplace, isMaskWindow, literalKey, propName, unwrap } from './syntax';
import { ANY, CLEAN, entries, fromEntries, isParam, parse, pick, prefix, read, stringify, union, type Taint } from './taint';

const SK = tsv.SyntaxKind;

/** Callback methods whose callback receives the receiver's elements (index of the element parameter). */
export const ELEMENT_CALLBACKS = new Map<string, number>(Object.entries({
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
export const GLOBAL_STRING = new Set(['String', 'decodeURIComponent', 'encodeURIComponent', 'decodeURI', 'encodeURI', 'atob', 'btoa', 'escape', 'unescape']);

export function methodCall(flow: Flow, c: ts.CallExpression, callee: ts.PropertyAccessExpression): Taint {
  const m = callee.name.text;
  const recvExpr = unwrap(callee.expression);
  const a0 = c.arguments[0];
  // globals (`JSON.parse`), and Node modules bound by import or require (`util.format`)
  const recvBinding = tsv.isIdentifier(recvExpr) ? flow.bindingOf(recvExpr) : undefined;
  const recvName = !tsv.isIdentifier(recvExpr) ? undefined
    : recvBinding ? (recvBinding.name === '*' || recvBinding.name === 'default' ? recvBinding.module.replace(/^node:/, '') : undefined)
      : flow.scopes.resolve(recvExpr) ? undefined : recvExpr.text;
  if (recvName) {
    switch (`${recvName}.${m}`) {
      case 'JSON.parse': return parse(flow.taint(a0));
      case 'JSON.stringify': {
        const rep = c.arguments[1] && unwrap(c.arguments[1]);
        const t = flow.taint(a0);
        if (rep && tsv.isArrayLiteralExpression(rep)) return stringify(pick(t, rep.elements.map((x) => literalKey(x) ?? '')));
        // a replacer function is how code redacts while it serialises
        if (rep && isFunctionLike(rep)) return CLEAN;
        return stringify(t);
      }
      case 'Object.assign': return flow.argsUnion(c);
      case 'Object.entries': return entries(flow.taint(a0));
      case 'Object.fromEntries': return fromEntries(flow.taint(a0));
      case 'Object.values': return read(flow.taint(a0), undefined).length ? prefix(read(flow.taint(a0), undefined), ANY) : CLEAN;
      case 'Object.freeze': case 'Object.seal': case 'Array.from': case 'Promise.resolve': case 'Promise.all': case 'Promise.allSettled':
      case 'Promise.race': case 'Promise.any':
        return flow.taint(a0);
      case 'Buffer.from': case 'Buffer.concat': return stringify(flow.taint(a0));
      case 'util.format': case 'util.inspect': return stringify(flow.argsUnion(c));
      case 'Object.keys': case 'Object.getOwnPropertyNames': return CLEAN;
    }
  }
  const recv = flow.taint(callee.expression);
  if (recv.length) {
    const primitive = recv.every((f) => !f.at.length && !isParam(f.origin));
    if (m === 'then') {
      const cb = a0 && unwrap(a0);
      return cb && isFunctionLike(cb) ? flow.returns(cb) : recv;
    }
    if (m === 'slice' || m === 'substring' || m === 'substr') return isMaskWindow(c, m) ? CLEAN : recv;
    if (m === 'replace' || m === 'replaceAll') return isMaskReplace(c) ? CLEAN : stringify(recv);
    if (m === 'concat') return primitive ? stringify(union(recv, flow.argsUnion(c))) : union(recv, flow.argsUnion(c));
    if (m === 'join') return stringify(read(recv, undefined));
    if (m === 'toString' || m === 'text' || m === 'decode' || m === 'toJSON') return m === 'decode' ? stringify(flow.taint(a0)) : stringify(recv);
    if (STRING_SAME.has(m)) return stringify(recv);
    if (m === 'map' || m === 'flatMap') {
      const cb = a0 && unwrap(a0);
      return cb && isFunctionLike(cb) ? prefix(flow.returns(cb), ANY) : CLEAN;
    }
    if (m === 'reduce' || m === 'reduceRight') {
      const cb = a0 && unwrap(a0);
      return union(cb && isFunctionLike(cb) ? flow.returns(cb) : CLEAN, flow.taint(c.arguments[1]));
    }
    if (ELEMENT_OF.has(m)) return primitive ? CLEAN : read(recv, m === 'get' ? (a0 && literalKey(a0)) : undefined);
    if (SAME_VALUE.has(m)) return recv;
  }
  // `new TextDecoder().decode(secretBinary)`
  if (m === 'decode' && a0) return stringify(flow.taint(a0));
  return flow.userCall(c);
}

/**
 * A request to the Parameters and Secrets Lambda Extension: a URL (`fetch('http://localhost:2773/…')`, axios, got), or
 * Node's `http.get/request({ port: 2773, path: '/secretsmanager/get?…' }, cb)`.
 */
export function extensionCall(flow: Flow, c: ts.CallExpression): Taint | undefined {
  const a0 = c.arguments[0];
  if (!a0 || c.arguments.length > 3) return undefined;
  const constText = (id: ts.Identifier) => flow.constInit(id);
  let url = urlText(a0, constText);
  if (url === undefined) {
    let o = unwrap(a0);
    if (tsv.isIdentifier(o)) { const init = flow.constInit(o); if (init) o = unwrap(init); }
    if (tsv.isObjectLiteralExpression(o)) {
      const prop = (name: string) => {
        const p = o.kind === SK.ObjectLiteralExpression ? (o as ts.ObjectLiteralExpression).properties.find((x) => propName(x.name) === name) : undefined;
        return p && tsv.isPropertyAssignment(p) ? urlText(p.initializer, constText) ?? (tsv.isNumericLiteral(unwrap(p.initializer)) ? (unwrap(p.initializer) as ts.NumericLiteral).text : undefined) : undefined;
      };
      const path = prop('path');
      if (path !== undefined) url = `http://${prop('hostname') ?? prop('host') ?? 'localhost'}:${prop('port') ?? ''}${path}`;
    }
  }
  return url === undefined ? undefined : extensionTaint(url, flow.options);
}

/** `new Promise((resolve) => … resolve(value) …)`: what the executor resolves with. */
export function promiseValue(flow: Flow, n: ts.NewExpression): Taint {
  const exec = n.arguments?.[0] && unwrap(n.arguments[0]);
  if (!exec || !isFunctionLike(exec)) return CLEAN;
  const resolveParam = exec.parameters[0];
  if (!resolveParam || !tsv.isIdentifier(resolveParam.name)) return CLEAN;
  let t: Taint = CLEAN;
  for (const c of flow.nodes.calls) {
    if (c.pos < exec.pos || c.end > exec.end || !c.arguments.length) continue;
    const callee = unwrap(c.expression);
    if (!tsv.isIdentifier(callee) || callee.text !== resolveParam.name.text) continue;
    if (flow.scopes.resolve(callee)?.node === resolveParam) t = union(t, flow.taint(c.arguments[0]));
  }
  return t;
}

/**
 * A call Keyway does not know, given functions written inline (`pRetry(() => fetch())`, `cache.wrap(key, () => load())`,
 * `ids.map((id) => read(id))`): what those functions return is what such wrappers and mappers hand back.
 */
export function callbackResults(flow: Flow, c: ts.CallExpression): Taint {
  let t: Taint = CLEAN;
  const callee = unwrap(c.expression);
  const mapper = tsv.isPropertyAccessExpression(callee) && (callee.name.text === 'map' || callee.name.text === 'flatMap');
  for (const a of c.arguments) {
    const u = unwrap(a);
    if (isFunctionLike(u)) t = union(t, flow.returns(u));
  }
  return mapper ? prefix(t, ANY) : t;
}
