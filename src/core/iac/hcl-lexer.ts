// The lexical layer of the HCL reader (hcl.ts): a cursor over the text with blanks and comments, names, numbers,
// quoted strings (escapes, `${…}`/`%{…}` templates kept as written), heredocs and bracket matching. Never throws.
import type { IacScalar, ParseResult } from './nodes';

export const enum C {
  Tab = 9, Nl = 10, Cr = 13, Space = 32, Bang = 33, Quote = 34, Hash = 35, Dollar = 36, Percent = 37, Amp = 38,
  LParen = 40, RParen = 41, Star = 42, Plus = 43, Comma = 44, Minus = 45, Dot = 46, Slash = 47, Zero = 48, Nine = 57,
  Colon = 58, Lt = 60, Eq = 61, Gt = 62, Question = 63, LBracket = 91, Backslash = 92, RBracket = 93, Underscore = 95,
  LBrace = 123, Pipe = 124, RBrace = 125,
}

export const isIdStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === C.Underscore || c > 127;
export const isIdPart = (c: number) => isIdStart(c) || (c >= C.Zero && c <= C.Nine) || c === C.Minus;
export const isDigit = (c: number) => c >= C.Zero && c <= C.Nine;

/** The cursor, with the tokens every part of the grammar needs. Subclassed by the reader. */
export class HclLexer {
  i = 0;
  readonly n: number;
  readonly errors: ParseResult['errors'] = [];

  constructor(readonly text: string) {
    this.n = text.length;
    if (text.charCodeAt(0) === 0xfeff) this.i = 1;
  }

  protected c(at = this.i): number { return at < this.n ? this.text.charCodeAt(at) : -1; }

  protected error(message: string, offset = this.i): void {
    if (this.errors.length < 100) this.errors.push({ message, offset });
  }
  /** Skip blanks and comments; newlines too when `lines`. A `#`/`//` comment stops before its newline. */
  protected skip(lines: boolean): void {
    for (;;) {
      const c = this.c();
      if (c === C.Space || c === C.Tab || c === C.Cr) { this.i++; continue; }
      if (c === C.Nl && lines) { this.i++; continue; }
      if (c === C.Hash || (c === C.Slash && this.c(this.i + 1) === C.Slash)) {
        const e = this.text.indexOf('\n', this.i);
        this.i = e < 0 ? this.n : e;
        continue;
      }
      if (c === C.Slash && this.c(this.i + 1) === C.Star) {
        const e = this.text.indexOf('*/', this.i + 2);
        if (e < 0) { this.error('Unterminated comment'); this.i = this.n; return; }
        this.i = e + 2;
        continue;
      }
      return;
    }
  }

  /** Skip to the end of the current line (after an error). */
  protected skipLine(): void {
    const e = this.text.indexOf('\n', this.i);
    this.i = e < 0 ? this.n : e;
  }

  protected ident(): IacScalar | undefined {
    const start = this.i;
    if (!isIdStart(this.c())) return undefined;
    this.i++;
    while (isIdPart(this.c())) this.i++;
    return { type: 'scalar', value: this.text.slice(start, this.i), start, end: this.i };
  }

  /** Index of the bracket closing the one at `open` (skipping strings, heredocs and comments), or -1. */
  protected matching(open: number): number {
    const save = this.i;
    this.i = open;
    let nest = 0;
    let found = -1;
    while (this.i < this.n) {
      const c = this.c();
      if (c === C.Quote) { this.stringLiteralNode(); continue; }
      if (c === C.Lt && this.c(this.i + 1) === C.Lt && this.heredocAhead()) { this.heredoc(); continue; }
      if (c === C.Hash || (c === C.Slash && (this.c(this.i + 1) === C.Slash || this.c(this.i + 1) === C.Star))) { this.skip(false); if (this.c() === c) this.i++; continue; }
      if (c === C.LParen || c === C.LBracket || c === C.LBrace) nest++;
      else if (c === C.RParen || c === C.RBracket || c === C.RBrace) {
        nest--;
        if (nest === 0) { found = this.i; break; }
      }
      this.i++;
    }
    this.i = save;
    return found;
  }

  /** Skip a balanced `{…}` from here (used when nesting is too deep to read). */
  protected skipBalanced(): void {
    const close = this.matching(this.i);
    this.i = close < 0 ? this.n : close + 1;
  }

  protected number(): IacScalar {
    const start = this.i;
    const m = /^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.i, this.i + 64));
    this.i += m ? m[0].length : 1;
    return { type: 'scalar', value: Number(this.text.slice(start, this.i)), start, end: this.i };
  }

  // ---------------------------------------------------------------------------------------------
  // Strings and heredocs

  /**
   * A quoted string from here. Escapes are decoded; `${…}` and `%{…}` are kept as written (and mark the scalar
   * `interpolated`); `$${` and `%%{` stand for a literal `${` / `%{`. A string cannot span lines.
   */
  protected stringLiteralNode(): IacScalar {
    const start = this.i;
    this.i++;
    let out = '';
    let interpolated = false;
    let verbatim = true;
    let chunk = this.i;
    for (;;) {
      const c = this.c();
      if (c < 0 || c === C.Nl) {
        out += this.text.slice(chunk, this.i);
        this.error('Unterminated string', start);
        break;
      }
      if (c === C.Quote) { out += this.text.slice(chunk, this.i); this.i++; break; }
      if (c === C.Backslash) {
        verbatim = false;
        out += this.text.slice(chunk, this.i);
        out += this.escape();
        chunk = this.i;
        continue;
      }
      // `$${` / `%%{`: a literal `${` / `%{`
      if ((c === C.Dollar || c === C.Percent) && this.c(this.i + 1) === c && this.c(this.i + 2) === C.LBrace) {
        out += this.text.slice(chunk, this.i) + String.fromCharCode(c) + '{';
        verbatim = false;
        this.i += 3;
        chunk = this.i;
        continue;
      }
      if ((c === C.Dollar || c === C.Percent) && this.c(this.i + 1) === C.LBrace) {
        out += this.text.slice(chunk, this.i);
        const end = this.templateEnd(this.i + 2);
        out += this.text.slice(this.i, end);
        this.i = end;
        chunk = this.i;
        interpolated = true;
        continue;
      }
      this.i++;
    }
    const s: IacScalar = { type: 'scalar', value: out, start, end: this.i };
    if (interpolated) s.interpolated = true;
    if (verbatim) s.valueStart = start + 1;
    return s;
  }

  protected escape(): string {
    const e = this.text[this.i + 1];
    this.i += 2;
    switch (e) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case '"': return '"';
      case '\\': return '\\';
      case 'u': case 'U': {
        const len = e === 'u' ? 4 : 8;
        const hex = this.text.slice(this.i, this.i + len);
        if (new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) {
          this.i += len;
          const cp = parseInt(hex, 16);
          return cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
        }
        return e;
      }
      default:
        this.error('Unknown escape sequence', this.i - 2);
        return e ?? '';
    }
  }

  /** Index just past the `}` that closes an interpolation whose content starts at `from` (nested strings, braces). */
  protected templateEnd(from: number): number {
    let nest = 1;
    let j = from;
    while (j < this.n) {
      const c = this.text.charCodeAt(j);
      if (c === C.Quote) {
        // a string inside the interpolation: skip it, with its own interpolations
        const save = this.i;
        this.i = j;
        this.stringLiteralNode();
        j = this.i;
        this.i = save;
        continue;
      }
      if (c === C.Nl && nest <= 1) break; // an unterminated interpolation ends at the line's end
      if (c === C.LBrace) nest++;
      else if (c === C.RBrace) { nest--; if (nest === 0) return j + 1; }
      j++;
    }
    this.error('Unterminated interpolation', from - 2);
    return j;
  }

  protected heredocAhead(): boolean {
    return /^<<-?[A-Za-z_][\w-]*[ \t]*\r?\n/.test(this.text.slice(this.i, this.i + 80));
  }

  /** `<<EOF … EOF` / `<<-EOF` (leading blanks removed as in Terraform). The value is the lines in between. */
  protected heredoc(): IacScalar {
    const start = this.i;
    const m = /^<<(-?)([A-Za-z_][\w-]*)[ \t]*\r?\n/.exec(this.text.slice(this.i, this.i + 80))!;
    const indent = m[1] === '-';
    const marker = m[2];
    this.i += m[0].length;
    const contentStart = this.i;
    const lines: string[] = [];
    let closed = false;
    while (this.i < this.n) {
      const nl = this.text.indexOf('\n', this.i);
      const lineEnd = nl < 0 ? this.n : nl;
      const line = this.text.slice(this.i, lineEnd).replace(/\r$/, '');
      if (line.trim() === marker) { this.i = lineEnd; closed = true; break; }
      lines.push(line);
      this.i = nl < 0 ? this.n : nl + 1;
    }
    if (!closed) this.error(`Unterminated heredoc: expected "${marker}"`, start);
    let body = lines;
    if (indent) {
      const widths = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
      const cut = widths.length ? Math.min(...widths) : 0;
      body = lines.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)![0].length)));
    }
    const value = body.length ? body.join('\n') + '\n' : '';
    const s: IacScalar = { type: 'scalar', value, start, end: this.i, heredoc: true };
    if (!indent && !/\r/.test(this.text.slice(contentStart, this.i))) s.valueStart = contentStart;
    if (/[$%]\{/.test(value)) s.interpolated = true;
    return s;
  }
}
