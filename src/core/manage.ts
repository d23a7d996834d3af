// Rules for creating and editing values, checked before any API call: names, sizes, tiers, JSON,
// the three-question decision and the monthly cost. Pure.

export type Store = 'parameter' | 'secret';
export type Destination = 'String' | 'SecureString' | 'SecretsManager';

/** Parameter Store limits (bytes of UTF-8). */
export const STANDARD_PARAMETER_MAX = 4 * 1024;
export const ADVANCED_PARAMETER_MAX = 8 * 1024;
/** Secrets Manager SecretString limit (bytes of UTF-8). */
export const SECRET_MAX = 64 * 1024;
export const MAX_PARAMETER_LEVELS = 15;
/** The whole parameter ARN may be at most 1011 characters. */
export const MAX_PARAMETER_ARN = 1011;
export const MAX_SECRET_NAME = 512;

export interface Problem { field: 'name' | 'value'; message: string }

/** Why a Parameter Store name is invalid, or undefined when it is valid. */
export function validateParameterName(name: string, region = 'us-east-1'): string | undefined {
  if (!name) return 'Enter a name.';
  if (/\s/.test(name)) return 'Parameter names cannot contain spaces or other white space.';
  const bad = name.match(/[^a-zA-Z0-9_.\-/]/);
  if (bad) return `"${bad[0]}" is not allowed: parameter names use only letters, digits and _ . - / .`;
  if (name.includes('/') && !name.startsWith('/')) return 'A name with a path must be fully qualified: start it with "/".';
  if (name.endsWith('/')) return 'A name cannot end with "/": add the last segment.';
  if (name.includes('//')) return 'A name cannot contain an empty segment ("//").';
  const levels = name.split('/').filter(Boolean).length;
  if (levels > MAX_PARAMETER_LEVELS) return `A name can have at most ${MAX_PARAMETER_LEVELS} levels; this one has ${levels}.`;
  const first = name.replace(/^\//, '');
  if (/^(aws|ssm)/i.test(first)) return 'Names cannot begin with "aws" or "ssm" (any case): AWS reserves them.';
  const arnLength = `arn:aws:ssm:${region}:123456789012:parameter`.length + (name.startsWith('/') ? name.length : name.length + 1);
  if (arnLength > MAX_PARAMETER_ARN) return `The name is too long: its ARN would be ${arnLength} characters, and AWS allows ${MAX_PARAMETER_ARN}.`;
  return undefined;
}

/** Why a Secrets Manager name is invalid, or undefined when it is valid. */
export function validateSecretName(name: string): string | undefined {
  if (!name) return 'Enter a name.';
  if (name.length > MAX_SECRET_NAME) return `Secret names can be at most ${MAX_SECRET_NAME} characters; this one has ${name.length}.`;
  if (/\s/.test(name)) return 'Secret names cannot contain spaces or other white space.';
  const bad = name.match(/[^a-zA-Z0-9/_+=.@-]/);
  if (bad) return `"${bad[0]}" is not allowed: secret names use only letters, digits and / _ + = . @ - .`;
  if (/-[a-zA-Z0-9]{6}$/.test(name)) return 'Do not end a secret name with a hyphen and six characters: it would be confused with the random suffix AWS adds to secret ARNs.';
  if (/^arn:/i.test(name)) return 'Enter a name, not an ARN.';
  return undefined;
}

export function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

export interface SizeDecision {
  ok: boolean;
  /** Parameter tier to use. */
  tier?: 'Standard' | 'Advanced';
  /** Shown to the user: why the tier changed, or why the value is refused. */
  message?: string;
}

/** Parameters over 4 KB go to the advanced tier; over 8 KB (parameters) or 64 KB (secrets) are refused. */
export function checkSize(store: Store, value: string, requestedTier: 'Standard' | 'Advanced' = 'Standard'): SizeDecision {
  const n = byteLength(value);
  if (store === 'secret') {
    return n > SECRET_MAX
      ? { ok: false, message: `The value is ${kb(n)}; a secret can hold at most 64 KB.` }
      : { ok: true };
  }
  if (n > ADVANCED_PARAMETER_MAX) return { ok: false, message: `The value is ${kb(n)}; a parameter can hold at most 8 KB (advanced tier). Store it in Secrets Manager (64 KB) or split it.` };
  if (n > STANDARD_PARAMETER_MAX) {
    return { ok: true, tier: 'Advanced', message: `The value is ${kb(n)}, over the standard tier's 4 KB: it goes to the advanced tier ($0.05 per month).` };
  }
  return { ok: true, tier: requestedTier };
}

function kb(n: number): string {
  return n < 1024 ? `${n} bytes` : `${(n / 1024).toFixed(1)} KB`;
}

/** A value that should be JSON: it looks like JSON, or the name ends in `.json`. */
export function checkJson(name: string, value: string): string | undefined {
  const looks = /^\s*[{[]/.test(value);
  if (!looks && !/\.json$/i.test(name)) return undefined;
  try {
    JSON.parse(value);
    return undefined;
  } catch (e) {
    return `The value is not valid JSON: ${(e as Error).message}`;
  }
}

/** The three questions, in order: Sensitive? Needs automatic rotation? */
export function decide(sensitive: boolean, rotation: boolean): Destination {
  if (!sensitive) return 'String';
  return rotation ? 'SecretsManager' : 'SecureString';
}

export interface Cost { monthly: number; text: string }

/** Monthly cost of the choice (list prices from the domain background). */
export function monthlyCost(dest: Destination, tier: 'Standard' | 'Advanced' = 'Standard'): Cost {
  if (dest === 'SecretsManager') return { monthly: 0.4, text: '$0.40 per secret per month, plus $0.05 per 10,000 API calls' };
  if (tier === 'Advanced') return { monthly: 0.05, text: '$0.05 per month (advanced parameter)' };
  return { monthly: 0, text: '$0 per month (standard parameter)' };
}

/** Everything checked before a create: the first problem for each field. Zero problems = go. */
export function validateNew(opts: { store: Store; name: string; value: string; region?: string }): Problem[] {
  const problems: Problem[] = [];
  const nameError = opts.store === 'parameter' ? validateParameterName(opts.name, opts.region) : validateSecretName(opts.name);
  if (nameError) problems.push({ field: 'name', message: nameError });
  if (!opts.value) problems.push({ field: 'value', message: 'Enter a value: AWS does not store empty values.' });
  else {
    const size = checkSize(opts.store, opts.value);
    if (!size.ok) problems.push({ field: 'value', message: size.message! });
    const json = checkJson(opts.name, opts.value);
    if (json) problems.push({ field: 'value', message: json });
  }
  return problems;
}

/** A rotation schedule: 30/60/90 days or a custom `rate(...)`/`cron(...)` expression. */
export function validateSchedule(expr: string): string | undefined {
  const s = expr.trim();
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    return n >= 1 && n <= 1000 ? undefined : 'Rotation days must be between 1 and 1000.';
  }
  if (/^rate\(\s*\d+\s+(hours?|days?)\s*\)$/.test(s)) return undefined;
  if (/^cron\(\s*\S+(\s+\S+){5}\s*\)$/.test(s)) return undefined;
  return 'Use a number of days, rate(N days), rate(N hours) or a six-field cron(...) expression.';
}

/** Lambda ARN of a rotation function. */
export function validateLambdaArn(arn: string): string | undefined {
  return /^arn:aws[\w-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/.test(arn.trim())
    ? undefined
    : 'Enter the ARN of the rotation Lambda function, e.g. arn:aws:lambda:us-east-1:123456789012:function:rotate-db.';
}

/** Recovery window of a scheduled secret deletion. */
export function validateRecoveryDays(days: number): string | undefined {
  return Number.isInteger(days) && days >= 7 && days <= 30 ? undefined : 'The recovery window is 7 to 30 days.';
}

/**
 * A name for a new value that follows the paths the workspace already uses: the most common
 * `/<app>/<stage>/` prefix among `known`, plus `leaf`.
 */
export function proposeName(leaf: string, known: readonly string[], fallbackPrefix = '/'): string {
  const clean = leaf.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[^a-zA-Z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'value';
  const counts = new Map<string, number>();
  for (const n of known) {
    const cut = n.lastIndexOf('/');
    if (n.startsWith('/') && cut > 0) counts.set(n.slice(0, cut + 1), (counts.get(n.slice(0, cut + 1)) ?? 0) + 1);
  }
  const prefix = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? fallbackPrefix;
  return `${prefix.endsWith('/') ? prefix : `${prefix}/`}${clean}`;
}

/** Words that mark a name as production when they stand alone (a path segment or a word in one). */
const PRODUCTION_WORDS = new Set(['prod', 'production', 'prd', 'live']);

/**
 * Whether a parameter or secret name looks like production: `prod`, `production`, `prd` or `live` as a
 * path segment or as a word of one (split on / - _ . : @ + = and camelCase), in any case.
 * `/app/prod/db`, `prod-db-password`, `stripe_live_key`, `myAppProd/token` match; `product`, `deliver` do not.
 */
export function looksLikeProduction(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[^a-zA-Z0-9]+/);
  return words.some((w) => PRODUCTION_WORDS.has(w.toLowerCase()));
}
