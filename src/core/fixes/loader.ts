// uncached-fetch fix: rewrite the per-invocation fetches of one function into a module-scope cached loader
// (client at module scope, TTL cache, parallel load, WithDecryption for secure values), awaited by the function.
import { ts, tsv } from '../ts';
import type { FetchCall, FileModel, LambdaModel } from '../lambda/model';
import { findProp } from '../lambda/model';
import { lastSegment, nameWords } from '../lambda/names';
import { secureNames } from '../lambda/secure';
import type { Fix, SourceContext, TextEdit } from '../types';
import { applyOffsetEdits } from './apply';
import {
  deleteStatement, editReplace, enclosingFunction, enclosingFunctions, freshName, usedNames, type UsedNames, moduleInsertion, parentSkippingParens,
  readsLocals, referencedNames, topLevelStatement, type FnLike,
} from './common';
import { propertyInsertion } from './decryption';
import { detectStyle, lineIndentAt, reindent } from './style';

interface ModuleClient { name: string; code: string; needs: Set<string>; declStmt?: ts.VariableStatement; localName?: string }

interface Entry {
  f: FetchCall;
  /** Loader expression text (module scope, indentation-free first line). */
  text: string;
  /** Node replaced in the function by the loaded value. */
  site: ts.Node;
  siteIsAwait: boolean;
  /** `const x = await fetch` statement that becomes part of the destructuring. */
  removable?: ts.VariableStatement;
  binding?: string;
  needs: Set<string>;
  /** `const creds = JSON.parse(res.SecretString …)` right after the fetch: parsed once, in the loader. */
  parsed?: { decl: ts.VariableStatement; bindingText: string; parseText: string; typeText?: string; rawText?: string; rawBinding?: string };
}

/** A newline to keep one blank line above code inserted at `offset` (at the start of a line). */
function blankBefore(text: string, offset: number, nl: string): string {
  let i = offset;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  if (i === 0) return '';
  const before = text.slice(Math.max(0, i - 4), i).replace(/\r/g, '');
  return before.endsWith('\n\n') ? '' : nl;
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

function isAsync(fn: FnLike): boolean {
  return !!ts.getModifiers(fn)?.some((m) => m.kind === tsv.SyntaxKind.AsyncKeyword);
}

function camel(words: string[]): string {
  const w = words.filter((x) => /^[a-z]/.test(x) || /^\d/.test(x));
  if (!w.length) return '';
  return w.map((x, i) => (i === 0 ? x : x[0].toUpperCase() + x.slice(1))).join('').replace(/^\d+/, '');
}

function valueBase(f: FetchCall): string {
  const n = f.names[0];
  const base = n ? camel(nameWords(lastSegment(n).replace(/\{\}/g, ''))) : '';
  const suffix = f.op === 'GetSecretValue' ? 'Secret' : f.op === 'GetParameter' ? 'Parameter' : 'Parameters';
  return base ? base + suffix : suffix.toLowerCase();
}

/** Declaration of a local identifier inside `fn`: `const x = <init>` (single declaration). */
function localDecl(fn: FnLike, name: string): ts.VariableDeclaration | undefined {
  let found: ts.VariableDeclaration | undefined;
  let count = 0;
  const visit = (n: ts.Node): void => {
    if (tsv.isVariableDeclaration(n) && tsv.isIdentifier(n.name) && n.name.text === name) { found = n; count++; }
    tsv.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return count === 1 ? found : undefined;
}

function declaredLocally(fn: FnLike, name: string): boolean {
  return !!localDecl(fn, name);
}

function countRefs(scope: ts.Node, name: string): number {
  let n = 0;
  const visit = (x: ts.Node): void => {
    if (tsv.isIdentifier(x) && x.text === name) {
      const p = x.parent;
      if (!(tsv.isPropertyAccessExpression(p) && p.name === x) && !(tsv.isPropertyAssignment(p) && p.name === x)
        && !(tsv.isVariableDeclaration(p) && p.name === x)) n++;
    }
    tsv.forEachChild(x, visit);
  };
  visit(scope);
  return n;
}

function isPlainPath(from: ts.Node, to: ts.Node): boolean {
  for (let p = from.parent; p && p !== to; p = p.parent) {
    if (tsv.isIfStatement(p) || tsv.isConditionalExpression(p) || tsv.isIterationStatement(p, false) || tsv.isTryStatement(p)
      || tsv.isCatchClause(p) || tsv.isSwitchStatement(p) || tsv.isCaseClause(p) || tsv.isDefaultClause(p)) return false;
    if (tsv.isBinaryExpression(p) && [tsv.SyntaxKind.AmpersandAmpersandToken, tsv.SyntaxKind.BarBarToken, tsv.SyntaxKind.QuestionQuestionToken]
      .includes(p.operatorToken.kind)) return false;
  }
  return true;
}

function blocksOf(n: ts.Node, fn: FnLike): ts.Block[] {
  const out: ts.Block[] = [];
  for (let p = n.parent; p && p !== fn; p = p.parent) if (tsv.isBlock(p)) out.unshift(p);
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

/** Remove local clients and request variables that the rewrite left unused. */
function cleanupEdits(ctx: SourceContext, fn: FnLike, entries: Entry[], clients: Map<string, ModuleClient>): TextEdit[] {
  const edits: TextEdit[] = [];
  const body = fn.body!;
  // Local clients that are no longer used move out of the function.
  for (const c of clients.values()) {
    if (!c.localName || !c.declStmt) continue;
    const usesGone = entries.filter((e) => {
      let r = e.f.receiver;
      while (r && tsv.isParenthesizedExpression(r)) r = r.expression;
      return r && tsv.isIdentifier(r) && r.text === c.localName;
    }).length;
    if (countRefs(body, c.localName) === usesGone) edits.push(deleteStatement(ctx, c.declStmt));
  }
  // Local request objects inlined into the loader and no longer used.
  const inlined = new Map<string, number>();
  for (const e of entries) {
    const a = e.f.style === 'v3' ? e.f.command?.arguments?.[0] : e.f.call.arguments[0];
    if (e.f.style === 'v3' && e.f.command && e.f.command.parent !== e.f.call) {
      const c = e.f.call.arguments[0];
      if (c && tsv.isIdentifier(c) && declaredLocally(fn, c.text)) inlined.set(c.text, (inlined.get(c.text) ?? 0) + 1);
    }
    if (e.f.input && !e.f.inputInline && a && tsv.isIdentifier(a) && declaredLocally(fn, a.text)) inlined.set(a.text, (inlined.get(a.text) ?? 0) + 1);
  }
  for (const [name, uses] of inlined) {
    const d = localDecl(fn, name);
    const st = d?.parent?.parent;
    if (d && st && tsv.isVariableStatement(st) && st.declarationList.declarations.length === 1 && countRefs(body, name) === uses) {
      edits.push(deleteStatement(ctx, st));
    }
  }
  return edits;
}

export function cachedLoaderFix(ctx: SourceContext, model: LambdaModel, f0: FetchCall): Fix | undefined {
  const sf = ctx.sourceFile;
  const text = ctx.text;
  const m = model.file;
  const fn = enclosingFunction(f0.call);
  if (!fn || !fn.body || !tsv.isBlock(fn.body) || !isAsync(fn)) return undefined;
  const top = topLevelStatement(fn);
  if (!top) return undefined;
  const style = detectStyle(sf, ctx.path);
  const used = usedNames(sf);
  const clients = new Map<string, ModuleClient>(); // key: local name or node position
  const clientByNode = m.clientAt ??= new Map(m.clients.map((c) => [c.node as ts.Node, c]));

  const build = (f: FetchCall): Entry | undefined => {
    if (f.callback || f.cachedByLibrary) return undefined;
    if (f.style === 'powertools') return undefined;
    if (f.style === 'v2' && f.expr === f.call) return undefined;
    if (enclosingFunction(f.call) !== fn) return undefined;
    const around = enclosingFunctions(f.call);
    const start = f.expr.getStart(sf);
    const edits: { start: number; end: number; newText: string }[] = [];
    const needs = new Set<string>();
    // The client.
    let recv = f.receiver;
    while (recv && (tsv.isParenthesizedExpression(recv) || tsv.isNonNullExpression(recv) || tsv.isAsExpression(recv))) recv = recv.expression;
    if (!recv) return undefined;
    let clientName: string;
    if (tsv.isIdentifier(recv)) {
      const local = around.some((a) => readsLocals(recv!, [a]));
      if (!local) {
        clientName = recv.text;
        needs.add(recv.text);
      } else {
        const d = localDecl(fn, recv.text);
        const init = d?.initializer;
        const cn = init && clientByNode.get(init);
        if (!d || !cn || !init || !tsv.isNewExpression(init) || (init.arguments ?? []).some((a) => readsLocals(a, around))) return undefined;
        let mc = clients.get(recv.text);
        if (!mc) {
          const name = m.moduleNames.has(recv.text) ? freshName(recv.text, used) : recv.text;
          const stmt = d.parent?.parent;
          mc = {
            name,
            code: `const ${name} = ${reindent(text.slice(init.getStart(sf), init.end), lineIndentAt(text, init.getStart(sf)), '')}`,
            needs: referencedNames(init).names,
            declStmt: stmt && tsv.isVariableStatement(stmt) && stmt.declarationList.declarations.length === 1 ? stmt : undefined,
            localName: recv.text,
          };
          clients.set(recv.text, mc);
        }
        clientName = mc.name;
      }
    } else if (tsv.isNewExpression(recv) && clientByNode.has(recv)) {
      if ((recv.arguments ?? []).some((a) => readsLocals(a, around))) return undefined;
      const cn = clientByNode.get(recv)!;
      const key = `@${recv.pos}`;
      const name = freshName(cn.service === 'ssm' ? 'ssmClient' : 'secretsManagerClient', used);
      clients.set(key, {
        name, code: `const ${name} = ${reindent(text.slice(recv.getStart(sf), recv.end), lineIndentAt(text, recv.getStart(sf)), '')}`,
        needs: referencedNames(recv).names,
      });
      clientName = name;
    } else return undefined;
    if (clientName !== text.slice(recv.getStart(sf), recv.end)) {
      edits.push({ start: recv.getStart(sf) - start, end: recv.end - start, newText: clientName });
    }
    // The request: must not read per-invocation state. A request object in a local variable is inlined.
    if (f.style === 'v3' && !f.command) return undefined;
    const reqArgs: readonly ts.Expression[] = f.style === 'v3' ? f.command!.arguments ?? [] : f.call.arguments;
    const inputArg = reqArgs[0];
    const inlineVar = !!f.input && !f.inputInline && !!inputArg && tsv.isIdentifier(inputArg) && declaredLocally(fn, inputArg.text);
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
    return { f, text: reindent(exprText, lineIndentAt(text, start), ''), site, siteIsAwait, removable, binding, needs };
  };

  const candidates = fetchesOf(model, fn);
  let entries: Entry[] = [];
  for (const f of candidates) {
    const e = build(f);
    if (e) entries.push(e);
  }
  if (!entries.some((e) => e.f === f0)) return undefined;

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
  let block = pickBlock(entries);
  entries = entries.filter((e) => isPlainPath(e.site, block));
  if (!entries.some((e) => e.f === f0)) return undefined;
  block = pickBlock(entries);
  const anchor = block.statements.find((s) => s.pos <= entries[0].site.pos && entries[0].site.end <= s.end);
  if (!anchor) return undefined;

  if (ctx.project.dependenciesOf(ctx.path).has('@aws-lambda-powertools/parameters')) {
    const pt = powertoolsRewrite(ctx, m, fn, top, anchor, entries, clients, used);
    if (pt) return pt;
  }

  // A secret the code parses right away is parsed once, in the loader (JSON.parse moves with the same text).
  for (const e of entries) {
    const parsed = jsonParseOf(e, fn, sf, text);
    if (!parsed) continue;
    e.parsed = { ...parsed, rawText: e.text, rawBinding: e.binding! };
    const param = `(${e.binding})${style.typescript && parsed.typeText ? `: ${parsed.typeText}` : ''}`;
    e.text = `${e.text}.then(${param} => ${parsed.parseText})`;
    e.binding = parsed.bindingText;
  }

  // Module-scope placement must come after what the clients and requests need.
  const needs = new Set<string>();
  for (const c of clients.values()) for (const n of c.needs) needs.add(n);
  if (!moduleInsertion(sf, needs, top)) return undefined;

  const semi = style.semi ? ';' : '';
  const nl = style.eol;
  const I = style.indent;
  const base = 'Config';
  const loadName = freshName('load' + base, used);
  const fetchName = freshName('fetch' + base, used);
  const cacheName = freshName(base.toLowerCase() + 'Cache', used);
  const ttlName = freshName(base.toUpperCase() + '_TTL_MS', used);
  const ttl = Math.max(1, Math.round(Number(ctx.config.cacheTtlSeconds) || 300));

  const names: string[] = [];
  for (const e of entries) {
    if (e.binding && !names.includes(e.binding)) { names.push(e.binding); continue; }
    if (e.parsed) { e.text = e.parsed.rawText!; e.parsed = undefined; }
    e.binding = undefined;
    e.removable = undefined;
    names.push(freshName(valueBase(e.f), used));
  }

  const lines: string[] = [];
  for (const c of clients.values()) lines.push(c.code + semi);
  if (clients.size) lines.push('');
  lines.push(`const ${ttlName} = ${ttl} * 1000${semi}`);
  lines.push(style.typescript
    ? `let ${cacheName}: { expiresAt: number; value: ReturnType<typeof ${fetchName}> } | undefined${semi}`
    : `let ${cacheName}${semi}`);
  lines.push('');
  lines.push(`function ${fetchName}() {`);
  if (entries.length === 1 && !entries[0].text.includes('\n')) {
    lines.push(`${I}return Promise.all([${reindent(entries[0].text, '', I)}])${semi}`);
  } else {
    lines.push(`${I}return Promise.all([`);
    entries.forEach((e, i) => {
      const comma = i < entries.length - 1 || style.trailingComma ? ',' : '';
      lines.push(`${I}${I}${reindent(e.text, '', I + I)}${comma}`);
    });
    lines.push(`${I}])${semi}`);
  }
  lines.push('}');
  lines.push('');
  lines.push(`/** Loads the values once per Lambda container and reloads them after ${ttl} s; a failed load is retried on the next call. */`);
  lines.push(`function ${loadName}() {`);
  lines.push(`${I}const now = Date.now()${semi}`);
  lines.push(`${I}if (!${cacheName} || ${cacheName}.expiresAt <= now) {`);
  lines.push(`${I}${I}const value = ${fetchName}()${semi}`);
  lines.push(`${I}${I}${cacheName} = { expiresAt: now + ${ttlName}, value }${semi}`);
  lines.push(`${I}${I}value.catch(() => {`);
  lines.push(`${I}${I}${I}if (${cacheName}?.value === value) ${cacheName} = undefined${semi}`);
  lines.push(`${I}${I}})${semi}`);
  lines.push(`${I}}`);
  lines.push(`${I}return ${cacheName}.value${semi}`);
  lines.push('}');
  const moduleCode = lines.join(nl);

  const edits: TextEdit[] = [];
  const topStart = top.getStart(sf);
  // Keep a leading comment (JSDoc) of the function's statement attached to it.
  const fullStart = top.getFullStart();
  const leading = ts.getLeadingCommentRanges(text, fullStart);
  const insertAt = leading && leading.length ? leading[0].pos : topStart;
  edits.push(editReplace(ctx, insertAt, insertAt, blankBefore(text, insertAt, nl) + moduleCode + nl + nl));

  // `await Promise.all([fetchA, fetchB])` holding exactly these fetches, in order: the loader returns the same tuple.
  const all = wholePromiseAll(entries);
  if (all) {
    edits.push(editReplace(ctx, all.getStart(sf), all.end, `${loadName}()`));
    edits.push(...cleanupEdits(ctx, fn, entries, clients));
    return { title: `Cache these ${entries.length} fetches in a module-scope loader (TTL ${ttl} s)`, edits, isPreferred: true };
  }
  // In the function: await the loader, then use the values where the fetches were.
  const indent = lineIndentAt(text, anchor.getStart(sf));
  const decl = `const [${names.join(', ')}] = await ${loadName}()${semi}`;
  const anchorRemoved = entries.some((e) => e.removable === anchor);
  if (anchorRemoved) edits.push(editReplace(ctx, anchor.getStart(sf), anchor.end, decl));
  else edits.push(editReplace(ctx, anchor.getStart(sf), anchor.getStart(sf), decl + nl + indent));
  entries.forEach((e, i) => {
    if (e.removable) {
      if (e.removable !== anchor) edits.push(deleteStatement(ctx, e.removable));
      if (e.parsed && names[i] === e.parsed.bindingText) edits.push(deleteStatement(ctx, e.parsed.decl));
      return;
    }
    const n = e.site;
    edits.push(editReplace(ctx, n.getStart(sf), n.end, e.siteIsAwait ? names[i] : `Promise.resolve(${names[i]})`));
  });
  edits.push(...cleanupEdits(ctx, fn, entries, clients));
  return {
    title: `Cache ${entries.length > 1 ? `these ${entries.length} fetches` : 'this fetch'} in a module-scope loader (TTL ${ttl} s)`,
    edits,
    isPreferred: true,
  };
}

const PT_SSM = '@aws-lambda-powertools/parameters/ssm';
const PT_SECRETS = '@aws-lambda-powertools/parameters/secrets';

function isJsonParse(e: ts.Expression): boolean {
  return tsv.isPropertyAccessExpression(e) && e.name.text === 'parse' && tsv.isIdentifier(e.expression) && e.expression.text === 'JSON';
}

/** Names of types declared inside a function (they cannot be used at module scope). */
function localTypeNames(fn: FnLike): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if ((tsv.isInterfaceDeclaration(n) || tsv.isTypeAliasDeclaration(n) || tsv.isClassDeclaration(n) || tsv.isEnumDeclaration(n)) && n.name) out.add(n.name.text);
    tsv.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return out;
}

function typeRefsOk(n: ts.Node, localTypes: Set<string>): boolean {
  let ok = true;
  const visit = (x: ts.Node): void => {
    if (!ok) return;
    if (tsv.isTypeReferenceNode(x) || tsv.isExpressionWithTypeArguments(x)) {
      let t: ts.Node = tsv.isTypeReferenceNode(x) ? x.typeName : x.expression;
      while (tsv.isQualifiedName(t)) t = t.left;
      while (tsv.isPropertyAccessExpression(t)) t = t.expression;
      if (tsv.isIdentifier(t) && localTypes.has(t.text)) ok = false;
    } else if (tsv.isTypeQueryNode(x)) ok = false; // typeof local
    tsv.forEachChild(x, visit);
  };
  visit(n);
  return ok;
}

function countDeclarations(fn: FnLike, name: string): number {
  let n = 0;
  const visit = (x: ts.Node): void => {
    if ((tsv.isVariableDeclaration(x) || tsv.isBindingElement(x) || tsv.isParameter(x)) && tsv.isIdentifier(x.name) && x.name.text === name) n++;
    tsv.forEachChild(x, visit);
  };
  for (const p of fn.parameters) visit(p);
  if (fn.body) visit(fn.body);
  return n;
}

/** `const creds = JSON.parse(res.SecretString ?? '{}') as T` — the only use of a fetched secret, in the same block. */
function jsonParseOf(e: Entry, fn: FnLike, sf: ts.SourceFile, text: string): Entry['parsed'] {
  if (e.f.op !== 'GetSecretValue' || !e.removable || !e.binding) return undefined;
  const refs = identifierRefs(fn.body!, e.binding);
  if (refs.length !== 1) return undefined;
  const acc = refs[0].parent;
  if (!tsv.isPropertyAccessExpression(acc) || acc.expression !== refs[0] || acc.name.text !== 'SecretString') return undefined;
  let cur: ts.Node = acc;
  for (;;) {
    const p = cur.parent;
    if (tsv.isNonNullExpression(p) || tsv.isParenthesizedExpression(p) || tsv.isAsExpression(p)) { cur = p; continue; }
    if (tsv.isBinaryExpression(p) && p.left === cur && (p.operatorToken.kind === tsv.SyntaxKind.QuestionQuestionToken
      || p.operatorToken.kind === tsv.SyntaxKind.BarBarToken) && tsv.isStringLiteralLike(p.right)) { cur = p; continue; }
    break;
  }
  const call = cur.parent;
  if (!tsv.isCallExpression(call) || call.arguments.length !== 1 || call.arguments[0] !== cur || !isJsonParse(call.expression)) return undefined;
  let top: ts.Node = call;
  while (tsv.isAsExpression(top.parent) || tsv.isParenthesizedExpression(top.parent) || tsv.isSatisfiesExpression(top.parent)) top = top.parent;
  const d = top.parent;
  if (!tsv.isVariableDeclaration(d) || d.initializer !== top) return undefined;
  const st = d.parent?.parent;
  if (!st || !tsv.isVariableStatement(st) || st.declarationList.declarations.length !== 1 || !(st.declarationList.flags & tsv.NodeFlags.Const)) return undefined;
  if (st.parent !== e.removable.parent) return undefined;
  const declared = new Set<string>();
  const collect = (n: ts.BindingName) => {
    if (tsv.isIdentifier(n)) declared.add(n.text);
    else for (const el of n.elements) if (!tsv.isOmittedExpression(el)) collect(el.name);
  };
  collect(d.name);
  for (const n of declared) if (countDeclarations(fn, n) !== 1) return undefined;
  const localTypes = localTypeNames(fn);
  if (!typeRefsOk(d, localTypes)) return undefined;
  const indent = lineIndentAt(text, st.getStart(sf));
  return {
    decl: st,
    bindingText: text.slice(d.name.getStart(sf), d.name.end),
    parseText: reindent(text.slice(top.getStart(sf), top.end), indent, ''),
    typeText: d.type ? text.slice(d.type.getStart(sf), d.type.end) : undefined,
  };
}

/** `x.Parameter?.Value` / `x.Parameter!.Value` (GetParameter) or `x.SecretString` (GetSecretValue): the end of the chain. */
function valueChain(node: ts.Node, f: FetchCall): ts.Node | undefined {
  const up = (n: ts.Node) => { let p = n.parent; while (p && (tsv.isNonNullExpression(p) || tsv.isParenthesizedExpression(p))) p = p.parent; return p; };
  const p = up(node);
  if (!p || !tsv.isPropertyAccessExpression(p)) return undefined;
  if (f.op === 'GetSecretValue') return p.name.text === 'SecretString' ? p : undefined;
  if (p.name.text !== 'Parameter') return undefined;
  const q = up(p);
  return q && tsv.isPropertyAccessExpression(q) && q.name.text === 'Value' ? q : undefined;
}

function identifierRefs(scope: ts.Node, name: string): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (x: ts.Node): void => {
    if (tsv.isIdentifier(x) && x.text === name) {
      const p = x.parent;
      if (!(tsv.isPropertyAccessExpression(p) && p.name === x) && !(tsv.isPropertyAssignment(p) && p.name === x)
        && !(tsv.isVariableDeclaration(p) && p.name === x)) out.push(x);
    }
    tsv.forEachChild(x, visit);
  };
  visit(scope);
  return out;
}

/**
 * The Powertools form of the rewrite, for projects that depend on @aws-lambda-powertools/parameters:
 * `getParameter(name, { maxAge })` / `getSecret(name, { maxAge })`, whose cache lives at module scope in Powertools.
 * Only when every use of each response reads its value (`.Parameter?.Value`, `.SecretString`), so behaviour is kept.
 */
function powertoolsRewrite(ctx: SourceContext, m: FileModel, fn: FnLike, top: ts.Statement, anchor: ts.Statement, entries: Entry[],
  clients: Map<string, ModuleClient>, used: UsedNames): Fix | undefined {
  const sf = ctx.sourceFile;
  const text = ctx.text;
  const style = detectStyle(sf, ctx.path);
  const plan: { e: Entry; nameText: string; decrypt: boolean; uses: ts.Node[] }[] = [];
  for (const e of entries) {
    const f = e.f;
    if (f.op !== 'GetParameter' && f.op !== 'GetSecretValue') return undefined;
    // getSecret's typings return string | Uint8Array: keep the SDK loader in TypeScript files.
    if (f.op === 'GetSecretValue' && style.typescript) return undefined;
    if (!f.input || !e.siteIsAwait) return undefined;
    const key = f.op === 'GetParameter' ? 'Name' : 'SecretId';
    let nameText: string | undefined;
    let decrypt = false;
    for (const p of f.input.properties) {
      if (!tsv.isPropertyAssignment(p) || !p.name || !tsv.isIdentifier(p.name)) return undefined;
      if (p.name.text === key) nameText = text.slice(p.initializer.getStart(sf), p.initializer.end);
      else if (p.name.text === 'WithDecryption') decrypt = p.initializer.kind === tsv.SyntaxKind.TrueKeyword;
      else return undefined;
    }
    if (!nameText || nameText.includes('\n')) return undefined;
    if (f.op === 'GetParameter' && secureNames(f, ctx.parameterKind, ctx.config.secretWords)) decrypt = true;
    const uses: ts.Node[] = [];
    if (e.removable && e.binding) {
      for (const r of identifierRefs(fn.body!, e.binding)) {
        const end = valueChain(r, f);
        if (!end) return undefined;
        uses.push(end);
      }
    } else {
      const end = valueChain(e.site, f);
      if (!end) return undefined;
      uses.push(end);
    }
    plan.push({ e, nameText, decrypt, uses });
  }
  const semi = style.semi ? ';' : '';
  const nl = style.eol;
  const q = style.quote;
  const ttl = Math.max(1, Math.round(Number(ctx.config.cacheTtlSeconds) || 300));
  const edits: TextEdit[] = [];
  // Imports (reuse an existing one).
  const need = new Map<string, { module: string; local: string; exists: boolean }>();
  for (const { e } of plan) {
    const fnName = e.f.op === 'GetParameter' ? 'getParameter' : 'getSecret';
    if (need.has(fnName)) continue;
    const module = fnName === 'getParameter' ? PT_SSM : PT_SECRETS;
    let local: string | undefined;
    for (const [l, b] of m.imports) if (b.module === module && b.name === fnName) local = l;
    need.set(fnName, { module, local: local ?? freshName(fnName, used), exists: !!local });
  }
  const importLines: string[] = [];
  for (const [fnName, n] of need) {
    if (n.exists) continue;
    const spec = n.local === fnName ? fnName : `${fnName} as ${n.local}`;
    importLines.push(style.esm
      ? `import { ${spec} } from ${q}${n.module}${q}${semi}`
      : `const { ${n.local === fnName ? fnName : `${fnName}: ${n.local}`} } = require(${q}${n.module}${q})${semi}`);
  }
  const maxAgeName = freshName('CACHE_MAX_AGE_SECONDS', used);
  const at = moduleInsertion(sf, new Set(), top);
  if (!at) return undefined;
  const leading = ts.getLeadingCommentRanges(text, top.getFullStart());
  const insertAt = leading && leading.length ? leading[0].pos : top.getStart(sf);
  const constText = `/** Powertools caches each value at module scope for this many seconds (per Lambda container). */${nl}const ${maxAgeName} = ${ttl}${semi}${nl}${nl}`;
  if (importLines.length && !at.afterStatement) {
    // No imports yet: one insertion holds the import and the constant (two insertions at one point are ambiguous).
    const start = Math.min(at.offset, insertAt);
    edits.push(editReplace(ctx, start, start, importLines.join(nl) + nl + nl + constText));
  } else {
    if (importLines.length) {
      const pos = ctx.positionAt(at.offset);
      edits.push({ range: { start: pos, end: pos }, newText: nl + importLines.join(nl) });
    }
    edits.push(editReplace(ctx, insertAt, insertAt, blankBefore(text, insertAt, nl) + constText));
  }
  // The values, loaded in parallel where the first fetch was.
  const names = plan.map(({ e }) => freshName(camel(nameWords(lastSegment(e.f.names[0] ?? '').replace(/\{\}/g, ''))) || 'value', used));
  const calls = plan.map(({ e, nameText, decrypt }) => {
    const fnName = e.f.op === 'GetParameter' ? 'getParameter' : 'getSecret';
    const opts = decrypt ? `{ decrypt: true, maxAge: ${maxAgeName} }` : `{ maxAge: ${maxAgeName} }`;
    return `${need.get(fnName)!.local}(${nameText}, ${opts})`;
  });
  const indent = lineIndentAt(text, anchor.getStart(sf));
  let decl: string;
  if (plan.length === 1) decl = `const ${names[0]} = await ${calls[0]}${semi}`;
  else {
    const oneLine = `const [${names.join(', ')}] = await Promise.all([${calls.join(', ')}])${semi}`;
    decl = indent.length + oneLine.length <= 100 ? oneLine
      : `const [${names.join(', ')}] = await Promise.all([${nl}${calls.map((c) => indent + style.indent + c).join(',' + nl)}${style.trailingComma ? ',' : ''}${nl}${indent}])${semi}`;
  }
  const anchorRemoved = plan.some(({ e }) => e.removable === anchor);
  if (anchorRemoved) edits.push(editReplace(ctx, anchor.getStart(sf), anchor.end, decl));
  else edits.push(editReplace(ctx, anchor.getStart(sf), anchor.getStart(sf), decl + nl + indent));
  plan.forEach(({ e, uses }, i) => {
    if (e.removable && e.removable !== anchor) edits.push(deleteStatement(ctx, e.removable));
    for (const u of uses) {
      // The chain's root is the awaited fetch or the response variable.
      let root: ts.Node = u;
      while (tsv.isPropertyAccessExpression(root) || tsv.isNonNullExpression(root) || tsv.isParenthesizedExpression(root)) root = root.expression;
      if (e.removable && root.getStart(sf) >= e.removable.pos && root.end <= e.removable.end) continue;
      edits.push(editReplace(ctx, u.getStart(sf), u.end, names[i]));
    }
  });
  edits.push(...cleanupEdits(ctx, fn, entries, clients));
  return {
    title: `Read ${plan.length > 1 ? 'these values' : 'this value'} with Powertools Parameters (maxAge ${ttl} s)`,
    edits,
    isPreferred: true,
  };
}

/** Powertools call with `maxAge: 0` / `forceFetch: true`: let the Powertools cache work with a TTL. */
export function powertoolsMaxAgeFix(ctx: SourceContext, f: FetchCall): Fix | undefined {
  const obj = f.ptOptions;
  if (!obj || f.style !== 'powertools') return undefined;
  const sf = ctx.sourceFile;
  const ttl = Math.max(1, Math.round(Number(ctx.config.cacheTtlSeconds) || 300));
  const maxAge = findProp(obj, 'maxAge');
  const force = findProp(obj, 'forceFetch');
  const edits: TextEdit[] = [];
  if (maxAge && tsv.isPropertyAssignment(maxAge)) edits.push(editReplace(ctx, maxAge.initializer.getStart(sf), maxAge.initializer.end, String(ttl)));
  if (force && tsv.isPropertyAssignment(force)) {
    if (!maxAge) edits.push(editReplace(ctx, force.getStart(sf), force.end, `maxAge: ${ttl}`));
    else {
      // remove `forceFetch: true` and its separating comma
      const props = obj.properties;
      const i = props.indexOf(force);
      const start = i > 0 ? props[i - 1].end : force.getStart(sf);
      const end = i > 0 ? force.end : (i + 1 < props.length ? props[i + 1].getStart(sf) : force.end);
      edits.push(editReplace(ctx, start, end, ''));
    }
  }
  if (!edits.length) return undefined;
  return { title: `Use the Powertools cache (maxAge: ${ttl})`, edits, isPreferred: true };
}
