// Verify before deploy, the AWS half: what the account holds under each name the code reads. From the explorer's
// index when both stores are listed completely (no call), else batched: DescribeParameters by name (50 per call),
// ListSecrets by name (10 per call), one short DescribeParameters per path read. Metadata only, never a value.
import { BulkReader } from './bulk';
import type { Connection } from './connection';
import type { ExplorerIndex } from './index/explorerIndex';
import type { ParameterMeta, SecretMeta } from './model';

export interface LookupResult {
  found: boolean;
  type?: string;
  keyId?: string;
  deleted?: boolean;
  otherStore?: boolean;
  underPath?: number;
}

export interface LookupRequest { parameters: readonly string[]; paths: readonly string[]; secrets: readonly string[] }

/** Results keyed `parameter:<name>`, `secret:<name>`, `path:<path>` (core/store lookupKey). */
export async function lookupNames(conn: Connection, req: LookupRequest, o: { index?: ExplorerIndex; signal?: AbortSignal } = {}): Promise<Map<string, LookupResult>> {
  const out = new Map<string, LookupResult>();
  const idx = o.index && o.index.parameters.status === 'complete' && o.index.secrets.status === 'complete' ? o.index : undefined;
  let params: Map<string, ParameterMeta>;
  let secrets: Map<string, SecretMeta>;
  const reader = new BulkReader(conn);
  // Names missing from their store are also looked up in the other one ("the code reads the wrong store").
  const allNames = [...new Set([...req.parameters, ...req.secrets])];
  if (idx) {
    params = new Map(allNames.map((n) => [n, idx.parameters.get(n)]).filter((e): e is [string, ParameterMeta] => !!e[1]));
    secrets = new Map(allNames.map((n) => [n, idx.secrets.get(n)]).filter((e): e is [string, SecretMeta] => !!e[1]));
  } else {
    const paramNames = allNames.filter((n) => n.startsWith('/') || !n.includes('/'));
    [params, secrets] = await Promise.all([reader.describeParameters(paramNames, o.signal), reader.describeSecrets(allNames, o.signal)]);
  }
  for (const n of req.parameters) {
    const p = params.get(n);
    out.set(`parameter:${n}`, p ? { found: true, type: p.type, keyId: p.keyId } : { found: false, otherStore: secrets.has(n) });
  }
  for (const n of req.secrets) {
    const s = secrets.get(n);
    out.set(`secret:${n}`, s ? { found: true, type: 'secret', keyId: s.kmsKeyId, deleted: !!s.deletedDate } : { found: false, otherStore: params.has(n) });
  }
  for (const p of req.paths) {
    const prefix = p.replace(/\/+$/, '');
    let n = 0;
    if (idx) n = prefix ? (idx.parameters.folder(prefix)?.count ?? 0) : idx.parameters.size;
    else n = await reader.countParametersUnder(prefix || '/', o.signal);
    out.set(`path:${p}`, { found: n > 0, underPath: n });
  }
  return out;
}
