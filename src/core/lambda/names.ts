// Classifies Parameter Store / Secrets Manager names by their last path segment.
// The secret-word judgement itself comes from src/core/secrets (shared with hardcoded-secret).
import { isCredentialText } from '../secrets/detect';
import { extraWordSet, pathLooksSecret } from '../secrets/names';

// The judgements below are pure functions of a name (and the configured extra secret words), and a file asks about
// the same few names again and again (one per fetch): each is remembered, per extra-word list, up to a bound.
const MEMO_MAX = 5000;
const NO_WORDS: readonly string[] = [];
type Memo<T> = WeakMap<readonly string[], Map<string, T>>;

function memo<T>(store: Memo<T>, words: readonly string[], name: string, compute: () => T): T {
  const key = words.length ? words : NO_WORDS;
  let m = store.get(key);
  if (!m) store.set(key, m = new Map());
  const hit = m.get(name);
  if (hit !== undefined || m.has(name)) return hit as T;
  const v = compute();
  if (m.size >= MEMO_MAX) m.clear();
  m.set(name, v);
  return v;
}

/** Texts judged not to be credentials (only those: a credential is never kept). */
const notCredential = new Set<string>();

/** `isCredentialText`, remembered for the texts that are not credentials (a file asks about the same names again). */
export function credentialText(value: string): boolean {
  if (notCredential.has(value)) return false;
  if (isCredentialText(value)) return true;
  if (notCredential.size >= MEMO_MAX) notCredential.clear();
  notCredential.add(value);
  return false;
}

/** Split a name segment into lower-case words: `dbPassword` / `db-password` / `DB_PASSWORD` → ['db', 'password']. */
export function nameWords(segment: string): string[] {
  return segment
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** The last meaningful segment of a parameter name, secret id or ARN (`arn:…:secret:app/db-creds-AbCdEf` → `db-creds`). */
export function lastSegment(name: string): string {
  let n = name.trim();
  const arn = /^arn:aws[\w-]*:(ssm|secretsmanager):[^:]*:[^:]*:(?:parameter|secret)[:/](.*)$/.exec(n);
  if (arn) {
    n = arn[2];
    // Secrets Manager appends a 6-character random suffix to secret ARNs.
    if (arn[1] === 'secretsmanager') n = n.replace(/-[A-Za-z0-9]{6}$/, '');
  }
  n = n.replace(/\/+$/, '');
  const parts = n.split('/').filter(Boolean);
  return parts.length ? parts[parts.length - 1] : n;
}

/** Names that hold credentials although their head word is not a classic secret word. */
const EXTRA_SECRET_TAIL = /(^|-)(dsn|connection-?string|conn-?str|webhook-?url|database-?url|db-?url|private-?key-?pem|pem)$/;

/**
 * True when a parameter or secret name looks like it holds a secret, judged on its last path segment
 * (`/app/prod/db-password`, `stripe_api_key`; not `secret-arn` or `token-url`). Uses the shared secret-name
 * helper of src/core/secrets, plus a few credential-bearing config names (DSN, connection string, webhook URL).
 */
export function looksSecretName(name: string, extraWords: readonly string[] = NO_WORDS): boolean {
  return memo(secretMemo, extraWords, name, () => judgeSecretName(name, extraWords));
}

const secretMemo: Memo<boolean> = new WeakMap();

function judgeSecretName(name: string, extraWords: readonly string[]): boolean {
  const seg = lastSegment(name);
  if (!seg) return false;
  if (pathLooksSecret(seg, extraWordSet(extraWords))) return true;
  return EXTRA_SECRET_TAIL.test(nameWords(seg).join('-'));
}

const NONSENSITIVE: [RegExp, string][] = [
  [/(^|-)queue(-?(url|name|arn))?$/, 'queue URL'],
  [/(^|-)topic(-?(arn|name))?$/, 'topic ARN'],
  [/^(dynamo(db)?-)?table(-?name)?$|-table(-?name)?$/, 'table name'],
  [/(^|-)(api-)?(endpoint|url|uri|base-url|host-?name)$/, 'endpoint or URL'],
  [/(^|-)log-?level$/, 'log level'],
  [/(^|-)feature-?flags?$|(^|-)features$|(^|-)flags$/, 'feature flags'],
  [/(^|-)(aws-)?region$/, 'region'],
  [/(^|-)(s3-)?bucket(-?name)?$/, 'bucket name'],
  [/(^|-)(stage|environment|env)(-?name)?$/, 'stage'],
  [/(^|-)(timeout|retries|max-retries|page-size|batch-size)$/, 'tuning setting'],
];
const STAGE_WORD = /^(dev|develop|development|test|testing|qa|uat|stage|staging|stg|prod|production|prd|preprod|sandbox|demo|local|int)$/;

/** Words that make a URL-like name sensitive (connection strings carry passwords; webhook URLs are bearer secrets). */
const SENSITIVE_URL = /(^|-)(db|database|postgres|postgresql|mysql|mongo|mongodb|redis|amqp|rabbitmq|connection|conn|dsn|webhook|slack|jdbc|signed|presigned)(-|$)/;

/** When a Secrets Manager secret name is clearly non-sensitive configuration, a short label for what it is. */
export function nonSensitiveKind(name: string, extraWords: readonly string[] = NO_WORDS): string | undefined {
  return memo(kindMemo, extraWords, name, () => judgeNonSensitive(name, extraWords));
}

const kindMemo: Memo<string | undefined> = new WeakMap();

function judgeNonSensitive(name: string, extraWords: readonly string[]): string | undefined {
  if (looksSecretName(name, extraWords)) return undefined;
  let words = nameWords(lastSegment(name));
  // Trailing qualifiers do not change what a name holds: `orders-table-name-prod`, `table-name-v2`,
  // `bucket-name-assessment2`. Judge the whole name first, then without them, one at a time.
  for (;;) {
    if (!words.length) return undefined;
    const seg = words.join('-');
    for (const [re, label] of NONSENSITIVE) {
      if (!re.test(seg)) continue;
      if (label === 'endpoint or URL' && SENSITIVE_URL.test(seg)) return undefined;
      return label;
    }
    const last = words[words.length - 1];
    if (words.length < 2 || !(STAGE_WORD.test(last) || /\d/.test(last))) return undefined;
    words = words.slice(0, -1);
  }
}
