// Turns SDK / network errors into a few plain kinds the UI can show (welcome views, error nodes).
// Messages name the service, the operation and what to do next. They never contain parameter or
// secret values: only the error's name, the operation and, for AccessDenied, the missing action.

export type AwsErrorKind =
  | 'NoCredentials'
  | 'ExpiredToken'
  | 'AccessDenied'
  | 'Throttled'
  | 'Network'
  | 'NotFound'
  | 'Validation'
  | 'Cancelled'
  | 'Unknown';

export interface AwsErrorInfo {
  kind: AwsErrorKind;
  /** One or two sentences: what happened and why. */
  message: string;
  /** What the user can do about it. */
  nextStep: string;
  /** SDK error name (e.g. `ThrottlingException`, `ECONNREFUSED`). */
  errorName: string;
  /** HTTP status, when the service answered. */
  httpStatus?: number;
  /** Operation that failed, e.g. `DescribeParameters`. */
  operation?: string;
  /** AccessDenied: the missing IAM action when the message names it, e.g. `ssm:DescribeParameters`. */
  action?: string;
  /** ExpiredToken: the shell command that fixes it, e.g. `aws sso login --profile dev`. */
  command?: string;
  /** Whether retrying later may help (throttling, network, 5xx). */
  retryable: boolean;
}

export interface ClassifyContext {
  operation?: string;
  /** Service prefix of IAM actions, e.g. `ssm`, `secretsmanager`, `sts`. */
  service?: string;
  profile?: string;
  endpoint?: string;
  /** Where the next step is shown: the editor (default: refresh, settings, the log) or the `keyway` CLI (options, run again). */
  surface?: 'editor' | 'cli';
}

const THROTTLE_NAMES = new Set([
  'ThrottlingException', 'Throttling', 'ThrottledException', 'TooManyRequestsException',
  'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException', 'SlowDown',
  'ProvisionedThroughputExceededException', 'BandwidthLimitExceeded', 'TransactionInProgressException',
]);
/** Errors about the resource's state rather than malformed input; their messages carry the reason. */
const STATE_ERRORS = new Set([
  'InvalidRequestException', 'InvalidParameterException', 'ParameterAlreadyExists', 'ResourceExistsException', 'ParameterMaxVersionLimitExceeded',
  'ParameterVersionLabelLimitExceeded', 'HierarchyLevelLimitExceededException', 'TooManyTagsException', 'ParameterLimitExceeded',
  'LimitExceededException', 'PreconditionNotMetException', 'ParameterVersionNotFound',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH',
  'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT',
]);
const EXPIRED_NAMES = new Set([
  'ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired', 'UnauthorizedException',
]);
const DENIED_NAMES = new Set([
  'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnrecognizedClientException',
  'InvalidClientTokenId', 'SignatureDoesNotMatch', 'AuthFailure', 'IncompleteSignature', 'MissingAuthenticationToken',
]);
const NOT_FOUND_NAMES = new Set([
  'ResourceNotFoundException', 'ParameterNotFound', 'ParameterVersionNotFound', 'NotFoundException', 'NoSuchEntity',
]);
const VALIDATION_NAMES = new Set([
  'ValidationException', 'InvalidParameterException', 'InvalidRequestException', 'InvalidNextToken',
  'InvalidFilterKey', 'InvalidFilterOption', 'InvalidFilterValue', 'InvalidKeyId', 'InvalidParameterValue',
  'SerializationException',
]);

interface ErrLike {
  name?: unknown; code?: unknown; message?: unknown; errno?: unknown; cause?: unknown;
  $metadata?: { httpStatusCode?: number }; $response?: { statusCode?: number };
}

function asErr(e: unknown): ErrLike {
  return typeof e === 'object' && e !== null ? (e as ErrLike) : { message: String(e) };
}

/** Finds a Node network error code on the error or its causes. */
function networkCode(e: ErrLike, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  for (const c of [e.code, e.name]) if (typeof c === 'string' && NETWORK_CODES.has(c)) return c;
  if (typeof e.message === 'string') {
    const m = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\b/.exec(e.message);
    if (m) return m[1];
  }
  if (Array.isArray((e as { errors?: unknown }).errors)) {
    for (const sub of (e as { errors: unknown[] }).errors) { const c = networkCode(asErr(sub), depth + 1); if (c) return c; }
  }
  return e.cause ? networkCode(asErr(e.cause), depth + 1) : undefined;
}

/** `User: arn:... is not authorized to perform: ssm:DescribeParameters on resource: ...` → `ssm:DescribeParameters`. */
export function missingActionFrom(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const m = /perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message) ?? /\b(ssm|secretsmanager|kms|sts|iam):([A-Z][A-Za-z0-9]+)\b/.exec(message);
  if (!m) return undefined;
  return m.length === 3 ? `${m[1]}:${m[2]}` : m[1];
}

function isAbort(e: ErrLike): boolean {
  return e.name === 'AbortError' || e.code === 'ABORT_ERR' || (typeof e.message === 'string' && /\brequest aborted\b|operation was aborted/i.test(e.message) && e.name !== 'TimeoutError');
}

/** Classifies any error thrown by an SDK call, the credential chain or the network. */
export function classifyAwsError(error: unknown, ctx: ClassifyContext = {}): AwsErrorInfo {
  const e = asErr(error);
  const name = typeof e.name === 'string' && e.name !== 'Error' ? e.name : typeof e.code === 'string' ? e.code : 'Error';
  const rawMessage = typeof e.message === 'string' ? e.message : '';
  const httpStatus = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const op = ctx.operation ? `${ctx.operation}` : 'The AWS call';
  const where = ctx.endpoint ? ` at ${ctx.endpoint}` : '';
  const profileArg = ctx.profile ? ` --profile ${ctx.profile}` : '';
  const base = { errorName: name, httpStatus, operation: ctx.operation };
  const cli = ctx.surface === 'cli';
  const thenRetry = cli ? 'then run the command again' : 'then refresh';

  if (isAbort(e)) {
    return { ...base, kind: 'Cancelled', message: `${op} was cancelled.`, nextStep: cli ? 'Run the command again.' : 'Refresh to load again.', retryable: true };
  }
  // SSO: the cached token is missing or expired (thrown by the SSO credential provider / token provider).
  if (/sso/i.test(rawMessage) && /(expired|refresh|not found|invalid|login)/i.test(rawMessage) && !httpStatus) {
    const command = `aws sso login${profileArg}`;
    return { ...base, kind: 'ExpiredToken', message: 'The AWS IAM Identity Center (SSO) session has expired or was never started.', nextStep: cli ? `Run \`${command}\`, ${thenRetry}.` : `Run \`${command}\` in a terminal, ${thenRetry}.`, command, retryable: false };
  }
  if (EXPIRED_NAMES.has(name) || /security token included in the request is expired|token has expired/i.test(rawMessage)) {
    const command = `aws sso login${profileArg}`;
    return { ...base, kind: 'ExpiredToken', message: `${op} was rejected because the session credentials have expired.`, nextStep: `Refresh your credentials (for an SSO profile: \`${command}\`), ${thenRetry}.`, command, retryable: false };
  }
  if (name === 'CredentialsProviderError' || /could not load credentials|unable to find.*credentials|no credentials|credential.*not found/i.test(rawMessage) && !httpStatus) {
    return { ...base, kind: 'NoCredentials', message: 'No AWS credentials were found for this profile (environment, shared config/credentials files, SSO, credential_process and instance roles were tried).', nextStep: cli ? 'Pass --profile (or set AWS_PROFILE), add a profile to ~/.aws/config (`aws configure` or `aws configure sso`), or pass --endpoint-url for a local emulator.' : 'Pick a profile, add one to ~/.aws/config (`aws configure` or `aws configure sso`), or use a local endpoint.', retryable: false };
  }
  if (DENIED_NAMES.has(name) || httpStatus === 403) {
    const action = missingActionFrom(rawMessage) ?? (ctx.service && ctx.operation ? `${ctx.service}:${ctx.operation}` : undefined);
    const invalidKey = name === 'UnrecognizedClientException' || name === 'InvalidClientTokenId' || name === 'SignatureDoesNotMatch';
    if (invalidKey) {
      return { ...base, kind: 'AccessDenied', message: `${op} was rejected: the access key is not valid for this endpoint (${name}).`, nextStep: cli ? 'Check the profile\'s credentials, or --endpoint-url (AWS_ENDPOINT_URL) if you meant a local emulator.' : 'Check the profile\'s credentials, or the endpoint setting if you meant a local emulator.', action, retryable: false };
    }
    return { ...base, kind: 'AccessDenied', message: `${op} was denied${action ? `: the identity lacks permission for ${action}` : ''}.`, nextStep: action ? `Ask for an IAM policy that allows ${action} on these resources, or pick another profile.` : 'Ask for the missing IAM permission, or pick another profile.', action, retryable: false };
  }
  if (THROTTLE_NAMES.has(name) || httpStatus === 429) {
    return { ...base, kind: 'Throttled', message: `${op} kept being throttled by AWS after the automatic retries.`, nextStep: cli ? 'Wait a moment and run the command again (AWS_MAX_ATTEMPTS, up to 20, retries longer); other tools may be using the same account\'s API rate.' : 'Wait a moment and retry; other tools may be using the same account\'s API rate.', retryable: true };
  }
  const net = networkCode(e);
  if (net || name === 'TimeoutError' || name === 'RequestTimeout' || /socket hang up|connect ECONNREFUSED|getaddrinfo|timed out|Connection timed out/i.test(rawMessage)) {
    const why = net ? ` (${net})` : name === 'TimeoutError' ? ' (timed out)' : '';
    return { ...base, errorName: net ?? name, kind: 'Network', message: `${op} could not reach the endpoint${where}${why}.`, nextStep: ctx.endpoint ? (cli ? 'Check that the emulator or endpoint is running and that --endpoint-url (or AWS_ENDPOINT_URL) points at it, then run the command again.' : 'Check that the emulator or endpoint is running, or clear keyway.endpointUrl, then retry.') : `Check the network connection and region, ${cli ? 'then run the command again' : 'then retry'}.`, retryable: true };
  }
  if (NOT_FOUND_NAMES.has(name) || httpStatus === 404) {
    return { ...base, kind: 'NotFound', message: `${op} found no such item (${name}). It may have been deleted or renamed.`, nextStep: cli ? 'Run the command again.' : 'Refresh the list.', retryable: false };
  }
  if (VALIDATION_NAMES.has(name) || (httpStatus === 400 && /Validation|Invalid/.test(name))) {
    // State errors explain themselves (a secret already exists, rotation not configured…): pass AWS's reason on,
    // with anything quoted removed, since validation messages can echo request fields (values).
    if (STATE_ERRORS.has(name) && rawMessage) {
      const reason = rawMessage.replace(/'[^']*'|"[^"]*"|`[^`]*`/g, '…').replace(/\s+/g, ' ').trim().slice(0, 240);
      return { ...base, kind: 'Validation', message: `${op} was refused (${name}): ${reason}`, nextStep: 'Change what the message points at, then try again.', retryable: false };
    }
    return { ...base, kind: 'Validation', message: `${op} was rejected as invalid (${name}).`, nextStep: cli ? 'This is likely a Keyway bug or an unsupported endpoint; please report it with the output of --verbose.' : 'This is likely a Keyway bug or an unsupported endpoint; please report it with the log.', retryable: false };
  }
  if (httpStatus !== undefined && httpStatus >= 500) {
    return { ...base, kind: 'Unknown', message: `${op} failed with a server error (${name}, HTTP ${httpStatus}) after the automatic retries.`, nextStep: 'Retry; if it persists, check the AWS Health Dashboard or the emulator log.', retryable: true };
  }
  return { ...base, kind: 'Unknown', message: `${op} failed (${name}${httpStatus ? `, HTTP ${httpStatus}` : ''}).`, nextStep: cli ? 'Run the command again with --verbose to see each call.' : 'Retry, and see the Keyway log for details.', retryable: true };
}

/** An Error carrying the classified info, for APIs that reject. */
export class KeywayAwsError extends Error {
  override readonly name = 'KeywayAwsError';
  constructor(readonly info: AwsErrorInfo, options?: { cause?: unknown }) {
    super(`${info.message} ${info.nextStep}`, options);
  }
}
