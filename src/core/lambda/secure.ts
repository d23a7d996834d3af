// Whether a parameter fetch reads a secure value, and whether it asks for decryption.
import { type ts, tsv } from '../ts';
import type { ParameterKind } from '../types';
import { findProp, type FetchCall } from './model';
import { isSecretName, splitWords, extraWordSet } from '../secrets/names';
import { looksSecretName } from './names';

export interface SecureInfo {
  /** Names that look secret or are SecureString in the account. */
  names: string[];
  /** Why: the account says SecureString, or the name looks secret. */
  reason: 'securestring' | 'name';
  /** How to name what is read in a message: `"/app/db-password"` or `the parameter named by DB_PASSWORD_PARAM`. */
  display: string;
}

const REFERENCE_WORDS = new Set(['param', 'params', 'parameter', 'parameters', 'name', 'names', 'path', 'id', 'arn', 'ssm', 'ref', 'location', 'key_name']);

/** `DB_PASSWORD_PARAM`, `apiKeyParameterName`: a variable holding the name of a secret parameter. */
export function hintLooksSecret(hint: string, secretWords: readonly string[]): boolean {
  let m = hintMemo.get(secretWords);
  if (!m) hintMemo.set(secretWords, m = new Map());
  let v = m.get(hint);
  if (v === undefined) {
    v = judgeHint(hint, secretWords);
    if (m.size >= 5000) m.clear();
    m.set(hint, v);
  }
  return v;
}

/** Remembered per extra-word list (a pure function of the hint). */
const hintMemo = new WeakMap<readonly string[], Map<string, boolean>>();

function judgeHint(hint: string, secretWords: readonly string[]): boolean {
  const words = splitWords(hint);
  while (words.length > 1 && REFERENCE_WORDS.has(words[words.length - 1])) words.pop();
  return isSecretName(words.join('_'), extraWordSet(secretWords));
}

/** For an SSM fetch: the names that need decryption (secret-looking, or SecureString per account metadata). */
export function secureNames(f: FetchCall, parameterKind: (name: string) => ParameterKind | undefined, secretWords: readonly string[]): SecureInfo | undefined {
  if (f.service !== 'ssm') return undefined;
  const kindHits: string[] = [];
  const nameHits: string[] = [];
  for (const n of f.names) {
    let kind: ParameterKind | undefined;
    if (f.exactNames.includes(n)) {
      try { kind = parameterKind(n); } catch { kind = undefined; }
    }
    if (kind === 'SecureString') kindHits.push(n);
    else if (kind === undefined && looksSecretName(n, secretWords)) nameHits.push(n);
  }
  if (kindHits.length) return { names: [...kindHits, ...nameHits], reason: 'securestring', display: `"${kindHits[0]}"` };
  if (nameHits.length) return { names: nameHits, reason: 'name', display: `"${nameHits[0]}"` };
  const hint = f.nameHints.find((h) => hintLooksSecret(h, secretWords));
  if (hint) return { names: [hint], reason: 'name', display: `the parameter named by ${hint}` };
  return undefined;
}

/** The expression of `WithDecryption: <expr>` / Powertools `decrypt: <expr>`, when written as a property. */
export function decryptionExpression(f: FetchCall): ts.Expression | undefined {
  const obj = f.style === 'powertools' ? f.ptOptions : f.input;
  const p = obj && findProp(obj, f.style === 'powertools' ? 'decrypt' : 'WithDecryption');
  return p && tsv.isPropertyAssignment(p) ? p.initializer : undefined;
}

/** 'yes' with `WithDecryption: true` / `decrypt: true`; 'no' when absent or false; 'unknown' when set from an expression. */
export function decryptionState(f: FetchCall): 'yes' | 'no' | 'unknown' {
  if (f.style === 'middy') return 'yes'; // middy's ssm middleware always asks for decryption
  if (f.style === 'extension') {
    const m = /[?&]withDecryption=([^&#]*)/i.exec(f.url ?? '');
    return !m ? 'no' : /^true$/i.test(m[1]) ? 'yes' : m[1].includes('{}') ? 'unknown' : 'no';
  }
  const obj = f.style === 'powertools' ? f.ptOptions : f.input;
  if (!obj) {
    if (f.style === 'powertools') {
      // Options passed as a variable we could not resolve.
      return f.call.arguments.length > 1 ? 'unknown' : 'no';
    }
    return 'unknown';
  }
  const p = findProp(obj, f.style === 'powertools' ? 'decrypt' : 'WithDecryption');
  if (!p) {
    return obj.properties.some((x) => tsv.isSpreadAssignment(x)) ? 'unknown' : 'no';
  }
  if (!tsv.isPropertyAssignment(p)) return 'unknown';
  let v = p.initializer;
  while (tsv.isParenthesizedExpression(v) || tsv.isAsExpression(v)) v = v.expression;
  if (v.kind === tsv.SyntaxKind.TrueKeyword) return 'yes';
  if (v.kind === tsv.SyntaxKind.FalseKeyword) return 'no';
  return 'unknown';
}
