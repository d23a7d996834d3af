// Blank lines around inserted module-scope code.

/** A newline to keep one blank line above code inserted at `offset` (at the start of a line). */
export function blankBefore(text: string, offset: number, nl: string): string {
  let i = offset;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  if (i === 0) return '';
  const before = text.slice(Math.max(0, i - 4), i).replace(/\r/g, '');
  return before.endsWith('\n\n') ? '' : nl;
}
