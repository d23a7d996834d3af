// Plain configuration (a URL, a table name, non-secret JSON) kept in Secrets Manager: a String parameter is free.
import { ADVANCED_MAX_BYTES, parameterMonthlyFor, SECRET_MONTHLY, usd } from './costs';
import { parameterNameFor } from './names';
import type { AuditCheck } from './types';

export const plainConfigInSecrets: AuditCheck = {
  id: 'plain-config-in-secrets-manager',
  title: 'Plain configuration kept in Secrets Manager',
  why: 'Nothing in the value is sensitive, so it needs neither encryption nor rotation: a String parameter costs nothing.',
  run(item) {
    if (item.kind !== 'secret' || !item.facts) return undefined;
    const m = item.meta; const f = item.facts;
    if (m.rotationEnabled || m.deletedDate || m.owningService || f.binary || f.sensitive || f.bytes === 0) return undefined;
    if (f.bytes > ADVANCED_MAX_BYTES) return undefined;
    const after = parameterMonthlyFor(f.bytes);
    const target = parameterNameFor(m.name);
    return {
      check: this.id, kind: 'secret', name: m.name, severity: 'info',
      message: `${m.name} holds plain configuration (no secret name, no credential in the value${f.json === 'object' ? (f.jsonKeyCount === 1 ? ', nor its one key' : `, none of its ${f.jsonKeyCount} keys`) : ''}): as a String parameter it costs ${usd(after)} instead of ${usd(SECRET_MONTHLY)} a month.`,
      monthlyCost: SECRET_MONTHLY, monthlyCostAfter: after,
      fix: {
        action: 'convert-secret-to-string', title: `Move to the String parameter ${target}`, target,
        steps: `Creates ${target} (String) with the same value, reads it back to verify, then, after you confirm, schedules the secret for deletion with a 30-day recovery window. Update the code that reads it (Find References).`,
      },
    };
  },
};
