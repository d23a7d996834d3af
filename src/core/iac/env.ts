// `.env` files: `KEY=value`, optional `export`, quotes (single, double with escapes and newlines, backticks),
// `#` comments and inline comments after unquoted values. Never throws.

export interface EnvEntry {
  key: string;
  keyStart: number;
  keyEnd: number;
  /** The value after unquoting. */
  value: string;
  /** Source range of the value, quotes included. Empty range at the end of `=` when there is no value. */
  valueStart: number;
  valueEnd: number;
  quoted: boolean;
}

export function parseEnv(text: string): EnvEntry[] {
  const out: EnvEntry[] = [];
  const re = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const key = m[1];
    const keyStart = m.index + (/^[ \t]*(?:export[ \t]+)?/.exec(m[0])?.[0].length ?? 0);
    let i = m.index + m[0].length;
    const q = text[i];
    let value: string, valueStart = i, valueEnd: number, quoted = false;
    if (q === '"' || q === "'" || q === '`') {
      quoted = true;
      let j = i + 1;
      let v = '';
      while (j < text.length && text[j] !== q) {
        if (q === '"' && text[j] === '\\' && j + 1 < text.length) {
          const e = text[j + 1];
          v += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e;
          j += 2;
          continue;
        }
        v += text[j++];
      }
      value = v;
      valueEnd = Math.min(j + 1, text.length);
      i = valueEnd;
    } else {
      let e = text.indexOf('\n', i);
      if (e < 0) e = text.length;
      let line = text.slice(i, e).replace(/\r$/, '');
      const hash = line.search(/\s#/);
      if (hash >= 0) line = line.slice(0, hash);
      else if (line.startsWith('#')) line = '';
      value = line.trimEnd();
      valueEnd = i + value.length;
      i = e;
    }
    if (!value.length) { valueStart = valueEnd = m.index + m[0].length; }
    out.push({ key, keyStart, keyEnd: keyStart + key.length, value, valueStart, valueEnd, quoted });
    re.lastIndex = Math.max(i, m.index + m[0].length);
    if (re.lastIndex === m.index) re.lastIndex++;
  }
  return out;
}
