// iam-missing-kms-decrypt: the code reads SecureString parameters or secrets that the IaC encrypts with a customer
// managed key, but the function's policy has no kms:Decrypt that can cover that key. The AWS managed keys
// (`alias/aws/ssm`, `alias/aws/secretsmanager`, the default when no key is given) need no IAM grant.
import { refCoverage } from '../../iam/check';
import { customerKeyCoverage, customerKeyOf, type KeyedValue } from '../../iam/keys';
import type { Reference } from '../../iam/refs';
import type { Rule } from '../../types';
import { functionsOf, inThisFile, lineEnd, rangeOf, type IamContext } from './shared';

function check(ctx: IamContext): void {
  const fns = functionsOf(ctx);
  if (!fns) return;
  for (const fn of fns) {
    const needs: { r: Reference; key: KeyedValue }[] = [];
    for (const r of fn.references.refs) {
      const key = customerKeyOf(fn, r);
      if (key) needs.push({ r, key });
    }
    if (!needs.length || customerKeyCoverage(fn) !== 'no') continue;
    const names = [...new Set(needs.map(({ r }) => (r.prefix ? r.name + '*' : r.name)))].sort();
    const keys = [...new Set(needs.map(({ key }) => key.key))].sort();
    // Report at the statement that lets the function read those values (kms:Decrypt belongs next to it).
    const covering = fn.statements.find((s) => s.effect === 'Allow' && needs.some(({ r }) => refCoverage({ ...fn, statements: [s], opaque: undefined }, r) === 'yes'));
    const at = covering ?? fn.anchor;
    if (!at || !inThisFile(ctx, fn, covering)) continue;
    const what = needs.every(({ r }) => r.kind === 'secret') ? 'secret' : needs.every(({ r }) => r.kind === 'parameter') ? 'SecureString parameter' : 'value';
    const list = names.slice(0, 3).map((n) => `"${n}"`).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
    ctx.report({
      ruleId: 'iam-missing-kms-decrypt',
      message: `Function "${fn.name}" reads ${what}${names.length > 1 ? 's' : ''} ${list}, encrypted with the customer managed key `
        + `${keys.slice(0, 2).join(', ')}${keys.length > 2 ? '…' : ''}, but its policy has no kms:Decrypt on that key, so the read fails with `
        + `AccessDenied unless the key policy names the function's role. Add a statement allowing kms:Decrypt on the key's ARN.`,
      range: rangeOf(ctx, at.start, lineEnd(ctx.text, at.start, at.end)),
      data: { function: fn.name, names, keys },
    });
  }
}

export const iamMissingKmsDecrypt: Rule = {
  meta: {
    id: 'iam-missing-kms-decrypt',
    title: 'Customer managed key without kms:Decrypt',
    defaultSeverity: 'warning',
    description: 'A Lambda handler reads SecureString parameters or secrets encrypted with a customer managed KMS key, but no IAM statement of its function allows kms:Decrypt on that key.',
  },
  document: check,
  source: (ctx) => ({ finish: () => check(ctx) }),
};
