// uncached-fetch fix for fetches whose request depends on the call (`Name: name`, `SecretId: event.id`): route the
// fetch through a module-scope cache keyed by operation and request, with a TTL. Used when the constant-request
// loader (loader.ts) does not apply.
import { ts, tsv } from '../ts';
import type { FetchCall, FileModel } from '../lambda/model';
import { findProp } from '../lambda/model';
import { secureNames } from '../lambda/secure';
import type { Fix, SourceContext, TextEdit } from '../types';
import { applyOffsetEdits } from './apply';
import { editReplace, enclosingFunctions, freshName, usedNames, readsLocals, topLevelStatement } from './common';
import { propertyInsertion } from './decryption';
import { detectStyle } from './style';

const HELPER = 'cachedFetch';

export function keyedCacheFix(ctx: SourceContext, m: FileModel, f: FetchCall): Fix | undefined {
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
  const style = detectStyle(sf, ctx.path);
  const top = topLevelStatement(f.call);
  if (!top) return undefined;
  // loader: the original expression with the request replaced by `input`
  const used = usedNames(sf);
  const param = used.has('input') ? freshName('request', used) : 'input';
  const loaderText = applyOffsetEdits(text.slice(start, f.expr.end), [{ start: inputArg.getStart(sf) - start, end: inputArg.end - start, newText: param }]);
  let inputText = text.slice(inputArg.getStart(sf), inputArg.end);
  if (f.input && f.inputInline && f.service === 'ssm' && !findProp(f.input, 'WithDecryption') && secureNames(f, ctx.parameterKind, ctx.config.secretWords)) {
    const ins = propertyInsertion(text, sf, f.input, 'WithDecryption', 'true');
    const s0 = inputArg.getStart(sf);
    inputText = applyOffsetEdits(inputText, [{ ...ins, start: ins.start - s0, end: ins.end - s0 }]);
  }
  const edits: TextEdit[] = [];
  let helper = HELPER;
  const existing = m.topFunctions.get(HELPER);
  const reuse = !!existing && tsv.isFunctionDeclaration(existing) && existing.parameters.length === 3;
  if (!reuse) {
    helper = freshName(HELPER, used);
    const cacheName = freshName('fetchCache', used);
    const ttlName = freshName('FETCH_TTL_MS', used);
    const ttl = Math.max(1, Math.round(Number(ctx.config.cacheTtlSeconds) || 300));
    const semi = style.semi ? ';' : '';
    const I = style.indent;
    const q = style.quote;
    const nl = style.eol;
    const TS = style.typescript;
    const lines = [
      `const ${ttlName} = ${ttl} * 1000${semi}`,
      TS ? `const ${cacheName} = new Map<string, { expiresAt: number; value: Promise<unknown> }>()${semi}`
        : `const ${cacheName} = new Map()${semi}`,
      '',
      `/** Caches each request's response per Lambda container for ${ttl} s; a failed request is retried on the next call. */`,
      TS ? `function ${helper}<I, T>(operation: string, input: I, load: (input: I) => Promise<T>): Promise<T> {`
        : `function ${helper}(operation, input, load) {`,
      `${I}const key = operation + ${q}:${q} + JSON.stringify(input)${semi}`,
      `${I}const now = Date.now()${semi}`,
      `${I}const hit = ${cacheName}.get(key)${semi}`,
      `${I}if (hit && hit.expiresAt > now) return hit.value${TS ? ' as Promise<T>' : ''}${semi}`,
      `${I}const value = load(input)${semi}`,
      `${I}${cacheName}.set(key, { expiresAt: now + ${ttlName}, value })${semi}`,
      `${I}value.catch(() => {`,
      `${I}${I}if (${cacheName}.get(key)?.value === value) ${cacheName}.delete(key)${semi}`,
      `${I}})${semi}`,
      `${I}return value${semi}`,
      '}',
    ];
    const leading = ts.getLeadingCommentRanges(text, top.getFullStart());
    const at = leading && leading.length ? leading[0].pos : top.getStart(sf);
    const before = text.slice(Math.max(0, at - 2), at).replace(/\r/g, '');
    const pre = at === 0 || before === '\n\n' || before.endsWith('\n\n') ? '' : nl;
    edits.push(editReplace(ctx, at, at, pre + lines.join(nl) + nl + nl));
  }
  const call = `${helper}(${style.quote}${f.op}${style.quote}, ${inputText}, (${param}) => ${loaderText})`;
  edits.push(editReplace(ctx, start, f.expr.end, call));
  return { title: `Cache this fetch per request at module scope (keyed, with a TTL)`, edits, isPreferred: true };
}
