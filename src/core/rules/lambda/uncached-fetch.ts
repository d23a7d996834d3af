// uncached-fetch: a parameter or secret fetched on every invocation instead of cached at module scope.
import type { ts } from '../../ts';
import { enclosingFunction } from '../../fixes/common';
import { keyedCacheFix } from '../../fixes/keyed';
import { cachedLoaderFix, powertoolsMaxAgeFix } from '../../fixes/loader';
import type { FetchCall } from '../../lambda/model';
import type { Fix, Rule } from '../../types';
import { afterWalk, describe, fetchData, model, range, safeFix } from './shared';

export const uncachedFetch: Rule = {
  meta: {
    id: 'uncached-fetch',
    title: 'Parameter or secret fetched on every invocation',
    defaultSeverity: 'warning',
    description: 'A GetParameter/GetParameters/GetParametersByPath/GetSecretValue call runs on every Lambda invocation instead of being cached at module scope.',
  },
  source: afterWalk((ctx) => {
    const lm = model(ctx);
    if (!lm) return;
    const throttle = 'and can hit throttling (Parameter Store allows 40 TPS by default)';
    // Every fetch of one function gets the same loader fix: build it once per function.
    const loaderFixes = new Map<ts.Node, Fix[]>();
    const loaderFix = (f: FetchCall): Fix[] => {
      const fn = enclosingFunction(f.call);
      const known = fn && loaderFixes.get(fn);
      if (known) return known;
      const fixes = safeFix(() => cachedLoaderFix(ctx, lm, f));
      if (fn && fixes.length) loaderFixes.set(fn, fixes);
      return fixes.length ? fixes : safeFix(() => keyedCacheFix(ctx, lm.file, f));
    };
    for (const [f, handler] of lm.reach.fetches) {
      const what = describe(f);
      const ptHint = f.style === 'powertools'
        ? ' Drop `maxAge: 0`/`forceFetch: true` (or give it a maxAge) so the Powertools cache serves repeated reads.'
        : ' Cache the value at module scope with a TTL (a module-scope loader, Powertools Parameters, or the Parameters and Secrets Lambda Extension).';
      const message = `${what} runs on every invocation of handler "${handler}": each call adds latency and API cost ${f.service === 'ssm' ? throttle : '(Secrets Manager charges $0.05 per 10,000 calls)'}.${ptHint}`;
      const fixes = f.style === 'powertools'
        ? () => safeFix(() => powertoolsMaxAgeFix(ctx, f))
        : () => loaderFix(f);
      ctx.report({ ruleId: 'uncached-fetch', message, range: range(ctx, f.call), fixes, data: fetchData(f, { handler }) });
    }
    for (const hit of lm.reach.crossFile) {
      if (!hit.fetches.length) continue;
      const ops = hit.fetches.slice(0, 3).map(describe).join('; ');
      ctx.report({
        ruleId: 'uncached-fetch',
        message: `${hit.callee}() (in ${hit.file}) runs ${ops} on every invocation of handler "${hit.handler}": each call adds latency and API cost, and can hit throttling (Parameter Store allows 40 TPS by default). Cache the values at module scope with a TTL, or call the loader once at module scope.`,
        range: range(ctx, hit.site),
        data: { handler: hit.handler, callee: hit.callee, file: hit.file, operations: hit.fetches.map((f) => f.op), crossFile: true },
      });
    }
  }),
};
