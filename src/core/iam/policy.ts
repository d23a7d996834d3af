// Least-privilege policy generation (issue 7): the minimal statements for a set of references, and their rendering as
// IAM JSON, a CDK `PolicyStatement` snippet, serverless.yml `iam.role.statements` and a SAM/CloudFormation `Policies`
// entry. Deterministic (sorted) output, for golden files and CI diffs. Pure string work.
import { globMatch } from './glob';
import type { Reference } from './refs';

export type PolicyFormat = 'json' | 'cdk' | 'serverless' | 'sam' | 'terraform';
export const POLICY_FORMATS: readonly PolicyFormat[] = ['json', 'cdk', 'serverless', 'sam', 'terraform'];

export interface PolicyOptions {
  /** Concrete region; otherwise the format's placeholder. */
  region?: string;
  /** Concrete account id; otherwise the format's placeholder. */
  account?: string;
  /** The real KMS key ARN of a SecureString parameter (when connected); default `alias/aws/ssm`. */
  kmsKeyFor?: (parameterName: string) => string | undefined;
  /** Terraform: the name of the `aws_iam_policy_document` data source (default `lambda`). */
  name?: string;
}

export interface GeneratedStatement { sid: string; actions: string[]; resources: string[] }

/** Region/account placeholders of a format. */
export function placeholders(format: PolicyFormat): { region: string; account: string } {
  switch (format) {
    case 'sam': return { region: '${AWS::Region}', account: '${AWS::AccountId}' };
    case 'serverless': return { region: '${aws:region}', account: '${aws:accountId}' };
    case 'cdk': return { region: '${Stack.of(this).region}', account: '${Stack.of(this).account}' };
    case 'terraform': return { region: '${data.aws_region.current.name}', account: '${data.aws_caller_identity.current.account_id}' };
    default: return { region: '<region>', account: '<account>' };
  }
}

function partition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function paramArn(region: string, account: string, name: string): string {
  return `arn:${partition(region)}:ssm:${region}:${account}:parameter${name.startsWith('/') ? name : '/' + name}`;
}

function secretArn(region: string, account: string, name: string, prefix: boolean): string {
  if (/^arn:/.test(name)) {
    if (prefix) return name + '*';
    return /:secret:.*-[A-Za-z0-9]{6}$/.test(name) ? name : name + '-??????';
  }
  return `arn:${partition(region)}:secretsmanager:${region}:${account}:secret:${name}${prefix ? '*' : '-??????'}`;
}

const KEY_ATTR = /\.(arn|target_key_arn|key_id|id|target_key_id)$/;

/**
 * The ARN of a customer managed key as the IaC names it, in the format's own terms: an ARN or alias as written, a
 * Terraform reference (`aws_kms_key.app.arn`) or a template resource (`!GetAtt Key.Arn`) where the format can hold
 * it, else a `<name>` placeholder to fill in.
 */
function keyArn(key: string, format: PolicyFormat, region: string, account: string): string {
  const k = key.trim();
  if (/^arn:/.test(k)) return k;
  const base = `arn:${partition(region)}:kms:${region}:${account}`;
  if (/^alias\//.test(k)) return `${base}:${k}`;
  if (/^(?:mrk-)?[0-9a-f-]{32,36}$/i.test(k)) return `${base}:key/${k}`;
  const tf = /^(?:data\.)?aws_kms_(?:key|alias)\.[\w-]+\.(arn|target_key_arn|key_id|id|target_key_id)$/.exec(k);
  if (tf) {
    if (format === 'terraform') return /arn$/.test(tf[1]) ? '${' + k + '}' : `${base}:key/\${${k}}`;
    return `${base}:key/<${k.replace(KEY_ATTR, '')}>`;
  }
  const cfn = /^!(Ref|GetAtt) ([\w-]+)/.exec(k);
  if (cfn && format === 'sam') return cfn[1] === 'GetAtt' ? `\${${cfn[2]}.Arn}` : `${base}:key/\${${cfn[2]}}`;
  return `${base}:key/<${cfn ? cfn[2] : k}>`;
}

const SERVICE_ORDER: Record<string, number> = { ssm: 0, secretsmanager: 1, kms: 2 };

function sidOf(actions: string[]): string {
  const part = (a: string) => {
    const [svc, act] = a.split(':');
    const s = svc === 'ssm' ? 'Ssm' : svc === 'secretsmanager' ? 'SecretsManager' : svc === 'kms' ? 'Kms' : svc;
    return s + act;
  };
  return actions.length === 1 ? part(actions[0]) : part(actions[0]) + 'And' + actions.slice(1).map((a) => a.split(':')[1]).join('And');
}

/**
 * The minimal statements for the references: per resource only the operations used, resources covered by a broader
 * resource of the same actions dropped, `kms:Decrypt` only when SecureStrings are decrypted.
 */
export function generateStatements(refs: readonly Reference[], format: PolicyFormat, opts: PolicyOptions = {}): GeneratedStatement[] {
  const ph = placeholders(format);
  const region = opts.region ?? ph.region;
  const account = opts.account ?? ph.account;
  const byResource = new Map<string, Set<string>>();
  const add = (resource: string, action: string) => {
    let s = byResource.get(resource);
    if (!s) { s = new Set(); byResource.set(resource, s); }
    s.add(action);
  };
  for (const r of refs) {
    // A value under a customer managed key the IaC names needs kms:Decrypt on that key (iam-missing-kms-decrypt)
    if (r.key) add(keyArn(r.key, format, region, account), 'kms:Decrypt');
    if (r.kind === 'secret') { add(secretArn(region, account, r.name, r.prefix), 'secretsmanager:GetSecretValue'); continue; }
    const action = `ssm:${r.op}`;
    if (r.prefix) add(paramArn(region, account, r.name + '*'), action);
    else if (r.op === 'GetParametersByPath') {
      const p = r.name === '/' ? '' : r.name.replace(/\/+$/, '');
      add(paramArn(region, account, p || '/'), action);
      add(paramArn(region, account, p + '/*'), action);
    } else add(paramArn(region, account, r.name), action);
    if (r.decrypt && !r.key) add(opts.kmsKeyFor?.(r.name) ?? `arn:${partition(region)}:kms:${region}:${account}:alias/aws/ssm`, 'kms:Decrypt');
  }
  // Group resources by their action set.
  const groups = new Map<string, { actions: string[]; resources: string[] }>();
  for (const [res, acts] of byResource) {
    const actions = [...acts].sort();
    const key = actions.join(',');
    let g = groups.get(key);
    if (!g) { g = { actions, resources: [] }; groups.set(key, g); }
    g.resources.push(res);
  }
  const out: GeneratedStatement[] = [];
  for (const g of groups.values()) {
    // Drop a resource another resource of the same statement already covers (`/app/x` under `/app/*`).
    const resources = g.resources.filter((r) => !g.resources.some((o) => o !== r && o.endsWith('*') && globMatch(o, r)));
    resources.sort();
    out.push({ sid: sidOf(g.actions), actions: g.actions, resources });
  }
  out.sort((a, b) => (SERVICE_ORDER[a.actions[0].split(':')[0]] ?? 9) - (SERVICE_ORDER[b.actions[0].split(':')[0]] ?? 9)
    || a.sid.localeCompare(b.sid) || a.resources[0].localeCompare(b.resources[0]));
  // Sids must be unique within a policy.
  const used = new Map<string, number>();
  for (const s of out) {
    const n = (used.get(s.sid) ?? 0) + 1;
    used.set(s.sid, n);
    if (n > 1) s.sid += String(n);
  }
  return out;
}

/** IAM policy document. */
export function policyDocument(statements: readonly GeneratedStatement[]): { Version: string; Statement: unknown[] } {
  return {
    Version: '2012-10-17',
    Statement: statements.map((s) => ({ Sid: s.sid, Effect: 'Allow', Action: s.actions.length === 1 ? s.actions[0] : s.actions, Resource: s.resources.length === 1 ? s.resources[0] : s.resources })),
  };
}

function yamlQuote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function samResource(s: string): string {
  return s.includes('${') ? `!Sub ${yamlQuote(s)}` : yamlQuote(s);
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text.split('\n').map((l) => (l ? pad + l : l)).join('\n');
}

/** Statements as a YAML list (serverless or SAM flavour), items at column 0. */
export function yamlStatements(statements: readonly GeneratedStatement[], format: 'serverless' | 'sam'): string {
  const lines: string[] = [];
  for (const s of statements) {
    lines.push(`- Sid: ${s.sid}`, '  Effect: Allow', '  Action:');
    for (const a of s.actions) lines.push(`    - ${a}`);
    lines.push('  Resource:');
    for (const r of s.resources) lines.push(`    - ${format === 'sam' ? samResource(r) : yamlQuote(r)}`);
  }
  return lines.join('\n');
}

function cdkString(s: string, hasPlaceholders: boolean): string {
  if (hasPlaceholders && s.includes('${')) return '`' + s.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Render the statements in a format. `json`: a policy document; others: a snippet for the IaC. */
export function renderPolicy(statements: readonly GeneratedStatement[], format: PolicyFormat, opts: PolicyOptions = {}): string {
  switch (format) {
    case 'json': return JSON.stringify(policyDocument(statements), null, 2) + '\n';
    case 'serverless': {
      if (!statements.length) return 'iam:\n  role:\n    statements: []\n';
      return 'iam:\n  role:\n    statements:\n' + indent(yamlStatements(statements, 'serverless'), 6) + '\n';
    }
    case 'sam': {
      if (!statements.length) return 'Policies: []\n';
      return 'Policies:\n  - Statement:\n' + indent(yamlStatements(statements, 'sam'), 6) + '\n';
    }
    case 'terraform': return terraformDocument(statements, opts.name);
    case 'cdk': {
      const dynamic = opts.region === undefined || opts.account === undefined;
      return statements.map((s) => [
        'new iam.PolicyStatement({',
        `  sid: '${s.sid}',`,
        '  effect: iam.Effect.ALLOW,',
        `  actions: [${s.actions.map((a) => `'${a}'`).join(', ')}],`,
        '  resources: [',
        ...s.resources.map((r) => `    ${cdkString(r, dynamic)},`),
        '  ],',
        '}),',
      ].join('\n')).join('\n') + (statements.length ? '\n' : '');
    }
  }
}

/**
 * A Terraform label (letters, digits, `_` and `-`, starting with a letter or `_`), suffixed so that it does not clash
 * with the module's own policy document of the same function name.
 */
function tfLabel(name: string | undefined): string {
  const l = (name ?? 'lambda').replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^[^A-Za-z_]+/, '');
  return `${l || 'lambda'}_least_privilege`;
}

/** An HCL string literal (`%{` and backslashes escaped; `${…}` placeholders kept as interpolations). */
function hclString(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%\{/g, '%%{') + '"';
}

/** `data "aws_iam_policy_document" "<name>" { statement { … } }`, to attach with `policy = data.….json`. */
function terraformDocument(statements: readonly GeneratedStatement[], name: string | undefined): string {
  const lines = [`data "aws_iam_policy_document" "${tfLabel(name)}" {`];
  for (const s of statements) {
    lines.push('  statement {', `    sid       = ${hclString(s.sid)}`, '    effect    = "Allow"',
      `    actions   = [${s.actions.map(hclString).join(', ')}]`, '    resources = [');
    for (const r of s.resources) lines.push(`      ${hclString(r)},`);
    lines.push('    ]', '  }');
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
