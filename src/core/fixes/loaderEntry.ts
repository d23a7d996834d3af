// uncached-fetch fix, one fetch at a time: the loader expression of a per-invocation fetch (its client referred to at
// module scope, its request inlined and decrypted) and where the function uses the fetched value. `loader.ts` composes
// the entries of one function into a module-scope loader.
import { tsv, type ts } from '../ts';
import type { FetchCall, FileModel } from '../lambda/model';
import { findProp } from '../lambda/model';
import { secureNames } from '../lambda/secure';
import type { SourceContext } from '../types';
import { applyOffsetEdits } from './apply';
import { planClient, type ClientPlan } from './clients';
import { deleteStatementOffsets, enclosingFunction, enclosingFunctions, parentSkippingParens, readsLocals, referencedNames, type FnLike } from './common';
import { propertyInsertion } from './decryption';
import { countRefs, localDecl, type ParsedSecret } from './handlerCode';
import type { PlanEdit } from './plan';
import { refTo } from './plan';
import { lineIndentAt, reindent } from './style';

export type Mode = 'value' | 'parsed' | 'response';


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

export interface Built { entry: Entry; client?: ClientPlan; inlineClient?: boolean }

/** A client the loader uses: `inline` when every use builds it in the fetch expression itself. */
export interface UsedClient { plan: ClientPlan; inline: boolean; uses: number }

type OffsetEdit = { start: number; end: number; newText: string };

/** Everything one fetch's entry is built from. */
interface EntryInput {
  ctx: SourceContext;
  m: FileModel;
  fn: FnLike;
  f: FetchCall;
  clients: Map<ts.Node, ClientPlan | null>;
  /** The functions around the fetch: their locals are per-invocation state. */
  around: FnLike[];
  /** Offset of the fetch expression: edits are relative to it. */
  start: number;
  edits: OffsetEdit[];
  needs: Set<string>;
}

const unwrap = (e: ts.Expression | undefined, more: (n: ts.Expression) => boolean): ts.Expression | undefined => {
  let x = e;
  while (x && (tsv.isParenthesizedExpression(x) || tsv.isAsExpression(x) || more(x))) x = (x as ts.ParenthesizedExpression).expression;
  return x;
};

/** The client at module scope for a `new XClient()` the model knows (planned once per node). */
function clientFor(inp: EntryInput, node: ts.NewExpression): ClientPlan | undefined {
  const clientByNode = inp.m.clientAt ??= new Map(inp.m.clients.map((c) => [c.node as ts.Node, c]));
  const cn = clientByNode.get(node);
  if (!cn) return undefined;
  if (!inp.clients.has(node)) inp.clients.set(node, planClient(inp.ctx, inp.m, cn) ?? null);
  return inp.clients.get(node) ?? undefined;
}

/** The receiver of the fetch rewritten to the module-scope client (or kept, when it already lives outside). */
function receiverOf(inp: EntryInput): { client?: ClientPlan; inlineClient: boolean } | undefined {
  const { ctx, fn, f } = inp;
  const sf = ctx.sourceFile;
  const recv = unwrap(f.receiver, (x) => tsv.isNonNullExpression(x));
  if (!recv) return undefined;
  let client: ClientPlan | undefined;
  let inlineClient = false;
  let clientText: string;
  if (tsv.isIdentifier(recv)) {
    if (!inp.around.some((a) => readsLocals(recv, [a]))) {
      clientText = recv.text;
      inp.needs.add(recv.text);
    } else {
      const init = unwrap(localDecl(fn, recv.text)?.initializer, () => false);
      if (!init || !tsv.isNewExpression(init)) return undefined;
      client = clientFor(inp, init);
      if (!client) return undefined;
      clientText = refTo(client.key);
    }
  } else if (tsv.isNewExpression(recv)) {
    client = clientFor(inp, recv);
    if (!client) return undefined;
    inlineClient = true;
    clientText = refTo(client.key);
  } else return undefined;
  if (clientText !== ctx.text.slice(recv.getStart(sf), recv.end)) {
    inp.edits.push({ start: recv.getStart(sf) - inp.start, end: recv.end - inp.start, newText: clientText });
  }
  return { client, inlineClient };
}

/** The request must not read per-invocation state; collects what it reads. False when it cannot move. */
function requestMovable(inp: EntryInput, reqArgs: readonly ts.Expression[], inlineVar: boolean): boolean {
  const { f, around } = inp;
  const sf = inp.ctx.sourceFile;
  if (f.style === 'v3' && f.command!.parent !== f.call) {
    // send(cmd) with `const cmd = new XCommand(...)` elsewhere: inline the command.
    const cmdArg = f.call.arguments[0];
    if (readsLocals(f.command!.expression, around)) return false;
    inp.edits.push({ start: cmdArg.getStart(sf) - inp.start, end: cmdArg.end - inp.start, newText: '\u0000CMD' });
  }
  for (let i = 0; i < reqArgs.length; i++) {
    const arg = i === 0 && inlineVar ? f.input! : reqArgs[i];
    if (readsLocals(arg, around)) return false;
    for (const n of referencedNames(arg).names) inp.needs.add(n);
  }
  if (f.style === 'v3' && f.command!.parent !== f.call) for (const n of referencedNames(f.command!.expression).names) inp.needs.add(n);
  return true;
}

/** `WithDecryption: true` added to a request object written here, when the value is secure. */
function decryptionEdit(inp: EntryInput, inlineVar: boolean, cmdObject: boolean): OffsetEdit | undefined {
  const { ctx, f } = inp;
  if (f.input && (f.inputInline || inlineVar || cmdObject) && f.service === 'ssm' && !findProp(f.input, 'WithDecryption')
    && secureNames(f, ctx.parameterKind, ctx.config.secretWords)) {
    return propertyInsertion(ctx.text, ctx.sourceFile, f.input, 'WithDecryption', 'true');
  }
  return undefined;
}

/** The fetch expression's text with its request inlined (a local request object or command) and decrypted. */
function requestText(inp: EntryInput, reqArgs: readonly ts.Expression[], inlineVar: boolean): string {
  const { ctx, f, start } = inp;
  const sf = ctx.sourceFile;
  const text = ctx.text;
  const inputArg = reqArgs[0];
  const cmdObject = !!f.command && !!f.input && f.input.parent === f.command && f.command.parent !== f.call;
  const inputEdit = decryptionEdit(inp, inlineVar, cmdObject);
  const shift = (e: OffsetEdit, by: number): OffsetEdit => ({ ...e, start: e.start - by, end: e.end - by });
  let cmdText: string | undefined;
  if (f.style === 'v3' && f.command!.parent !== f.call) {
    const cs = f.command!.getStart(sf);
    cmdText = reindent(text.slice(cs, f.command!.end), lineIndentAt(text, cs), lineIndentAt(text, start));
  }
  if (inlineVar) {
    const objStart = f.input!.getStart(sf);
    let objText = text.slice(objStart, f.input!.end);
    if (inputEdit) objText = applyOffsetEdits(objText, [shift(inputEdit, objStart)]);
    const inlined = reindent(objText, lineIndentAt(text, objStart), lineIndentAt(text, start));
    if (cmdText !== undefined) {
      const cs = f.command!.getStart(sf);
      cmdText = applyOffsetEdits(text.slice(cs, f.command!.end), [{ start: inputArg.getStart(sf) - cs, end: inputArg.end - cs, newText: inlined }]);
    } else {
      inp.edits.push({ start: inputArg.getStart(sf) - start, end: inputArg.end - start, newText: inlined });
    }
  } else if (inputEdit && cmdObject && cmdText !== undefined) {
    const cs = f.command!.getStart(sf);
    cmdText = reindent(applyOffsetEdits(text.slice(cs, f.command!.end), [shift(inputEdit, cs)]), lineIndentAt(text, cs), lineIndentAt(text, start));
  } else if (inputEdit && f.inputInline) {
    inp.edits.push(shift(inputEdit, start));
  }
  const exprText = applyOffsetEdits(text.slice(start, f.expr.end), inp.edits);
  return cmdText !== undefined ? exprText.replace('\u0000CMD', cmdText) : exprText;
}

/** Where the function uses the fetched value, and the `const x = await fetch` statement the loader can absorb. */
function useSiteOf(fn: FnLike, f: FetchCall): Pick<Entry, 'site' | 'siteIsAwait' | 'removable' | 'binding'> {
  const p = parentSkippingParens(f.expr);
  const siteIsAwait = tsv.isAwaitExpression(p);
  let site: ts.Node = siteIsAwait ? p : f.expr;
  // `(await x).Parameter` → `value.Parameter`: an identifier needs no parentheses.
  if (siteIsAwait) while (tsv.isParenthesizedExpression(site.parent)) site = site.parent;
  if (!siteIsAwait) return { site, siteIsAwait };
  const q: ts.Node = site.parent;
  const stmt = q && tsv.isVariableDeclaration(q) ? q.parent?.parent : undefined;
  if (q && tsv.isVariableDeclaration(q) && tsv.isIdentifier(q.name) && !q.type && stmt && tsv.isVariableStatement(stmt)
    && stmt.declarationList.declarations.length === 1 && (stmt.declarationList.flags & tsv.NodeFlags.Const)
    && localDecl(fn, q.name.text) === q) {
    return { site, siteIsAwait, removable: stmt, binding: q.name.text };
  }
  return { site, siteIsAwait };
}

/** The loader text of one fetch (its client at module scope, its request inlined and decrypted), or undefined. */
export function buildEntry(ctx: SourceContext, m: FileModel, fn: FnLike, f: FetchCall, clients: Map<ts.Node, ClientPlan | null>): Built | undefined {
  if (f.callback || f.cachedByLibrary || f.style === 'powertools') return undefined;
  if (f.style === 'v2' && f.expr === f.call) return undefined;
  if (enclosingFunction(f.call) !== fn) return undefined;
  const inp: EntryInput = {
    ctx, m, fn, f, clients, around: enclosingFunctions(f.call), start: f.expr.getStart(ctx.sourceFile), edits: [], needs: new Set(),
  };
  const recv = receiverOf(inp);
  if (!recv) return undefined;
  if (f.style === 'v3' && !f.command) return undefined;
  const reqArgs: readonly ts.Expression[] = f.style === 'v3' ? f.command!.arguments ?? [] : f.call.arguments;
  const inputArg = reqArgs[0];
  const inlineVar = !!f.input && !f.inputInline && !!inputArg && tsv.isIdentifier(inputArg) && !!localDecl(fn, inputArg.text);
  if (f.style === 'v3' && f.command!.parent !== f.call && !tsv.isIdentifier(f.call.arguments[0])) return undefined;
  if (!requestMovable(inp, reqArgs, inlineVar)) return undefined;
  const exprText = requestText(inp, reqArgs, inlineVar);
  const text = reindent(exprText, lineIndentAt(ctx.text, inp.start), '');
  return {
    entry: { f, text, ...useSiteOf(fn, f), needs: inp.needs, mode: 'response', uses: [] },
    client: recv.client,
    inlineClient: recv.inlineClient,
  };
}

/** Remove local request variables inlined into the loader and no longer used. */
export function requestCleanup(ctx: SourceContext, fn: FnLike, entries: Entry[]): PlanEdit[] {
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
