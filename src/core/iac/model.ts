// The infrastructure model: Lambda functions (handler, code location, environment, policy statements) and every IAM
// policy statement, read from serverless.yml, SAM/CloudFormation (YAML or JSON), Terraform (terraform.ts) and IAM
// policy JSON. Every value keeps
// its source offsets, so rules can point at it and fixes (issue 7: least-privilege policies) can rewrite it.
import { parseJson } from './json';
import {
  asList, get, getPath, intrinsicOf, scalarText, walk, type IacMap, type IacNode, type IacScalar, type ParseResult,
} from './nodes';
import { parseYaml } from './yaml';
import { isTerraformRoot, terraform } from './terraform';

export type InfraFormat = 'serverless' | 'cloudformation' | 'terraform' | 'iam-policy' | 'unknown';

export type EnvScope = 'provider' | 'function' | 'globals';

export interface EnvVariable {
  name: string;
  /** The key node (its range covers the variable name). */
  key: IacScalar;
  /** The value node: a literal scalar, or a tagged/intrinsic node (`!Ref`, `{ "Fn::Sub": … }`). */
  value: IacNode;
  scope: EnvScope;
  /** Logical id / serverless function key, for function-scoped variables. */
  functionName?: string;
}

export type StatementSource =
  | 'serverless-iamRoleStatements' | 'serverless-iam-role-statements' | 'serverless-function-iamRoleStatements'
  | 'sam-policies' | 'iam-role' | 'iam-policy' | 'iam-managed-policy' | 'policy-document' | 'other';

export interface PolicyStatement {
  node: IacMap;
  /** `Sid`, when a literal. */
  sid?: string;
  /** `Condition` block, as written. */
  condition?: IacNode;
  /** `Allow` / `Deny` as written (literal only). */
  effect?: string;
  actions: IacNode[];
  notActions: IacNode[];
  resources: IacNode[];
  notResources: IacNode[];
  source: StatementSource;
  /** Resource logical id (CloudFormation) or Terraform resource name owning the policy, if any. */
  owner?: string;
  /** The file of the statement when the model spans several files (a Terraform module). */
  file?: string;
}

/** A SAM policy template (`SSMParameterReadPolicy: { ParameterName: x }`). */
export interface SamPolicyTemplate { name: string; node: IacNode; parameters: IacNode }

export interface LambdaFunction {
  /** Serverless function key or CloudFormation logical id. */
  name: string;
  kind: 'serverless' | 'sam' | 'cloudformation' | 'terraform';
  keyNode: IacScalar;
  node: IacNode;
  handler?: IacNode;
  runtime?: IacNode;
  /** `CodeUri` (SAM), `Code` (CloudFormation) or `package.patterns`/`package.artifact` (serverless). */
  codeUri?: IacNode;
  /** Effective environment: shared (provider/globals) variables overridden by the function's own. */
  environment: EnvVariable[];
  /** Statements that apply to this function's role (shared provider role, SAM Policies, linked IAM role/policies). */
  policyStatements: PolicyStatement[];
  policyTemplates: SamPolicyTemplate[];
  /** Managed policy names/ARNs attached (SAM `Policies` strings, role `ManagedPolicyArns`). */
  managedPolicies: IacNode[];
  /** `Role` property (CloudFormation), `role` (serverless, Terraform), when set. */
  role?: IacNode;
  /** Terraform: the role is a resource of another module or account (its policies are not in these files). */
  roleOutside?: boolean;
  /** The file that defines the function when the model spans several files (a Terraform module). */
  file?: string;
}

export interface InfraModel {
  format: InfraFormat;
  roots: IacNode[];
  errors: ParseResult['errors'];
  functions: LambdaFunction[];
  /** Every environment variable declared, once each (provider, globals and function scopes). */
  environmentVariables: EnvVariable[];
  /** Every IAM policy statement found in the document, once each. */
  policyStatements: PolicyStatement[];
  /** CloudFormation `Parameters` by name. */
  parameters: Map<string, IacNode>;
  /**
   * serverless.yml: what a whole-value variable defined in the same file stands for — `${self:custom.x}` (the node at
   * that path) or `${param:x}` (its value under every stage of `params`). Undefined when it is not a variable of this
   * file (environment, dashboard parameters, other files, SSM): its value is then unknown.
   */
  resolveVariable?(node: IacNode | undefined): IacNode[] | undefined;
}

/** Parse a YAML or JSON document and build its model. Never throws. */
export function parseInfra(text: string, kind: 'yaml' | 'json'): InfraModel {
  const parsed = kind === 'json' ? parseJson(text) : parseYaml(text);
  return buildInfraModel(parsed);
}

export function detectFormat(root: IacNode | undefined): InfraFormat {
  if (!root || root.type !== 'map') return 'unknown';
  if (isTerraformRoot(root)) return 'terraform';
  if (get(root, 'service') !== undefined && (get(root, 'provider') !== undefined || get(root, 'functions') !== undefined)) return 'serverless';
  if (get(root, 'Resources')?.type === 'map' || get(root, 'AWSTemplateFormatVersion') !== undefined) return 'cloudformation';
  if (get(root, 'Statement') !== undefined) return 'iam-policy';
  return 'unknown';
}

function envFrom(vars: IacNode | undefined, scope: EnvScope, functionName?: string): EnvVariable[] {
  if (!vars || vars.type !== 'map' || vars.tag) return [];
  return vars.entries.filter((e) => e.key.value !== null).map((e) => ({
    name: String(e.key.value), key: e.key, value: e.value, scope, ...(functionName ? { functionName } : {}),
  }));
}

function merge(shared: EnvVariable[], own: EnvVariable[]): EnvVariable[] {
  const names = new Set(own.map((v) => v.name));
  return [...shared.filter((v) => !names.has(v.name)), ...own];
}

function statementsOf(list: IacNode | undefined, source: StatementSource, owner?: string): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  for (const s of asList(list)) {
    if (s.type !== 'map' || s.tag) continue;
    const effect = scalarText(get(s, 'Effect'));
    const sid = scalarText(get(s, 'Sid'));
    const condition = get(s, 'Condition');
    out.push({
      node: s, source, ...(effect !== undefined ? { effect } : {}), ...(owner ? { owner } : {}),
      ...(sid !== undefined ? { sid } : {}), ...(condition ? { condition } : {}),
      actions: asList(get(s, 'Action')), notActions: asList(get(s, 'NotAction')),
      resources: asList(get(s, 'Resource')), notResources: asList(get(s, 'NotResource')),
    });
  }
  return out;
}

/** Logical id referenced by `!Ref X`, `!GetAtt X.Arn`, `{ "Fn::GetAtt": ["X", "Arn"] }`. */
function referencedId(node: IacNode | undefined): string | undefined {
  const intr = intrinsicOf(node);
  if (!intr) return undefined;
  const a = intr.arg;
  if (intr.fn === 'Ref' && a.type === 'scalar') return a.value === null ? undefined : String(a.value);
  if (intr.fn === 'GetAtt') {
    if (a.type === 'scalar' && typeof a.value === 'string') return a.value.split('.')[0];
    if (a.type === 'seq') return scalarText(a.items[0]);
  }
  return undefined;
}

/** `${self:a.b}` / `${param:x}` (optionally with a `, default`) that make up a whole scalar; `*` stands for any key. */
const WHOLE_VARIABLE = /^\$\{(self|param):([\w.*-]+)\s*(?:,[^}]*)?\}$/;

/** Variables whose value is chosen at deploy time: any key of the level they select. */
const STAGE_VARIABLE = /^(?:self:provider\.stage|opt:stage|sls:stage)(?:\s*,.*)?$/;

/**
 * Whether a whole scalar is one Serverless variable, nested ones included
 * (`${file(./config/${self:provider.stage}.yml):CLIENT_SECRET}`).
 */
export function isWholeServerlessVariable(text: string): boolean {
  const t = text.trim();
  if (!t.startsWith('${')) return false;
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '$' && t[i + 1] === '{') { depth++; i++; continue; }
    if (t[i] === '}' && --depth === 0) return i === t.length - 1;
  }
  return false;
}

/**
 * The innermost variables of a nested one, substituted: the stage (chosen at deploy time) by `*`, a `${self:…}` that
 * is a literal of this file by its text. `${self:custom.secrets.${self:provider.stage}.DB}` → `${self:custom.secrets.*.DB}`.
 */
function flattenNested(text: string, root: IacMap): string {
  let t = text.trim();
  for (let guard = 0; guard < 8; guard++) {
    const inner = /\$\{([^${}]*)\}(?=[^]*\})/.exec(t.slice(2));
    if (!inner) break;
    const at = inner.index + 2;
    const expr = inner[1];
    let value = '*';
    const self = /^self:([\w.-]+)$/.exec(expr);
    if (!STAGE_VARIABLE.test(expr) && self) {
      const v = getPath(root, ...self[1].split('.'));
      if (v?.type === 'scalar' && !v.tag && v.value !== null) value = String(v.value);
    }
    t = t.slice(0, at) + value + t.slice(at + inner[0].length);
  }
  return t;
}

/** Nodes at a dotted path where `*` matches every key of its level. */
function getPaths(root: IacNode, keys: string[]): IacNode[] {
  let level: IacNode[] = [root];
  for (const k of keys) {
    const next: IacNode[] = [];
    for (const n of level) {
      if (k !== '*') { const v = get(n, k); if (v) next.push(v); continue; }
      if (n.type === 'map') for (const e of n.entries) next.push(e.value);
    }
    level = next;
    if (!level.length) break;
  }
  return level;
}

/**
 * Resolve a whole-value `${self:…}` or `${param:…}` variable against this serverless.yml (chains followed, 5 deep; a
 * nested stage variable selects every stage).
 */
function serverlessResolver(root: IacMap): (node: IacNode | undefined) => IacNode[] | undefined {
  const resolve = (node: IacNode | undefined, depth: number): IacNode[] | undefined => {
    if (!node || node.type !== 'scalar' || typeof node.value !== 'string' || depth > 5) return undefined;
    const m = WHOLE_VARIABLE.exec(flattenNested(node.value, root));
    if (!m) return undefined;
    let found: IacNode[] = [];
    if (m[1] === 'self') found = getPaths(root, m[2].split('.'));
    else {
      const params = get(root, 'params');
      if (params?.type === 'map') for (const stage of params.entries) found.push(...getPaths(stage.value, m[2].split('.')));
    }
    if (!found.length) return undefined;
    return found.flatMap((n) => resolve(n, depth + 1) ?? [n]);
  };
  return (node) => resolve(node, 0);
}

function serverless(root: IacMap, model: InfraModel): void {
  const resolver = serverlessResolver(root);
  model.resolveVariable = resolver;
  // `environment: ${self:custom.settings}`: the block itself may live elsewhere in the file.
  const envBlock = (n: IacNode | undefined) => resolver(n)?.find((r) => r.type === 'map') ?? n;
  const provider = get(root, 'provider');
  const shared = envFrom(envBlock(get(provider, 'environment')), 'provider');
  model.environmentVariables.push(...shared);
  const sharedStatements = [
    ...statementsOf(get(provider, 'iamRoleStatements'), 'serverless-iamRoleStatements'),
    ...statementsOf(getPath(provider, 'iam', 'role', 'statements'), 'serverless-iam-role-statements'),
  ];
  model.policyStatements.push(...sharedStatements);
  // `resources: { Resources: … }` is plain CloudFormation merged into the stack
  const extra = get(root, 'resources');
  if (extra?.type === 'map' && get(extra, 'Resources')?.type === 'map') cloudformation(extra, model);
  const fns = get(root, 'functions');
  const entries = fns?.type === 'map' ? fns.entries : [];
  // `functions:` may also be a list of maps in older configs
  const list = fns?.type === 'seq' ? fns.items.flatMap((i) => (i.type === 'map' ? i.entries : [])) : [];
  for (const e of [...entries, ...list]) {
    const name = String(e.key.value);
    const fn = e.value;
    const own = envFrom(envBlock(get(fn, 'environment')), 'function', name);
    model.environmentVariables.push(...own);
    const ownStatements = statementsOf(get(fn, 'iamRoleStatements'), 'serverless-function-iamRoleStatements', name);
    model.policyStatements.push(...ownStatements);
    const handler = get(fn, 'handler');
    const runtime = get(fn, 'runtime') ?? get(provider, 'runtime');
    const codeUri = getPath(fn, 'package', 'artifact') ?? getPath(fn, 'package', 'patterns');
    const role = get(fn, 'role') ?? get(provider, 'role') ?? getPath(provider, 'iam', 'role', 'name');
    model.functions.push({
      name, kind: 'serverless', keyNode: e.key, node: fn, environment: merge(shared, own),
      policyStatements: [...sharedStatements, ...ownStatements], policyTemplates: [], managedPolicies: asList(getPath(provider, 'iam', 'role', 'managedPolicies')),
      ...(handler ? { handler } : {}), ...(runtime ? { runtime } : {}), ...(codeUri ? { codeUri } : {}), ...(role ? { role } : {}),
    });
  }
}

function cloudformation(root: IacMap, model: InfraModel): void {
  const params = get(root, 'Parameters');
  if (params?.type === 'map') for (const e of params.entries) model.parameters.set(String(e.key.value), e.value);
  const globalsFn = getPath(root, 'Globals', 'Function');
  const globalEnv = envFrom(getPath(globalsFn, 'Environment', 'Variables'), 'globals');
  model.environmentVariables.push(...globalEnv);
  const resources = get(root, 'Resources');
  if (resources?.type !== 'map') return;

  // Roles and policies first, so functions can link to them.
  const roleStatements = new Map<string, PolicyStatement[]>();
  const roleManaged = new Map<string, IacNode[]>();
  const addToRole = (role: string, st: PolicyStatement[]) => roleStatements.set(role, [...(roleStatements.get(role) ?? []), ...st]);
  for (const e of resources.entries) {
    const id = String(e.key.value);
    const type = scalarText(get(e.value, 'Type'));
    const props = get(e.value, 'Properties');
    if (type === 'AWS::IAM::Role') {
      const st: PolicyStatement[] = [];
      for (const p of asList(get(props, 'Policies'))) st.push(...statementsOf(getPath(p, 'PolicyDocument', 'Statement'), 'iam-role', id));
      model.policyStatements.push(...st);
      addToRole(id, st);
      roleManaged.set(id, asList(get(props, 'ManagedPolicyArns')));
    } else if (type === 'AWS::IAM::Policy' || type === 'AWS::IAM::ManagedPolicy') {
      const st = statementsOf(getPath(props, 'PolicyDocument', 'Statement'), type === 'AWS::IAM::Policy' ? 'iam-policy' : 'iam-managed-policy', id);
      model.policyStatements.push(...st);
      for (const r of asList(get(props, 'Roles'))) {
        const roleId = referencedId(r);
        if (roleId) addToRole(roleId, st);
      }
    }
  }

  for (const e of resources.entries) {
    const id = String(e.key.value);
    const type = scalarText(get(e.value, 'Type'));
    if (type !== 'AWS::Serverless::Function' && type !== 'AWS::Lambda::Function') continue;
    const props = get(e.value, 'Properties');
    const own = envFrom(getPath(props, 'Environment', 'Variables'), 'function', id);
    model.environmentVariables.push(...own);
    const sam = type === 'AWS::Serverless::Function';
    const statements: PolicyStatement[] = [];
    const templates: SamPolicyTemplate[] = [];
    const managed: IacNode[] = [];
    if (sam) {
      for (const p of asList(get(props, 'Policies'))) {
        if (p.type === 'scalar' || intrinsicOf(p)) { managed.push(p); continue; }
        if (p.type !== 'map') continue;
        if (get(p, 'Statement') !== undefined) { statements.push(...statementsOf(get(p, 'Statement'), 'sam-policies', id)); continue; }
        for (const t of p.entries) templates.push({ name: String(t.key.value), node: p, parameters: t.value });
      }
      model.policyStatements.push(...statements);
    }
    const role = get(props, 'Role');
    const roleId = referencedId(role);
    if (roleId) {
      statements.push(...(roleStatements.get(roleId) ?? []));
      managed.push(...(roleManaged.get(roleId) ?? []));
    }
    const handler = get(props, 'Handler') ?? (sam ? get(globalsFn, 'Handler') : undefined);
    const runtime = get(props, 'Runtime') ?? (sam ? get(globalsFn, 'Runtime') : undefined);
    const codeUri = get(props, sam ? 'CodeUri' : 'Code') ?? (sam ? get(globalsFn, 'CodeUri') : undefined);
    model.functions.push({
      name: id, kind: sam ? 'sam' : 'cloudformation', keyNode: e.key, node: e.value,
      environment: sam ? merge(globalEnv, own) : own, policyStatements: statements, policyTemplates: templates, managedPolicies: managed,
      ...(handler ? { handler } : {}), ...(runtime ? { runtime } : {}), ...(codeUri ? { codeUri } : {}), ...(role ? { role } : {}),
    });
  }
}

/** Any `Statement` list elsewhere (policy documents embedded in other resources or config): statements not yet seen. */
function otherStatements(root: IacNode, model: InfraModel): void {
  const seen = new Set(model.policyStatements.map((s) => s.node.start));
  walk(root, (step) => {
    const n = step.node;
    if (n.type !== 'map' || step.key !== 'Statement') return;
    if (get(n, 'Action') === undefined && get(n, 'NotAction') === undefined) return;
    if (seen.has(n.start)) return;
    seen.add(n.start);
    model.policyStatements.push(...statementsOf(n, step.parent?.node.type === 'map' && step.parent.key === undefined && model.format === 'iam-policy' ? 'policy-document' : 'other'));
  });
}

export function buildInfraModel(parsed: ParseResult): InfraModel {
  const root = parsed.roots[0];
  const model: InfraModel = {
    format: detectFormat(root), roots: parsed.roots, errors: parsed.errors, functions: [], environmentVariables: [],
    policyStatements: [], parameters: new Map(),
  };
  try {
    if (model.format === 'terraform') terraform(parsed.roots.filter(isTerraformRoot), model);
    for (const r of parsed.roots) {
      if (r.type !== 'map') continue;
      const f = detectFormat(r);
      if (f === 'serverless') serverless(r, model);
      else if (f === 'cloudformation') cloudformation(r, model);
      else if (f === 'iam-policy') model.policyStatements.push(...statementsOf(get(r, 'Statement'), 'policy-document'));
    }
    for (const r of parsed.roots) otherStatements(r, model);
  } catch {
    // A malformed shape must not break analysis: keep what was collected.
  }
  return model;
}
