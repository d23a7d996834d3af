// Judging a value on its own: placeholders, references resolved elsewhere, words, patterns, and how much evidence of
// a real secret it carries. Pure; never logs or returns the value.
import { shannonEntropy } from './catalog';

/** How strongly a value looks like a real secret. `weak`: a word (or two) plus digits; `none`: no secret at all. */
export type Evidence = 'none' | 'weak' | 'medium' | 'strong';

const PLACEHOLDER_WORDS = /example|sample|dummy|fake|placeholder|changeme|change[_-]me|replace|your[_-]?|xxxx|\*\*\*|redacted|todo|lorem|foobar|insert|test|mock|undefined|null|none|default|tbd|fixme|notset|not[_-]set|\.\.\./gi;

/** Passwords everyone tries first, normalised (lower case, leetspeak undone, trailing digits and symbols dropped). */
const COMMON = new Set(['password', 'passw', 'pass', 'passwd', 'pwd', 'secret', 'letmein', 'qwerty', 'qwertyuiop', 'admin', 'administrator',
  'root', 'toor', 'welcome', 'hunter', 'iloveyou', 'monkey', 'dragon', 'master', 'login', 'abc', 'abcd', 'abcdef', 'guest', 'user',
  'default', 'changeme', 'changeit', 'test', 'testing', 'tester', 'demo', 'sample', 'example', 'foobar', 'foo', 'bar', 'baz', 'hello',
  'helloworld', 'trustno', 'sunshine', 'princess', 'football', 'baseball', 'shadow', 'superman', 'batman', 'starwars', 'mysecret',
  'mypassword', 'supersecret', 'topsecret', 'secretpassword', 'secretkey', 'privatekey', 'apikey', 'token', 'mytoken', 'accesstoken',
  'postgres', 'mysql', 'redis', 'mongo', 'mongodb', 'rabbitmq', 'oracle', 'sa', 'dbpassword', 'dbpass', 'local', 'localhost', 'dev',
  'development', 'staging', 'prod', 'production', 'pa', 'pw', 'p']);

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', '$': 's', '!': 'i' };

/** Undo leetspeak inside words: `s3cr3t` → `secret`, `P@ssw0rd` → `Password` (a digit between letters only). */
export function unleet(v: string): string {
  return v.replace(/(?<=\p{L})[013457@$!8](?=[013457@$!8]*\p{L})/gu, (c) => LEET[c] ?? c);
}

/** Letter runs split at case changes: `InitialToken1` → Initial, Token; `Zx8kQ2` → Zx, k, Q. */
function letterPieces(v: string): string[] {
  const out: string[] = [];
  for (const run of v.match(/\p{L}+/gu) ?? []) {
    for (const p of run.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2').replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1 $2').split(' ')) if (p) out.push(p);
  }
  return out;
}

/** A piece that reads like a word: vowels in proportion, no long consonant run. Non-ASCII letters count as letters. */
export function pronounceable(w: string): boolean {
  const s = w.toLowerCase();
  if (/[^a-z]/.test(s)) return /\p{L}{2,}/u.test(s); // non-ASCII words (`Contraseña`, `Passwort`, `パスワード`) are words
  if (s.length <= 3) return /[aeiouy]/.test(s) || /^(?:jwt|api|db|sql|smtp|ssh|tls|ssl|pg|id|ok|sk|pk|url|cdn|dns|xml|rpc|grpc|http|ftp|key|kms|iam|sts|s3)$/.test(s);
  const vowels = (s.match(/[aeiouy]/g) ?? []).length;
  const ratio = vowels / s.length;
  if (ratio < 0.2 || ratio > 0.75) return false;
  return !/[^aeiouy]{5,}/.test(s) && !/[aeiou]{4,}/.test(s);
}

/** Fraction of the value's characters that sit in word-like pieces of three or more letters. */
export function wordCoverage(v: string): number {
  if (!v.length) return 0;
  let covered = 0;
  for (const p of letterPieces(unleet(v))) if (p.length >= 3 && pronounceable(p)) covered += p.length;
  return covered / v.length;
}

/** Sequences and keyboard walks: `abcdef12`, `a1b2c3d4`, `qwertyui`, `12345678`, `aaaaBBBB`. */
export function patterned(v: string): boolean {
  const n = v.length;
  if (n < 6) return false;
  const lower = v.toLowerCase();
  if (/qwert|asdfg|zxcvb|yxcvb|azerty|qwertz|1qaz|2wsx|!qaz/.test(lower)) return true;
  for (const stride of [1, 2]) {
    let near = 0;
    for (let i = 0; i + stride < n; i++) {
      const d = lower.charCodeAt(i + stride) - lower.charCodeAt(i);
      if (d >= -1 && d <= 1) near++;
    }
    if (near / (n - stride) >= 0.5) return true;
  }
  return false;
}

/** Character classes present: lower, upper, digit, other. */
export function classCount(v: string): number {
  return (/\p{Ll}/u.test(v) ? 1 : 0) + (/\p{Lu}/u.test(v) ? 1 : 0) + (/\d/.test(v) ? 1 : 0) + (/[^\p{L}\d]/u.test(v) ? 1 : 0);
}

/** Only words and digits, joined by separators: `InitialToken1`, `session-token-123`, `s3cret`, `token123`. */
export function wordPlusDigits(v: string): boolean {
  const u = unleet(v);
  if (!/^[\p{L}\d]+(?:[-_. ][\p{L}\d]+)*$/u.test(u)) return false;
  const pieces = letterPieces(u);
  if (pieces.length === 0 || pieces.length > 3) return false;
  if (!pieces.every((p) => pronounceable(p))) return false;
  const digits = (u.match(/\d/g) ?? []).length;
  return digits <= 8;
}

/** A password everyone tries first (`P@ssw0rd!`, `admin123`, `changeit`, `letmein`). */
export function isCommonPassword(v: string): boolean {
  const n = unleet(v).toLowerCase().replace(/[\d\W_]+$/u, '').replace(/^[\d\W_]+/u, '').replace(/[-_. ]/g, '');
  return COMMON.has(n) || /^(?:\d+|(.)\1+)$/.test(v);
}

/**
 * How much the value itself says "real secret", before any name is considered.
 * strong: random-looking (long, high entropy, few words, no pattern); medium: not a word plus digits, enough length and
 * variety; weak: words plus digits; none: too short or too plain.
 */
export function evidence(v: string, passwordName = false): Evidence {
  const n = v.length;
  if (n < 6) return 'none';
  const h = shannonEntropy(v);
  const classes = classCount(v);
  if (patterned(v) || isCommonPassword(v)) return 'none';
  if (wordPlusDigits(v)) return 'weak';
  const coverage = wordCoverage(v);
  if (n >= 16 && h >= 3.5 && coverage <= 0.4 && classes >= 2) return 'strong';
  if (n >= 20 && h >= 3.3 && coverage <= 0.25 && classes >= 1) return 'strong';
  if (passwordName) return n >= 6 && classes >= 2 && h >= 2.3 ? 'medium' : 'weak';
  if (n >= 8 && classes >= 2 && h >= 2.8) return 'medium';
  if (n >= 20 && h >= 3.5) return 'medium';
  return 'weak';
}

/**
 * Placeholders and example values: `<your-key>`, `xxx`, `changeme`, `****`, `${VAR}`, `test1234`, `example-secret-123`.
 * A placeholder word counts only when the rest of the value is not random: `ak_test_<random>` is a key, not a sample.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (!v) return true;
  if (/^<[^<>]*>$|^\[[^[\]]*\]$|^\{[^{}]*\}$|^%[^%]*%$|^__[A-Z0-9_]+__$|^\.\.\.|\.\.\.$|…/.test(v)) return true;
  if (/^[xX*#.\-_•]+$/.test(v) || /(?:x{4,}|X{4,}|\*{3,}|#{4,}|•{3,})/.test(v)) return true;
  if (new Set(v).size <= 3) return true;
  if (/^(?:0123456789|123456789|abcdefg|qwerty|asdf)/i.test(v)) return true;
  PLACEHOLDER_WORDS.lastIndex = 0;
  if (PLACEHOLDER_WORDS.test(v)) {
    PLACEHOLDER_WORDS.lastIndex = 0;
    const rest = v.replace(PLACEHOLDER_WORDS, '');
    // what is left when the placeholder words are taken out must itself be a random secret
    const restCore = rest.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
    if (restCore.length < 12 || evidence(restCore) !== 'strong') return true;
  }
  return false;
}

/** References resolved elsewhere: env lookups, deploy-time interpolation, template tags, intrinsic functions, JSONPath. */
export function isReference(value: string): boolean {
  const v = value.trim();
  return /^\$\{[^}]*\}?|^\$\(|^\{\{[^}]*\}\}|\$\{\{|^%\(|^process\.env|^import\.meta\.env|^env\(|^!(?:Ref|Sub|GetAtt|ImportValue|Join|Select|FindInMap|If)\b|^Fn::|^\$[A-Z_][A-Z0-9_]*$|^\$env:|^%[A-Z_]+%$|^ENC\[|^vault:|^arn:|^ssm:|^secretsmanager:|^resolve:|^op:\/\/|^@Microsoft\.KeyVault|^\$\$?\.|^\$\$?\[|^#\{[^}]*\}$|^\{%|^%\{[^}]*\}$|^\$\{\{|^sm:\/\/|^awssm:|^gcp:|^azure:|^keyvault:|^secret:|^bw:|^doppler:/.test(v)
    || /^(?:\$\{[^}]+\}|\{\{[^}]+\}\}|\$\([^)]+\)|\$[A-Z_][A-Z0-9_]*|%[A-Z_]+%)+$/.test(v);
}
