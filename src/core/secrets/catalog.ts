// The provider catalog: one entry per provider or structural kind. Each entry says what the secret looks like, how
// to tell a live key from a test or public one, and where to rotate it. The formats here are matched anywhere in a
// value (and, for the strongly anchored ones, anywhere in a file, comments included) by `formats.ts`; `context`
// entries are recognised only under a name that mentions the provider (`HEROKU_API_KEY`, `codecov_token`).
// `docs/rules/hardcoded-secret.md` renders this table (`catalogMarkdown()`); a unit test keeps the two in step.

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

const hasUpperLowerDigit = (s: string) => /[A-Z]/.test(s) && /[a-z]/.test(s) && /\d/.test(s);

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

function jwtPayload(token: string): Record<string, unknown> | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v && typeof v === 'object' ? v as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

const JWT_RE = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Supabase role a JWT carries (`anon`, `service_role`), when issued by Supabase. */
export function supabaseRole(token: string): string | undefined {
  const p = jwtPayload(token);
  if (!p || typeof p.role !== 'string') return undefined;
  return p.iss === 'supabase' || typeof p.ref === 'string' || /supabase/.test(String(p.iss ?? '')) ? p.role : undefined;
}

export const CATALOG: readonly CatalogEntry[] = [
  // ---------------------------------------------------------------------------------------------------------- AI
  {
    kind: 'openai-api-key', provider: 'OpenAI', label: 'OpenAI API key', category: 'ai',
    format: '`sk-` + 48 characters (legacy, with `T3BlbkFJ` inside), `sk-proj-…`, `sk-svcacct-…`, `sk-admin-…`',
    live: 'Every OpenAI key is live (there are no test keys).',
    rotate: 'platform.openai.com → API keys (project keys: the project’s API keys page)',
    patterns: [{
      anchors: ['sk-'],
      re: /(?<![A-Za-z0-9_-])sk-(?!ant-)(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])/,
      // `sk-` also starts CSS classes and slugs (`sk-fading-circle`): demand a random-looking body.
      check: (m) => {
        const body = m.replace(/^sk-(?:proj-|svcacct-|admin-|None-)?/, '');
        return (body.includes('T3BlbkFJ') || (hasUpperLowerDigit(body) && shannonEntropy(body) >= 3.5))
          && !/^[a-z]+(?:-[a-z]+)+$/.test(body) && randomBody(body);
      },
    }],
  },
  {
    kind: 'anthropic-api-key', provider: 'Anthropic', label: 'Anthropic API key', category: 'ai',
    format: '`sk-ant-api03-…` (108 characters), admin keys `sk-ant-admin01-…`',
    live: 'Every Anthropic key is live.',
    rotate: 'console.anthropic.com → Settings → API keys',
    patterns: [{
      anchors: ['sk-ant-'],
      re: /(?<![A-Za-z0-9_-])sk-ant-(?:api|admin|sid)\d\d-[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/,
      check: (m) => randomBody(m.slice(14)),
    }],
  },
  {
    kind: 'google-api-key', provider: 'Google AI / Gemini, Google Cloud, Maps', label: 'Google API key', category: 'ai',
    format: '`AIza` + 35 characters',
    live: 'Gemini, Maps and Cloud keys are secrets. A Firebase web config’s `apiKey` (next to `authDomain`, `projectId`, `appId`) is public by design and is not reported.',
    rotate: 'console.cloud.google.com → APIs & Services → Credentials (Gemini: aistudio.google.com → API keys)',
    patterns: [{ anchors: ['AIza'], re: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/, check: (m) => randomBody(m.slice(4)) }],
  },
  {
    kind: 'huggingface-token', provider: 'Hugging Face', label: 'Hugging Face token', category: 'ai',
    format: '`hf_` + 34–40 letters; organisation tokens `api_org_…`',
    live: 'Every token is live (read or write scope).',
    rotate: 'huggingface.co → Settings → Access Tokens',
    patterns: [{
      anchors: ['hf_', 'api_org_'],
      re: /(?<![A-Za-z0-9_])(?:hf_|api_org_)[A-Za-z0-9]{34,40}(?![A-Za-z0-9_])/,
      check: (m) => /[A-Z]/.test(m) && /[a-z]/.test(m.slice(3)) && randomBody(m.replace(/^(?:hf_|api_org_)/, ''), 3.5),
    }],
  },
  {
    kind: 'cohere-api-key', provider: 'Cohere', label: 'Cohere API key', category: 'ai',
    format: '40 letters and digits, under a name that mentions Cohere (`COHERE_API_KEY`, `CO_API_KEY`)',
    live: 'Trial and production keys are both secrets.',
    rotate: 'dashboard.cohere.com → API keys',
    context: [{ names: /(?:^|_)(?:cohere|co_api)/, value: /^[A-Za-z0-9]{40}$/ }],
  },
  {
    kind: 'replicate-api-token', provider: 'Replicate', label: 'Replicate API token', category: 'ai',
    format: '`r8_` + 37 characters',
    live: 'Every token is live.',
    rotate: 'replicate.com → Account → API tokens',
    patterns: [{ anchors: ['r8_'], re: /(?<![A-Za-z0-9_])r8_[A-Za-z0-9]{37}(?![A-Za-z0-9_])/, check: (m) => randomBody(m.slice(3), 3.5) }],
  },
  {
    kind: 'groq-api-key', provider: 'Groq', label: 'Groq API key', category: 'ai',
    format: '`gsk_` + 52 characters',
    live: 'Every key is live.',
    rotate: 'console.groq.com → API Keys',
    patterns: [{ anchors: ['gsk_'], re: /(?<![A-Za-z0-9_])gsk_[A-Za-z0-9]{48,56}(?![A-Za-z0-9_])/, check: (m) => randomBody(m.slice(4), 3.5) }],
  },
  {
    kind: 'xai-api-key', provider: 'xAI', label: 'xAI API key', category: 'ai',
    format: '`xai-` + 80 characters',
    live: 'Every key is live.',
    rotate: 'console.x.ai → API keys',
    patterns: [{ anchors: ['xai-'], re: /(?<![A-Za-z0-9_-])xai-[A-Za-z0-9]{70,90}(?![A-Za-z0-9_-])/, check: (m) => randomBody(m.slice(4), 3.5) }],
  },
  {
    kind: 'perplexity-api-key', provider: 'Perplexity', label: 'Perplexity API key', category: 'ai',
    format: '`pplx-` + 48 characters',
    live: 'Every key is live.',
    rotate: 'perplexity.ai → Settings → API',
    patterns: [{ anchors: ['pplx-'], re: /(?<![A-Za-z0-9_-])pplx-[A-Za-z0-9]{40,56}(?![A-Za-z0-9_-])/, check: (m) => randomBody(m.slice(5), 3.5) }],
  },
  // ------------------------------------------------------------------------------------------------------- cloud
  {
    kind: 'aws-access-key-id', provider: 'AWS', label: 'AWS access key id', category: 'cloud', rotating: true,
    format: '`AKIA` (long-term) or `ASIA` (temporary) + 16 upper-case letters and digits; its secret access key is 40 base64 characters',
    live: '`AKIA…` keys are long-term IAM user keys; `ASIA…` are temporary (they come with a session token). The documentation pair `AKIAIOSFODNN7EXAMPLE` is not reported.',
    rotate: 'IAM console → Users → Security credentials → deactivate and delete the key, create a new one',
    patterns: [{
      anchors: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'],
      re: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])/,
      check: (m) => randomBody(m.slice(4), 2.5),
    }],
  },
  {
    kind: 'aws-secret-access-key', provider: 'AWS', label: 'AWS secret access key', category: 'cloud', rotating: true,
    format: '40 characters of the base64 alphabet, under a name like `aws_secret_access_key`, `secretAccessKey`, or next to an access key id',
    live: 'Live whenever its access key id is active.',
    rotate: 'IAM console → Users → Security credentials (rotate the whole key pair)',
  },
  {
    kind: 'aws-session-token', provider: 'AWS', label: 'AWS session token', category: 'cloud',
    format: 'Long base64 starting `IQoJb3JpZ2luX2Vj` or `FwoGZXIvYXdz`, or under `aws_session_token`/`sessionToken`',
    live: 'Valid until it expires (minutes to hours); still a leak of the role behind it.',
    rotate: 'Revoke active sessions of the role (IAM → Roles → Revoke sessions)',
    patterns: [{
      anchors: ['IQoJb3JpZ2luX2Vj', 'FwoGZXIvYXdz'],
      re: /(?<![A-Za-z0-9+/])(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdz)[A-Za-z0-9+/]{80,}={0,2}/,
      // AWS documentation samples: `IQoJb3JpZ2luX2VjEOz////////…EXAMPLE…`
      check: (m) => !/EXAMPLE|\/{8,}/.test(m),
    }],
  },
  {
    kind: 'gcp-service-account-key', provider: 'Google Cloud', label: 'GCP service-account key', category: 'cloud',
    format: 'Service-account JSON (`"type": "service_account"`) with a `private_key` PEM',
    live: 'Live until the key is deleted from the service account.',
    rotate: 'console.cloud.google.com → IAM & Admin → Service Accounts → Keys',
  },
  {
    kind: 'azure-storage-key', provider: 'Azure Storage', label: 'Azure storage account key', category: 'cloud', rotating: true,
    format: 'Connection string with `AccountKey=` + 88 base64 characters (`DefaultEndpointsProtocol=…;AccountName=…;AccountKey=…`), or the key under `accountKey`; Service Bus / Event Hubs `SharedAccessKey=`',
    live: 'The Azurite emulator’s well-known key (`Eby8vdM02x…`) is not reported.',
    rotate: 'Azure portal → Storage account → Access keys → Rotate key',
    patterns: [{
      anchors: ['AccountKey=', 'SharedAccessKey='],
      re: /(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{40,88}={0,2}/,
      check: (m) => !m.includes('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq') && randomBody(m.replace(/^\w+=/, ''), 4),
    }],
    context: [{ names: /(?:^|_)(?:account|storage|azure)_?key$|(?:^|_)azure_storage/, value: /^[A-Za-z0-9+/]{86}==$/ }],
  },
  {
    kind: 'azure-sas-token', provider: 'Azure Storage', label: 'Azure shared access signature', category: 'cloud',
    format: 'URL query with `sv=…&…&sig=…`',
    live: 'Valid until its `se=` expiry.',
    rotate: 'Rotate the storage key that signed it (or revoke the stored access policy)',
    patterns: [{ anchors: ['sig='], re: /(?<![A-Za-z0-9])sig=[A-Za-z0-9%+/]{40,}(?:%3D|=){0,2}/, check: (m) => randomBody(m.slice(4), 4), anywhere: false }],
  },
  {
    kind: 'azure-ad-client-secret', provider: 'Azure AD (Entra ID)', label: 'Azure AD client secret', category: 'cloud', rotating: true,
    format: '3 characters, a digit, `Q~`, then 31–34 characters',
    live: 'Every client secret is live until its expiry.',
    rotate: 'Entra admin center → App registrations → Certificates & secrets',
    patterns: [{
      anchors: ['Q~'], back: { chars: /[A-Za-z0-9_~.]/, max: 4 },
      re: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/,
      check: (m) => randomBody(m.slice(6), 3.5),
    }],
  },
  {
    kind: 'digitalocean-token', provider: 'DigitalOcean', label: 'DigitalOcean token', category: 'cloud',
    format: '`dop_v1_`, `doo_v1_` or `dor_v1_` + 64 hex',
    live: 'Every token is live.',
    rotate: 'cloud.digitalocean.com → API → Tokens',
    patterns: [{ anchors: ['dop_v1_', 'doo_v1_', 'dor_v1_'], re: /(?<![A-Za-z0-9_])do[opr]_v1_[a-f0-9]{64}(?![A-Za-z0-9_])/, check: (m) => randomBody(m.slice(7)) }],
  },
  {
    kind: 'cloudflare-api-token', provider: 'Cloudflare', label: 'Cloudflare API token', category: 'cloud',
    format: '40 characters under a name that mentions Cloudflare (`CLOUDFLARE_API_TOKEN`, `CF_API_TOKEN`); Global API keys are 37 hex; Origin CA keys `v1.0-…`',
    live: 'Every token is live.',
    rotate: 'dash.cloudflare.com → My Profile → API Tokens',
    patterns: [{ anchors: ['v1.0-'], re: /(?<![A-Za-z0-9])v1\.0-[a-f0-9]{24}-[a-f0-9]{146}(?![A-Za-z0-9])/ }],
    context: [{ names: /(?:^|_)(?:cloudflare|cf)(?:_|$)/, value: /^(?:[A-Za-z0-9_-]{40}|[a-f0-9]{37})$/ }],
  },
  {
    kind: 'heroku-api-key', provider: 'Heroku', label: 'Heroku API key', category: 'cloud',
    format: '`HRKU-` + 60 characters, or a UUID under a name that mentions Heroku (`HEROKU_API_KEY`)',
    live: 'Every key is live.',
    rotate: 'dashboard.heroku.com → Account settings → API Key → Regenerate',
    patterns: [{ anchors: ['HRKU-'], re: /(?<![A-Za-z0-9_-])HRKU-[A-Za-z0-9_-]{58,62}(?![A-Za-z0-9_-])/, check: (m) => randomBody(m.slice(5)) }],
    context: [{ names: /(?:^|_)heroku(?:_|$)/, value: UUID }],
  },
  // ------------------------------------------------------------------------------------------ code and packages
  {
    kind: 'github-token', provider: 'GitHub', label: 'GitHub token', category: 'code',
    format: '`ghp_` (classic PAT), `gho_` (OAuth), `ghu_` (user-to-server), `ghs_` (server-to-server), `ghr_` (refresh) + 36 characters; `github_pat_` + 82 characters (fine-grained)',
    live: 'Every token is live until revoked or expired.',
    rotate: 'github.com → Settings → Developer settings → Personal access tokens (apps: revoke the installation token)',
    patterns: [
      { anchors: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], re: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{30,255}(?![A-Za-z0-9_])/, check: (m) => randomBody(m.slice(4)) },
      { anchors: ['github_pat_'], re: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,255}(?![A-Za-z0-9_])/, check: (m) => randomBody(m.slice(11)) },
    ],
  },
  {
    kind: 'gitlab-token', provider: 'GitLab', label: 'GitLab token', category: 'code',
    format: '`glpat-` (personal/project/group), `gldt-` (deploy), `glrt-` (runner), `glptt-` (pipeline trigger), `glcbt-`, `glft-`, `glimt-`, `glsoat-`, `gloas-`, `glagent-` + 20 or more characters; runner registration `GR1348941…`',
    live: 'Every token is live until revoked or expired.',
    rotate: 'gitlab.com → Preferences → Access tokens (project/group: Settings → Access tokens)',
    patterns: [{
      anchors: ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glcbt-', 'glft-', 'glimt-', 'glsoat-', 'gloas-', 'glagent-', 'GR1348941'],
      re: /(?<![A-Za-z0-9_-])(?:(?:glpat|gldt|glrt|glptt|glcbt|glft|glimt|glsoat|gloas|glagent)-|GR1348941)[A-Za-z0-9_.-]{20,}(?![A-Za-z0-9_-])/,
      check: (m) => randomBody(m.replace(/^[a-z]+-|^GR1348941/, ''), 3),
    }],
  },
  {
    kind: 'bitbucket-token', provider: 'Bitbucket / Atlassian', label: 'Bitbucket or Atlassian token', category: 'code',
    format: 'App passwords `ATBB` + 32 characters; access tokens `ATCTT3xFfGN0…`; Atlassian API tokens `ATATT3xFfGF0…`',
    live: 'Every token is live until revoked.',
    rotate: 'bitbucket.org → Personal settings → App passwords / Access tokens; id.atlassian.com → Security → API tokens',
    patterns: [
      { anchors: ['ATBB'], re: /(?<![A-Za-z0-9_])ATBB[A-Za-z0-9]{32}[A-F0-9]{0,8}(?![A-Za-z0-9_])/, check: (m) => randomBody(m.slice(4), 3.5) },
      { anchors: ['ATCTT3xFfGN0', 'ATATT3xFfGF0'], re: /(?<![A-Za-z0-9_])AT(?:CTT3xFfGN0|ATT3xFfGF0)[A-Za-z0-9_=-]{60,}(?![A-Za-z0-9_])/ },
    ],
  },
  {
    kind: 'npm-token', provider: 'npm', label: 'npm token', category: 'code',
    format: '`npm_` + 36 characters; legacy UUID tokens as `_authToken=` in `.npmrc`',
    live: 'Granular and classic tokens are live until revoked or expired.',
    rotate: 'npmjs.com → Access Tokens',
    patterns: [{ anchors: ['npm_'], re: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/, check: (m) => randomBody(m.slice(4), 3.5) }],
    context: [{ names: /(?:^|_)(?:auth_?token|npm_?token)$/, value: UUID }],
  },
  {
    kind: 'pypi-token', provider: 'PyPI', label: 'PyPI API token', category: 'code',
    format: '`pypi-AgEIcHlwaS5vcmc…` (a macaroon, 150+ characters); TestPyPI `pypi-AgENdGVzdC5weXBp…`',
    live: 'TestPyPI tokens (`pypi-AgENdGVzdC5…`) only reach test.pypi.org, still a credential.',
    rotate: 'pypi.org → Account settings → API tokens',
    patterns: [{ anchors: ['pypi-Ag'], re: /(?<![A-Za-z0-9_-])pypi-Ag[A-Za-z0-9_-]{50,}(?![A-Za-z0-9_-])/, mode: (m) => m.startsWith('pypi-AgENdGVzdC5') ? 'test' : 'live' }],
  },
  {
    kind: 'dockerhub-token', provider: 'Docker Hub', label: 'Docker Hub access token', category: 'code',
    format: '`dckr_pat_` (personal) or `dckr_oat_` (organisation) + 27 or more characters',
    live: 'Every token is live until revoked.',
    rotate: 'hub.docker.com → Account settings → Personal access tokens',
    patterns: [{ anchors: ['dckr_pat_', 'dckr_oat_'], re: /(?<![A-Za-z0-9_])dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,}(?![A-Za-z0-9_-])/, check: (m) => randomBody(m.slice(9), 3.5) }],
  },
  {
    kind: 'codecov-token', provider: 'Codecov', label: 'Codecov upload token', category: 'code',
    format: 'A UUID under a name that mentions Codecov (`CODECOV_TOKEN`)',
    live: 'Every token is live.',
    rotate: 'app.codecov.io → repository → Settings → Regenerate token',
    context: [{ names: /(?:^|_)codecov(?:_|$)/, value: UUID }],
  },
  {
    kind: 'shopify-token', provider: 'Shopify', label: 'Shopify access token', category: 'code',
    format: '`shpat_`, `shpca_`, `shppa_` (access tokens) or `shpss_` (shared secret) + 32 hex',
    live: 'Every token is live.',
    rotate: 'Shopify admin → Apps → Develop apps → API credentials',
    patterns: [{ anchors: ['shpat_', 'shpca_', 'shppa_', 'shpss_'], re: /(?<![A-Za-z0-9_])shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![A-Za-z0-9_])/, check: (m) => randomBody(m.slice(6)) }],
  },
  {
    kind: 'vault-token', provider: 'HashiCorp Vault / Terraform Cloud', label: 'Vault or Terraform Cloud token', category: 'code',
    format: 'Vault `hvs.`/`hvb.` + 90 or more characters; Terraform Cloud `….atlasv1.…`',
    live: 'Live until revoked or its TTL ends.',
    rotate: '`vault token revoke`; app.terraform.io → User settings → Tokens',
    patterns: [
      { anchors: ['hvs.', 'hvb.'], re: /(?<![A-Za-z0-9_.])hv[sb]\.[A-Za-z0-9_-]{90,}(?![A-Za-z0-9_-])/ },
      { anchors: ['.atlasv1.'], back: { chars: /[A-Za-z0-9]/, max: 14 }, re: /(?<![A-Za-z0-9])[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}(?![A-Za-z0-9_=-])/ },
    ],
  },
  {
    kind: 'saas-token', provider: 'Other developer platforms', label: 'developer platform token', category: 'code',
    format: 'Linear `lin_api_`, Postman `PMAK-`, Doppler `dp.pt.`, New Relic `NRAK-`, Sentry `sntrys_`/`sntryu_`, Databricks `dapi`, Pulumi `pul-`, Figma `figd_`, Grafana `glsa_`, Notion `ntn_`, age `AGE-SECRET-KEY-1`',
    live: 'Each is a live credential of its service.',
    rotate: 'The token settings page of that service',
    patterns: [
      { anchors: ['lin_api_'], re: /(?<![A-Za-z0-9_])lin_api_[A-Za-z0-9]{40}(?![A-Za-z0-9_])/ },
      { anchors: ['PMAK-'], re: /(?<![A-Za-z0-9_-])PMAK-[a-f0-9]{24}-[a-f0-9]{34}(?![A-Za-z0-9_-])/ },
      { anchors: ['dp.pt.', 'dp.st.', 'dp.sa.'], re: /(?<![A-Za-z0-9_.])dp\.(?:pt|st|sa)\.[A-Za-z0-9]{40,44}(?![A-Za-z0-9_])/ },
      { anchors: ['NRAK-'], re: /(?<![A-Za-z0-9_-])NRAK-[A-Z0-9]{27}(?![A-Za-z0-9_-])/ },
      { anchors: ['sntrys_', 'sntryu_'], re: /(?<![A-Za-z0-9_])sntry[su]_[A-Za-z0-9_=+/]{60,}/ },
      { anchors: ['dapi'], re: /(?<![A-Za-z0-9_])dapi[a-f0-9]{32}(?:-\d)?(?![A-Za-z0-9_])/, check: (m) => randomBody(m.slice(4)) && /[a-f]/.test(m.slice(4)) && /\d/.test(m.slice(4)) },
      { anchors: ['pul-'], re: /(?<![A-Za-z0-9_-])pul-[a-f0-9]{40}(?![A-Za-z0-9_-])/ },
      { anchors: ['figd_'], re: /(?<![A-Za-z0-9_])figd_[A-Za-z0-9_-]{40,}(?![A-Za-z0-9_-])/ },
      { anchors: ['glsa_'], re: /(?<![A-Za-z0-9_])glsa_[A-Za-z0-9]{32}_[a-f0-9]{8}(?![A-Za-z0-9_])/ },
      { anchors: ['ntn_'], re: /(?<![A-Za-z0-9_])ntn_\d{11}[A-Za-z0-9]{35}(?![A-Za-z0-9_])/ },
      { anchors: ['AGE-SECRET-KEY-1'], re: /AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}/ },
    ],
  },
  // ---------------------------------------------------------------------------------------------------- payments
  {
    kind: 'stripe-secret-key', provider: 'Stripe', label: 'Stripe secret key', category: 'payments',
    format: '`sk_live_` / `sk_test_` + 24–247 characters',
    live: '`sk_live_` moves real money; `sk_test_` reaches test-mode data only (still a credential). Stripe’s documentation key `sk_test_4eC39HqLyjWDarjtT1zdp7dc` is not reported. `pk_live_`/`pk_test_` are publishable (public).',
    rotate: 'dashboard.stripe.com → Developers → API keys → Roll key',
    patterns: [{
      anchors: ['sk_live_', 'sk_test_'], re: /(?<![A-Za-z0-9])sk_(?:live|test)_[0-9A-Za-z]{10,247}(?![0-9A-Za-z])/,
      check: (m) => m !== 'sk_test_4eC39HqLyjWDarjtT1zdp7dc' && randomBody(m.slice(8)),
      mode: (m) => m.startsWith('sk_test_') ? 'test' : 'live',
    }],
  },
  {
    kind: 'stripe-restricted-key', provider: 'Stripe', label: 'Stripe restricted key', category: 'payments',
    format: '`rk_live_` / `rk_test_` + 24–247 characters',
    live: '`rk_live_` is live; `rk_test_` is test mode.',
    rotate: 'dashboard.stripe.com → Developers → API keys → restricted keys',
    patterns: [{
      anchors: ['rk_live_', 'rk_test_'], re: /(?<![A-Za-z0-9])rk_(?:live|test)_[0-9A-Za-z]{10,247}(?![0-9A-Za-z])/,
      check: (m) => randomBody(m.slice(8)), mode: (m) => m.startsWith('rk_test_') ? 'test' : 'live',
    }],
  },
  {
    kind: 'stripe-webhook-secret', provider: 'Stripe', label: 'Stripe webhook signing secret', category: 'payments',
    format: '`whsec_` + 32 or more characters',
    live: 'Signs webhook payloads: whoever has it can forge events.',
    rotate: 'dashboard.stripe.com → Developers → Webhooks → endpoint → Roll secret',
    patterns: [{ anchors: ['whsec_'], re: /(?<![A-Za-z0-9_])whsec_[A-Za-z0-9+/=]{32,}(?![A-Za-z0-9_])/, check: (m) => randomBody(m.slice(6)) }],
  },
  {
    kind: 'stripe-publishable-key', provider: 'Stripe', label: 'Stripe publishable key', category: 'payments', public: true,
    format: '`pk_live_` / `pk_test_` + characters',
    live: 'Public by design (shipped to browsers): never reported.',
    rotate: '—',
    patterns: [{ anchors: ['pk_live_', 'pk_test_'], re: /(?<![A-Za-z0-9])pk_(?:live|test)_[0-9A-Za-z]{10,247}(?![0-9A-Za-z])/, mode: () => 'public' }],
  },
  {
    kind: 'square-token', provider: 'Square', label: 'Square access token or secret', category: 'payments',
    format: 'Access tokens `EAAA…` (64 characters) or legacy `sq0atp-…`; application secrets `sq0csp-…`',
    live: 'Sandbox and production tokens share the shape; both are credentials. Application ids (`sq0idp-`, `sandbox-sq0idb-`) are public.',
    rotate: 'developer.squareup.com → Applications → Credentials → Replace',
    patterns: [
      { anchors: ['sq0atp-', 'sq0csp-'], re: /(?<![A-Za-z0-9_-])sq0(?:atp-[0-9A-Za-z_-]{22}|csp-[0-9A-Za-z_-]{43})(?![A-Za-z0-9_-])/ },
      { anchors: ['EAAA'], re: /(?<![A-Za-z0-9_-])EAAA[A-Za-z0-9_+=-]{60}(?![A-Za-z0-9_+=-])/, check: (m) => randomBody(m.slice(4), 4) },
    ],
  },
  {
    kind: 'braintree-token', provider: 'PayPal / Braintree', label: 'PayPal/Braintree access token', category: 'payments',
    format: '`access_token$production$…$…` or `access_token$sandbox$…`; PayPal REST client secrets under a name that mentions PayPal',
    live: '`$production$` is live; `$sandbox$` is the sandbox.',
    rotate: 'Braintree control panel → API keys; developer.paypal.com → Apps & Credentials',
    patterns: [{
      anchors: ['access_token$'], re: /access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32}/,
      mode: (m) => m.includes('$sandbox$') ? 'test' : 'live',
    }],
    context: [{ names: /(?:^|_)paypal(?:_|$).*secret/, value: /^[A-Za-z0-9_-]{60,90}$/ }],
  },
  // ------------------------------------------------------------------------------------------ messaging, e-mail
  {
    kind: 'slack-token', provider: 'Slack', label: 'Slack token', category: 'messaging',
    format: '`xoxb-` (bot), `xoxp-` (user), `xoxa-`/`xoxr-`/`xoxs-`/`xoxe-` and `xapp-` (app-level)',
    live: 'Every token is live until revoked.',
    rotate: 'api.slack.com/apps → your app → OAuth & Permissions → Revoke / reinstall',
    patterns: [
      { anchors: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xoxe-', 'xoxe.'], re: /(?<![A-Za-z0-9])xox(?:[abprs]|e\.xox[bp]|e)-\d*-?[0-9A-Za-z]{6,}-[0-9A-Za-z-]{6,}/, check: (m) => randomBody(m.slice(5), 3) },
      { anchors: ['xapp-'], re: /(?<![A-Za-z0-9])xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]{32,}/ },
    ],
  },
  {
    kind: 'slack-webhook', provider: 'Slack', label: 'Slack webhook URL', category: 'messaging',
    format: '`https://hooks.slack.com/services/T…/B…/…` (and `/workflows/`, `/triggers/`)',
    live: 'Anyone with the URL can post to the channel.',
    rotate: 'api.slack.com/apps → Incoming Webhooks → remove and add a new one',
    patterns: [{ anchors: ['hooks.slack.com/'], back: { chars: /[a-z:/]/, max: 8 }, re: /https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_]{6,}\/[A-Za-z0-9_]{6,}\/[A-Za-z0-9_]{12,}/, check: (m) => randomBody(m.slice(m.lastIndexOf('/') + 1)) }],
  },
  {
    kind: 'discord-webhook', provider: 'Discord', label: 'Discord webhook URL', category: 'messaging',
    format: '`https://discord.com/api/webhooks/<id>/<68-character token>` (also `discordapp.com`, `ptb.`, `canary.`); bot tokens `<base64 id>.<6>.<27+>`',
    live: 'Anyone with the URL can post to the channel; a bot token controls the bot.',
    rotate: 'Channel settings → Integrations → Webhooks → delete; Developer portal → Bot → Reset Token',
    context: [{ names: /(?:^|_)(?:discord|bot)(?:_|$)/, value: /^[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}$/ }],
    patterns: [
      { anchors: ['/api/webhooks/'], back: { chars: /[a-z.:/]/, max: 30 }, re: /https?:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{15,20}\/[A-Za-z0-9_-]{60,70}/, check: (m) => randomBody(m.slice(m.lastIndexOf('/') + 1)) },
    ],
  },
  {
    kind: 'telegram-bot-token', provider: 'Telegram', label: 'Telegram bot token', category: 'messaging',
    format: '`<8–10 digit bot id>:AA` + 33 characters',
    live: 'Every token is live.',
    rotate: 'Talk to @BotFather → /revoke',
    patterns: [{ anchors: [':AA'], back: { chars: /\d/, max: 10 }, re: /(?:(?<![A-Za-z0-9_])|(?<=\/bot))\d{8,10}:AA[0-9A-Za-z_-]{33}(?![A-Za-z0-9_-])/, check: (m) => randomBody(m.slice(m.indexOf(':') + 3), 3.5) }],
  },
  {
    kind: 'twilio-api-key', provider: 'Twilio', label: 'Twilio API key or auth token', category: 'messaging',
    format: 'API key SIDs `SK` + 32 hex (with their secret); auth tokens: 32 hex under a name that mentions Twilio. Account SIDs (`AC…`) are identifiers, not secrets.',
    live: 'Test credentials have their own account SID; both are credentials.',
    rotate: 'console.twilio.com → Account → API keys & tokens',
    patterns: [{ anchors: ['SK'], re: /(?<![A-Za-z0-9])SK[0-9a-f]{32}(?![0-9A-Za-z])/, check: (m) => /[a-f]/.test(m.slice(2)) && /\d/.test(m.slice(2)) && randomBody(m.slice(2)), anywhere: false }],
    context: [{ names: /(?:^|_)twilio(?:_|$)/, value: /^[0-9a-f]{32}$/ }],
  },
  {
    kind: 'sendgrid-api-key', provider: 'SendGrid', label: 'SendGrid API key', category: 'messaging',
    format: '`SG.` + 22 characters + `.` + 43 characters',
    live: 'Every key is live.',
    rotate: 'app.sendgrid.com → Settings → API Keys',
    patterns: [{ anchors: ['SG.'], re: /(?<![A-Za-z0-9])SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}(?![A-Za-z0-9_-])/, check: (m) => randomBody(m.slice(3)) }],
  },
  {
    kind: 'mailgun-api-key', provider: 'Mailgun', label: 'Mailgun API key', category: 'messaging',
    format: '`key-` + 32 hex (legacy), or `<32 hex>-<8 hex>-<8 hex>` private API keys',
    live: 'Every key is live. The public validation key (`pubkey-…`) is public.',
    rotate: 'app.mailgun.com → API Security → rotate',
    context: [{ names: /(?:^|_)mailgun(?:_|$)/, value: /^[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}$/ }],
    patterns: [
      { anchors: ['key-'], re: /(?<![A-Za-z0-9_-])key-[0-9a-f]{32}(?![A-Za-z0-9_-])/, check: (m) => randomBody(m.slice(4)) && /\d/.test(m) && /[a-f]/.test(m.slice(4)) },
    ],
  },
  {
    kind: 'mailchimp-api-key', provider: 'Mailchimp', label: 'Mailchimp API key', category: 'messaging',
    format: '32 hex + `-us` + data-centre number',
    live: 'Every key is live.',
    rotate: 'Mailchimp → Account → Extras → API keys',
    patterns: [{ anchors: ['-us'], back: { chars: /[0-9a-f]/, max: 32 }, re: /(?<![A-Za-z0-9_])[0-9a-f]{32}-us\d{1,2}(?![A-Za-z0-9_])/, check: (m) => randomBody(m.slice(0, 32)) }],
  },
  {
    kind: 'postmark-token', provider: 'Postmark', label: 'Postmark server or account token', category: 'messaging',
    format: 'A UUID under a name that mentions Postmark (`POSTMARK_SERVER_TOKEN`, `X-Postmark-Server-Token`)',
    live: 'The test token `POSTMARK_API_TEST` is not a secret.',
    rotate: 'account.postmarkapp.com → Servers → API Tokens',
    context: [{ names: /(?:^|_)postmark(?:_|$)/, value: UUID }],
  },
  // ---------------------------------------------------------------------------------------------------- backends
  {
    kind: 'supabase-service-role-key', provider: 'Supabase', label: 'Supabase service-role key', category: 'backend',
    format: 'A Supabase JWT whose `role` is `service_role`; new secret keys `sb_secret_…`',
    live: 'The anon key (JWT `role: anon`) and `sb_publishable_…` keys are public and not reported. The service-role key bypasses row-level security.',
    rotate: 'supabase.com/dashboard → Project settings → API → roll the JWT secret / API keys',
    patterns: [
      { anchors: ['eyJ'], re: JWT_RE, check: (m) => supabaseRole(m) === 'service_role' },
      { anchors: ['sb_secret_'], re: /(?<![A-Za-z0-9_])sb_secret_[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])/ },
    ],
  },
  {
    kind: 'supabase-anon-key', provider: 'Supabase', label: 'Supabase anon/publishable key', category: 'backend', public: true,
    format: 'A Supabase JWT with `role: anon`; `sb_publishable_…`',
    live: 'Public by design (row-level security protects the data): never reported.',
    rotate: '—',
    patterns: [
      { anchors: ['eyJ'], re: JWT_RE, check: (m) => supabaseRole(m) === 'anon', mode: () => 'public' },
      { anchors: ['sb_publishable_'], re: /(?<![A-Za-z0-9_])sb_publishable_[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])/, mode: () => 'public' },
    ],
  },
  {
    kind: 'firebase-admin-credentials', provider: 'Firebase', label: 'Firebase admin credentials', category: 'backend',
    format: 'Service-account JSON with a `firebase-adminsdk` client e-mail and a `private_key`; legacy FCM server keys `AAAA…:APA91b…`',
    live: 'The web config `apiKey` (`AIza…` next to `authDomain`/`projectId`) is public by design and not reported.',
    rotate: 'Firebase console → Project settings → Service accounts → Generate new private key (delete the old key in Google Cloud IAM)',
    patterns: [{ anchors: [':APA91b'], back: { chars: /[A-Za-z0-9_-]/, max: 12 }, re: /(?<![A-Za-z0-9_-])AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{130,140}(?![A-Za-z0-9_-])/ }],
  },
  {
    kind: 'auth0-client-secret', provider: 'Auth0', label: 'Auth0 client secret', category: 'backend', rotating: true,
    format: 'A 64-character client secret under a name that mentions Auth0 (`AUTH0_CLIENT_SECRET`), or any `clientSecret`',
    live: 'Client ids (`AUTH0_CLIENT_ID`) and domains are not secrets.',
    rotate: 'manage.auth0.com → Applications → your app → Settings → Rotate secret',
    context: [{ names: /(?:^|_)auth0(?:_|$).*(?:secret|token)/, value: /^[A-Za-z0-9_-]{32,128}$/ }],
  },
  {
    kind: 'okta-token', provider: 'Okta', label: 'Okta API token or client secret', category: 'backend', rotating: true,
    format: '`00` + 40 characters under a name that mentions Okta, or in an `Authorization: SSWS …` header',
    live: 'Every token is live while its admin is active.',
    rotate: 'Okta admin console → Security → API → Tokens (client secrets: Applications → General → Client credentials)',
    patterns: [{ anchors: ['SSWS '], re: /SSWS 00[A-Za-z0-9_-]{40}(?![A-Za-z0-9_-])/ }],
    context: [{ names: /(?:^|_)okta(?:_|$)/, value: /^00[A-Za-z0-9_-]{40}$|^[A-Za-z0-9_-]{40,64}$/ }],
  },
  {
    kind: 'mapbox-token', provider: 'Mapbox', label: 'Mapbox secret token', category: 'backend',
    format: '`sk.eyJ…` (secret); `pk.eyJ…` tokens are public',
    live: '`pk.` tokens are public by design (browsers) and not reported; `sk.` tokens are secret.',
    rotate: 'account.mapbox.com → Access tokens',
    patterns: [
      { anchors: ['sk.eyJ'], re: /(?<![A-Za-z0-9_.-])sk\.eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])/ },
      { anchors: ['pk.eyJ'], re: /(?<![A-Za-z0-9_.-])pk\.eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])/, mode: () => 'public' },
    ],
  },
  // -------------------------------------------------------------------------------------------------- structural
  {
    kind: 'private-key', provider: 'Private key', label: 'private key', category: 'structural',
    format: 'PEM (`-----BEGIN [RSA |EC |DSA |ENCRYPTED |PGP ]PRIVATE KEY-----` with a key body, also with escaped `\\n` inside `.env` or JSON), OpenSSH (`-----BEGIN OPENSSH PRIVATE KEY-----`), PuTTY (`PuTTY-User-Key-File-2/3`), and key files (`.pem`, `.key`, `id_rsa`, `.p12`, `.pfx`)',
    live: 'A header without a key body (a parser’s constant) is not reported. Placeholders are judged on the key’s variable part, never on fixed headers.',
    rotate: 'Generate a new key pair, replace the public half wherever it is trusted (servers, certificates, deploy keys), delete the old one',
  },
  {
    kind: 'connection-string-password', provider: 'Connection string', label: 'connection string with an embedded password', category: 'structural', rotating: true,
    format: '`scheme://user:password@host` for any scheme (postgres, mysql, mongodb+srv, redis, amqp, smtp, jdbc:…, …); `Password=`/`Pwd=` in ADO.NET/ODBC strings',
    live: 'Templated (`${DB_PASS}`), placeholder (`<password>`, `changeme`) and default passwords on local hosts are not reported; hosts reserved for documentation (`example.com`, `.test`) are not.',
    rotate: 'Change the database user’s password (Secrets Manager rotation does this on a schedule)',
  },
  {
    kind: 'basic-auth', provider: 'HTTP basic auth', label: 'basic-auth credential', category: 'structural', rotating: true,
    format: '`https://user:password@host` URLs, `Authorization: Basic <base64 of user:password>` headers, `btoa(\'user:pass\')`, `curl -u user:pass`',
    live: 'Decoded and judged like a password: placeholders and words are not reported.',
    rotate: 'Change the password of that account',
  },
  {
    kind: 'jwt-secret', provider: 'JWT signing secret', label: 'JWT signing secret', category: 'structural',
    format: 'The key passed to `jwt.sign`/`jwt.verify`/`createHmac`, or under `JWT_SECRET`, `jwtSecret`, `signingSecret`',
    live: 'Whoever has it can mint valid tokens for every user.',
    rotate: 'Generate a new secret, store it in Secrets Manager, and invalidate outstanding tokens',
  },
  {
    kind: 'jwt', provider: 'JSON Web Token', label: 'JSON Web Token', category: 'structural',
    format: 'A signed JWT (`eyJ….eyJ….…`) under a secret name or in an `Authorization: Bearer` header',
    live: 'Expired tokens (`exp` in the past), unsigned tokens (`alg: none`, empty signature) and jwt.io’s sample are not reported.',
    rotate: 'Revoke the session or token at its issuer',
  },
  {
    kind: 'encoded-secret', provider: 'Encoded secret', label: 'base64- or hex-encoded secret', category: 'structural',
    format: 'Base64 or hex text that decodes to any of the above (a PEM key, a provider key, `user:password`): decoded and checked again',
    live: 'Judged like the decoded value.',
    rotate: 'As for the decoded secret',
  },
];

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
