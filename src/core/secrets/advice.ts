import { ROTATING_KINDS, SECRET_KIND_LABELS } from './detect';

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
