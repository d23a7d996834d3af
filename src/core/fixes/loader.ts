// uncached-fetch fix: the per-invocation fetches of one function become a module-scope loader named after what
// it loads (`loadOrdersConfig`), built on the shared `cached` helper (TTL, one load for concurrent callers, retry
// after a failure), awaited by the function. The loader caches plain values, not SDK responses: the parameter's
// `Value`, the secret's `SecretString`, or the parsed secret frozen (`freezeDeep`), so a handler cannot change
// what the next invocation gets. A response the handler reads beyond its value is cached frozen.
import { tsv, type ts } from '../ts';
import type { FetchCall, FileModel, LambdaModel } from '../lambda/model';
import { findProp } from '../lambda/model';
import { secureNames } from '../lambda/secure';
import type { Fix, SourceContext } from '../types';
import { applyOffsetEdits } from './apply';
import { planClient, upperOf, type ClientPlan } from './clients';
import {
  declaredIn, deleteStatementOffsets, enclosingFunction, enclosingFunctions, moduleInsertion, parentSkippingParens, readsLocals,
  referencedNames, topLevelStatement, type FnLike,
} from './common';
import { propertyInsertion } from './decryption';
import {
  blocksOf, countRefs, identifierRefs, isAsync, isMutated, isPlainPath, jsonParseOf, localDecl, valueChain, type ParsedSecret,
} from './handlerCode';
import { isGenericBinding, loaderNames, valueNames } from './naming';
import { moduleTakenNames, planToFix, refTo, type FixPlan, type PlanDecl, type PlanEdit } from './plan';
import { powertoolsRewrite } from './powertools';
import { cachedDecl, freezeDecl, ttlDecl, type RuntimeContext } from './runtime';
import { detectStyle, lineIndentAt, reindent, type CodeStyle } from './style';

type Mode = 'value' | 'parsed' | 'response';

export interface Entry {
  f: FetchCall;
  /** Loader expression text (module scope, indentation-free first line); clients referred to by key. */
  text: string;
  /** Node replaced in the function by the loaded value. */
  site: ts.Node;
  siteIsAwait: boolean;
  /** `const x = await fetch` statement that becomes part of the loader's destructuring. */
  removable?: ts.VariableStatement;
  binding?: string;
  needs: Set<string>;
  mode: Mode;
  /** Value mode: the `.Parameter?.Value` / `.SecretString` reads replaced by the value's name. */
  uses: ts.Node[];
  parsed?: ParsedSecret;
  /** The name the function gives the value. */
  name?: string;
}

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

/** Remove local request variables inlined into the loader and no longer used. */
function requestCleanup(ctx: SourceContext, fn: FnLike, entries: Entry[]): PlanEdit[] {
  const edits: PlanEdit[] = [];
  const body = fn.body!;
  const inlined = new Map<string, number>();
  for (const e of entries) {
    const a = e.f.style === 'v3' ? e.f.command?.arguments?.[0] : e.f.call.arguments[0];
    if (e.f.style === 'v3' && e.f.command && e.f.command.parent !== e.f.call) {
      const c = e.f.call.arguments[0];
      if (c && tsv.isIdentifier(c) && localDecl(fn, c.text)) inlined.set(c.text, (inlined.get(c.text) ?? 0) + 1);
    }
    if (e.f.input && !e.f.inputInline && a && tsv.isIdentifier(a) && localDecl(fn, a.text)) inlined.set(a.text, (inlined.get(a.text) ?? 0) + 1);
  }
  for (const [name, uses] of inlined) {
    const d = localDecl(fn, name);
    const st = d?.parent?.parent;
    if (d && st && tsv.isVariableStatement(st) && st.declarationList.declarations.length === 1 && countRefs(body, name) === uses) {
      const del = deleteStatementOffsets(ctx.text, ctx.sourceFile, st);
      edits.push({ start: del.start, end: del.end, text: '' });
    }
  }
  return edits;
}

interface Built { entry: Entry; client?: ClientPlan; inlineClient?: boolean }

/** A client the loader uses: `inline` when every use builds it in the fetch expression itself. */
export interface UsedClient { plan: ClientPlan; inline: boolean; uses: number }

/** The loader text of one fetch (its client at module scope, its request inlined and decrypted), or undefined. */
function buildEntry(ctx: SourceContext, m: FileModel, fn: FnLike, f: FetchCall, clients: Map<ts.Node, ClientPlan | null>): Built | undefined {
  const sf = ctx.sourceFile;
  const text = ctx.text;
  if (f.callback || f.cachedByLibrary || f.style === 'powertools') return undefined;
  if (f.style === 'v2' && f.expr === f.call) return undefined;
  if (enclosingFunction(f.call) !== fn) return undefined;
  const clientByNode = m.clientAt ??= new Map(m.clients.map((c) => [c.node as ts.Node, c]));
  const around = enclosingFunctions(f.call);
  const start = f.expr.getStart(sf);
  const edits: { start: number; end: number; newText: string }[] = [];
  const needs = new Set<string>();
  let recv = f.receiver;
  while (recv && (tsv.isParenthesizedExpression(recv) || tsv.isNonNullExpression(recv) || tsv.isAsExpression(recv))) recv = recv.expression;
  if (!recv) return undefined;
  const clientOf = (node: ts.NewExpression) => {
    const cn = clientByNode.get(node);
    if (!cn) return undefined;
    if (!clients.has(node)) clients.set(node, planClient(ctx, m, cn) ?? null);
    return clients.get(node) ?? undefined;
  };
  let client: ClientPlan | undefined;
  let inlineClient = false;
  let clientText: string;
  if (tsv.isIdentifier(recv)) {
    if (!around.some((a) => readsLocals(recv!, [a]))) {
      clientText = recv.text;
      needs.add(recv.text);
    } else {
      const d = localDecl(fn, recv.text);
      let init = d?.initializer;
      while (init && (tsv.isParenthesizedExpression(init) || tsv.isAsExpression(init))) init = init.expression;
      if (!init || !tsv.isNewExpression(init)) return undefined;
      client = clientOf(init);
      if (!client) return undefined;
      clientText = refTo(client.key);
    }
  } else if (tsv.isNewExpression(recv)) {
    client = clientOf(recv);
    if (!client) return undefined;
    inlineClient = true;
    clientText = refTo(client.key);
  } else return undefined;
  if (clientText !== text.slice(recv.getStart(sf), recv.end)) {
    edits.push({ start: recv.getStart(sf) - start, end: recv.end - start, newText: clientText });
  }
  // The request: must not read per-invocation state. A request object in a local variable is inlined.
  if (f.style === 'v3' && !f.command) return undefined;
  const reqArgs: readonly ts.Expression[] = f.style === 'v3' ? f.command!.arguments ?? [] : f.call.arguments;
  const inputArg = reqArgs[0];
  const inlineVar = !!f.input && !f.inputInline && !!inputArg && tsv.isIdentifier(inputArg) && !!localDecl(fn, inputArg.text);
  if (f.style === 'v3' && f.command!.parent !== f.call && !tsv.isIdentifier(f.call.arguments[0])) return undefined;
  if (f.style === 'v3' && f.command!.parent !== f.call) {
    // send(cmd) with `const cmd = new XCommand(...)` elsewhere: inline the command.
    const cmdArg = f.call.arguments[0];
    if (readsLocals(f.command!.expression, around)) return undefined;
    edits.push({ start: cmdArg.getStart(sf) - start, end: cmdArg.end - start, newText: '\u0000CMD' });
  }
  for (let i = 0; i < reqArgs.length; i++) {
    if (i === 0 && inlineVar) {
      if (readsLocals(f.input!, around)) return undefined;
      for (const n of referencedNames(f.input!).names) needs.add(n);
      continue;
    }
    if (readsLocals(reqArgs[i], around)) return undefined;
    for (const n of referencedNames(reqArgs[i]).names) needs.add(n);
  }
  if (f.style === 'v3' && f.command!.parent !== f.call) for (const n of referencedNames(f.command!.expression).names) needs.add(n);
  // Secure values are decrypted (when the request object is written here).
  let inputEdit: { start: number; end: number; newText: string } | undefined;
  const cmdObject = !!f.command && !!f.input && f.input.parent === f.command && f.command.parent !== f.call;
  if (f.input && (f.inputInline || inlineVar || cmdObject) && f.service === 'ssm' && !findProp(f.input, 'WithDecryption')
    && secureNames(f, ctx.parameterKind, ctx.config.secretWords)) {
    inputEdit = propertyInsertion(text, sf, f.input, 'WithDecryption', 'true');
  }
  let cmdText: string | undefined;
  if (f.style === 'v3' && f.command!.parent !== f.call) {
    const cs = f.command!.getStart(sf);
    cmdText = reindent(text.slice(cs, f.command!.end), lineIndentAt(text, cs), lineIndentAt(text, start));
  }
  if (inlineVar) {
    const objStart = f.input!.getStart(sf);
    let objText = text.slice(objStart, f.input!.end);
    if (inputEdit) objText = applyOffsetEdits(objText, [{ ...inputEdit, start: inputEdit.start - objStart, end: inputEdit.end - objStart }]);
    const inlined = reindent(objText, lineIndentAt(text, objStart), lineIndentAt(text, start));
    if (cmdText !== undefined) {
      const cs = f.command!.getStart(sf);
      const a = inputArg!;
      cmdText = applyOffsetEdits(text.slice(cs, f.command!.end), [{ start: a.getStart(sf) - cs, end: a.end - cs, newText: inlined }]);
    } else {
      edits.push({ start: inputArg!.getStart(sf) - start, end: inputArg!.end - start, newText: inlined });
    }
  } else if (inputEdit && cmdObject && cmdText !== undefined) {
    const cs = f.command!.getStart(sf);
    cmdText = reindent(applyOffsetEdits(text.slice(cs, f.command!.end), [{ ...inputEdit, start: inputEdit.start - cs, end: inputEdit.end - cs }]),
      lineIndentAt(text, cs), lineIndentAt(text, start));
  } else if (inputEdit && f.inputInline) {
    edits.push({ ...inputEdit, start: inputEdit.start - start, end: inputEdit.end - start });
  }
  let exprText = applyOffsetEdits(text.slice(start, f.expr.end), edits);
  if (cmdText !== undefined) exprText = exprText.replace('\u0000CMD', cmdText);
  // Where the value is used.
  const p = parentSkippingParens(f.expr);
  const siteIsAwait = tsv.isAwaitExpression(p);
  let site: ts.Node = siteIsAwait ? p : f.expr;
  // `(await x).Parameter` → `value.Parameter`: an identifier needs no parentheses.
  if (siteIsAwait) while (tsv.isParenthesizedExpression(site.parent)) site = site.parent;
  let removable: ts.VariableStatement | undefined;
  let binding: string | undefined;
  if (siteIsAwait) {
    const q: ts.Node = site.parent;
    const stmt = q && tsv.isVariableDeclaration(q) ? q.parent?.parent : undefined;
    if (q && tsv.isVariableDeclaration(q) && tsv.isIdentifier(q.name) && !q.type && stmt && tsv.isVariableStatement(stmt)
      && stmt.declarationList.declarations.length === 1 && (stmt.declarationList.flags & tsv.NodeFlags.Const)
      && localDecl(fn, q.name.text) === q) {
      removable = stmt;
      binding = q.name.text;
    }
  }
  return {
    entry: { f, text: reindent(exprText, lineIndentAt(text, start), ''), site, siteIsAwait, removable, binding, needs, mode: 'response', uses: [] },
    client,
    inlineClient,
  };
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

export function cachedLoaderPlan(ctx: SourceContext, model: LambdaModel, f0: FetchCall): FixPlan | undefined {
  const sf = ctx.sourceFile;
  const text = ctx.text;
  const m = model.file;
  const fn = enclosingFunction(f0.call);
  if (!fn || !fn.body || !isAsync(fn)) return undefined;
  // `async () => (await fetch).Parameter?.Value`: one fetch, replaced in place.
  const concise = !tsv.isBlock(fn.body);
  const top = topLevelStatement(fn);
  if (!top) return undefined;
  const style = detectStyle(sf, ctx.path);
  const clientPlans = new Map<ts.Node, ClientPlan | null>();
  const built = new Map<Entry, Built>();
  let entries: Entry[] = [];
  for (const f of fetchesOf(model, fn)) {
    const b = buildEntry(ctx, m, fn, f, clientPlans);
    if (b) { entries.push(b.entry); built.set(b.entry, b); }
  }
  if (!entries.some((e) => e.f === f0)) return undefined;

  if (concise && (entries.length !== 1 || !entries[0].siteIsAwait)) return undefined;
  // The deepest block that holds every fetch, with no condition/loop/try between it and each fetch.
  const pickBlock = (list: Entry[]) => {
    const chains = list.map((e) => blocksOf(e.site, fn));
    let block: ts.Block = fn.body as ts.Block;
    for (let i = 0; ; i++) {
      const b = chains[0][i];
      if (!b || !chains.every((c) => c[i] === b)) break;
      block = b;
    }
    return block;
  };
  let anchor: ts.Statement | undefined;
  if (!concise) {
    let block = pickBlock(entries);
    entries = entries.filter((e) => isPlainPath(e.site, block));
    if (!entries.some((e) => e.f === f0)) return undefined;
    block = pickBlock(entries);
    anchor = block.statements.find((s) => s.pos <= entries[0].site.pos && entries[0].site.end <= s.end);
    if (!anchor) return undefined;
  }

  // The clients the loader uses (one per key); a client declared in the function moves to module scope.
  const usedClients = new Map<string, UsedClient>();
  for (const e of entries) {
    const b = built.get(e)!;
    if (!b.client) continue;
    const u = usedClients.get(b.client.key) ?? { plan: b.client, inline: true, uses: 0 };
    u.inline &&= !!b.inlineClient;
    u.uses++;
    usedClients.set(b.client.key, u);
  }
  if (anchor && ctx.project.dependenciesOf(ctx.path).has('@aws-lambda-powertools/parameters')) {
    const pt = powertoolsRewrite(ctx, m, fn, top, anchor, entries, usedClients, requestCleanup(ctx, fn, entries));
    if (pt) return pt;
  }

  const all = wholePromiseAll(entries);
  if (!chooseModes(ctx, fn, entries, all)) return undefined;
  chooseNames(ctx, fn, entries, all);

  // Module-scope placement must come after what the loader reads.
  const needs = new Set<string>();
  for (const e of entries) for (const n of e.needs) needs.add(n);
  const lower = moduleInsertion(sf, needs, top);
  if (!lower) return undefined;
  const upper = upperOf(ctx, top);
  const rc: RuntimeContext = { sf, text, style, ttlSeconds: ctx.config.cacheTtlSeconds, lower: moduleInsertion(sf, new Set(), top)!, upper };
  const resolved = new Map<string, string>();
  const ttl = ttlDecl(rc, resolved);
  const cached = cachedDecl(rc, ttl.key, resolved);
  const decls: PlanDecl[] = [ttl, cached];
  const needsFreeze = entries.some((e) => e.mode !== 'value');
  let freeze: PlanDecl | undefined;
  if (needsFreeze) decls.push(freeze = freezeDecl(rc, resolved));

  const semi = style.semi ? ';' : '';
  const nl = style.eol;
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
    `const ${refTo(loaderKey)} = ${refTo(cached.key)}(${body})${semi}`,
  ].join(nl);
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
  if (!anchor) {
    const e = entries[0];
    edit(e.mode === 'value' ? e.uses[0] : e.site, `(await ${call})`);
  } else if (all) {
    edit(all, call);
    for (const e of entries) for (const u of e.uses) edit(u, e.name!);
  } else {
    const indent = lineIndentAt(text, anchor.getStart(sf));
    const decl = entries.length === 1 ? `const ${entries[0].name} = await ${call}${semi}` : `const [${entries.map((e) => e.name).join(', ')}] = await ${call}${semi}`;
    const anchorRemoved = entries.some((e) => e.removable === anchor);
    if (anchorRemoved) edits.push({ start: anchor.getStart(sf), end: anchor.end, text: decl });
    else edits.push({ start: anchor.getStart(sf), end: anchor.getStart(sf), text: decl + nl + indent });
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
  const ttlSeconds = Math.max(1, Math.round(Number(ctx.config.cacheTtlSeconds) || 300));
  return {
    title: `Cache ${entries.length > 1 ? `these ${entries.length} fetches` : 'this fetch'} in a module-scope loader (TTL ${ttlSeconds} s)`,
    edits, decls, style, targets: entries.map((e) => ({ start: e.f.call.getStart(sf), end: e.f.call.end })),
  };
}

export function cachedLoaderFix(ctx: SourceContext, model: LambdaModel, f0: FetchCall): Fix | undefined {
  const plan = cachedLoaderPlan(ctx, model, f0);
  return plan && planToFix(ctx, plan);
}

export { powertoolsMaxAgeFix } from './powertools';
