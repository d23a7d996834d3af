// Public surface of the AWS layer (bundled as dist/aws.js, loaded lazily by the extension).
// Plain data, callbacks and AbortSignals only; no vscode. SDK clients are created on first use.
//
// Typical use from the explorer:
//   const manager = new ConnectionManager();
//   const conn = await manager.connect({ profile, region, endpointUrl, logger: logChannel, mfaCodeProvider });
//   // connect() again (profile/region/endpoint switch) disposes the previous connection: its listings
//   // end in state 'cancelled' and every event carries connectionId/connectionInstance to drop stale data.
//   const explorer = new ExplorerIndex(conn);
//   explorer.parameters.onPage((e) => refresh the changed folders; e.done ends the progress);
//   explorer.parameters.onStateChange((s) => s.status === 'error' ? show a Retry node with s.error : …);
//   void explorer.load();                         // never rejects
//   explorer.parameters.children('/app/prod');    // { folders: [{ name, path, count }], items: ParameterMeta[] }
//   explorer.parameters.retry();                  // resumes from the failed page
//   const values = new ValueService(conn, { ttlMs: 30_000 });
//   await values.getParameterValue(name);         // rejects with KeywayAwsError (info.kind, message, nextStep)
export { Connection, ConnectionManager, createConnection, type CallerIdentity, type ConnectionListener, type ConnectionOptions } from './connection';
export { classifyAwsError, missingActionFrom, KeywayAwsError, type AwsErrorInfo, type AwsErrorKind, type ClassifyContext } from './errors';
export { listProfiles, resolveProfileSettings, sharedConfigPaths, defaultProfileName, type ProfileInfo, type ProfileKind, type ResolvedEndpoint, type ResolvedProfileSettings, type EndpointSource, type SharedConfigPaths } from './profiles';
export { listRegions, REGIONS, DEFAULT_REGION, type RegionInfo } from './regions';
export { ApiCallCounter, callTelemetryPlugin, silentLogger, type ApiCallListener, type ApiCallRecord, type AwsLogger } from './telemetry';
export type { ParameterMeta, ParameterPolicy, ParameterType, SecretMeta, SecretReplica, StoreItem, Page } from './model';
export { SsmService, DESCRIBE_PARAMETERS_PAGE_SIZE, type ParameterValue } from './ssm';
export { SecretsService, LIST_SECRETS_PAGE_SIZE, type SecretValue } from './secrets';
export { ValueService, ValueCache, DEFAULT_VALUE_TTL_MS, jsonObjectKeys, type ValueServiceOptions } from './values';
export { HierarchyTree, leafName, parentPath, normalizeFolderPath, type Children, type FolderNode, type FolderSummary } from './index/tree';
export { StoreIndex, type IndexState, type IndexStatus, type PageEvent, type PageFetcher, type StoreName, type Disposable } from './index/storeIndex';
export { ExplorerIndex, SecretsIndex, createParameterIndex, createSecretsIndex, type ParameterIndex } from './index/explorerIndex';
export { ManageService, ConflictError, type ParameterVersion, type SecretVersion, type Tier } from './manage';
export { findExecutable, profileNameProblem, ssoLoginCommand, type SsoLoginCommand } from './ssoLogin';
// Beyond browsing (issue 14): compare, audit, verify lookups, export/import; pure decisions are in core/store.
export { BulkReader, GET_PARAMETERS_BATCH, BATCH_GET_SECRETS_BATCH, type ValueCallback } from './bulk';
export { loadCompareSides, toSideItem, type CompareLoadOptions, type LoadedSides } from './compare';
export { runAudit, type AuditSubject, type AuditProgress, type AuditRunOptions, type AuditRunResult, type AuditNeed } from './audit';
export { applyAuditFix, convertSecretToParameter, convertToSecureString, recreateAsStandard, type FixOutcome, type FixHooks, type FixStep, type AuditFixAction } from './fixes';
export { lookupNames, type LookupResult, type LookupRequest } from './lookup';
export { readExport, checkImport, applyImport, type ExportedValue, type ExportSkip, type ImportItem, type ImportCheck, type ImportResult, type ImportAction } from './transfer';
