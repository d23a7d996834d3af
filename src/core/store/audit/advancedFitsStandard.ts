// An Advanced-tier parameter whose value fits the Standard tier and that uses no parameter policy.
import { ADVANCED_PARAMETER_MONTHLY, STANDARD_MAX_BYTES, usd } from './costs';
import type { AuditCheck } from './types';

export const advancedFitsStandard: AuditCheck = {
  id: 'advanced-fits-standard',
  title: 'Advanced-tier parameters that fit Standard',
  why: 'The Advanced tier costs $0.05 a month per parameter and is needed only for values over 4 KB or parameter policies.',
  run(item) {
    if (item.kind !== 'parameter' || !item.facts) return undefined;
    const m = item.meta;
    if (m.tier !== 'Advanced' || item.facts.bytes > STANDARD_MAX_BYTES || (m.policies?.length ?? 0) > 0) return undefined;
    return {
      check: this.id, kind: 'parameter', name: m.name, severity: 'info',
      message: `${m.name} is an Advanced parameter (${usd(ADVANCED_PARAMETER_MONTHLY)} a month) but its value is ${item.facts.bytes} bytes and it has no policy: the Standard tier holds it for free.`,
      monthlyCost: ADVANCED_PARAMETER_MONTHLY, monthlyCostAfter: 0,
      fix: {
        action: 'recreate-standard', title: 'Recreate it in the Standard tier',
        steps: 'AWS cannot move a parameter back to Standard, so Keyway copies it to a backup parameter and verifies the copy, then, after you confirm, deletes it and creates it again in the Standard tier with the same type, value, KMS key, description and tags, verifies it and removes the backup. Its version history starts again at 1; if any step fails the backup stays and the parameter is restored from it.',
      },
    };
  },
};
