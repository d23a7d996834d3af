// Finding secrets by their format: the catalog's provider patterns plus the structural kinds (private keys, connection
// strings, basic auth). One search for every anchor at once, then each candidate pattern is tried where its anchor
// was found, so a whole file costs one linear regex pass. Pure; never returns or logs the value.
import { CATALOG, randomBody, shannonEntropy, type FormatPattern, type KeyMode } from './catalog';
import { evidence, isCommonPassword, isPlaceholder } from './values';

export type SecretConfidence = 'high' | 'medium';

export interface SecretMatch {
  /** Stable kind id, e.g. `stripe-secret-key`, `github-token`, `password`. */
  kind: string;
  confidence: SecretConfidence;
  /** Offsets of the secret inside the classified text. */
  start: number;
  end: number;
  /** Live, test or public key (public matches are returned only by `findKeyMatches`). */
  mode?: KeyMode;
  /** Set when the secret was found inside a base64 or hex encoding of the value. */
  encoding?: 'base64' | 'hex';
}

interface Compiled extends FormatPattern { kind: string; sticky: RegExp; global: RegExp }

const COMPILED: Compiled[] = [];
for (const e of CATALOG) {
  for (const p of e.patterns ?? []) {
    COMPILED.push({ ...p, kind: e.kind, sticky: new RegExp(p.re.source, 'y'), global: new RegExp(p.re.source, 'g') });
  }
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Structural anchors handled by code below (not catalog patterns). */
const CLI_FLAGS = ['--password', '--passwd', '--pass', '--requirepass', '--token', '--api-key', '--apikey', '--api_key', '--secret',
  '--client-secret', '--auth-token', '--access-token', '--db-password'];
const GO_DSN_ANCHORS = ['@tcp(', '@unix(', '@udp('];
const STRUCTURAL = ['-----BEGIN', 'PuTTY-User-Key-File-', '://', 'Basic ', '-u ', '--user ', '--user=', '-----BEGIN PGP PRIVATE', ...GO_DSN_ANCHORS, ...CLI_FLAGS];

function anchorIndex(patterns: Compiled[]): { re: RegExp; byAnchor: Map<string, Compiled[]> } {
  const byAnchor = new Map<string, Compiled[]>();
  for (const p of patterns) for (const a of p.anchors) {
    const list = byAnchor.get(a);
    if (list) list.push(p); else byAnchor.set(a, [p]);
  }
  const all = [...new Set([...byAnchor.keys(), ...STRUCTURAL])].sort((a, b) => b.length - a.length);
  return { re: new RegExp(all.map(escapeRe).join('|'), 'g'), byAnchor };
}

/** Patterns searched in whole files (strong anchors) and in single values (every pattern). */
const TEXT_INDEX = anchorIndex(COMPILED.filter((p) => p.anywhere !== false));
const VALUE_INDEX = anchorIndex(COMPILED);

// ---------------------------------------------------------------------------------------------- structural kinds

const PEM_HEAD = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP |SSH2 ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----/y;
const PEM_END = /-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/g;
/** base64 of `openssh-key-v1\0`: the fixed start of every OpenSSH key body. */
const OPENSSH_MAGIC = 'b3BlbnNzaC1rZXktdjE';

/**
 * A PEM block's key body, joined: line breaks, escaped `\n`, quotes and `+` of split string literals, and the
 * `Proc-Type`/`DEK-Info`/`Comment`/`Version` header lines removed.
 */
function pemBody(text: string, from: number, to: number): string {
  return text.slice(from, to)
    .replace(/(?:Proc-Type|DEK-Info|Comment|Version|Hash|Charset):[^\n\\]*(?:\\n|\n)?/g, '')
    .replace(/\\r|\\n|\\\\n|\s|["'`+,]/g, '');
}

/**
 * Whether a key body holds a key and not a placeholder. Fixed parts (the OpenSSH magic and the runs of `A` that encode
 * zero bytes of its length fields) are taken out before judging, so a real unencrypted OpenSSH key is never mistaken
 * for a repeated-character placeholder.
 */
export function keyBodyIsReal(body: string): boolean {
  const b64 = /^[A-Za-z0-9+/=]*/.exec(body)?.[0] ?? '';
  if (b64.length < 40) return false;
  if (/\.\.\.|xxxx|XXXX|EXAMPLE|REDACTED|PLACEHOLDER|your|<|…/i.test(body.slice(0, 400)) && !/^[A-Za-z0-9+/=]{200,}/.test(body)) return false;
  let variable = b64.startsWith(OPENSSH_MAGIC) ? b64.slice(OPENSSH_MAGIC.length) : b64;
  variable = variable.replace(/A{4,}/g, '').replace(/=+$/, '');
  if (variable.length < 32) return false;
  return shannonEntropy(variable) >= 4.2 && !/(.)\1{9,}/.test(variable);
}

function findPem(text: string, at: number, out: SecretMatch[]): number {
  PEM_HEAD.lastIndex = at;
  const h = PEM_HEAD.exec(text);
  if (!h) return at + 1;
  const bodyFrom = at + h[0].length;
  PEM_END.lastIndex = bodyFrom;
  const end = PEM_END.exec(text);
  const bodyTo = end && end.index - bodyFrom < 20_000 ? end.index : Math.min(text.length, bodyFrom + 8000);
  if (keyBodyIsReal(pemBody(text, bodyFrom, bodyTo))) {
    out.push({ kind: 'private-key', confidence: 'high', start: at, end: end && end.index === bodyTo ? end.index + end[0].length : bodyTo });
    return end && end.index === bodyTo ? end.index + end[0].length : bodyTo;
  }
  return bodyFrom;
}

const PUTTY = /PuTTY-User-Key-File-[23]: [\w-]+/y;

function findPutty(text: string, at: number, out: SecretMatch[]): number {
  PUTTY.lastIndex = at;
  const h = PUTTY.exec(text);
  if (!h) return at + 1;
  const window = text.slice(at, at + 8000);
  const pl = /Private-Lines: *\d+(?:\\r|\\n|\r|\n)+/.exec(window);
  if (!pl) return at + h[0].length;
  const body = pemBody(window, pl.index + pl[0].length, Math.min(window.length, pl.index + pl[0].length + 3000)).replace(/Private-(?:MAC|Hash):.*$/, '');
  if (!keyBodyIsReal(body)) return at + h[0].length;
  const mac = /Private-(?:MAC|Hash): *[0-9a-f]+/.exec(window);
  const end = at + (mac ? mac.index + mac[0].length : pl.index + pl[0].length);
  out.push({ kind: 'private-key', confidence: 'high', start: at, end });
  return end;
}

// The password may hold a raw `#` (invalid in a URL, common in `.env` files): the `@` before the host decides.
const URL_CRED = /((?:jdbc:)?[A-Za-z][A-Za-z0-9+.-]*):\/\/([^:/?#@\s'"`<>\\]*):([^@/?\s'"`<>\\]+)@([^\s'"`<>\\/?#@]+)/y;
const SCHEME_CHAR = /[A-Za-z0-9+.-]/;

/** Hosts reserved for documentation and tests (RFC 2606, RFC 6761): `example.com`, `db.example.org`, `x.test`, `y.invalid`. */
export function isReservedExampleHost(hostPort: string): boolean {
  const host = (/^[^/?#:]*/.exec(hostPort)?.[0] ?? '').toLowerCase();
  return /(?:^|\.)example\.(?:com|net|org)$|\.(?:example|test|invalid)$|^(?:host|hostname|server|your-?host|db-?host|dbhost|myhost)$/.test(host);
}

/** Local and container-internal hosts (`localhost`, `127.0.0.1`, a compose service name without dots). */
export function isLocalHost(hostPort: string): boolean {
  const host = (/^[^/?#:]*/.exec(hostPort)?.[0] ?? '').toLowerCase();
  return /^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[?::1\]?|host\.docker\.internal)$/.test(host) || /^[a-z0-9_-]+$/.test(host);
}

/**
 * The password of a connection string or basic-auth pair: is it a real one? Templated (`${DB_PASS}`), placeholder,
 * default (`postgres`, `password`) and same-as-user passwords are not. On a local or container host a password needs
 * more than a word plus digits.
 */
export function credentialPasswordIsReal(pass: string, user: string, hostPort: string): SecretConfidence | undefined {
  let p = pass;
  try { p = decodeURIComponent(pass); } catch { /* keep raw */ }
  if (p.length < 3) return undefined;
  if (/[$%{}<>[\]]/.test(p) && /\$\{|\$\(|\{\{|<[^>]*>|%[sd(]|%\{|\$[A-Za-z_]|\[[^\]]*\]|^\{|\}$/.test(p)) return undefined;
  if (p === user || /^(?:anonymous|anon|ftp)$/i.test(user)) return undefined; // anonymous login (RFC 1635)
  if (/^\d{2,5}(?:$|[,/])/.test(p) && (user.includes('.') || /^localhost$/i.test(user))) return undefined; // host:port (multi-host URLs too), not user:password
  if (/^scott$/i.test(user) && /^tiger/i.test(p)) return undefined; // the classic sample login of Oracle and SQLAlchemy docs
  if (isPlaceholder(p) || isCommonPassword(p) || /^(?:pass|password|passwd|pwd|secret|user|username|your[_-]?password|pa55word|p@ssw0rd|\?|:)$/i.test(p)) return undefined;
  if (isReservedExampleHost(hostPort)) return undefined;
  // A real password on a real host is a verified credential; on a local or container host only a strong one counts
  // as high (dev defaults like `app:apppass@db` are not reported at all).
  const ev = evidence(p, true);
  if (ev === 'none') return undefined;
  // a word and a counting run (`key_1234`, `pass123`): a documentation sample, wherever the host is
  if (ev === 'weak' && /0123|1234|2345|3456|4567|5678|6789|123$/.test(p)) return undefined;
  // words that say what they are (`a secret`, `mypassword1`): a sample, not a chosen password
  if (ev === 'weak' && /pass(?:word|wd)|secret/i.test(p)) return undefined;
  if (!isLocalHost(hostPort)) return 'high';
  return ev === 'strong' ? 'high' : ev === 'medium' ? 'medium' : undefined;
}

function findUrlCredential(text: string, at: number, out: SecretMatch[]): number {
  // `at` is the `://`; walk back over the scheme (and a `jdbc:` prefix)
  let s = at;
  while (s > 0 && at - s < 40 && SCHEME_CHAR.test(text[s - 1])) s--;
  if (s >= 5 && text.slice(s - 5, s) === 'jdbc:') s -= 5;
  if (s === at) return at + 3;
  URL_CRED.lastIndex = s;
  const m = URL_CRED.exec(text);
  if (!m) return at + 3;
  const conf = credentialPasswordIsReal(m[3], m[2], m[4]);
  if (conf) {
    const scheme = m[1].toLowerCase();
    out.push({ kind: /^(?:https?|ftps?|wss?)$/.test(scheme) ? 'basic-auth' : 'connection-string-password', confidence: conf, start: s, end: s + m[0].length });
  }
  return s + m[0].length;
}

/** Go database/sql DSNs have no scheme: `user:password@tcp(host:3306)/db` (go-sql-driver/mysql, clickhouse-go). */
const GO_DSN_USER = /([A-Za-z0-9_.-]{1,64}):([^\s:@'"`<>\\]{3,200})$/;

function findGoDsn(text: string, at: number, out: SecretMatch[]): number {
  const before = GO_DSN_USER.exec(text.slice(Math.max(0, at - 266), at));
  const host = /^@(?:tcp|unix|udp)\(([^)\s]*)\)/.exec(text.slice(at, at + 300));
  if (!before || !host) return at + 5;
  const conf = credentialPasswordIsReal(before[2], before[1], host[1] || 'localhost');
  if (conf) out.push({ kind: 'connection-string-password', confidence: conf, start: at - before[0].length, end: at + host[0].length });
  return at + host[0].length;
}

const BASIC = /Basic +([A-Za-z0-9+/]{6,}={0,2})(?![A-Za-z0-9+/=])/y;

/** `user:password` text (decoded basic auth, `btoa('user:pass')`, `curl -u`): is the password real? */
export function userPassIsReal(pair: string): SecretConfidence | undefined {
  const i = pair.indexOf(':');
  if (i <= 0 || i === pair.length - 1 || /[\s\x00-\x1f]/.test(pair)) return undefined;
  // decoded JSON (`{"alg":"RS256",…}`, a JWS header) or a list is data, not a user name before its password
  if (/["{}[\]]/.test(pair.slice(0, i))) return undefined;
  return credentialPasswordIsReal(pair.slice(i + 1), pair.slice(0, i), 'remote.host');
}

function decodeBase64Text(b64: string): string | undefined {
  if (b64.length % 4 === 1) return undefined;
  const s = Buffer.from(b64, 'base64').toString('latin1');
  return /^[\x20-\x7e]+$/.test(s) ? s : undefined;
}

function findBasicHeader(text: string, at: number, out: SecretMatch[]): number {
  BASIC.lastIndex = at;
  const m = BASIC.exec(text);
  if (!m) return at + 6;
  const decoded = decodeBase64Text(m[1]);
  const conf = decoded ? userPassIsReal(decoded) : undefined;
  if (conf) out.push({ kind: 'basic-auth', confidence: conf, start: at + m[0].length - m[1].length, end: at + m[0].length });
  return at + m[0].length;
}

const CURL_USER = /(?:-u|--user)[ =](['"]?)([^\s:'"$]{1,64}):([^\s'"@]+)\1(?=\s|$)/y;

function findCurlUser(text: string, at: number, out: SecretMatch[]): number {
  if (at > 0 && /[\w-]/.test(text[at - 1])) return at + 2;
  CURL_USER.lastIndex = at;
  const m = CURL_USER.exec(text);
  if (!m) return at + 2;
  const conf = credentialPasswordIsReal(m[3], m[2], 'remote.host');
  if (conf) {
    const start = at + m[0].indexOf(m[2]);
    out.push({ kind: 'basic-auth', confidence: conf, start, end: start + m[2].length + 1 + m[3].length });
  }
  return at + m[0].length;
}

const CLI_SECRET = /--(password|passwd|pass|requirepass|token|api-key|apikey|api_key|secret|client-secret|auth-token|access-token|db-password)(?:=|[ \t]+)(['"]?)([^\s'"]{6,})\2(?=[\s'"`;)]|$)/y;

/** `--password=…`, `--requirepass …`, `--token …` on a command line (shell scripts, `command:` lines, code). */
function findCliFlag(text: string, at: number, out: SecretMatch[]): number {
  if (at > 0 && /[\w-]/.test(text[at - 1])) return at + 2;
  CLI_SECRET.lastIndex = at;
  const m = CLI_SECRET.exec(text);
  if (!m) return at + 2;
  const v = m[3];
  if (/^[$%{<]|\$\{|\$\(|^-/.test(v) || isPlaceholder(v) || isCommonPassword(v)) return at + m[0].length;
  const flag = m[1];
  const ev = evidence(v, /pass/.test(flag));
  if (ev === 'strong' || ev === 'medium') {
    const start = at + m[0].length - v.length - m[2].length;
    const kind = /pass/.test(flag) ? 'password' : /key/.test(flag) ? 'api-key' : /token/.test(flag) ? 'token' : 'secret';
    out.push({ kind, confidence: ev === 'strong' ? 'high' : 'medium', start, end: start + v.length });
  }
  return at + m[0].length;
}

// ------------------------------------------------------------------------------------------------------ the scan

function tryPattern(text: string, p: Compiled, anchorAt: number, out: SecretMatch[], keepPublic: boolean): number {
  let start = anchorAt;
  if (p.back) {
    while (start > 0 && anchorAt - start < p.back.max && p.back.chars.test(text[start - 1])) start--;
  }
  // the anchor may sit inside the match (`.atlasv1.`, `Q~`): try each start the walk-back allows, longest first
  for (let s = start; s <= anchorAt; s++) {
    p.sticky.lastIndex = s;
    const m = p.sticky.exec(text);
    if (!m) { if (!p.back) break; continue; }
    const t = m[0];
    if (p.check && !p.check(t)) return -1;
    const mode = p.mode?.(t) ?? 'live';
    if (mode === 'public' && !keepPublic) return s + t.length;
    out.push({ kind: p.kind, confidence: 'high', start: s, end: s + t.length, mode });
    return s + t.length;
  }
  return -1;
}

function scan(text: string, index: typeof TEXT_INDEX, keepPublic: boolean): SecretMatch[] {
  const out: SecretMatch[] = [];
  const re = index.re;
  re.lastIndex = 0;
  let skipTo = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index;
    const a = m[0];
    if (at < skipTo) continue;
    let next = -1;
    if (a === '-----BEGIN' || a === '-----BEGIN PGP PRIVATE') next = findPem(text, at, out);
    else if (a === 'PuTTY-User-Key-File-') next = findPutty(text, at, out);
    else if (a === '://') next = findUrlCredential(text, at, out);
    else if (a === 'Basic ') next = findBasicHeader(text, at, out);
    else if (GO_DSN_ANCHORS.includes(a)) next = findGoDsn(text, at, out);
    else if (a === '-u ' || a === '--user ' || a === '--user=') next = findCurlUser(text, at, out);
    else if (CLI_FLAGS.includes(a)) next = findCliFlag(text, at, out);
    else {
      for (const p of index.byAnchor.get(a) ?? []) {
        next = tryPattern(text, p, at, out, keepPublic);
        if (next >= 0) break;
      }
    }
    if (next > at) { skipTo = next; re.lastIndex = Math.max(re.lastIndex, next); }
  }
  return out;
}

/**
 * The value starts with a provider prefix (`sk_test_…`, `ghp_…`, `AKIA…`) yet is not a secret of that provider (a
 * documented sample, a placeholder body): the format has spoken, so no generic guess may report it.
 */
export function startsWithProviderPrefix(value: string): boolean {
  const v = value.replace(/^(?:Bearer|Token|Basic)\s+/i, '');
  VALUE_INDEX.re.lastIndex = 0;
  const m = VALUE_INDEX.re.exec(v);
  return !!m && m.index === 0 && m[0].length >= 4 && m[0] !== 'eyJ' && !STRUCTURAL.includes(m[0]);
}

/**
 * Provider formats, private keys, connection strings and basic-auth credentials in one value (a string literal, a
 * YAML/JSON scalar, an env value). Public keys (`pk_live_`, Mapbox `pk.`, the Supabase anon key) are not returned.
 */
export function findFormattedSecrets(value: string): SecretMatch[] {
  if (value.length < 12) return [];
  return scan(value, VALUE_INDEX, false).concat(adoConnectionString(value));
}

/** Every format match of a value, public keys included (`mode: 'public'`). */
export function findKeyMatches(value: string): SecretMatch[] {
  if (value.length < 12) return [];
  return scan(value, VALUE_INDEX, true);
}

/**
 * The fast pass over a whole file: strongly anchored provider formats, private keys, credentials in URLs and basic-auth
 * headers, wherever they are (comments, regex literals, JSX text, minified bundles, files without a reader).
 */
export function findSecretsInText(text: string): SecretMatch[] {
  return scan(text, TEXT_INDEX, false);
}

/** A value that is a public key by format (Stripe `pk_`, Mapbox `pk.`, Supabase anon/publishable). */
export function isPublicKey(value: string): boolean {
  const all = findKeyMatches(value);
  return all.length > 0 && all.every((m) => m.mode === 'public');
}

const ADO_PASSWORD = /(?:^|[;\s'"])((?:password|pwd)\s*=\s*)('[^']*'|"[^"]*"|\{[^}]*\}|[^;\s'"]+)/i;

/** ADO.NET / JDBC / libpq key-value connection strings: `Server=…;User Id=sa;Password=…;`, `host=db password=…`. */
function adoConnectionString(value: string): SecretMatch[] {
  if (!/(?:password|pwd)\s*=/i.test(value) || !/(?:server|data source|host|hostname|uid|user id|username|user|database|initial catalog|dbname)\s*=/i.test(value)) return [];
  const kv = ADO_PASSWORD.exec(value);
  if (!kv) return [];
  const raw = kv[2];
  const pw = raw.replace(/^['"{]|['"}]$/g, '');
  const host = /(?:server|data source|host|hostname)\s*=\s*(?:tcp:)?([^;\s,]+)/i.exec(value)?.[1] ?? 'remote.host';
  const user = /(?:uid|user id|username|user)\s*=\s*([^;\s]+)/i.exec(value)?.[1] ?? '';
  if (/^\$|^%|^\{/.test(raw)) return [];
  const conf = credentialPasswordIsReal(pw, user, host);
  if (!conf) return [];
  const start = kv.index + kv[0].indexOf(kv[1]);
  return [{ kind: 'connection-string-password', confidence: conf, start, end: start + kv[1].length + raw.length }];
}

// ------------------------------------------------------------------------------------------------------ encodings

const B64 = /^[A-Za-z0-9+/]{16,}={0,2}$|^[A-Za-z0-9_-]{16,}={0,2}$/;

/** Printable text a base64 or hex value decodes to, or undefined. */
export function decodeEncoded(value: string): { text: string; encoding: 'base64' | 'hex' } | undefined {
  if (value.length > 20_000) return undefined;
  if (/^(?:[0-9a-f]{2}){10,}$/i.test(value)) {
    const s = Buffer.from(value, 'hex').toString('latin1');
    return /^[\x20-\x7e\r\n\t]+$/.test(s) ? { text: s, encoding: 'hex' } : undefined;
  }
  if (value.length % 4 === 1 || !B64.test(value)) return undefined;
  const s = Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64').toString('latin1');
  return /^[\x20-\x7e\r\n\t]+$/.test(s) && s.length >= 8 ? { text: s, encoding: 'base64' } : undefined;
}

/** Formats hidden in a base64 or hex value: decoded and checked again (the match covers the whole encoded value). */
export function findEncodedSecrets(value: string, depth = 0): SecretMatch[] {
  const d = decodeEncoded(value);
  if (!d) return [];
  const found = (m: Pick<SecretMatch, 'kind' | 'confidence'>): SecretMatch[] => [{ kind: m.kind, confidence: m.confidence, start: 0, end: value.length, encoding: d.encoding }];
  const inner = findFormattedSecrets(d.text);
  if (inner.length) return found(inner[0]);
  if (/^[^:\s]{1,64}:[^\s]{3,}$/.test(d.text)) {
    const conf = userPassIsReal(d.text);
    if (conf) return found({ kind: 'basic-auth', confidence: conf });
  }
  // Encodings nest: a Kubernetes `.dockerconfigjson` is base64 of JSON whose `auth` is base64 of `user:token`.
  if (depth < 2 && /["':=]/.test(d.text)) {
    let tries = 0;
    for (const m of d.text.matchAll(/[A-Za-z0-9+/_-]{16,}={0,2}/g)) {
      if (++tries > 64) break;
      const nested = findEncodedSecrets(m[0], depth + 1);
      if (nested.length) return found(nested[0]);
    }
  }
  return [];
}

/** Is `token` a random-looking body (for callers outside this module). */
export { randomBody };
