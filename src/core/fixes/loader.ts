// uncached-fetch fix: the per-invocation fetches of one function become a module-scope loader named after what
// it loads (`loadOrdersConfig`), built on the shared `cached` helper (TTL, one load for concurrent callers, retry
// after a failure), awaited by the function. The loader caches plain values, not SDK responses: the parameter's
// `Value`, the secret's `SecretString`, or the parsed secret frozen (`freezeDeep`), so a handler cannot change
// what the next invocation gets. A response the handler reads beyond its value is cached frozen.
import { tsv, type ts } from '../ts';
import type { FetchCall, LambdaModel } from '../lambda/model';
import type { Fix, SourceContext } from '../types';
import { upperOf, type ClientPlan } from './clients';
import {
  declaredIn, deleteStatementOffsets, enclosingFunction, enclosingFunctions, moduleInsertion, parentSkippingParens,
  referencedNames, topLevelStatement, type FnLike,
} from './common';
import { blocksOf, countRefs, identifierRefs, isAsync, isMutated, isPlainPath, jsonParseOf, valueChain } from './handlerCode';
import { buildEntry, requestCleanup, type Built, type Entry, type UsedClient } from './loaderEntry';
import { isGenericBinding, loaderNames, valueNames } from './naming';
import { moduleTakenNames, planToFix, refTo, type FixPlan, type PlanDecl, type PlanEdit } from './plan';
import { powertoolsRewrite } from './powertools';
import { cachedDecl, freezeDecl, ttlDecl, type RuntimeContext } from './runtime';
import { detectStyle, lineIndentAt, reindent, type CodeStyle } from './style';

export type { Entry, UsedClient } from './loaderEntry';

/** The `Promise.all([...])` call whose array holds exactly the entries' fetches, in order (and is awaited). */
function wholePromiseAll(entries: Entry[]): ts.CallExpression | undefined {
  if (entries.length < 2 || entries.some((e) => e.siteIsAwait || e.removable)) return undefined;
  const arr = entries[0].site.parent;
  if (!arr || !tsv.isArrayLiteralExpression(arr) || arr.elements.length !== entries.length) return undefined;
  if (!entries.every((e, i) => arr.elements[i] === e.site)) return undefined;
  const call = arr.parent;
  if (!call || !tsv.isCallExpression(call) || call.arguments.length !== 1 || !tsv.isPropertyAccessExpression(call.expression)
    || call.expression.name.text !== 'all' || !tsv.isIdentifier(call.expression.expression) || call.expression.expression.text !== 'Promise') return undefined;
  return tsv.isAwaitExpression(parentSkippingParens(call)) ? call : undefined;
}

/** `const [a, b] = await Promise.all([...])`: the element names, when the pattern is that simple. */
function promiseAllNames(all: ts.CallExpression, count: number): string[] | undefined {
  const d = parentSkippingParens(parentSkippingParens(all));
  if (!tsv.isVariableDeclaration(d) || !tsv.isArrayBindingPattern(d.name) || d.name.elements.length !== count || d.type) return undefined;
  const out: string[] = [];
  for (const el of d.name.elements) {
    if (tsv.isOmittedExpression(el) || el.dotDotDotToken || el.initializer || !tsv.isIdentifier(el.name)) return undefined;
    out.push(el.name.text);
  }
  return out;
}

/** The per-invocation fetches of `fn`, in source order (grouped once per model: a file may have hundreds of handlers). */
function fetchesOf(model: LambdaModel, fn: ts.Node): FetchCall[] {
  if (!model.fetchesByFunction) {
    const by = new Map<ts.Node | undefined, FetchCall[]>();
    for (const f of model.reach.fetches.keys()) {
      const owner = enclosingFunction(f.call);
      const list = by.get(owner);
      if (list) list.push(f); else by.set(owner, [f]);
    }
    for (const list of by.values()) list.sort((a, b) => a.call.pos - b.call.pos);
    model.fetchesByFunction = by;
  }
  return model.fetchesByFunction.get(fn) ?? [];
}


/**
 * How the function uses each fetched value: only the value (cache the value), a parsed secret (cache it parsed
 * and frozen), or the response itself (cache it frozen). False when a value cannot be cached safely (the
 * function changes a response it would share).
 */
function chooseModes(ctx: SourceContext, fn: FnLike, entries: Entry[], all: ts.CallExpression | undefined): boolean {
  const body = fn.body!;
  const bindingMode = (e: Entry, name: string): boolean => {
    const refs = identifierRefs(body, name);
    const chains = refs.map((r) => valueChain(r, e.f));
    if (refs.length && chains.every(Boolean)) { e.mode = 'value'; e.uses = chains as ts.Node[]; return true; }
    e.mode = 'response';
    return !isMutated(body, name);
  };
  if (all) {
    const names = promiseAllNames(all, entries.length);
    return entries.every((e, i) => (names ? bindingMode(e, names[i]) : (e.mode = 'response', true)));
  }
  for (const e of entries) {
    if (e.removable && e.binding) {
      const parsed = jsonParseOf(e.f, e.removable, e.binding, fn, ctx.sourceFile, ctx.text);
      if (parsed && !parsed.names.some((n) => isMutated(body, n))) { e.mode = 'parsed'; e.parsed = parsed; continue; }
      if (!bindingMode(e, e.binding)) return false;
      continue;
    }
    const chain = e.siteIsAwait ? valueChain(e.site, e.f) : undefined;
    if (chain) { e.mode = 'value'; e.uses = [chain]; } else e.mode = 'response';
  }
  return true;
}

/** Names the function gives the loaded values. */
function chooseNames(ctx: SourceContext, fn: FnLike, entries: Entry[], all: ts.CallExpression | undefined): void {
  const declared = declaredIn(fn);
  const referenced = referencedNames(fn.body!).names;
  const moduleTaken = moduleTakenNames(ctx.sourceFile);
  const local = { has: (n: string) => declared.has(n) || referenced.has(n) || moduleTaken.has(n) };
  const given = new Set<string>();
  const pick = (cands: string[], fallback: string) => {
    const n = cands.find((c) => !local.has(c) && !given.has(c)) ?? fallback;
    given.add(n);
    return n;
  };
  const allNames = all ? promiseAllNames(all, entries.length) : undefined;
  entries.forEach((e, i) => {
    if (allNames) { e.name = allNames[i]; return; }
    if (e.mode === 'parsed') { e.name = e.parsed!.bindingText; for (const n of e.parsed!.names) given.add(n); return; }
    if (e.binding) {
      // `const response = await …` holding just a value gets the value's name.
      e.name = e.mode === 'value' && isGenericBinding(e.binding) ? pick(valueNames(e.f), e.binding) : e.binding;
      given.add(e.name);
      return;
    }
    let fallback = 'loadedValue';
    for (let k = 2; local.has(fallback) || given.has(fallback); k++) fallback = `loadedValue${k}`;
    e.name = pick(valueNames(e.f), fallback);
  });
}

/** What the loader returns for an entry whose response is in `v`: the value, the parsed secret (frozen), or the response (frozen). */
function cachedForm(e: Entry, v: string, style: { typescript: boolean }, freeze: string): string {
  if (e.mode === 'value') return e.f.op === 'GetSecretValue' ? `${v}.SecretString` : `${v}.Parameter?.Value`;
  if (e.mode === 'parsed') {
    const p = e.parsed!;
    return `${freeze}(${p.parseText}${style.typescript && p.typeText ? ` as ${p.typeText}` : ''})`;
  }
  return `${freeze}(${v})`;
}

/**
 * The loader's body: an async function that fetches (in parallel when there are several) and returns what is
 * cached. Written with variables, not `.then((response) => …)` callbacks, so no parameter needs a type.
 */
function loaderBody(entries: Entry[], style: CodeStyle, freeze: string, taken: Set<string>): string {
  const I = style.indent;
  const nl = style.eol;
  const semi = style.semi ? ';' : '';
  const used = new Set(taken);
  const varOf = (e: Entry, i: number) => {
    if (e.mode === 'parsed') { used.add(e.binding!); return e.binding!; }
    const base = entries.length === 1 ? 'response' : `${(e.name ?? '').replace(/[^\w$]/g, '') || `value${i + 1}`}Response`;
    let n = base;
    for (let k = 2; used.has(n); k++) n = `${base}${k}`;
    used.add(n);
    return n;
  };
  const vars = entries.map(varOf);
  const lines: string[] = ['async () => {'];
  if (entries.length === 1) {
    lines.push(`${I}const ${vars[0]} = await ${reindent(entries[0].text, '', I)}${semi}`);
    lines.push(`${I}return ${cachedForm(entries[0], vars[0], style, freeze)}${semi}`);
  } else {
    lines.push(`${I}const [${vars.join(', ')}] = await Promise.all([`);
    entries.forEach((e, i) => lines.push(`${I}${I}${reindent(e.text, '', I + I)}${i < entries.length - 1 || style.trailingComma ? ',' : ''}`));
    lines.push(`${I}])${semi}`);
    const values = entries.map((e, i) => cachedForm(e, vars[i], style, freeze));
    const asConst = style.typescript ? ' as const' : '';
    const oneLine = `${I}return [${values.join(', ')}]${asConst}${semi}`;
    if (oneLine.length <= 100 && !values.some((v) => v.includes('\n'))) lines.push(oneLine);
    else {
      lines.push(`${I}return [`);
      values.forEach((v, i) => lines.push(`${I}${I}${reindent(v, '', I + I)}${i < values.length - 1 || style.trailingComma ? ',' : ''}`));
      lines.push(`${I}]${asConst}${semi}`);
    }
  }
  lines.push('}');
  return lines.join(nl);
}

function describeNames(entries: Entry[]): string {
  const names = [...new Set(entries.flatMap((e) => e.f.names))].map((n) => n.replace(/\*\//g, '*\\/'));
  if (!names.length) return 'these values';
  return names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '');
}

/** The deepest block that holds every fetch, with no condition/loop/try between it and each fetch. */
function commonBlock(fn: FnLike, list: Entry[]): ts.Block {
  const chains = list.map((e) => blocksOf(e.site, fn));
  let block: ts.Block = fn.body as ts.Block;
  for (let i = 0; ; i++) {
    const b = chains[0][i];
    if (!b || !chains.every((c) => c[i] === b)) break;
    block = b;
  }
  return block;
}

interface Gathered { entries: Entry[]; built: Map<Entry, Built>; anchor?: ts.Statement }

/**
 * The fetches of `fn` that one loader can take together with `f0`, and the statement the loaded values are awaited
 * before (none for a concise arrow body: its one fetch is replaced in place).
 */
function gatherEntries(ctx: SourceContext, model: LambdaModel, fn: FnLike, f0: FetchCall): Gathered | undefined {
  const clientPlans = new Map<ts.Node, ClientPlan | null>();
  const built = new Map<Entry, Built>();
  let entries: Entry[] = [];
  for (const f of fetchesOf(model, fn)) {
    const b = buildEntry(ctx, model.file, fn, f, clientPlans);
    if (b) { entries.push(b.entry); built.set(b.entry, b); }
  }
  if (!entries.some((e) => e.f === f0)) return undefined;
  if (!tsv.isBlock(fn.body!)) return entries.length === 1 && entries[0].siteIsAwait ? { entries, built } : undefined;
  const outer = commonBlock(fn, entries);
  entries = entries.filter((e) => isPlainPath(e.site, outer));
  if (!entries.some((e) => e.f === f0)) return undefined;
  const block = commonBlock(fn, entries);
  const anchor = block.statements.find((s) => s.pos <= entries[0].site.pos && entries[0].site.end <= s.end);
  return anchor ? { entries, built, anchor } : undefined;
}

/** The clients the loader uses (one per key); a client declared in the function moves to module scope. */
function usedClientsOf(g: Gathered): Map<string, UsedClient> {
  const usedClients = new Map<string, UsedClient>();
  for (const e of g.entries) {
    const b = g.built.get(e)!;
    if (!b.client) continue;
    const u = usedClients.get(b.client.key) ?? { plan: b.client, inline: true, uses: 0 };
    u.inline &&= !!b.inlineClient;
    u.uses++;
    usedClients.set(b.client.key, u);
  }
  return usedClients;
}

interface LoaderDecls { decls: PlanDecl[]; loaderKey: string }

/** The module-scope declarations: TTL, `cached`, `freezeDeep` when needed, the clients, and the loader itself. */
function loaderDecls(ctx: SourceContext, fn: FnLike, top: ts.Statement, f0: FetchCall, entries: Entry[],
  usedClients: Map<string, UsedClient>, style: CodeStyle): LoaderDecls | undefined {
  const sf = ctx.sourceFile;
  // Module-scope placement must come after what the loader reads.
  const needs = new Set<string>();
  for (const e of entries) for (const n of e.needs) needs.add(n);
  const lower = moduleInsertion(sf, needs, top);
  if (!lower) return undefined;
  const upper = upperOf(ctx, top);
  const rc: RuntimeContext = { sf, text: ctx.text, style, ttlSeconds: ctx.config.cacheTtlSeconds, lower: moduleInsertion(sf, new Set(), top)!, upper };
  const resolved = new Map<string, string>();
  const ttl = ttlDecl(rc, resolved);
  const cached = cachedDecl(rc, ttl.key, resolved);
  const decls: PlanDecl[] = [ttl, cached];
  let freeze: PlanDecl | undefined;
  if (entries.some((e) => e.mode !== 'value')) decls.push(freeze = freezeDecl(rc, resolved));
  // The loader's local names must not hide what its fetches read (the request's names, the clients).
  const taken = new Set<string>();
  for (const e of entries) {
    for (const n of e.needs) taken.add(n);
    for (const m of e.text.matchAll(/[A-Za-z_$][\w$]*/g)) taken.add(m[0]);
  }
  const body = loaderBody(entries, style, freeze ? refTo(freeze.key) : '', taken);
  const loaderKey = 'loader:' + body.replace(/\s+/g, ' ').replace(/\u0001/g, '@');
  const code = [
    `/** ${describeNames(entries)}: read once per Lambda container and again after ${refTo(ttl.key)} (see ${refTo(cached.key)}). */`,
    `const ${refTo(loaderKey)} = ${refTo(cached.key)}(${body})${style.semi ? ';' : ''}`,
  ].join(style.eol);
  const blocked = new Set<string>();
  for (const f of enclosingFunctions(f0.call)) for (const n of declaredIn(f)) blocked.add(n);
  for (const e of entries) for (const n of (e.name ?? '').split(/[^\w$]+/)) if (n) blocked.add(n);
  const loader: PlanDecl = {
    key: loaderKey, kind: 'loader', names: loaderNames(entries.map((e) => e.f), fn, ctx.path), code,
    lower, upper, blocked: [...blocked],
  };
  const valueNamesHere = entries.flatMap((e) => (e.name ?? '').split(/[^\w$]+/).filter(Boolean));
  for (const u of usedClients.values()) {
    const d = u.plan.decl;
    decls.push({ ...d, blocked: [...new Set([...d.blocked, ...valueNamesHere])] });
  }
  decls.push(loader);
  return { decls, loaderKey };
}

/** The edits in the function: the values awaited from the loader, the absorbed statements removed, the uses renamed. */
function siteEdits(ctx: SourceContext, fn: FnLike, g: Gathered, all: ts.CallExpression | undefined, loaderKey: string,
  usedClients: Map<string, UsedClient>, style: CodeStyle): PlanEdit[] {
  const sf = ctx.sourceFile;
  const text = ctx.text;
  const { entries, anchor } = g;
  const edits: PlanEdit[] = [];
  const edit = (n: ts.Node, newText: string) => {
    // `{ table: table.Parameter?.Value }` → `{ table }`
    const p = n.parent;
    if (tsv.isPropertyAssignment(p) && p.initializer === n && tsv.isIdentifier(p.name) && p.name.text === newText) {
      edits.push({ start: p.getStart(sf), end: p.end, text: newText });
    } else edits.push({ start: n.getStart(sf), end: n.end, text: newText });
  };
  const remove = (st: ts.Statement) => { const d = deleteStatementOffsets(text, sf, st); edits.push({ start: d.start, end: d.end, text: '' }); };
  const call = `${refTo(loaderKey)}()`;
  const semi = style.semi ? ';' : '';
  if (!anchor) {
    const e = entries[0];
    edit(e.mode === 'value' ? e.uses[0] : e.site, `(await ${call})`);
  } else if (all) {
    edit(all, call);
    for (const e of entries) for (const u of e.uses) edit(u, e.name!);
  } else {
    const indent = lineIndentAt(text, anchor.getStart(sf));
    const decl = entries.length === 1 ? `const ${entries[0].name} = await ${call}${semi}` : `const [${entries.map((e) => e.name).join(', ')}] = await ${call}${semi}`;
    if (entries.some((e) => e.removable === anchor)) edits.push({ start: anchor.getStart(sf), end: anchor.end, text: decl });
    else edits.push({ start: anchor.getStart(sf), end: anchor.getStart(sf), text: decl + style.eol + indent });
    for (const e of entries) {
      if (e.removable) {
        if (e.removable !== anchor) remove(e.removable);
        if (e.mode === 'parsed') remove(e.parsed!.decl);
        else if (e.mode === 'value') for (const u of e.uses) edit(u, e.name!);
        continue;
      }
      if (e.mode === 'value') edit(e.uses[0], e.name!);
      else edit(e.site, e.siteIsAwait ? e.name! : `Promise.resolve(${e.name})`);
    }
  }
  edits.push(...requestCleanup(ctx, fn, entries));
  for (const u of usedClients.values()) {
    if (u.inline) continue;
    // A local client only the moved fetches used goes; one still used becomes the module-scope client (or an alias of it).
    for (const e of u.plan.edits) {
      if (e.bind && countRefs(fn.body!, e.bind.local) === u.uses) edits.push({ start: e.start, end: e.end, text: '' });
      else edits.push(e);
    }
  }
  return edits;
}

export function cachedLoaderPlan(ctx: SourceContext, model: LambdaModel, f0: FetchCall): FixPlan | undefined {
  const fn = enclosingFunction(f0.call);
  if (!fn || !fn.body || !isAsync(fn)) return undefined;
  const top = topLevelStatement(fn);
  if (!top) return undefined;
  const style = detectStyle(ctx.sourceFile, ctx.path);
  const g = gatherEntries(ctx, model, fn, f0);
  if (!g) return undefined;
  const { entries, anchor } = g;
  const usedClients = usedClientsOf(g);
  if (anchor && ctx.project.dependenciesOf(ctx.path).has('@aws-lambda-powertools/parameters')) {
    const pt = powertoolsRewrite(ctx, model.file, fn, top, anchor, entries, usedClients, requestCleanup(ctx, fn, entries));
    if (pt) return pt;
  }
  const all = wholePromiseAll(entries);
  if (!chooseModes(ctx, fn, entries, all)) return undefined;
  chooseNames(ctx, fn, entries, all);
  const d = loaderDecls(ctx, fn, top, f0, entries, usedClients, style);
  if (!d) return undefined;
  const edits = siteEdits(ctx, fn, g, all, d.loaderKey, usedClients, style);
  const ttlSeconds = Math.max(1, Math.round(Number(ctx.config.cacheTtlSeconds) || 300));
  return {
    title: `Cache ${entries.length > 1 ? `these ${entries.length} fetches` : 'this fetch'} in a module-scope loader (TTL ${ttlSeconds} s)`,
    edits, decls: d.decls, style, targets: entries.map((e) => ({ start: e.f.call.getStart(ctx.sourceFile), end: e.f.call.end })),
  };
}

export function cachedLoaderFix(ctx: SourceContext, model: LambdaModel, f0: FetchCall): Fix | undefined {
  const plan = cachedLoaderPlan(ctx, model, f0);
  return plan && planToFix(ctx, plan);
}

export { powertoolsMaxAgeFix } from './powertools';
