// Secret-value classification: provider formats (the catalog), private keys, credentials in connection strings, and
// generic secrets under a secret name, judged on the value. Pure functions; never returns or logs the value itself.
import { contextKind, ROTATING_KINDS, SECRET_KIND_LABELS, shannonEntropy } from './catalog';
import {
  findEncodedSecrets, findFormattedSecrets, findKeyMatches, isPublicKey, startsWithProviderPrefix, type SecretConfidence, type SecretMatch,
} from './formats';
import { isSecretName, splitWords } from './names';
import { evidence, isPlaceholder, isReference, wordPlusDigits } from './values';

export { findFormattedSecrets, isPlaceholder, isReference, shannonEntropy, SECRET_KIND_LABELS, ROTATING_KINDS };
export type { SecretConfidence, SecretMatch };

export interface ClassifyOptions {
  /** Extra secret-name words (`config.secretWords`), already normalised with `extraWordSet`. */
  extraWords?: ReadonlySet<string>;
  /** Only report provider formats, private keys and connection strings (no name-based generic detection). */
  formatsOnly?: boolean;
  /** Test code or a sample event: a generic (name-based) finding needs high confidence. */
  testCode?: boolean;
  /** The value sits in a Firebase web config (next to `authDomain`, `projectId`, …): its `apiKey` is public. */
  firebaseWebConfig?: boolean;
  /**
   * Words around the name that may name the provider: enclosing keys (`heroku: { api_key: … }`), the `machine` of a
   * `.netrc` entry (`api.heroku.com`), a host next to it.
   */
  context?: string;
}

/** Well-known digests of empty input and the AWS documentation example keys. */
const KNOWN_NON_SECRETS = new Set([
  'd41d8cd98f00b204e9800998ecf8427e', 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
]);

/** Words after the secret word that say nothing about the value (`DB_PASSWORD_OLD`, `apiKeyValue`). */
const NEUTRAL_TAIL = new Set(['old', 'new', 'value', 'val', 'prod', 'dev', 'live', 'test', 'staging', 'current', 'primary', 'secondary',
  'string', 'str', 'raw', 'plain', 'default', 'fallback', 'override', 'local', 'b64', 'base64', 'hex', 'encoded']);

/** Names of values that are fake on purpose: `fakeToken`, `mockApiKey`, `dummyPassword`, `stubSecret`, `sampleKey`. */
const FAKE_NAME = /^(?:fake|mock|mocked|dummy|stub|stubbed|sample|example|placeholder|bogus|invalid|wrong|bad|incorrect|expired|other|random|generated)(?:[A-Z_-]|$)/i;

/** Parameter names and paths (`/my-app/prod/db-password`), ARNs, file paths, URLs without credentials, e-mails. */
function isPathUrlOrName(v: string): boolean {
  if (/^arn:/.test(v)) return true;
  if (/^@[\w.-]+\/[\w./-]+$/.test(v)) return true; // npm module specifier
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\|\\\\)/.test(v) && !/[|<>^;*"{}[\]!#&]/.test(v)) return true; // absolute/relative paths, parameter names
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
  return false;
}

/** A plain hex digest of a common hash length: only a secret when a secret name says so. */
function isHexDigest(v: string): boolean {
  return /^[0-9a-f]+$/i.test(v) && [32, 40, 56, 64, 96, 128].includes(v.length);
}

/** Looks like an identifier, constant or prose: `accessToken`, `client_secret`, `new-password`, `Bearer`. */
function isIdentifierLike(value: string): boolean {
  // private and dunder names (`_auth_user_id`, `__csrf_token__`) are identifiers like any other
  const v = value.replace(/^_+(?=[A-Za-z])|(?<=[A-Za-z0-9])_+$/g, '');
  // migration and module names: `0004_alter_user_username_opts`, `20240101_add_tokens`
  if (/^\d+(?:_[a-z][a-z0-9]*)+$/.test(v) && v.split('_').slice(1).every((w) => w.length <= 3 || /[aeiouy]/.test(w))) return true;
  // Namespaced identifiers: Redux action types and event names (`reset/SET_TOKEN`, `admin.reset/REFRESH_TOKEN`)
  if (v.includes('/')) {
    const segs = v.split('/');
    return segs.length <= 4 && segs.every((s) => s.length > 0 && !s.includes('/') && isIdentifierLike(s))
      && segs.some((s) => /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[a-z]+(?:[-_.][a-z]+)*$/.test(s));
  }
  if (/^\p{L}+(?:[._:-]\p{L}+)*$/u.test(v)) {
    if (/[^A-Za-z._:-]/.test(v)) return true; // non-ASCII letters: a word in another language (`Contraseña`), not a key
    // Letters only: words and identifiers (`acquireTokenByRefreshToken`, `INVALID_PASSWORD`), unless the camelCase
    // "words" are not pronounceable (`ZxKqPmLvTrWn…`): random letter-only keys exist but are rare.
    if (v.length < 20) return true;
    const words = v.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').split(/[\s._:-]+/).filter(Boolean);
    const wordy = words.filter((w) => w.length === 1 || /[aeiouy]/i.test(w)).length;
    const avg = v.length / words.length;
    return wordy / words.length >= 0.8 && avg >= 3;
  }
  // Smithy/IDL shape ids and scheme names: `aws.auth#sigv4`, `smithy.api#httpBearerAuth`, `com.acme#Token`
  if (/^[a-z][a-z0-9]*(?:\.[a-z][a-z0-9]*)*#[A-Za-z][A-Za-z0-9]*$/.test(v)) return true;
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

/** Kind of a generic secret from the head words of its name (`OAUTH_CLIENT_SECRET` -> secret, `dbPass` -> password). */
function kindFromName(name: string | undefined): string {
  if (!name) return 'secret';
  if (/secret[_-]?access[_-]?key/i.test(name)) return 'aws-secret-access-key';
  if (/jwt|signing|hmac/i.test(name) && /secret|key/i.test(name) && !/public/i.test(name)) return 'jwt-secret';
  if (/client[_-]?secret/i.test(name)) return 'client-secret';
  const words = splitWords(name).map((w) => w.replace(/(?<=[a-z])\d+$/, '')).filter((w) => !/^\d+$/.test(w) && !/^v\d+$/.test(w) && !NEUTRAL_TAIL.has(w));
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
 * A "name" that is itself a credential (`SecretId: 'sk_live_…'`): callers must not repeat it in messages, data or
 * policies, where a name would be shown.
 */
export function isCredentialText(value: string): boolean {
  return findFormattedSecrets(value).length > 0;
}

/** Strongest evidence first: a high-confidence match, else the first. */
function best(ms: SecretMatch[]): SecretMatch | undefined {
  return ms.find((f) => f.confidence === 'high') ?? ms[0];
}

/**
 * Classify a string value, optionally with the name it is assigned to (identifier, property, key).
 * Returns undefined when the value is not a secret. Never throws; never echoes the value.
 */
export function classifySecret(value: string, nameHint?: string, options: ClassifyOptions = {}): SecretMatch | undefined {
  if (typeof value !== 'string' || value.length < 6 || value.length > 100_000) return undefined;
  const formatted = findFormattedSecrets(value).filter((m) => !(options.firebaseWebConfig && m.kind === 'google-api-key'));
  if (formatted.length) return best(formatted);
  if (options.firebaseWebConfig && findKeyMatches(value).some((m) => m.kind === 'google-api-key')) return undefined;
  const encoded = findEncodedSecrets(value.trim());
  if (encoded.length) return encoded[0];
  if (options.formatsOnly || !nameHint) return undefined;
  // CloudFormation resource types as keys (`"AWS::ApiGateway::ApiKey": "b899a0d2…"` in schema and cfn-lint data) name a type, not a value.
  if (/^(?:AWS|Alexa|Custom)::\w+::/.test(nameHint)) return undefined;
  const named = isSecretName(nameHint, options.extraWords);
  const hint = nameHint;
  const words = () => splitWords(hint).concat(options.context ? splitWords(options.context) : []).join('_');
  // Provider shapes recognised by the name: a UUID under HEROKU_API_KEY or CODECOV_TOKEN, 40 characters under CLOUDFLARE_API_TOKEN
  const ck = contextKind(words, value.trim());
  if (ck && (named || /token|key|secret|auth|password|pat/i.test(nameHint))) return { kind: ck, confidence: 'high', start: 0, end: value.length };
  if (!named) return undefined;
  const m = classifyGeneric(value, nameHint);
  if (!m) return undefined;
  if (options.testCode && m.confidence !== 'high') return undefined;
  return m;
}

/** A value under a secret name: is it a real-looking secret (not a label, placeholder, reference, path, id or hash)? */
function classifyGeneric(value: string, name: string): SecretMatch | undefined {
  let v = value.trim();
  if (v !== value) return undefined; // padded text (`'WithDecryption: '`) is a fragment or a label, not a credential
  if (FAKE_NAME.test(name)) return undefined;
  // `Bearer <token>`, `Basic <base64>`, `Token <x>` in auth headers: judge the credential part.
  const scheme = /^(?:Bearer|Basic|Token|Digest|Bot|ApiKey|SSWS|Key)\s+(\S+)$/i.exec(v);
  if (scheme) v = scheme[1];
  if (v.length < 6 || v.length > 2000 || /\s/.test(v)) return undefined; // prose, labels, i18n text, code
  if (isReference(v) || isPathUrlOrName(v) || isHashOrId(v) || isIdentifierLike(v) || isPublicKey(v) || startsWithProviderPrefix(v)) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(v) || /^(?:true|false|yes|no|on|off|null|nil|none)$/i.test(v)) return undefined;
  if (/^[0-9.]+$|^\d{1,4}[-/]\d{1,2}[-/]\d{1,4}/.test(v)) return undefined; // versions, dates
  if (/^\$[0-9a-z]{1,3}\$/.test(v)) return undefined; // crypt()/bcrypt hashes (`$2b$10$…`): a hash, not the secret
  // code fragments (`.promise()`, `require(`) and property paths; a long random value with symbols (a WordPress salt)
  // may look like one by chance
  const randomLong = v.length >= 32 && evidence(v) === 'strong';
  if (/\(\)|=>|^\.[A-Za-z]|\($|^[\w$.]+\(|[;{}:]$|^[^\p{L}\d]+$/u.test(v) && !randomLong) return undefined;
  if (/^[\w-]+\.\$$|^\$\$?\.|\.\$$/.test(v)) return undefined; // JSONPath / Step Functions references (`$$.Task.Token`)
  // a regular expression (`[-!#$%&'*+.^_|~0-9a-zA-Z]+`, `(?:…)`, `\w+`): a class with a range, a group, an escape class
  if (/\\[dwsbDWSB][+*?{]|\[[^\]]{0,80}(?:a-z|A-Z|0-9)[^\]]{0,80}\][+*?{]/.test(v) || (/\(\?[:=!<]/.test(v) && !randomLong)) return undefined;
  if (!randomLong && /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\[[^\]]*\](?:\.?[A-Za-z_$][\w$]*|\[[^\]]*\])*$/.test(v)) return undefined; // JMESPath / property paths (`Jobs[-1].JobId`)
  const decoded = base64Text(v);
  if (decoded !== undefined) {
    // `user:password` in base64 (basic auth) is judged as that pair: real ones were found by findEncodedSecrets
    if (/^[^:\s]{1,64}:\S+$/.test(decoded)) return undefined;
    // `cGFzc3dvcmQ=` is "password", `eyJsYXN0S2V5Ijoi…` a pagination cursor: placeholders in disguise
    if (isPlaceholder(decoded) || wordPlusDigits(decoded) || /^(?:none|weak)$/.test(evidence(decoded)) || /^\{.*\}$|^\[.*\]$/s.test(decoded)) return undefined;
  }
  // An unsigned JWT (`alg: none`, empty signature) proves nothing: a test fixture or a decoded example, never a credential.
  if (/^eyJ[A-Za-z0-9_-]{4,}\.(?:eyJ[A-Za-z0-9_-]*)?\.?$/.test(v) || (/^eyJ[A-Za-z0-9_-]+\./.test(v) && jwtAlg(v) === 'none')) return undefined;
  // A JWT is recognised by its header (`{"alg":…}`), whatever its claims: `e30` (`{}`) claims included
  const jwt = /^eyJ[A-Za-z0-9_-]{8,}\.(?:eyJ[A-Za-z0-9_-]{8,}|e30)\.[A-Za-z0-9_-]{8,}$/.test(v) && jwtAlg(v) !== undefined;
  if (jwt && !jwtMayBeLive(v)) return undefined;
  const hex = isHexDigest(v);
  if (hex && /hash|digest|checksum|sha|md5|fingerprint|integrity|etag/i.test(name)) return undefined;
  const kind = kindFromName(name);
  if (jwt) return { kind: 'jwt', confidence: 'medium', start: scheme ? value.indexOf(v) : 0, end: (scheme ? value.indexOf(v) : 0) + v.length };
  if (isPlaceholder(v)) return undefined;
  const ev = evidence(v, kind === 'password');
  if (ev === 'none' || ev === 'weak') return undefined;
  // A value that spells out what it is (`special<…>password`, `my-api-token-…`) is a sample: at most medium
  const selfNamed = /pass(?:word|wd)|secret|token|api[_-]?key/i.test(v);
  if (ev === 'strong' && selfNamed) return { kind, confidence: 'medium', start: scheme ? value.indexOf(v) : 0, end: (scheme ? value.indexOf(v) : 0) + v.length };
  const start = scheme ? value.indexOf(v) : 0;
  return { kind, confidence: ev === 'strong' ? 'high' : 'medium', start, end: start + v.length };
}

/** The text a base64 value decodes to, when it is printable. */
function base64Text(v: string): string | undefined {
  if (v.length > 400 || v.length % 4 !== 0 || !/^[A-Za-z0-9+/]{8,}={0,2}$|^[A-Za-z0-9_-]{8,}={0,2}$/.test(v)) return undefined;
  const s = Buffer.from(v, /[-_]/.test(v) ? 'base64url' : 'base64').toString('latin1');
  return /^[\x20-\x7e]+$/.test(s) ? s : undefined;
}

/** The `alg` of a JWT's header, lower-cased, when it decodes. */
function jwtAlg(token: string): string | undefined {
  try {
    const h = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as { alg?: unknown };
    return typeof h?.alg === 'string' ? h.alg.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
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
    && !/example|xxxx|your|placeholder|redacted|dummy|fake|(.)\1{7,}/i.test(value) && shannonEntropy(value) >= 4;
}
