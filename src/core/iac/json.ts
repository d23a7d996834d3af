// A tolerant JSON parser that keeps offsets (comments and trailing commas allowed, as in tsconfig/VS Code JSON).
// Never throws: on malformed input it returns what it read so far and an error.
import type { IacMap, IacNode, IacScalar, IacSeq, ParseResult } from './nodes';

const MAX_DEPTH = 256;

class JsonError extends Error {
  constructor(message: string, readonly offset: number) { super(message); }
}

export function parseJson(text: string): ParseResult {
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1;

  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) { i++; continue; }
      if (c === 47 && text.charCodeAt(i + 1) === 47) { const e = text.indexOf('\n', i); i = e < 0 ? n : e + 1; continue; }
      if (c === 47 && text.charCodeAt(i + 1) === 42) { const e = text.indexOf('*/', i + 2); i = e < 0 ? n : e + 2; continue; }
      break;
    }
  };

  const str = (): IacScalar => {
    const start = i;
    i++; // opening quote
    let out = '';
    let chunk = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) { out += text.slice(chunk, i); i++; return { type: 'scalar', value: out, start, end: i }; }
      if (c === 92) {
        out += text.slice(chunk, i);
        const e = text[i + 1];
        switch (e) {
          case 'n': out += '\n'; break; case 't': out += '\t'; break; case 'r': out += '\r'; break;
          case 'b': out += '\b'; break; case 'f': out += '\f'; break;
          case 'u': {
            const hex = text.slice(i + 2, i + 6);
            if (/^[0-9a-fA-F]{4}$/.test(hex)) { out += String.fromCharCode(parseInt(hex, 16)); i += 4; }
            break;
          }
          default: out += e ?? '';
        }
        i += 2;
        chunk = i;
        continue;
      }
      if (c === 10) break;
      i++;
    }
    throw new JsonError('Unterminated string', start);
  };

  const value = (depth: number): IacNode => {
    if (depth > MAX_DEPTH) throw new JsonError('Nesting too deep', i);
    ws();
    if (i >= n) throw new JsonError('Unexpected end of input', i);
    const c = text[i];
    if (c === '{') {
      const m: IacMap = { type: 'map', entries: [], start: i, end: i };
      i++;
      for (;;) {
        ws();
        if (text[i] === '}') { i++; break; }
        if (text[i] !== '"') throw new JsonError('Expected a property name', i);
        const key = str();
        ws();
        if (text[i] !== ':') throw new JsonError('Expected ":"', i);
        i++;
        m.entries.push({ key, value: value(depth + 1) });
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; break; }
        throw new JsonError('Expected "," or "}"', i);
      }
      m.end = i;
      return m;
    }
    if (c === '[') {
      const s: IacSeq = { type: 'seq', items: [], start: i, end: i };
      i++;
      for (;;) {
        ws();
        if (text[i] === ']') { i++; break; }
        s.items.push(value(depth + 1));
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; break; }
        throw new JsonError('Expected "," or "]"', i);
      }
      s.end = i;
      return s;
    }
    if (c === '"') return str();
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m) throw new JsonError('Unexpected character', i);
    const start = i;
    i += m[0].length;
    const t = m[0];
    return { type: 'scalar', value: t === 'true' ? true : t === 'false' ? false : t === 'null' ? null : Number(t), start, end: i };
  };

  try {
    const root = value(0);
    ws();
    const errors = i < n ? [{ message: 'Unexpected content after the JSON value', offset: i }] : [];
    return { roots: [root], errors };
  } catch (e) {
    if (e instanceof JsonError) return { roots: [], errors: [{ message: e.message, offset: e.offset }] };
    return { roots: [], errors: [{ message: e instanceof Error ? e.message : String(e), offset: 0 }] };
  }
}
