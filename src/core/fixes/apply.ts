// Apply plain TextEdits to a text. Pure; shared by golden tests, `keyway scan --fix` and anything else that needs it.
import { lineStarts, offsetAt } from '../text';
import type { TextEdit } from '../types';

export class OverlappingEditsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OverlappingEditsError';
  }
}

/**
 * Apply `edits` (positions in `text`'s own coordinates) and return the new text. Edits are sorted by offset;
 * overlapping edits throw `OverlappingEditsError`. Two insertions at the same offset are applied in the given order.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  if (!edits.length) return text;
  const starts = lineStarts(text);
  const resolved = edits.map((e, i) => {
    const start = Math.min(text.length, offsetAt(starts, e.range.start));
    const end = Math.min(text.length, offsetAt(starts, e.range.end));
    if (end < start) throw new OverlappingEditsError(`edit ${i} ends before it starts`);
    return { start, end, newText: e.newText, i };
  });
  resolved.sort((a, b) => a.start - b.start || a.end - b.end || a.i - b.i);
  for (let k = 1; k < resolved.length; k++) {
    const prev = resolved[k - 1];
    const cur = resolved[k];
    if (cur.start < prev.end) {
      throw new OverlappingEditsError(`edits overlap at offsets ${prev.start}-${prev.end} and ${cur.start}-${cur.end}`);
    }
  }
  let out = '';
  let at = 0;
  for (const e of resolved) {
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/** Apply edits expressed as offsets into `text` (internal helper for building snippets). */
export function applyOffsetEdits(text: string, edits: readonly { start: number; end: number; newText: string }[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new OverlappingEditsError(`edits overlap at offset ${e.start}`);
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}
