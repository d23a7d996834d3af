// The quick-fix of iam-wildcard-resource: replace a `*` resource with the ARNs the statement's functions actually
// read (computed from their handler code), in the document's own syntax. No fix when the ARNs cannot be computed.
import { get, type IacNode, type PolicyStatement } from '../iac';
import { type ts, tsv } from '../ts';
import type { DocumentContext, Fix, SourceContext, TextEdit } from '../types';
import { neededAction } from './check';
import { globMatch } from './glob';
import { generateStatements } from './policy';
import { documentFunctions, mayDefineFunctions } from './project';
import type { Reference } from './refs';

function allows(actions: string[], action: string): boolean {
  return actions.some((a) => globMatch(a.trim(), action));
}

function yamlItem(r: string, sam: boolean): string {
  const q = `'${r.replace(/'/g, "''")}'`;
  return sam && r.includes('${') ? `!Sub ${q}` : q;
}

function jsonItem(r: string, sam: boolean): string {
  return sam && r.includes('${') ? `{ "Fn::Sub": ${JSON.stringify(r)} }` : JSON.stringify(r);
}

/** Fixes for a wildcard `resource` node of statement `st` in a YAML/JSON document (empty when not computable). */
export function wildcardFixes(ctx: DocumentContext, st: PolicyStatement, resource: IacNode): Fix[] {
  try {
    const kind = mayDefineFunctions(ctx.path, ctx.text);
    if (kind !== 'yaml' && kind !== 'json') return [];
    const fns = documentFunctions(ctx.path, ctx.text, kind, ctx.project).filter((f) => f.statements.some((s) => s.start === st.node.start));
    if (!fns.length || fns.some((f) => !f.handlerFile)) return [];
    const actions = st.actions.map((a) => (a.type === 'scalar' && a.value !== null ? String(a.value) : '')).filter(Boolean);
    const granted = (r: Pick<Reference, 'kind' | 'op'>) => allows(actions, neededAction(r));
    if (fns.some((f) => f.references.unresolved.some(granted))) return [];
    const kms = allows(actions, 'kms:Decrypt');
    const refs = fns.flatMap((f) => f.references.refs).filter(granted).map((r) => (kms ? r : { ...r, decrypt: false, key: undefined }));
    if (!refs.length) return [];
    const sam = fns[0].flavour !== 'serverless';
    const arns = [...new Set(generateStatements(refs, sam ? 'sam' : 'serverless').flatMap((s) => s.resources))];
    // (a key the format cannot name is a `<placeholder>`: no fix to apply as is)
    if (!arns.length || arns.some((a) => a.includes('<'))) return [];
    const json = ctx.kind === 'json';
    const item = (r: string) => (json ? jsonItem(r, sam) : yamlItem(r, sam));
    const text = ctx.text;
    const value = get(st.node, 'Resource');
    let newText: string;
    if (value && value.start === resource.start && value.type === 'scalar') {
      newText = arns.length === 1 ? item(arns[0]) : `[${arns.map(item).join(', ')}]`;
    } else if (value && value.type === 'seq') {
      if (text[value.start] === '[' || json) newText = arns.map(item).join(', ');
      else {
        const lineStart = text.lastIndexOf('\n', resource.start - 1) + 1;
        const m = /^(\s*)-\s*$/.exec(text.slice(lineStart, resource.start));
        if (!m) return [];
        newText = arns.map(item).join(`\n${m[1]}- `);
      }
    } else return [];
    const edit: TextEdit = { range: { start: ctx.positionAt(resource.start), end: ctx.positionAt(resource.end) }, newText };
    const who = fns.length === 1 ? `function ${fns[0].name}` : `functions ${fns.map((f) => f.name).join(', ')}`;
    return [{ title: `Replace '*' with the ${arns.length} ARN${arns.length > 1 ? 's' : ''} ${who} read${fns.length === 1 ? 's' : ''}`, edits: [edit], isPreferred: true }];
  } catch {
    return [];
  }
}

/** How the CDK file can name the stack of `this`: `Stack.of(this)` / `cdk.Stack.of(this)`, when `Stack` is imported. */
function stackExpression(sf: ts.SourceFile): string | undefined {
  for (const st of sf.statements) {
    if (!tsv.isImportDeclaration(st) || !tsv.isStringLiteral(st.moduleSpecifier) || st.moduleSpecifier.text !== 'aws-cdk-lib') continue;
    const c = st.importClause;
    const nb = c?.namedBindings;
    if (nb && tsv.isNamespaceImport(nb)) return `${nb.name.text}.Stack.of(this)`;
    if (nb && tsv.isNamedImports(nb)) {
      const el = nb.elements.find((e) => (e.propertyName ?? e.name).text === 'Stack' && !e.isTypeOnly);
      if (el && !c?.isTypeOnly) return `${el.name.text}.of(this)`;
    }
  }
  return undefined;
}

/** Fixes for a wildcard resource `resource` of the CDK `new PolicyStatement(…)` `statement` (empty when not computable). */
export function cdkWildcardFixes(ctx: SourceContext, statement: ts.NewExpression, resource: ts.Node): Fix[] {
  try {
    if (mayDefineFunctions(ctx.path, ctx.text) !== 'source') return [];
    const sf = ctx.sourceFile;
    const start = statement.getStart(sf);
    const fns = documentFunctions(ctx.path, ctx.text, 'source', ctx.project).filter((f) => f.statements.some((s) => s.start === start));
    if (!fns.length || fns.some((f) => !f.handlerFile)) return [];
    const st = fns[0].statements.find((s) => s.start === start)!;
    if (st.opaque) return [];
    const granted = (r: Pick<Reference, 'kind' | 'op'>) => allows(st.actions, neededAction(r));
    if (fns.some((f) => f.references.unresolved.some(granted))) return [];
    const kms = allows(st.actions, 'kms:Decrypt');
    const refs = fns.flatMap((f) => f.references.refs).filter(granted).map((r) => (kms ? r : { ...r, decrypt: false, key: undefined }));
    if (!refs.length || refs.some((r) => r.name.includes('${') || r.name.includes('`'))) return [];
    // Only an element of a `resources: [...]` array is replaced.
    const parent = resource.parent;
    if (!parent || !tsv.isArrayLiteralExpression(parent)) return [];
    const stack = stackExpression(sf);
    if (!stack) return [];
    const region = '${' + stack + '.region}';
    const account = '${' + stack + '.account}';
    const arns = [...new Set(generateStatements(refs, 'cdk', { region, account }).flatMap((s) => s.resources))];
    // (a key the format cannot name is a `<placeholder>`: no fix to apply as is)
    if (!arns.length || arns.some((a) => a.includes('<'))) return [];
    const newText = arns.map((a) => '`' + a.replace(/\\/g, '\\\\') + '`').join(', ');
    const edit: TextEdit = { range: { start: ctx.positionAt(resource.getStart(sf)), end: ctx.positionAt(resource.end) }, newText };
    const who = fns.length === 1 ? `function ${fns[0].name}` : `functions ${fns.map((f) => f.name).join(', ')}`;
    return [{ title: `Replace '*' with the ${arns.length} ARN${arns.length > 1 ? 's' : ''} ${who} read${fns.length === 1 ? 's' : ''}`, edits: [edit], isPreferred: true }];
  } catch {
    return [];
  }
}
