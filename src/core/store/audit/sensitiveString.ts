// A String parameter whose name or value looks sensitive: it is stored and shown in plain text.
import { pathLooksSecret } from '../../secrets';
import type { AuditCheck } from './types';

export const sensitiveString: AuditCheck = {
  id: 'sensitive-string-parameter',
  title: 'String parameters that look sensitive',
  why: 'A String parameter is not encrypted: anyone with ssm:GetParameter (or the console) reads it in plain text, and it appears in CloudFormation and CLI output. A SecureString costs the same ($0).',
  run(item) {
    if (item.kind !== 'parameter') return undefined;
    const m = item.meta;
    if (m.type !== 'String' && m.type !== 'StringList') return undefined;
    const f = item.facts;
    const byValue = !!f && (f.credential || f.secretKeys.length > 0);
    const byName = f ? f.secretName : pathLooksSecret(m.name);
    if (!byValue && !byName) return undefined;
    const why = byValue
      ? (f!.secretKeys.length ? `its JSON keys ${f!.secretKeys.map((k) => `"${k}"`).join(', ')} hold secrets` : 'its value looks like a credential')
      : 'its name looks secret';
    return {
      check: this.id, kind: 'parameter', name: m.name, severity: 'warning',
      message: `${m.name} is a plain ${m.type} but ${why}: make it a SecureString (same cost, encrypted with KMS, masked everywhere).`,
      monthlyCost: m.tier === 'Advanced' ? 0.05 : 0, monthlyCostAfter: m.tier === 'Advanced' ? 0.05 : 0,
      fix: {
        action: 'convert-to-securestring', title: 'Make it a SecureString',
        steps: 'Writes the same value as a new SecureString version (only if nobody changed it meanwhile) and reads it back to verify. Earlier versions stay in the parameter history in plain text; code reading it needs WithDecryption.',
      },
    };
  },
};
