// The provider catalog: one entry per provider or structural kind. Each entry says what the secret looks like, how
// to tell a live key from a test or public one, and where to rotate it. The formats here are matched anywhere in a
// value (and, for the strongly anchored ones, anywhere in a file, comments included) by `formats.ts`; `context`
// entries are recognised only under a name that mentions the provider (`HEROKU_API_KEY`, `codecov_token`).
// `docs/rules/hardcoded-secret.md` renders this table (`catalogMarkdown()`); a unit test keeps the two in step.
import type { CatalogEntry, Category } from './catalog-model';
import { AI_AND_CLOUD } from './providers-ai-cloud';
import { CODE_AND_PAYMENTS } from './providers-code-payments';
import { MESSAGING_BACKEND_AND_STRUCTURAL } from './providers-messaging-backend';

export { randomBody, shannonEntropy, supabaseRole, type Category, type CatalogEntry, type ContextRule, type FormatPattern, type KeyMode } from './catalog-model';

export const CATALOG: readonly CatalogEntry[] = [...AI_AND_CLOUD, ...CODE_AND_PAYMENTS, ...MESSAGING_BACKEND_AND_STRUCTURAL];


const BY_KIND = new Map(CATALOG.map((e) => [e.kind, e]));

/** Generic kinds (a secret recognised by its name, not its format). */
export const GENERIC_LABELS: Record<string, string> = {
  'password': 'password',
  'api-key': 'API key',
  'token': 'token',
  'secret': 'secret',
  'credential': 'credential',
  'private-key-value': 'private or signing key',
  'client-secret': 'client secret',
};

export function catalogEntry(kind: string): CatalogEntry | undefined {
  return BY_KIND.get(kind);
}

/** Human-readable label per kind, for messages. */
export const SECRET_KIND_LABELS: Record<string, string> = {
  ...GENERIC_LABELS,
  ...Object.fromEntries(CATALOG.map((e) => [e.kind, e.label])),
  // kinds kept from earlier versions (configuration and suppressions may name them)
  'twilio-account-sid': 'Twilio account SID',
};

/** Kinds that usually must rotate (database and service credentials): Secrets Manager is the better home. */
export const ROTATING_KINDS: ReadonlySet<string> = new Set([
  ...CATALOG.filter((e) => e.rotating).map((e) => e.kind), 'password', 'credential', 'client-secret',
]);

/** The provider of a kind, for `data.provider`. */
export function providerOf(kind: string): string {
  return BY_KIND.get(kind)?.provider ?? 'generic';
}

/** Provider-specific value shapes recognised under a name that mentions the provider (Heroku and Codecov UUIDs, …). */
export function contextKind(nameWords: string | (() => string), value: string): string | undefined {
  let words: string | undefined;
  for (const e of CATALOG) {
    if (!e.context || e.public) continue;
    for (const c of e.context) {
      if (!c.value.test(value)) continue; // the value's shape first: most values fit none, and the name is built lazily
      words ??= typeof nameWords === 'function' ? nameWords() : nameWords;
      if (c.names.test(words)) return e.kind;
    }
  }
  return undefined;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The catalog as a markdown table, grouped by category (rendered into docs/rules/hardcoded-secret.md). */
export function catalogMarkdown(): string {
  const titles: Record<Category, string> = {
    ai: 'AI', cloud: 'Cloud', code: 'Code hosting and packages', payments: 'Payments', messaging: 'Messaging and e-mail',
    backend: 'Backends', structural: 'Structural',
  };
  const out: string[] = [];
  for (const cat of Object.keys(titles) as Category[]) {
    out.push(`### ${titles[cat]}`, '', '| Provider | Kind (`data.kind`) | Format | Live, test or public | Rotate at |', '|---|---|---|---|---|');
    for (const e of CATALOG.filter((x) => x.category === cat)) {
      const kind = e.public ? `\`${e.kind}\` (public, not reported)` : `\`${e.kind}\``;
      out.push(`| ${cell(e.provider)} | ${kind} | ${cell(e.format)} | ${cell(e.live)} | ${cell(e.rotate)} |`);
    }
    out.push('');
  }
  return out.join('\n').trimEnd() + '\n';
}
