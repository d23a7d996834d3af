// Shell scripts (and shell embedded elsewhere: Dockerfile RUN, CI `run:` steps): a command-line grammar over words.
// Reads `KEY=value` assignments (also after `export`, `declare -x`, `local`, `readonly`, `env`, `set -a`), long
// options (`--password=x`, `--token x`), `curl -u user:pass` / `--user`, HTTP headers (`-H "Authorization: …"`),
// `mysql -pPASS`, and keeps other long words as bare arguments (for provider formats). Comment text is read too: a
// commented-out key is still a leaked key. Linear; never throws.
import type { DocumentEntry } from '../types';
import { spanOf, splitWords, type Word } from './words';

const ASSIGN = /^([A-Za-z_][A-Za-z0-9_]*)(\+?=)/;
const DECLARERS = new Set(['export', 'declare', 'typeset', 'local', 'readonly', 'env', 'set']);
const USER_FLAGS = new Set(['-u', '--user', '--proxy-user', '-U']);
const HEADER_FLAGS = new Set(['-H', '--header', '--headers']);
const MIN_ARGUMENT = 12;

function entryOf(w: Word, key: string, keyStart: number, keyEnd: number, from: number, via: DocumentEntry['via']): DocumentEntry {
  const span = spanOf(w, from);
  return { key, keyStart, keyEnd, value: w.value.slice(from), valueStart: span.start, valueEnd: span.end, quoted: w.quoted, via };
}

/** Pairs of one command (a list of words up to an operator or the end of the line). */
function command(words: Word[], out: DocumentEntry[]): void {
  let i = 0;
  // leading assignments and declarers
  while (i < words.length) {
    const w = words[i];
    if (DECLARERS.has(w.value) && !w.quoted) { i++; while (i < words.length && words[i].value.startsWith('-')) i++; continue; }
    const m = ASSIGN.exec(w.value);
    if (!m) break;
    const keyStart = w.map[0] ?? w.start;
    out.push(entryOf(w, m[1], keyStart, keyStart + m[1].length, m[0].length, 'assignment'));
    i++;
  }
  const program = words[i]?.value.replace(/^.*\//, '') ?? '';
  const first = i;
  for (; i < words.length; i++) {
    const w = words[i];
    const v = w.value;
    const next = words[i + 1];
    if (USER_FLAGS.has(v) && next && !next.value.startsWith('-')) {
      const colon = next.value.indexOf(':');
      if (colon > 0) {
        const ks = next.map[0] ?? next.start;
        out.push(entryOf(next, 'password', ks, ks + colon, colon + 1, 'userinfo'));
      }
      i++;
      continue;
    }
    if (HEADER_FLAGS.has(v) && next) {
      const m = /^([A-Za-z0-9-]+)[ \t]*:[ \t]*/.exec(next.value);
      if (m) {
        const ks = next.map[0] ?? next.start;
        out.push(entryOf(next, m[1], ks, ks + m[1].length, m[0].length, 'header'));
      }
      i++;
      continue;
    }
    if (/^--?[^=\s-][^=\s]*=/.test(v)) {
      const eq = v.indexOf('=');
      const name = v.slice(0, eq).replace(/^-+/, '');
      const ks = (w.map[0] ?? w.start) + (v.length - v.replace(/^-+/, '').length);
      out.push(entryOf(w, name, ks, ks + name.length, eq + 1, 'flag'));
      continue;
    }
    // `KEY=value` as an argument: `docker run -e KEY=…`, `--build-arg KEY=…`, `heroku config:set KEY=…`, `env -i KEY=…`
    const inner = next && /^-/.test(v) ? ASSIGN.exec(next.value) : null;
    if (inner && inner[2] === '=') {
      const ks = next.map[0] ?? next.start;
      out.push(entryOf(next, inner[1], ks, ks + inner[1].length, inner[0].length, 'assignment'));
      i++;
      continue;
    }
    const own = i > first ? ASSIGN.exec(v) : null;
    if (own && own[2] === '=' && !w.quoted) {
      const ks = w.map[0] ?? w.start;
      out.push(entryOf(w, own[1], ks, ks + own[1].length, own[0].length, 'assignment'));
      continue;
    }
    // `aws configure set aws_secret_access_key …`, `npm config set //host/:_authToken …`, `git config --global x.token …`
    if (/^(?:set|config:set)$/.test(v) && next && /^[\w./:@-]+$/.test(next.value) && words[i + 2] && !words[i + 2].value.startsWith('-')) {
      const val = words[i + 2];
      const ks = next.map[0] ?? next.start;
      const name = next.value.replace(/^.*[/:]/, '');
      out.push(entryOf(val, name, ks + next.value.length - name.length, ks + next.value.length, 0, 'argument'));
      i += 2;
      continue;
    }
    if (/^--[A-Za-z][A-Za-z0-9_.-]*$/.test(v) && next && !next.value.startsWith('-') && !/^[;&|()]+$/.test(next.value)) {
      const name = v.slice(2);
      const ks = (w.map[0] ?? w.start) + 2;
      out.push(entryOf(next, name, ks, ks + name.length, 0, 'flag'));
      i++;
      continue;
    }
    if (/^(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)$/.test(program) && /^-p[^\s]/.test(v)) {
      const ks = w.map[0] ?? w.start;
      out.push(entryOf(w, 'password', ks, ks + 2, 2, 'flag'));
      continue;
    }
    // `htpasswd -b[c] file user password`: the last word is the password
    if (program === 'htpasswd' && /^-[a-zA-Z]*b/.test(v)) {
      const rest = words.slice(i + 1).filter((x) => !x.value.startsWith('-'));
      const last = rest[rest.length - 1];
      if (rest.length >= 3 && last) { const ks = last.map[0] ?? last.start; out.push(entryOf(last, 'password', ks, ks, 0, 'argument')); }
      return;
    }
    if (v.length >= MIN_ARGUMENT && !v.startsWith('-')) out.push(entryOf(w, '', w.start, w.start, 0, 'argument'));
  }
}

/** Read shell commands in `text[start, end)` (the whole text by default). */
export function readShellRange(text: string, start = 0, end = text.length): DocumentEntry[] {
  const out: DocumentEntry[] = [];
  let i = start;
  while (i < end) {
    // a comment line is read as the command it often was
    let j = i;
    while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
    if (text[j] === '#') {
      j++;
      while (j < end && (text[j] === '#' || text[j] === ' ' || text[j] === '\t')) j++;
      if (text[j] === '!') { const e = text.indexOf('\n', j); i = e < 0 || e >= end ? end : e + 1; continue; } // shebang
    }
    const { words, next } = splitWords(text, j, end, { stopAtNewline: true, operators: true, comments: false });
    let cmd: Word[] = [];
    for (const w of words) {
      if (!w.quoted && /^[;&|()]+$/.test(w.value)) { if (cmd.length) command(cmd, out); cmd = []; continue; }
      if (!w.quoted && w.value.startsWith('#') && w.start > j) break; // trailing comment
      cmd.push(w);
    }
    if (cmd.length) command(cmd, out);
    i = next > i ? next : i + 1;
  }
  return out;
}

export function readShell(text: string): { roots: []; entries: DocumentEntry[]; errors: [] } {
  return { roots: [], entries: readShellRange(text), errors: [] };
}
