// Catalog entries: AI providers and cloud platforms (assembled in `catalog.ts`).
import { hasUpperLowerDigit, shannonEntropy, randomBody, UUID, type CatalogEntry } from './catalog-model';

export const AI_AND_CLOUD: readonly CatalogEntry[] = [
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
];
