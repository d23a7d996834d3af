// iam-overbroad-resource: a statement grants far more parameters/secrets than the function's code reads: every
// parameter, another stage's path, every secret of the app for a function that reads one.
import { overbroadResources } from '../../iam/check';
import type { Rule } from '../../types';
import { isWildcardResource, sensitiveActionsOf } from './iam-wildcard-resource';
import { functionsOf, inThisFile, rangeOf, type IamContext } from './shared';

function check(ctx: IamContext): void {
  const fns = functionsOf(ctx);
  if (!fns) return;
  const wildcardRule = ctx.config.rules['iam-wildcard-resource'] !== 'off';
  for (const o of overbroadResources(fns)) {
    // a statement in another file of a Terraform module is reported where it is written
    const owner = fns.find((f) => o.functions.includes(f.name));
    if (owner && !inThisFile(ctx, owner, o.statement)) continue;
    // `parameter/*`, `secret:*`, `*`: iam-wildcard-resource reports the same resource; one finding is enough.
    const services = new Set(o.statement.actions.flatMap(sensitiveActionsOf).map((a) => a.split(':')[0].toLowerCase()));
    if (wildcardRule && isWildcardResource(o.resource.text ?? '', services)) continue;
    ctx.report({
      ruleId: 'iam-overbroad-resource',
      message: o.message,
      range: rangeOf(ctx, o.resource.start, o.resource.end),
      data: { functions: o.functions, resource: o.resource.text ?? '', reads: o.reads },
    });
  }
}

export const iamOverbroadResource: Rule = {
  meta: {
    id: 'iam-overbroad-resource',
    title: 'Policy grants far more parameters or secrets than the code reads',
    defaultSeverity: 'warning',
    description: 'An IAM resource grants parameters or secrets well beyond what the function\'s code reads (every parameter, another stage\'s path, every secret of the app).',
  },
  document: check,
  source: (ctx) => ({ finish: () => check(ctx) }),
};
