// secret-in-env, configured values: whether a value that serverless.yml, SAM/CloudFormation, Terraform, CDK or
// serverless.ts puts in a function's environment is a secret (a literal, or a reference resolved at deploy time).
import { ts, tsv } from '../../ts';
import { get, refName, resolvedText, scalarText, type EnvVariable, type InfraModel } from '../../iac';
import { classifySecret, isReferenceName, isSecretName, pathLooksSecret, secretLabel } from '../../secrets';
import { literalText, unwrap } from './shared';

const SK = ts.SyntaxKind;

export const WHY = 'Lambda stores environment variables in plaintext in the function configuration: anyone with '
  + 'lambda:GetFunctionConfiguration, the console or the deployment artifacts can read them, and they do not rotate.';
export const TODO = 'Store it as a Parameter Store SecureString (or in Secrets Manager if it must rotate), put only its name '
  + 'or ARN in the environment, and read it at runtime through a cached loader.';

export interface EnvVerdict { kind: string; how: string }

export const LAMBDA_CLASSES = new Set(['Function', 'NodejsFunction', 'DockerImageFunction', 'PythonFunction', 'GoFunction',
  'SingletonFunction', 'RustFunction', 'JavaFunction', 'BundledFunction']);

/** Is a template/serverless environment value a secret, or a deploy-time reference that puts a secret in plain env? */
export function judgeDocValue(v: EnvVariable, model: InfraModel, extra: ReadonlySet<string>): EnvVerdict | undefined {
  // serverless.yml `${self:custom.x}` / `${param:x}` defined in this file: judge what it stands for (a secret name in
  // `params` is not a secret; a `${ssm:…~true}` behind `custom` is).
  const resolved = model.resolveVariable?.(v.value);
  if (resolved) {
    for (const r of resolved) {
      const verdict = judgeDocValue({ ...v, value: r }, { ...model, resolveVariable: undefined }, extra);
      if (verdict) return verdict;
    }
    return undefined;
  }
  const lit = scalarText(v.value);
  const named = isSecretName(v.name, extra) && !isReferenceName(v.name);
  if (lit !== undefined) {
    const m = classifySecret(lit, v.name, { extraWords: extra });
    if (m) return { kind: m.kind, how: `a literal ${secretLabel(m.kind)}` };
  }
  const text = lit ?? resolvedText(v.value);
  if (text !== undefined) {
    const dyn = /\{\{resolve:(secretsmanager|ssm-secure|ssm):(.*?)\}\}/.exec(text);
    if (dyn) {
      // `{{resolve:secretsmanager:id:SecretString:host}}` of a non-secret JSON key (host, port, username) into a
      // non-secret variable is connection metadata; the password key, or the whole secret string, is the secret.
      const jsonKey = dyn[1] === 'secretsmanager' ? /:SecretString:([^:}]+)/.exec(dyn[2] + '}')?.[1] : undefined;
      const metadataOnly = jsonKey !== undefined && !named && !isSecretName(jsonKey, extra)
        && /^(?:host|hostname|port|username|user|dbname|database|engine|dbClusterIdentifier|dbInstanceIdentifier|endpoint|url|region)$/i.test(jsonKey);
      if (dyn[1] !== 'ssm' && !metadataOnly) return { kind: 'dynamic-reference', how: `a {{resolve:${dyn[1]}:…}} dynamic reference, which CloudFormation resolves into the plaintext environment at deploy time` };
      const param = dyn[2].split(':')[0];
      if (dyn[1] === 'ssm' && (named || pathLooksSecret(param, extra))) return { kind: 'dynamic-reference', how: 'a {{resolve:ssm:…}} dynamic reference, which CloudFormation resolves into the plaintext environment at deploy time' };
    }
    const sls = /\$\{ssm(?:\([^)]*\))?:([^}~,\s]+)(~true)?/.exec(text);
    if (sls) {
      const path = sls[1].replace(/^['"]|['"]$/g, '');
      if (named || sls[2] || /\/aws\/reference\/secretsmanager\//.test(path) || pathLooksSecret(path, extra)) {
        return { kind: 'ssm-variable', how: 'a ${ssm:…} variable, which the Serverless Framework resolves into the plaintext environment at deploy time' };
      }
    }
    if (/\$\{(?:aws:)?secretsmanager:|\$\{ssm:\/aws\/reference\/secretsmanager/.test(text)) {
      return { kind: 'ssm-variable', how: 'a Secrets Manager variable resolved into the plaintext environment at deploy time' };
    }
    // `${env:DB_PASSWORD}`, `${file(./secrets.yml):db}`, `${self:custom.dbPassword}`, `${param:apiKey}`: whatever the
    // source, the resolved secret is written into the function configuration.
    if (named && model.format === 'serverless' && /^\$\{(?!ssm[:(])[^}]+\}$/.test(text.trim())) {
      return { kind: 'deploy-variable', how: 'a Serverless variable resolved into the plaintext environment at deploy time' };
    }
  }
  // `!Ref SomeParameter` of a NoEcho / SSM-typed template parameter puts the parameter's value itself in the env.
  const ref = refName(v.value);
  if (ref && !isReferenceName(v.name)) {
    const p = model.parameters.get(ref);
    if (p) {
      const noEcho = /^true$/i.test(scalarText(get(p, 'NoEcho')) ?? '');
      const type = scalarText(get(p, 'Type')) ?? '';
      const ssmTyped = /^AWS::SSM::Parameter::Value</.test(type);
      const def = scalarText(get(p, 'Default')) ?? '';
      if (noEcho && (named || isSecretName(ref, extra))) return { kind: 'template-parameter', how: `the NoEcho template parameter '${ref}', whose value ends up in the plaintext environment` };
      if (ssmTyped && (named || pathLooksSecret(def, extra))) return { kind: 'template-parameter', how: `the SSM-typed template parameter '${ref}', whose value is resolved into the plaintext environment` };
      if (named && type !== 'AWS::SSM::Parameter::Name') return { kind: 'template-parameter', how: `the template parameter '${ref}', whose value ends up in the plaintext environment` };
    }
  }
  return undefined;
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
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (n.kind === SK.VariableDeclaration) {
      const d = n as ts.VariableDeclaration;
      const init = d.initializer && unwrap(d.initializer);
      if (d.name.kind === SK.Identifier && (d.name as ts.Identifier).text === name && init?.kind === SK.ObjectLiteralExpression) {
        found = init as ts.ObjectLiteralExpression;
        return;
      }
    }
    tsv.forEachChild(n, visit);
  };
  visit(sf);
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
