// secret-in-env: secret values placed in a Lambda function's environment (serverless, SAM/CloudFormation, CDK), and
// Lambda handler code that reads a secret-named environment variable.
import { ts, tsv } from '../../ts';
import { get, refName, resolvedText, scalarText, type EnvVariable, type InfraModel } from '../../iac';
import {
  classifySecret, extraWordSet, isReferenceName, isSecretName, pathLooksSecret, secretLabel,
} from '../../secrets';
import type { DocumentContext, Range, Rule, SourceContext } from '../../types';
import { resolveSourceFile } from '../../iam/functions';
import {
  docRange, expressionName, isProcessEnv, literalText, modelOf, namesAStoredValue, objectProperty, propertyNameText, storedIn,
  unwrap, variableNamesAStoredValue,
} from './shared';

const SK = ts.SyntaxKind;

const WHY = 'Lambda stores environment variables in plaintext in the function configuration: anyone with '
  + 'lambda:GetFunctionConfiguration, the console or the deployment artifacts can read them, and they do not rotate.';
const TODO = 'Store it as a Parameter Store SecureString (or in Secrets Manager if it must rotate), put only its name '
  + 'or ARN in the environment, and read it at runtime through a cached loader.';

interface EnvVerdict { kind: string; how: string }

const LAMBDA_CLASSES = new Set(['Function', 'NodejsFunction', 'DockerImageFunction', 'PythonFunction', 'GoFunction',
  'SingletonFunction', 'RustFunction', 'JavaFunction', 'BundledFunction']);

/** Is a template/serverless environment value a secret, or a deploy-time reference that puts a secret in plain env? */
function judgeDocValue(v: EnvVariable, model: InfraModel, extra: ReadonlySet<string>): EnvVerdict | undefined {
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

function envMessage(name: string, how: string, scope: string): string {
  return `Secret in the Lambda environment: '${name}' (${scope}) is set from ${how}. ${WHY} ${TODO}`;
}

function documentCheck(ctx: DocumentContext): void {
  if (ctx.kind === 'env') return; // a .env file is not a Lambda's environment by itself; hardcoded-secret covers it
  const model = modelOf(ctx);
  if (model.format !== 'serverless' && model.format !== 'cloudformation') return;
  const extra = extraWordSet(ctx.config.secretWords);
  for (const v of model.environmentVariables) {
    const verdict = judgeDocValue(v, model, extra);
    if (!verdict) continue;
    const scope = v.scope === 'function' ? `environment of function ${v.functionName}` : v.scope === 'globals' ? 'Globals environment of every function' : 'provider environment of every function';
    ctx.report({
      ruleId: 'secret-in-env',
      message: envMessage(v.name, verdict.how, scope),
      range: docRange(ctx, v.value.start, v.value.end),
      data: { kind: verdict.kind, name: v.name, scope: v.scope, ...(v.functionName ? { function: v.functionName } : {}) },
    });
  }
}

/** A model stub for judging string values of a `serverless.ts` configuration with the YAML logic. */
const SERVERLESS_TS_MODEL: InfraModel = {
  format: 'serverless', roots: [], errors: [], functions: [], environmentVariables: [], policyStatements: [], parameters: new Map(),
};

/**
 * Does this file look like Lambda code (so reading a secret from process.env is the Lambda anti-pattern)? An AWS SDK
 * import alone does not say so: servers and scripts use the SDK too.
 */
const HANDLER_RE = /\bexports\.handler\b|\(\s*event\s*(?::\s*\w+\s*)?,\s*context\b|module\.exports\s*=\s*\{[^}]*\bhandler\b|export\s+(?:const|let|var|async\s+function\*?|function\*?)\s+\w*[hH]andler\b|export\s*\{[^}]*\bhandler\b|['"](?:aws-lambda|@middy\/core|@aws-lambda-powertools\/[\w-]+|aws-serverless-express|@vendia\/serverless-express|serverless-http)['"]/;

/**
 * Variables the Lambda runtime itself sets (the execution role's temporary credentials): nobody put them in the
 * function configuration, and AWS_SESSION_TOKEN is how code calls the Parameters and Secrets Lambda Extension.
 */
const LAMBDA_RUNTIME_VARIABLES = new Set(['AWS_SESSION_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECURITY_TOKEN']);

const LAMBDA_DEPS = ['@types/aws-lambda', 'aws-lambda', '@middy/core', 'middy', 'serverless', 'serverless-http',
  '@aws-lambda-powertools/parameters', '@aws-lambda-powertools/logger', '@aws-lambda-powertools/tracer', '@vendia/serverless-express'];

/** The nearest package.json declares Lambda tooling: its source files are Lambda code (CDK/infra files excepted). */
function lambdaProject(ctx: SourceContext): boolean {
  if (/aws-cdk-lib|@aws-cdk\//.test(ctx.text)) return false;
  try {
    const deps = ctx.project.dependenciesOf(ctx.path);
    return LAMBDA_DEPS.some((d) => deps.has(d));
  } catch {
    return false;
  }
}

/** CDK: value of an env var in `environment: {…}` — a literal secret, or a secret resolved at deploy time. */
function judgeCdkValue(name: string, init: ts.Expression, extra: ReadonlySet<string>): EnvVerdict | undefined {
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

/** Texts of the modules this file imports or requires relatively (read through the project; unreadable ones skipped). */
function relativeImportTexts(ctx: SourceContext): string[] {
  const out: string[] = [];
  const dir = ctx.path.replace(/[\\/][^\\/]*$/, '');
  const specs = new Set<string>();
  for (const m of ctx.text.matchAll(/(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*)['"](\.\.?\/[^'"]+)['"]/g)) specs.add(m[1]);
  for (const spec of [...specs].slice(0, 20)) {
    try {
      const f = resolveSourceFile(dir, spec, ctx.project);
      if (f) out.push(f.text);
    } catch { /* unreadable */ }
  }
  return out;
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
function envEntries(sf: ts.SourceFile, e: ts.Expression | undefined, depth = 0): ts.PropertyAssignment[] {
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

function sourceVisitor(ctx: SourceContext) {
  const extra = extraWordSet(ctx.config.secretWords);
  const sf = ctx.sourceFile;
  // Reads of `process.env.X` matter only in Lambda code (and only files that say `process.env` have any).
  const lambdaCode = ctx.text.includes('process.env') && (HANDLER_RE.test(ctx.text)
    || /(?:^|[\\/])[^\\/]*(?:handler|lambda)[^\\/]*(?:[\\/]|$)|(?:^|[\\/])functions[\\/]/i.test(ctx.path)
    || lambdaProject(ctx));
  const mayBeCdk = ctx.text.includes('environment') || ctx.text.includes('addEnvironment');
  const serverlessTs = /(?:^|[\\/])serverless\.[cm]?[jt]s$/i.test(ctx.path);
  const range = (n: ts.Node): Range => ({ start: ctx.positionAt(n.getStart(sf)), end: ctx.positionAt(n.end) });

  const reportedCdk = new Set<ts.Node>(); // an environment object shared by several functions is reported once
  const reportCdk = (name: string, valueNode: ts.Node, verdict: EnvVerdict, where = 'CDK function environment') => {
    if (reportedCdk.has(valueNode)) return;
    reportedCdk.add(valueNode);
    ctx.report({
      ruleId: 'secret-in-env',
      message: envMessage(name, verdict.how, where),
      range: range(valueNode),
      data: { kind: verdict.kind, name, scope: 'function' },
    });
  };
  const reportRead = (name: string, node: ts.Node) => ctx.report({
    ruleId: 'secret-in-env',
    severity: 'info',
    message: `Secret read from the environment: process.env.${name} holds a secret, so it sits in plaintext in the function `
      + `configuration. Keep only its name in the environment (e.g. ${name}_PARAM) and read the value from a Parameter Store `
      + 'SecureString (GetParameter with WithDecryption: true) through a module-scope cached loader.',
    range: range(node),
    data: { kind: 'env-read', name },
  });
  /**
   * `process.env.X` (or a destructured `X`) with a secret name, unless the code shows it holds a *name*: it is passed
   * as `SecretId`/`Name`/… or to a fetch by name, directly or through the variable it is stored in.
   */
  const written = new Map<string, boolean>();
  let importedTexts: string[] | undefined;
  /** This file, or a module it imports relatively (a secrets loader), sets `process.env.NAME` at run time. */
  const writesEnv = (name: string): boolean => {
    let w = written.get(name);
    if (w === undefined) {
      const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const re = new RegExp(`process\\.env(?:\\.${esc}\\b|\\[\\s*['"\`]${esc}['"\`]\\s*\\])\\s*(?:\\?\\?|\\|\\||&&)?=(?!=)`);
      w = re.test(ctx.text);
      if (!w) {
        importedTexts ??= relativeImportTexts(ctx);
        w = importedTexts.some((t) => re.test(t));
      }
      written.set(name, w);
    }
    return w;
  };
  /** Another read of the same variable in this file passes it as a SecretId/Name: every read of it is of a name. */
  const usedAsName = new Map<string, boolean>();
  const envNameIsReference = (name: string): boolean => {
    let r = usedAsName.get(name);
    if (r === undefined) {
      r = false;
      const visit = (n: ts.Node): void => {
        if (r) return;
        if ((n.kind === SK.PropertyAccessExpression || n.kind === SK.ElementAccessExpression) && expressionName(n) === name
          && isProcessEnv((n as ts.PropertyAccessExpression).expression)) {
          const d = storedIn(n);
          if (namesAStoredValue(n) || (d && (isReferenceName(d) || variableNamesAStoredValue(sf, d)))) { r = true; return; }
        }
        tsv.forEachChild(n, visit);
      };
      visit(sf);
      usedAsName.set(name, r);
    }
    return r;
  };
  const checkRead = (name: string | undefined, node: ts.Node, local?: string) => {
    if (!name || LAMBDA_RUNTIME_VARIABLES.has(name) || !isSecretName(name, extra) || isReferenceName(name)) return;
    // `process.env.JWT_SECRET = value` in this file: the code fills the variable at run time (often from SSM),
    // so it is a cache, not a secret configured on the function
    if (writesEnv(name)) return;
    if (local !== undefined ? variableNamesAStoredValue(sf, local) : namesAStoredValue(node)) return;
    if (envNameIsReference(name)) return;
    if (local === undefined) {
      const d = storedIn(node);
      if (d && (isReferenceName(d) || variableNamesAStoredValue(sf, d))) return;
    }
    reportRead(name, node);
  };

  // Only the node kinds this file can need: reads of process.env in Lambda code, environment blocks where CDK
  // (or serverless.ts) may configure a function.
  const kinds: ts.SyntaxKind[] = [];
  if (lambdaCode) kinds.push(SK.PropertyAccessExpression, SK.ElementAccessExpression, SK.VariableDeclaration);
  if (mayBeCdk) kinds.push(SK.NewExpression, SK.CallExpression, ...(serverlessTs ? [SK.PropertyAssignment] : []));
  if (!kinds.length) return undefined;
  return {
    kinds,
    visit(node: ts.Node): void {
      const k = node.kind;
      if (k === SK.PropertyAccessExpression || k === SK.ElementAccessExpression) {
        if (!lambdaCode) return;
        const obj = (node as ts.PropertyAccessExpression).expression;
        if (obj.kind !== SK.PropertyAccessExpression || !isProcessEnv(obj)) return;
        const parent = node.parent;
        if (parent.kind === SK.BinaryExpression && (parent as ts.BinaryExpression).left === node
          && (parent as ts.BinaryExpression).operatorToken.kind === SK.EqualsToken) return; // a write, not a read
        if (parent.kind === SK.DeleteExpression) return;
        checkRead(expressionName(node), node);
        return;
      }
      if (k === SK.VariableDeclaration) {
        if (!lambdaCode) return;
        const d = node as ts.VariableDeclaration;
        if (d.name.kind !== SK.ObjectBindingPattern || !d.initializer || !isProcessEnv(d.initializer)) return;
        for (const el of d.name.elements) {
          if (el.dotDotDotToken) continue;
          const name = propertyNameText(el.propertyName) ?? (el.name.kind === SK.Identifier ? el.name.text : undefined);
          checkRead(name, el, el.name.kind === SK.Identifier ? el.name.text : undefined);
        }
        return;
      }
      if (!mayBeCdk) return;
      if (k === SK.PropertyAssignment && serverlessTs) {
        // serverless.ts: `provider: { environment: {…} }`, `functions: { f: { environment: {…} } }`
        const pa = node as ts.PropertyAssignment;
        if (propertyNameText(pa.name) !== 'environment') return;
        const envObj = unwrap(pa.initializer);
        if (envObj.kind !== SK.ObjectLiteralExpression) return;
        for (const p of (envObj as ts.ObjectLiteralExpression).properties) {
          if (p.kind !== SK.PropertyAssignment) continue;
          const name = propertyNameText(p.name);
          const text = literalText(unwrap(p.initializer));
          if (!name || text === undefined) continue;
          const value = { type: 'scalar' as const, value: text, start: 0, end: 0 };
          const verdict = judgeDocValue({ name, key: value, value, scope: 'provider' }, SERVERLESS_TS_MODEL, extra);
          if (verdict) reportCdk(name, p.initializer, verdict, 'serverless.ts environment');
        }
        return;
      }
      if (k === SK.NewExpression) {
        const n = node as ts.NewExpression;
        const cls = expressionName(n.expression);
        if (!cls || (!LAMBDA_CLASSES.has(cls) && cls !== 'CfnFunction') || !n.arguments) return;
        for (const arg of n.arguments) {
          const a = unwrap(arg);
          if (a.kind !== SK.ObjectLiteralExpression) continue;
          // `{ ...commonProps, environment }`: the last entry wins, a shared props object of this file counts.
          let env = objectProperty(a as ts.ObjectLiteralExpression, 'environment')
            ?? envEntries(sf, a as ts.ObjectLiteralExpression).reverse().find((p) => propertyNameText(p.name) === 'environment')?.initializer;
          // L1 `new lambda.CfnFunction(this, 'F', { environment: { variables: {…} } })`
          if (cls === 'CfnFunction' && env && unwrap(env).kind === SK.ObjectLiteralExpression) {
            env = objectProperty(unwrap(env) as ts.ObjectLiteralExpression, 'variables');
          }
          for (const p of envEntries(sf, env)) {
            const name = propertyNameText(p.name);
            if (!name) continue;
            const verdict = judgeCdkValue(name, p.initializer, extra);
            if (verdict) reportCdk(name, p.initializer, verdict);
          }
        }
        return;
      }
      if (k === SK.CallExpression) {
        const c = node as ts.CallExpression;
        if (c.arguments.length < 2 || expressionName(c.expression) !== 'addEnvironment' || c.expression.kind !== SK.PropertyAccessExpression) return;
        const name = literalText(c.arguments[0]);
        if (!name) return;
        const verdict = judgeCdkValue(name, c.arguments[1], extra);
        if (verdict) reportCdk(name, c.arguments[1], verdict);
      }
    },
  };
}

export const secretInEnv: Rule = {
  meta: {
    id: 'secret-in-env',
    title: 'Secret in a Lambda environment variable',
    defaultSeverity: 'warning',
    description: 'A secret is placed in, or read from, a Lambda environment variable, where it is stored in plaintext; read it from Parameter Store or Secrets Manager instead.',
  },
  source: sourceVisitor,
  document: documentCheck,
};

