// What Keyway knows about the AWS SDKs, Powertools and middy: module names, classes, commands, methods.

export type Service = 'ssm' | 'secretsmanager';
export type Operation = 'GetParameter' | 'GetParameters' | 'GetParametersByPath' | 'GetSecretValue';
export type ApiStyle = 'v3' | 'v3-aggregated' | 'v2' | 'powertools';

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
  },
  [SM_V3]: { GetSecretValueCommand: 'GetSecretValue' },
};

/** v2 and v3-aggregated method names. */
export const METHODS: Record<string, Operation> = {
  getParameter: 'GetParameter',
  getParameters: 'GetParameters',
  getParametersByPath: 'GetParametersByPath',
  getSecretValue: 'GetSecretValue',
};

/** Powertools functional helpers. */
export const POWERTOOLS_FUNCTIONS: Record<string, Operation> = {
  getParameter: 'GetParameter',
  getParameters: 'GetParametersByPath',
  getParametersByName: 'GetParameters',
  getSecret: 'GetSecretValue',
};

export function serviceOf(op: Operation): Service {
  return op === 'GetSecretValue' ? 'secretsmanager' : 'ssm';
}

export function isPowertoolsModule(mod: string): boolean {
  return mod === POWERTOOLS || mod.startsWith(POWERTOOLS + '/');
}

/**
 * Cheap pre-filter: every fetch or client Keyway recognises needs an import (or require) of an AWS SDK or Powertools
 * module, so a file that mentions neither cannot contain one. Two substring searches, no regex.
 */
export function isRelevantText(text: string): boolean {
  return text.includes('aws-sdk') || text.includes('lambda-powertools');
}

/** The file imports or requires a relative module (a handler may call fetching code there). */
export const RELATIVE_IMPORT = /\bfrom\s*['"]\.\.?\/|\brequire\(\s*['"]\.\.?\/|\bimport\(\s*['"]\.\.?\//;
