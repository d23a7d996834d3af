// Plain data of the account audit (issue 14 §3): what the AWS layer tells core about each stored item, and what
// core answers. Never a value: the AWS layer reads a value only to compute `ValueFacts`, then drops it.
import type { ParameterMeta, SecretMeta } from '../../../aws/model';

export type AuditCheckId =
  | 'secret-as-securestring'
  | 'plain-config-in-secrets-manager'
  | 'sensitive-string-parameter'
  | 'advanced-fits-standard'
  | 'rotation-overdue'
  | 'rotation-failing'
  | 'pending-deletion'
  | 'unused-secret';

/** What can be known about a value without keeping it. */
export interface ValueFacts {
  /** UTF-8 bytes. */
  bytes: number;
  binary: boolean;
  json: 'object' | 'array' | 'scalar' | 'none';
  /** Top-level keys of a JSON object. */
  jsonKeyCount?: number;
  /** The value (or a field of a JSON object) is a credential: a provider format, a PEM key, a password in a URL, or a
   * high-entropy string under a secret name. */
  credential: boolean;
  /** JSON object keys whose names are secret names or whose values are credentials (names only). */
  secretKeys: string[];
  /** The item's own name looks secret (`…/db-password`). */
  secretName: boolean;
  /** credential || secretKeys.length || secretName. */
  sensitive: boolean;
}

/** Which value an audit needs: none, the plain value (Strings), or the decrypted value (size of a SecureString). */
export type ValueNeed = 'plain' | 'decrypted' | undefined;

export type AuditItem =
  | { kind: 'parameter'; meta: ParameterMeta; facts?: ValueFacts; valueError?: string }
  | { kind: 'secret'; meta: SecretMeta; facts?: ValueFacts; valueError?: string };

export type FixAction =
  | 'convert-secret-to-securestring'
  | 'convert-secret-to-string'
  | 'convert-to-securestring'
  | 'recreate-standard'
  | 'rotate-now'
  | 'restore-secret'
  | 'schedule-deletion';

export interface AuditFix {
  action: FixAction;
  /** Imperative title, e.g. "Move to a SecureString parameter". */
  title: string;
  /** What the fix does, step by step, and what stays recoverable. */
  steps: string;
  /** The name the value moves to, for conversions between stores. */
  target?: string;
}

export interface AuditFinding {
  check: AuditCheckId;
  kind: 'parameter' | 'secret';
  name: string;
  severity: 'warning' | 'info';
  /** What is wrong and why (never a value). */
  message: string;
  /** Monthly storage cost of the item today and after the fix (USD, list prices). */
  monthlyCost: number;
  monthlyCostAfter: number;
  fix: AuditFix;
}

export interface AuditCheck {
  id: AuditCheckId;
  /** Heading of the group in reports and the Audit view. */
  title: string;
  /** One sentence: why this matters. */
  why: string;
  run(item: AuditItem, ctx: AuditContext): AuditFinding | undefined;
}

export interface AuditContext {
  /** Epoch ms (injected so tests are deterministic). */
  now: number;
}
