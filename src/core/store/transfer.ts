// `keyway export` and `keyway import` (issue 14 §4): dotenv/JSON rendering of values, and the three-question
// classification of each key of a `.env` file before it becomes a parameter. Pure; values are passed through to the
// output the user asked for, and never into messages.
import { parseEnv } from '../iac';
import { checkJson, checkSize, decide, monthlyCost, validateParameterName, validateSecretName, type Destination } from '../manage';
import { classifySecret, isReferenceName, isSecretName, ROTATING_KINDS, SECRET_KIND_LABELS } from '../secrets';

// ---------------------------------------------------------------------------------------------------- export

/** `db-password` / `nested/db.password` → `DB_PASSWORD` / `NESTED_DB_PASSWORD`. */
export function envKeyFor(rel: string): string {
  const k = rel.replace(/^\/+/, '').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase();
  return /^[0-9]/.test(k) ? `_${k}` : k || '_';
}

/** A dotenv value that reads back the same with `.env` parsers: bare when safe, else double-quoted with escapes. */
export function dotenvValue(value: string): string {
  if (/^[A-Za-z0-9_./:@%+,=-]*$/.test(value) && !value.startsWith('#')) return value;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

export interface ExportEntry { rel: string; value: string }

export interface ExportKeys { keys: Map<string, ExportEntry>; collisions: string[][] }

/** Dotenv keys for the entries; names that map to the same key are collisions (each group listed once). */
export function exportKeys(entries: readonly ExportEntry[]): ExportKeys {
  const groups = new Map<string, ExportEntry[]>();
  for (const e of entries) {
    const k = envKeyFor(e.rel);
    const g = groups.get(k);
    if (g) g.push(e); else groups.set(k, [e]);
  }
  const keys = new Map<string, ExportEntry>();
  const collisions: string[][] = [];
  for (const [k, g] of groups) {
    if (g.length > 1) collisions.push(g.map((e) => e.rel));
    else keys.set(k, g[0]);
  }
  return { keys, collisions };
}

export function formatDotenv(keys: ReadonlyMap<string, ExportEntry>, header?: string): string {
  const lines = header ? header.split('\n').map((l) => `# ${l}`) : [];
  for (const k of [...keys.keys()].sort()) lines.push(`${k}=${dotenvValue(keys.get(k)!.value)}`);
  return lines.join('\n') + '\n';
}

/** `{ "db-password": "…" }` keyed by the name after the path (nested paths keep their `/`). */
export function formatExportJson(entries: readonly ExportEntry[]): string {
  const o: Record<string, string> = {};
  for (const e of [...entries].sort((a, b) => (a.rel < b.rel ? -1 : 1))) o[e.rel.replace(/^\/+/, '')] = e.value;
  return JSON.stringify(o, null, 2) + '\n';
}

// ---------------------------------------------------------------------------------------------------- import

export type KeyStyle = 'keep' | 'kebab' | 'lower';

/** The name segment for a `.env` key: as written, `kebab` (`DB_PASSWORD` → `db-password`) or `lower`. */
export function segmentFor(key: string, style: KeyStyle): string {
  if (style === 'kebab') return key.toLowerCase().replace(/[_.]+/g, '-').replace(/^-+|-+$/g, '');
  if (style === 'lower') return key.toLowerCase();
  return key;
}

export interface ImportPlanEntry {
  key: string;
  /** 1-based line of the key in the file. */
  line: number;
  name: string;
  sensitive: boolean;
  /** Why it is (or is not) sensitive: the key name, the value's format (label only), or neither. */
  sensitiveWhy: string;
  rotation: boolean;
  /** A credential kind that usually rotates (database passwords, AWS keys): Secrets Manager may be worth its cost. */
  rotationHint?: string;
  destination: Destination;
  tier: 'Standard' | 'Advanced';
  monthly: number;
  /** Problems that stop this key (invalid name, empty or oversized value, invalid JSON). */
  problems: string[];
  /** Set by the AWS layer: create, update (value differs), unchanged (same value), or conflict (other type/store). */
  action?: 'create' | 'update' | 'unchanged' | 'conflict';
  actionWhy?: string;
  /** Not serialised: the value to write (the AWS layer hashes it to compare with what exists). */
  value: string;
}

export interface ImportOptions { prefix: string; keyStyle?: KeyStyle; rotate?: readonly string[]; region?: string }

/** Each key of a `.env` text classified by the three questions: sensitive? needs rotation? → destination. */
export function planImport(text: string, o: ImportOptions): { entries: ImportPlanEntry[]; duplicates: string[] } {
  const prefix = o.prefix.replace(/\/+$/, '');
  const starts: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const lineOf = (off: number) => { let lo = 0, hi = starts.length - 1; while (lo < hi) { const m = (lo + hi + 1) >> 1; if (starts[m] <= off) lo = m; else hi = m - 1; } return lo + 1; };
  const parsed = parseEnv(text);
  const last = new Map<string, number>();
  parsed.forEach((e, i) => last.set(e.key, i));
  const duplicates = [...new Set(parsed.filter((e, i) => last.get(e.key) !== i).map((e) => e.key))];
  const rotate = new Set(o.rotate ?? []);
  const entries: ImportPlanEntry[] = [];
  parsed.forEach((e, i) => {
    if (last.get(e.key) !== i) return; // the last assignment wins, as in every dotenv loader
    const name = `${prefix}/${segmentFor(e.key, o.keyStyle ?? 'keep')}`;
    const match = e.value ? classifySecret(e.value, e.key) : undefined;
    const byName = isSecretName(e.key) && !isReferenceName(e.key);
    const sensitive = !!match || byName;
    const sensitiveWhy = match ? `the value looks like a credential (${SECRET_KIND_LABELS[match.kind] ?? match.kind})` : byName ? 'the key names a secret' : 'neither the key nor the value looks secret';
    const rotation = sensitive && rotate.has(e.key);
    const destination = decide(sensitive, rotation);
    const problems: string[] = [];
    const nameProblem = destination === 'SecretsManager' ? validateSecretName(name) : validateParameterName(name, o.region);
    if (nameProblem) problems.push(nameProblem);
    if (!e.value) problems.push('empty value: AWS does not store empty values');
    const size = checkSize(destination === 'SecretsManager' ? 'secret' : 'parameter', e.value || ' ');
    if (!size.ok) problems.push(size.message!);
    const json = e.value ? checkJson(name, e.value) : undefined;
    if (json) problems.push(json);
    const tier = size.tier ?? 'Standard';
    entries.push({
      key: e.key, line: lineOf(e.keyStart), name, sensitive, sensitiveWhy, rotation,
      ...(match && ROTATING_KINDS.has(match.kind) && !rotation ? { rotationHint: `${SECRET_KIND_LABELS[match.kind] ?? match.kind}: if it must rotate, pass --rotate ${e.key} (Secrets Manager, $0.40 a month)` } : {}),
      destination, tier, monthly: monthlyCost(destination, tier).monthly, problems, value: e.value,
    });
  });
  return { entries, duplicates };
}

/** The plan as JSON-safe data (no values). */
export function planJson(entries: readonly ImportPlanEntry[]): Omit<ImportPlanEntry, 'value'>[] {
  return entries.map(({ value: _value, ...rest }) => rest);
}
