// secret-exposed: a secret Keyway knows the code fetched (GetSecretValue, a decrypted or secret-named parameter,
// Powertools, middy, the Lambda extension, a secret-named environment variable) followed to where it is logged,
// put in an error message, returned in an HTTP response, or written raw to S3, DynamoDB or SQS.
// The flow analysis lives in src/core/exposure; this file decides when to run it and words the findings.
import type { ts } from '../../ts';
import { buildFileModel, type FileModel } from '../../lambda/model';
import { RELATIVE_IMPORT } from '../../lambda/sdk';
import { isTestPath } from '../../lambda/tests';
import { afterWalk, model } from './shared';
import { ExposureAnalysis, type Exposure } from '../../exposure/exposures';
import { exposureFixes } from '../../exposure/fixes';
import { FLOW_KINDS, Flow, addNode, emptyNodes, type FlowNodes } from '../../exposure/flow';
import { ModuleGraph, mayReachSource } from '../../exposure/modules';
import { hasSourceMarker, type SourceOptions } from '../../exposure/sources';
import type { Source } from '../../exposure/taint';
import type { ProjectContext, Range, Rule, SourceContext } from '../../types';

/**
 * Test code (the shared `testFiles` patterns: `test/`, `__tests__/`, `*.test.*`, `*.spec.*`, … configurable in
 * .keywayrc.json): a value logged there is not an exposure of production secrets. Folders are judged below the file's
 * package root (the nearest package.json), so a project that happens to live under a `test/` folder is not all test code.
 */
export function isTestCode(path: string, project: ProjectContext, config: SourceContext['config']): boolean {
  return isTestPath(path, config) && isTestPath(packageRelative(path, project), config);
}

function packageRelative(path: string, project: ProjectContext): string {
  const sep = path.includes('\\') && !path.includes('/') ? '\\' : '/';
  let dir = path.slice(0, Math.max(0, path.lastIndexOf(sep)));
  for (let i = 0; i < 12 && dir; i++) {
    let pkg: string | undefined;
    try { pkg = project.readFile(`${dir}${sep}package.json`); } catch { pkg = undefined; }
    if (pkg !== undefined) return path.slice(dir.length + 1);
    const up = dir.lastIndexOf(sep);
    if (up < 0) break;
    dir = dir.slice(0, up);
  }
  return path;
}

/** The file model of the Lambda model the Lambda rules share for this analysis, or (no SDK code: `process.env` only) a new one. */
function fileModel(ctx: SourceContext): FileModel {
  return model(ctx)?.file ?? buildFileModel(ctx.path, ctx.text, ctx.sourceFile, false);
}

function describeSources(list: Source[]): string {
  const one = (s: Source) => `${s.label}${s.file ? ` (read in ${s.file})` : ''}`;
  const shown = list.slice(0, 2).map(one).join(' and ');
  const more = list.length > 2 ? ` and ${list.length - 2} more` : '';
  // `The secret …`, `A parameter …`; a name from code (`process.env.X`) keeps its case
  return (/^(the|a) /.test(shown) ? shown.charAt(0).toUpperCase() + shown.slice(1) : shown) + more;
}

function through(e: Exposure): string {
  if (!e.via.length) return '';
  return ' through ' + e.via.slice(0, 3).map((v) => `${v.name}()${v.file ? ` (in ${v.file})` : ''}`).join(', then ');
}

function message(e: Exposure): string {
  const what = describeSources(e.sources);
  const is = e.sources.length > 1 || /^The (parameters|secrets) /.test(what) ? 'are' : 'is';
  const via = through(e);
  const api = e.info.api;
  switch (e.info.kind) {
    case 'log':
      return /\.(appendKeys|appendPersistentKeys|addPersistentLogAttributes|setPersistentLogAttributes|child|defaultMeta)$/.test(api)
        ? `${what} ${is} added to every log line by ${api}${via}: CloudWatch Logs keeps it in plain text, readable by anyone who can read the log group. Leave it out of the logger's keys, or log a masked form (its first 4 characters).`
        : `${what} ${is} written to the logs by ${api}${via}: CloudWatch Logs keeps it in plain text, readable by anyone who can read the log group. Log a masked form (its first 4 characters) or leave it out.`;
    case 'error':
      return `${what} ${is} put in an error message (${api})${via}: error messages are logged, and often returned to the caller. Say what failed without the value.`;
    case 'response':
      return `${what} ${is} returned in ${api === 'the HTTP response' || api === 'the middy response' ? api : `the response (${api})`}${via}: anyone who can call the endpoint receives it. Return only what the caller needs, never the secret.`;
    case 'storage': {
      const [service] = api.split(' ');
      const where = service === 'S3' ? 'the bucket' : service === 'DynamoDB' ? 'the table' : 'the queue';
      return `${what} ${is} written raw to ${service} (${api.slice(service.length + 1)})${via}: anyone who can read ${where} can read it. If this is deliberate, encrypt it with KMS first, or store the secret's name and read it from Secrets Manager or Parameter Store when needed.`;
    }
  }
}

function rangeOf(ctx: SourceContext, e: Exposure): Range {
  const nodes: ts.Node[] = e.values.length ? e.values : [e.node];
  let start = Infinity;
  let end = -1;
  for (const n of nodes) { start = Math.min(start, n.getStart(ctx.sourceFile)); end = Math.max(end, n.end); }
  return { start: ctx.positionAt(start), end: ctx.positionAt(end) };
}

function check(ctx: SourceContext, nodes: FlowNodes): void {
  const fm = fileModel(ctx);
  const options: SourceOptions = { parameterKind: ctx.parameterKind, secretWords: ctx.config.secretWords };
  const graph = new ModuleGraph(ctx.project, options, ctx.path);
  const flow = new Flow(ctx.path, fm, nodes, options, graph);
  const analysis = new ExposureAnalysis(flow, graph).run();
  for (const e of analysis.exposures) {
    const names = [...new Set(e.sources.flatMap((s) => s.names))];
    ctx.report({
      ruleId: 'secret-exposed',
      severity: e.info.kind === 'storage' ? 'info' : undefined,
      message: message(e),
      range: rangeOf(ctx, e),
      fixes: () => exposureFixes(ctx, flow, e),
      data: {
        sink: e.info.kind, api: e.info.api, sources: e.sources.map((s) => s.kind), names,
        ...(e.via.length ? { via: e.via.map((v) => v.name) } : {}),
      },
    });
  }
}

export const secretExposed: Rule = {
  meta: {
    id: 'secret-exposed',
    title: 'Secret written to logs, error messages or responses',
    defaultSeverity: 'warning',
    description: 'A fetched secret (Secrets Manager, a decrypted parameter, a secret environment variable) is logged, put in an error message, returned in an HTTP response, or written raw to S3, DynamoDB or SQS.',
  },
  source(ctx) {
    // Only where a secret can come from: this file, or a module it imports (judged on text, nothing parsed).
    if (!hasSourceMarker(ctx.text) && !(RELATIVE_IMPORT.test(ctx.text) && mayReachSource(ctx.path, ctx.text, ctx.project, undefined, undefined, false))) return undefined;
    if (isTestCode(ctx.path, ctx.project, ctx.config)) return undefined;
    const nodes = emptyNodes();
    // When no Lambda rule runs (turned off, or `--rule secret-exposed`), the shared Lambda model's node collector rides
    // along on this visitor, so the model is built from the engine's walk as usual.
    const lambda = afterWalk(() => undefined)(ctx) ?? {};
    if (!lambda.kinds || !lambda.visit) return { kinds: FLOW_KINDS, visit: (n) => addNode(nodes, n), finish: () => check(ctx, nodes) };
    const scan = new Set(lambda.kinds);
    const collect = lambda.visit;
    return {
      kinds: [...new Set([...FLOW_KINDS, ...lambda.kinds])],
      visit: (n) => { addNode(nodes, n); if (scan.has(n.kind)) collect(n); },
      finish: () => check(ctx, nodes),
    };
  },
};
