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

/** Where an argument reader looks: the command's words, the word at `i`, the program and the first word after it. */
interface Arg { words: Word[]; i: number; program: string; first: number; out: DocumentEntry[] }
/** How many words after `i` an argument reader took (0: only word `i`), `STOP` to end the command, undefined: not its case. */
type Took = number | undefined;
const STOP = Number.POSITIVE_INFINITY;

const start = (w: Word) => w.map[0] ?? w.start;

/** `-u user:pass`, `--user user:pass` (curl, wget, http clients). */
function userFlag({ words, i, out }: Arg): Took {
  const next = words[i + 1];
  if (!USER_FLAGS.has(words[i].value) || !next || next.value.startsWith('-')) return undefined;
  const colon = next.value.indexOf(':');
  if (colon > 0) out.push(entryOf(next, 'password', start(next), start(next) + colon, colon + 1, 'userinfo'));
  return 1;
}

/** `-H "Authorization: Bearer …"`, `--header "X-Api-Key: …"`. */
function headerFlag({ words, i, out }: Arg): Took {
  const next = words[i + 1];
  if (!HEADER_FLAGS.has(words[i].value) || !next) return undefined;
  const m = /^([A-Za-z0-9-]+)[ \t]*:[ \t]*/.exec(next.value);
  if (m) out.push(entryOf(next, m[1], start(next), start(next) + m[1].length, m[0].length, 'header'));
  return 1;
}

/** `--password=…`, `-token=…`. */
function flagWithValue({ words, i, out }: Arg): Took {
  const w = words[i];
  const v = w.value;
  if (!/^--?[^=\s-][^=\s]*=/.test(v)) return undefined;
  const eq = v.indexOf('=');
  const name = v.slice(0, eq).replace(/^-+/, '');
  const ks = start(w) + (v.length - v.replace(/^-+/, '').length);
  out.push(entryOf(w, name, ks, ks + name.length, eq + 1, 'flag'));
  return 0;
}

/** `KEY=value` as an argument: `docker run -e KEY=…`, `--build-arg KEY=…`, `heroku config:set KEY=…`, `env -i KEY=…`. */
function assignmentArgument({ words, i, first, out }: Arg): Took {
  const w = words[i];
  const next = words[i + 1];
  const inner = next && /^-/.test(w.value) ? ASSIGN.exec(next.value) : null;
  if (inner && inner[2] === '=') {
    out.push(entryOf(next, inner[1], start(next), start(next) + inner[1].length, inner[0].length, 'assignment'));
    return 1;
  }
  const own = i > first && !w.quoted ? ASSIGN.exec(w.value) : null;
  if (!own || own[2] !== '=') return undefined;
  out.push(entryOf(w, own[1], start(w), start(w) + own[1].length, own[0].length, 'assignment'));
  return 0;
}

/** `aws configure set aws_secret_access_key …`, `npm config set //host/:_authToken …`, `heroku config:set NAME …`. */
function setNameValue({ words, i, out }: Arg): Took {
  const next = words[i + 1];
  const val = words[i + 2];
  if (!/^(?:set|config:set)$/.test(words[i].value) || !next || !/^[\w./:@-]+$/.test(next.value) || !val || val.value.startsWith('-')) return undefined;
  const name = next.value.replace(/^.*[/:]/, '');
  const ke = start(next) + next.value.length;
  out.push(entryOf(val, name, ke - name.length, ke, 0, 'argument'));
  return 2;
}

/** `--token …`, `--password …`: a long option and its value word. */
function longOption({ words, i, out }: Arg): Took {
  const v = words[i].value;
  const next = words[i + 1];
  if (!/^--[A-Za-z][A-Za-z0-9_.-]*$/.test(v) || !next || next.value.startsWith('-') || /^[;&|()]+$/.test(next.value)) return undefined;
  const name = v.slice(2);
  const ks = start(words[i]) + 2;
  out.push(entryOf(next, name, ks, ks + name.length, 0, 'flag'));
  return 1;
}

/** `mysql -pPASS`; `htpasswd -b[c] file user password` (the last word is the password). */
function programPassword({ words, i, program, out }: Arg): Took {
  const w = words[i];
  if (/^(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)$/.test(program) && /^-p[^\s]/.test(w.value)) {
    out.push(entryOf(w, 'password', start(w), start(w) + 2, 2, 'flag'));
    return 0;
  }
  if (program !== 'htpasswd' || !/^-[a-zA-Z]*b/.test(w.value)) return undefined;
  const rest = words.slice(i + 1).filter((x) => !x.value.startsWith('-'));
  const last = rest[rest.length - 1];
  if (rest.length >= 3 && last) out.push(entryOf(last, 'password', start(last), start(last), 0, 'argument'));
  return STOP;
}

const ARGUMENT_READERS = [userFlag, headerFlag, flagWithValue, assignmentArgument, setNameValue, longOption, programPassword];

/** Leading `KEY=value` assignments and declarers (`export`, `declare -x`, `local`…); returns the index of the program. */
function leadingAssignments(words: Word[], out: DocumentEntry[]): number {
  let i = 0;
  while (i < words.length) {
    const w = words[i];
    if (DECLARERS.has(w.value) && !w.quoted) { i++; while (i < words.length && words[i].value.startsWith('-')) i++; continue; }
    const m = ASSIGN.exec(w.value);
    if (!m) break;
    out.push(entryOf(w, m[1], start(w), start(w) + m[1].length, m[0].length, 'assignment'));
    i++;
  }
  return i;
}

/** Pairs of one command (a list of words up to an operator or the end of the line). */
function command(words: Word[], out: DocumentEntry[]): void {
  const first = leadingAssignments(words, out);
  const program = words[first]?.value.replace(/^.*\//, '') ?? '';
  for (let i = first; i < words.length; i++) {
    const arg: Arg = { words, i, program, first, out };
    let took: Took;
    for (const read of ARGUMENT_READERS) { took = read(arg); if (took !== undefined) break; }
    if (took === STOP) return;
    if (took !== undefined) { i += took; continue; }
    const w = words[i];
    if (w.value.length >= MIN_ARGUMENT && !w.value.startsWith('-')) out.push(entryOf(w, '', w.start, w.start, 0, 'argument'));
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
