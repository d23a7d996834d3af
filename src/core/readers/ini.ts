// INI-style files (`.ini`, `.cfg`, `.pypirc`, `~/.aws/credentials`, `.gitconfig`, `.s3cfg`): a precise line grammar.
// `[section]` (also git's `[section "sub"]`), `key = value` or `key: value`, `;`/`#` comment lines, inline comments
// after whitespace, quoted values, and indented continuation lines (Python configparser). Produces a tree: the root map
// holds keys before the first section and one map per section. Never throws.
import type { ParsedDocument } from '../types';
import { childMap, cover, map, scalar } from './nodes';

export function readIni(text: string): Pick<ParsedDocument, 'roots' | 'entries' | 'errors'> {
  const root = map(0, text.length);
  let section = root;
  let last: { value: ReturnType<typeof scalar> } | undefined;
  const errors: ParsedDocument['errors'] = [];
  let pos = 0;
  while (pos <= text.length) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    let lineEnd = eol;
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    let i = pos;
    while (i < lineEnd && (text[i] === ' ' || text[i] === '\t')) i++;
    const indented = i > pos;
    const c = text[i];
    if (i >= lineEnd || c === ';' || c === '#') {
      if (i >= lineEnd) last = undefined;
    } else if (c === '[') {
      const close = text.indexOf(']', i);
      if (close < 0 || close > lineEnd) {
        errors.push({ message: 'Section header without a closing "]"', offset: i });
      } else {
        const name = text.slice(i + 1, close).trim();
        section = childMap(root, name, i + 1, close);
        cover(section, scalar(null, i, lineEnd));
      }
      last = undefined;
    } else if (indented && last) {
      // continuation of the previous value
      last.value.value = String(last.value.value ?? '') + '\n' + text.slice(i, lineEnd).trimEnd();
      last.value.end = pos + text.slice(pos, lineEnd).trimEnd().length;
    } else {
      let sep = -1;
      for (let k = i; k < lineEnd; k++) { if (text[k] === '=' || text[k] === ':') { sep = k; break; } }
      let keyEnd = sep < 0 ? lineEnd : sep;
      while (keyEnd > i && (text[keyEnd - 1] === ' ' || text[keyEnd - 1] === '\t')) keyEnd--;
      const key = scalar(text.slice(i, keyEnd), i, keyEnd);
      let vs = sep < 0 ? lineEnd : sep + 1;
      while (vs < lineEnd && (text[vs] === ' ' || text[vs] === '\t')) vs++;
      let ve = lineEnd;
      let value: string;
      const q = text[vs];
      if ((q === '"' || q === "'") && vs < lineEnd) {
        const close = text.indexOf(q, vs + 1);
        if (close > 0 && close < lineEnd) { value = text.slice(vs + 1, close); ve = close + 1; } else value = text.slice(vs, ve).trimEnd();
      } else {
        const m = /[ \t][;#]/.exec(text.slice(vs, lineEnd));
        if (m) ve = vs + m.index;
        while (ve > vs && (text[ve - 1] === ' ' || text[ve - 1] === '\t')) ve--;
        value = text.slice(vs, ve);
      }
      const v = scalar(sep < 0 ? null : value, vs, Math.max(vs, ve));
      section.entries.push({ key, value: v });
      cover(section, v);
      last = { value: v };
    }
    pos = eol + 1;
  }
  return { roots: [root], entries: [], errors };
}
