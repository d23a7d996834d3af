// A tolerant JSON parser that keeps offsets (comments and trailing commas allowed, as in tsconfig/VS Code JSON).
// Never throws: on malformed input it returns what it read so far and an error.
import type { IacMap, IacNode, IacScalar, IacSeq, ParseResult } from './nodes';

const MAX_DEPTH = 256;

class JsonError extends Error {
  constructor(message: string, readonly offset: number) { super(message); }
}

export function parseJson(text: string): ParseResult {
  const r = new JsonReader(text);
  try {
    const root = r.value(0);
    r.ws();
    const errors = r.i < text.length ? [{ message: 'Unexpected content after the JSON value', offset: r.i }] : [];
    return { roots: [root], errors };
  } catch (e) {
    if (e instanceof JsonError) return { roots: [], errors: [{ message: e.message, offset: e.offset }] };
    return { roots: [], errors: [{ message: e instanceof Error ? e.message : String(e), offset: 0 }] };
  }
}

class JsonReader {
  i = 0;
  private readonly n: number;

  constructor(private readonly text: string) {
    this.n = text.length;
    if (text.charCodeAt(0) === 0xfeff) this.i = 1;
  }

  /** Skip blanks and comments. */
  ws(): void {
    const text = this.text;
    while (this.i < this.n) {
      const c = text.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) { this.i++; continue; }
      if (c === 47 && text.charCodeAt(this.i + 1) === 47) { const e = text.indexOf('\n', this.i); this.i = e < 0 ? this.n : e + 1; continue; }
      if (c === 47 && text.charCodeAt(this.i + 1) === 42) { const e = text.indexOf('*/', this.i + 2); this.i = e < 0 ? this.n : e + 2; continue; }
      break;
    }
  }

  value(depth: number): IacNode {
    if (depth > MAX_DEPTH) throw new JsonError('Nesting too deep', this.i);
    this.ws();
    if (this.i >= this.n) throw new JsonError('Unexpected end of input', this.i);
    const c = this.text[this.i];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.str();
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.i, this.i + 64));
    if (!m) throw new JsonError('Unexpected character', this.i);
    const start = this.i;
    this.i += m[0].length;
    const t = m[0];
    return { type: 'scalar', value: t === 'true' ? true : t === 'false' ? false : t === 'null' ? null : Number(t), start, end: this.i };
  }

  private object(depth: number): IacMap {
    const text = this.text;
    const m: IacMap = { type: 'map', entries: [], start: this.i, end: this.i };
    this.i++;
    for (;;) {
      this.ws();
      if (text[this.i] === '}') { this.i++; break; }
      if (text[this.i] !== '"') throw new JsonError('Expected a property name', this.i);
      const key = this.str();
      this.ws();
      if (text[this.i] !== ':') throw new JsonError('Expected ":"', this.i);
      this.i++;
      m.entries.push({ key, value: this.value(depth + 1) });
      this.ws();
      if (text[this.i] === ',') { this.i++; continue; }
      if (text[this.i] === '}') { this.i++; break; }
      throw new JsonError('Expected "," or "}"', this.i);
    }
    m.end = this.i;
    return m;
  }

  private array(depth: number): IacSeq {
    const text = this.text;
    const s: IacSeq = { type: 'seq', items: [], start: this.i, end: this.i };
    this.i++;
    for (;;) {
      this.ws();
      if (text[this.i] === ']') { this.i++; break; }
      s.items.push(this.value(depth + 1));
      this.ws();
      if (text[this.i] === ',') { this.i++; continue; }
      if (text[this.i] === ']') { this.i++; break; }
      throw new JsonError('Expected "," or "]"', this.i);
    }
    s.end = this.i;
    return s;
  }

  private str(): IacScalar {
    const text = this.text;
    const start = this.i;
    this.i++; // opening quote
    let out = '';
    let chunk = this.i;
    while (this.i < this.n) {
      const c = text.charCodeAt(this.i);
      if (c === 34) { out += text.slice(chunk, this.i); this.i++; return { type: 'scalar', value: out, start, end: this.i }; }
      if (c === 92) {
        out += text.slice(chunk, this.i) + this.escape();
        chunk = this.i;
        continue;
      }
      if (c === 10) break;
      this.i++;
    }
    throw new JsonError('Unterminated string', start);
  }

  /** The escape at the cursor (a backslash), decoded; the cursor moves past it. */
  private escape(): string {
    const e = this.text[this.i + 1];
    let out = '';
    switch (e) {
      case 'n': out = '\n'; break; case 't': out = '\t'; break; case 'r': out = '\r'; break;
      case 'b': out = '\b'; break; case 'f': out = '\f'; break;
      case 'u': {
        const hex = this.text.slice(this.i + 2, this.i + 6);
        if (/^[0-9a-fA-F]{4}$/.test(hex)) { out = String.fromCharCode(parseInt(hex, 16)); this.i += 4; }
        break;
      }
      default: out = e ?? '';
    }
    this.i += 2;
    return out;
  }
}
