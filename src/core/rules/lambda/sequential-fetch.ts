// sequential-fetch: independent fetches awaited one after another instead of together.
import { promiseAllFix } from '../../fixes/parallel';
import { findSequentialGroups } from '../../lambda/sequential';
import type { Rule } from '../../types';
import { afterWalk, describe, model, range, safeFix } from './shared';

export const sequentialFetch: Rule = {
  meta: {
    id: 'sequential-fetch',
    title: 'Independent fetches awaited one after another',
    defaultSeverity: 'info',
    description: 'Two or more independent parameter/secret fetches are awaited in sequence instead of in parallel.',
  },
  source: afterWalk((ctx) => {
    const lm = model(ctx);
    // A file with fetches, or a handler that may await fetch wrappers of its relative imports.
    if (!lm || (lm.file.fetches.length < 1 && !lm.reach.handlers.length)) return;
    for (const g of findSequentialGroups(lm.file, ctx.project)) {
      const first = g.fetches[0];
      const last = g.fetches[g.fetches.length - 1];
      const params = g.fetches.filter((f) => f.op === 'GetParameter').length;
      const batch = params >= 2 || (g.kind === 'loop' && first.op === 'GetParameter')
        ? ', or read up to 10 parameter names in one GetParameters call' : '';
      if (g.kind === 'loop') {
        ctx.report({
          ruleId: 'sequential-fetch',
          message: `${describe(first)} is awaited inside a loop, one name at a time, so the latencies add up. Start the fetches together and await them with Promise.all${batch}.`,
          range: range(ctx, first.call),
          data: { operations: g.fetches.map((f) => f.op), count: g.fetches.length, loop: true },
        });
        continue;
      }
      const list = g.fetches.map(describe).join(', ');
      ctx.report({
        ruleId: 'sequential-fetch',
        message: `${g.fetches.length} independent fetches (${list}) are awaited one after another, so their latencies add up. Run them in parallel with Promise.all${batch}.`,
        range: { start: ctx.positionAt(first.call.getStart(ctx.sourceFile)), end: ctx.positionAt(last.call.end) },
        fixes: () => safeFix(() => promiseAllFix(ctx, g)),
        data: { operations: g.fetches.map((f) => f.op), count: g.fetches.length, names: g.fetches.flatMap((f) => f.names) },
      });
    }
  }),
};
