// A secret nobody has read for 90 days (LastAccessedDate, or never read since it was created).
import { SECRET_MONTHLY, usd } from './costs';
import type { AuditCheck } from './types';

const DAY = 86_400_000;
export const UNUSED_DAYS = 90;

export const unusedSecret: AuditCheck = {
  id: 'unused-secret',
  title: `Secrets not read for ${UNUSED_DAYS} days`,
  why: 'A secret that nothing reads costs $0.40 a month and is one more credential to protect.',
  run(item, ctx) {
    if (item.kind !== 'secret') return undefined;
    const m = item.meta;
    if (m.deletedDate) return undefined;
    const last = m.lastAccessed ?? m.created;
    if (last === undefined || ctx.now - last < UNUSED_DAYS * DAY) return undefined;
    const days = Math.floor((ctx.now - last) / DAY);
    const what = m.lastAccessed ? `last read ${days} days ago` : `never read in the ${days} days since it was created`;
    return {
      check: this.id, kind: 'secret', name: m.name, severity: 'info',
      message: `${m.name} was ${what} (LastAccessedDate): if nothing needs it, deleting it saves ${usd(SECRET_MONTHLY)} a month.`,
      monthlyCost: SECRET_MONTHLY, monthlyCostAfter: 0,
      fix: { action: 'schedule-deletion', title: 'Schedule it for deletion (30-day recovery)', steps: 'After you confirm (check Find References first), schedules the deletion with a 30-day recovery window: Restore brings it back unchanged until then.' },
    };
  },
};
