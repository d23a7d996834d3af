// The two store indexes of one connection, ready for the explorer views and for completion.
import type { Connection } from '../connection';
import type { ParameterMeta, SecretMeta } from '../model';
import { SecretsService } from '../secrets';
import { SsmService } from '../ssm';
import { StoreIndex, type IndexState } from './storeIndex';

export type ParameterIndex = StoreIndex<ParameterMeta>;

/** The secrets index, plus on-demand details (replicas) that ListSecrets does not return. */
export class SecretsIndex extends StoreIndex<SecretMeta> {
  constructor(private readonly service: SecretsService) {
    const conn = service.connection;
    super({ store: 'secrets', connectionId: conn.id, connectionInstance: conn.instance, signal: conn.signal, fetchPage: (t, s) => service.listSecretsPage(t, s) });
  }

  /**
   * One DescribeSecret for `name`: merges replica regions/statuses (and fresher rotation data) into the
   * indexed entry and returns it. Rejects with KeywayAwsError.
   */
  async loadDetails(name: string, signal?: AbortSignal): Promise<SecretMeta> {
    const details = await this.service.describeSecret(name, signal);
    const entry = this.tree.get(name);
    if (!entry) return details;
    Object.assign(entry, details, { name: entry.name });
    return entry;
  }
}

export function createParameterIndex(connection: Connection, service = new SsmService(connection)): ParameterIndex {
  return new StoreIndex<ParameterMeta>({
    store: 'parameters', connectionId: connection.id, connectionInstance: connection.instance, signal: connection.signal,
    fetchPage: (t, s) => service.describeParametersPage(t, s),
  });
}

export function createSecretsIndex(connection: Connection, service = new SecretsService(connection)): SecretsIndex {
  return new SecretsIndex(service);
}

/** Both indexes of a connection. Disposing the connection cancels them. */
export class ExplorerIndex {
  readonly parameters: ParameterIndex;
  readonly secrets: SecretsIndex;
  constructor(readonly connection: Connection) {
    this.parameters = createParameterIndex(connection);
    this.secrets = createSecretsIndex(connection);
  }

  /** Loads both stores in parallel; resolves with both final states (never rejects). */
  load(signal?: AbortSignal): Promise<[IndexState, IndexState]> {
    return Promise.all([this.parameters.load(signal), this.secrets.load(signal)]);
  }

  cancel(): void {
    this.parameters.cancel();
    this.secrets.cancel();
  }

  dispose(): void {
    this.parameters.dispose();
    this.secrets.dispose();
  }
}
