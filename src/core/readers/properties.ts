// Java `.properties`: the java.util.Properties line grammar. `#`/`!` comments; the key ends at the first unescaped
// `=`, `:` or whitespace; a line ending in an odd number of backslashes continues on the next; `\t \n \r \f \uXXXX`
// escapes. Produces pairs with exact offsets (the value range spans its continuation lines). Never throws.
import type { DocumentEntry, ParsedDocument } from '../types';

function unescape(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== '\\') { out += c; continue; }
    const n = raw[++i];
    if (n === undefined) break;
    if (n === '\n' || n === '\r') {
      if (n === '\r' && raw[i + 1] === '\n') i++;
      while (raw[i + 1] === ' ' || raw[i + 1] === '\t' || raw[i + 1] === '\f') i++;
      continue;
    }
    if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 1, i + 5))) { out += String.fromCharCode(parseInt(raw.slice(i + 1, i + 5), 16)); i += 4; continue; }
    out += n === 't' ? '\t' : n === 'n' ? '\n' : n === 'r' ? '\r' : n === 'f' ? '\f' : n;
  }
  return out;
}

/** End of the logical line starting at `i`: past continuation lines (an odd run of backslashes before the newline). */
function logicalEnd(text: string, i: number): number {
  for (;;) {
    let e = text.indexOf('\n', i);
    if (e < 0) return text.length;
    let k = e - 1;
    if (k >= i && text[k] === '\r') k--;
    let slashes = 0;
    while (k >= i && text[k] === '\\') { slashes++; k--; }
    if (slashes % 2 === 0) { if (text[e - 1] === '\r') e--; return e; }
    i = e + 1;
  }
}

export function readProperties(text: string): Pick<ParsedDocument, 'roots' | 'entries' | 'errors'> {
  const entries: DocumentEntry[] = [];
  let pos = 0;
  while (pos < text.length) {
    let i = pos;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\f')) i++;
    if (text[i] === '\n' || text[i] === '\r') { pos = i + 1; continue; }
    if (text[i] === '#' || text[i] === '!') {
      const e = text.indexOf('\n', i);
      pos = e < 0 ? text.length : e + 1;
      continue;
    }
    const end = logicalEnd(text, i);
    let k = i;
    while (k < end) {
      const c = text[k];
      if (c === '\\') { k += 2; continue; }
      if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
      k++;
    }
    const keyEnd = Math.min(k, end);
    let v = keyEnd;
    while (v < end && (text[v] === ' ' || text[v] === '\t' || text[v] === '\f')) v++;
    if (text[v] === '=' || text[v] === ':') v++;
    while (v < end && (text[v] === ' ' || text[v] === '\t' || text[v] === '\f')) v++;
    const key = unescape(text.slice(i, keyEnd));
    if (key) {
      entries.push({
        key, keyStart: i, keyEnd, value: unescape(text.slice(v, end)), valueStart: v, valueEnd: Math.max(v, end), quoted: false, via: 'assignment',
      });
    }
    const nl = text.indexOf('\n', end);
    pos = nl < 0 ? text.length : nl + 1;
  }
  return { roots: [], entries, errors: [] };
}
