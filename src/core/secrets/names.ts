// Secret-name words, matched on identifier word boundaries (camelCase, snake_case, kebab-case, dotted).
// The *head noun* of the name decides: `dbPassword`, `API_KEY`, `client-secret` hold secrets;
// `passwordLabel`, `tokenizer`, `authorName`, `secretName`, `DB_SECRET_ARN` do not.

/** Split an identifier or key into lower-case words: `dbPasswordV2` -> [db, password, v2]; `APIKey` -> [api, key]. */
export function splitWords(name: string): string[] {
  const out: string[] = [];
  const parts = name.split(/[^A-Za-z0-9]+/);
  for (const part of parts) {
    if (!part) continue;
    // lower->Upper boundary, and ACRONYMWord boundary (APIKey -> API Key).
    const spaced = part.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
    for (const w of spaced.split(' ')) if (w) out.push(w.toLowerCase());
  }
  return out;
}

/** Words that name a secret on their own when they are the head of the name. */
const SINGLE = new Set([
  'password', 'passwd', 'pwd', 'passphrase', 'secret', 'token', 'credential', 'credentials', 'creds', 'auth',
  'authorization', 'apikey', 'apitoken', 'apisecret', 'accesstoken', 'authtoken', 'refreshtoken', 'bearertoken',
  'clientsecret', 'secretkey', 'privatekey', 'accesskey', 'signingkey', 'encryptionkey', 'masterkey', 'sessiontoken',
  'dbpassword', 'dbpass', 'webhooksecret', 'xapikey',
]);

/** `<word> key` pairs that name a secret (`apiKey`, `SECRET_ACCESS_KEY`, `private-key`, `signingKey`). */
const KEY_QUALIFIERS = new Set([
  'api', 'access', 'secret', 'private', 'signing', 'encryption', 'master', 'auth', 'client', 'app', 'license',
  'hmac', 'jwt', 'session', 'service', 'account', 'subscription', 'stripe', 'openai', 'sendgrid', 'twilio',
  'mailgun', 'google', 'maps', 'firebase', 'admin', 'write', 'read', 'ingest', 'ingestion', 'integration', 'consumer',
  'routing', 'webhook', 'deploy', 'personal', 'bot', 'root', 'partner', 'merchant', 'developer', 'shared', 'server', 'sdk',
  'management', 'mgmt', 'pat', 'user', 'secure', 'crypto', 'cipher', 'aes', 'hmac', 'signature', 'verification', 'encrypt',
]);

/** `<qualifier> pass` pairs: `dbPass`, `SMTP_PASS`, `adminPass`. A bare `pass` is too ambiguous (a test pass, a bypass). */
const PASS_QUALIFIERS = new Set(['db', 'user', 'admin', 'root', 'smtp', 'mail', 'ftp', 'redis', 'mysql', 'pg', 'postgres',
  'database', 'sql', 'basic', 'login', 'account', 'ldap', 'rabbit', 'rabbitmq', 'mongo', 'email', 'proxy']);

/** Words allowed after the secret word without changing what the name holds (`secretValue`, `SecretString`, `apiKey2`). */
const NEUTRAL_SUFFIX = new Set(['value', 'val', 'string', 'str', 'plain', 'plaintext', 'raw', 'b64', 'base64', 'hex',
  'encoded', 'bytes', 'buf', 'buffer', 'override', 'default', 'fallback', 'literal', 'live', 'prod', 'production', 'dev',
  'staging', 'stage', 'test', 'v1', 'v2', 'v3', 'old', 'new', 'current', 'primary', 'secondary']);

/** Plural forms map onto the singular (`apiKeys`, `tokens`, `secrets`, `passwords`). */
function singular(w: string): string {
  if (w === 'credentials' || w === 'creds' || w === 'pass') return w;
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

/** Lower-case concatenations (`apikey`, `dbpassword`) ending in one of these are secret heads. */
const GLUED_ENDINGS = ['password', 'passwd', 'secret', 'apikey', 'secretkey', 'privatekey', 'accesskey', 'token'];
const GLUED_NOT = new Set(['nopassword', 'haspassword', 'showpassword', 'hidepassword', 'forgotpassword', 'resetpassword',
  'changepassword', 'newpassword', 'nosecret', 'hassecret', 'csrftoken', 'nexttoken', 'pagetoken', 'continuationtoken',
  'cancellationtoken', 'canceltoken', 'synctoken', 'paginationtoken', 'starttoken', 'endtoken', 'lasttoken',
  'idtoken', 'cursortoken']);

/** Tokens such as `nextToken`, `pageToken`, `csrfToken` are protocol values, not credentials. */
const NON_SECRET_TOKEN_QUALIFIERS = new Set(['next', 'page', 'pagination', 'continuation', 'cancellation', 'cancel', 'sync',
  'start', 'end', 'last', 'csrf', 'xsrf', 'cursor', 'marker', 'lexer', 'parser', 'syntax', 'ast', 'design', 'color',
  'colour', 'theme', 'style', 'css', 'spacing', 'font', 'invalid', 'unexpected', 'expected', 'current', 'prev', 'previous',
  'request', 'idempotency', 'client', 'dedup', 'deduplication', 'change', 'word', 'text', 'string', 'punctuation', 'keyword',
  'operator', 'eof', 'template', 'cancelation', 'resume', 'verification', 'reset', 'type', 'max', 'min', 'num', 'count',
  // protocol and workflow tokens: Step Functions task tokens, AppConfig session tokens, paging and upload handles
  'task', 'callback', 'configuration', 'poll', 'heartbeat', 'activity', 'execution', 'wait', 'upload', 'query', 'scroll',
  'offset', 'after', 'before', 'more', 'waiter', 'lambda', 'response', 'state', 'lock', 'lease', 'invite', 'invitation',
  'unsubscribe', 'confirmation', 'confirm', 'magic', 'share', 'download', 'notification', 'push', 'device', 'fcm', 'apns']);

/**
 * Framework secrets whose head word is not a secret word: Rails `secret_key_base`, WordPress `LOGGED_IN_KEY`,
 * `NONCE_KEY` and its `*_SALT` keys (`AUTH_SALT`, `SECURE_AUTH_SALT`, `LOGGED_IN_SALT`, `NONCE_SALT`).
 */
const FRAMEWORK_TAILS = ['secret key base', 'logged in key', 'nonce key', 'auth salt', 'logged in salt', 'nonce salt', 'secret salt', 'session salt', 'cookie salt'];

function isHead(words: string[], i: number, extra: ReadonlySet<string>): boolean {
  const w = singular(words[i]);
  const prev = i > 0 ? singular(words[i - 1]) : '';
  if (extra.has(w)) return true;
  const tail = words.slice(0, i + 1).join(' ');
  if (FRAMEWORK_TAILS.some((t) => tail === t || tail.endsWith(' ' + t))) return true;
  if (w === 'token') return !NON_SECRET_TOKEN_QUALIFIERS.has(prev);
  if (w === 'auth') return words.length === 1 || ['basic', 'http', 'proxy', 'smtp', 'api', 'bearer', 'header'].includes(prev) || i === words.length - 1;
  if (SINGLE.has(w)) return !GLUED_NOT.has(w);
  if (w === 'key') return KEY_QUALIFIERS.has(prev);
  if (w === 'pass') return PASS_QUALIFIERS.has(prev);
  if (w === 'pat') return prev === 'github' || prev === 'gh' || prev === 'personal' || prev === 'gitlab' || prev === 'access';
  if (w === 'secret' || w === 'password') return true;
  // glued lower-case words: `apikey`, `dbpassword`, `githubtoken`
  if (w.length > 5 && !GLUED_NOT.has(w)) {
    for (const end of GLUED_ENDINGS) if (w.length > end.length && w.endsWith(end)) return true;
  }
  return false;
}

/** Normalise user-configured extra words (`config.secretWords`) into a lookup set. */
export function extraWordSet(words: readonly string[] | undefined): ReadonlySet<string> {
  const s = new Set<string>();
  for (const w of words ?? []) for (const p of splitWords(w)) s.add(singular(p));
  // a configured multi-word name like `licenceCode` also matches glued: add the glued form
  for (const w of words ?? []) s.add(w.toLowerCase().replace(/[^a-z0-9]/g, ''));
  return s;
}

const EMPTY: ReadonlySet<string> = new Set();
const SECRETISH = /pass|pwd|secret|token|cred|auth|key|pat|salt/i;

/**
 * Whether an identifier, property or key names a secret value. The secret word must be the head of the name
 * (last word, optionally followed by neutral words like `value` or a version), so `passwordLabel`,
 * `tokenizer`, `authorName`, `secretariat`, `secretName`, `API_KEY_PARAM` are not secret names.
 */
export function isSecretName(name: string | undefined, extraWords: ReadonlySet<string> = EMPTY): boolean {
  if (!name) return false;
  // Every head word above contains one of these: most names (`message`, `items`, `onClick`) stop here.
  if (extraWords.size === 0 && !SECRETISH.test(name)) return false;
  // `password1`, `apiKey2`, `DB_PASSWORD_OLD`: trailing numbers and neutral words do not change what the name holds
  const words = splitWords(name).filter((w) => !/^\d+$/.test(w)).map((w) => NEUTRAL_SUFFIX.has(w) ? w : w.replace(/(?<=[a-z]{3})\d+$/, ''));
  if (!words.length) return false;
  let end = words.length - 1;
  while (end > 0 && NEUTRAL_SUFFIX.has(words[end])) end--;
  // Keys meant for browsers and apps are public by design: `VAPID_PUBLIC_KEY`, `publishableKey`, `LD_CLIENT_SDK_KEY`,
  // `SPLIT_BROWSER_SDK_KEY` (a provider format such as `sk_live_…` is still reported whatever the name).
  if (words.some((w) => w === 'public' || w === 'publishable' || w === 'browser' || w === 'anon')) return false;
  if (words[end] === 'key' && words[end - 1] === 'sdk' && words.some((w) => w === 'client' || w === 'mobile' || w === 'js')) return false;
  return isHead(words, end, extraWords);
}

/**
 * Names that clearly hold a *reference* to a secret (its name, ARN, path or id), which is the correct pattern:
 * `DB_SECRET_ARN`, `API_KEY_PARAM`, `TOKEN_PARAMETER_NAME`, `SECRET_ID`, `PASSWORD_PATH`.
 */
export function isReferenceName(name: string): boolean {
  const words = splitWords(name);
  const last = words[words.length - 1];
  return ['arn', 'arns', 'param', 'params', 'parameter', 'parameters', 'name', 'names', 'path', 'paths', 'id', 'ids',
    'ref', 'location', 'uri', 'url', 'prefix'].includes(last ?? '');
}

/** Words of a parameter path's last segment look secret: `/app/prod/db-password`, `/app/stripe_api_key`. */
export function pathLooksSecret(path: string, extra: ReadonlySet<string> = EMPTY): boolean {
  const seg = path.replace(/[/:]+$/, '').split(/[/:]/).pop() ?? '';
  return isSecretName(seg, extra);
}
