// Independent awaited fetches run one after another (sequential-fetch).
import { type ts, tsv } from '../ts';
import type { FetchCall, FileModel } from './model';
import { directFetches, importedFetchWrapper, isFunctionNode, isMemoized, staticText } from './model';
import { walkTree } from './syntax';
import type { ProjectContext } from '../types';
import { credentialText } from './names';

export interface SequentialGroup {
  kind: 'sequence' | 'loop';
  fetches: FetchCall[];
  /** The statements (direct children of one block) that hold the fetches, in order. */
  statements: ts.Statement[];
  /** For `loop`: the loop statement. */
  loop?: ts.IterationStatement;
}

function isBlockLike(n: ts.Node): n is ts.Block | ts.SourceFile | ts.CaseClause | ts.DefaultClause | ts.ModuleBlock {
  return tsv.isBlock(n) || tsv.isSourceFile(n) || tsv.isCaseClause(n) || tsv.isDefaultClause(n) || tsv.isModuleBlock(n);
}

/** The statement in which `f` is awaited unconditionally, or undefined (not awaited, or behind a condition/loop/function). */
function awaitedStatement(f: FetchCall): ts.Statement | undefined {
  let p: ts.Node = f.expr.parent;
  while (p && tsv.isParenthesizedExpression(p)) p = p.parent;
  if (!p || !tsv.isAwaitExpression(p)) return undefined;
  let cur: ts.Node = p;
  while (cur.parent && !isBlockLike(cur.parent)) {
    const q = cur.parent;
    // `async () => ({ a: await x(), b: await y() })`: the concise body stands for the statement
    if (tsv.isArrowFunction(q) && q.body === cur) return cur as unknown as ts.Statement;
    if (isFunctionNode(q) || tsv.isIfStatement(q) || tsv.isIterationStatement(q, false) || tsv.isTryStatement(q) || tsv.isCatchClause(q)
      || tsv.isConditionalExpression(q) || tsv.isSwitchStatement(q)) return undefined;
    if (tsv.isBinaryExpression(q)) {
      const k = q.operatorToken.kind;
      if (k === tsv.SyntaxKind.AmpersandAmpersandToken || k === tsv.SyntaxKind.BarBarToken || k === tsv.SyntaxKind.QuestionQuestionToken
        || k === tsv.SyntaxKind.QuestionQuestionEqualsToken || k === tsv.SyntaxKind.BarBarEqualsToken || k === tsv.SyntaxKind.AmpersandAmpersandEqualsToken) return undefined;
    }
    cur = q;
  }
  return cur.parent ? (cur as ts.Statement) : undefined;
}

function names(node: ts.Node | undefined, out: Set<string>) {
  if (!node) return;
  walkTree(node, (n) => {
    if (!tsv.isIdentifier(n)) return true;
    const p = n.parent;
    if (!(p && tsv.isPropertyAccessExpression(p) && p.name === n) && !(p && tsv.isPropertyAssignment(p) && p.name === n)) out.add(n.text);
    return false;
  });
}

/** Names a fetch reads: its arguments, its command and request objects, its client. */
function inputsOf(f: FetchCall): Set<string> {
  const out = new Set<string>();
  const walked: ts.Node[] = [];
  // (the command and the request object are usually inside an argument: each subtree is read once)
  const read = (n: ts.Node) => {
    for (let p: ts.Node | undefined = n; p; p = p.parent) if (walked.includes(p)) return;
    walked.push(n);
    names(n, out);
  };
  for (const a of f.call.arguments) read(a);
  if (f.command) read(f.command);
  if (f.input) read(f.input);
  let r = f.receiver;
  while (r && (tsv.isPropertyAccessExpression(r) || tsv.isParenthesizedExpression(r))) r = r.expression;
  if (r) read(r);
  return out;
}

function bindingNames(n: ts.BindingName, out: Set<string>) {
  if (tsv.isIdentifier(n)) { out.add(n.text); return; }
  for (const el of n.elements) if (!tsv.isOmittedExpression(el)) bindingNames(el.name, out);
}

/** Names a statement writes (declarations and assignment targets), added to `out`. */
function writesOf(st: ts.Statement, out: Set<string>): void {
  walkTree(st, (n) => {
    if (tsv.isVariableDeclaration(n)) bindingNames(n.name, out);
    else if (tsv.isBinaryExpression(n) && n.operatorToken.kind >= tsv.SyntaxKind.FirstAssignment && n.operatorToken.kind <= tsv.SyntaxKind.LastAssignment) {
      let t: ts.Expression = n.left;
      while (tsv.isPropertyAccessExpression(t) || tsv.isElementAccessExpression(t) || tsv.isParenthesizedExpression(t)) t = t.expression;
      if (tsv.isIdentifier(t)) out.add(t.text);
      else if (tsv.isObjectLiteralExpression(t) || tsv.isArrayLiteralExpression(t)) names(t, out);
    }
    return !isFunctionNode(n);
  });
}

function breaksFlow(st: ts.Statement): boolean {
  return !(tsv.isVariableStatement(st) || tsv.isExpressionStatement(st) || tsv.isEmptyStatement(st)
    || tsv.isFunctionDeclaration(st) || tsv.isClassDeclaration(st) || tsv.isTypeAliasDeclaration(st) || tsv.isInterfaceDeclaration(st));
}

/**
 * Calls of this file's one-fetch wrappers (`const getParameter = async (name) => (await ssm.send(…)).Parameter.Value`),
 * each as a fetch of its own at the call site: awaiting them one after another is as sequential as the fetch itself.
 */
function wrapperCalls(m: FileModel, project?: ProjectContext): FetchCall[] {
  const byFn = directFetches(m);
  const wrappers = new Map<string, FetchCall>();
  for (const [name, node] of m.topFunctions) {
    let fn: ts.Node = node;
    while (tsv.isParenthesizedExpression(fn) || tsv.isAsExpression(fn)) fn = fn.expression;
    const inner = byFn.get(fn);
    if (inner?.length === 1 && !isMemoized(node)) wrappers.set(name, inner[0]);
  }
  // …and of a relative module (`import { getSecret } from './secrets'`), resolved on first awaited call.
  let relative = false;
  if (project) for (const b of m.imports.values()) if (b.module.startsWith('.')) { relative = true; break; }
  if (!wrappers.size && !relative) return [];
  const imported = new Map<string, FetchCall | undefined>();
  const wrapperOf = (name: string): FetchCall | undefined => {
    const local = wrappers.get(name);
    if (local || !relative || !project) return local;
    if (imported.has(name)) return imported.get(name);
    const b = m.imports.get(name);
    let w: FetchCall | undefined;
    try { w = b && b.module.startsWith('.') ? importedFetchWrapper(m.path, b, project) : undefined; } catch { w = undefined; }
    imported.set(name, w);
    return w;
  };
  const out: FetchCall[] = [];
  walkTree(m.sf, (n) => {
    if (tsv.isCallExpression(n) && tsv.isIdentifier(n.expression) && tsv.isAwaitExpression(n.parent)) {
      const w = wrapperOf(n.expression.text);
      if (w) {
        const t = staticText(m, n.arguments[0]);
        const s = t && !credentialText(t.text) ? t : undefined;
        out.push({
          ...w, call: n, expr: n, input: undefined, inputInline: false, command: undefined, receiver: undefined,
          names: s ? [s.text] : [], exactNames: s?.exact ? [s.text] : [], nameHints: [], callback: false,
        });
      }
    }
  });
  return out;
}

export function findSequentialGroups(m: FileModel, project?: ProjectContext): SequentialGroup[] {
  const byStmt = new Map<ts.Statement, FetchCall[]>();
  const add = (f: FetchCall) => {
    // callbacks are not awaited; the extension answers from its local cache; middy fetches outside the handler
    if (f.callback || f.style === 'extension' || f.style === 'middy') return;
    const st = awaitedStatement(f);
    if (!st) return;
    const list = byStmt.get(st);
    if (list) list.push(f); else byStmt.set(st, [f]);
  };
  for (const f of m.fetches) add(f);
  for (const f of wrapperCalls(m, project)) add(f);
  const groups: SequentialGroup[] = [];
  const blocks = new Set<ts.Node>();
  for (const st of byStmt.keys()) blocks.add(st.parent);
  for (const block of blocks) {
    const stmts: readonly ts.Statement[] = tsv.isArrowFunction(block) ? [block.body as unknown as ts.Statement] : (block as ts.Block).statements;
    // Fetches awaited one per iteration of a loop over names.
    const loop = block.parent;
    if (tsv.isBlock(block) && loop && (tsv.isForOfStatement(loop) || tsv.isForInStatement(loop) || tsv.isForStatement(loop))) {
      const loopVars = new Set<string>();
      const init = tsv.isForStatement(loop) ? loop.initializer : loop.initializer;
      if (init && tsv.isVariableDeclarationList(init)) for (const d of init.declarations) bindingNames(d.name, loopVars);
      else if (init) names(init, loopVars);
      const inLoop = stmts.filter((s) => byStmt.has(s)).flatMap((s) => byStmt.get(s)!);
      const perItem = inLoop.filter((f) => [...inputsOf(f)].some((n) => loopVars.has(n)));
      if (perItem.length) {
        groups.push({ kind: 'loop', fetches: perItem, statements: stmts.filter((s) => byStmt.has(s)), loop });
        continue;
      }
    }
    let cur: { fetches: FetchCall[]; statements: ts.Statement[] } = { fetches: [], statements: [] };
    // Names that carry a result of the group's fetches: what the fetch statements write, and what statements in
    // between compute from those. A later fetch that reads one of them depends on an earlier fetch; one that reads
    // only other names (`const name = process.env.B;`) does not.
    let tainted = new Set<string>();
    const close = () => {
      if (cur.fetches.length >= 2) groups.push({ kind: 'sequence', fetches: cur.fetches, statements: cur.statements });
      // (fresh ones only when the old ones hold something)
      if (cur.fetches.length || cur.statements.length) cur = { fetches: [], statements: [] };
      if (tainted.size) tainted = new Set();
    };
    for (const st of stmts) {
      const fs = byStmt.get(st);
      if (!fs) {
        if (breaksFlow(st)) { close(); continue; }
        if (cur.fetches.length && tainted.size) {
          const reads = new Set<string>();
          names(st, reads);
          let derived = false;
          for (const r of reads) if (tainted.has(r)) { derived = true; break; }
          if (derived) writesOf(st, tainted);
        }
        continue;
      }
      for (const f of fs) {
        // (nothing tainted yet: nothing to depend on)
        let dependent = false;
        if (tainted.size) for (const d of inputsOf(f)) if (tainted.has(d)) { dependent = true; break; }
        if (dependent) close();
        cur.fetches.push(f);
        if (!cur.statements.includes(st)) cur.statements.push(st);
      }
      writesOf(st, tainted);
    }
    close();
  }
  return groups;
}
