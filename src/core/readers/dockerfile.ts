// Dockerfile / Containerfile: instructions over logical lines (`\` continuation, or the character set by a
// `# escape=` parser directive). `ENV k=v k2="v 2"` and the legacy `ENV k v`, `ARG name=default`, `LABEL k=v` give
// pairs; `RUN`, `CMD`, `ENTRYPOINT` and `HEALTHCHECK` in shell form are read as shell. Never throws.
import type { DocumentEntry, ParsedDocument } from '../types';
import { readShellRange } from './shell';
import { spanOf, splitWords } from './words';

/** End of the logical line that starts at `i` (continuations joined), and the start of the next. */
function logicalLine(text: string, i: number, esc: string): { end: number; next: number } {
  for (;;) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) return { end: text.length, next: text.length };
    let k = nl - 1;
    if (text[k] === '\r') k--;
    while (k >= i && (text[k] === ' ' || text[k] === '\t')) k--;
    if (k >= i && text[k] === esc) { i = nl + 1; continue; }
    return { end: text[nl - 1] === '\r' ? nl - 1 : nl, next: nl + 1 };
  }
}

export function readDockerfile(text: string): Pick<ParsedDocument, 'roots' | 'entries' | 'errors'> {
  const entries: DocumentEntry[] = [];
  const directive = /^[ \t]*#[ \t]*escape[ \t]*=[ \t]*([\\`])/im.exec(text.slice(0, 2000));
  const esc = directive ? directive[1] : '\\';
  let pos = 0;
  while (pos < text.length) {
    let i = pos;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r' || text[i] === '\n')) i++;
    if (i >= text.length) break;
    if (text[i] === '#') {
      const nl = text.indexOf('\n', i);
      const end = nl < 0 ? text.length : nl;
      // a commented-out instruction is still read
      const body = /^#[ \t]*(ENV|ARG|RUN)\b/i.exec(text.slice(i, end));
      if (body) readInstruction(text, body[1].toUpperCase(), i + body[0].length, end, esc, entries);
      pos = nl < 0 ? text.length : nl + 1;
      continue;
    }
    const { end, next } = logicalLine(text, i, esc);
    const m = /^([A-Za-z]+)/.exec(text.slice(i, Math.min(end, i + 20)));
    if (m) readInstruction(text, m[1].toUpperCase(), i + m[1].length, end, esc, entries);
    pos = next;
  }
  return { roots: [], entries, errors: [] };
}

function readInstruction(text: string, op: string, start: number, end: number, esc: string, out: DocumentEntry[]): void {
  switch (op) {
    case 'ENV': case 'ARG': case 'LABEL': {
      const { words } = splitWords(text, start, end, { continuation: esc });
      if (!words.length) return;
      if (op === 'ENV' && words.length >= 2 && !words[0].value.includes('=')) {
        // legacy form: ENV KEY the rest of the line
        const k = words[0];
        const first = words[1];
        const last = words[words.length - 1];
        out.push({
          key: k.value, keyStart: k.start, keyEnd: k.end, value: words.slice(1).map((w) => w.value).join(' '),
          valueStart: first.start, valueEnd: last.end, quoted: words.slice(1).some((w) => w.quoted), via: 'assignment',
        });
        return;
      }
      for (const w of words) {
        const eq = w.value.indexOf('=');
        if (eq <= 0) continue;
        const key = w.value.slice(0, eq);
        const ks = w.map[0] ?? w.start;
        const span = spanOf(w, eq + 1);
        out.push({ key, keyStart: ks, keyEnd: ks + key.length, value: w.value.slice(eq + 1), valueStart: span.start, valueEnd: span.end, quoted: w.quoted, via: 'assignment' });
      }
      return;
    }
    case 'RUN': case 'CMD': case 'ENTRYPOINT': case 'HEALTHCHECK': {
      let s = start;
      while (s < end && (text[s] === ' ' || text[s] === '\t')) s++;
      // exec form (JSON array): read its strings as words of one command
      const body = text.slice(s, end);
      if (body.startsWith('[')) {
        const words: DocumentEntry[] = [];
        for (const m of body.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
          const v = m[1].replace(/\\(.)/g, '$1');
          if (v.length >= 12) words.push({ key: '', keyStart: s + m.index!, keyEnd: s + m.index!, value: v, valueStart: s + m.index!, valueEnd: s + m.index! + m[0].length, quoted: true, via: 'argument' });
        }
        out.push(...words);
        return;
      }
      out.push(...readShellRange(text, s, end));
      return;
    }
    default:
      return;
  }
}
