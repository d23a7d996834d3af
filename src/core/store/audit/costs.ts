// List prices used by the audit (USD per month, us-east-1; see the domain background and docs/audit.md).
import type { ParameterMeta } from '../../../aws/model';

export const SECRET_MONTHLY = 0.4;
export const ADVANCED_PARAMETER_MONTHLY = 0.05;
export const STANDARD_PARAMETER_MONTHLY = 0;
export const STANDARD_MAX_BYTES = 4 * 1024;
export const ADVANCED_MAX_BYTES = 8 * 1024;

export function parameterMonthly(meta: Pick<ParameterMeta, 'tier'>): number {
  return meta.tier === 'Advanced' ? ADVANCED_PARAMETER_MONTHLY : STANDARD_PARAMETER_MONTHLY;
}

/** Cost of a parameter holding `bytes` bytes (the tier it needs). */
export function parameterMonthlyFor(bytes: number): number {
  return bytes > STANDARD_MAX_BYTES ? ADVANCED_PARAMETER_MONTHLY : STANDARD_PARAMETER_MONTHLY;
}

/** `$0.40`, `$0.05`, `$0.00`; cents are enough for list prices and their sums. */
export function usd(n: number): string {
  return `$${(Math.round(n * 100) / 100).toFixed(2)}`;
}
