// sequential-fetch fix: `const a = await x; const b = await y;` → `const [a, b] = await Promise.all([x, y]);`
import { ts, tsv } from '../ts';
import type { SequentialGroup } from '../lambda/sequential';
import type { Fix, SourceContext } from '../types';
import { editReplace, unwrapExpr } from './common';
import { detectStyle, lineIndentAt, reindent } from './style';

export function promiseAllFix(ctx: SourceContext, g: SequentialGroup): Fix | undefined {
  if (g.kind !== 'sequence' || g.statements.length !== g.fetches.length || g.fetches.length < 2) return undefined;
  const sf = ctx.sourceFile;
  const text = ctx.text;
  const parent = g.statements[0].parent as ts.Block;
  const all = parent.statements;
  const first = all.indexOf(g.statements[0]);
  let keyword: string | undefined;
  const bindings: string[] = [];
  const exprs: ts.Expression[] = [];
  const copies: boolean[] = [];
  for (let i = 0; i < g.statements.length; i++) {
    const st = g.statements[i];
    if (all[first + i] !== st) return undefined; // not adjacent
    if (!tsv.isVariableStatement(st) || st.declarationList.declarations.length !== 1) return undefined;
    const flags = st.declarationList.flags;
    const kw = flags & tsv.NodeFlags.Const ? 'const' : flags & tsv.NodeFlags.Let ? 'let' : 'var';
    if (keyword && kw !== keyword) return undefined;
    keyword = kw;
    if (ts.getModifiers(st)?.length) return undefined;
    const d = st.declarationList.declarations[0];
    if (d.type || !d.initializer) return undefined;
    let init: ts.Expression = d.initializer;
    while (tsv.isParenthesizedExpression(init)) init = init.expression;
    // `structuredClone(await getSecret(…))` (the Powertools maxAge fix's copy) keeps its copy inside Promise.all
    const copied = copiedAwait(init);
    if (copied) init = copied;
    if (!tsv.isAwaitExpression(init) || unwrapExpr(init.expression) !== g.fetches[i].expr) return undefined;
    if (i > 0) {
      const between = text.slice(g.statements[i - 1].end, st.getStart(sf));
      if (between.trim()) return undefined; // a comment would be lost
    }
    bindings.push(text.slice(d.name.getStart(sf), d.name.end));
    exprs.push(init.expression);
    copies.push(!!copied);
  }
  const style = detectStyle(sf, ctx.path);
  const start = g.statements[0].getStart(sf);
  const end = g.statements[g.statements.length - 1].end;
  const indent = lineIndentAt(text, start);
  const inner = indent + style.indent;
  const semi = style.semi ? ';' : '';
  const exprTexts = exprs.map((e, i) => text.slice(e.getStart(sf), e.end) + (copies[i] ? '.then((value) => structuredClone(value))' : ''));
  const oneLine = `${keyword} [${bindings.join(', ')}] = await Promise.all([${exprTexts.join(', ')}])${semi}`;
  let out: string;
  if (!exprTexts.some((t) => t.includes('\n')) && indent.length + oneLine.length <= 100) out = oneLine;
  else {
    const items = exprTexts.map((t) => inner + reindent(t, indent, inner));
    out = `${keyword} [${bindings.join(', ')}] = await Promise.all([${style.eol}${items.join(',' + style.eol)}${style.trailingComma ? ',' : ''}${style.eol}${indent}])${semi}`;
  }
  return { title: 'Run these fetches in parallel with Promise.all', edits: [editReplace(ctx, start, end, out)], isPreferred: true };
}

/** The `await x` inside `structuredClone(await x)`, or undefined. */
function copiedAwait(e: ts.Expression): ts.AwaitExpression | undefined {
  if (!tsv.isCallExpression(e) || !tsv.isIdentifier(e.expression) || e.expression.text !== 'structuredClone' || e.arguments.length !== 1) return undefined;
  let a: ts.Expression = e.arguments[0];
  while (tsv.isParenthesizedExpression(a)) a = a.expression;
  return tsv.isAwaitExpression(a) ? a : undefined;
}
