// uncached-fetch: a parameter or secret fetched on every invocation instead of cached at module scope.
import type { ts } from '../../ts';
import { enclosingFunction } from '../../fixes/common';
import { keyedCacheFix } from '../../fixes/keyed';
import { cachedLoaderFix, powertoolsMaxAgeFix } from '../../fixes/loader';
import { hoistClientFix } from '../../fixes/hoist';
import type { ClientNew, FetchCall, LambdaModel } from '../../lambda/model';
import type { Operation, Service } from '../../lambda/sdk';
import type { Fix, Rule, SourceContext } from '../../types';
import { afterWalk, clientsUsedOnlyBy, describe, fetchData, handlerOfStatement, model, range, safeFix } from './shared';

/** What each extra call costs, per service: Parameter Store's throughput limit does not apply to Secrets Manager. */
const COST: Record<Service, string> = {
  ssm: 'and can hit throttling (Parameter Store allows 40 TPS by default)',
  secretsmanager: '(Secrets Manager charges $0.05 per 10,000 calls)',
};

const SERVICE_OF: Record<Operation, Service> = {
  GetParameter: 'ssm', GetParameters: 'ssm', GetParametersByPath: 'ssm', DescribeParameters: 'ssm',
  GetSecretValue: 'secretsmanager', BatchGetSecretValue: 'secretsmanager', ListSecrets: 'secretsmanager',
};

function costOf(ops: readonly Operation[]): string {
  const services = [...new Set(ops.map((o) => SERVICE_OF[o]))].sort();
  return services.map((s) => COST[s]).join(', ');
}

/** The fixes that rewrite into a cached loader know these reads; paginators, listings and middy get advice only. */
function loaderFixable(f: FetchCall): boolean {
  return !f.paginator && f.style !== 'middy' && f.style !== 'extension'
    && (f.op === 'GetParameter' || f.op === 'GetParameters' || f.op === 'GetParametersByPath' || f.op === 'GetSecretValue');
}

function hint(f: FetchCall): string {
  if (f.style === 'powertools') return ' Drop `maxAge: 0`/`forceFetch: true` (or give it a maxAge) so the Powertools cache serves repeated reads.';
  if (f.paginator) return ' Load the pages once into a module-scope cache with a TTL and serve later invocations from it.';
  return ' Cache the value at module scope with a TTL (a module-scope loader, Powertools Parameters, or the Parameters and Secrets Lambda Extension).';
}

function check(ctx: SourceContext): void {
  const lm = model(ctx);
  if (!lm) return;
  // Every fetch of one function gets the same loader fix: build it once per function.
  const loaderFixes = new Map<ts.Node, Fix[]>();
  /** The module-scope loader of the fetch's function (it moves local clients too), or none. */
  const loaderOnly = (f: FetchCall): Fix[] => {
    const fn = enclosingFunction(f.call);
    const known = fn && loaderFixes.get(fn);
    if (known) return known;
    const fixes = safeFix(() => cachedLoaderFix(ctx, lm, f));
    if (fn && fixes.length) loaderFixes.set(fn, fixes);
    return fixes;
  };
  const loaderFix = (f: FetchCall): Fix[] => {
    const fixes = loaderOnly(f);
    return fixes.length ? fixes : safeFix(() => keyedCacheFix(ctx, lm.file, f));
  };
  // A client built in the same function only for these reads is part of the same finding (the loader fix moves it).
  const clientOf = new Map<FetchCall, ClientNew>();
  if (ctx.config.rules['client-in-handler'] !== 'off') {
    for (const [c, fetches] of clientsUsedOnlyBy(lm)) for (const f of fetches) clientOf.set(f, c);
  }
  for (const [f, handler] of lm.reach.fetches) {
    const client = clientOf.get(f);
    const built = client ? ` It also constructs a new ${client.className} for this call each time.` : '';
    const message = `${describe(f)} runs on every invocation of handler "${handler}": each call adds latency and API cost ${COST[f.service]}.${built}${hint(f)}`;
    let fixes: (() => Fix[]) | undefined = f.style === 'powertools' ? () => safeFix(() => powertoolsMaxAgeFix(ctx, f))
      : loaderFixable(f) ? () => loaderFix(f) : undefined;
    if (client) {
      // The cached loader moves the client to module scope with the read; where it does not apply, the first step is
      // the client's own move (the request-keyed cache needs a module-scope client, so it follows on the next pass).
      const loader = f.style !== 'powertools' && loaderFixable(f);
      fixes = () => {
        const first = loader ? loaderOnly(f) : [];
        return first.length ? first : safeFix(() => hoistClientFix(ctx, lm.file, client));
      };
    }
    ctx.report({
      ruleId: 'uncached-fetch', message, range: range(ctx, f.call), ...(fixes ? { fixes } : {}),
      data: fetchData(f, { handler, ...(client ? { client: client.className, clientLine: ctx.positionAt(client.node.getStart(ctx.sourceFile)).line } : {}) }),
    });
  }
  middyFetches(ctx, lm);
  for (const hit of lm.reach.crossFile) {
    if (!hit.fetches.length) continue;
    const ops = hit.fetches.slice(0, 3).map(describe).join('; ');
    ctx.report({
      ruleId: 'uncached-fetch',
      message: `${hit.callee}() (in ${hit.file}) runs ${ops} on every invocation of handler "${hit.handler}": each call adds latency and API cost ${costOf(hit.fetches.map((f) => f.op))}. Cache the values at module scope with a TTL, or call the loader once at module scope.`,
      range: range(ctx, hit.site),
      data: { handler: hit.handler, callee: hit.callee, file: hit.file, operations: hit.fetches.map((f) => f.op), crossFile: true },
    });
  }
}

/** middy `ssm({ …, cacheExpiry: 0 })` / `secretsManager(…)`: the middleware fetches before every invocation. */
function middyFetches(ctx: SourceContext, lm: LambdaModel): void {
  if (!lm.reach.handlers.length) return;
  for (const f of lm.file.fetches) {
    if (f.style !== 'middy' || f.cachedByLibrary) continue;
    const handler = handlerOfStatement(lm, f.call) ?? lm.reach.handlers[0].name;
    ctx.report({
      ruleId: 'uncached-fetch',
      message: `The middy ${f.service === 'ssm' ? 'ssm' : 'secretsManager'} middleware with \`cacheExpiry: 0\` runs ${describe(f)} before every invocation of handler "${handler}": each call adds latency and API cost ${COST[f.service]}. Remove \`cacheExpiry: 0\` (the default caches for the life of the container) or set a TTL in milliseconds.`,
      range: range(ctx, f.call),
      data: fetchData(f, { handler, middleware: true }),
    });
  }
}

export const uncachedFetch: Rule = {
  meta: {
    id: 'uncached-fetch',
    title: 'Parameter or secret fetched on every invocation',
    defaultSeverity: 'warning',
    description: 'A GetParameter/GetParameters/GetParametersByPath/GetSecretValue call runs on every Lambda invocation instead of being cached at module scope.',
  },
  source: afterWalk(check),
};
