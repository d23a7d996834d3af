// iam-missing-grant: the code reads a parameter/secret that no statement of its function's role allows, so the call
// fails with AccessDenied at run time.
import { neededAction, refCoverage } from '../../iam/check';
import { generateStatements } from '../../iam/policy';
import type { Reference } from '../../iam/refs';
import type { Rule } from '../../types';
import { functionsOf, inThisFile, lineEnd, rangeOf, type IamContext } from './shared';

function check(ctx: IamContext): void {
  const fns = functionsOf(ctx);
  if (!fns) return;
  const seen = new Set<string>();
  for (const fn of fns) {
    for (const ref of fn.references.refs) {
      if (refCoverage(fn, ref) !== 'no') continue;
      const action = neededAction(ref);
      const what = `${ref.kind} ${ref.prefix ? `names starting with "${ref.name}"` : `"${ref.name}"`}`;
      const key = `${fn.name}|${action}|${ref.name}|${ref.prefix}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // Report at the statement that grants this service to the function, else at the function itself.
      const svc = action.split(':')[0];
      const st = fn.statements.find((s) => s.effect === 'Allow' && s.actions.some((a) => a.toLowerCase().startsWith(svc + ':')));
      const at = st ?? fn.anchor;
      if (!at || !inThisFile(ctx, fn, st)) continue;
      const arn = generateStatements([{ ...ref, decrypt: false } as Reference], fn.flavour === 'serverless' ? 'serverless' : fn.flavour === 'cdk' || fn.flavour === 'terraform' ? 'json' : 'sam')
        .flatMap((s) => s.resources)[0];
      ctx.report({
        ruleId: 'iam-missing-grant',
        message: `Function "${fn.name}" reads ${what} (${action}) but no statement of its role allows ${action} on it, `
          + `so the call fails with AccessDenied at run time. Add ${arn} to the function's policy `
          + `(keyway policy --function ${fn.name} prints the complete statements).`,
        range: rangeOf(ctx, at.start, lineEnd(ctx.text, at.start, at.end)),
        data: { function: fn.name, name: ref.name, prefix: ref.prefix, action, kind: ref.kind, resource: arn },
      });
    }
  }
}

export const iamMissingGrant: Rule = {
  meta: {
    id: 'iam-missing-grant',
    title: 'Code reads a parameter or secret its role is not allowed to read',
    defaultSeverity: 'error',
    description: 'A Lambda handler reads a parameter or secret that no IAM statement of its function allows, so the read fails with AccessDenied at run time.',
  },
  document: check,
  source: (ctx) => ({ finish: () => check(ctx) }),
};
