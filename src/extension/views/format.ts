// Small, pure formatting helpers for tree items, tooltips and hovers. Never given a value.
export function relativeTime(epochMs: number | undefined, now = Date.now()): string {
  if (!epochMs) return '';
  const s = Math.round((now - epochMs) / 1000);
  const future = s < 0;
  const a = Math.abs(s);
  const [n, unit] = a < 60 ? [a, 'second'] : a < 3600 ? [Math.round(a / 60), 'minute'] : a < 86400 ? [Math.round(a / 3600), 'hour']
    : a < 86400 * 60 ? [Math.round(a / 86400), 'day'] : a < 86400 * 730 ? [Math.round(a / (86400 * 30)), 'month'] : [Math.round(a / (86400 * 365)), 'year'];
  const txt = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return future ? `in ${txt}` : `${txt} ago`;
}

export function isoDate(epochMs: number | undefined): string {
  return epochMs ? new Date(epochMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '—';
}

/** Escapes text for a Markdown table cell or paragraph. */
export function md(text: string | number | undefined): string {
  if (text === undefined || text === '') return '—';
  return String(text).replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

export const MASK = '••••••••';

/** One line of a value for a tree description: first line, at most `max` characters. */
export function oneLine(value: string, max = 120): string {
  const line = value.replace(/\s*\r?\n\s*/g, ' ⏎ ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
