// JSON of every shape (comments and trailing commas tolerated by the strict reader). When that fails (JSON5-style
// unquoted keys or single quotes, a truncated file, a merge conflict), every `"key": "value"` pair that can still be
// read is kept in a flat map with exact offsets (fallback `key-value-pairs`). Never throws.
import { parseJson } from '../iac/json';
import type { ParsedDocument } from '../types';
import { map, scalar } from './nodes';

// An unquoted key starts only at a word boundary: trying it inside a long run of word characters would be quadratic.
const PAIR = /(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|(?<![\w$-])([A-Za-z_$][\w$-]*))[ \t]*:[ \t]*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|(-?\d[\d.eE+-]*|true|false|null))/g;

function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16))
    : e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e);
}

export function readJson(text: string): Pick<ParsedDocument, 'roots' | 'entries' | 'errors' | 'fallback'> {
  const strict = parseJson(text);
  if (!strict.errors.length || strict.roots.length) return { roots: strict.roots, entries: [], errors: strict.errors };
  if (/Nesting too deep/.test(strict.errors[0]?.message ?? '')) return { roots: [], entries: [], errors: strict.errors };
  const root = map(0, text.length);
  PAIR.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PAIR.exec(text))) {
    const rawKey = m[1] ?? m[2] ?? m[3];
    const ks = m.index + (m[3] !== undefined ? 0 : 1);
    const rawVal = m[4] ?? m[5];
    const valueText = rawVal ?? m[6];
    const ve = m.index + m[0].length;
    const vs = ve - valueText.length - (rawVal !== undefined ? 2 : 0);
    const value = rawVal !== undefined ? unescape(rawVal) : m[6] === 'true' ? true : m[6] === 'false' ? false : m[6] === 'null' ? null : Number(m[6]);
    root.entries.push({ key: scalar(unescape(rawKey), ks, ks + rawKey.length), value: scalar(Number.isNaN(value) ? m[6] : value, vs, ve) });
  }
  return { roots: root.entries.length ? [root] : [], entries: [], errors: strict.errors, fallback: root.entries.length ? 'key-value-pairs' : undefined };
}
