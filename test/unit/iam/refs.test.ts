// Reference extraction: names, operations and decryption per handler, following calls and IaC environments.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { fileReferences, handlerReferences, type EnvMap } from '../../../src/core/iam';
import type { ProjectContext } from '../../../src/core/types';
import { functionsOf } from './helpers';

function memProject(files: Record<string, string>): ProjectContext {
  return { readFile: (p) => files[path.posix.normalize(p)], dependenciesOf: () => new Set() };
}

function refsOf(files: Record<string, string>, entry: string, exportName = 'handler', env?: EnvMap) {
  const r = handlerReferences(entry, files[entry], exportName, memProject(files), env);
  return {
    refs: r.refs.map((x) => `${x.kind}:${x.op}:${x.name}${x.prefix ? '*' : ''}${x.decrypt ? ':decrypt' : ''}`).sort(),
    unresolved: r.unresolved.map((u) => `${u.kind}:${u.op}:${u.hint ?? '?'}`),
  };
}

const SSM = "import { SSMClient, GetParameterCommand, GetParametersCommand, GetParametersByPathCommand } from '@aws-sdk/client-ssm';\nconst ssm = new SSMClient({});\n";
const SM = "import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';\nconst sm = new SecretsManagerClient({});\n";

describe('iam reference extraction', () => {
  it('literal names, every SDK operation, decryption only where asked', () => {
    const r = refsOf({
      '/p/h.ts': SSM + SM + `const NAMES = ['/app/prod/d'];
      export const handler = async () => {
        await ssm.send(new GetParameterCommand({ Name: '/app/prod/a', WithDecryption: true }));
        await ssm.send(new GetParametersCommand({ Names: ['/app/prod/b', '/app/prod/c'] }));
        await ssm.send(new GetParametersCommand({ Names: NAMES }));
        await ssm.send(new GetParametersByPathCommand({ Path: '/app/prod/flags/', Recursive: true }));
        await sm.send(new GetSecretValueCommand({ SecretId: 'app/prod/db' }));
      };`,
    }, '/p/h.ts');
    assert.deepEqual(r.refs, [
      'parameter:GetParameter:/app/prod/a:decrypt', 'parameter:GetParameters:/app/prod/b', 'parameter:GetParameters:/app/prod/c',
      'parameter:GetParameters:/app/prod/d', 'parameter:GetParametersByPath:/app/prod/flags', 'secret:GetSecretValue:app/prod/db',
    ]);
    assert.deepEqual(r.unresolved, []);
  });

  it('template literals and concatenations with a literal prefix become prefix references', () => {
    const r = refsOf({
      '/p/h.ts': SSM + `export const handler = async (event: { id: string; k: string }) => {
        await ssm.send(new GetParameterCommand({ Name: \`/app/prod/tenants/\${event.id}\` }));
        await ssm.send(new GetParameterCommand({ Name: '/app/prod/keys/' + event.k }));
        await ssm.send(new GetParameterCommand({ Name: \`\${event.k}/x\` }));
      };`,
    }, '/p/h.ts');
    assert.deepEqual(r.refs, ['parameter:GetParameter:/app/prod/keys/*', 'parameter:GetParameter:/app/prod/tenants/*']);
    assert.equal(r.unresolved.length, 1, 'a name with no literal prefix is unresolved');
  });

  it('process.env resolved from the IaC environment (prefix + literal = exact name); unknown env stays unresolved', () => {
    const files = {
      '/p/h.ts': SSM + `const { TABLE_PARAM } = process.env;
      export const handler = async () => {
        await ssm.send(new GetParameterCommand({ Name: process.env.PARAM_PREFIX + 'db-password', WithDecryption: true }));
        await ssm.send(new GetParameterCommand({ Name: TABLE_PARAM }));
        await ssm.send(new GetParameterCommand({ Name: process.env['MISSING'] }));
      };`,
    };
    const env = new Map([['PARAM_PREFIX', '/my-app/prod/'], ['TABLE_PARAM', '/app/prod/table']]);
    const r = refsOf(files, '/p/h.ts', 'handler', env);
    assert.deepEqual(r.refs, ['parameter:GetParameter:/app/prod/table', 'parameter:GetParameter:/my-app/prod/db-password:decrypt']);
    assert.deepEqual(r.unresolved, ['parameter:GetParameter:MISSING']);
    // Without the IaC, the same code has nothing static to offer.
    assert.equal(refsOf(files, '/p/h.ts').refs.length, 0);
  });

  it('a default after ?? is used only when the variable is unknown', () => {
    const files = { '/p/h.ts': SSM + "export const handler = async () => ssm.send(new GetParameterCommand({ Name: process.env.P ?? '/app/dev/x' }));" };
    assert.deepEqual(refsOf(files, '/p/h.ts').refs, ['parameter:GetParameter:/app/dev/x']);
    assert.deepEqual(refsOf(files, '/p/h.ts', 'handler', new Map([['P', '/app/prod/x']])).refs, ['parameter:GetParameter:/app/prod/x']);
  });

  it('Powertools: getParameter, getSecret, getParameters(path), getParametersByName', () => {
    const r = refsOf({
      '/p/h.ts': `import { getParameter, getParameters, getParametersByName } from '@aws-lambda-powertools/parameters/ssm';
      import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
      export const handler = async () => {
        await getParameter('/app/prod/key', { decrypt: true });
        await getParameters('/app/prod/config/');
        await getParametersByName({ '/app/prod/a': {}, '/app/prod/b': { decrypt: true } });
        await getSecret('app/prod/token');
      };`,
    }, '/p/h.ts');
    assert.deepEqual(r.refs, [
      'parameter:GetParameter:/app/prod/key:decrypt', 'parameter:GetParameters:/app/prod/a', 'parameter:GetParameters:/app/prod/b',
      'parameter:GetParametersByPath:/app/prod/config', 'secret:GetSecretValue:app/prod/token',
    ]);
  });

  it('follows calls into same-file functions and relative imports, binding arguments to parameters', () => {
    const r = refsOf({
      '/p/src/h.ts': `import { readSecret } from './lib/secrets';
      import * as cfg from './lib/cfg';
      const load = (n: string) => readSecret(n);
      export const handler = async () => { await load('app/prod/stripe'); await cfg.flags(); };
      export const other = async () => { await readSecret('app/prod/not-this-handler'); };`,
      '/p/src/lib/secrets.ts': SM + 'export async function readSecret(id: string) { return sm.send(new GetSecretValueCommand({ SecretId: id })); }',
      '/p/src/lib/cfg.ts': SSM + "export async function flags() { return ssm.send(new GetParameterCommand({ Name: '/app/prod/flags' })); }\nexport async function unused() { return ssm.send(new GetParameterCommand({ Name: '/app/prod/unused' })); }",
    }, '/p/src/h.ts');
    assert.deepEqual(r.refs, ['parameter:GetParameter:/app/prod/flags', 'secret:GetSecretValue:app/prod/stripe']);
  });

  it('module-scope fetches count for every handler of the file; another handler\'s body does not', () => {
    const files = {
      '/p/h.ts': SSM + `const boot = ssm.send(new GetParameterCommand({ Name: '/app/prod/boot' }));
      export const a = async (event: unknown) => { await boot; await ssm.send(new GetParameterCommand({ Name: '/app/prod/a' })); };
      export const b = async (event: unknown) => { await ssm.send(new GetParameterCommand({ Name: '/app/prod/b' })); };`,
    };
    assert.deepEqual(refsOf(files, '/p/h.ts', 'a').refs, ['parameter:GetParameter:/app/prod/a', 'parameter:GetParameter:/app/prod/boot']);
    assert.deepEqual(refsOf(files, '/p/h.ts', 'b').refs, ['parameter:GetParameter:/app/prod/b', 'parameter:GetParameter:/app/prod/boot']);
  });

  it('middy ssm / secrets-manager middlewares on the handler', () => {
    const r = refsOf({
      '/p/h.ts': `import middy from '@middy/core';
      import ssm from '@middy/ssm';
      import secretsManager from '@middy/secrets-manager';
      const base = async (event: unknown) => ({ ok: true });
      export const handler = middy(base)
        .use(ssm({ fetchData: { apiKey: '/app/prod/api-key', config: '/app/prod/config/' } }))
        .use(secretsManager({ fetchData: { db: 'app/prod/db' } }));`,
    }, '/p/h.ts');
    assert.deepEqual(r.refs, ['parameter:GetParameters:/app/prod/api-key:decrypt', 'parameter:GetParametersByPath:/app/prod/config:decrypt', 'secret:GetSecretValue:app/prod/db']);
  });

  it('fileReferences: every read of one file with its range', () => {
    const text = SSM + "export const handler = async () => ssm.send(new GetParameterCommand({ Name: '/app/prod/x' }));\nconst helper = (n: string) => ssm.send(new GetParameterCommand({ Name: n }));\nhelper('/app/prod/y');\n";
    const refs = fileReferences('/p/f.ts', text);
    assert.deepEqual(refs.map((r) => r.name).sort(), ['/app/prod/x', '/app/prod/y']);
    const x = refs.find((r) => r.name === '/app/prod/x')!;
    assert.equal(x.range.start.line, 2);
    assert.equal(text.split('\n')[2].slice(x.range.start.character, x.range.end.character), "'/app/prod/x'");
    assert.deepEqual(Object.keys(x).sort(), ['decrypt', 'file', 'kind', 'name', 'op', 'prefix', 'range']);
  });

  it('fixture projects: handlers mapped from each IaC flavour', () => {
    const byName = (p: Parameters<typeof functionsOf>[0]) => Object.fromEntries(functionsOf(p).map((f) => [f.name, f]));
    const sls = byName('serverless');
    assert.match(sls.payments.handlerFile!, /src\/handlers\/payments\.ts$/);
    assert.deepEqual(sls.payments.references.refs.map((r) => r.name).sort(), ['/my-frontend-app/production/stripe-secret-key', '/my-frontend-app/production/third-party-api-key']);
    assert.equal(sls.payments.references.refs.find((r) => r.kind === 'parameter')!.decrypt, true);
    assert.ok(sls['user-management'].references.refs.every((r) => !r.decrypt), 'user-management decrypts nothing');
    const sam = byName('sam');
    assert.match(sam.OrdersFunction.handlerFile!, /sam\/src\/orders\.ts$/);
    assert.deepEqual(sam.OrdersFunction.references.refs.map((r) => r.name), ['/orders/${Stage}/db-password']);
    const cfn = byName('cfn');
    assert.match(cfn.BillingFunction.handlerFile!, /cfn\/src\/billing\.ts$/, 'dist/ → src/ when only the source exists');
    const cdk = byName('cdk');
    assert.match(cdk.Notify.handlerFile!, /cdk\/src\/notify\.ts$/);
    assert.match(cdk.Audit.handlerFile!, /cdk\/lambda\/audit\/index\.js$/);
    assert.deepEqual(cdk.Notify.references.refs.map((r) => r.name), ['/notify/prod/slack-webhook-url']);
    const none = byName('noiac');
    assert.deepEqual(Object.keys(none).sort(), ['src/orders', 'src/reports']);
  });
});
