import { catalogEntry, ROTATING_KINDS, SECRET_KIND_LABELS } from './catalog';

/** Readable label of a secret kind (`stripe-secret-key` -> "Stripe secret key"). */
export function secretLabel(kind: string): string {
  return SECRET_KIND_LABELS[kind] ?? kind.replace(/-/g, ' ');
}

/** Where the value belongs: Secrets Manager for credentials that must rotate, Parameter Store SecureString otherwise. */
export function storageAdvice(kind: string): string {
  return ROTATING_KINDS.has(kind)
    ? 'Move it to AWS Secrets Manager (it is a credential that should rotate; use a rotation schedule) or, if it never rotates, a Parameter Store SecureString'
    : 'Move it to a Parameter Store SecureString (or Secrets Manager if it must rotate automatically)';
}

/** Where to revoke and rotate a secret of this kind (from the catalog), as a sentence. */
export function rotateAdvice(kind: string): string {
  const e = catalogEntry(kind);
  return e && !e.public && e.rotate && e.rotate !== '—' ? `Revoke and rotate it: ${e.rotate}.` : 'Revoke this value and issue a new one.';
}
