// Jest/Vitest snapshots (`.snap`): `exports[`name`] = `…`;` blocks whose bodies are pretty-format output of whole
// objects. Each `"key": "value"` / `key: "value"` / `key="value"` (React props) line gives a pair, every other quoted
// string a bare value (for provider formats). Offsets are exact. Linear; never throws.
import type { DocumentEntry, ParsedDocument } from '../types';

const KEYED = /(?:^|[\s{,(])"?([A-Za-z_$][\w$.-]*)"?\s*[:=]\s*"((?:[^"\\\n]|\\.)*)"/g;
const QUOTED = /"((?:[^"\\\n]|\\.)*)"/g;

function unescape(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

export function readSnapshot(text: string): Pick<ParsedDocument, 'roots' | 'entries' | 'errors'> {
  const entries: DocumentEntry[] = [];
  let pos = 0;
  while (pos < text.length) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    const line = text.slice(pos, eol);
    const taken: [number, number][] = [];
    KEYED.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = KEYED.exec(line))) {
      const vStart = pos + m.index + m[0].length - m[2].length - 2; // the opening quote
      const kOff = m[0].indexOf(m[1]);
      entries.push({
        key: m[1], keyStart: pos + m.index + kOff, keyEnd: pos + m.index + kOff + m[1].length, value: unescape(m[2]),
        valueStart: vStart, valueEnd: vStart + m[2].length + 2, quoted: true, via: 'snapshot',
      });
      taken.push([vStart - pos, vStart - pos + m[2].length + 2]);
    }
    QUOTED.lastIndex = 0;
    while ((m = QUOTED.exec(line))) {
      const s = m.index;
      if (m[1].length < 12 || taken.some(([a, b]) => s >= a && s < b)) continue;
      entries.push({ key: '', keyStart: pos + s, keyEnd: pos + s, value: unescape(m[1]), valueStart: pos + s, valueEnd: pos + s + m[0].length, quoted: true, via: 'argument' });
    }
    pos = eol + 1;
  }
  return { roots: [], entries, errors: [] };
}
