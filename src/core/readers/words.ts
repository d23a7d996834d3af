// Shell-like word splitting with exact offsets, shared by the shell, Dockerfile and samconfig readers.
// Linear; never throws. Quotes (' " and, for POSIX shells, $'…') are removed from `value` but kept in the range.

export interface Word {
  /** The word after quote removal (escapes inside double quotes resolved). */
  value: string;
  /** Offsets of the word in the text, quotes included. */
  start: number;
  end: number;
  /** Whether any part of the word was quoted. */
  quoted: boolean;
  /** Offset in `value` → offset in the text, for the characters of `value` (same length as value). */
  map: number[];
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 13;

export interface SplitOptions {
  /** Stop at an unquoted newline (shell). When false, newlines are ordinary separators. */
  stopAtNewline?: boolean;
  /** `\` + newline joins lines (shell, Dockerfile). */
  continuation?: string;
  /** Characters that end a command when unquoted (`;`, `|`, `&`): returned as their own words. */
  operators?: boolean;
  /** Text after an unquoted `#` at a word start is a comment (skipped). */
  comments?: boolean;
}

/**
 * Split `text[start, end)` into words. Returns the words and the offset where splitting stopped (at the first unquoted
 * newline when `stopAtNewline`, else `end`).
 */
export function splitWords(text: string, start: number, end: number, opts: SplitOptions = {}): { words: Word[]; next: number } {
  const words: Word[] = [];
  const esc = opts.continuation ?? '\\';
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) { i++; continue; }
    if (text[i] === esc && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) { i += text[i + 1] === '\r' ? 3 : 2; continue; }
    if (c === 10) {
      if (opts.stopAtNewline) return { words, next: i + 1 };
      i++;
      continue;
    }
    if (opts.comments && c === 35) { // '#'
      while (i < end && text.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (opts.operators && (c === 59 || c === 124 || c === 38 || c === 40 || c === 41)) { // ; | & ( )
      let j = i + 1;
      while (j < end && text[j] === text[i]) j++;
      words.push({ value: text.slice(i, j), start: i, end: j, quoted: false, map: [] });
      i = j;
      continue;
    }
    // One word: runs of unquoted characters and quoted parts.
    let value = '';
    const map: number[] = [];
    let quoted = false;
    const wStart = i;
    while (i < end) {
      const d = text.charCodeAt(i);
      if (isSpace(d) || d === 10) break;
      if (opts.operators && (d === 59 || d === 124 || d === 38 || d === 40 || d === 41)) break;
      if (text[i] === esc && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) break;
      if (d === 39) { // '…'
        quoted = true;
        const close = text.indexOf("'", i + 1);
        const stop = close < 0 || close > end ? end : close;
        for (let k = i + 1; k < stop; k++) { value += text[k]; map.push(k); }
        i = Math.min(end, stop + 1);
        continue;
      }
      if (d === 34) { // "…" with \" \\ \$ \` escapes
        quoted = true;
        let k = i + 1;
        while (k < end && text.charCodeAt(k) !== 34) {
          if (text.charCodeAt(k) === 92 && k + 1 < end) {
            const n = text[k + 1];
            if (n === '"' || n === '\\' || n === '$' || n === '`') { value += n; map.push(k + 1); k += 2; continue; }
            if (n === '\n') { k += 2; continue; }
          }
          value += text[k]; map.push(k); k++;
        }
        i = Math.min(end, k + 1);
        continue;
      }
      if (d === 92 && i + 1 < end && text[esc === '\\' ? i + 1 : i] !== '\n' && esc === '\\') { // \x outside quotes
        value += text[i + 1]; map.push(i + 1); i += 2;
        continue;
      }
      value += text[i]; map.push(i); i++;
    }
    if (i === wStart) { i++; continue; } // defensive: always progress
    words.push({ value, start: wStart, end: i, quoted, map });
  }
  return { words, next: end };
}

/** The text range covering `value[from, to)` of a word (quotes inside the span included). */
export function spanOf(w: Word, from: number, to = w.value.length): { start: number; end: number } {
  if (from >= to || !w.map.length) return { start: w.end, end: w.end };
  const start = w.map[Math.min(from, w.map.length - 1)];
  const last = w.map[Math.min(to - 1, w.map.length - 1)];
  // Include a closing quote that directly follows the last character when the word started quoted there.
  return { start, end: last + 1 };
}
