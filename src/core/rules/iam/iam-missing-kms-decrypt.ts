// iam-missing-kms-decrypt: the code decrypts SecureString parameters, but the function's policy has no kms:Decrypt
// covering the key.
import { kmsCoverage, refCoverage } from '../../iam/check';
import type { Rule } from '../../types';
import { functionsOf, inThisFile, lineEnd, rangeOf, type IamContext } from './shared';

function check(ctx: IamContext): void {
  const fns = functionsOf(ctx);
  if (!fns) return;
  for (const fn of fns) {
    const decrypted = fn.references.refs.filter((r) => r.kind === 'parameter' && r.decrypt);
    if (!decrypted.length || kmsCoverage(fn) !== 'no') continue;
    const names = [...new Set(decrypted.map((r) => (r.prefix ? r.name + '*' : r.name)))].sort();
    // Report at the statement that lets the function read those parameters (kms:Decrypt belongs next to it).
    const covering = fn.statements.find((s) => s.effect === 'Allow' && decrypted.some((r) => refCoverage({ ...fn, statements: [s], opaque: undefined }, r) === 'yes'));
    const at = covering ?? fn.anchor;
    if (!at || !inThisFile(ctx, fn, covering)) continue;
    const key = fn.flavour === 'serverless' ? 'arn:aws:kms:${aws:region}:${aws:accountId}:alias/aws/ssm'
      : fn.flavour === 'cdk' ? 'arn:aws:kms:<region>:<account>:alias/aws/ssm'
        : fn.flavour === 'terraform' ? 'arn:aws:kms:${var.region}:${data.aws_caller_identity.current.account_id}:alias/aws/ssm'
          : 'arn:aws:kms:${AWS::Region}:${AWS::AccountId}:alias/aws/ssm';
    const list = names.slice(0, 3).map((n) => `"${n}"`).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
    ctx.report({
      ruleId: 'iam-missing-kms-decrypt',
      message: `Function "${fn.name}" decrypts SecureString parameter${names.length > 1 ? 's' : ''} ${list} but its policy has no kms:Decrypt `
        + `on the parameter's KMS key, so decryption fails with AccessDenied unless the key policy grants it. `
        + `Add a statement allowing kms:Decrypt on ${key} (or on the parameter's customer managed key).`,
      range: rangeOf(ctx, at.start, lineEnd(ctx.text, at.start, at.end)),
      data: { function: fn.name, names },
    });
  }
}

export const iamMissingKmsDecrypt: Rule = {
  meta: {
    id: 'iam-missing-kms-decrypt',
    title: 'SecureString decrypted without kms:Decrypt',
    defaultSeverity: 'warning',
    description: 'A Lambda handler reads SecureString parameters with decryption, but no IAM statement of its function allows kms:Decrypt on the key.',
  },
  document: check,
  source: (ctx) => ({ finish: () => check(ctx) }),
};
