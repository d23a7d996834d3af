// A Connection = one profile + region + endpoint, with lazily created SDK clients that share one
// credential provider (the AWS CLI's chain: env, shared files/profiles, SSO, credential_process,
// role_arn + source_profile with MFA). Disposing a connection aborts its in-flight work; the
// ConnectionManager disposes the previous connection whenever a new one is made.
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { STSClient } from '@aws-sdk/client-sts';
import { classifyAwsError, KeywayAwsError, type AwsErrorInfo, type ClassifyContext } from './errors';
import { resolveProfileSettings, type ResolvedEndpoint, type ServiceKey } from './profiles';
import { DEFAULT_REGION } from './regions';
import { callTelemetryPlugin, silentLogger, type ApiCallListener, type AwsLogger } from './telemetry';

export interface ConnectionOptions {
  /** Profile name; empty/undefined uses the default chain (AWS_PROFILE, env vars, `default`). */
  profile?: string;
  /** Region; empty uses the profile's region, then AWS_REGION / AWS_DEFAULT_REGION, then us-east-1. */
  region?: string;
  /** Explicit endpoint (the machine-scoped `keyway.endpointUrl` setting); wins over everything. */
  endpointUrl?: string;
  /** Asked for an MFA code when a role profile has `mfa_serial`. */
  mfaCodeProvider?: (mfaSerial: string) => Promise<string>;
  /** Use these credentials instead of the provider chain (tests, emulators). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  logger?: AwsLogger;
  /** Called once per API call (after retries) with operation, duration, attempts and error name. */
  onApiCall?: ApiCallListener;
  /** SDK attempts per call including the first (default 6). */
  maxAttempts?: number;
  /** Per-attempt socket timeout; a stalled attempt is aborted and retried (default 15 000 ms). */
  requestTimeoutMs?: number;
  /** TCP connect timeout (default 3 000 ms). */
  connectionTimeoutMs?: number;
  /** Environment used to resolve region and endpoints (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Where errors are shown: next steps name settings and Refresh (editor, default) or options and re-running (CLI). */
  surface?: 'editor' | 'cli';
}

export interface CallerIdentity { account: string; arn: string; userId: string }

let instances = 0;

/** Anything with a destroy(), as SDK clients are. */
interface Destroyable { destroy(): void }

export class Connection {
  /** Stable identity of what this connection points at: profile, region and endpoint. */
  readonly id: string;
  /** Unique per Connection object (a refresh of the same profile gets a new one). */
  readonly instance: number;
  readonly profile: string;
  readonly profileExplicit: boolean;
  readonly region: string;
  readonly regionSource: 'explicit' | 'profile' | 'env' | 'default';
  readonly endpoints: Record<ServiceKey, ResolvedEndpoint>;
  readonly logger: AwsLogger;
  private readonly controller = new AbortController();
  private readonly clients = new Map<string, Promise<unknown>>();
  private readonly created: Destroyable[] = [];
  private credentialProvider?: Promise<AwsCredentialIdentityProvider | AwsCredentialIdentity>;

  /** Use createConnection() / ConnectionManager.connect(), which resolve the profile settings. */
  constructor(readonly options: ConnectionOptions, settings: { profile: string; region: string; regionSource: Connection['regionSource']; endpoints: Record<ServiceKey, ResolvedEndpoint> }) {
    this.instance = ++instances;
    this.profile = settings.profile;
    this.profileExplicit = !!options.profile;
    this.region = settings.region;
    this.regionSource = settings.regionSource;
    this.endpoints = settings.endpoints;
    this.logger = options.logger ?? silentLogger;
    this.id = `${this.profile}|${this.region}|${this.endpoints.ssm.url ?? 'aws'}`;
  }

  /** Aborted when the connection is disposed (e.g. replaced by a new one). */
  get signal(): AbortSignal { return this.controller.signal; }
  get disposed(): boolean { return this.controller.signal.aborted; }
  /** The endpoint shown to the user (SSM's; services normally share it). */
  get endpoint(): string | undefined { return this.endpoints.ssm.url; }

  /** Combines the connection's signal with a caller's signal. */
  linkSignal(signal?: AbortSignal): AbortSignal {
    return signal ? AbortSignal.any([this.controller.signal, signal]) : this.controller.signal;
  }

  private credentials(): Promise<AwsCredentialIdentityProvider | AwsCredentialIdentity> {
    this.credentialProvider ??= (async () => {
      if (this.options.credentials) return this.options.credentials;
      const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
      return fromNodeProviderChain({
        profile: this.options.profile || undefined,
        mfaCodeProvider: this.options.mfaCodeProvider,
        // Re-read ~/.aws/config and credentials for every new connection (the files may have changed).
        ignoreCache: true,
        // Role assumption (role_arn) goes to the same STS endpoint as the rest of the connection.
        clientConfig: { region: this.region, ...(this.endpoints.sts.url ? { endpoint: this.endpoints.sts.url } : {}) },
      });
    })();
    return this.credentialProvider;
  }

  /** Shared SDK client config for `service`: region, endpoint, adaptive retries, timeouts, telemetry. */
  async clientConfig(service: ServiceKey): Promise<Record<string, unknown>> {
    const endpoint = this.endpoints[service].url;
    return {
      region: this.region,
      ...(endpoint ? { endpoint } : {}),
      // Keyway resolved endpoint_url itself for the chosen profile (see profiles.ts).
      ignoreConfiguredEndpointUrls: true,
      credentials: await this.credentials(),
      retryMode: 'adaptive',
      maxAttempts: this.options.maxAttempts ?? 6,
      requestHandler: {
        requestTimeout: this.options.requestTimeoutMs ?? 15_000,
        // A stalled attempt fails with TimeoutError, which the retry strategy retries.
        throwOnRequestTimeout: true,
        connectionTimeout: this.options.connectionTimeoutMs ?? 3_000,
      },
      // The SDK's own logger: plain-text warnings only (e.g. socket exhaustion). Its structured
      // records carry command input/output, which Keyway never logs; failures are logged by the
      // telemetry middleware instead.
      logger: {
        debug() {}, info() {}, trace() {}, error() {},
        warn: (m: unknown) => { if (typeof m === 'string') this.logger.warn(`AWS SDK: ${m}`); },
      },
    };
  }

  /** One client per service, created on first use, with the telemetry middleware attached. */
  client<T extends Destroyable & { middlewareStack: { use(p: unknown): void } }>(service: ServiceKey, create: (config: Record<string, unknown>) => Promise<T>): Promise<T> {
    if (this.disposed) return Promise.reject(new KeywayAwsError(classifyAwsError(Object.assign(new Error('connection replaced'), { name: 'AbortError' }))));
    let p = this.clients.get(service) as Promise<T> | undefined;
    if (!p) {
      p = (async () => {
        const c = await create(await this.clientConfig(service));
        c.middlewareStack.use(callTelemetryPlugin({ connectionId: this.id, logger: this.logger, onApiCall: this.options.onApiCall }));
        this.created.push(c);
        if (this.disposed) c.destroy();
        return c;
      })();
      p.catch(() => this.clients.delete(service));
      this.clients.set(service, p);
    }
    return p;
  }

  /** Context for error classification. */
  errorContext(service: 'ssm' | 'secretsmanager' | 'sts', operation?: string): ClassifyContext {
    const key: ServiceKey = service === 'secretsmanager' ? 'secrets' : service;
    return { service, operation, profile: this.profile, endpoint: this.endpoints[key].url, surface: this.options.surface };
  }

  classify(error: unknown, service: 'ssm' | 'secretsmanager' | 'sts', operation?: string): AwsErrorInfo {
    return classifyAwsError(error, this.errorContext(service, operation));
  }

  /** STS GetCallerIdentity: which account and identity this connection uses. Rejects with KeywayAwsError. */
  async whoAmI(signal?: AbortSignal): Promise<CallerIdentity> {
    try {
      const { STSClient: Sts, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
      const sts = await this.client<STSClient>('sts', async (cfg) => new Sts(cfg));
      const out = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: this.linkSignal(signal) });
      return { account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' };
    } catch (e) {
      throw new KeywayAwsError(this.classify(e, 'sts', 'GetCallerIdentity'), { cause: e });
    }
  }

  /** Aborts in-flight work and closes the clients' sockets. Idempotent. */
  dispose(): void {
    if (!this.disposed) this.controller.abort(Object.assign(new Error('Connection replaced or closed'), { name: 'AbortError' }));
    for (const c of this.created.splice(0)) {
      try { c.destroy(); } catch { /* already closed */ }
    }
  }
}

/** Resolves profile settings (region, endpoints) and returns a new Connection. Never calls AWS. */
export async function createConnection(options: ConnectionOptions = {}): Promise<Connection> {
  const env = options.env ?? process.env;
  const s = await resolveProfileSettings({ profile: options.profile, region: options.region, endpointOverride: options.endpointUrl || undefined, env });
  return new Connection(options, {
    profile: s.profile,
    region: s.region ?? DEFAULT_REGION,
    regionSource: s.region ? s.regionSource as Connection['regionSource'] : 'default',
    endpoints: s.endpoints,
  });
}

export type ConnectionListener = (current: Connection, previous: Connection | undefined) => void;

/** Holds the current connection; connecting again aborts and replaces the previous one. */
export class ConnectionManager {
  private currentConn?: Connection;
  private readonly listeners = new Set<ConnectionListener>();
  private pending = 0;

  get current(): Connection | undefined { return this.currentConn; }

  /** Creates a connection, disposes the previous one (aborting its in-flight calls) and notifies listeners. */
  async connect(options: ConnectionOptions = {}): Promise<Connection> {
    const ticket = ++this.pending;
    const previous = this.currentConn;
    // Abort the old connection's work at once, before resolving the new settings.
    previous?.dispose();
    const conn = await createConnection(options);
    if (ticket !== this.pending) {
      // A newer connect() started meanwhile; this one is already stale.
      conn.dispose();
      return conn;
    }
    this.currentConn = conn;
    for (const l of [...this.listeners]) {
      try { l(conn, previous); } catch { /* a listener must not break the switch */ }
    }
    return conn;
  }

  onDidChange(listener: ConnectionListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.pending++;
    this.currentConn?.dispose();
    this.currentConn = undefined;
    this.listeners.clear();
  }
}
