// Catalog entries: code hosting, package registries, developer platforms and payments (assembled in `catalog.ts`).
import { randomBody, UUID, type CatalogEntry } from './catalog-model';

export const CODE_AND_PAYMENTS: readonly CatalogEntry[] = [
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
];
