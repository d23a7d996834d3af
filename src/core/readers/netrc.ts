// `.netrc` / `_netrc`: whitespace-separated tokens `machine NAME`, `default`, `login X`, `password X`, `account X`,
// and `macdef NAME` (whose body runs to the next blank line and is skipped). Produces a tree: a sequence with one map
// per machine (`machine`, `login`, `password`, `account` scalars with exact offsets). Never throws.
import type { IacMap } from '../iac/nodes';
import type { ParsedDocument } from '../types';
import { cover, map, scalar, seq } from './nodes';

interface Tok { v: string; s: number; e: number }

function tokens(text: string): Tok[] {
  const out: Tok[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|[^\s]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m[0].startsWith('#') && (m.index === 0 || /\n[ \t]*$/.test(text.slice(Math.max(0, m.index - 200), m.index)))) {
      const e = text.indexOf('\n', m.index);
      re.lastIndex = e < 0 ? text.length : e;
      continue;
    }
    out.push({ v: m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[0], s: m.index, e: m.index + m[0].length });
  }
  return out;
}

export function readNetrc(text: string): Pick<ParsedDocument, 'roots' | 'entries' | 'errors'> {
  const root = seq(0, text.length);
  const errors: ParsedDocument['errors'] = [];
  let cur: IacMap | undefined;
  const toks = tokens(text);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    switch (t.v) {
      case 'machine': case 'default': {
        cur = map(t.s, t.e);
        root.items.push(cur);
        if (t.v === 'machine') {
          const n = toks[++i];
          if (!n) { errors.push({ message: '"machine" without a name', offset: t.s }); break; }
          cur.entries.push({ key: scalar('machine', t.s, t.e), value: scalar(n.v, n.s, n.e) });
          cover(cur, cur.entries[cur.entries.length - 1].value);
        }
        break;
      }
      case 'login': case 'password': case 'account': case 'port': case 'protocol': {
        const n = toks[++i];
        if (!n) { errors.push({ message: `"${t.v}" without a value`, offset: t.s }); break; }
        if (!cur) { cur = map(t.s, t.e); root.items.push(cur); }
        const v = scalar(n.v, n.s, n.e);
        cur.entries.push({ key: scalar(t.v, t.s, t.e), value: v });
        cover(cur, v);
        break;
      }
      case 'macdef': {
        // the macro body ends at the first empty line
        const blank = /\n[ \t]*\r?\n/g;
        blank.lastIndex = t.e;
        const m = blank.exec(text);
        const stop = m ? m.index + m[0].length : text.length;
        while (i + 1 < toks.length && toks[i + 1].s < stop) i++;
        break;
      }
      default:
        // unknown tokens are skipped (some tools add their own keywords)
        break;
    }
  }
  return { roots: [root], entries: [], errors };
}
