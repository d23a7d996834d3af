// Catalog entries: messaging and e-mail, app backends, and the structural kinds (keys, connection strings, JWTs).
import { randomBody, JWT_RE, UUID, supabaseRole, type CatalogEntry } from './catalog-model';

export const MESSAGING_BACKEND_AND_STRUCTURAL: readonly CatalogEntry[] = [
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
