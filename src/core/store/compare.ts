// Environment parity: two path prefixes of one store side by side (`/app/staging` against `/app/production`).
// Names are compared after stripping each prefix; metadata field by field; values only as hashes computed in
// memory by the AWS layer (a JSON object value as one hash per top-level key). Pure: no AWS, no vscode. No value
// and no hash ever appears in a result.

export type StoreKind = 'parameter' | 'secret';

/** One item under a prefix, as the AWS layer describes it (metadata plus value hashes, never a value). */
export interface SideItem {
  /** Full name. */
  name: string;
  /** Name after the prefix, with a leading `/` (`/db/password`). */
  rel: string;
  kind: StoreKind;
  type?: string;
  tier?: string;
  /** KMS key id (parameters: SecureStrings only; secrets: empty = the AWS managed key). */
  keyId?: string;
  dataType?: string;
  /** Secrets: `off`, `every 30 days`, or the schedule expression. */
  rotation?: string;
  /** Secrets: scheduled for deletion. */
  deleted?: boolean;
  /** Keyed hash of the whole value (never the value). */
  valueHash?: string;
  /** For a JSON object value: key → keyed hash of that key's value. */
  jsonKeys?: Record<string, string>;
  /** Why the value could not be read (classified error message), when it could not. */
  valueError?: string;
}

export type DiffField = 'type' | 'tier' | 'kmsKey' | 'dataType' | 'rotation' | 'deletion';

export interface FieldDifference { field: DiffField; a: string; b: string }

export type ValueComparison = 'equal' | 'different' | 'unknown' | 'not-compared';

export interface JsonKeyDiff { onlyA: string[]; onlyB: string[]; different: string[]; equal: string[] }

export type RowStatus = 'onlyA' | 'onlyB' | 'different' | 'same';

export interface CompareRow {
  rel: string;
  kind: StoreKind;
  status: RowStatus;
  a?: SideItem;
  b?: SideItem;
  differences: FieldDifference[];
  value: ValueComparison;
  /** JSON object values on both sides: which keys differ (by hash). */
  jsonKeys?: JsonKeyDiff;
}

export interface CompareCounts { onlyA: number; onlyB: number; different: number; same: number; typeDifferences: number; valueDifferences: number }

export interface CompareResult {
  kind: StoreKind;
  a: string;
  b: string;
  rows: CompareRow[];
  counts: CompareCounts;
  /** Names missing on a side or types that differ: what `keyway diff` fails CI on. */
  namesOrTypesDiffer: boolean;
}

/** `/app/staging/` → `/app/staging`; a parameter prefix always starts with `/`. The root is ''. */
export function normalizePrefix(prefix: string, kind: StoreKind): string {
  let p = prefix.trim().replace(/\/+$/, '');
  if (kind === 'parameter' && p && !p.startsWith('/')) p = `/${p}`;
  return p;
}

/** The name relative to `prefix` (`/db/password`), or undefined when the name is not under it. */
export function relativeName(name: string, prefix: string): string | undefined {
  if (!prefix) return name.startsWith('/') ? name : `/${name}`;
  if (!name.startsWith(`${prefix}/`)) return undefined;
  return name.slice(prefix.length);
}

/** The name on the other side: `/app/staging` + `/db/password`. */
export function joinName(prefix: string, rel: string): string {
  if (!prefix) return rel.replace(/^\//, '');
  return prefix + rel;
}

const DEFAULT_PARAMETER_KEY = 'alias/aws/ssm';

/** Equal KMS keys for a comparison: an empty key and the AWS managed key are the same key. */
function keyOf(item: SideItem): string {
  if (item.kind === 'parameter') return item.type === 'SecureString' ? (item.keyId || DEFAULT_PARAMETER_KEY) : '';
  return item.keyId || 'aws/secretsmanager (default)';
}

function fieldDifferences(a: SideItem, b: SideItem): FieldDifference[] {
  const out: FieldDifference[] = [];
  const push = (field: DiffField, x: string | undefined, y: string | undefined) => {
    if ((x ?? '') !== (y ?? '')) out.push({ field, a: x || '—', b: y || '—' });
  };
  push('type', a.type, b.type);
  if (a.kind === 'parameter') {
    push('tier', a.tier, b.tier);
    push('dataType', a.dataType || 'text', b.dataType || 'text');
  } else {
    push('rotation', a.rotation || 'off', b.rotation || 'off');
    push('deletion', a.deleted ? 'scheduled for deletion' : 'active', b.deleted ? 'scheduled for deletion' : 'active');
  }
  // A type change already says the key changed (only SecureStrings have one).
  if (a.kind === 'secret' || (a.type === 'SecureString' && b.type === 'SecureString')) push('kmsKey', keyOf(a), keyOf(b));
  return out;
}

function jsonDiff(a: Record<string, string>, b: Record<string, string>): JsonKeyDiff {
  const d: JsonKeyDiff = { onlyA: [], onlyB: [], different: [], equal: [] };
  for (const k of Object.keys(a)) {
    if (!(k in b)) d.onlyA.push(k);
    else if (a[k] === b[k]) d.equal.push(k);
    else d.different.push(k);
  }
  for (const k of Object.keys(b)) if (!(k in a)) d.onlyB.push(k);
  for (const list of [d.onlyA, d.onlyB, d.different, d.equal]) list.sort();
  return d;
}

function compareValues(a: SideItem, b: SideItem): { value: ValueComparison; jsonKeys?: JsonKeyDiff } {
  if (a.valueError || b.valueError) return { value: 'unknown' };
  if (a.jsonKeys && b.jsonKeys) {
    const jsonKeys = jsonDiff(a.jsonKeys, b.jsonKeys);
    const same = !jsonKeys.onlyA.length && !jsonKeys.onlyB.length && !jsonKeys.different.length;
    return { value: same ? 'equal' : 'different', jsonKeys };
  }
  if (a.valueHash === undefined || b.valueHash === undefined) return { value: 'not-compared' };
  return { value: a.valueHash === b.valueHash ? 'equal' : 'different' };
}

/** Compares the items under two prefixes of one store. `itemsA`/`itemsB` carry `rel` already. */
export function compareSides(kind: StoreKind, a: { prefix: string; items: readonly SideItem[] }, b: { prefix: string; items: readonly SideItem[] }): CompareResult {
  const byRelB = new Map(b.items.map((i) => [i.rel, i]));
  const rows: CompareRow[] = [];
  const seen = new Set<string>();
  for (const x of a.items) {
    seen.add(x.rel);
    const y = byRelB.get(x.rel);
    if (!y) { rows.push({ rel: x.rel, kind, status: 'onlyA', a: x, differences: [], value: 'not-compared' }); continue; }
    const differences = fieldDifferences(x, y);
    const v = compareValues(x, y);
    const status: RowStatus = differences.length || v.value === 'different' ? 'different' : 'same';
    rows.push({ rel: x.rel, kind, status, a: x, b: y, differences, ...v });
  }
  for (const y of b.items) if (!seen.has(y.rel)) rows.push({ rel: y.rel, kind, status: 'onlyB', b: y, differences: [], value: 'not-compared' });
  rows.sort((p, q) => (p.rel < q.rel ? -1 : p.rel > q.rel ? 1 : 0));
  const counts: CompareCounts = { onlyA: 0, onlyB: 0, different: 0, same: 0, typeDifferences: 0, valueDifferences: 0 };
  for (const r of rows) {
    counts[r.status]++;
    if (r.differences.some((d) => d.field === 'type')) counts.typeDifferences++;
    if (r.value === 'different') counts.valueDifferences++;
  }
  return { kind, a: a.prefix, b: b.prefix, rows, counts, namesOrTypesDiffer: counts.onlyA + counts.onlyB + counts.typeDifferences > 0 };
}

const FIELD_LABEL: Record<DiffField, string> = { type: 'type', tier: 'tier', kmsKey: 'KMS key', dataType: 'data type', rotation: 'rotation', deletion: 'deletion' };

export function fieldLabel(f: DiffField): string { return FIELD_LABEL[f]; }

/** One line about a row, for lists and tooltips (never a value). */
export function describeRow(r: CompareRow, sideA: string, sideB: string): string {
  if (r.status === 'onlyA') return `only in ${sideA}`;
  if (r.status === 'onlyB') return `only in ${sideB}`;
  const parts = r.differences.map((d) => `${FIELD_LABEL[d.field]} ${d.a} → ${d.b}`);
  if (r.value === 'different') {
    const j = r.jsonKeys;
    if (j) {
      const keyParts: string[] = [];
      if (j.different.length) keyParts.push(`${j.different.length} key${j.different.length === 1 ? '' : 's'} differ (${j.different.join(', ')})`);
      if (j.onlyA.length) keyParts.push(`only in ${sideA}: ${j.onlyA.join(', ')}`);
      if (j.onlyB.length) keyParts.push(`only in ${sideB}: ${j.onlyB.join(', ')}`);
      parts.push(`value differs: ${keyParts.join('; ')}`);
    } else parts.push('value differs');
  } else if (r.value === 'equal') parts.push('same value');
  else if (r.value === 'unknown') parts.push('value not readable');
  return parts.join(' · ') || 'same';
}

/** A short label for a prefix in messages: its last segment (`staging`), or the whole prefix when ambiguous. */
export function sideLabels(a: string, b: string): [string, string] {
  const last = (p: string) => p.split('/').filter(Boolean).pop() ?? (p || '(root)');
  const la = last(a); const lb = last(b);
  return la !== lb ? [la, lb] : [a || '(root)', b || '(root)'];
}
