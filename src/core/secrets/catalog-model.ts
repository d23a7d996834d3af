// The provider catalog's model: entry and pattern types, and the value checks its entries share (entropy, random
// bodies, JWT payloads). The entries themselves live in `providers-*.ts`; `catalog.ts` assembles them.
export type Category = 'ai' | 'cloud' | 'code' | 'payments' | 'messaging' | 'backend' | 'structural';

export type KeyMode = 'live' | 'test' | 'public';

export interface FormatPattern {
  /**
   * Literal strings, one of which every match contains. A file is searched for all anchors at once; the pattern is
   * then tried where an anchor was found.
   */
  anchors: readonly string[];
  /** The full match, sticky-tested at its start (after `back` characters before the anchor). No `g`/`y` flags. */
  re: RegExp;
  /**
   * Characters that may precede the anchor inside the match (`\d` for Telegram's `123456789:AA…`), and at most how
   * many. The match start is found by walking back over them.
   */
  back?: { chars: RegExp; max: number };
  /** Extra judgement of the matched text: false drops it. */
  check?(m: string): boolean;
  /** Live, test or public key (default live). Public keys are never reported. */
  mode?(m: string): KeyMode;
  /** Also searched in whole files (comments, regex literals, minified bundles). Default true. */
  anywhere?: boolean;
}

export interface ContextRule {
  /** A name (identifier, key, variable) that mentions the provider. Tested on the name's lower-cased words joined by `_`. */
  names: RegExp;
  /** The value shape this provider uses under such a name. */
  value: RegExp;
}

export interface CatalogEntry {
  /** Stable kind id reported in `data.kind`. */
  kind: string;
  provider: string;
  /** Readable label used in messages: "Stripe secret key". */
  label: string;
  category: Category;
  /** The format, as documented (markdown). */
  format: string;
  /** How to tell a live key from a test or public one (markdown). */
  live: string;
  /** Where to revoke and rotate it. */
  rotate: string;
  /** A database or service credential that should rotate automatically: Secrets Manager is its home. */
  rotating?: boolean;
  /** Public by design: documented here, never reported. */
  public?: boolean;
  patterns?: readonly FormatPattern[];
  context?: readonly ContextRule[];
}

export const hasUpperLowerDigit = (s: string) => /[A-Z]/.test(s) && /[a-z]/.test(s) && /\d/.test(s);

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  const n = s.length;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

/** The random part of a token looks random: mixed characters, no long runs, not a documented sample. */
export function randomBody(body: string, minEntropy = 3): boolean {
  if (/(.)\1{7,}/.test(body)) return false;
  if (/example|xxxx|your|placeholder|redacted|dummy|fake|0123456789|1234567890|abcdefghij/i.test(body)) return false;
  return shannonEntropy(body) >= minEntropy;
}

export function jwtPayload(token: string): Record<string, unknown> | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v && typeof v === 'object' ? v as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

export const JWT_RE = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Supabase role a JWT carries (`anon`, `service_role`), when issued by Supabase. */
export function supabaseRole(token: string): string | undefined {
  const p = jwtPayload(token);
  if (!p || typeof p.role !== 'string') return undefined;
  return p.iss === 'supabase' || typeof p.ref === 'string' || /supabase/.test(String(p.iss ?? '')) ? p.role : undefined;
}

