import * as assert from 'node:assert/strict';
import { parseHcl, hclReference, blocksOf, attribute, get, getPath, scalarText, walk, type IacNode } from '../../../src/core/iac';

const slice = (text: string, n: { start: number; end: number } | undefined) => (n ? text.slice(n.start, n.end) : undefined);

const MAIN_TF = `# Lambda + IAM, the way a real module is written
terraform {
  required_version = ">= 1.3"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

locals {
  name   = "\${var.project}-\${var.stage}"   # interpolated
  tags   = merge(var.tags, { Service = "orders" })
  prefix = "/\${var.stage}/orders"
}

data "archive_file" "zip" {
  type        = "zip"
  source_dir  = "\${path.module}/../dist"
  output_path = "\${path.module}/build/orders.zip"
}

resource "aws_lambda_function" "orders" {
  function_name    = "\${local.name}-orders"
  filename         = data.archive_file.zip.output_path
  source_code_hash = data.archive_file.zip.output_base64sha256
  handler          = "src/handlers/orders.handler"
  runtime          = "nodejs20.x"
  role             = aws_iam_role.lambda.arn
  timeout          = 10
  memory_size      = var.stage == "prod" ? 1024 : 256

  environment {
    variables = {
      STAGE          = var.stage
      DB_PASSWORD    = "hunter2-but-longer"
      "TABLE_NAME"   = aws_dynamodb_table.orders.name
      PARAM_PREFIX   = local.prefix
    }
  }

  tags = local.tags
}

resource "aws_iam_role_policy" "read" {
  name = "read-params"
  role = aws_iam_role.lambda.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["ssm:GetParameter", "ssm:GetParametersByPath"]
        Resource = "arn:aws:ssm:\${var.region}:\${data.aws_caller_identity.current.account_id}:parameter\${local.prefix}/*"
      },
    ]
  })
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
  statement {
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.db.arn, "*"]
  }
}

resource "aws_iam_policy" "heredoc" {
  policy = <<-EOT
    {
      "Statement": [{ "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*" }]
    }
  EOT
}
`;

describe('HCL reader (src/core/iac/hcl.ts)', () => {
  it('reads blocks with labels, attributes and nested blocks, with source ranges', () => {
    const f = parseHcl(MAIN_TF);
    assert.deepEqual(f.errors, []);
    const fns = blocksOf(f.blocks, 'resource', 'aws_lambda_function');
    assert.equal(fns.length, 1);
    const fn = fns[0];
    assert.deepEqual(fn.labels.map((l) => l.value), ['aws_lambda_function', 'orders']);
    assert.equal(slice(MAIN_TF, fn.labels[1]), '"orders"');
    assert.equal(scalarText(attribute(fn, 'handler')), 'src/handlers/orders.handler');
    assert.equal(slice(MAIN_TF, attribute(fn, 'handler')), '"src/handlers/orders.handler"');
    assert.equal(attribute(fn, 'timeout')?.type === 'scalar' && (attribute(fn, 'timeout') as { value: unknown }).value, 10);
    assert.equal(hclReference(attribute(fn, 'role')), 'aws_iam_role.lambda.arn');
    const env = fn.blocks.find((b) => b.type === 'environment')!;
    const vars = attribute(env, 'variables')!;
    assert.equal(vars.type, 'map');
    assert.equal(scalarText(get(vars, 'DB_PASSWORD')), 'hunter2-but-longer');
    assert.equal(slice(MAIN_TF, get(vars, 'DB_PASSWORD')), '"hunter2-but-longer"');
    assert.equal(hclReference(get(vars, 'TABLE_NAME')), 'aws_dynamodb_table.orders.name', 'quoted keys');
    assert.equal(hclReference(get(vars, 'STAGE')), 'var.stage');
    // the map view merges labelled blocks as Terraform's JSON syntax does
    assert.equal(getPath(f.body, 'resource', 'aws_lambda_function', 'orders'), fn.body);
    assert.equal(getPath(f.body, 'data', 'archive_file', 'zip', 'type')?.type, 'scalar');
  });

  it('keeps operators, calls and conditionals as expressions (tag expr) with their text', () => {
    const f = parseHcl(MAIN_TF);
    const fn = blocksOf(f.blocks, 'resource', 'aws_lambda_function')[0];
    const mem = attribute(fn, 'memory_size')!;
    assert.equal(mem.tag, 'expr');
    assert.equal((mem as { value: unknown }).value, 'var.stage == "prod" ? 1024 : 256');
    const tags = getPath(f.body, 'locals', 'tags');
    assert.equal(tags?.tag, 'merge', 'merge(…) of objects and references is a sequence of its arguments');
    assert.equal(scalarText(tags), undefined, 'an expression has no literal text');
    assert.ok(tags?.type === 'seq');
    assert.deepEqual(tags.items.map((i) => (i.type === 'scalar' ? i.value : i.type)), ['var.tags', 'map']);
    const other = parseHcl('locals {\n  x = merge(var.a, [for k in var.b : k])\n}\n');
    assert.equal(getPath(other.body, 'locals', 'x')?.tag, 'expr', 'an argument that is not an object or a reference keeps the call as text');
  });

  it('keeps interpolation as written and marks the string', () => {
    const f = parseHcl(MAIN_TF);
    const name = getPath(f.body, 'locals', 'name');
    assert.equal(scalarText(name), '${var.project}-${var.stage}');
    assert.equal(name?.type === 'scalar' && name.interpolated, true);
    assert.equal(scalarText(getPath(f.body, 'locals', 'prefix')), '/${var.stage}/orders');
  });

  it('reads jsonencode({...}) as the object it encodes', () => {
    const f = parseHcl(MAIN_TF);
    const pol = attribute(blocksOf(f.blocks, 'resource', 'aws_iam_role_policy')[0], 'policy')!;
    assert.equal(pol.type, 'map');
    const st = get(pol, 'Statement');
    assert.equal(st?.type, 'seq');
    const first = st!.type === 'seq' ? st!.items[0] : undefined;
    const action = get(first, 'Action');
    assert.equal(action?.type, 'seq');
    assert.deepEqual(action!.type === 'seq' ? action!.items.map(scalarText) : [], ['ssm:GetParameter', 'ssm:GetParametersByPath']);
    assert.match(scalarText(get(first, 'Resource'))!, /^arn:aws:ssm:\$\{var\.region\}:\$\{data\.aws_caller_identity\.current\.account_id\}:parameter\$\{local\.prefix\}\/\*$/);
  });

  it('reads repeated nested blocks (statement) in order, with their own nested blocks', () => {
    const f = parseHcl(MAIN_TF);
    const doc = blocksOf(f.blocks, 'data', 'aws_iam_policy_document')[0];
    const sts = doc.blocks.filter((b) => b.type === 'statement');
    assert.equal(sts.length, 2);
    assert.equal(sts[0].blocks[0].type, 'principals');
    assert.equal(scalarText(attribute(sts[1], 'effect')), 'Allow');
    const res = attribute(sts[1], 'resources')!;
    assert.equal(res.type, 'seq');
    assert.deepEqual(res.type === 'seq' ? res.items.map((i) => hclReference(i) ?? scalarText(i)) : [], ['aws_secretsmanager_secret.db.arn', '*']);
    // the map view repeats the key
    const body = getPath(f.body, 'data', 'aws_iam_policy_document', 'assume');
    assert.equal(body?.type === 'map' && body.entries.filter((e) => e.key.value === 'statement').length, 2);
  });

  it('reads indented heredocs, stripping the common indentation', () => {
    const f = parseHcl(MAIN_TF);
    const pol = attribute(blocksOf(f.blocks, 'resource', 'aws_iam_policy')[0], 'policy')!;
    assert.equal(pol.type === 'scalar' && pol.heredoc, true);
    const text = scalarText(pol)!;
    assert.ok(text.startsWith('{\n  "Statement"'), JSON.stringify(text));
    assert.equal(JSON.parse(text).Statement[0].Action, 'kms:Decrypt');
    assert.equal(MAIN_TF.slice(pol.start, pol.start + 7), '<<-EOT\n');
  });

  it('reads .tfvars files, comments of every kind, escapes and literal ${', () => {
    const text = [
      '// defaults for prod',
      'stage = "prod" # inline',
      '/* block',
      '   comment */ region = "eu-west-1"',
      'replicas = 3',
      'enabled = true',
      'nothing = null',
      'quoted = "say \\"hi\\"\\n\\u00e9"',
      'literal = "$${not.interpolated} and %%{ if }"',
      'list = [',
      '  "a",  # first',
      '  "b"',
      ']',
      'obj = { "key.with.dots" = 1, other: "x" }',
    ].join('\n');
    const f = parseHcl(text);
    assert.deepEqual(f.errors, []);
    assert.equal(scalarText(get(f.body, 'stage')), 'prod');
    assert.equal(scalarText(get(f.body, 'region')), 'eu-west-1');
    assert.equal(scalarText(get(f.body, 'replicas')), '3');
    assert.equal(scalarText(get(f.body, 'enabled')), 'true');
    assert.equal(get(f.body, 'nothing')?.type === 'scalar' && (get(f.body, 'nothing') as { value: unknown }).value, null);
    assert.equal(scalarText(get(f.body, 'quoted')), 'say "hi"\n\u00e9');
    const lit = get(f.body, 'literal');
    assert.equal(scalarText(lit), '${not.interpolated} and %{ if }');
    assert.equal(lit?.type === 'scalar' && lit.interpolated, undefined);
    const list = get(f.body, 'list');
    assert.deepEqual(list?.type === 'seq' ? list.items.map(scalarText) : [], ['a', 'b']);
    assert.equal(scalarText(get(get(f.body, 'obj'), 'key.with.dots')), '1');
    assert.equal(scalarText(get(get(f.body, 'obj'), 'other')), 'x');
  });

  it('keeps for expressions, splats, index traversals and nested template strings as expressions', () => {
    const text = [
      'a = [for s in var.list : upper(s) if s != ""]',
      'b = { for k, v in var.map : k => v }',
      'c = aws_instance.web[*].id',
      'd = module.net.subnets[0]',
      'e = "${join(",", [for x in var.y : "${x}-z"])}"',
      'f = provider::aws::arn_parse(var.arn)',
      'g = !var.enabled',
      'h = -1',
      'i = (var.a + 1) * 2',
    ].join('\n');
    const f = parseHcl(text);
    assert.deepEqual(f.errors, []);
    const t = (k: string) => { const n = get(f.body, k); return n && { tag: n.tag, text: text.slice(n.start, n.end) }; };
    assert.deepEqual(t('a'), { tag: 'expr', text: '[for s in var.list : upper(s) if s != ""]' });
    assert.deepEqual(t('b'), { tag: 'expr', text: '{ for k, v in var.map : k => v }' });
    assert.deepEqual(t('c'), { tag: 'ref', text: 'aws_instance.web[*].id' });
    assert.deepEqual(t('d'), { tag: 'ref', text: 'module.net.subnets[0]' });
    assert.equal(scalarText(get(f.body, 'e')), '${join(",", [for x in var.y : "${x}-z"])}');
    assert.deepEqual(t('f'), { tag: 'expr', text: 'provider::aws::arn_parse(var.arn)' });
    assert.deepEqual(t('g'), { tag: 'expr', text: '!var.enabled' });
    assert.deepEqual(t('h'), { tag: 'expr', text: '-1' });
    assert.deepEqual(t('i'), { tag: 'expr', text: '(var.a + 1) * 2' });
  });

  it('reads one-line blocks and blocks with bare labels', () => {
    const text = 'lifecycle { create_before_destroy = true }\ndynamic setting { content { name = "x" } }\n';
    const f = parseHcl(text);
    assert.deepEqual(f.errors, []);
    assert.equal(f.blocks[0].type, 'lifecycle');
    assert.equal(scalarText(attribute(f.blocks[0], 'create_before_destroy')), 'true');
    assert.equal(f.blocks[1].labels[0].value, 'setting');
    assert.equal(scalarText(attribute(f.blocks[1].blocks[0], 'name')), 'x');
  });

  it('never throws on malformed input: reports errors and keeps what it could read', () => {
    const text = [
      'resource "aws_ssm_parameter" "p" {',
      '  name  = "/app/db-password"',
      '  value = "unterminated',
      '  type  = "SecureString"',
      '  ??? garbage here',
      '  tags = { a = }',
      '}',
      'resource "x" "y" {',
      '  broken = [1, 2',
    ].join('\n');
    const f = parseHcl(text);
    assert.ok(f.errors.length >= 3, JSON.stringify(f.errors));
    for (const e of f.errors) assert.ok(e.offset >= 0 && e.offset <= text.length);
    const p = blocksOf(f.blocks, 'resource', 'aws_ssm_parameter')[0];
    assert.equal(scalarText(attribute(p, 'name')), '/app/db-password');
    assert.equal(scalarText(attribute(p, 'type')), 'SecureString');
    assert.equal(blocksOf(f.blocks, 'resource', 'x').length, 1);
  });

  it('survives adversarial input: deep nesting, lone brackets, binary noise, huge lines', () => {
    const inputs = [
      '{'.repeat(5000), '['.repeat(5000), 'a = ' + '['.repeat(5000), 'a = ' + '{'.repeat(3000) + '}'.repeat(3000),
      'b ' + '{ '.repeat(4000), '}}}}', '"', '<<EOF\nno end', 'x = "${', 'x = "${"${"${', '\u0000\u0001\uffff = 1',
      'a = 1 b = 2', '= = =', 'resource "a" "b" "c" "d"', 'x = <<EOF', 'x = /* open', 'k = ' + 'a'.repeat(100000),
      'x = jsonencode(', 'x = jsonencode({a = 1}, 2)', 'x = tolist([1,2]', 'a.b = 1',
    ];
    for (const t of inputs) {
      const f = parseHcl(t);
      assert.ok(Array.isArray(f.errors));
      walk(f.body, () => undefined);
    }
    const deep = parseHcl('a = ' + '['.repeat(5000));
    assert.ok(deep.errors.some((e) => /deeper|Unclosed/.test(e.message)));
  });

  it('gives every node a range inside the text, and every key the text of its name', () => {
    const f = parseHcl(MAIN_TF);
    let count = 0;
    const check = (n: IacNode) => {
      assert.ok(n.start >= 0 && n.end <= MAIN_TF.length && n.start <= n.end, `${n.start}-${n.end}`);
      count++;
    };
    walk(f.body, (s) => check(s.node));
    walk(f.body, (s) => {
      if (s.node.type !== 'map') return;
      for (const e of s.node.entries) {
        const written = MAIN_TF.slice(e.key.start, e.key.end).replace(/^"|"$/g, '');
        assert.equal(written, String(e.key.value));
      }
    });
    assert.ok(count > 60);
  });

  it('reads a 20,000-line file in linear time', () => {
    const one = 'resource "aws_ssm_parameter" "p%" {\n  name = "/app/p%"\n  type = "String"\n  value = jsonencode({ a = [1, 2, "${var.x}"] })\n}\n';
    const text = Array.from({ length: 4000 }, (_, k) => one.replace(/%/g, String(k))).join('');
    const t0 = process.hrtime.bigint();
    const f = parseHcl(text);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.equal(f.blocks.length, 4000);
    assert.deepEqual(f.errors, []);
    assert.ok(ms < 2000, `${ms} ms`);
  });
});
