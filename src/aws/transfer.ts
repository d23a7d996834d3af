// `keyway export` / `keyway import`, the AWS half. Export reads what lies under a path (Strings always; SecureStrings and
// secrets only when the caller asked for decryption). Import compares each planned value with what exists (keyed
// hashes, in memory) and, when applied, writes through ManageService and reads every value back.
import { BulkReader } from './bulk';
import type { Connection } from './connection';
import { KeywayAwsError } from './errors';
import { valueHash } from './hash';
import { ManageService, type Tier } from './manage';

export interface ExportedValue { name: string; rel: string; kind: 'parameter' | 'secret'; type: string; value: string }
export interface ExportSkip { name: string; why: string }

function rel(name: string, prefix: string): string {
  return prefix && name.startsWith(`${prefix}/`) ? name.slice(prefix.length + 1) : name.replace(/^\/+/, '');
}

/** Values under `path`: parameters (and, with decryption, SecureStrings and the secrets under the same prefix). */
export async function readExport(conn: Connection, path: string, o: { withDecryption: boolean; signal?: AbortSignal }): Promise<{ values: ExportedValue[]; skipped: ExportSkip[] }> {
  const reader = new BulkReader(conn);
  const pPrefix = path.replace(/\/+$/, '');
  const paramPrefix = pPrefix && !pPrefix.startsWith('/') ? `/${pPrefix}` : pPrefix;
  const values: ExportedValue[] = [];
  const skipped: ExportSkip[] = [];
  const [params, secrets] = await Promise.all([
    reader.listParametersUnder(paramPrefix, o.signal),
    o.withDecryption ? reader.listSecretsUnder(pPrefix, o.signal) : reader.listSecretsUnder(pPrefix, o.signal).catch(() => []),
  ]);
  const wanted = params.filter((p) => o.withDecryption || p.type !== 'SecureString');
  for (const p of params) if (!o.withDecryption && p.type === 'SecureString') skipped.push({ name: p.name, why: 'SecureString (pass --with-decryption to export it)' });
  const types = new Map(params.map((p) => [p.name, p.type ?? 'String']));
  const fail = (name: string, e: KeywayAwsError) => skipped.push({ name, why: `${e.info.message}` });
  await reader.readParameters(wanted.map((p) => p.name), o.withDecryption, (name, r) => {
    if (r.error) fail(name, r.error);
    else values.push({ name, rel: rel(name, paramPrefix), kind: 'parameter', type: types.get(name) ?? 'String', value: r.value ?? '' });
  }, { signal: o.signal });
  const live = secrets.filter((s) => !s.deletedDate);
  for (const s of secrets) if (s.deletedDate) skipped.push({ name: s.name, why: 'secret scheduled for deletion' });
  if (!o.withDecryption) {
    for (const s of live) skipped.push({ name: s.name, why: 'Secrets Manager secret (pass --with-decryption to export it)' });
  } else {
    await reader.readSecrets(live.map((s) => s.name), (name, r) => {
      if (r.error) fail(name, r.error);
      else if (r.binary) skipped.push({ name, why: 'binary secret' });
      else values.push({ name, rel: rel(name, pPrefix), kind: 'secret', type: 'secret', value: r.value ?? '' });
    }, { signal: o.signal });
  }
  values.sort((a, b) => (a.name < b.name ? -1 : 1));
  return { values, skipped };
}

export interface ImportItem { name: string; value: string; destination: 'String' | 'SecureString' | 'SecretsManager'; tier: Tier }

export type ImportAction = 'create' | 'update' | 'unchanged' | 'conflict';

export interface ImportCheck { action: ImportAction; why?: string; existingType?: string }

/** What importing each item would do: create, update (the value differs), unchanged, or conflict (another store or type). */
export async function checkImport(conn: Connection, items: readonly ImportItem[], o: { signal?: AbortSignal } = {}): Promise<Map<string, ImportCheck>> {
  const reader = new BulkReader(conn);
  const out = new Map<string, ImportCheck>();
  const names = items.map((i) => i.name);
  const paramNames = names.filter((n) => n.startsWith('/') || !n.includes('/'));
  const [params, secrets] = await Promise.all([reader.describeParameters(paramNames, o.signal), reader.describeSecrets(names, o.signal)]);
  const hashes = new Map<string, string>();
  const errors = new Map<string, string>();
  const existingParams = items.filter((i) => params.has(i.name)).map((i) => i.name);
  const existingSecrets = items.filter((i) => secrets.has(i.name) && !secrets.get(i.name)!.deletedDate).map((i) => i.name);
  await reader.readParameters(existingParams, true, (n, r) => { if (r.error) errors.set(n, r.error.info.message); else hashes.set(`p:${n}`, valueHash(r.value ?? '')); }, { signal: o.signal });
  await reader.readSecrets(existingSecrets, (n, r) => { if (r.error) errors.set(n, r.error.info.message); else if (!r.binary) hashes.set(`s:${n}`, valueHash(r.value ?? '')); }, { signal: o.signal });
  for (const it of items) {
    const toSecret = it.destination === 'SecretsManager';
    const p = params.get(it.name); const s = secrets.get(it.name);
    if (toSecret ? p : s) { out.set(it.name, { action: 'conflict', why: `a ${toSecret ? 'parameter' : 'secret'} of that name exists`, existingType: toSecret ? p!.type : 'secret' }); continue; }
    const existing = toSecret ? s : p;
    if (!existing) { out.set(it.name, { action: 'create' }); continue; }
    if (toSecret && s?.deletedDate) { out.set(it.name, { action: 'conflict', why: 'the secret is scheduled for deletion (restore it first)', existingType: 'secret' }); continue; }
    const type = toSecret ? 'secret' : p!.type;
    if (errors.has(it.name)) { out.set(it.name, { action: 'conflict', why: `the existing value could not be read (${errors.get(it.name)})`, existingType: type }); continue; }
    const same = hashes.get(`${toSecret ? 's' : 'p'}:${it.name}`) === valueHash(it.value);
    if (!toSecret && type !== it.destination) { out.set(it.name, { action: 'update', why: `exists as a ${type}; becomes a ${it.destination}${same ? ' (same value)' : ''}`, existingType: type }); continue; }
    out.set(it.name, same ? { action: 'unchanged', existingType: type } : { action: 'update', why: 'the value differs', existingType: type });
  }
  return out;
}

export interface ImportResult { name: string; ok: boolean; action: ImportAction; message?: string }

/** Writes the items (create; update only with `overwrite`), reading each back. Stops nothing on one failure. */
export async function applyImport(conn: Connection, items: readonly ImportItem[], checks: ReadonlyMap<string, ImportCheck>, o: { overwrite: boolean }): Promise<ImportResult[]> {
  const m = new ManageService(conn);
  const out: ImportResult[] = [];
  for (const it of items) {
    const c = checks.get(it.name) ?? { action: 'create' as const };
    if (c.action === 'unchanged') { out.push({ name: it.name, ok: true, action: c.action, message: 'unchanged' }); continue; }
    if (c.action === 'conflict') { out.push({ name: it.name, ok: false, action: c.action, message: c.why }); continue; }
    if (c.action === 'update' && !o.overwrite) { out.push({ name: it.name, ok: false, action: c.action, message: `${c.why ?? 'exists'}: pass --overwrite to write a new version` }); continue; }
    try {
      if (it.destination === 'SecretsManager') {
        if (c.action === 'create') await m.createSecret({ name: it.name, value: it.value, description: 'Imported by Keyway' });
        else await m.putSecretVersion({ id: it.name, value: it.value });
        const back = await m.getSecret(it.name);
        if (valueHash(back.value) !== valueHash(it.value)) throw new Error('the value read back differs');
      } else {
        if (c.action === 'create') await m.createParameter({ name: it.name, value: it.value, type: it.destination, tier: it.tier, description: 'Imported by Keyway' });
        else await m.putParameterVersion({ name: it.name, value: it.value, type: it.destination, tier: it.tier === 'Advanced' ? 'Advanced' : undefined });
        const back = await m.getParameter(it.name);
        if (valueHash(back.value) !== valueHash(it.value) || back.type !== it.destination) throw new Error('the value read back differs');
      }
      out.push({ name: it.name, ok: true, action: c.action });
    } catch (e) {
      out.push({ name: it.name, ok: false, action: c.action, message: e instanceof KeywayAwsError ? `${e.info.message} ${e.info.nextStep}` : (e as Error).message });
    }
  }
  return out;
}
