// The function ↔ handler mapping (issue 7): Lambda functions from serverless.yml, SAM/CloudFormation (YAML/JSON) and
// CDK TypeScript (cdk.ts), each with its handler file/export, the environment the IaC gives it (names of parameters/secrets the
// code reads through process.env) and the IAM statements that apply to its role. Pure: no vscode, no AWS.
import * as nodePath from 'node:path';
import {
  buildInfraModel, get, getPath, intrinsicOf, parseInfra, parseServerlessScript, resolvedText, scalarText, type IacNode, type InfraModel, type LambdaFunction,
  type PolicyStatement,
} from '../iac';
import type { ProjectContext } from '../types';
import { UNKNOWN } from './evaluate';
import { cloudFormationKeyed, type KeyedValue } from './keys';

export type Flavour = 'serverless' | 'sam' | 'cloudformation' | 'cdk' | 'terraform' | 'none';

/** One resource of a statement: its text (IaC variables kept as `${…}`), or undefined when not statically known. */
export interface IamResource { text: string | undefined; start: number; end: number }

/** An IAM statement in a neutral form, with offsets into the file that defines it. */
export interface IamStatement {
  effect: 'Allow' | 'Deny' | undefined;
  actions: string[];
  resources: IamResource[];
  /** NotAction / NotResource / unknown actions: what it grants cannot be judged. */
  opaque: boolean;
  start: number;
  end: number;
  /** Stable key (file + offset): statements shared by several functions have the same key. */
  key: string;
  /** The file the offsets belong to, when not the function's `definedIn` (a Terraform module's other files). */
  file?: string;
}

export interface IamFunction {
  /** Serverless function key, CloudFormation logical id, CDK construct id, or the handler's path (no IaC). */
  name: string;
  flavour: Flavour;
  /** The IaC file (or CDK file) that defines the function. */
  definedIn?: string;
  /** Offsets of the function's definition (its key / `new …Function`) in `definedIn`. */
  anchor?: { start: number; end: number };
  /** The handler as written in the IaC (`src/handlers/orders.handler`). */
  handlerSpec?: string;
  /** Resolved handler source file, when found. */
  handlerFile?: string;
  handlerText?: string;
  handlerExport: string;
  /** Environment variable → value (IaC variables kept as `${…}`; `UNKNOWN` marks parts that are not known). */
  env: Map<string, string>;
  statements: IamStatement[];
  /** Why the function's permissions cannot be fully known from the file (managed policy, external role, CDK grant…). */
  opaque?: string;
  /** Parameters and secrets the same IaC creates with an explicit KMS key (for iam-missing-kms-decrypt). */
  keyed?: KeyedValue[];
}

const SCRIPT_EXTS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.tsx', '.jsx'];

export function P(p: string): typeof nodePath.posix {
  return p.includes('\\') && !p.includes('/') ? nodePath.win32 : nodePath.posix;
}

export function readable(project: ProjectContext, file: string): string | undefined {
  try { return project.readFile(file); } catch { return undefined; }
}

/** `src/handlers/orders.handler` → module `src/handlers/orders`, export `handler`. */
export function splitHandler(spec: string): { module: string; exportName: string } {
  const s = spec.trim();
  const i = s.lastIndexOf('.');
  if (i <= 0 || s.slice(i).includes('/')) return { module: s, exportName: 'handler' };
  return { module: s.slice(0, i), exportName: s.slice(i + 1) };
}

/**
 * Find the source file of a module path relative to `dir`: `.ts/.js/.mjs/.cjs`, and the `dist/`/`build/` → `src/`
 * heuristic only when the built file does not exist and the source file does.
 */
export function resolveSourceFile(dir: string, module: string, project: ProjectContext): { path: string; text: string } | undefined {
  const path = P(dir);
  const base = path.normalize(path.join(dir, module));
  const stems = [base];
  const ext = /\.[cm]?[jt]sx?$/i.exec(base)?.[0];
  const tryList: string[] = [];
  if (ext) {
    tryList.push(base.slice(0, -ext.length) + ext.replace(/js/i, 'ts'), base);
  }
  const built = /(^|[\\/])(dist|build|\.build|lib|out)([\\/])/;
  if (built.test(base)) stems.push(base.replace(built, '$1src$3'));
  for (const s of stems) {
    const noExt = ext ? s.slice(0, -ext.length) : s;
    for (const e of SCRIPT_EXTS) tryList.push(noExt + e);
    for (const e of SCRIPT_EXTS) tryList.push(path.join(noExt, 'index' + e));
  }
  for (const f of tryList) {
    const text = readable(project, f);
    if (text !== undefined) return { path: f, text };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// YAML / JSON (serverless, SAM, CloudFormation)

export const IRRELEVANT_MANAGED = /(AWSLambdaBasicExecutionRole|AWSLambdaVPCAccessExecutionRole|AWSXRayDaemonWriteAccess|AWSLambdaExecute|CloudWatchLambdaInsightsExecutionRolePolicy|AWSLambdaSQSQueueExecutionRole|AWSLambdaDynamoDBExecutionRole|AWSLambdaKinesisExecutionRole)$/;

/** `${P}` / `!Ref P` of an `AWS::SSM::Parameter` (its name) or `AWS::SecretsManager::Secret` (its ARN) with a literal Name. */
function substituteResourceRefs(text: string, root: IacNode | undefined): string {
  if (!root || !text.includes('${')) return text;
  const whole = /^\$\{([\w]+)\}$/.exec(text.trim());
  const resOf = (id: string) => getPath(root, 'Resources', id);
  const nameOf = (id: string) => { const n = resolvedText(getPath(resOf(id), 'Properties', 'Name')); return n !== undefined && !n.includes('${') ? n : undefined; };
  if (whole && scalarText(get(resOf(whole[1]), 'Type')) === 'AWS::SecretsManager::Secret') {
    const n = nameOf(whole[1]);
    return n !== undefined ? `arn:aws:secretsmanager:*:*:secret:${n}-??????` : text;
  }
  return text.replace(/\$\{([\w]+)\}/g, (v, id: string) => {
    if (scalarText(get(resOf(id), 'Type')) !== 'AWS::SSM::Parameter') return v;
    const n = nameOf(id);
    return n ?? v;
  });
}

export function statementOf(file: string, st: PolicyStatement, root?: IacNode): IamStatement {
  const eff = st.effect === 'Allow' || st.effect === 'Deny' ? st.effect : undefined;
  const actions: string[] = [];
  let opaque = st.notActions.length > 0 || st.notResources.length > 0;
  for (const a of st.actions) {
    const t = resolvedText(a);
    if (t === undefined) opaque = true; else actions.push(t);
  }
  const resources = st.resources.map((r) => {
    // `#{AWS::Region}` (serverless-pseudo-parameters) is a variable like `${AWS::Region}`
    const t = resolvedText(r)?.replace(/#\{([^}]*)\}/g, '${$1}');
    return { text: t === undefined ? undefined : substituteResourceRefs(t, root), start: r.start, end: r.end };
  });
  return { effect: eff, actions, resources, opaque, start: st.node.start, end: st.node.end, key: `${file}#${st.node.start}` };
}

/** SAM policy templates that grant parameter/secret/KMS reads, as statements. */
function templateStatements(file: string, fn: LambdaFunction): IamStatement[] {
  const out: IamStatement[] = [];
  for (const t of fn.policyTemplates) {
    const param = (n: string) => { const p = get(t.parameters, n); return { text: resolvedText(p), node: p }; };
    let actions: string[] | undefined; let res: { text: string | undefined; node: IacNode | undefined } | undefined;
    const ssmRead = ['ssm:DescribeParameters', 'ssm:GetParameters', 'ssm:GetParameter', 'ssm:GetParametersByPath'];
    if (t.name === 'SSMParameterReadPolicy') {
      const p = param('ParameterName');
      actions = ssmRead;
      res = { text: p.text === undefined ? undefined : `arn:aws:ssm:*:*:parameter/${p.text}`, node: p.node };
    } else if (t.name === 'SSMParameterWithSlashPrefixReadPolicy') {
      const p = param('ParameterName');
      actions = ssmRead;
      res = { text: p.text === undefined ? undefined : `arn:aws:ssm:*:*:parameter${p.text}`, node: p.node };
    } else if (t.name === 'AWSSecretsManagerGetSecretValuePolicy') {
      const p = param('SecretArn');
      actions = ['secretsmanager:GetSecretValue'];
      res = { text: p.text, node: p.node };
    } else if (t.name === 'KMSDecryptPolicy') {
      const p = param('KeyId');
      actions = ['kms:Decrypt'];
      res = { text: p.text === undefined ? undefined : `arn:aws:kms:*:*:key/${p.text}`, node: p.node };
    }
    if (!actions || !res) continue;
    const node = res.node ?? t.parameters;
    out.push({
      effect: 'Allow', actions, resources: [{ text: res.text, start: node.start, end: node.end }], opaque: false,
      start: t.node.start, end: t.node.end, key: `${file}#${t.node.start}:${t.name}`,
    });
  }
  return out;
}

/** Text of an environment value for name resolution: literals, `!Sub`, `!Join`, refs to SSM parameter resources. */
function envText(node: IacNode, model: InfraModel, root: IacNode | undefined, flavour: Flavour, depth = 0): string {
  const intr = intrinsicOf(node);
  if (intr?.fn === 'Ref') {
    const id = scalarText(intr.arg.tag ? { ...intr.arg, tag: undefined } as IacNode : intr.arg);
    const res = id ? getPath(root, 'Resources', id) : undefined;
    if (res) {
      const type = scalarText(get(res, 'Type'));
      // Ref of a parameter is its name; Ref of a secret is its ARN, which GetSecretValue accepts like the name.
      if (type === 'AWS::SSM::Parameter' || type === 'AWS::SecretsManager::Secret') {
        const n = resolvedText(getPath(res, 'Properties', 'Name'));
        if (n !== undefined) return n;
      }
      return UNKNOWN;
    }
  }
  let t = resolvedText(node);
  if (t === undefined) return UNKNOWN;
  if (flavour === 'serverless') {
    // ${self:custom.x} / ${self:service} resolve in the file; deploy-time values (${ssm:…}, ${env:…}) are unknown,
    // also when they hold variables themselves (`${ssm:/app/${sls:stage}/x}`).
    t = deployTimeLookups(t);
    t = t.replace(/\$\{([^{}]*)\}/g, (whole, inner: string) => {
      const expr = inner.split(',')[0].trim();
      const self = /^self:([\w.-]+)$/.exec(expr);
      // The stage is chosen at deploy time (`--stage` overrides provider.stage): keep it as a variable.
      if (expr === 'self:provider.stage') return '${sls:stage}';
      if (self && depth < 4) {
        const v = getPath(root, ...self[1].split('.'));
        if (v && (v.type === 'scalar')) {
          return envText(v, model, root, flavour, depth + 1);
        }
        return whole;
      }
      if (/^(sls:stage|opt:stage|aws:region|aws:accountId|sls:instanceId)/.test(expr)) return expr.startsWith('opt:stage') ? '${sls:stage}' : whole;
      return UNKNOWN;
    });
  } else {
    // CloudFormation: ${Param} stays (it resolves the same way in a !Sub policy); resource attributes are unknown.
    t = t.replace(/\$\{([^{}!]*)\}/g, (whole, inner: string) => {
      if (inner.startsWith('AWS::')) return whole;
      if (model.parameters.has(inner)) return whole;
      const res = getPath(root, 'Resources', inner.split('.')[0]);
      if (res && !inner.includes('.') && scalarText(get(res, 'Type')) === 'AWS::SSM::Parameter') {
        const n = resolvedText(getPath(res, 'Properties', 'Name'));
        if (n !== undefined && !n.includes('${')) return n;
      }
      return UNKNOWN;
    });
  }
  return t;
}

/** `${ssm:…}`, `${file(…):…}`, `${env:…}`… with nested variables, each replaced by UNKNOWN as a whole. */
function deployTimeLookups(t: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const m = /\$\{(?:ssm|env|file|cf|s3|param|aws:ssm|sls:instanceId)[:(]/.exec(t.slice(i));
    if (!m) return out + t.slice(i);
    const start = i + m.index;
    let depth = 0;
    let j = start;
    for (; j < t.length; j++) {
      if (t[j] === '{') depth++;
      else if (t[j] === '}' && --depth === 0) break;
    }
    if (j >= t.length) return out + t.slice(i);
    const whole = t.slice(start, j + 1);
    out += t.slice(i, start) + (whole.slice(2, -1).includes('${') ? UNKNOWN : whole);
    i = j + 1;
  }
}

function roleIsInTemplate(role: IacNode | undefined, root: IacNode | undefined): boolean {
  const intr = intrinsicOf(role);
  if (!intr) return false;
  let id: string | undefined;
  const a = intr.arg.tag ? { ...intr.arg, tag: undefined } as IacNode : intr.arg;
  if (intr.fn === 'Ref') id = scalarText(a);
  else if (intr.fn === 'GetAtt') id = a.type === 'scalar' ? String(a.value).split('.')[0] : a.type === 'seq' ? scalarText(a.items[0]) : undefined;
  if (!id) return false;
  return scalarText(getPath(root, 'Resources', id, 'Type')) === 'AWS::IAM::Role';
}

/** Functions of a serverless.yml / SAM / CloudFormation document. `path` is the document's path. */
/** Functions of a `serverless.ts`/`serverless.js` configuration, read from its AST as serverless.yml would be. */
export function functionsFromServerlessScript(path: string, text: string, project: ProjectContext): IamFunction[] {
  const model = buildInfraModel(parseServerlessScript(path, text, (p) => readable(project, p)));
  return model.format === 'serverless' ? functionsFromInfra(path, text, 'json', project, model) : [];
}

export function functionsFromInfra(path: string, text: string, kind: 'yaml' | 'json', project: ProjectContext, model?: InfraModel): IamFunction[] {
  const infra = model ?? parseInfra(text, kind);
  if (infra.format === 'terraform') return functionsFromTerraform(path, text, project);
  if (infra.format !== 'serverless' && infra.format !== 'cloudformation') return [];
  const root = infra.roots.find((r) => r.type === 'map');
  const dir = P(path).dirname(path);
  const out: IamFunction[] = [];
  const keyed = cloudFormationKeyed(root);
  for (const fn of infra.functions) {
    const flavour = fn.kind as Exclude<Flavour, 'terraform' | 'cdk' | 'none'>;
    const env = new Map<string, string>();
    for (const v of fn.environment) env.set(v.name, envText(v.value, infra, root, flavour));
    const statements = [...fn.policyStatements.map((s) => statementOf(path, s, root)), ...templateStatements(path, fn)];
    let opaque: string | undefined;
    const managed = fn.managedPolicies.map((m) => resolvedText(m) ?? '?').filter((m) => !IRRELEVANT_MANAGED.test(m));
    if (managed.length) opaque = `managed policy ${managed[0]}`;
    if (flavour === 'serverless') {
      const provider = get(root, 'provider');
      const provRole = getPath(provider, 'iam', 'role');
      const custom = get(fn.node, 'role') ?? get(provider, 'role') ?? (provRole && provRole.type !== 'map' ? provRole : undefined);
      if (custom) opaque = 'a custom role';
    } else if (fn.role && !roleIsInTemplate(fn.role, root)) {
      opaque = 'a role defined outside this template';
    } else if (!fn.role && flavour === 'cloudformation') {
      opaque = 'no role in this template';
    }
    // Handler file
    const handlerSpec = resolvedText(fn.handler);
    let codeDir = '.';
    if (flavour === 'sam' || flavour === 'cloudformation') {
      const cu = fn.codeUri && scalarText(fn.codeUri);
      if (cu !== undefined && !/^s3:\/\//.test(cu)) codeDir = cu;
      else if (fn.codeUri) codeDir = '';
    }
    const { module, exportName } = splitHandler(handlerSpec ?? 'index.handler');
    const found = handlerSpec !== undefined && codeDir !== '' ? resolveSourceFile(P(dir).join(dir, codeDir), module, project) : undefined;
    out.push({
      name: fn.name, flavour, definedIn: path, anchor: { start: fn.keyNode.start, end: fn.keyNode.end },
      ...(handlerSpec !== undefined ? { handlerSpec } : {}),
      ...(found ? { handlerFile: found.path, handlerText: found.text } : {}),
      handlerExport: exportName, env, statements, ...(opaque ? { opaque } : {}), ...(keyed.length ? { keyed } : {}),
    });
  }
  return out;
}

export { functionsFromCdk, looksLikeCdk } from './cdk';
export { functionsFromTerraform } from './terraform';
import { functionsFromTerraform } from './terraform';
