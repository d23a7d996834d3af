// iam-missing-kms-decrypt and the AWS managed keys (issue 13): a SecureString or secret under `alias/aws/ssm`,
// `alias/aws/secretsmanager` or the default key needs no kms:Decrypt in the reader's policy (the key policy lets the
// account's principals decrypt through the service); one under a customer managed key the IaC creates does.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeText } from '../../../src/core';
import { customerKeyCoverage, customerKeyOf, isAwsManagedKey } from '../../../src/core/iam/keys';
import { documentFunctions } from '../../../src/core/iam/project';
import { generateStatements, type PolicyFormat } from '../../../src/core/iam/policy';
import type { Reference } from '../../../src/core/iam/refs';
import type { IamFunction } from '../../../src/core/iam/functions';
import type { ProjectContext } from '../../../src/core/types';

function memProject(files: Record<string, string>): ProjectContext {
  return { readFile: (p) => files[path.posix.normalize(p)], dependenciesOf: () => new Set() };
}

const CHECKOUT = `import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';

const sm = new SecretsManagerClient({});
const ssm = new SSMClient({});
let stripe: { secretKey: string } | undefined;
let webhookKey: string | undefined;

export const handler = async (event: { body?: string }) => {
  if (!stripe) {
    const res = await sm.send(new GetSecretValueCommand({ SecretId: process.env.STRIPE_SECRET_ID }));
    stripe = JSON.parse(res.SecretString ?? '{}');
  }
  webhookKey ??= (await ssm.send(new GetParameterCommand({ Name: \`/payments/\${process.env.STAGE}/webhook-key\`, WithDecryption: true }))).Parameter?.Value;
  return { statusCode: 200, body: JSON.stringify({ ok: !!stripe && !!webhookKey && !!event.body }) };
};
`;

const SLS = (opts: { kmsKeyId?: string; kmsStatement?: string } = {}) => `service: payments
frameworkVersion: '3'

provider:
  name: aws
  runtime: nodejs20.x
  stage: \${opt:stage, 'dev'}
  environment:
    STAGE: \${sls:stage}
  iam:
    role:
      statements:
        - Effect: Allow
          Action:
            - secretsmanager:GetSecretValue
          Resource: arn:aws:secretsmanager:\${aws:region}:\${aws:accountId}:secret:payments/\${sls:stage}/*
        - Effect: Allow
          Action: ssm:GetParameter
          Resource: arn:aws:ssm:\${aws:region}:\${aws:accountId}:parameter/payments/\${sls:stage}/*
${opts.kmsStatement ?? ''}
functions:
  checkout:
    handler: src/checkout.handler
    environment:
      STRIPE_SECRET_ID: payments/\${sls:stage}/stripe

resources:
  Resources:
    PaymentsKey:
      Type: AWS::KMS::Key
      Properties:
        Description: Payments secrets
        EnableKeyRotation: true
    StripeSecret:
      Type: AWS::SecretsManager::Secret
      Properties:
        Name: payments/\${self:provider.stage}/stripe
        Description: Stripe API keys
${opts.kmsKeyId === undefined ? '' : `        KmsKeyId: ${opts.kmsKeyId}\n`}`;

function kmsFindings(yaml: string): { line: number; message: string }[] {
  const project = memProject({ '/p/src/checkout.ts': CHECKOUT, '/p/serverless.yml': yaml });
  return analyzeText('/p/serverless.yml', yaml, { project }).filter((f) => f.ruleId === 'iam-missing-kms-decrypt')
    .map((f) => ({ line: f.range.start.line + 1, message: f.message }));
}

describe('iam-missing-kms-decrypt: customer managed keys only', () => {
  it('a secret the template encrypts with its own key (KmsKeyId: !Ref / !GetAtt), read without kms:Decrypt: reported at the statement that reads it', () => {
    for (const key of ['!Ref PaymentsKey', '!GetAtt PaymentsKey.Arn', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab']) {
      const f = kmsFindings(SLS({ kmsKeyId: key }));
      assert.equal(f.length, 1, key);
      assert.equal(f[0].line, 13);
      assert.match(f[0].message, /Function "checkout" reads secret "payments\/\$\{sls:stage\}\/stripe", encrypted with the customer managed key/);
      assert.ok(f[0].message.includes(key), f[0].message);
    }
  });

  it('the AWS managed key (alias/aws/secretsmanager, as alias or ARN) or no KmsKeyId at all: silent', () => {
    assert.deepEqual(kmsFindings(SLS()), [], 'default key');
    assert.deepEqual(kmsFindings(SLS({ kmsKeyId: 'alias/aws/secretsmanager' })), []);
    assert.deepEqual(kmsFindings(SLS({ kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:alias/aws/secretsmanager' })), []);
  });

  it('a SecureString decrypted with the default aws/ssm key needs no kms:Decrypt (the parameter above is never reported)', () => {
    const f = kmsFindings(SLS({ kmsKeyId: '!Ref PaymentsKey' }));
    assert.ok(f.every((x) => !/webhook-key/.test(x.message)));
  });

  it('kms:Decrypt on the key (by reference, a key ARN, or *) silences it; one on alias/aws/ssm only does not', () => {
    const stmt = (res: string) => `        - Effect: Allow\n          Action: kms:Decrypt\n          Resource: ${res}`;
    assert.deepEqual(kmsFindings(SLS({ kmsKeyId: '!Ref PaymentsKey', kmsStatement: stmt('!GetAtt PaymentsKey.Arn') })), []);
    assert.deepEqual(kmsFindings(SLS({ kmsKeyId: '!Ref PaymentsKey', kmsStatement: stmt('arn:aws:kms:${aws:region}:${aws:accountId}:key/*') })), []);
    assert.deepEqual(kmsFindings(SLS({ kmsKeyId: '!Ref PaymentsKey', kmsStatement: stmt("'*'") })), []);
    const ssmOnly = kmsFindings(SLS({ kmsKeyId: '!Ref PaymentsKey', kmsStatement: stmt('arn:aws:kms:${aws:region}:${aws:accountId}:alias/aws/ssm') }));
    assert.equal(ssmOnly.length, 1);
  });

  it('key helpers: AWS managed aliases, name matching with IaC variables and ARNs, coverage', () => {
    assert.equal(isAwsManagedKey('alias/aws/ssm'), true);
    assert.equal(isAwsManagedKey('arn:aws:kms:us-east-1:123456789012:alias/aws/secretsmanager'), true);
    assert.equal(isAwsManagedKey('alias/payments'), false);
    assert.equal(isAwsManagedKey('!Ref PaymentsKey'), false);
    const fn: IamFunction = {
      name: 'f', flavour: 'terraform', handlerExport: 'handler', env: new Map(), statements: [],
      keyed: [{ kind: 'parameter', name: '/shop/${var.stage}/db-url', key: 'aws_kms_key.shop.arn' }, { kind: 'secret', name: 'shop/prod/stripe', key: 'alias/shop' }],
    };
    const ref = (kind: 'parameter' | 'secret', name: string, decrypt = true, prefix = false) => ({ kind, name, decrypt, prefix });
    assert.equal(customerKeyOf(fn, ref('parameter', '/shop/prod/db-url'))?.key, 'aws_kms_key.shop.arn');
    assert.equal(customerKeyOf(fn, ref('parameter', 'arn:aws:ssm:eu-west-1:123456789012:parameter/shop/${var.stage}/db-url'))?.key, 'aws_kms_key.shop.arn');
    assert.equal(customerKeyOf(fn, ref('parameter', '/shop/prod/db-url', false)), undefined, 'not decrypted: the key is not used');
    assert.equal(customerKeyOf(fn, ref('parameter', '/shop/prod/other')), undefined);
    assert.equal(customerKeyOf(fn, ref('secret', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/prod/stripe-AbC123', false))?.key, 'alias/shop');
    assert.equal(customerKeyOf(fn, ref('secret', 'shop/', false, true))?.key, 'alias/shop', 'a prefix read may read it');
    const st = (res: string | undefined) => ({ effect: 'Allow' as const, actions: ['kms:Decrypt'], resources: [{ text: res, start: 0, end: 0 }], opaque: false, start: 0, end: 0, key: 'k' });
    assert.equal(customerKeyCoverage({ ...fn, statements: [st('arn:aws:kms:*:*:alias/aws/ssm')] }), 'no');
    assert.equal(customerKeyCoverage({ ...fn, statements: [st('arn:aws:kms:*:*:alias/shop')] }), 'yes');
    assert.equal(customerKeyCoverage({ ...fn, statements: [st(undefined)] }), 'unknown');
    assert.equal(customerKeyCoverage({ ...fn, statements: [] }), 'no');
  });
});

describe('keyway policy: kms:Decrypt on the customer managed key the IaC names', () => {
  it('the project model gives each read its key; the generated policy grants kms:Decrypt on it (and not on alias/aws/ssm for it)', () => {
    const yaml = SLS({ kmsKeyId: '!GetAtt PaymentsKey.Arn' });
    const fns = documentFunctions('/p/serverless.yml', yaml, 'yaml', memProject({ '/p/src/checkout.ts': CHECKOUT, '/p/serverless.yml': yaml }));
    const refs = fns[0].references.refs;
    assert.deepEqual(refs.map((r) => [r.kind, r.key]).sort(), [['parameter', undefined], ['secret', '!GetAtt PaymentsKey.Arn']]);
    const kms = (format: PolicyFormat) => generateStatements(refs, format).filter((st) => st.actions.includes('kms:Decrypt')).flatMap((st) => st.resources).sort();
    // the webhook key is a SecureString under the default key: alias/aws/ssm as before (not needed, harmless)
    assert.deepEqual(kms('sam'), ['${PaymentsKey.Arn}', 'arn:aws:kms:${AWS::Region}:${AWS::AccountId}:alias/aws/ssm']);
    assert.deepEqual(kms('serverless'), ['arn:aws:kms:${aws:region}:${aws:accountId}:alias/aws/ssm', 'arn:aws:kms:${aws:region}:${aws:accountId}:key/<PaymentsKey>']);
  });

  it('renders each way of naming a key', () => {
    const ref = (key: string): Reference => ({ name: 'shop/prod/db', kind: 'secret', op: 'GetSecretValue', decrypt: false, prefix: false, key, file: 'h.ts', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } });
    const key = (k: string, format: PolicyFormat) => generateStatements([ref(k)], format, format === 'json' ? { region: 'eu-west-1', account: '123456789012' } : {})
      .find((st) => st.actions.includes('kms:Decrypt'))!.resources[0];
    assert.equal(key('arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'json'), 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    assert.equal(key('alias/shop-secrets', 'json'), 'arn:aws:kms:eu-west-1:123456789012:alias/shop-secrets');
    assert.equal(key('1234abcd-12ab-34cd-56ef-1234567890ab', 'json'), 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    assert.equal(key('aws_kms_key.shop.arn', 'terraform'), '${aws_kms_key.shop.arn}');
    assert.equal(key('aws_kms_key.shop.key_id', 'terraform'), 'arn:aws:kms:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:key/${aws_kms_key.shop.key_id}');
    assert.equal(key('aws_kms_key.shop.arn', 'json'), 'arn:aws:kms:eu-west-1:123456789012:key/<aws_kms_key.shop>');
    assert.equal(key('!Ref PaymentsKey', 'sam'), 'arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/${PaymentsKey}');
  });
});
