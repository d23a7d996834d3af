// Secret-value classification: provider formats, PEM keys, credentials in connection strings, and generic
// high-entropy values under a secret name. Pure functions; never returns or logs the value itself.
import { isSecretName, splitWords } from './names';

export type SecretConfidence = 'high' | 'medium' | 'low';

export interface SecretMatch {
  /** Stable kind id, e.g. `stripe-secret-key`, `github-token`, `password`. */
  kind: string;
  confidence: SecretConfidence;
  /** Offsets of the secret inside the classified value (the whole value for generic matches). */
  start: number;
  end: number;
}

export interface ClassifyOptions {
  /** Extra secret-name words (`config.secretWords`), already normalised with `extraWordSet`. */
  extraWords?: ReadonlySet<string>;
  /** Only report provider formats, PEM keys and connection strings (no name-based generic detection). */
  formatsOnly?: boolean;
}

/** Human-readable label per kind, for messages. */
export const SECRET_KIND_LABELS: Record<string, string> = {
  'aws-access-key-id': 'AWS access key id',
  'aws-secret-access-key': 'AWS secret access key',
  'stripe-secret-key': 'Stripe secret key',
  'stripe-restricted-key': 'Stripe restricted key',
  'github-token': 'GitHub token',
  'slack-token': 'Slack token',
  'slack-webhook': 'Slack webhook URL',
  'google-api-key': 'Google API key',
  'twilio-api-key': 'Twilio API key',
  'twilio-account-sid': 'Twilio account SID',
  'sendgrid-api-key': 'SendGrid API key',
  'openai-api-key': 'OpenAI-style API key',
  'private-key': 'PEM private key',
  'connection-string-password': 'connection string with an embedded password',
  'jwt': 'JSON Web Token',
  'password': 'password',
  'api-key': 'API key',
  'token': 'token',
  'secret': 'secret',
  'credential': 'credential',
  'private-key-value': 'private or signing key',
};

/** Kinds that usually must rotate (database and service credentials): Secrets Manager is the better home. */
export const ROTATING_KINDS = new Set(['connection-string-password', 'password', 'aws-secret-access-key', 'aws-access-key-id', 'credential']);

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  const n = s.length;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

interface ProviderPattern { kind: string; re: RegExp; confidence?: SecretConfidence; check?(m: string): boolean }

const hasDigitAndLetter = (s: string) => /\d/.test(s) && /[A-Za-z]/.test(s);

const PROVIDERS: ProviderPattern[] = [
  { kind: 'aws-access-key-id', re: /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/g },
  { kind: 'stripe-secret-key', re: /(?<![A-Za-z0-9])sk_(?:live|test)_[0-9A-Za-z]{10,247}(?![0-9A-Za-z])/g },
  { kind: 'stripe-restricted-key', re: /(?<![A-Za-z0-9])rk_(?:live|test)_[0-9A-Za-z]{10,247}(?![0-9A-Za-z])/g },
  { kind: 'github-token', re: /(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{30,255}(?![A-Za-z0-9])/g },
  { kind: 'github-token', re: /(?<![A-Za-z0-9])github_pat_[A-Za-z0-9_]{22,255}(?![A-Za-z0-9_])/g },
  { kind: 'slack-token', re: /(?<![A-Za-z0-9])xox[baprs]-[0-9A-Za-z]{6,}-[0-9A-Za-z-]{6,}/g },
  { kind: 'slack-webhook', re: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_]{6,}\/[A-Za-z0-9_]{6,}\/[A-Za-z0-9_]{12,}/g },
  { kind: 'google-api-key', re: /(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
  { kind: 'twilio-api-key', re: /(?<![A-Za-z0-9])SK[0-9a-fA-F]{32}(?![0-9A-Za-z])/g, check: (m) => /[a-f]/i.test(m.slice(2)) && /\d/.test(m.slice(2)) },
  { kind: 'twilio-account-sid', re: /(?<![A-Za-z0-9])AC[0-9a-fA-F]{32}(?![0-9A-Za-z])/g, confidence: 'medium', check: (m) => /[a-f]/i.test(m.slice(2)) && /\d/.test(m.slice(2)) },
  { kind: 'sendgrid-api-key', re: /(?<![A-Za-z0-9])SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}(?![A-Za-z0-9_-])/g },
  {
    kind: 'openai-api-key', re: /(?<![A-Za-z0-9_-])sk-(?:proj-|ant-(?:api\d\d-)?|svcacct-|admin-)?[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])/g,
    // `sk-` also starts CSS classes and slugs (`sk-some-long-component-name`): demand a random-looking body.
    check: (m) => {
      const body = m.replace(/^sk-(?:proj-|ant-(?:api\d\d-)?|svcacct-|admin-)?/, '');
      return hasDigitAndLetter(body) && /[A-Z]/.test(body) && /[a-z]/.test(body) && shannonEntropy(body) >= 3.5
        && !/^[a-z]+(?:-[a-z]+)+$/.test(body);
    },
  },
];

/** Cheap pre-test: could the string contain any provider format, PEM key or connection string? */
const PRE = /(?:[Pp]assword|PASSWORD|[Pp]wd|PWD)\s*=|AKIA|ASIA|ABIA|ACCA|sk_|rk_|gh[pousr]_|github_pat_|xox[baprs]-|hooks\.slack|AIza|SK[0-9a-fA-F]{8}|AC[0-9a-fA-F]{8}|SG\.|sk-|PRIVATE KEY|:\/\//;

const PEM_RE = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----/;
const CONN_RE = /\b((?:postgres(?:ql)?|mysql|mysqlx|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|cockroachdb|clickhouse|neo4j(?:\+s)?|couchbase|ldaps?|ftps?|sftp|smtps?|imaps?|https?|jdbc:[a-z]+)):\/\/([^:/?#@\s'"`]*):([^@/?#\s'"`]+)@([^\s'"`]*)/gi;

/** Well-known digests of empty input and the AWS documentation example keys. */
const KNOWN_NON_SECRETS = new Set([
  'd41d8cd98f00b204e9800998ecf8427e', 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
]);

const PLACEHOLDER_WORDS = /example|sample|dummy|fake|placeholder|changeme|change[_-]me|replace|your[_-]?|xxxx|\*\*\*|redacted|todo|lorem|foobar|insert|test|mock|undefined|null|none|default|tbd|fixme|notset|not[_-]set|\.\.\./i;
const PROVIDER_PLACEHOLDER = /example|xxxx|\*\*\*|your|placeholder|redacted|dummy|fake|\.\.\.|0000000000|1234567890|abcdefghij|(.)\1{7,}/i;

/** Placeholders and example values that must never be reported (`<your-key>`, `xxx`, `changeme`, `****`, `${VAR}`). */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (!v) return true;
  if (/^<[^<>]*>$|^\[[^[\]]*\]$|^\{[^{}]*\}$|^%[^%]*%$|^__[A-Z0-9_]+__$/.test(v)) return true;
  if (PLACEHOLDER_WORDS.test(v)) return true;
  if (/^[xX*#.\-_•]+$/.test(v)) return true;
  if (new Set(v).size <= 3) return true;
  if (/^(?:0123456789|123456789|abcdefg|qwerty|asdf)/i.test(v)) return true;
  return false;
}

/** References resolved elsewhere: env lookups, deploy-time interpolation, template tags and intrinsic functions. */
export function isReference(value: string): boolean {
  const v = value.trim();
  return /^\$\{[^}]*\}?|^\$\(|^\{\{[^}]*\}\}|\$\{\{|^%\(|^process\.env|^import\.meta\.env|^env\(|^!(?:Ref|Sub|GetAtt|ImportValue|Join|Select|FindInMap|If)\b|^Fn::|^\$[A-Z_][A-Z0-9_]*$|^\$env:|^%[A-Z_]+%$|^ENC\[|^vault:|^arn:|^ssm:|^secretsmanager:|^resolve:|^op:\/\/|^@Microsoft\.KeyVault/.test(v);
}

/** Parameter names and paths (`/my-app/prod/db-password`), ARNs, file paths, URLs without credentials, e-mails. */
function isPathUrlOrName(v: string): boolean {
  if (/^arn:/.test(v)) return true;
  if (/^@[\w.-]+\/[\w./-]+$/.test(v)) return true; // npm module specifier
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\|\\\\)/.test(v)) return true; // absolute/relative paths, parameter names
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(v)) return true; // URL (credentials are checked before)
  if (/^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$/.test(v)) return true; // e-mail
  if (/^[\w.-]+(?:\/[\w.-]+)+\.[a-z]{1,6}$/i.test(v) && !/[+=]/.test(v)) return true; // dir/file.ext
  if (/^(?:[a-z0-9-]+\.)+(?:com|net|org|io|dev|app|cloud|local|internal|amazonaws\.com)$/i.test(v)) return true; // host name
  // Secrets Manager / Parameter Store names without a leading slash: `prod/orders/db-credentials`, `myApp/apiKey`
  if (v.includes('/') && !/[+=]/.test(v)) {
    const segs = v.split('/');
    if (segs.length >= 2 && segs.every((s) => /^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/.test(s) || /^[A-Za-z][a-z]+(?:[A-Z][a-z]+)*\d{0,2}$/.test(s))
      && segs.some((s) => /[a-z]{3,}/.test(s))) return true;
  }
  return false;
}

/** Digests and ids: hex md5/sha1/sha256/sha512, UUIDs, SRI integrity strings, git SHAs. */
function isHashOrId(v: string): boolean {
  if (KNOWN_NON_SECRETS.has(v.toLowerCase())) return true;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) return true;
  if (/^(?:sha(?:1|256|384|512)|md5)-[A-Za-z0-9+/]+=*$/.test(v)) return true;
  if (/^(?:sha(?:1|256|384|512)|md5):[0-9a-f]+$/i.test(v)) return true;
  if (/^pk_(?:live|test)_/.test(v)) return true; // Stripe publishable keys are public by design
  return false;
}

/** Base64 text that decodes to a placeholder or a plain word (Kubernetes Secret manifests, Basic auth samples). */
function base64OfNonSecret(v: string): boolean {
  if (v.length > 200 || v.length % 4 !== 0 || !/^[A-Za-z0-9+/]{6,}={0,2}$/.test(v)) return false;
  let decoded: string;
  try { decoded = atob(v); } catch { return false; }
  if (!/^[\x20-\x7e]+$/.test(decoded)) return false;
  return isPlaceholder(decoded) || /^(?:[\w.-]+:)?(?:pass(?:word)?|passwd|secret|changeme|admin|root|guest|token|apikey|api[_-]key)$/i.test(decoded);
}

/** A plain hex digest of a common hash length: only a secret when a secret name says so. */
function isHexDigest(v: string): boolean {
  return /^[0-9a-f]+$/i.test(v) && [32, 40, 56, 64, 96, 128].includes(v.length);
}

/** Looks like an identifier, constant or prose: `accessToken`, `client_secret`, `new-password`, `Bearer`. */
function isIdentifierLike(v: string): boolean {
  // Namespaced identifiers: Redux action types and event names (`reset/SET_TOKEN`, `admin.reset/REFRESH_TOKEN`)
  if (v.includes('/')) {
    const segs = v.split('/');
    return segs.length <= 4 && segs.every((s) => s.length > 0 && !s.includes('/') && isIdentifierLike(s))
      && segs.some((s) => /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[a-z]+(?:[-_.][a-z]+)*$/.test(s));
  }
  if (/^[A-Za-z]+(?:[._:-][A-Za-z]+)*$/.test(v)) {
    // Letters only: words and identifiers (`acquireTokenByRefreshToken`, `INVALID_PASSWORD`), unless the camelCase
    // "words" are not pronounceable (`ZxKqPmLvTrWn…`): random letter-only keys exist but are rare.
    if (v.length < 20) return true;
    const words = v.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').split(/[\s._:-]+/).filter(Boolean);
    const wordy = words.filter((w) => w.length === 1 || /[aeiouy]/i.test(w)).length;
    const avg = v.length / words.length;
    return wordy / words.length >= 0.8 && avg >= 3;
  }
  // lower-case kebab/snake/dotted words, digits allowed inside words: `x-aws-ec2-metadata-token`, `oauth2.client_id`
  if (/^[a-z][a-z0-9]*(?:[-_.][a-z][a-z0-9]*)+$/.test(v)) {
    const segs = v.split(/[-_.]/);
    if (segs.every((w) => w.length <= 3 || /[aeiouy]/.test(w))) return true;
  }
  // camelCase / snake_case identifiers with a trailing version number: `apiKeyV2`, `client_secret_2`
  // (every quantified group starts with a distinct character class: no nested ambiguity, no catastrophic backtracking)
  if (/^[a-z]+(?:[A-Z][a-z]+|[._-][a-z]+)+[._-]?\d{1,2}$/.test(v)) return true;
  return false;
}

/**
 * A "name" that is itself a credential (`SecretId: 'sk_live_…'`): callers must not repeat it in messages, data or
 * policies, where a name would be shown.
 */
export function isCredentialText(value: string): boolean {
  return findFormattedSecrets(value).length > 0;
}

/** Provider formats, PEM private keys and connection strings with an embedded password: no name needed. */
export function findFormattedSecrets(value: string): SecretMatch[] {
  const out: SecretMatch[] = [];
  if (value.length < 16 || !PRE.test(value)) return out;
  for (const p of PROVIDERS) {
    p.re.lastIndex = 0;
    for (let m = p.re.exec(value); m; m = p.re.exec(value)) {
      const s = m[0];
      if (PROVIDER_PLACEHOLDER.test(s.replace(/^(?:sk|rk)_(?:live|test)_/, ''))) continue;
      if (p.check && !p.check(s)) continue;
      out.push({ kind: p.kind, confidence: p.confidence ?? 'high', start: m.index, end: m.index + s.length });
    }
  }
  const pem = PEM_RE.exec(value);
  if (pem) {
    // A header alone (a PEM parser's constant) is not a key: demand a base64 body after it.
    const after = value.slice(pem.index + pem[0].length, pem.index + pem[0].length + 400);
    const body = after.replace(/(?:Proc-Type|DEK-Info|Comment):[^\n]*\n?/g, '').replace(/\\n|\s/g, '');
    const b64 = /^[A-Za-z0-9+/=]{40,}/.exec(body);
    if (b64 && !PROVIDER_PLACEHOLDER.test(b64[0])) {
      const endRe = /-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----/g;
      endRe.lastIndex = pem.index;
      const em = endRe.exec(value);
      out.push({ kind: 'private-key', confidence: 'high', start: pem.index, end: em ? em.index + em[0].length : value.length });
    }
  }
  if (value.includes('://')) {
    CONN_RE.lastIndex = 0;
    for (let m = CONN_RE.exec(value); m; m = CONN_RE.exec(value)) {
      const user = m[2], pass = m[3];
      if (!pass || isPasswordPlaceholder(pass, user)) continue;
      if (isReservedExampleHost(m[4])) continue; // `https://user:s3cr3t@example.com`: documentation, not a server
      if (out.some((o) => o.kind === 'slack-webhook' && o.start <= m!.index && m!.index < o.end)) continue;
      out.push({ kind: 'connection-string-password', confidence: 'high', start: m.index, end: m.index + m[0].length });
    }
  }
  // ADO.NET / JDBC / libpq key-value connection strings: `Server=…;User Id=sa;Password=…;`, `host=db password=…`
  if (/(?:password|pwd)\s*=/i.test(value) && /(?:server|data source|host|hostname|uid|user id|username|user|database|initial catalog)\s*=/i.test(value)) {
    const kv = /(?:^|[;\s])(?:password|pwd)\s*=\s*('[^']*'|"[^"]*"|\{[^}]*\}|[^;\s'"]+)/i.exec(value);
    if (kv) {
      const pw = kv[1].replace(/^['"{]|['"}]$/g, '');
      if (!isPasswordPlaceholder(pw, '') && !/^\$|^%|^\{/.test(kv[1])) {
        out.push({ kind: 'connection-string-password', confidence: 'high', start: kv.index, end: kv.index + kv[0].length });
      }
    }
  }
  return out;
}

/** Hosts reserved for documentation and tests (RFC 2606, RFC 6761): `example.com`, `db.example.org`, `x.test`, `y.invalid`. */
function isReservedExampleHost(rest: string): boolean {
  const host = (/^[^/?#:]*/.exec(rest)?.[0] ?? '').toLowerCase();
  return /(?:^|\.)example\.(?:com|net|org)$|\.(?:example|test|invalid)$/.test(host);
}

/** Password slots of connection strings that are placeholders or templated (`:password@`, `:${DB_PASS}@`, `user:user@`). */
function isPasswordPlaceholder(pass: string, user: string): boolean {
  let p = pass;
  try { p = decodeURIComponent(pass); } catch { /* keep raw */ }
  if (p.length < 3) return true;
  if (/[$%{}<>[\]]/.test(p) && /\$\{|\$\(|\{\{|<[^>]*>|%[sd(]|\$[A-Za-z_]|\[[^\]]*\]/.test(p)) return true;
  if (p === user) return true;
  // Anonymous login (RFC 1635): the password slot conventionally holds an e-mail address or any text, not a credential.
  if (/^(?:anonymous|anon)$/i.test(user)) return true;
  if (/^\d{2,5}$/.test(p) && (user.includes('.') || /^localhost$/i.test(user))) return true; // host:port, not user:password
  if (/^(?:pass|password|passwd|pwd|secret|changeme|example|test|testing|admin|root|guest|postgres|mysql|user|username|redis|mongo|dbpass|db_password|your[_-]?password|xxx+|\*+|\.\.\.|pa55word|p@ssw0rd|\?|:)$/i.test(p)) return true;
  if (PROVIDER_PLACEHOLDER.test(p) || /example|placeholder|changeme|your[_-]|dummy|fake/i.test(p)) return true;
  return false;
}

/** Kind of a generic secret from the head words of its name (`OAUTH_CLIENT_SECRET` -> secret, `dbPass` -> password). */
function kindFromName(name: string | undefined): string {
  if (!name) return 'secret';
  if (/secret[_-]?access[_-]?key/i.test(name)) return 'aws-secret-access-key';
  const words = splitWords(name).filter((w) => !/^\d+$/.test(w) && !/^v\d+$/.test(w));
  const tail = words.slice(-2).join(' ');
  const last = words[words.length - 1] ?? '';
  if (/pass(?:word|wd|phrase)?s?$|pwd$/.test(last) || /password|passwd/.test(last)) return 'password';
  if (/^(?:api|x api) key$|apikey/.test(tail) || last === 'apikey' || /(?:^| )api keys?$/.test(tail)) return 'api-key';
  if (/token/.test(last) || last === 'auth' || last === 'authorization' || last === 'bearer') return 'token';
  if (/^cred/.test(last)) return 'credential';
  if (/key$/.test(last)) return words.includes('private') || words.includes('signing') || words.includes('encryption') ? 'private-key-value' : 'api-key';
  return 'secret';
}


/**
 * Classify a string value, optionally with the name it is assigned to (identifier, property, key).
 * Returns undefined when the value is not a secret. Never throws; never echoes the value.
 */
export function classifySecret(value: string, nameHint?: string, options: ClassifyOptions = {}): SecretMatch | undefined {
  if (typeof value !== 'string' || value.length < 6 || value.length > 100_000) return undefined;
  const formatted = findFormattedSecrets(value);
  if (formatted.length) {
    // Prefer the strongest evidence.
    return formatted.find((f) => f.confidence === 'high') ?? formatted[0];
  }
  if (options.formatsOnly || !nameHint || !isSecretName(nameHint, options.extraWords)) return undefined;
  return classifyGeneric(value, nameHint);
}

/** A value under a secret name: is it a real-looking secret (not a label, placeholder, reference, path, id or hash)? */
function classifyGeneric(value: string, name: string): SecretMatch | undefined {
  let v = value.trim();
  if (v !== value) return undefined; // padded text (`'WithDecryption: '`) is a fragment or a label, not a credential
  // `Bearer <token>`, `Basic <base64>`, `Token <x>` in auth headers: judge the credential part.
  const scheme = /^(?:Bearer|Basic|Token|Digest|Bot|ApiKey)\s+(\S+)$/i.exec(v);
  if (scheme) v = scheme[1];
  if (v.length > 2000 || /\s/.test(v)) return undefined; // prose, labels, i18n text, code
  if (isReference(v) || isPlaceholder(v) || isPathUrlOrName(v) || isHashOrId(v) || isIdentifierLike(v)) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(v) || /^(?:true|false|yes|no|on|off|null|nil|none)$/i.test(v)) return undefined;
  if (/^[0-9.]+$|^\d{1,4}[-/]\d{1,2}[-/]\d{1,4}/.test(v)) return undefined; // versions, dates
  if (/^\$[0-9a-z]{1,3}\$/.test(v)) return undefined; // crypt()/bcrypt hashes (`$2b$10$…`): a hash, not the secret
  if (/\(\)|=>|^\.[A-Za-z]|\($|^[\w$.]+\(|[;{}:]$|^[^A-Za-z0-9]+$/.test(v)) return undefined; // code fragments (`.promise()`, `require(`)
  if (base64OfNonSecret(v)) return undefined; // `cGFzc3dvcmQ=` is "password": a placeholder in disguise
  const jwt = /^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}$/.test(v);
  if (jwt && !jwtMayBeLive(v)) return undefined;
  const hex = isHexDigest(v);
  if (hex && /hash|digest|checksum|sha|md5|fingerprint|integrity|etag/i.test(name)) return undefined;
  const classes = (/[a-z]/.test(v) ? 1 : 0) + (/[A-Z]/.test(v) ? 1 : 0) + (/\d/.test(v) ? 1 : 0) + (/[^A-Za-z0-9]/.test(v) ? 1 : 0);
  const h = shannonEntropy(v);
  const kind = kindFromName(name);
  const pw = kind === 'password';
  let ok: boolean;
  if (pw) ok = v.length >= 6 && classes >= 2 && h >= 2.3;
  else ok = jwt || (v.length >= 8 && classes >= 2 && h >= 3.0) || (v.length >= 20 && h >= 3.5);
  if (!ok) return undefined;
  const start = scheme ? value.indexOf(v) : 0;
  return {
    kind: jwt ? 'jwt' : kind,
    confidence: v.length >= 16 && h >= 3.5 ? 'high' : 'medium',
    start,
    end: start + v.length,
  };
}

/**
 * Whether a JWT can still authenticate: not when its `exp` has passed (a test fixture or a token pasted long ago),
 * nor the jwt.io sample. Tokens without `exp` never expire, so they count.
 */
function jwtMayBeLive(token: string, now = Date.now()): boolean {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
  } catch {
    return true; // not decodable: judge it by shape
  }
  if (!payload || typeof payload !== 'object') return true;
  const p = payload as Record<string, unknown>;
  if (typeof p.exp === 'number' && p.exp * 1000 < now) return false;
  if (p.sub === '1234567890' && p.name === 'John Doe' && p.iat === 1516239022) return false; // jwt.io's example
  return true;
}

/** AWS secret access key shape (40 chars of base64 alphabet), reported when its access key id is nearby or its name says so. */
export function looksLikeAwsSecretAccessKey(value: string): boolean {
  return /^[A-Za-z0-9/+]{40}$/.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value) && /\d/.test(value)
    && !PROVIDER_PLACEHOLDER.test(value) && shannonEntropy(value) >= 4;
}
