// Judging a value on its own: placeholders, references resolved elsewhere, words, patterns, and how much evidence of
// a real secret it carries. Pure; never logs or returns the value.
import { shannonEntropy } from './catalog';

/** How strongly a value looks like a real secret. `weak`: a word (or two) plus digits; `none`: no secret at all. */
export type Evidence = 'none' | 'weak' | 'medium' | 'strong';

/** Words that make any value a sample, however random the rest (`AKIAIOSFODNN7EXAMPLE`, `sk_live_your_key_here`). */
const SAMPLE_WORDS = /example|sample|dummy|fake|placeholder|changeme|change[_-]me|replace[_-]?me|your[_-]|yourkey|yourtoken|yoursecret|xxxx|\*\*\*|redacted|lorem|insert[_-]|\.\.\./i;
/** Words that make a value a placeholder only when what is left is not random (`test1234`, but not `ak_test_<random>`). */
const PLACEHOLDER_WORDS = /test|mock|undefined|null|none|default|todo|tbd|fixme|notset|not[_-]set|foobar|replace|your/gi;

/** Passwords everyone tries first, normalised (lower case, leetspeak undone, trailing digits and symbols dropped). */
const COMMON = new Set(['password', 'passw', 'pass', 'passwd', 'pwd', 'secret', 'letmein', 'qwerty', 'qwertyuiop', 'admin', 'administrator',
  'root', 'toor', 'welcome', 'hunter', 'iloveyou', 'monkey', 'dragon', 'master', 'login', 'abc', 'abcd', 'abcdef', 'guest', 'user',
  'default', 'changeme', 'changeit', 'test', 'testing', 'tester', 'demo', 'sample', 'example', 'foobar', 'foo', 'bar', 'baz', 'hello',
  'helloworld', 'trustno', 'sunshine', 'princess', 'football', 'baseball', 'shadow', 'superman', 'batman', 'starwars', 'mysecret',
  'mypassword', 'supersecret', 'topsecret', 'secretpassword', 'secretkey', 'privatekey', 'apikey', 'token', 'mytoken', 'accesstoken',
  'postgres', 'mysql', 'redis', 'mongo', 'mongodb', 'rabbitmq', 'oracle', 'sa', 'dbpassword', 'dbpass', 'local', 'localhost', 'dev',
  'development', 'staging', 'prod', 'production', 'pa', 'pw', 'p']);

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', '$': 's', '!': 'i' };

/** Undo leetspeak inside words: `s3cr3t` → `secret`, `P@55w0rd` → `Password` (digits and symbols between letters only). */
export function unleet(v: string): string {
  // Runs of several (`P@55w0rd`) only where a symbol says it is leetspeak: hex and random keys keep their digits.
  if (/[@$!]/.test(v)) return v.replace(/(?<=\p{L}[013457@$!8]{0,3})[013457@$!8](?=[013457@$!8]*\p{L})/gu, (c) => LEET[c] ?? c);
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

/** Letter pairs that make up 99% of the pairs in English prose (package READMEs): words are made of them, random text is not. */
const COMMON_BIGRAMS = new Set((
  'aa ab ac ad af ag ai aj ak al am an ap ar as at au av aw ax ay az ba be bi bj bl bo br bs bu by ca cc ce ch ' +
  'ci ck cl cm co cr cs ct cu cy da dd de dg di dk dl dm do dr ds dt du dy ea eb ec ed ee ef eg eh ei ej el em ' +
  'en eo ep eq er es et eu ev ew ex ey fa fc fe ff fi fl fo fr fs ft fu fy ga ge gg gh gi gl gn go gr gs gt gu ' +
  'ha he hi hl hm hn ho hr hs ht hu hy ia ib ic id ie if ig ik il im in io ip ir is it iv ix iz ja je jh jo js ' +
  'ju jv ka ke kf kg ki kn ko ks la lb lc ld le lf lg li lj lk ll lo lp lr ls lt lu lv lw ly ma mb md me mg mi ' +
  'mj ml mm mn mo mp ms mu na nc nd ne nf ng ni nk nl nm nn no np ns nt nu nv ny oa ob oc od oe of og oi oj ok ' +
  'ol om on oo op or os ot ou ov ow oz pa pd pe ph pi pl pm pn po pp pr ps pt pu py qu ra rb rc rd re rf rg rh ' +
  'ri rk rl rm rn ro rp rr rs rt ru rv rw ry sa sc sd se sf sh si sj sk sl sm sn so sp sr ss st su sv sw sy ta ' +
  'tc td te tf tg th ti tl tm to tp tr ts tt tu tw ty ua ub uc ud ue uf ug ui ul um un up ur us ut va ve vg vi ' +
  'vo vr wa we wh wi wn wo wr ws ww xa xc xe xi xp xt ya yc ye yi yl ym yn yo yp ys yt yw za ze zi zl zo zu '
).trim().split(' '));

/**
 * A piece that reads like a word: at least three letters, a vowel, and only letter pairs common in English. Random
 * letters rarely pass (their pairs like `qz`, `xk`, `vj` are rare in words). Non-ASCII letters count as words
 * (`Contraseña`, `Passwort`, `パスワード`).
 */
export function pronounceable(w: string): boolean {
  const s = w.toLowerCase();
  if (/[^a-z]/.test(s)) return /\p{L}{2,}/u.test(s);
  if (s.length < 3) return false;
  if (!/[aeiouy]/.test(s)) return /^(?:jwt|sql|smtp|ssh|tls|ssl|pg|db|cdn|dns|xml|rpc|grpc|http|ftp|kms|sts|pwd|mysql|psql|npm|pnpm|crm|cms|sdk|cli|hmac)$/.test(s);
  // Short pieces must be made only of common pairs; long ones (glued words: `supersecretpassword`) nearly so.
  let rare = 0;
  for (let i = 0; i + 1 < s.length; i++) if (!COMMON_BIGRAMS.has(s.slice(i, i + 2))) rare++;
  return s.length < 8 ? rare === 0 : rare / (s.length - 1) <= (s.length >= 12 ? 0.25 : 0.12);
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
  if (!pieces.every((p) => p.length <= 2 || pronounceable(p)) || !pieces.some((p) => p.length >= 3)) return false;
  const digits = (u.match(/\d/g) ?? []).length;
  // a long run of words is a passphrase, not "a word plus digits"
  return digits <= 8 && (pieces.length > 1 || pieces[0].length <= 18);
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
  if (n >= 16 && h >= 3.5 && coverage <= (n >= 24 ? 0.5 : 0.4) && classes >= 2) return 'strong';
  if (n >= 20 && h >= 3.3 && coverage <= 0.25 && classes >= 1) return 'strong';
  if (passwordName) return n >= 6 && classes >= 2 && h >= 2.3 ? 'medium' : 'weak';
  if (n >= 8 && classes >= 2 && h >= 2.8) return 'medium';
  if (n >= 20 && h >= 3.5) return 'medium';
  // a passphrase of glued words (`correcthorsebatterystaple`): no variety of characters, but long
  if (n >= 20 && h >= 3) return 'medium';
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
  if (hasWordPlaceholder(v)) return true; // a `<placeholder>` inside: `<username>:<password>`, `key-<your id>`
  if (/^[xX*#.\-_•]+$/.test(v) || /(?:x{4,}|X{4,}|\*{3,}|#{4,}|•{3,})/.test(v)) return true;
  if (new Set(v).size <= 3) return true;
  if (/^(?:0123456789|123456789|abcdefg|qwerty|asdf)/i.test(v)) return true;
  if (SAMPLE_WORDS.test(v)) return true;
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

const PLACEHOLDER_NOUNS = /^(?:your|my|user|username|name|pass|password|passwd|pwd|key|token|secret|host|hostname|id|api|value|here|account|db|database|app|client|email|org|project|region|port|domain|server|tenant|redacted|placeholder|credentials?)s?$/;

/** `<username>`, `<your-api-key>`, `<db password>` inside a value: words in angle brackets (random `<Qx7>` is not). */
function hasWordPlaceholder(v: string): boolean {
  for (const m of v.matchAll(/<([A-Za-z][A-Za-z _.-]{2,40})>/g)) {
    const words = m[1].toLowerCase().split(/[ _.-]+/).filter(Boolean);
    if (words.every((w) => w.length <= 2 || pronounceable(w)) && words.some((w) => PLACEHOLDER_NOUNS.test(w))) return true;
  }
  return false;
}

/** References resolved elsewhere: env lookups, deploy-time interpolation, template tags, intrinsic functions, JSONPath. */
export function isReference(value: string): boolean {
  const v = value.trim();
  return /^\$\{[^}]*\}?|^\$\(|^\{\{[^}]*\}\}|\$\{\{|^%\(|^process\.env|^import\.meta\.env|^env\(|^!(?:Ref|Sub|GetAtt|ImportValue|Join|Select|FindInMap|If)\b|^Fn::|^\$[A-Z_][A-Z0-9_]*$|^\$env:|^%[A-Z_]+%$|^ENC\[|^vault:|^arn:|^ssm:|^secretsmanager:|^resolve:|^op:\/\/|^@Microsoft\.KeyVault|^\$\$?\.|^\$\$?\[|^#\{[^}]*\}$|^\{%|^%\{[^}]*\}$|^\$\{\{|^sm:\/\/|^awssm:|^gcp:|^azure:|^keyvault:|^secret:|^bw:|^doppler:/.test(v)
    || /^(?:\$\{[^}]+\}|\{\{[^}]+\}\}|\$\([^)]+\)|\$[A-Z_][A-Z0-9_]*|%[A-Z_]+%)+$/.test(v);
}
