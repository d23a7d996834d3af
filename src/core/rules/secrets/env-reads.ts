// secret-in-env, reads: Lambda code that reads a secret-named variable from `process.env` (the secret then sits in the
// function configuration in plaintext), unless the code shows the variable holds a *name* or is filled at run time.
import { ts, tsv } from '../../ts';
import { extraWordSet, isReferenceName, isSecretName } from '../../secrets';
import type { Range, SourceContext } from '../../types';
import { resolveSourceFile } from '../../iam/functions';
import { isTestPath } from '../../lambda/tests';
import { expressionName, isProcessEnv, namesAStoredValue, propertyNameText, storedIn, variableNamesAStoredValue } from './shared';

const SK = ts.SyntaxKind;

/** Signs of Lambda handler code. An AWS SDK import alone is not one: servers and scripts use the SDK too. */
export const HANDLER_RE = /\bexports\.handler\b|\(\s*event\s*(?::\s*\w+\s*)?,\s*context\b|module\.exports\s*=\s*\{[^}]*\bhandler\b|export\s+(?:const|let|var|async\s+function\*?|function\*?)\s+\w*[hH]andler\b|export\s*\{[^}]*\bhandler\b|['"](?:aws-lambda|@middy\/core|@aws-lambda-powertools\/[\w-]+|aws-serverless-express|@vendia\/serverless-express|serverless-http)['"]/;

/**
 * Variables the Lambda runtime itself sets (the execution role's temporary credentials): nobody put them in the
 * function configuration, and AWS_SESSION_TOKEN is how code calls the Parameters and Secrets Lambda Extension.
 */
const LAMBDA_RUNTIME_VARIABLES = new Set(['AWS_SESSION_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECURITY_TOKEN']);

const LAMBDA_DEPS = ['@types/aws-lambda', 'aws-lambda', '@middy/core', 'middy', 'serverless', 'serverless-http',
  '@aws-lambda-powertools/parameters', '@aws-lambda-powertools/logger', '@aws-lambda-powertools/tracer', '@vendia/serverless-express'];

/** The nearest package.json declares Lambda tooling: its source files are Lambda code (CDK/infra files excepted). */
export function lambdaProject(ctx: SourceContext): boolean {
  if (/aws-cdk-lib|@aws-cdk\//.test(ctx.text)) return false;
  try {
    const deps = ctx.project.dependenciesOf(ctx.path);
    return LAMBDA_DEPS.some((d) => deps.has(d));
  } catch {
    return false;
  }
}


/** Does this file look like Lambda code (so reading a secret from process.env is the Lambda anti-pattern)? */
export function isLambdaCode(ctx: SourceContext): boolean {
  if (!ctx.text.includes('process.env') || isTestPath(ctx.path, ctx.config)) return false;
  if (HANDLER_RE.test(ctx.text)) return true;
  // Infrastructure code is not Lambda code, whatever its folder is called (`lambda-stack/lib/api.ts`).
  if (CDK_CODE.test(ctx.text)) return false;
  return /(?:^|[\\/])[^\\/]*(?:handler|lambda)[^\\/]*(?:[\\/]|$)|(?:^|[\\/])functions[\\/]/i.test(ctx.path) || lambdaProject(ctx);
}

/** CDK or CDKTF code (a stack, a construct, an app). */
const CDK_CODE = /['"](?:aws-cdk-lib(?:\/[\w-]+)*|@aws-cdk\/[\w-]+|constructs|cdktf|@cdktf\/[\w-]+)['"]/;

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

/** Reads of secret-named `process.env` variables in one file, reported as they are visited. */
export class EnvReads {
  private readonly extra: ReadonlySet<string>;
  private readonly written = new Map<string, boolean>();
  private importedTexts: string[] | undefined;
  private readonly usedAsName = new Map<string, boolean>();

  constructor(private readonly ctx: SourceContext) {
    this.extra = extraWordSet(ctx.config.secretWords);
  }

  /** `process.env.X` / `process.env['X']` (a read, not a write or delete). */
  onAccess(node: ts.PropertyAccessExpression | ts.ElementAccessExpression): void {
    const obj = node.expression;
    if (obj.kind !== SK.PropertyAccessExpression || !isProcessEnv(obj)) return;
    const parent = node.parent;
    if (parent.kind === SK.BinaryExpression && (parent as ts.BinaryExpression).left === node
      && (parent as ts.BinaryExpression).operatorToken.kind === SK.EqualsToken) return; // a write, not a read
    if (parent.kind === SK.DeleteExpression) return;
    this.checkRead(expressionName(node), node);
  }

  /** `const { DB_PASSWORD, API_KEY: key } = process.env`. */
  onDestructure(d: ts.VariableDeclaration): void {
    if (d.name.kind !== SK.ObjectBindingPattern || !d.initializer || !isProcessEnv(d.initializer)) return;
    for (const el of d.name.elements) {
      if (el.dotDotDotToken) continue;
      const name = propertyNameText(el.propertyName) ?? (el.name.kind === SK.Identifier ? el.name.text : undefined);
      this.checkRead(name, el, el.name.kind === SK.Identifier ? el.name.text : undefined);
    }
  }

  /**
   * `process.env.X` (or a destructured `X`) with a secret name, unless the code shows it holds a *name*: it is passed
   * as `SecretId`/`Name`/… or to a fetch by name, directly or through the variable it is stored in.
   */
  private checkRead(name: string | undefined, node: ts.Node, local?: string): void {
    const sf = this.ctx.sourceFile;
    if (!name || LAMBDA_RUNTIME_VARIABLES.has(name) || !isSecretName(name, this.extra) || isReferenceName(name)) return;
    // `process.env.JWT_SECRET = value` in this file: the code fills the variable at run time (often from SSM),
    // so it is a cache, not a secret configured on the function
    if (this.writesEnv(name)) return;
    if (local !== undefined ? variableNamesAStoredValue(sf, local) : namesAStoredValue(node)) return;
    if (this.envNameIsReference(name)) return;
    if (local === undefined) {
      const d = storedIn(node);
      if (d && (isReferenceName(d) || variableNamesAStoredValue(sf, d))) return;
    }
    this.report(name, node);
  }

  private report(name: string, node: ts.Node): void {
    const ctx = this.ctx;
    const range: Range = { start: ctx.positionAt(node.getStart(ctx.sourceFile)), end: ctx.positionAt(node.end) };
    ctx.report({
      ruleId: 'secret-in-env',
      severity: 'info',
      message: `Secret read from the environment: process.env.${name} holds a secret, so it sits in plaintext in the function `
        + `configuration. Keep only its name in the environment (e.g. ${name}_PARAM) and read the value from a Parameter Store `
        + 'SecureString (GetParameter with WithDecryption: true) through a module-scope cached loader.',
      range,
      data: { kind: 'env-read', name },
    });
  }

  /** This file, or a module it imports relatively (a secrets loader), sets `process.env.NAME` at run time. */
  private writesEnv(name: string): boolean {
    let w = this.written.get(name);
    if (w === undefined) {
      const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const re = new RegExp(`process\\.env(?:\\.${esc}\\b|\\[\\s*['"\`]${esc}['"\`]\\s*\\])\\s*(?:\\?\\?|\\|\\||&&)?=(?!=)`);
      w = re.test(this.ctx.text);
      if (!w) {
        this.importedTexts ??= relativeImportTexts(this.ctx);
        w = this.importedTexts.some((t) => re.test(t));
      }
      this.written.set(name, w);
    }
    return w;
  }

  /** Another read of the same variable in this file passes it as a SecretId/Name: every read of it is of a name. */
  private envNameIsReference(name: string): boolean {
    let r = this.usedAsName.get(name);
    if (r !== undefined) return r;
    r = false;
    const sf = this.ctx.sourceFile;
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
    this.usedAsName.set(name, r);
    return r;
  }
}
