// secret-in-env: secret values placed in a Lambda function's environment (serverless, SAM/CloudFormation, CDK,
// serverless.ts), and Lambda handler code that reads a secret-named environment variable. The judgement of configured
// values is in env-values.ts, that of reads in env-reads.ts.
import { ts } from '../../ts';
import { extraWordSet } from '../../secrets';
import type { DocumentContext, Range, Rule, SourceContext } from '../../types';
import { EnvReads, isHandlerFile, isLambdaCode } from './env-reads';
import {
  LAMBDA_CLASSES, SERVERLESS_TS_MODEL, envEntries, envMessage, judgeCdkValue, judgeDocValue, type EnvVerdict,
} from './env-values';
import { docRange, expressionName, literalText, modelOf, objectProperty, propertyNameText, unwrap } from './shared';

const SK = ts.SyntaxKind;

function documentCheck(ctx: DocumentContext): void {
  if (ctx.kind === 'env') return; // a .env file is not a Lambda's environment by itself; hardcoded-secret covers it
  const model = modelOf(ctx);
  if (model.format !== 'serverless' && model.format !== 'cloudformation' && model.format !== 'terraform') return;
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

/** CDK and serverless.ts: environments of functions defined in code. */
class CodeEnvironments {
  private readonly extra: ReadonlySet<string>;
  private readonly reported = new Set<ts.Node>(); // an environment object shared by several functions is reported once

  constructor(private readonly ctx: SourceContext) {
    this.extra = extraWordSet(ctx.config.secretWords);
  }

  private report(name: string, valueNode: ts.Node, verdict: EnvVerdict, where = 'CDK function environment'): void {
    if (this.reported.has(valueNode)) return;
    this.reported.add(valueNode);
    const ctx = this.ctx;
    const range: Range = { start: ctx.positionAt(valueNode.getStart(ctx.sourceFile)), end: ctx.positionAt(valueNode.end) };
    ctx.report({ ruleId: 'secret-in-env', message: envMessage(name, verdict.how, where), range, data: { kind: verdict.kind, name, scope: 'function' } });
  }

  /**
   * serverless.ts: `provider: { environment: {…} }`, `functions: { f: { environment: {…} } }`; with `anyFile`, a
   * function definition in a module serverless.ts imports (`export default { handler: \`…/handler.main\`, environment }`,
   * as the aws-nodejs-typescript template writes them): an `environment` next to a string `handler`.
   */
  onServerlessProperty(pa: ts.PropertyAssignment, anyFile = false): void {
    if (propertyNameText(pa.name) !== 'environment') return;
    if (anyFile && !besideStringHandler(pa)) return;
    const envObj = unwrap(pa.initializer);
    if (envObj.kind !== SK.ObjectLiteralExpression) return;
    for (const p of (envObj as ts.ObjectLiteralExpression).properties) {
      if (p.kind !== SK.PropertyAssignment) continue;
      const name = propertyNameText(p.name);
      const text = literalText(unwrap(p.initializer));
      if (!name || text === undefined) continue;
      const value = { type: 'scalar' as const, value: text, start: 0, end: 0 };
      const verdict = judgeDocValue({ name, key: value, value, scope: 'provider' }, SERVERLESS_TS_MODEL, this.extra);
      if (verdict) this.report(name, p.initializer, verdict, anyFile ? 'serverless function environment' : 'serverless.ts environment');
    }
  }

  /** `new lambda.Function(this, 'F', { environment: {…} })`, L1 `CfnFunction` too. */
  onNew(n: ts.NewExpression): void {
    const cls = expressionName(n.expression);
    if (!cls || (!LAMBDA_CLASSES.has(cls) && cls !== 'CfnFunction') || !n.arguments) return;
    const sf = this.ctx.sourceFile;
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
        const verdict = judgeCdkValue(name, p.initializer, this.extra);
        if (verdict) this.report(name, p.initializer, verdict);
      }
    }
  }

  /** `fn.addEnvironment('NAME', value)`. */
  onCall(c: ts.CallExpression): void {
    if (c.arguments.length < 2 || expressionName(c.expression) !== 'addEnvironment' || c.expression.kind !== SK.PropertyAccessExpression) return;
    const name = literalText(c.arguments[0]);
    if (!name) return;
    const verdict = judgeCdkValue(name, c.arguments[1], this.extra);
    if (verdict) this.report(name, c.arguments[1], verdict);
  }
}

/** `{ handler: 'src/x.main' | \`${…}/handler.main\`, environment: … }`: a function definition of a serverless config. */
function besideStringHandler(pa: ts.PropertyAssignment): boolean {
  const obj = pa.parent;
  if (!obj || obj.kind !== SK.ObjectLiteralExpression) return false;
  const h = objectProperty(obj as ts.ObjectLiteralExpression, 'handler');
  const k = h && unwrap(h).kind;
  return k === SK.StringLiteral || k === SK.NoSubstitutionTemplateLiteral || k === SK.TemplateExpression;
}

function sourceVisitor(ctx: SourceContext) {
  // Reads of `process.env.X` matter only in Lambda code (and only files that say `process.env` have any).
  const lambdaCode = isLambdaCode(ctx);
  const mayBeCdk = ctx.text.includes('environment') || ctx.text.includes('addEnvironment');
  const serverlessTs = /(?:^|[\\/])serverless\.[cm]?[jt]s$/i.test(ctx.path);
  // Only the node kinds this file can need: reads of process.env in Lambda code, environment blocks where CDK
  // (or serverless.ts) may configure a function.
  const kinds: ts.SyntaxKind[] = [];
  if (lambdaCode) kinds.push(SK.PropertyAccessExpression, SK.ElementAccessExpression, SK.VariableDeclaration);
  // a serverless function definition outside serverless.ts names its `handler`
  const functionModule = !serverlessTs && mayBeCdk && ctx.text.includes('handler');
  if (mayBeCdk) kinds.push(SK.NewExpression, SK.CallExpression, ...(serverlessTs || functionModule ? [SK.PropertyAssignment] : []));
  const follow = isHandlerFile(ctx);
  if (!kinds.length && !follow) return undefined;
  const envReads = lambdaCode || follow ? new EnvReads(ctx) : undefined;
  const reads = lambdaCode ? envReads : undefined;
  const code = mayBeCdk ? new CodeEnvironments(ctx) : undefined;
  return {
    kinds,
    // modules the handler imports read the environment inside this function too
    finish: follow ? () => envReads!.followImports() : undefined,
    visit(node: ts.Node): void {
      switch (node.kind) {
        case SK.PropertyAccessExpression: case SK.ElementAccessExpression:
          reads?.onAccess(node as ts.PropertyAccessExpression); return;
        case SK.VariableDeclaration: reads?.onDestructure(node as ts.VariableDeclaration); return;
        case SK.PropertyAssignment: code?.onServerlessProperty(node as ts.PropertyAssignment, !serverlessTs); return;
        case SK.NewExpression: code?.onNew(node as ts.NewExpression); return;
        case SK.CallExpression: code?.onCall(node as ts.CallExpression); return;
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

