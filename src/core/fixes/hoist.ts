// client-in-handler fix: move the client construction to module scope.
import { type ts, tsv } from '../ts';
import type { ClientNew, FileModel } from '../lambda/model';
import type { Fix, SourceContext, TextEdit } from '../types';
import {
  deleteStatement, editReplace, enclosingFunctions, freshName, usedNames, insertModuleCode, moduleInsertion, readsLocals,
  referencedNames, topLevelStatement,
} from './common';
import { detectStyle, lineIndentAt, reindent } from './style';

/** Number of writes to `name` inside `scope` (assignments, ++/--). */
function writesTo(scope: ts.Node, name: string): number {
  let n = 0;
  const visit = (x: ts.Node): void => {
    if (tsv.isBinaryExpression(x) && x.operatorToken.kind >= tsv.SyntaxKind.FirstAssignment && x.operatorToken.kind <= tsv.SyntaxKind.LastAssignment
      && tsv.isIdentifier(x.left) && x.left.text === name) n++;
    tsv.forEachChild(x, visit);
  };
  visit(scope);
  return n;
}

export function hoistClientFix(ctx: SourceContext, m: FileModel, client: ClientNew): Fix | undefined {
  const sf = ctx.sourceFile;
  const around = enclosingFunctions(client.node);
  if (!around.length) return undefined;
  // Constructor arguments that read handler-local state cannot move to module scope.
  if (client.node.arguments && client.node.arguments.some((a) => readsLocals(a, around))) return undefined;
  const top = topLevelStatement(client.node);
  if (!top) return undefined;
  const needs = referencedNames(client.node).names;
  const at = moduleInsertion(sf, needs, top);
  if (!at) return undefined;
  const style = detectStyle(sf, ctx.path);
  const semi = style.semi ? ';' : '';
  const used = usedNames(sf);
  const newText = ctx.text.slice(client.node.getStart(sf), client.node.end);
  const exprIndent = lineIndentAt(ctx.text, client.node.getStart(sf));
  const edits: TextEdit[] = [];

  const decl = client.node.parent;
  const stmt = decl && tsv.isVariableDeclaration(decl) ? decl.parent?.parent : undefined;
  if (decl && tsv.isVariableDeclaration(decl) && decl.initializer === client.node && tsv.isIdentifier(decl.name)
    && stmt && tsv.isVariableStatement(stmt) && stmt.declarationList.declarations.length === 1
    && !m.moduleNames.has(decl.name.text) && writesTo(around[0], decl.name.text) === 0) {
    // `const ssm = new SSMClient(args)` inside the handler: move the declaration as is.
    const name = decl.name.text;
    const typeText = decl.type ? `: ${ctx.text.slice(decl.type.getStart(sf), decl.type.end)}` : '';
    const code = `const ${name}${typeText} = ${reindent(newText, exprIndent, '')}${semi}`;
    edits.push(insertModuleCode(ctx, at, code, style.eol));
    edits.push(deleteStatement(ctx, stmt));
  } else {
    // Inline construction (`new AWS.SSM().getParameter(…)`, `this.ssm = new SSMClient()`): name it at module scope.
    const base = client.service === 'ssm' ? 'ssmClient' : 'secretsManagerClient';
    const name = freshName(base, used);
    const code = `const ${name} = ${reindent(newText, exprIndent, '')}${semi}`;
    edits.push(insertModuleCode(ctx, at, code, style.eol));
    edits.push(editReplace(ctx, client.node.getStart(sf), client.node.end, name));
  }
  return { title: `Move the ${client.className} client to module scope`, edits, isPreferred: true };
}
