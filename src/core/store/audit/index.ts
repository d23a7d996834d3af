// The account audit: the seed's decision framework applied to what is already stored. Each check is its own file;
// this registry runs them on one item (metadata, plus value facts when `valueNeed` asked for them) and sums the costs.
import { advancedFitsStandard } from './advancedFitsStandard';
import { pendingDeletion } from './pendingDeletion';
import { plainConfigInSecrets } from './plainConfigInSecrets';
import { rotationFailing } from './rotationFailing';
import { rotationOverdue } from './rotationOverdue';
import { secretAsSecureString } from './secretAsSecureString';
import { sensitiveString } from './sensitiveString';
import type { AuditCheck, AuditCheckId, AuditContext, AuditFinding, AuditItem } from './types';
import { unusedSecret } from './unusedSecret';

export * from './types';
export { valueFacts, valueNeed } from './facts';
export { usd, SECRET_MONTHLY, ADVANCED_PARAMETER_MONTHLY, STANDARD_MAX_BYTES, ADVANCED_MAX_BYTES } from './costs';
export { parameterNameFor } from './names';
export { UNUSED_DAYS } from './unusedSecret';

/** In report order: cost first, then security, then hygiene. */
export const AUDIT_CHECKS: readonly AuditCheck[] = [
  secretAsSecureString, plainConfigInSecrets, sensitiveString, advancedFitsStandard,
  rotationFailing, rotationOverdue, pendingDeletion, unusedSecret,
];

export function auditCheck(id: AuditCheckId): AuditCheck {
  return AUDIT_CHECKS.find((c) => c.id === id)!;
}

/** Every finding for one item; an item may have several (unused and convertible: the user picks the fix). */
export function auditItem(item: AuditItem, ctx: AuditContext): AuditFinding[] {
  const out: AuditFinding[] = [];
  for (const c of AUDIT_CHECKS) {
    try {
      const f = c.run(item, ctx);
      if (f) out.push(f);
    } catch { /* a check must never stop the audit */ }
  }
  return out;
}

export interface AuditTotals {
  findings: number;
  /** Sum of monthly costs of the flagged items today. */
  monthlyCost: number;
  /** Sum of the savings of fixes that save (cost today − cost after, when positive). */
  monthlySavings: number;
  byCheck: { check: AuditCheckId; title: string; count: number; monthlySavings: number }[];
}

export function auditTotals(findings: readonly AuditFinding[]): AuditTotals {
  const byCheck = new Map<AuditCheckId, { count: number; monthlySavings: number }>();
  let monthlyCost = 0; let monthlySavings = 0;
  for (const f of findings) {
    const save = Math.max(0, f.monthlyCost - f.monthlyCostAfter);
    const e = byCheck.get(f.check) ?? { count: 0, monthlySavings: 0 };
    e.count++; e.monthlySavings += save;
    byCheck.set(f.check, e);
    monthlySavings += save;
    monthlyCost += f.monthlyCost;
  }
  return {
    findings: findings.length, monthlyCost: round(monthlyCost), monthlySavings: round(monthlySavings),
    byCheck: AUDIT_CHECKS.filter((c) => byCheck.has(c.id)).map((c) => ({ check: c.id, title: c.title, count: byCheck.get(c.id)!.count, monthlySavings: round(byCheck.get(c.id)!.monthlySavings) })),
  };
}

function round(n: number): number { return Math.round(n * 100) / 100; }

/** Findings in report order: by check, then by name. */
export function sortFindings(findings: readonly AuditFinding[]): AuditFinding[] {
  const order = new Map(AUDIT_CHECKS.map((c, i) => [c.id, i]));
  return [...findings].sort((a, b) => (order.get(a.check)! - order.get(b.check)!) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
