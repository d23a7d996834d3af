// nonsensitive-in-secrets-manager: plain configuration kept in Secrets Manager.
import { nonSensitiveKind } from '../../lambda/names';
import type { Rule } from '../../types';
import { afterWalk, fetchData, model, range } from './shared';

export const nonsensitiveInSecretsManager: Rule = {
  meta: {
    id: 'nonsensitive-in-secrets-manager',
    title: 'Non-sensitive configuration stored in Secrets Manager',
    defaultSeverity: 'info',
    description: 'A GetSecretValue reads a value that is clearly non-sensitive configuration, which belongs in a free Parameter Store String.',
  },
  source: afterWalk((ctx) => {
    const lm = model(ctx);
    if (!lm) return;
    for (const f of lm.file.fetches) {
      if (f.op !== 'GetSecretValue' || f.names.length !== 1) continue;
      const kind = nonSensitiveKind(f.names[0], ctx.config.secretWords);
      if (!kind) continue;
      ctx.report({
        ruleId: 'nonsensitive-in-secrets-manager',
        message: `GetSecretValue reads "${f.names[0]}", which looks like non-sensitive configuration (${kind}). Secrets Manager costs $0.40 per secret per month plus API calls; store it as a Parameter Store String parameter instead (free in the standard tier) and keep Secrets Manager for credentials that rotate.`,
        range: range(ctx, f.call),
        data: fetchData(f, { kind }),
      });
    }
  }),
};
