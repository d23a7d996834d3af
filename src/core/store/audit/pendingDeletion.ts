// A secret scheduled for deletion: code that still reads it fails once the recovery window ends.
import type { AuditCheck } from './types';

const DAY = 86_400_000;

export const pendingDeletion: AuditCheck = {
  id: 'pending-deletion',
  title: 'Secrets pending deletion',
  why: 'A secret scheduled for deletion cannot be read (GetSecretValue fails at once) and is gone for good when the recovery window ends.',
  run(item, ctx) {
    if (item.kind !== 'secret' || !item.meta.deletedDate) return undefined;
    const m = item.meta;
    const requested = Math.max(0, Math.floor((ctx.now - (m.deletedDate ?? ctx.now)) / DAY));
    return {
      check: this.id, kind: 'secret', name: m.name, severity: 'info',
      message: `${m.name} was scheduled for deletion ${requested === 0 ? 'today' : `${requested} day${requested === 1 ? '' : 's'} ago`} (on ${new Date(m.deletedDate!).toISOString().slice(0, 10)}); reads fail until it is restored. If code still reads it (Find References), restore it.`,
      monthlyCost: 0, monthlyCostAfter: 0.4,
      fix: { action: 'restore-secret', title: 'Restore it', steps: 'Cancels the scheduled deletion after you confirm; the secret and all its versions come back unchanged.' },
    };
  },
};
