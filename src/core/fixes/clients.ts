// Moving an SDK client built in a function to module scope, as a plan declaration keyed by the client's
// construction: every handler that builds the same client (same class, same configuration) shares one
// module-scope client, and one already at module scope is reused.
import { ts, tsv } from '../ts';
import type { ClientNew, FileModel } from '../lambda/model';
import type { SourceContext } from '../types';
import { declaredIn, deleteStatementOffsets, enclosingFunctions, moduleInsertion, readsLocals, referencedNames, topLevelStatement, type FnLike } from './common';
import { refTo, type PlanDecl, type PlanEdit } from './plan';
import { canonicalCode } from './runtime';
import { detectStyle, lineIndentAt, reindent } from './style';

export interface ClientPlan {
  key: string;
  decl: PlanDecl;
  /** Edits in the function: the local declaration removed (or aliased), or the construction replaced by the name. */
  edits: PlanEdit[];
}

/** Number of writes to `name` inside `scope` (assignments, ++/--). */
export function writesTo(scope: ts.Node, name: string): number {
  let n = 0;
  const visit = (x: ts.Node): void => {
    if (tsv.isBinaryExpression(x) && x.operatorToken.kind >= tsv.SyntaxKind.FirstAssignment && x.operatorToken.kind <= tsv.SyntaxKind.LastAssignment
      && tsv.isIdentifier(x.left) && x.left.text === name) n++;
    else if ((tsv.isPrefixUnaryExpression(x) || tsv.isPostfixUnaryExpression(x)) && tsv.isIdentifier(x.operand) && x.operand.text === name
      && (x.operator === tsv.SyntaxKind.PlusPlusToken || x.operator === tsv.SyntaxKind.MinusMinusToken)) n++;
    tsv.forEachChild(x, visit);
  };
  visit(scope);
  return n;
}

function countDeclarations(fn: FnLike, name: string): number {
  let n = 0;
  const visit = (x: ts.Node): void => {
    if ((tsv.isVariableDeclaration(x) || tsv.isBindingElement(x) || tsv.isParameter(x)) && tsv.isIdentifier(x.name) && x.name.text === name) n++;
    else if ((tsv.isFunctionDeclaration(x) || tsv.isClassDeclaration(x)) && x.name?.text === name) n++;
    tsv.forEachChild(x, visit);
  };
  for (const p of fn.parameters) visit(p);
  if (fn.body) visit(fn.body);
  return n;
}

function camelWords(s: string): string {
  return s.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).map((w, i) => (i ? w[0].toUpperCase() + w.slice(1) : w)).join('');
}

/** Names for a module-scope client: the local name it had, then the service's usual names (with the region when configured). */
function clientNames(ctx: SourceContext, client: ClientNew, local: string | undefined): string[] {
  const base = client.service === 'ssm' ? ['ssm', 'ssmClient', 'parameterStore'] : ['secretsManager', 'secretsClient', 'secretsManagerClient'];
  const arg = client.node.arguments?.[0];
  const out: string[] = local ? [local] : [];
  out.push(base[0]);
  // Two clients of one service with different configurations: the second is named after its region or endpoint.
  const region = arg && tsv.isObjectLiteralExpression(arg)
    ? arg.properties.find((p): p is ts.PropertyAssignment => tsv.isPropertyAssignment(p) && p.name.getText(ctx.sourceFile) === 'region')
    : undefined;
  const R = region && tsv.isStringLiteralLike(region.initializer) ? camelWords(region.initializer.text) : '';
  if (R) out.push(...base.map((b) => b + R[0].toUpperCase() + R.slice(1)));
  const hasEndpoint = !!arg && tsv.isObjectLiteralExpression(arg) && arg.properties.some((p) => !!p.name && p.name.getText(ctx.sourceFile) === 'endpoint');
  if (hasEndpoint) out.push(...base.map((b) => b + 'ForEndpoint'));
  for (const b of base) if (!out.includes(b)) out.push(b);
  if (local) out.push(`${local}Client`, `shared${local[0].toUpperCase()}${local.slice(1)}`);
  return out;
}

const existingClients = new WeakMap<ts.SourceFile, Map<string, string>>();

/** A module-scope `const` already holding exactly this construction (by key, computed once per file). */
function existingClient(ctx: SourceContext, m: FileModel, key: string): string | undefined {
  let byKey = existingClients.get(ctx.sourceFile);
  if (!byKey) {
    byKey = new Map();
    for (const [name, d] of m.moduleVars) {
      const list = d.parent;
      if (!d.initializer || !tsv.isVariableDeclarationList(list) || !(list.flags & tsv.NodeFlags.Const)) continue;
      let init: ts.Expression = d.initializer;
      while (tsv.isParenthesizedExpression(init) || tsv.isAsExpression(init)) init = init.expression;
      if (!tsv.isNewExpression(init)) continue;
      const k = 'client:' + canonicalCode(ctx.text.slice(init.getStart(ctx.sourceFile), init.end));
      if (!byKey.has(k)) byKey.set(k, name);
    }
    existingClients.set(ctx.sourceFile, byKey);
  }
  return byKey.get(key);
}

/**
 * Plan the move of `client` (built inside a function) to module scope, or undefined when it cannot move (its
 * configuration reads the function's locals, or what it reads is declared below the function).
 */
const planned = new WeakMap<ClientNew, ClientPlan | null>();

export function planClient(ctx: SourceContext, m: FileModel, client: ClientNew): ClientPlan | undefined {
  // The loader and the hoist of one analysis plan the same client: once.
  const hit = planned.get(client);
  if (hit !== undefined) return hit ?? undefined;
  const plan = makeClientPlan(ctx, m, client);
  planned.set(client, plan ?? null);
  return plan;
}

function makeClientPlan(ctx: SourceContext, m: FileModel, client: ClientNew): ClientPlan | undefined {
  const sf = ctx.sourceFile;
  const node = client.node;
  const around = enclosingFunctions(node);
  if (!around.length) return undefined;
  if (node.arguments && node.arguments.some((a) => readsLocals(a, around))) return undefined;
  const top = topLevelStatement(node);
  if (!top) return undefined;
  const lower = moduleInsertion(sf, referencedNames(node).names, top);
  if (!lower) return undefined;
  const style = detectStyle(sf, ctx.path);
  const semi = style.semi ? ';' : '';
  const construction = ctx.text.slice(node.getStart(sf), node.end);
  const key = 'client:' + canonicalCode(construction);
  const blocked = new Set<string>();
  for (const fn of around) for (const n of declaredIn(fn)) blocked.add(n);

  const decl = node.parent;
  const stmt = decl && tsv.isVariableDeclaration(decl) ? decl.parent?.parent : undefined;
  let local: string | undefined;
  const edits: PlanEdit[] = [];
  let typeText = '';
  if (decl && tsv.isVariableDeclaration(decl) && decl.initializer === node && tsv.isIdentifier(decl.name)
    && stmt && tsv.isVariableStatement(stmt) && stmt.declarationList.declarations.length === 1 && !stmt.modifiers?.length
    && writesTo(around[0], decl.name.text) === 0) {
    // `const ssm = new SSMClient(args)` in the function: the declaration goes (the module-scope client takes its
    // name), or becomes an alias when the module-scope client has another name.
    local = decl.name.text;
    if (countDeclarations(around[0], local) === 1 && !around.slice(1).some((fn) => declaredIn(fn).has(local!))) blocked.delete(local);
    if (decl.type) typeText = `: ${ctx.text.slice(decl.type.getStart(sf), decl.type.end)}`;
    const kw = stmt.declarationList.flags & tsv.NodeFlags.Const ? 'const' : stmt.declarationList.flags & tsv.NodeFlags.Let ? 'let' : 'var';
    const del = deleteStatementOffsets(ctx.text, sf, stmt);
    edits.push({
      start: del.start, end: del.end, text: '',
      bind: { key, local, start: stmt.getStart(sf), end: stmt.end, text: `${kw} ${local}${typeText} = ${refTo(key)}${semi}` },
    });
  } else {
    // Inline construction (`new AWS.SSM().getParameter(…)`, `this.ssm = new SSMClient()`): replaced by the name.
    edits.push({ start: node.getStart(sf), end: node.end, text: refTo(key) });
  }
  const existing = existingClient(ctx, m, key);
  const code = `const ${refTo(key)}${typeText} = ${reindent(construction, lineIndentAt(ctx.text, node.getStart(sf)), '')}${semi}`;
  return {
    key,
    edits,
    decl: {
      key, kind: 'client', names: clientNames(ctx, client, local), existing, code,
      lower, upper: upperOf(ctx, top), blocked: [...blocked],
    },
  };
}

/** The start of a top-level statement, leading comments (JSDoc) included: module-scope code for it goes above. */
export function upperOf(ctx: SourceContext, top: ts.Statement): number {
  const leading = ts.getLeadingCommentRanges(ctx.text, top.getFullStart());
  return leading && leading.length ? leading[0].pos : top.getStart(ctx.sourceFile);
}
