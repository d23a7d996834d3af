// A Secrets Manager secret without rotation that holds one sensitive value: a SecureString parameter holds it for free.
import { ADVANCED_MAX_BYTES, parameterMonthlyFor, SECRET_MONTHLY, usd } from './costs';
import { parameterNameFor } from './names';
import type { AuditCheck } from './types';

export const secretAsSecureString: AuditCheck = {
  id: 'secret-as-securestring',
  title: 'Secrets without rotation that a SecureString would hold',
  why: 'Secrets Manager costs $0.40 a month per secret for rotation; a sensitive value that never rotates is a free SecureString parameter.',
  run(item) {
    if (item.kind !== 'secret' || !item.facts) return undefined;
    const m = item.meta; const f = item.facts;
    if (m.rotationEnabled || m.deletedDate || m.owningService || f.binary || !f.sensitive) return undefined;
    if (f.json === 'object' && (f.jsonKeyCount ?? 0) > 1) return undefined;
    if (f.bytes > ADVANCED_MAX_BYTES) return undefined;
    const after = parameterMonthlyFor(f.bytes);
    const target = parameterNameFor(m.name);
    return {
      check: this.id, kind: 'secret', name: m.name, severity: 'info',
      message: `${m.name} holds a single sensitive value and does not rotate: as a SecureString parameter it costs ${usd(after)} instead of ${usd(SECRET_MONTHLY)} a month.`,
      monthlyCost: SECRET_MONTHLY, monthlyCostAfter: after,
      fix: {
        action: 'convert-secret-to-securestring', title: `Move to the SecureString parameter ${target}`, target,
        steps: `Creates ${target} (SecureString) with the same value, reads it back to verify, then, after you confirm, schedules the secret for deletion with a 30-day recovery window. Update the code that reads it (Find References).`,
      },
    };
  },
};
