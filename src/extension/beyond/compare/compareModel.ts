// The comparison on show: its request, its results per store, and how to run it again. In memory only; holds
// metadata and keyed hashes, never a value.
import type * as Core from '../../../core/index';

export type StoreKind = 'parameter' | 'secret';

export interface CompareRequest { kinds: StoreKind[]; a: string; b: string; values: boolean }

export interface CompareOutcome {
  request: CompareRequest;
  /** One result per store compared. */
  results: Core.store.CompareResult[];
  /** Per store: why it could not be compared (classified AWS error text). */
  failures: { kind: StoreKind; message: string }[];
  labels: [string, string];
  region: string;
  connectionInstance: number;
  /** ms */
  took: number;
  /** The listing came from the explorer's index (no listing call). */
  fromIndex: boolean;
}

export function storeLabel(kind: StoreKind): string {
  return kind === 'parameter' ? 'Parameter Store' : 'Secrets Manager';
}
