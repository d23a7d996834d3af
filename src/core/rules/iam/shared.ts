// Shared plumbing of the IAM rules: the functions a document (serverless.yml, template, CDK file) defines, with the
// references their handlers read. Ordinary source files and documents that define no function cost one text test.
import { documentFunctions, mayDefineFunctions, type AnalyzedFunction } from '../../iam/project';
import type { DocumentContext, Range, SourceContext } from '../../types';
import { modelOf } from '../secrets/shared';

export type IamContext = DocumentContext | SourceContext;

let last: { path: string; text: string; kind: string | undefined } | undefined;

/** The analysed functions of the document, or undefined when it defines none. */
export function functionsOf(ctx: IamContext): AnalyzedFunction[] | undefined {
  // The three IAM rules run on the same file one after another: test the text once.
  if (last && last.path === ctx.path && last.text === ctx.text && !last.kind) return undefined;
  const kind = mayDefineFunctions(ctx.path, ctx.text);
  last = { path: ctx.path, text: ctx.text, kind };
  if (!kind) return undefined;
  if (kind === 'source') {
    if (!('sourceFile' in ctx)) return undefined;
    const fns = documentFunctions(ctx.path, ctx.text, 'source', ctx.project);
    return fns.length ? fns : undefined;
  }
  if ('sourceFile' in ctx) return undefined;
  if (kind === 'terraform') {
    // every file of the module is read with this one: functions of lambda.tf, policies of iam.tf
    const fns = documentFunctions(ctx.path, ctx.text, 'terraform', ctx.project);
    return fns.length ? fns : undefined;
  }
  const infra = modelOf(ctx);
  if (infra.format !== 'serverless' && infra.format !== 'cloudformation') return undefined;
  const fns = documentFunctions(ctx.path, ctx.text, kind, ctx.project, infra);
  return fns.length ? fns : undefined;
}

/**
 * Whether a position of a function's statement (or, without one, of the function itself) lies in this document: a
 * Terraform module spreads them over several files, and each file reports only what it holds.
 */
export function inThisFile(ctx: IamContext, fn: AnalyzedFunction, st?: { file?: string }): boolean {
  const file = st ? st.file ?? fn.definedIn : fn.definedIn;
  return file === undefined || file === ctx.path;
}

export function rangeOf(ctx: IamContext, start: number, end: number): Range {
  return { start: ctx.positionAt(start), end: ctx.positionAt(Math.max(start, end)) };
}

/** End of the line that starts at `start` (bounded by `end`): a statement finding covers its first line. */
export function lineEnd(text: string, start: number, end: number): number {
  const nl = text.indexOf('\n', start);
  return nl < 0 ? end : Math.min(end, nl);
}
