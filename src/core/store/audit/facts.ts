// Facts about a value that the audit may keep: its size, its shape and whether it looks sensitive. Computed by the
// AWS layer right after the read (it passes the plaintext here and drops it); no fact ever carries a value.
import { classifySecret, isSecretName, pathLooksSecret } from '../../secrets';
import type { ParameterMeta, SecretMeta } from '../../../aws/model';
import type { ValueFacts, ValueNeed } from './types';

function leaf(name: string): string {
  return name.replace(/\/+$/, '').split('/').pop() ?? name;
}

/** Sensitivity of one string under a name: a known credential format, or a secret-looking value under a secret name. */
function looksCredential(value: string, nameHint: string | undefined): boolean {
  return classifySecret(value, nameHint) !== undefined;
}

export function valueFacts(name: string, value: string | undefined, binary = false): ValueFacts {
  const v = value ?? '';
  const secretName = pathLooksSecret(name);
  const facts: ValueFacts = { bytes: binary ? 0 : Buffer.byteLength(v, 'utf8'), binary, json: 'none', credential: false, secretKeys: [], secretName, sensitive: secretName || binary };
  if (binary) return facts;
  const t = v.trimStart();
  let parsed: unknown;
  if (t.startsWith('{') || t.startsWith('[')) {
    try { parsed = JSON.parse(v); } catch { parsed = undefined; }
  }
  if (parsed !== null && typeof parsed === 'object') {
    if (Array.isArray(parsed)) {
      facts.json = 'array';
      facts.credential = parsed.some((x) => typeof x === 'string' && looksCredential(x, leaf(name)));
    } else {
      facts.json = 'object';
      const entries = Object.entries(parsed as Record<string, unknown>);
      facts.jsonKeyCount = entries.length;
      for (const [k, x] of entries) {
        const text = typeof x === 'string' ? x : typeof x === 'number' ? String(x) : undefined;
        if (isSecretName(k) || (text !== undefined && looksCredential(text, k))) facts.secretKeys.push(k);
      }
    }
  } else {
    if (parsed !== undefined) facts.json = 'scalar';
    facts.credential = looksCredential(v, leaf(name));
  }
  facts.sensitive = facts.secretName || facts.credential || facts.secretKeys.length > 0;
  return facts;
}

/**
 * Which value the audit needs to judge an item: Strings are read (their values may be secrets) without decryption;
 * an Advanced parameter is read decrypted (only its size matters); a secret without rotation is read to tell a single
 * sensitive value (a SecureString would do) from plain configuration. Nothing else is read.
 */
export function valueNeed(meta: ParameterMeta | SecretMeta): ValueNeed {
  if (meta.kind === 'parameter') {
    const m = meta;
    if (m.tier === 'Advanced') return 'decrypted';
    if (m.type === 'String' || m.type === 'StringList') return 'plain';
    return undefined;
  }
  const m = meta;
  if (m.rotationEnabled || m.deletedDate || m.owningService) return undefined;
  return 'decrypted';
}
