// Environment parity, the AWS half: what lies under each prefix (from the explorer's index when it is complete, else
// one filtered listing per prefix) and, for names on both sides, keyed hashes of their values (10 parameters or 20
// secrets per call). The values are hashed as they arrive and dropped; core/store/compare does the comparing.
import type * as CoreCompare from '../core/store/compare';
import { BulkReader, type ReadOptions } from './bulk';
import type { Connection } from './connection';
import { jsonKeyHashes, valueHash } from './hash';
import type { ParameterMeta, SecretMeta, StoreItem } from './model';
import type { StoreIndex } from './index/storeIndex';
import type { FolderNode } from './index/tree';

type SideItem = CoreCompare.SideItem;
type Kind = CoreCompare.StoreKind;

export interface CompareLoadOptions extends ReadOptions {
  /** Read values and compare their hashes (default true). */
  values?: boolean;
  /** The explorer's index of this store: used instead of a listing when complete. */
  index?: StoreIndex<StoreItem>;
  onProgress?: (p: { phase: 'listing' | 'values'; done: number; total: number }) => void;
}

export interface LoadedSides { a: SideItem[]; b: SideItem[]; listingCalls: 'index' | 'api' }

function rotationText(m: SecretMeta): string {
  if (!m.rotationEnabled) return 'off';
  return m.rotationDays ? `every ${m.rotationDays} days` : m.rotationSchedule ?? 'on';
}

function rel(name: string, prefix: string): string | undefined {
  if (!prefix) return name.startsWith('/') ? name : `/${name}`;
  return name.startsWith(`${prefix}/`) ? name.slice(prefix.length) : undefined;
}

export function toSideItem(m: ParameterMeta | SecretMeta, prefix: string): SideItem | undefined {
  const r = rel(m.name, prefix);
  if (r === undefined) return undefined;
  if (m.kind === 'parameter') {
    return { name: m.name, rel: r, kind: 'parameter', type: m.type, tier: m.tier, keyId: m.keyId, dataType: m.dataType };
  }
  return { name: m.name, rel: r, kind: 'secret', type: 'secret', keyId: m.kmsKeyId, rotation: rotationText(m), ...(m.deletedDate ? { deleted: true } : {}) };
}

/** Items of a complete index under `prefix`, by walking its folder (no API call). */
function fromIndex(index: StoreIndex<StoreItem>, prefix: string): StoreItem[] {
  if (!prefix) return [...index.tree.items()];
  const folder = index.tree.folder(prefix);
  if (!folder) return [];
  const out: StoreItem[] = [];
  const stack: FolderNode<StoreItem>[] = [folder];
  while (stack.length) {
    const f = stack.pop()!;
    for (const it of f.items.values()) out.push(it);
    for (const sub of f.folders.values()) stack.push(sub);
  }
  return out;
}

/** Loads both sides of a comparison of one store, with value hashes for the names present on both sides. */
export async function loadCompareSides(connection: Connection, kind: Kind, prefixA: string, prefixB: string, o: CompareLoadOptions = {}): Promise<LoadedSides> {
  const reader = new BulkReader(connection);
  const useIndex = o.index && o.index.status === 'complete';
  o.onProgress?.({ phase: 'listing', done: 0, total: 2 });
  const list = async (prefix: string): Promise<StoreItem[]> => {
    if (useIndex) return fromIndex(o.index!, prefix);
    return kind === 'parameter' ? reader.listParametersUnder(prefix, o.signal) : reader.listSecretsUnder(prefix, o.signal);
  };
  const [metaA, metaB] = await Promise.all([list(prefixA), list(prefixB)]);
  o.onProgress?.({ phase: 'listing', done: 2, total: 2 });
  const a = metaA.map((m) => toSideItem(m, prefixA)).filter((x): x is SideItem => !!x);
  const b = metaB.map((m) => toSideItem(m, prefixB)).filter((x): x is SideItem => !!x);
  if (o.values === false) return { a, b, listingCalls: useIndex ? 'index' : 'api' };

  // Values only matter where both sides have the name (and a secret is not pending deletion: it cannot be read).
  const relB = new Map(b.map((x) => [x.rel, x]));
  const pairs = a.filter((x) => relB.has(x.rel) && !x.deleted && !relB.get(x.rel)!.deleted);
  const byName = new Map<string, SideItem>();
  for (const x of pairs) { byName.set(x.name, x); const y = relB.get(x.rel)!; byName.set(y.name, y); }
  const names = [...byName.keys()];
  let done = 0;
  const total = names.length;
  o.onProgress?.({ phase: 'values', done, total });
  const onValue: Parameters<BulkReader['readParameters']>[2] = (name, read) => {
    const item = byName.get(name);
    if (!item) return;
    if (read.error) item.valueError = read.error.info.message;
    else if (read.binary) item.valueHash = `binary:${name}`; // binary secrets are compared as "not comparable" below
    else {
      item.valueHash = valueHash(read.value ?? '');
      const keys = jsonKeyHashes(read.value);
      if (keys) item.jsonKeys = keys;
    }
    done++;
    o.onProgress?.({ phase: 'values', done, total });
  };
  if (kind === 'parameter') await reader.readParameters(names, true, onValue, o);
  else await reader.readSecrets(names, onValue, o);
  for (const x of byName.values()) if (x.valueHash?.startsWith('binary:')) { delete x.valueHash; x.valueError = 'binary value: not compared'; }
  return { a, b, listingCalls: useIndex ? 'index' : 'api' };
}
