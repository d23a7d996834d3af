// Issue 13 §3: Terraform — function environment for secret-in-env, role policies for every IAM rule, the function ↔
// role mapping across a module's files, handler files through archives and the lambda module.
import * as assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analyzer';
import { allRules } from '../../../src/core/rules';
import { functionsFromTerraform } from '../../../src/core/iam/terraform';
import { iacHandlerExports } from '../../../src/core/iam/handlers';
import type { Finding } from '../../../src/core/types';
import { memoryProject } from '../lambda/helpers';

const LAMBDA_TF = `data "archive_file" "orders" {
  type        = "zip"
  source_dir  = "\${path.module}/../src"
  output_path = "\${path.module}/build/orders.zip"
}

data "aws_ssm_parameter" "slack" {
  name = "/orders/prod/alerts/slack"
}

data "aws_secretsmanager_secret_version" "stripe" {
  secret_id = "orders/prod/stripe"
}

resource "aws_lambda_function" "orders" {
  function_name    = "orders-\${var.stage}"
  filename         = data.archive_file.orders.output_path
  source_code_hash = data.archive_file.orders.output_base64sha256
  handler          = "handlers/orders.handler"
  runtime          = "nodejs20.x"
  role             = aws_iam_role.lambda.arn

  environment {
    variables = {
      STAGE             = var.stage
      TABLE_NAME        = aws_dynamodb_table.orders.name
      DB_URL_PARAM      = "/orders/prod/db-url"
      DB_PASSWORD       = var.db_password
      SLACK_WEBHOOK_URL = data.aws_ssm_parameter.slack.value
      STRIPE_SECRET     = jsondecode(data.aws_secretsmanager_secret_version.stripe.secret_string)["key"]
    }
  }
}
`;

const IAM_TF = `resource "aws_iam_role" "lambda" {
  name               = "orders-lambda"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "read" {
  name = "read-config"
  role = aws_iam_role.lambda.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["ssm:GetParameter"]
        Resource = "arn:aws:ssm:*:*:parameter/orders/prod/*"
      },
      {
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = "*"
      },
    ]
  })
}

data "aws_iam_policy_document" "logs" {
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "logs" {
  policy = data.aws_iam_policy_document.logs.json
}

resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.lambda.name
  policy_arn = aws_iam_policy.logs.arn
}
`;

const HANDLER = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
let url: string | undefined;
export const handler = async () => {
  url ??= (await ssm.send(new GetParameterCommand({ Name: process.env.DB_URL_PARAM }))).Parameter?.Value;
  const key = await ssm.send(new GetParameterCommand({ Name: '/billing/prod/api-key', WithDecryption: true }));
  return [url, key.Parameter?.Value];
};
`;

const FILES = { 'infra/lambda.tf': LAMBDA_TF, 'infra/iam.tf': IAM_TF, 'src/handlers/orders.ts': HANDLER, 'infra/variables.tf': 'variable "stage" {}\nvariable "db_password" { sensitive = true }\n' };

function scan(path: string, files: Record<string, string> = FILES): Finding[] {
  const errors: string[] = [];
  const out = analyzeText(path, files[path], {
    rules: allRules, project: memoryProject(files), onRuleError: (id, e) => { if (id !== 'parse') errors.push(`${id}: ${e}`); },
  });
  assert.deepEqual(errors, []);
  return out;
}
const by = (f: Finding[], rule: string) => f.filter((x) => x.ruleId === rule);

describe('Terraform (issue 13 §3)', () => {
  it('maps aws_lambda_function to its handler file (archive_file source_dir) and its role policies across the module\'s files', () => {
    const fns = functionsFromTerraform('infra/lambda.tf', LAMBDA_TF, memoryProject(FILES));
    assert.equal(fns.length, 1);
    const fn = fns[0];
    assert.equal(fn.flavour, 'terraform');
    assert.equal(fn.handlerFile, 'src/handlers/orders.ts');
    assert.equal(fn.handlerExport, 'handler');
    assert.equal(fn.env.get('DB_URL_PARAM'), '/orders/prod/db-url');
    assert.equal(fn.opaque, undefined);
    const actions = fn.statements.flatMap((s) => s.actions).sort();
    assert.deepEqual(actions, ['logs:CreateLogStream', 'logs:PutLogEvents', 'secretsmanager:GetSecretValue', 'ssm:GetParameter']);
    assert.ok(fn.statements.every((s) => s.file === 'infra/iam.tf'));
  });

  it('secret-in-env: Terraform variables, Parameter Store and Secrets Manager values put into the environment', () => {
    const f = by(scan('infra/lambda.tf'), 'secret-in-env');
    assert.deepEqual(f.map((x) => x.data?.name).sort(), ['DB_PASSWORD', 'SLACK_WEBHOOK_URL', 'STRIPE_SECRET']);
    const stripe = f.find((x) => x.data?.name === 'STRIPE_SECRET')!;
    assert.match(stripe.message, /Secrets Manager secret value, which Terraform writes into the plaintext environment/);
    assert.equal(LAMBDA_TF.split('\n')[stripe.range.start.line].includes('STRIPE_SECRET'), true);
  });

  it('iam-wildcard-resource in a jsonencode policy; iam-missing-grant and iam-missing-kms-decrypt at the statement in iam.tf', () => {
    const iam = scan('infra/iam.tf');
    const wild = by(iam, 'iam-wildcard-resource');
    assert.equal(wild.length, 1);
    assert.match(IAM_TF.split('\n')[wild[0].range.start.line], /Resource = "\*"/);
    assert.ok(!by(iam, 'iam-wildcard-resource').some((x) => /logs/.test(IAM_TF.split('\n')[x.range.start.line])), 'logs on * is not a read of secrets');
    const grant = by(iam, 'iam-missing-grant');
    assert.equal(grant.length, 1);
    assert.equal(grant[0].data?.name, '/billing/prod/api-key');
    assert.match(IAM_TF.split('\n')[grant[0].range.start.line], /Effect\s+= "Allow"|\{/);
    // the decrypted parameter uses the default aws/ssm key: no kms:Decrypt needed
    assert.equal(by(iam, 'iam-missing-kms-decrypt').length, 0);
    const lambda = scan('infra/lambda.tf');
    assert.deepEqual(by(lambda, 'iam-missing-grant'), [], 'reported once, at the statement in iam.tf');
    assert.deepEqual(by(lambda, 'iam-missing-kms-decrypt'), []);
  });

  it('iam-missing-kms-decrypt when the module creates the SecureString with its own key (no statement reads it: at the function)', () => {
    const keyed = `${LAMBDA_TF}
resource "aws_kms_key" "billing" {
  description = "billing secrets"
}

resource "aws_ssm_parameter" "api_key" {
  name   = "/billing/prod/api-key"
  type   = "SecureString"
  key_id = aws_kms_key.billing.key_id
  value  = "placeholder"
}
`;
    const files = { ...FILES, 'infra/lambda.tf': keyed };
    const kms = by(scan('infra/lambda.tf', files), 'iam-missing-kms-decrypt');
    assert.equal(kms.length, 1);
    assert.match(keyed.split('\n')[kms[0].range.start.line], /resource "aws_lambda_function" "orders"/);
    assert.match(kms[0].message, /"\/billing\/prod\/api-key", encrypted with the customer managed key aws_kms_key\.billing\.key_id/);
    // the AWS managed key, by alias or through an alias data source, needs no grant
    for (const key of ['"alias/aws/ssm"', 'data.aws_kms_alias.ssm.target_key_arn']) {
      const managed = keyed.replace('aws_kms_key.billing.key_id', key) + 'data "aws_kms_alias" "ssm" {\n  name = "alias/aws/ssm"\n}\n';
      assert.deepEqual(by(scan('infra/lambda.tf', { ...files, 'infra/lambda.tf': managed }), 'iam-missing-kms-decrypt'), [], key);
    }
    // a kms:Decrypt on the key silences it
    const granted = IAM_TF.replace('        Resource = "*"\n      },\n    ]', '        Resource = "*"\n      },\n      {\n        Effect   = "Allow"\n        Action   = "kms:Decrypt"\n        Resource = aws_kms_key.billing.arn\n      },\n    ]');
    assert.notEqual(granted, IAM_TF);
    assert.deepEqual(by(scan('infra/lambda.tf', { ...files, 'infra/iam.tf': granted }), 'iam-missing-kms-decrypt'), []);
  });

  it('the handler file is a handler because Terraform names it (found in an infra folder above)', () => {
    assert.deepEqual([...(iacHandlerExports('src/handlers/orders.ts', memoryProject(FILES)) ?? [])], ['handler']);
    const job = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
export async function run() { return new SSMClient({}).send(new GetParameterCommand({ Name: '/jobs/cleanup/cutoff' })); }
`;
    const tf = LAMBDA_TF.replace('handlers/orders.handler', 'jobs/cleanup.run');
    const files = { ...FILES, 'infra/lambda.tf': tf, 'src/jobs/cleanup.ts': job };
    const f = analyzeText('src/jobs/cleanup.ts', job, { rules: allRules, project: memoryProject(files) });
    assert.deepEqual(f.filter((x) => x.ruleId === 'uncached-fetch').map((x) => x.range.start.line + 1), [2]);
  });

  it('policy written as a JSON heredoc, inline_policy and managed policy ARNs', () => {
    const tf = `resource "aws_iam_role" "fn" {
  name = "fn"
  inline_policy {
    name   = "read"
    policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": ["ssm:GetParameters", "ssm:GetParameter"], "Resource": "arn:aws:ssm:us-east-1:123456789012:parameter/*" }
  ]
}
EOF
  }
}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = aws_iam_role.fn.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "fn.zip"
}
`;
    const f = scan('main.tf', { 'main.tf': tf });
    const wild = by(f, 'iam-wildcard-resource');
    assert.equal(wild.length, 1);
    assert.match(tf.split('\n')[wild[0].range.start.line], /parameter\/\*/);
    const managed = tf.replace('  inline_policy {', '  managed_policy_arns = ["arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess"]\n  inline_policy {');
    const fns = functionsFromTerraform('main.tf', managed, memoryProject({ 'main.tf': managed }));
    assert.match(fns[0].opaque ?? '', /AmazonSSMReadOnlyAccess/);
  });

  it('the terraform-aws-modules/lambda module: handler, source_path, environment and policy_statements', () => {
    const tf = `module "notify" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 7.0"

  function_name = "notify"
  handler       = "notify.handler"
  runtime       = "nodejs20.x"
  source_path   = "\${path.module}/../functions"

  environment_variables = {
    SENDGRID_API_KEY = var.sendgrid_api_key
    FROM_ADDRESS     = "noreply@example.com"
  }

  attach_policy_statements = true
  policy_statements = {
    secrets = {
      effect    = "Allow"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = ["arn:aws:secretsmanager:*:*:secret:notify/*"]
    }
  }
}
`;
    const code = `import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const sm = new SecretsManagerClient({});
export const handler = async () => sm.send(new GetSecretValueCommand({ SecretId: 'billing/api' }));
`;
    const files = { 'infra/main.tf': tf, 'functions/notify.ts': code };
    const fns = functionsFromTerraform('infra/main.tf', tf, memoryProject(files));
    assert.equal(fns[0].handlerFile, 'functions/notify.ts');
    const f = scan('infra/main.tf', files);
    assert.deepEqual(by(f, 'secret-in-env').map((x) => x.data?.name), ['SENDGRID_API_KEY']);
    assert.deepEqual(by(f, 'iam-missing-grant').map((x) => x.data?.name), ['billing/api']);
  });

  it('malformed Terraform is read as far as it goes, never throws', () => {
    const broken = LAMBDA_TF.replace('environment {', 'environment {{{ ((').slice(0, -20);
    const files = { ...FILES, 'infra/lambda.tf': broken };
    assert.doesNotThrow(() => scan('infra/lambda.tf', files));
    assert.doesNotThrow(() => scan('infra/iam.tf', files));
  });
});
