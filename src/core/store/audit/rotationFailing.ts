// A version labelled AWSPENDING that never became AWSCURRENT: a rotation started and did not finish.
import type { AuditCheck } from './types';

export const rotationFailing: AuditCheck = {
  id: 'rotation-failing',
  title: 'Rotation failing',
  why: 'A rotation that stops half way leaves an AWSPENDING version behind; the next rotations fail until it is resolved, and the credential stops rotating.',
  run(item) {
    if (item.kind !== 'secret') return undefined;
    const m = item.meta;
    if (m.deletedDate || !m.versionStages) return undefined;
    const pending = Object.entries(m.versionStages).find(([, stages]) => stages.includes('AWSPENDING') && !stages.includes('AWSCURRENT'));
    if (!pending) return undefined;
    return {
      check: this.id, kind: 'secret', name: m.name, severity: 'warning',
      message: `${m.name} has a pending version (${pending[0].slice(0, 8)}) that never became current: a rotation started and did not finish${m.rotationEnabled ? '' : ' (rotation is off now)'}. Check the rotation Lambda's logs, then rotate again.`,
      monthlyCost: 0.4, monthlyCostAfter: 0.4,
      fix: { action: 'rotate-now', title: 'Rotate again', steps: 'Starts a rotation with the configured Lambda after you confirm; it resumes or replaces the pending version. The current value stays available.' },
    };
  },
};
