// Shared plumbing of the commands that talk to AWS (`keyway diff`, `verify`, `audit`, `export`, `import`): option
// parsing, the connection (the same credential chain as the explorer: profiles, SSO, roles, `AWS_ENDPOINT_URL`),
// error reporting with a next step, and terminal-safe text. The AWS layer loads lazily (dist/aws.js).
import type * as Aws from '../aws/index';
import type * as Core from '../core/index';
import { escapeControl } from '../core/output';

export interface CommandIo {
  stdout(s: string): void;
  stderr(s: string): void;
  cwd: string;
  env?: NodeJS.ProcessEnv;
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
  /** Answers a yes/no question on the terminal (audit --fix); undefined = not interactive. */
  ask?: (question: string) => Promise<boolean>;
  /** Aborted on Ctrl-C: long commands stop and report what they have. */
  signal?: AbortSignal;
}

export interface OptionSpec {
  /** Flags that take a value (`--profile x`, `--profile=x`). */
  values: readonly string[];
  /** Flags without a value. */
  flags: readonly string[];
  /** Value flags that may repeat (collected in order). */
  repeat?: readonly string[];
  /** Short aliases: `-f` → `--format`. */
  aliases?: Readonly<Record<string, string>>;
}

export interface ParsedOptions { positional: string[]; values: Map<string, string[]>; flags: Set<string> }

export const AWS_VALUE_FLAGS = ['--profile', '--region', '--endpoint-url'] as const;

/** Parses `argv` against `spec`; returns an error message for unknown flags and missing values. */
export function parseOptions(argv: readonly string[], spec: OptionSpec): ParsedOptions | { error: string } {
  const out: ParsedOptions = { positional: [], values: new Map(), flags: new Set() };
  let onlyPositional = false;
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (onlyPositional || !a.startsWith('-') || a === '-') { out.positional.push(a); continue; }
    if (a === '--') { onlyPositional = true; continue; }
    let value: string | undefined;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) { value = a.slice(eq + 1); a = a.slice(0, eq); }
    a = spec.aliases?.[a] ?? a;
    if (spec.flags.includes(a)) {
      if (value !== undefined) return { error: `${a} takes no value` };
      out.flags.add(a);
      continue;
    }
    if (!spec.values.includes(a)) return { error: `unknown option "${a}"` };
    if (value === undefined) {
      if (i + 1 >= argv.length) return { error: `option "${a}" needs a value` };
      value = argv[++i];
    }
    const list = out.values.get(a) ?? [];
    if (list.length && !spec.repeat?.includes(a)) return { error: `option "${a}" given twice` };
    list.push(value);
    out.values.set(a, list);
  }
  return out;
}

export function one(p: ParsedOptions, flag: string): string | undefined {
  return p.values.get(flag)?.[0];
}

/**
 * Text safe to print on a terminal: control characters (ANSI escapes, carriage returns, bells, C1 controls, bidi
 * overrides) become visible escapes (`\x1b`, `\u202e`), as in every other Keyway output (core/output.ts). Names and
 * messages can come from code or from AWS.
 */
export function printable(s: string): string {
  return escapeControl(s, { keepLines: true });
}

export function usageError(io: CommandIo, command: string, message: string): number {
  io.stderr(`keyway ${command}: ${printable(message)}\nRun "keyway ${command} --help" for usage.\n`);
  return 2;
}

/** Reports an AWS failure (what happened and the next step) and returns exit code 2. */
export function awsError(io: CommandIo, command: string, e: unknown): number {
  const info = (e as { info?: Aws.AwsErrorInfo }).info;
  if (info) io.stderr(`keyway ${command}: ${printable(info.message)}\n  Next step: ${printable(info.nextStep)}\n`);
  else io.stderr(`keyway ${command}: ${printable((e as Error)?.message ?? String(e))}\n`);
  return 2;
}

export async function loadAws(): Promise<typeof Aws> {
  // The SDK prints a multi-line notice on Node < 22 about SDK releases after January 2027. Keyway bundles a fixed SDK
  // version, so the notice is not actionable for a `keyway` user and would land in every CI log; a user who set the
  // variable keeps their choice.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // `.js`: resolves in out/ (tests) as well as in the dist bundle (rewritten to ./aws.js).
  return import('../aws/index.js');
}

export async function loadCore(): Promise<typeof Core> {
  return import('../core/index.js');
}

export interface Connected { aws: typeof Aws; conn: Aws.Connection; counter: Aws.ApiCallCounter }

/** A connection from `--profile`, `--region`, `--endpoint-url` (or the environment, as the AWS CLI resolves it). */
export async function connect(p: ParsedOptions, io: CommandIo): Promise<Connected> {
  const aws = await loadAws();
  const counter = new aws.ApiCallCounter();
  const verbose = p.flags.has('--verbose');
  const logger: Aws.AwsLogger = verbose
    ? { info: (m) => io.stderr(`keyway: ${printable(m)}\n`), warn: (m) => io.stderr(`keyway: ${printable(m)}\n`), error: (m) => io.stderr(`keyway: ${printable(m)}\n`) }
    : aws.silentLogger;
  const env = io.env ?? process.env;
  const profile = one(p, '--profile');
  if (profile !== undefined) await checkProfileExists(aws, profile, env);
  const conn = await aws.createConnection({
    profile: one(p, '--profile'), region: one(p, '--region'), endpointUrl: one(p, '--endpoint-url'), maxAttempts: maxAttemptsFrom(env),
    env, logger, onApiCall: counter.listener, surface: 'cli',
  });
  return { aws, conn, counter };
}

/**
 * `--profile` names a profile of the shared files, as for the AWS CLI ("The config profile (x) could not be found"):
 * a typo fails at once with the profiles that exist, instead of as missing credentials after the chain was tried.
 */
async function checkProfileExists(aws: typeof Aws, profile: string, env: NodeJS.ProcessEnv): Promise<void> {
  let names: string[];
  try { names = (await aws.listProfiles(env)).map((x) => x.name); } catch { return; /* unreadable files: the chain reports it */ }
  if (names.includes(profile)) return;
  const files = aws.sharedConfigPaths(env);
  const known = names.length ? `Known profiles: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''}.` : 'No profile is defined yet.';
  const info: Aws.AwsErrorInfo = {
    kind: 'NoCredentials', errorName: 'ProfileNotFound', retryable: false,
    message: `The profile "${profile}" is not in ${files.configFile} or ${files.credentialsFile}. ${known}`,
    nextStep: `Pass one of the known profiles (\`aws configure list-profiles\`), or create it: \`aws configure --profile ${profile}\` or \`aws configure sso --profile ${profile}\`.`,
  };
  throw Object.assign(new Error(info.message), { info });
}

/**
 * `AWS_MAX_ATTEMPTS`, as the AWS CLI reads it: attempts per call including the first (1 to 20). Unset or not a number
 * in that range: the explorer's default (6).
 */
export function maxAttemptsFrom(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.AWS_MAX_ATTEMPTS?.trim();
  if (!raw || !/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= 20 ? n : undefined;
}

export const AWS_OPTIONS_HELP = `  --profile <name>      AWS profile (default: AWS_PROFILE, then the default chain)
  --region <region>     AWS region (default: the profile's, then AWS_REGION)
  --endpoint-url <url>  A local emulator (moto, LocalStack); AWS_ENDPOINT_URL works too
  --verbose             Log every API call (operation and duration, never a value) to stderr`;

/** `--region` must look like a region; `--endpoint-url` like an http(s) URL. */
export function checkAwsOptions(p: ParsedOptions): string | undefined {
  const region = one(p, '--region');
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) return `--region needs a region like us-east-1 (got "${region}")`;
  const url = one(p, '--endpoint-url');
  if (url !== undefined && !/^https?:\/\/[^\s/]+/.test(url)) return `--endpoint-url needs an http(s) URL (got "${url}")`;
  return undefined;
}
