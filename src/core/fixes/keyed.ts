// uncached-fetch fix for fetches whose request depends on the call (`Name: name`, `SecretId: event.id`): route the
// fetch through a module-scope cache keyed by operation and request, with a TTL (`cachedFetch`, shared by every
// such fetch of the file). Cached responses are frozen, so a handler cannot change one for the next invocation.
// Used when the constant-request loader (loader.ts) does not apply.
import { tsv, type ts } from '../ts';
import type { FetchCall, FileModel } from '../lambda/model';
import { findProp } from '../lambda/model';
import { secureNames } from '../lambda/secure';
import type { Fix, SourceContext } from '../types';
import { applyOffsetEdits } from './apply';
import { upperOf } from './clients';
import { declaredIn, enclosingFunctions, moduleInsertion, parentSkippingParens, readsLocals, topLevelStatement } from './common';
import { propertyInsertion } from './decryption';
import { isMutated } from './handlerCode';
import { planToFix, refTo, type FixPlan } from './plan';
import { cachedFetchDecl, fetchCacheDecl, freezeDecl, ttlDecl, type RuntimeContext } from './runtime';
import { detectStyle } from './style';

/** The variable an awaited fetch is stored in (`const res = await fetch`), if any. */
function boundName(f: FetchCall): string | undefined {
  const p = parentSkippingParens(f.expr);
  if (!tsv.isAwaitExpression(p)) return undefined;
  const d = parentSkippingParens(p);
  return tsv.isVariableDeclaration(d) && tsv.isIdentifier(d.name) ? d.name.text : undefined;
}

export function keyedCachePlan(ctx: SourceContext, m: FileModel, f: FetchCall): FixPlan | undefined {
  if (f.callback || f.style === 'powertools') return undefined;
  if (f.style === 'v2' && f.expr === f.call) return undefined;
  const sf = ctx.sourceFile;
  const text = ctx.text;
  const around = enclosingFunctions(f.call);
  if (!around.length) return undefined;
  let recv = f.receiver;
  while (recv && (tsv.isParenthesizedExpression(recv) || tsv.isNonNullExpression(recv))) recv = recv.expression;
  // The client must already live at module scope (client-in-handler moves it first).
  if (!recv || !tsv.isIdentifier(recv) || readsLocals(recv, around) || !m.moduleNames.has(recv.text)) return undefined;
  // The request argument: the command's input (v3) or the params (v2 / aggregated).
  let inputArg: ts.Expression | undefined;
  const start = f.expr.getStart(sf);
  if (f.style === 'v3') {
    if (!f.command || f.command.parent !== f.call || (f.command.arguments?.length ?? 0) !== 1) return undefined;
    inputArg = f.command.arguments![0];
  } else {
    if (f.call.arguments.length !== 1) return undefined;
    inputArg = f.call.arguments[0];
  }
  if (readsLocals(f.call.expression, around)) return undefined;
  // A handler that changes the (shared, frozen) response would fail: leave it.
  const bound = boundName(f);
  if (bound && isMutated(around[0].body ?? around[0], bound)) return undefined;
  const style = detectStyle(sf, ctx.path);
  const top = topLevelStatement(f.call);
  if (!top) return undefined;
  const lower = moduleInsertion(sf, new Set(), top);
  if (!lower) return undefined;
  // loader: the original expression with the request replaced by `input`
  const local = new Set<string>();
  for (const fn of around) for (const n of declaredIn(fn)) local.add(n);
  const param = ['input', 'request', 'params', 'req'].find((n) => !local.has(n) && !text.includes(n)) ?? 'input';
  const loaderText = applyOffsetEdits(text.slice(start, f.expr.end), [{ start: inputArg.getStart(sf) - start, end: inputArg.end - start, newText: param }]);
  let inputText = text.slice(inputArg.getStart(sf), inputArg.end);
  if (f.input && f.inputInline && f.service === 'ssm' && !findProp(f.input, 'WithDecryption') && secureNames(f, ctx.parameterKind, ctx.config.secretWords)) {
    const ins = propertyInsertion(text, sf, f.input, 'WithDecryption', 'true');
    const s0 = inputArg.getStart(sf);
    inputText = applyOffsetEdits(inputText, [{ ...ins, start: ins.start - s0, end: ins.end - s0 }]);
  }
  const rc: RuntimeContext = { sf, text, style, ttlSeconds: ctx.config.cacheTtlSeconds, lower, upper: upperOf(ctx, top) };
  const resolved = new Map<string, string>();
  const ttl = ttlDecl(rc, resolved);
  const freeze = freezeDecl(rc, resolved);
  const map = fetchCacheDecl(rc, resolved);
  const helper = cachedFetchDecl(rc, ttl.key, freeze.key, map.key, resolved);
  const blocked = [...local];
  helper.blocked = blocked;
  const call = `${refTo(helper.key)}(${style.quote}${f.op}${style.quote}, ${inputText}, (${param}) => ${loaderText})`;
  return {
    title: 'Cache this fetch per request at module scope (keyed, with a TTL)',
    edits: [{ start, end: f.expr.end, text: call }],
    decls: [ttl, freeze, map, helper],
    style,
  };
}

export function keyedCacheFix(ctx: SourceContext, m: FileModel, f: FetchCall): Fix | undefined {
  const plan = keyedCachePlan(ctx, m, f);
  return plan && planToFix(ctx, plan);
}
