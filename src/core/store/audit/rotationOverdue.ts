// Rotation enabled but the last rotation is older than its schedule allows.
import type { AuditCheck } from './types';

const DAY = 86_400_000;
/** Rotation runs within a window; a day late is not yet a finding. */
const GRACE = DAY;

export const rotationOverdue: AuditCheck = {
  id: 'rotation-overdue',
  title: 'Rotation overdue',
  why: 'A secret whose rotation is on but has not rotated on schedule is usually a failing rotation Lambda: the credential is older than your policy says.',
  run(item, ctx) {
    if (item.kind !== 'secret') return undefined;
    const m = item.meta;
    if (!m.rotationEnabled || m.deletedDate) return undefined;
    let due: number | undefined;
    const since = m.lastRotated ?? m.created;
    if (m.rotationDays && since) due = since + m.rotationDays * DAY;
    if (m.nextRotation !== undefined && (due === undefined || m.nextRotation < due)) due = m.nextRotation;
    if (due === undefined || ctx.now <= due + GRACE) return undefined;
    const late = Math.floor((ctx.now - due) / DAY);
    const last = m.lastRotated ? `last rotated ${new Date(m.lastRotated).toISOString().slice(0, 10)}` : 'never rotated';
    return {
      check: this.id, kind: 'secret', name: m.name, severity: 'warning',
      message: `${m.name} should have rotated ${late} day${late === 1 ? '' : 's'} ago (${last}, schedule ${m.rotationSchedule ?? `every ${m.rotationDays} days`}). Check the rotation Lambda's logs.`,
      monthlyCost: 0.4, monthlyCostAfter: 0.4,
      fix: { action: 'rotate-now', title: 'Rotate now', steps: 'Starts a rotation with the configured Lambda after you confirm. The current value stays available as AWSPREVIOUS.' },
    };
  },
};
