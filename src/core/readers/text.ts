// Other text files (Python, Go, Java, C#, Ruby, PHP, Markdown, XML/HTML, nginx and other `.conf` files, Makefiles,
// `.http` request files, PowerShell…): no parser for each language, but a line grammar that every one of them shares
// for the places a credential is written — a quoted value assigned to a name, a `name = value` / `Name: value` line,
// an XML element or `key="…" value="…"` pair, a dict key before its value, `getenv("NAME", "fallback")`. The provider
// formats are searched over the whole text besides (by the rule), so nothing here needs to be complete; it only gives
// generic values their names. Linear, never throws.
import type { DocumentEntry, ParsedDocument } from '../types';

/** Longest value taken (a credential is shorter; longer quoted runs are prose or data). */
const MAX_VALUE = 600;

/**
 * A quoted value after a name: `NAME = "v"`, `name := "v"`, `"name": "v"`, `'name' => 'v'`, `$env:NAME = "v"`,
 * `name="v"` (keyword arguments, XML attributes), and a quoted name before `,` (`getenv("NAME", "v")`, `put("k", "v")`).
 * Names are identifier-like, dotted or dashed; prefixes `$`, `@`, `$env:` are kept out of the name.
 */
const QUOTED = /(\(?[ \t]*)(?:\$env:|[$@])?(["']?)([A-Za-z_][\w.-]{0,80})\2(\]?)[ \t]*(=>|:=|\?=|\+=|=|:|,)[ \t]*([A-Za-z]{1,2}(?=["']))?(["'`])/g;

/** A whole line `name = value`, `name: value`, `@name = value`, `export NAME=value`, `NAME := value` with an unquoted single-token value. */
const LINE = /^[ \t]*(?:export[ \t]+|set[ \t]+|\$env:|[$@])?([A-Za-z_][\w.-]{0,80})[ \t]*(?::=|\?=|=|:)[ \t]*([^\s"'`][^\s"'`]*)[ \t]*(?:[#;].*|\/\/.*)?$/d;

/** SQL statements that set a password. */
const SQL_PASSWORD = /\b(?:IDENTIFIED[ \t]+(?:WITH[ \t]+\w+[ \t]+)?BY|PASSWORD)[ \t]+(['"])([^'"\n]{1,200})\1/gi;

/** `<password>value</password>` (Maven settings, .NET and Java XML configs). */
const XML_ELEMENT = /<([A-Za-z_][\w.-]{0,60})>([^<>\s]{6,600})<\/\1>/g;

/** `<add key="ApiKey" value="…" />`, `<entry name="password" value="…"/>`, `<param name="token">value</param>`. */
const XML_KEY_VALUE = /\b(?:key|name)[ \t]*=[ \t]*"([A-Za-z_][\w.:-]{0,80})"[ \t]+value[ \t]*=[ \t]*"([^"]{1,600})"/g;

/** Property lists (iOS/macOS `Info.plist`, launchd): `<key>ApiSecret</key>` then `<string>…</string>` on the next line. */
const PLIST_PAIR = /<key>([A-Za-z_][\w.:-]{0,80})<\/key>[ \t]*\r?\n?[ \t]*<string>([^<>\s]{6,600})<\/string>/g;

/**
 * Server configs (nginx, Apache, Caddy, HAProxy, systemd units): a directive, then a name, then its value —
 * `proxy_set_header X-Api-Key "…";`, `SetEnv DB_PASSWORD …`, `RequestHeader set X-Token "…"`, `fastcgi_param APP_SECRET …;`.
 */
const DIRECTIVE = /^[ \t]*(?:[A-Za-z_][\w-]*[ \t]+){1,2}(["']?)([A-Za-z_][\w.-]{0,80})\1[ \t]+(["']?)([^\s"';{}]{6,600})\3[ \t]*;?[ \t]*$/;
const CONF_FILE = /\.(?:conf|htaccess|service|vhost)$|(?:^|[\\/])(?:\.htaccess|caddyfile|httpd\.conf|haproxy\.cfg)$/i;

function endOfQuoted(text: string, from: number, quote: string, limit: number): number {
  for (let i = from; i < limit; i++) {
    const c = text[i];
    if (c === '\\') { i++; continue; }
    if (c === quote) return i;
    if (c === '\n') return -1;
  }
  return -1;
}

/**
 * Programming languages: an unquoted `name = value` there is code (`key = data[:16]`, `token = next_token`), so only
 * quoted values count. Config, docs, markup and request files keep the unquoted line grammar too.
 */
const CODE_EXT = /\.(?:py|pyi|go|java|kt|kts|scala|groovy|gradle|cs|vb|fs|rb|php|rs|swift|m|mm|c|cc|cpp|cxx|h|hpp|pl|pm|lua|r|ex|exs|erl|clj|dart|sql|ps1|psm1|psd1|vue|svelte|astro|sbt|nix)$/i;

/** Whether a text file is a program in another language (only quoted values are values there). */
export function isCodeText(path: string): boolean {
  return CODE_EXT.test(path) || /(?:^|[\\/])(?:jenkinsfile|vagrantfile|gemfile|rakefile|brewfile)$/i.test(path);
}

/** Collects the pairs of one text: each character goes to one value at most (the first grammar that reads it). */
class Pairs {
  readonly entries: DocumentEntry[] = [];
  // Characters already given to a value (or an XML pair's name): one mark per character, so checking a new range costs
  // its length only (values are at most MAX_VALUE long) and a file of 100,000 pairs stays linear.
  private readonly taken: Uint8Array;
  constructor(length: number) { this.taken = new Uint8Array(length + 1); }
  take(a: number, b: number): void { this.taken.fill(1, a, b); }
  add(key: string, keyStart: number, value: string, valueStart: number, valueEnd: number, quoted: boolean): void {
    if (!value || value.length > MAX_VALUE) return;
    for (let i = valueStart; i < valueEnd; i++) if (this.taken[i]) return;
    this.take(valueStart, valueEnd);
    this.entries.push({ key, keyStart, keyEnd: keyStart + key.length, value, valueStart, valueEnd, quoted, via: 'assignment' });
  }
}

/** XML `key="…" value="…"` pairs, plist `<key>`/`<string>` pairs, `<name>value</name>` elements, SQL passwords. */
function readMarkup(text: string, pairs: Pairs): void {
  XML_KEY_VALUE.lastIndex = 0;
  for (let m = XML_KEY_VALUE.exec(text); m; m = XML_KEY_VALUE.exec(text)) {
    const valueStart = m.index + m[0].length - m[2].length - 1;
    const keyStart = m.index + m[0].indexOf(m[1]);
    pairs.add(m[1], keyStart, m[2], valueStart, valueStart + m[2].length, true);
    pairs.take(keyStart, keyStart + m[1].length); // `key="ClientSecret"` is this pair's name, not a value
  }
  PLIST_PAIR.lastIndex = 0;
  for (let m = PLIST_PAIR.exec(text); m; m = PLIST_PAIR.exec(text)) {
    const valueStart = m.index + m[0].length - m[2].length - '</string>'.length;
    pairs.add(m[1], m.index + 5, m[2], valueStart, valueStart + m[2].length, false);
  }
  XML_ELEMENT.lastIndex = 0;
  for (let m = XML_ELEMENT.exec(text); m; m = XML_ELEMENT.exec(text)) {
    const valueStart = m.index + m[1].length + 2;
    pairs.add(m[1], m.index + 1, m[2], valueStart, valueStart + m[2].length, false);
  }
  // SQL: `CREATE USER 'app'@'%' IDENTIFIED BY '…'`, `CREATE ROLE app LOGIN PASSWORD '…'`, `ALTER USER … WITH PASSWORD '…'`
  SQL_PASSWORD.lastIndex = 0;
  for (let m = SQL_PASSWORD.exec(text); m; m = SQL_PASSWORD.exec(text)) {
    const valueStart = m.index + m[0].length - m[2].length - 2;
    pairs.add('password', m.index, m[2], valueStart, valueStart + m[2].length + 2, true);
  }
}

/** Quoted values after a name: `NAME = "v"`, `"name": "v"`, `getenv("NAME", "v")`… */
function readQuoted(text: string, pairs: Pairs): void {
  QUOTED.lastIndex = 0;
  for (let m = QUOTED.exec(text); m; m = QUOTED.exec(text)) {
    const [, open, nameQuote, name, bracket, op, prefix, quote] = m;
    // `headers["x-api-key"] = "…"` (a subscript): only with a quoted key and `=`
    if (bracket && (!nameQuote || op !== '=' || !/\[[ \t]*$/.test(text.slice(Math.max(0, m.index - 4), m.index + open.length)))) continue;
    // `,` only joins a quoted first argument to the next (`getenv("NAME", "fallback")`), never items of a list or set.
    if (op === ',' && (!nameQuote || !open.startsWith('('))) continue;
    const valueStart = m.index + m[0].length;
    const close = endOfQuoted(text, valueStart, quote, Math.min(text.length, valueStart + MAX_VALUE + 1));
    if (close < 0) continue;
    QUOTED.lastIndex = close + 1;
    const value = text.slice(valueStart, close).replace(/\\(["'\\/])/g, '$1');
    // Interpolated strings (`f"{x}-token"`, `$"{x}"`, `"${x}"`, `"#{x}"`) are computed at run time.
    if ((prefix && /f/i.test(prefix) && value.includes('{')) || /\$\{|#\{/.test(value)) continue;
    pairs.add(name, m.index + m[0].indexOf(name, open.length), value, valueStart - 1, close + 1, true);
  }
}

/** One line of a config or document: a server directive (`.conf` files) or a whole `name = value` line. */
function readLine(line: string, pos: number, conf: boolean, pairs: Pairs): void {
  const d = conf ? DIRECTIVE.exec(line) : null;
  if (d) {
    const ks = line.indexOf(d[2], line.search(/\S/) + 1);
    const vs = line.lastIndexOf(d[4]);
    pairs.add(d[2], pos + ks, d[4], pos + vs, pos + vs + d[4].length, !!d[3]);
    return;
  }
  const m = LINE.exec(line);
  // `credentials: provider,` in a README's code sample is code, not a value
  if (!m || /[,;({[]$|\(/.test(m[2])) return;
  const [ks] = m.indices![1];
  const [vs, ve] = m.indices![2];
  pairs.add(m[1], pos + ks, m[2], pos + vs, pos + ve, false);
}

export function readText(text: string, path = ''): Pick<ParsedDocument, 'roots' | 'entries' | 'errors'> {
  const pairs = new Pairs(text.length);
  readMarkup(text, pairs);
  readQuoted(text, pairs);
  const conf = CONF_FILE.test(path);
  // Programming languages: only quoted values (above) are values there
  let pos = isCodeText(path) ? text.length : 0;
  while (pos < text.length) {
    let e = text.indexOf('\n', pos);
    if (e < 0) e = text.length;
    const lineEnd = e > pos && text[e - 1] === '\r' ? e - 1 : e;
    if (lineEnd - pos <= 700) readLine(text.slice(pos, lineEnd), pos, conf, pairs);
    pos = e + 1;
  }
  const entries = pairs.entries.sort((a, b) => a.valueStart - b.valueStart);
  return { roots: [], entries, errors: [] };
}
