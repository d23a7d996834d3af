// missing-decryption: a secret-looking or SecureString parameter read without decryption.
import { decryptionFix } from '../../fixes/decryption';
import { readsValues } from '../../lambda/sdk';
import { decryptionState, secureNames } from '../../lambda/secure';
import type { Rule } from '../../types';
import { afterWalk, fetchData, model, range, safeFix } from './shared';

export const missingDecryption: Rule = {
  meta: {
    id: 'missing-decryption',
    title: 'Secure parameter read without decryption',
    defaultSeverity: 'warning',
    description: 'A parameter that looks secret (or is a SecureString) is read without WithDecryption: true, so the call returns ciphertext.',
  },
  source: afterWalk((ctx) => {
    const lm = model(ctx);
    if (!lm) return;
    for (const f of lm.file.fetches) {
      if (f.service !== 'ssm' || !readsValues(f.op) || f.style === 'middy') continue; // middy always decrypts
      if (f.style === 'powertools' && f.op === 'GetParameters') continue; // getParametersByName: per-name options
      const sec = secureNames(f, ctx.parameterKind, ctx.config.secretWords);
      if (!sec) continue;
      if (decryptionState(f) !== 'no') continue;
      const flag = f.style === 'powertools' ? '`decrypt: true`' : f.style === 'extension' ? '`withDecryption=true` in the URL' : '`WithDecryption: true`';
      const why = sec.reason === 'securestring'
        ? 'is a SecureString in the connected account'
        : 'looks like it holds a secret (so it should be a SecureString)';
      ctx.report({
        ruleId: 'missing-decryption',
        message: `${f.op} reads ${sec.display} without ${flag}, but the parameter ${why}: without decryption the call returns the encrypted ciphertext instead of the value. Add ${flag}.`,
        range: range(ctx, f.call),
        ...(f.style === 'extension' ? {} : { fixes: () => safeFix(() => decryptionFix(ctx, f)) }),
        data: fetchData(f, { secureNames: sec.names, reason: sec.reason }),
      });
    }
  }),
};
