// Small builders for the IacNode tree the readers produce (see src/core/iac/nodes.ts).
import type { IacMap, IacNode, IacScalar, IacSeq } from '../iac/nodes';

export function scalar(value: string | number | boolean | null, start: number, end: number): IacScalar {
  return { type: 'scalar', value, start, end };
}

export function map(start: number, end = start): IacMap {
  return { type: 'map', entries: [], start, end };
}

export function seq(start: number, end = start): IacSeq {
  return { type: 'seq', items: [], start, end };
}

/** The map under `key` in `m`, created when missing (used for TOML tables and INI sections). */
export function childMap(m: IacMap, key: string, start: number, end: number): IacMap {
  for (const e of m.entries) if (e.key.value === key && e.value.type === 'map') return e.value;
  const child = map(start, end);
  m.entries.push({ key: scalar(key, start, end), value: child });
  return child;
}

/** Grow a container's range to cover a child. */
export function cover(parent: IacNode, child: IacNode): void {
  if (child.start < parent.start) parent.start = child.start;
  if (child.end > parent.end) parent.end = child.end;
}
