// Keyed hashes of values, for comparisons in memory. The key is random per process, so a hash that leaked (it never
// leaves memory) could not be tested against guessed values elsewhere.
import { createHmac, randomBytes } from 'node:crypto';

const KEY = randomBytes(32);

export function valueHash(value: string): string {
  return createHmac('sha256', KEY).update(value, 'utf8').digest('base64url');
}

/** For a JSON object value: each top-level key → hash of its value (as JSON text). Undefined for other values. */
export function jsonKeyHashes(value: string | undefined): Record<string, string> | undefined {
  if (!value || !value.trimStart().startsWith('{')) return undefined;
  let parsed: unknown;
  try { parsed = JSON.parse(value); } catch { return undefined; }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) out[k] = valueHash(JSON.stringify(v) ?? 'undefined');
  return out;
}
