// Terraform in the infrastructure model (issue 13 §3): Lambda functions (`aws_lambda_function`, the
// terraform-aws-modules/lambda module), their environment, and the IAM statements that apply to their roles
// (`aws_iam_role_policy`, `aws_iam_policy` + attachments, `inline_policy`, `data "aws_iam_policy_document"`, policies
// written with `jsonencode(…)` or as a JSON heredoc). Works on the map view of HCL (hcl.ts) and on `.tf.json` alike.
import { parseJson } from './json';
import { asList, get, scalarText, type IacMap, type IacNode, type IacScalar } from './nodes';
import type { EnvVariable, InfraModel, LambdaFunction, PolicyStatement, StatementSource } from './model';

/** A resource, data source or module block: `resource "type" "name" { body }`. */
/** `file`: the file of the block, when the roots come from several files (a module's `.tf` files). */
export interface TfBlock { type: string; name: string; keyNode: IacScalar; body: IacMap; file?: string }

/** Whether a root looks like Terraform: `resource`, `data`, `module`, `provider`, `variable` or `terraform` blocks. */
export function isTerraformRoot(root: IacNode | undefined): boolean {
  if (!root || root.type !== 'map') return false;
  let blocks = 0;
  for (const e of root.entries) {
    const k = e.key.value;
    if (k === 'resource' || k === 'data' || k === 'module' || k === 'terraform' || k === 'provider' || k === 'locals' || k === 'variable' || k === 'output') blocks++;
    else if (k === 'Resources' || k === 'service' || k === 'Statement' || k === 'AWSTemplateFormatVersion') return false;
  }
  return blocks > 0;
}

/** Values of a key that may repeat (HCL blocks) or be a list (`.tf.json`). */
export function all(node: IacNode | undefined, key: string): IacNode[] {
  if (!node || node.type !== 'map') return [];
  const out: IacNode[] = [];
  for (const e of node.entries) {
    if (e.key.value !== key) continue;
    if (e.value.type === 'seq') out.push(...e.value.items); else out.push(e.value);
  }
  return out;
}

/** Blocks of a kind (`resource`, `data`, `module`) and type, across every `resource` entry of the root. */
export function tfBlocks(root: IacNode, kind: 'resource' | 'data' | 'module', type?: string, file?: string): TfBlock[] {
  const out: TfBlock[] = [];
  for (const level of all(root, kind)) {
    if (level.type !== 'map') continue;
    if (kind === 'module') {
      for (const e of level.entries) if (e.value.type === 'map') out.push({ type: 'module', name: String(e.key.value), keyNode: e.key, body: e.value, ...(file ? { file } : {}) });
      continue;
    }
    for (const t of level.entries) {
      if (type !== undefined && t.key.value !== type) continue;
      for (const byName of t.value.type === 'seq' ? t.value.items : [t.value]) {
        if (byName.type !== 'map') continue;
        for (const e of byName.entries) {
          for (const body of e.value.type === 'seq' ? e.value.items : [e.value]) {
            if (body.type === 'map') out.push({ type: String(t.key.value), name: String(e.key.value), keyNode: e.key, body, ...(file ? { file } : {}) });
          }
        }
      }
    }
  }
  return out;
}

/** The traversal a node holds (`aws_iam_role.lambda.arn`), for an HCL reference or a `"${aws_iam_role.lambda.arn}"` string. */
export function tfReference(node: IacNode | undefined): string | undefined {
  if (!node || node.type !== 'scalar' || typeof node.value !== 'string') return undefined;
  if (node.tag === 'ref') return node.value;
  const m = /^\$\{([A-Za-z_][\w.\-[\]*"]*)\}$/.exec(node.value.trim());
  return m && !node.tag ? m[1] : undefined;
}

/** `aws_iam_role.lambda.arn` → `lambda` (for the given resource type). */
function referencedName(node: IacNode | undefined, type: string): string | undefined {
  const r = tfReference(node);
  const m = r && new RegExp(`^${type}\\.([\\w-]+)\\b`).exec(r);
  return m ? m[1] : undefined;
}

/** Terraform's lower-case statement keys (`aws_iam_policy_document`) and their JSON counterparts. */
function documentStatements(doc: TfBlock, source: StatementSource): PolicyStatement[] {
  const file = doc.file;
  const out: PolicyStatement[] = [];
  for (const s of all(doc.body, 'statement')) {
    if (s.type !== 'map') continue;
    const effect = scalarText(get(s, 'effect')) ?? 'Allow'; // the default effect of a policy document statement
    const sid = scalarText(get(s, 'sid'));
    const condition = get(s, 'condition');
    out.push({
      node: s, source, effect, owner: doc.name, ...(file ? { file } : {}), ...(sid !== undefined ? { sid } : {}), ...(condition ? { condition } : {}),
      actions: asList(get(s, 'actions')), notActions: asList(get(s, 'not_actions')),
      resources: asList(get(s, 'resources')), notResources: asList(get(s, 'not_resources')),
    });
  }
  return out;
}

/** IAM JSON statements (`Effect`/`Action`/`Resource`) of a policy document node. */
function jsonStatements(policy: IacNode | undefined, source: StatementSource, owner: string, file?: string): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  for (const s of asList(get(policy, 'Statement'))) {
    if (s.type !== 'map' || s.tag) continue;
    const effect = scalarText(get(s, 'Effect'));
    const sid = scalarText(get(s, 'Sid'));
    const condition = get(s, 'Condition');
    out.push({
      node: s, source, owner, ...(file ? { file } : {}), ...(effect !== undefined ? { effect } : {}), ...(sid !== undefined ? { sid } : {}), ...(condition ? { condition } : {}),
      actions: asList(get(s, 'Action')), notActions: asList(get(s, 'NotAction')),
      resources: asList(get(s, 'Resource')), notResources: asList(get(s, 'NotResource')),
    });
  }
  return out;
}

/**
 * A JSON policy written as a string (`<<EOF … EOF`, `"{…}"`): parsed, with offsets moved into the file (a heredoc whose
 * indentation Terraform strips keeps the whole heredoc as the range of each node).
 */
function parsedPolicy(node: IacScalar): IacNode | undefined {
  const text = String(node.value);
  if (!/^\s*\{/.test(text) || !text.includes('"Statement"')) return undefined;
  const parsed = parseJson(text).roots[0];
  if (!parsed) return undefined;
  const base = node.valueStart;
  const shift = (n: IacNode): void => {
    if (base !== undefined) { n.start += base; n.end += base; } else { n.start = node.start; n.end = node.end; }
    if (n.type === 'map') for (const e of n.entries) { shift(e.key); shift(e.value); }
    else if (n.type === 'seq') n.items.forEach(shift);
  };
  shift(parsed);
  return parsed;
}

interface Roles {
  statements: Map<string, PolicyStatement[]>;
  managed: Map<string, IacNode[]>;
  /** Roles defined in these roots. */
  known: Set<string>;
}

/** The statements of a `policy` attribute: jsonencode(…) (a map), a JSON string, or `data.aws_iam_policy_document.x.json`. */
function policyAttribute(policy: IacNode | undefined, owner: TfBlock, source: StatementSource, docs: Map<string, PolicyStatement[]>): PolicyStatement[] {
  if (!policy) return [];
  if (policy.type === 'map') return jsonStatements(policy, source, owner.name, owner.file);
  const doc = referencedName(policy, 'data\\.aws_iam_policy_document');
  if (doc) return docs.get(doc) ?? [];
  if (policy.type === 'scalar' && typeof policy.value === 'string' && !policy.tag) {
    const parsed = parsedPolicy(policy);
    return parsed ? jsonStatements(parsed, source, owner.name, owner.file) : [];
  }
  return [];
}

/** Roles and what applies to them: inline policies, role policies, attached policies and managed policy ARNs. */
type Blocks = (kind: 'resource' | 'data' | 'module', type?: string) => TfBlock[];

function roles(blocks: Blocks, model: InfraModel, docs: Map<string, PolicyStatement[]>): Roles {
  const r: Roles = { statements: new Map(), managed: new Map(), known: new Set() };
  const add = (role: string, st: PolicyStatement[]) => r.statements.set(role, [...(r.statements.get(role) ?? []), ...st]);
  const addManaged = (role: string, n: IacNode[]) => r.managed.set(role, [...(r.managed.get(role) ?? []), ...n]);
  const policies = new Map<string, PolicyStatement[]>();
  for (const p of blocks('resource', 'aws_iam_policy')) {
    const st = policyAttribute(get(p.body, 'policy'), p, 'iam-managed-policy', docs);
    policies.set(p.name, st);
    model.policyStatements.push(...st);
  }
  const roleOf = (n: IacNode | undefined) => referencedName(n, 'aws_iam_role') ?? scalarText(n);
  for (const role of blocks('resource', 'aws_iam_role')) {
    r.known.add(role.name);
    for (const ip of all(role.body, 'inline_policy')) {
      const st = policyAttribute(get(ip, 'policy'), role, 'iam-role', docs);
      model.policyStatements.push(...st);
      add(role.name, st);
    }
    addManaged(role.name, asList(get(role.body, 'managed_policy_arns')));
  }
  for (const rp of blocks('resource', 'aws_iam_role_policy')) {
    const st = policyAttribute(get(rp.body, 'policy'), rp, 'iam-policy', docs);
    model.policyStatements.push(...st);
    const role = roleOf(get(rp.body, 'role'));
    if (role) add(role, st);
  }
  for (const at of [...blocks('resource', 'aws_iam_role_policy_attachment'), ...blocks('resource', 'aws_iam_policy_attachment')]) {
    const arn = get(at.body, 'policy_arn');
    const policy = referencedName(arn, 'aws_iam_policy');
    const targets = at.type === 'aws_iam_policy_attachment' ? asList(get(at.body, 'roles')) : [get(at.body, 'role')];
    for (const t of targets) {
      const role = roleOf(t);
      if (!role) continue;
      if (policy) add(role, policies.get(policy) ?? []);
      else if (arn) addManaged(role, [arn]);
    }
  }
  return r;
}

function envOf(vars: IacNode | undefined, functionName: string, roots: readonly IacNode[], depth = 0): EnvVariable[] {
  if (!vars || depth > 4) return [];
  if (vars.type === 'seq' && vars.tag === 'merge') {
    // later arguments win, as in Terraform
    const byName = new Map<string, EnvVariable>();
    for (const arg of vars.items) for (const v of envOf(arg, functionName, roots, depth + 1)) byName.set(v.name, v);
    return [...byName.values()];
  }
  const local = tfReference(vars)?.match(/^local\.([\w-]+)$/);
  if (local) return envOf(localValue(roots, local[1]), functionName, roots, depth + 1);
  if (vars.type !== 'map') return [];
  return vars.entries.filter((e) => e.key.value !== null).map((e) => ({
    name: String(e.key.value), key: e.key, value: e.value, scope: 'function' as const, functionName,
  }));
}

/** The value of `local.<name>` in these roots. */
export function localValue(roots: readonly IacNode[], name: string): IacNode | undefined {
  for (const r of roots) for (const l of all(r, 'locals')) {
    const v = get(l, name);
    if (v) return v;
  }
  return undefined;
}

/** `aws_lambda_function` resources and terraform-aws-modules/lambda modules. */
function functions(blocks: Blocks, model: InfraModel, rs: Roles, docs: Map<string, PolicyStatement[]>, roots: readonly IacNode[]): void {
  for (const fn of blocks('resource', 'aws_lambda_function')) {
    const environment = envOf(get(all(fn.body, 'environment')[0], 'variables'), fn.name, roots);
    model.environmentVariables.push(...environment);
    const role = get(fn.body, 'role');
    const roleName = referencedName(role, 'aws_iam_role');
    const handler = get(fn.body, 'handler');
    const runtime = get(fn.body, 'runtime');
    const codeUri = get(fn.body, 'filename') ?? get(fn.body, 's3_key') ?? get(fn.body, 'image_uri');
    model.functions.push({
      name: fn.name, kind: 'terraform', keyNode: fn.keyNode, node: fn.body, environment,
      policyStatements: roleName ? rs.statements.get(roleName) ?? [] : [], policyTemplates: [],
      managedPolicies: roleName ? rs.managed.get(roleName) ?? [] : [],
      ...(handler ? { handler } : {}), ...(runtime ? { runtime } : {}), ...(codeUri ? { codeUri } : {}), ...(role ? { role } : {}),
      ...(roleName && !rs.known.has(roleName) ? { roleOutside: true } : {}), ...(fn.file ? { file: fn.file } : {}),
    });
  }
  for (const mod of blocks('module')) moduleFunction(mod, model, docs, roots);
}

/** `module "x" { source = "terraform-aws-modules/lambda/aws" … }`: the module builds the role from its inputs. */
function moduleFunction(mod: TfBlock, model: InfraModel, docs: Map<string, PolicyStatement[]>, roots: readonly IacNode[]): void {
  const source = scalarText(get(mod.body, 'source')) ?? '';
  if (!/terraform-aws-modules\/lambda\/aws|\/\/modules\/lambda|modules\/lambda-function/.test(source)) return;
  const environment = envOf(get(mod.body, 'environment_variables'), mod.name, roots);
  model.environmentVariables.push(...environment);
  const statements: PolicyStatement[] = [];
  const ps = get(mod.body, 'policy_statements');
  if (ps?.type === 'map') {
    for (const e of ps.entries) {
      const s = e.value;
      if (s.type !== 'map') continue;
      statements.push({
        node: s, source: 'other', owner: mod.name, ...(mod.file ? { file: mod.file } : {}), effect: scalarText(get(s, 'effect')) ?? 'Allow',
        actions: asList(get(s, 'actions')), notActions: asList(get(s, 'not_actions')),
        resources: asList(get(s, 'resources')), notResources: asList(get(s, 'not_resources')),
      });
    }
  }
  statements.push(...policyAttribute(get(mod.body, 'policy_json'), mod, 'other', docs));
  model.policyStatements.push(...statements.filter((s) => !model.policyStatements.includes(s)));
  const handler = get(mod.body, 'handler');
  const codeUri = get(mod.body, 'source_path');
  const managed = [...asList(get(mod.body, 'policies')), ...asList(get(mod.body, 'policy'))];
  model.functions.push({
    name: mod.name, kind: 'terraform', keyNode: mod.keyNode, node: mod.body, environment, policyStatements: statements,
    policyTemplates: [], managedPolicies: managed, ...(handler ? { handler } : {}), ...(codeUri ? { codeUri } : {}),
    ...(mod.file ? { file: mod.file } : {}),
  });
}

/** Fill the model from Terraform roots (one file, or every file of a module). */
export function terraform(roots: IacNode[], model: InfraModel, files?: readonly string[]): void {
  const docs = new Map<string, PolicyStatement[]>();
  const blocks = (kind: 'resource' | 'data' | 'module', type?: string) => roots.flatMap((r, i) => tfBlocks(r, kind, type, files?.[i]));
  for (const d of blocks('data', 'aws_iam_policy_document')) {
    const st = documentStatements(d, 'policy-document');
    docs.set(d.name, st);
    model.policyStatements.push(...st);
  }
  const rs = roles(blocks, model, docs);
  functions(blocks, model, rs, docs, roots);
}

export type { LambdaFunction };
