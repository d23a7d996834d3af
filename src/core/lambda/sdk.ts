// What Keyway knows about the AWS SDKs, Powertools and middy: module names, classes, commands, methods.

export type Service = 'ssm' | 'secretsmanager';
/** Reads of values, and the two listings (metadata only) that code runs per invocation too. */
export type Operation = 'GetParameter' | 'GetParameters' | 'GetParametersByPath' | 'GetSecretValue' | 'BatchGetSecretValue'
  | 'DescribeParameters' | 'ListSecrets';
/**
 * How the read is written: SDK v3 commands (`v3`, paginators included), v3 aggregated clients and v2 methods, Powertools,
 * a middy middleware (`middy`), or the AWS Parameters and Secrets Lambda Extension over HTTP (`extension`).
 */
export type ApiStyle = 'v3' | 'v3-aggregated' | 'v2' | 'powertools' | 'middy' | 'extension';

/** Operations that read values (the listings only read metadata). */
export function readsValues(op: Operation): boolean {
  return op !== 'DescribeParameters' && op !== 'ListSecrets';
}

export const SSM_V3 = '@aws-sdk/client-ssm';
export const SM_V3 = '@aws-sdk/client-secrets-manager';
export const V2 = 'aws-sdk';
export const V2_SSM = 'aws-sdk/clients/ssm';
export const V2_SM = 'aws-sdk/clients/secretsmanager';
export const POWERTOOLS = '@aws-lambda-powertools/parameters';
export const MIDDY_CORE = '@middy/core';

/** `new X()` classes that build an SDK client, keyed by module then exported name. */
export const CLIENT_CLASSES: Record<string, Record<string, { service: Service; style: ApiStyle }>> = {
  [SSM_V3]: { SSMClient: { service: 'ssm', style: 'v3' }, SSM: { service: 'ssm', style: 'v3-aggregated' } },
  [SM_V3]: {
    SecretsManagerClient: { service: 'secretsmanager', style: 'v3' },
    SecretsManager: { service: 'secretsmanager', style: 'v3-aggregated' },
  },
  [V2]: { SSM: { service: 'ssm', style: 'v2' }, SecretsManager: { service: 'secretsmanager', style: 'v2' } },
  [V2_SSM]: { default: { service: 'ssm', style: 'v2' }, SSM: { service: 'ssm', style: 'v2' } },
  [V2_SM]: { default: { service: 'secretsmanager', style: 'v2' }, SecretsManager: { service: 'secretsmanager', style: 'v2' } },
};

/** Powertools providers (their `get`/`getMultiple` calls cache per provider instance). */
export const PROVIDER_CLASSES: Record<string, Service> = { SSMProvider: 'ssm', SecretsProvider: 'secretsmanager' };

export const COMMANDS: Record<string, Record<string, Operation>> = {
  [SSM_V3]: {
    GetParameterCommand: 'GetParameter',
    GetParametersCommand: 'GetParameters',
    GetParametersByPathCommand: 'GetParametersByPath',
    DescribeParametersCommand: 'DescribeParameters',
  },
  [SM_V3]: {
    GetSecretValueCommand: 'GetSecretValue', BatchGetSecretValueCommand: 'BatchGetSecretValue', ListSecretsCommand: 'ListSecrets',
  },
};

/** SDK v3 paginators: `paginateGetParametersByPath({ client }, input)`, iterated with `for await`. */
export const PAGINATORS: Record<string, Record<string, Operation>> = {
  [SSM_V3]: { paginateGetParametersByPath: 'GetParametersByPath', paginateDescribeParameters: 'DescribeParameters' },
  [SM_V3]: { paginateListSecrets: 'ListSecrets', paginateBatchGetSecretValue: 'BatchGetSecretValue' },
};

/** middy middlewares that fetch before every invocation unless cached (`cacheExpiry`): module → export → service. */
export const MIDDY_MIDDLEWARES: Record<string, Record<string, Service>> = {
  '@middy/ssm': { default: 'ssm' },
  '@middy/secrets-manager': { default: 'secretsmanager' },
  'middy/middlewares': { ssm: 'ssm', secretsManager: 'secretsmanager' },
};

/** v2 and v3-aggregated method names. */
export const METHODS: Record<string, Operation> = {
  getParameter: 'GetParameter',
  getParameters: 'GetParameters',
  getParametersByPath: 'GetParametersByPath',
  getSecretValue: 'GetSecretValue',
  batchGetSecretValue: 'BatchGetSecretValue',
  describeParameters: 'DescribeParameters',
  listSecrets: 'ListSecrets',
};

/** Powertools functional helpers. */
export const POWERTOOLS_FUNCTIONS: Record<string, Operation> = {
  getParameter: 'GetParameter',
  getParameters: 'GetParametersByPath',
  getParametersByName: 'GetParameters',
  getSecret: 'GetSecretValue',
};

export function serviceOf(op: Operation): Service {
  return op === 'GetSecretValue' || op === 'BatchGetSecretValue' || op === 'ListSecrets' ? 'secretsmanager' : 'ssm';
}

/** The Parameters and Secrets Lambda Extension's local HTTP API (port 2773 by default). */
export const EXTENSION_PATHS = { parameter: '/systemsmanager/parameters/get', secret: '/secretsmanager/get' } as const;

export function isPowertoolsModule(mod: string): boolean {
  return mod === POWERTOOLS || mod.startsWith(POWERTOOLS + '/');
}

/**
 * Cheap pre-filter: every fetch or client Keyway recognises needs an import (or require) of one of the modules
 * above: `@aws-sdk/client-ssm`, `@aws-sdk/client-secrets-manager`, SDK v2 `aws-sdk` (or `aws-sdk/clients/…`),
 * Powertools or middy's middlewares, or the Lambda extension's URL paths. A file that names none of them cannot contain one. Substring searches only: the other
 * `@aws-sdk/*` packages (S3, DynamoDB, the SDK's own internals) do not make a file relevant.
 */
export function isRelevantText(text: string): boolean {
  return isSdkText(text) || text.includes('/systemsmanager/parameters/get') || text.includes('/secretsmanager/get')
    || text.includes('@middy/ssm') || text.includes('@middy/secrets-manager') || text.includes('middy/middlewares');
}

function isSdkText(text: string): boolean {
  // All four module names contain `aws-` (`@aws-sdk/client-ssm`, `aws-sdk`, `@aws-lambda-powertools/…`): one
  // search rules out almost every file, then each occurrence is looked at in place.
  for (let i = text.indexOf('aws-'); i >= 0; i = text.indexOf('aws-', i + 4)) {
    if (text.startsWith('sdk', i + 4)) {
      if (i === 0 || text.charCodeAt(i - 1) !== 64 /* @ */) return true; // SDK v2: `aws-sdk`, `aws-sdk/clients/ssm`
      if (text.startsWith('/client-ssm', i + 7) || text.startsWith('/client-secrets-manager', i + 7)) return true;
    } else if (text.startsWith('lambda-powertools', i + 4)) return true;
  }
  return false;
}

/** Any AWS SDK or Powertools import at all (weaker than isRelevantText: Lambda code, but maybe not SSM code). */
export function mentionsAwsSdk(text: string): boolean {
  return text.includes('aws-sdk') || text.includes('lambda-powertools');
}

/** The file imports or requires a relative module (a handler may call fetching code there). */
export const RELATIVE_IMPORT = /\bfrom\s*['"]\.\.?\/|\brequire\(\s*['"]\.\.?\/|\bimport\(\s*['"]\.\.?\//;
