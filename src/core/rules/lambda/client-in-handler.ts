// client-in-handler: an SSM or Secrets Manager client built on every invocation instead of once at module scope.
import { hoistClientFix } from '../../fixes/hoist';
import type { Rule } from '../../types';
import { afterWalk, clientsUsedOnlyBy, model, range, safeFix } from './shared';

export const clientInHandler: Rule = {
  meta: {
    id: 'client-in-handler',
    title: 'SDK client constructed per invocation',
    defaultSeverity: 'warning',
    description: 'An SSM or Secrets Manager client is created inside the handler (or a function it calls) instead of once at module scope.',
  },
  source: afterWalk((ctx) => {
    const lm = model(ctx);
    if (!lm) return;
    const covered = clientsUsedOnlyBy(lm); // reported with the reads they serve, by uncached-fetch
    for (const [c, handler] of lm.reach.clients) {
      if (c.kind !== 'client' || (covered.has(c) && ctx.config.rules['uncached-fetch'] !== 'off')) continue;
      ctx.report({
        ruleId: 'client-in-handler',
        message: `${c.className} is constructed on every invocation of handler "${handler}": each new client resolves credentials and opens new connections, adding latency to every call. Create the client once at module scope and reuse it across invocations.`,
        range: range(ctx, c.node),
        fixes: () => safeFix(() => hoistClientFix(ctx, lm.file, c)),
        data: { client: c.className, service: c.service, api: c.style, handler },
      });
    }
    for (const hit of lm.reach.crossFile) {
      if (!hit.clients.length) continue;
      ctx.report({
        ruleId: 'client-in-handler',
        message: `${hit.callee}() (in ${hit.file}) constructs ${[...new Set(hit.clients)].join(', ')} on every invocation of handler "${hit.handler}": each new client resolves credentials and opens new connections. Create the client once at module scope in that file and reuse it.`,
        range: range(ctx, hit.site),
        data: { handler: hit.handler, callee: hit.callee, file: hit.file, clients: hit.clients, crossFile: true },
      });
    }
  }),
};
