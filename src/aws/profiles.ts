// Reads ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE) the way
// the SDK does, to list profiles and to resolve a chosen profile's region and endpoint. Credentials
// themselves are resolved by the SDK's provider chain (connection.ts); this module never returns keys.
import * as os from 'node:os';
import * as path from 'node:path';

export type ProfileKind = 'static' | 'sso' | 'role' | 'process' | 'web-identity' | 'other';

export interface ProfileInfo {
  name: string;
  /** Files the profile appears in. */
  sources: ('config' | 'credentials')[];
  kind: ProfileKind;
  region?: string;
  /** The profile's global `endpoint_url`, if any. */
  endpointUrl?: string;
  /** Name of the `[services …]` section the profile refers to. */
  services?: string;
  /** `sso_session` name or `sso_start_url` present. */
  sso?: { session?: string; startUrl?: string };
  /** Assumes a role (role_arn) from source_profile or credential_source. */
  role?: { roleArn: string; sourceProfile?: string; credentialSource?: string };
  /** The role assumption asks for an MFA code (mfa_serial). */
  mfa: boolean;
}

export interface SharedConfigPaths { configFile: string; credentialsFile: string }

type Section = Record<string, string | undefined>;
interface Loaded { configFile: Record<string, Section>; credentialsFile: Record<string, Section> }

function expandHome(p: string): string {
  return p.startsWith('~/') ? path.join(os.homedir(), p.slice(2)) : p;
}

/** The files the SDK and the AWS CLI read, honouring AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE. */
export function sharedConfigPaths(env: NodeJS.ProcessEnv = process.env): SharedConfigPaths {
  return {
    configFile: expandHome(env.AWS_CONFIG_FILE || path.join(os.homedir(), '.aws', 'config')),
    credentialsFile: expandHome(env.AWS_SHARED_CREDENTIALS_FILE || path.join(os.homedir(), '.aws', 'credentials')),
  };
}

async function load(env: NodeJS.ProcessEnv = process.env): Promise<Loaded> {
  const paths = sharedConfigPaths(env);
  // Loaded on first use, like the SDK clients (keeps dist/aws.js cheap to load).
  const { loadSharedConfigFiles } = await import('@smithy/core/config');
  const files = await loadSharedConfigFiles({ filepath: paths.credentialsFile, configFilepath: paths.configFile, ignoreCache: true });
  return { configFile: (files.configFile ?? {}) as Record<string, Section>, credentialsFile: (files.credentialsFile ?? {}) as Record<string, Section> };
}

function isSpecialSection(key: string): boolean {
  return key.startsWith('services.') || key.startsWith('sso-session.');
}

function kindOf(s: Section): ProfileKind {
  if (s.role_arn && s.web_identity_token_file) return 'web-identity';
  if (s.role_arn) return 'role';
  if (s.sso_session || s.sso_start_url) return 'sso';
  if (s.credential_process) return 'process';
  if (s.aws_access_key_id) return 'static';
  return 'other';
}

function describe(name: string, config: Section | undefined, creds: Section | undefined): ProfileInfo {
  const merged: Section = { ...(creds ?? {}), ...(config ?? {}) };
  const sources: ProfileInfo['sources'] = [];
  if (config) sources.push('config');
  if (creds) sources.push('credentials');
  return {
    name,
    sources,
    kind: kindOf(merged),
    region: merged.region || undefined,
    endpointUrl: merged.endpoint_url || undefined,
    services: merged.services || undefined,
    sso: merged.sso_session || merged.sso_start_url ? { session: merged.sso_session, startUrl: merged.sso_start_url } : undefined,
    role: merged.role_arn ? { roleArn: merged.role_arn, sourceProfile: merged.source_profile, credentialSource: merged.credential_source } : undefined,
    mfa: !!merged.mfa_serial,
  };
}

/** Every profile in the shared config and credentials files, sorted with `default` first. */
export async function listProfiles(env: NodeJS.ProcessEnv = process.env): Promise<ProfileInfo[]> {
  const { configFile, credentialsFile } = await load(env);
  const names = new Set<string>();
  for (const k of Object.keys(configFile)) if (!isSpecialSection(k)) names.add(k);
  for (const k of Object.keys(credentialsFile)) names.add(k);
  return [...names]
    .sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)))
    .map((n) => describe(n, configFile[n], credentialsFile[n]));
}

/** The profile the SDK would use when none is chosen: AWS_PROFILE, then `default`. */
export function defaultProfileName(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || 'default';
}

/** Service ids as the SDK spells them for AWS_ENDPOINT_URL_<ID> and `[services]` keys. */
export const SERVICE_IDS = { ssm: 'SSM', secrets: 'Secrets Manager', sts: 'STS' } as const;
export type ServiceKey = keyof typeof SERVICE_IDS;

export type EndpointSource = 'override' | 'env-service' | 'env' | 'profile-service' | 'profile' | 'default';

export interface ResolvedEndpoint { url?: string; source: EndpointSource }

export interface ResolvedProfileSettings {
  profile: string;
  region?: string;
  regionSource: 'explicit' | 'profile' | 'env' | 'none';
  /** Per service, the endpoint and where it came from. */
  endpoints: Record<ServiceKey, ResolvedEndpoint>;
}

function truthy(v: string | undefined): boolean {
  return !!v && /^(true|1|yes)$/i.test(v.trim());
}

/**
 * Region and endpoints for `profile`, with the precedence of the AWS CLI:
 * explicit override > AWS_ENDPOINT_URL_<SERVICE> > AWS_ENDPOINT_URL > the profile's `[services]` entry
 * > the profile's `endpoint_url` > the SDK default. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` /
 * `ignore_configured_endpoint_urls` disable everything but the explicit override.
 *
 * The SDK reads endpoint_url natively, but only for the profile named by AWS_PROFILE (it ignores the
 * `profile` given to the client), so Keyway resolves it itself and passes an explicit endpoint.
 */
export async function resolveProfileSettings(opts: { profile?: string; region?: string; endpointOverride?: string; env?: NodeJS.ProcessEnv }): Promise<ResolvedProfileSettings> {
  const env = opts.env ?? process.env;
  const profile = opts.profile || defaultProfileName(env);
  let configFile: Record<string, Section> = {};
  let credentialsFile: Record<string, Section> = {};
  try { ({ configFile, credentialsFile } = await load(env)); } catch { /* unreadable files: defaults */ }
  const section: Section = { ...(credentialsFile[profile] ?? {}), ...(configFile[profile] ?? {}) };

  let region: string | undefined;
  let regionSource: ResolvedProfileSettings['regionSource'] = 'none';
  if (opts.region) { region = opts.region; regionSource = 'explicit'; }
  else if (section.region) { region = section.region; regionSource = 'profile'; }
  else if (env.AWS_REGION || env.AWS_DEFAULT_REGION) { region = env.AWS_REGION || env.AWS_DEFAULT_REGION; regionSource = 'env'; }

  const ignoreConfigured = truthy(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) || truthy(section.ignore_configured_endpoint_urls);
  const servicesSection = section.services ? configFile[`services.${section.services}`] : undefined;
  const endpointFor = (key: ServiceKey): ResolvedEndpoint => {
    if (opts.endpointOverride) return { url: opts.endpointOverride, source: 'override' };
    if (ignoreConfigured) return { source: 'default' };
    const id = SERVICE_IDS[key];
    const envKey = ['AWS_ENDPOINT_URL', ...id.split(' ').map((w) => w.toUpperCase())].join('_');
    if (env[envKey]) return { url: env[envKey], source: 'env-service' };
    if (env.AWS_ENDPOINT_URL) return { url: env.AWS_ENDPOINT_URL, source: 'env' };
    const svcUrl = servicesSection?.[`${id.split(' ').map((w) => w.toLowerCase()).join('_')}.endpoint_url`];
    if (svcUrl) return { url: svcUrl, source: 'profile-service' };
    if (section.endpoint_url) return { url: section.endpoint_url, source: 'profile' };
    return { source: 'default' };
  };
  return {
    profile,
    region,
    regionSource,
    endpoints: { ssm: endpointFor('ssm'), secrets: endpointFor('secrets'), sts: endpointFor('sts') },
  };
}
