import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CATALOG, catalogMarkdown, classifySecret } from '../../../src/core/secrets';
import { repoRoot } from '../../support/paths';
import { fakeJwt, fresh, freshHex, freshOpenSshKey, freshPem, freshUuid } from './fakes';
import { assertNoLeak, only, scan } from './helpers';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const j = (...p: string[]) => p.join('');

/** A freshly generated value of each provider's format, with the name it would sit under (for context-only providers). */
const SAMPLES: Record<string, { value: () => string; name?: string }[]> = {
  'openai-api-key': [{ value: () => j('sk-', 'proj-', fresh(74, URLSAFE), 'T3BlbkFJ', fresh(74, URLSAFE)) }, { value: () => j('sk-', fresh(20), 'T3BlbkFJ', fresh(20)) }, { value: () => j('sk-', 'svcacct-', fresh(60)) }],
  'anthropic-api-key': [{ value: () => j('sk-ant-', 'api03-', fresh(93, URLSAFE), 'AA') }, { value: () => j('sk-ant-', 'admin01-', fresh(93, URLSAFE), 'AA') }],
  'google-api-key': [{ value: () => j('AI', 'zaSy', fresh(33, URLSAFE)) }],
  'huggingface-token': [{ value: () => j('hf', '_', fresh(34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')) }],
  'cohere-api-key': [{ value: () => fresh(40), name: 'COHERE_API_KEY' }],
  'replicate-api-token': [{ value: () => j('r8', '_', fresh(37)) }],
  'groq-api-key': [{ value: () => j('gs', 'k_', fresh(52)) }],
  'xai-api-key': [{ value: () => j('xa', 'i-', fresh(80)) }],
  'perplexity-api-key': [{ value: () => j('pp', 'lx-', fresh(48)) }],
  'aws-access-key-id': [{ value: () => j('AK', 'IA', fresh(16, UPPER)) }, { value: () => j('AS', 'IA', fresh(16, UPPER)) }],
  'aws-session-token': [{ value: () => j('IQoJb3JpZ2luX2Vj', fresh(300, B64)) }],
  'azure-storage-key': [{ value: () => j('DefaultEndpointsProtocol=https;AccountName=acme;', 'AccountKey=', fresh(86, B64), '==;EndpointSuffix=core.windows.net') }, { value: () => j(fresh(86, B64), '=='), name: 'AZURE_STORAGE_KEY' }],
  'azure-sas-token': [{ value: () => j('https://acme.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&', 'sig=', fresh(43, B64), '%3D') }],
  'azure-ad-client-secret': [{ value: () => j(fresh(3), '8Q~', fresh(34, URLSAFE.replace('-', '') + '~.')) }],
  'digitalocean-token': [{ value: () => j('dop', '_v1_', freshHex(64)) }],
  'cloudflare-api-token': [{ value: () => fresh(40, URLSAFE), name: 'CLOUDFLARE_API_TOKEN' }, { value: () => j('v1.0-', freshHex(24), '-', freshHex(146)) }],
  'heroku-api-key': [{ value: freshUuid, name: 'HEROKU_API_KEY' }, { value: () => j('HRKU', '-AA', fresh(58, URLSAFE)) }],
  'github-token': [{ value: () => j('gh', 'p_', fresh(36)) }, { value: () => j('gh', 's_', fresh(36)) }, { value: () => j('github', '_pat_', '11', fresh(20, UPPER), '_', fresh(59)) }],
  'gitlab-token': [{ value: () => j('gl', 'pat-', fresh(20, URLSAFE)) }, { value: () => j('gl', 'rt-', fresh(20, URLSAFE)) }],
  'bitbucket-token': [{ value: () => j('AT', 'BB', fresh(32), fresh(8, '0123456789ABCDEF')) }, { value: () => j('ATATT3xFfGF0', fresh(180, URLSAFE + '=')) }],
  'npm-token': [{ value: () => j('np', 'm_', fresh(36)) }, { value: freshUuid, name: '_authToken' }],
  'pypi-token': [{ value: () => j('pypi-', 'AgEIcHlwaS5vcmc', fresh(150, URLSAFE)) }],
  'dockerhub-token': [{ value: () => j('dckr', '_pat_', fresh(27, URLSAFE)) }],
  'codecov-token': [{ value: freshUuid, name: 'CODECOV_TOKEN' }],
  'shopify-token': [{ value: () => j('shp', 'at_', freshHex(32)) }],
  'vault-token': [{ value: () => j('hv', 's.', fresh(96, URLSAFE)) }],
  'saas-token': [{ value: () => j('lin', '_api_', fresh(40)) }, { value: () => j('PM', 'AK-', freshHex(24), '-', freshHex(34)) }, { value: () => j('NR', 'AK-', fresh(27, UPPER)) }],
  'stripe-secret-key': [{ value: () => j('sk', '_live_', fresh(99)) }, { value: () => j('sk', '_test_', fresh(24)) }],
  'stripe-restricted-key': [{ value: () => j('rk', '_live_', fresh(99)) }],
  'stripe-webhook-secret': [{ value: () => j('wh', 'sec_', fresh(32)) }],
  'square-token': [{ value: () => j('EA', 'AA', fresh(60, URLSAFE)) }, { value: () => j('sq0', 'csp-', fresh(43, URLSAFE)) }],
  'braintree-token': [{ value: () => j('access_token', '$production$', fresh(16, 'abcdefghijklmnopqrstuvwxyz0123456789'), '$', freshHex(32)) }, { value: () => j('E', fresh(79, URLSAFE)), name: 'PAYPAL_CLIENT_SECRET' }],
  'slack-token': [{ value: () => j('xo', 'xb-', fresh(12, '0123456789'), '-', fresh(13, '0123456789'), '-', fresh(24)) }],
  'slack-webhook': [{ value: () => j('https://hooks.slack', '.com/services/T', fresh(8, UPPER), '/B', fresh(10, UPPER), '/', fresh(24)) }],
  'discord-webhook': [{ value: () => j('https://discord.com/api/', 'webhooks/', fresh(19, '0123456789'), '/', fresh(68, URLSAFE)) }],
  'telegram-bot-token': [{ value: () => j(fresh(10, '0123456789'), ':AA', fresh(33, URLSAFE)) }],
  'twilio-api-key': [{ value: () => j('S', 'K', freshHex(32)) }, { value: () => freshHex(32), name: 'TWILIO_AUTH_TOKEN' }],
  'sendgrid-api-key': [{ value: () => j('S', 'G.', fresh(22, URLSAFE), '.', fresh(43, URLSAFE)) }],
  'mailgun-api-key': [{ value: () => j('ke', 'y-', freshHex(32)) }, { value: () => j(freshHex(32), '-', freshHex(8), '-', freshHex(8)), name: 'MAILGUN_API_KEY' }],
  'mailchimp-api-key': [{ value: () => j(freshHex(32), '-us', '14') }],
  'postmark-token': [{ value: freshUuid, name: 'POSTMARK_SERVER_TOKEN' }],
  'supabase-service-role-key': [{ value: () => fakeJwt({ iss: 'supabase', ref: fresh(20, 'abcdefghijklmnopqrst'), role: 'service_role', iat: 1717000000, exp: 2032576000 }) }, { value: () => j('sb_', 'secret_', fresh(32, URLSAFE)) }],
  'firebase-admin-credentials': [{ value: () => j('AAAA', fresh(7, URLSAFE), ':APA91b', fresh(134, URLSAFE)) }],
  'auth0-client-secret': [{ value: () => fresh(64, URLSAFE), name: 'AUTH0_CLIENT_SECRET' }],
  'okta-token': [{ value: () => j('00', fresh(40, URLSAFE)), name: 'OKTA_API_TOKEN' }, { value: () => j('SSWS ', '00', fresh(40, URLSAFE)) }],
  'mapbox-token': [{ value: () => j('s', 'k.eyJ1IjoiYWNtZSIsImEiOiJ', fresh(24), '.', fresh(22, URLSAFE)) }],
  'private-key': [{ value: freshPem }, { value: () => freshOpenSshKey() }, { value: () => freshPem().replace(/\n/g, '\\n') }],
  'connection-string-password': [{ value: () => j('mongodb+srv://app:', fresh(16), '@cluster0.x1y2z.mongodb.net/app') }, { value: () => j('smtp://mailer:', fresh(14), '@smtp.mailgun.org:587') }],
  'basic-auth': [{ value: () => j('https://deploy:', fresh(14), '@registry.acme-corp.io/') }, { value: () => j('Basic ', Buffer.from(`svc:${fresh(16)}`).toString('base64')) }],
};

/** Public by design: never reported, whatever the name. */
const PUBLIC: Record<string, () => string> = {
  'stripe-publishable-key': () => j('pk', '_live_', fresh(99)),
  'supabase-anon-key': () => fakeJwt({ iss: 'supabase', ref: fresh(20, 'abcdefghijklmnopqrst'), role: 'anon', iat: 1717000000, exp: 2032576000 }),
};

describe('provider catalog', () => {
  it('has one entry per provider the issue names, each with format, live/test/public and where to rotate', () => {
    const providers = CATALOG.map((e) => e.provider).join(' | ');
    for (const p of ['OpenAI', 'Anthropic', 'Gemini', 'Hugging Face', 'Cohere', 'Replicate', 'Groq', 'AWS', 'Google Cloud', 'Azure Storage',
      'Azure AD', 'DigitalOcean', 'Cloudflare', 'Heroku', 'GitHub', 'GitLab', 'Bitbucket', 'npm', 'PyPI', 'Docker Hub', 'Stripe', 'Square',
      'PayPal', 'Braintree', 'Slack', 'Discord', 'Telegram', 'Twilio', 'SendGrid', 'Mailgun', 'Mailchimp', 'Postmark', 'Supabase', 'Firebase',
      'Auth0', 'Okta', 'Mapbox', 'Private key', 'Connection string', 'HTTP basic auth', 'JWT signing secret', 'Encoded secret']) {
      assert.ok(providers.includes(p), `catalog lacks ${p}`);
    }
    for (const e of CATALOG) {
      assert.ok(e.format && e.live && e.rotate && e.label, `${e.kind} is incomplete`);
      assert.equal(CATALOG.filter((x) => x.kind === e.kind).length, 1, `${e.kind} appears twice`);
    }
  });

  it('every reported kind with a format or a context has a freshly generated sample below', () => {
    const missing = CATALOG.filter((e) => !e.public && (e.patterns?.length || e.context?.length) && !SAMPLES[e.kind]).map((e) => e.kind);
    assert.deepEqual(missing, []);
  });

  for (const [kind, samples] of Object.entries(SAMPLES)) {
    it(`recognises ${kind} (high confidence, provider in data, value never echoed)`, () => {
      for (const s of samples) {
        const value = s.value();
        const m = classifySecret(value, s.name);
        assert.equal(m?.kind === kind || (kind === 'private-key' && m?.kind === 'private-key'), true, `${kind}: got ${m?.kind}`);
        assert.equal(m?.confidence, 'high');
        const code = `export const ${s.name && /^[A-Za-z_]\w*$/.test(s.name) ? s.name : 'config'} = ${JSON.stringify(value)};`;
        const found = only(scan('src/app.ts', code), 'hardcoded-secret');
        assert.equal(found.length, 1, `${kind} in source: ${JSON.stringify(found.map((f) => f.data))}`);
        assert.equal(found[0].data?.kind, kind);
        assert.ok(found[0].data?.provider && found[0].data?.provider !== 'generic');
        assertNoLeak(found, value);
        assert.ok(found[0].message.length > 0 && !found[0].message.includes(value.slice(4, 20)));
      }
    });
  }

  it('public keys are never reported, even under a secret name', () => {
    for (const [kind, gen] of Object.entries(PUBLIC)) {
      const v = gen();
      assert.equal(classifySecret(v, 'secretKey'), undefined, kind);
      assert.deepEqual(only(scan('src/app.ts', `const apiKey = '${v}'; // ${v}`), 'hardcoded-secret'), [], kind);
    }
  });

  it('a UUID is a secret only under a provider that issues UUID tokens', () => {
    const u = freshUuid();
    for (const name of ['HEROKU_API_KEY', 'herokuApiKey', 'CODECOV_TOKEN', 'POSTMARK_SERVER_TOKEN']) assert.equal(classifySecret(u, name)?.confidence, 'high', name);
    for (const name of ['clientToken', 'requestId', 'token', 'idempotencyToken', 'sessionId', 'apiKeyId']) assert.equal(classifySecret(u, name), undefined, name);
  });

  it('docs/rules/hardcoded-secret.md renders the current catalog (run `npm run docs:secrets` after changing it)', () => {
    const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'rules', 'hardcoded-secret.md'), 'utf8');
    const m = /<!-- catalog:start -->\n([\s\S]*?)<!-- catalog:end -->/.exec(doc);
    assert.ok(m, 'the doc has catalog markers');
    assert.equal(m[1], catalogMarkdown());
  });
});
