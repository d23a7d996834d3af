// `.npmrc` (npm reads it as INI: `key=value`, `;`/`#` comments, `${VAR}` references) and yarn 1's `.yarnrc`
// (`key "value"` or `key value`). Keys such as `//registry.npmjs.org/:_authToken` are kept whole. Never throws.
import type { DocumentEntry, ParsedDocument } from '../types';

export function readNpmrc(text: string): Pick<ParsedDocument, 'roots' | 'entries' | 'errors'> {
  const entries: DocumentEntry[] = [];
  let pos = 0;
  while (pos <= text.length) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    let end = eol;
    if (end > pos && text[end - 1] === '\r') end--;
    let i = pos;
    while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i < end && text[i] !== ';' && text[i] !== '#' && text[i] !== '[') {
      const line = text.slice(i, end);
      // `key=value` (npm), else `key "value"` / `key value` (yarn 1)
      const eq = line.indexOf('=');
      const ws = line.search(/[ \t]/);
      const sep = eq >= 0 && (ws < 0 || eq < ws || /^[^ \t"]*[ \t]*=/.test(line)) ? eq : ws;
      if (sep > 0) {
        let keyEnd = i + sep;
        while (keyEnd > i && (text[keyEnd - 1] === ' ' || text[keyEnd - 1] === '\t')) keyEnd--;
        let vs = i + sep + 1;
        while (vs < end && (text[vs] === ' ' || text[vs] === '\t')) vs++;
        let ve = end;
        while (ve > vs && (text[ve - 1] === ' ' || text[ve - 1] === '\t')) ve--;
        let value = text.slice(vs, ve);
        let quoted = false;
        if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) {
          value = value.slice(1, -1);
          quoted = true;
        }
        entries.push({ key: text.slice(i, keyEnd), keyStart: i, keyEnd, value, valueStart: vs, valueEnd: ve, quoted, via: 'assignment' });
      }
    }
    pos = eol + 1;
  }
  return { roots: [], entries, errors: [] };
}
