// secret-in-env, configured values: whether a value that serverless.yml, SAM/CloudFormation, Terraform, CDK or
// serverless.ts puts in a function's environment is a secret (a literal, or a reference resolved at deploy time).
import { ts } from '../../ts';
import { get, getPath, isWholeServerlessVariable, refName, tfBlocks, resolvedText, scalarText, type EnvVariable, type IacNode, type InfraModel } from '../../iac';
import { classifySecret, isReferenceName, isSecretName, pathLooksSecret, secretLabel } from '../../secrets';
import { literalText, unwrap } from './shared';
import { STOP, walkTree } from '../../lambda/syntax';

const SK = ts.SyntaxKind;

export const WHY = 'Lambda stores environment variables in plaintext in the function configuration: anyone with '
  + 'lambda:GetFunctionConfiguration, the console or the deployment artifacts can read them, and they do not rotate.';
export const TODO = 'Store it as a Parameter Store SecureString (or in Secrets Manager if it must rotate), put only its name '
  + 'or ARN in the environment, and read it at runtime through a cached loader.';

export interface EnvVerdict { kind: string; how: string }

export const LAMBDA_CLASSES = new Set(['Function', 'NodejsFunction', 'DockerImageFunction', 'PythonFunction', 'GoFunction',
  'SingletonFunction', 'RustFunction', 'JavaFunction', 'BundledFunction']);

/** Server SDK keys (`LAUNCHDARKLY_SDK_KEY`, `SPLIT_SDK_KEY`) are secrets; browser and mobile SDK keys are public. */
const SDK_KEY = /(?:^|_|[a-z])SDK_?KEY$/i;
const PUBLIC_SDK_KEY = /(?:CLIENT|BROWSER|MOBILE|PUBLIC|FRONTEND|WEB|JS)_?SDK_?KEY$/i;
/** Incoming-webhook URLs (Slack, Teams, Discord) carry their own credential. */
const WEBHOOK_URL = /(?:^|_|[a-z])WEBHOOK_?URL$/i;

/** A variable name that says it holds a secret: the shared secret words, plus server SDK keys. */
export function isEnvSecretName(name: string, extra: ReadonlySet<string>): boolean {
  if (isReferenceName(name)) return false;
  return isSecretName(name, extra) || (SDK_KEY.test(name) && !PUBLIC_SDK_KEY.test(name));
}

/** Is a template/serverless environment value a secret, or a deploy-time reference that puts a secret in plain env? */
export function judgeDocValue(v: EnvVariable, model: InfraModel, extra: ReadonlySet<string>): EnvVerdict | undefined {
  // serverless.yml `${self:custom.x}` / `${param:x}` defined in this file: judge what it stands for (a secret name in
  // `params` is not a secret; a `${ssm:…~true}` behind `custom` is).
  const resolved = model.resolveVariable?.(v.value);
  if (resolved) {
    for (const r of resolved) {
      const verdict = databasePassword(r, model) ?? judgeDocValue({ ...v, value: r }, { ...model, resolveVariable: undefined }, extra);
      if (verdict) return verdict;
    }
    return undefined;
  }
  const lit = scalarText(v.value);
  const named = isEnvSecretName(v.name, extra);
  if (model.format === 'terraform' && (lit === undefined || (v.value.type === 'scalar' && v.value.interpolated))) {
    const tf = judgeTerraformValue(v, model, named, extra);
    if (tf || lit === undefined) return tf;
  }
  if (lit !== undefined) {
    const m = classifySecret(lit, v.name, { extraWords: extra });
    if (m) return { kind: m.kind, how: `a literal ${secretLabel(m.kind)}` };
  }
  const text = lit ?? resolvedText(v.value);
  // a literal `${…}` is a Serverless variable; a `!Ref`/`!Sub` rendered as `${…}` is CloudFormation's (judged below)
  const verdict = text === undefined ? undefined
    : judgeDynamicReference(text, named, extra) ?? judgeServerlessVariable(v.name, lit, named, model, extra);
  return verdict ?? judgeTemplateParameter(v, model, named, extra);
}

/** `{{resolve:secretsmanager:…}}` / `{{resolve:ssm-secure:…}}` (and `{{resolve:ssm:…}}` of a secret-looking name). */
function judgeDynamicReference(text: string, named: boolean, extra: ReadonlySet<string>): EnvVerdict | undefined {
  const dyn = /\{\{resolve:(secretsmanager|ssm-secure|ssm):(.*?)\}\}/.exec(text);
  if (!dyn) return undefined;
  // `{{resolve:secretsmanager:id:SecretString:host}}` of a non-secret JSON key (host, port, username) into a
  // non-secret variable is connection metadata; the password key, or the whole secret string, is the secret.
  const jsonKey = dyn[1] === 'secretsmanager' ? /:SecretString:([^:}]+)/.exec(dyn[2] + '}')?.[1] : undefined;
  const metadataOnly = jsonKey !== undefined && !named && !isSecretName(jsonKey, extra)
    && /^(?:host|hostname|port|username|user|dbname|database|engine|dbClusterIdentifier|dbInstanceIdentifier|endpoint|url|region)$/i.test(jsonKey);
  const how = `a {{resolve:${dyn[1]}:…}} dynamic reference, which CloudFormation resolves into the plaintext environment at deploy time`;
  if (dyn[1] !== 'ssm' && !metadataOnly) return { kind: 'dynamic-reference', how };
  const param = dyn[2].split(':')[0];
  if (dyn[1] === 'ssm' && (named || pathLooksSecret(param, extra))) return { kind: 'dynamic-reference', how };
  return undefined;
}

/** serverless.yml variables: `${ssm:…}`, Secrets Manager variables, and any variable behind a secret-named key. */
function judgeServerlessVariable(name: string, lit: string | undefined, named: boolean, model: InfraModel, extra: ReadonlySet<string>): EnvVerdict | undefined {
  if (lit === undefined) return undefined;
  const sls = /\$\{ssm(?:\([^)]*\))?:([^}~,\s]+)(~true)?/.exec(lit);
  if (sls) {
    const path = sls[1].replace(/^['"]|['"]$/g, '');
    // a webhook URL kept in Parameter Store is a credential too (Keyway's own secret rule says so)
    if (named || WEBHOOK_URL.test(name) || sls[2] || /\/aws\/reference\/secretsmanager\//.test(path) || pathLooksSecret(path, extra)) {
      return { kind: 'ssm-variable', how: 'a ${ssm:…} variable, which the Serverless Framework resolves into the plaintext environment at deploy time' };
    }
  }
  if (/\$\{(?:aws:)?secretsmanager:|\$\{ssm:\/aws\/reference\/secretsmanager/.test(lit)) {
    return { kind: 'ssm-variable', how: 'a Secrets Manager variable resolved into the plaintext environment at deploy time' };
  }
  // `${env:DB_PASSWORD}`, `${file(./config/${self:provider.stage}.yml):CLIENT_SECRET}`, `${self:custom.dbPassword}`,
  // `${param:apiKey}`: whatever the source, the resolved secret is written into the function configuration.
  if (model.format !== 'serverless' || /^\$\{ssm[:(]/.test(lit.trim()) || !isWholeServerlessVariable(lit)) return undefined;
  if (named || isEnvSecretName(variableKey(lit), extra)) {
    return { kind: 'deploy-variable', how: 'a Serverless variable resolved into the plaintext environment at deploy time' };
  }
  return undefined;
}

/** The key a variable reads: `CLIENT_SECRET` of `${file(./x.yml):CLIENT_SECRET}`, `dbPassword` of `${self:custom.dbPassword}`. */
function variableKey(text: string): string {
  const inner = text.trim().slice(2, -1).replace(/\s*,.*$/s, '');
  const parts = inner.split(/[:.]/).filter(Boolean);
  return parts[parts.length - 1] ?? '';
}

/** `!Ref SomeParameter` of a NoEcho / SSM-typed template parameter puts the parameter's value itself in the env. */
function judgeTemplateParameter(v: EnvVariable, model: InfraModel, named: boolean, extra: ReadonlySet<string>): EnvVerdict | undefined {
  const ref = refName(v.value);
  if (!ref || isReferenceName(v.name)) return undefined;
  const p = model.parameters.get(ref);
  if (!p) return undefined;
  const noEcho = /^true$/i.test(scalarText(get(p, 'NoEcho')) ?? '');
  const type = scalarText(get(p, 'Type')) ?? '';
  const ssmTyped = /^AWS::SSM::Parameter::Value</.test(type);
  const def = scalarText(get(p, 'Default')) ?? '';
  if (noEcho && (named || isSecretName(ref, extra))) return { kind: 'template-parameter', how: `the NoEcho template parameter '${ref}', whose value ends up in the plaintext environment` };
  if (ssmTyped && (named || WEBHOOK_URL.test(v.name) || pathLooksSecret(def, extra))) return { kind: 'template-parameter', how: `the SSM-typed template parameter '${ref}', whose value is resolved into the plaintext environment` };
  if (named && type !== 'AWS::SSM::Parameter::Name') return { kind: 'template-parameter', how: `the template parameter '${ref}', whose value ends up in the plaintext environment` };
  return undefined;
}

/**
 * Terraform: a reference that puts a secret into the environment at apply time (and into the state): a Secrets Manager
 * secret string, a Parameter Store value of a secret parameter, a generated password, a secret-named variable.
 */
function judgeTerraformValue(v: EnvVariable, model: InfraModel, named: boolean, extra: ReadonlySet<string>): EnvVerdict | undefined {
  const n = v.value;
  if (n.type !== 'scalar' || typeof n.value !== 'string') return undefined;
  const t = n.value;
  const how = (what: string) => ({ kind: 'terraform-reference', how: `${what}, which Terraform writes into the plaintext environment (and the state) at apply time` });
  if (/\bdata\.aws_secretsmanager_secret_version\.[\w-]+\.secret_(?:string|binary)\b|\baws_secretsmanager_secret_version\.[\w-]+\.secret_string\b/.test(t)) return how('a Secrets Manager secret value');
  const ssm = /\b(data\.)?aws_ssm_parameter\.([\w-]+)\.(?:value|insecure_value)\b/.exec(t);
  if (ssm) {
    const block = model.roots.flatMap((r) => tfBlocks(r, ssm[1] ? 'data' : 'resource', 'aws_ssm_parameter')).find((b) => b.name === ssm[2]);
    const pname = scalarText(get(block?.body, 'name')) ?? ssm[2];
    const secure = scalarText(get(block?.body, 'type')) === 'SecureString';
    if (named || secure || WEBHOOK_URL.test(v.name) || pathLooksSecret(pname, extra) || isSecretName(ssm[2], extra)) return how(`the value of the parameter "${pname}"`);
  }
  if (/\brandom_password\.[\w-]+\.result\b/.test(t)) return how('a generated password (random_password)');
  const variable = /\bvar\.([\w-]+)\b/.exec(t);
  if (variable && (named || isEnvSecretName(variable[1], extra))) return how(`the variable var.${variable[1]}`);
  return undefined;
}

/** Resource properties that set a database or cache password. */
const PASSWORD_PROPERTIES = new Set(['MasterUserPassword', 'MasterPassword', 'AuthToken', 'Password']);
const passwordSinks = new WeakMap<InfraModel, { nodes: Map<IacNode, string>; texts: Map<string, string> }>();

/**
 * A resolved value that the same template also deploys as a database master password (`MasterUserPassword:
 * ${self:custom.dbPassword}` and `DB_PASS: ${self:custom.dbPassword}`): a password, whatever the variable is named.
 */
function databasePassword(value: IacNode, model: InfraModel): EnvVerdict | undefined {
  let sinks = passwordSinks.get(model);
  if (!sinks) passwordSinks.set(model, sinks = collectPasswordSinks(model));
  const lit = scalarText(value);
  if (!lit || lit.length < 4 || lit.includes('${')) return undefined;
  const owner = sinks.nodes.get(value) ?? sinks.texts.get(lit);
  if (owner === undefined) return undefined;
  return { kind: 'database-password', how: `a literal that is also deployed as the database password of ${owner}` };
}

function collectPasswordSinks(model: InfraModel): { nodes: Map<IacNode, string>; texts: Map<string, string> } {
  const nodes = new Map<IacNode, string>();
  const texts = new Map<string, string>();
  for (const root of model.roots) {
    const resources = get(root, 'Resources') ?? getPath(root, 'resources', 'Resources');
    if (resources?.type !== 'map') continue;
    for (const e of resources.entries) {
      const props = get(e.value, 'Properties');
      if (props?.type !== 'map') continue;
      for (const p of props.entries) {
        if (!PASSWORD_PROPERTIES.has(String(p.key.value))) continue;
        for (const n of model.resolveVariable?.(p.value) ?? [p.value]) {
          nodes.set(n, String(e.key.value));
          const t = scalarText(n);
          if (t) texts.set(t, String(e.key.value));
        }
      }
    }
  }
  return { nodes, texts };
}

export function envMessage(name: string, how: string, scope: string): string {
  return `Secret in the Lambda environment: '${name}' (${scope}) is set from ${how}. ${WHY} ${TODO}`;
}

/** A model stub for judging string values of a `serverless.ts` configuration with the YAML logic. */
export const SERVERLESS_TS_MODEL: InfraModel = {
  format: 'serverless', roots: [], errors: [], functions: [], environmentVariables: [], policyStatements: [], parameters: new Map(),
};

/**
 * Does this file look like Lambda code (so reading a secret from process.env is the Lambda anti-pattern)? An AWS SDK

/** CDK: value of an env var in `environment: {…}` — a literal secret, or a secret resolved at deploy time. */
export function judgeCdkValue(name: string, init: ts.Expression, extra: ReadonlySet<string>): EnvVerdict | undefined {
  const e = unwrap(init);
  const lit = literalText(e);
  // a literal `{{resolve:secretsmanager:…}}` is a dynamic reference, judged below
  if (lit !== undefined && !lit.includes('{{resolve:')) {
    const m = classifySecret(lit, name, { extraWords: extra });
    return m ? { kind: m.kind, how: `a literal ${secretLabel(m.kind)}` } : undefined;
  }
  if (e.kind === SK.Identifier) return undefined;
  const text = e.getText();
  if (/\.(?:secretArn|secretName|secretFullArn|parameterName|parameterArn|keyArn|keyId)\b\s*$/.test(text)) return undefined;
  if (/unsafeUnwrap\s*\(|\bsecretValue(?:FromJson)?\b|SecretValue\s*\.\s*(?:secretsManager|ssmSecure|unsafePlainText|plainText|cfnParameter|resourceAttribute)/.test(text)) {
    return { kind: 'secret-value', how: 'a SecretValue unwrapped into the plaintext environment at deploy time' };
  }
  const named = isSecretName(name, extra) && !isReferenceName(name);
  if (/valueForStringParameter|valueForSecureStringParameter|valueFromLookup|\.stringValue\b|fromStringParameter|\{\{resolve:/.test(text)) {
    const path = /['"`](\/[^'"`]+)['"`]/.exec(text)?.[1];
    if (named || (path && pathLooksSecret(path, extra)) || /resolve:(?:secretsmanager|ssm-secure)/.test(text)) {
      return { kind: 'ssm-parameter-value', how: 'a Parameter Store value resolved into the plaintext environment at deploy time' };
    }
  }
  return undefined;
}


/** A `const name = {…}` of this file (the environment object shared by several functions). */
function constObject(sf: ts.SourceFile, name: string): ts.ObjectLiteralExpression | undefined {
  let found: ts.ObjectLiteralExpression | undefined;
  walkTree(sf, (n) => {
    if (n.kind !== SK.VariableDeclaration) return;
    const d = n as ts.VariableDeclaration;
    const init = d.initializer && unwrap(d.initializer);
    if (d.name.kind === SK.Identifier && (d.name as ts.Identifier).text === name && init?.kind === SK.ObjectLiteralExpression) {
      found = init as ts.ObjectLiteralExpression;
      return STOP;
    }
  });
  return found;
}

/**
 * The `name: value` entries of a CDK `environment`: an object literal, with `...spread`s and a shared `const`
 * object of this file followed (`environment: commonEnv`, `environment: { ...commonEnv, STAGE: 'prod' }`).
 */
export function envEntries(sf: ts.SourceFile, e: ts.Expression | undefined, depth = 0): ts.PropertyAssignment[] {
  const u = e && unwrap(e);
  if (!u || depth > 4) return [];
  if (u.kind === SK.Identifier) {
    const obj = constObject(sf, (u as ts.Identifier).text);
    return obj ? envEntries(sf, obj, depth + 1) : [];
  }
  if (u.kind !== SK.ObjectLiteralExpression) return [];
  const out: ts.PropertyAssignment[] = [];
  for (const p of (u as ts.ObjectLiteralExpression).properties) {
    if (p.kind === SK.PropertyAssignment) out.push(p as ts.PropertyAssignment);
    else if (p.kind === SK.SpreadAssignment) out.push(...envEntries(sf, (p as ts.SpreadAssignment).expression, depth + 1));
  }
  return out;
}
