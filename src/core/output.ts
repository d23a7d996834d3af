// Output safety, shared by every report format (CLI text, JSON, SARIF, policy output) and the extension's log:
// - `Redactor` masks every span a rule flagged as a secret value, wherever its text reappears (a fix that copies
//   a statement, a name, an error message), and every provider-format credential (AWS keys, GitHub tokens,
//   Stripe keys, PEM keys…) even where no rule flagged it (a token used as a YAML key or a .env variable name).
// - `escapeControl` makes text taken from scanned files safe to print: a repository cannot clear a terminal,
//   move the cursor, ring the bell, forge a line in a CI log or reorder text with bidi controls.
// Only what is printed or serialized is masked; `--fix` still writes the user's real text.
import { findFormattedSecrets } from './secrets/detect';
import type { Finding } from './types';

export const REDACTED = '[redacted]';

/** Rules whose finding range is a secret value (or a credential used as a key or name). */
const SECRET_SPAN_RULES: ReadonlySet<string> = new Set(['hardcoded-secret', 'secret-in-env']);

/** Shorter texts are not masked on their own (they would mask unrelated words); rules flag nothing this short. */
const MIN_SECRET_LENGTH = 6;

function offsetOf(text: string, line: number, character: number): number {
  let off = 0;
  for (let l = 0; l < line; l++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0) return text.length;
    off = nl + 1;
  }
  return Math.min(text.length, off + character);
}

/** The forms a flagged span's text can take in output: as written, without its quotes, and unescaped. */
function forms(raw: string): string[] {
  const out = [raw.trim()];
  const q = /^(['"`])([\s\S]*)\1$/.exec(raw.trim());
  if (q) {
    out.push(q[2]);
    if (q[2].includes('\\')) {
      try { out.push(JSON.parse(`"${q[2].replace(/\\'/g, "'").replace(/(^|[^\\])"/g, '$1\\"')}"`) as string); } catch { /* not a JSON-style escape */ }
    }
  }
  return out;
}

/**
 * The texts of the spans rules flagged as secrets, read from the files (`textOf` returns a file's text, or
 * undefined when it cannot be read). In memory only: pass them to a `Redactor`, never to an output.
 */
export function flaggedSecretTexts(findings: readonly Finding[], textOf: (file: string) => string | undefined): string[] {
  const out = new Set<string>();
  const cache = new Map<string, string | undefined>();
  for (const f of findings) {
    if (!SECRET_SPAN_RULES.has(f.ruleId)) continue;
    if (!cache.has(f.file)) cache.set(f.file, textOf(f.file));
    const text = cache.get(f.file);
    if (text === undefined) continue;
    const start = offsetOf(text, f.range.start.line, f.range.start.character);
    const end = offsetOf(text, f.range.end.line, f.range.end.character);
    if (end <= start) continue;
    for (const s of forms(text.slice(start, end))) if (s.length >= MIN_SECRET_LENGTH) out.add(s);
  }
  return [...out];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Masks known secret texts and provider-format credentials in any string or JSON-like value. */
export class Redactor {
  private readonly known?: RegExp;

  constructor(secrets: Iterable<string> = []) {
    const list = [...new Set([...secrets].filter((s) => s.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
    if (list.length) this.known = new RegExp(list.map(escapeRegExp).join('|'), 'g');
  }

  /** The string with every known secret and every provider-format credential replaced by `[redacted]`. */
  text(s: string): string {
    let out = this.known ? s.replace(this.known, REDACTED) : s;
    const formatted = findFormattedSecrets(out);
    if (formatted.length) {
      // Right to left, merging overlaps, so earlier offsets stay valid.
      const spans = formatted.map((m) => [m.start, m.end] as const).sort((a, b) => b[0] - a[0]);
      let limit = Infinity;
      for (const [start, end] of spans) {
        const e = Math.min(end, limit);
        if (e <= start) continue;
        out = out.slice(0, start) + REDACTED + out.slice(e);
        limit = start;
      }
    }
    return out;
  }

  /** A deep copy with every string (object keys included) redacted. */
  value<T>(v: T): T {
    if (typeof v === 'string') return this.text(v) as T;
    if (Array.isArray(v)) return v.map((x) => this.value(x)) as T;
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[this.text(k)] = this.value(x);
      return out as T;
    }
    return v;
  }
}

/** C0 and C1 controls, DEL, bidi embeddings/overrides/isolates and marks, and the Unicode line/paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_KEEP_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/**
 * Text from a scanned file, made safe for a terminal or a log: every control character (ESC, BEL, CR, LF…),
 * C1 control, DEL and bidi control becomes a visible escape (`\x1b`, `\u202e`). `keepLines` keeps LF and tab,
 * for multi-line output Keyway builds itself.
 */
export function escapeControl(s: string, opts: { keepLines?: boolean } = {}): string {
  return s.replace(opts.keepLines ? CONTROL_KEEP_LINES : CONTROL, escapeOne);
}

/**
 * JSON text made safe to print: `JSON.stringify` leaves DEL, C1 controls and bidi controls raw; they become
 * `\uXXXX` escapes (the parsed value is the same).
 */
export function escapeJsonText(json: string): string {
  return json.replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
