// iam-wildcard-resource: read access to parameters/secrets allowed on every resource, in IAM JSON, CloudFormation/SAM,
// serverless.yml and CDK code.
import { ts } from '../../ts';
import { get, resolvedText, scalarText, type IacNode, type PolicyStatement } from '../../iac';
import { cdkWildcardFixes, wildcardFixes } from '../../iam/fix';
import { globMatch } from '../../iam/glob';
import type { DocumentContext, Range, Rule, SourceContext } from '../../types';
import { docRange, expressionName, literalText, modelOf, objectProperty, propertyNameText, unwrap } from '../secrets/shared';

const SK = ts.SyntaxKind;

/** Actions that read parameter or secret values. */
const SENSITIVE_ACTIONS = [
  'ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:GetParameterHistory',
  'secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue',
];

export { globMatch };

/** The sensitive actions an action pattern grants (`ssm:Get*` -> GetParameter, GetParameters, …). */
export function sensitiveActionsOf(action: string): string[] {
  const a = action.trim();
  if (!a.includes(':') && a !== '*') return [];
  if (a.length > 200) return [];
  return SENSITIVE_ACTIONS.filter((s) => globMatch(a, s));
}

/**
 * Whether a resource grants every parameter/secret: `*`, or an ARN whose resource part is a bare wildcard
 * (`arn:aws:ssm:*:*:parameter/*`, `arn:aws:ssm:*:*:*`, `arn:aws:secretsmanager:*:*:secret:*`,
 * `arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/*`).
 */
export function isWildcardResource(resource: string, services: ReadonlySet<string>): boolean {
  // `${AWS::Region}` and other substitutions stand for one concrete value (and may contain colons).
  const r = resource.trim().replace(/\$\{[^}]*\}/g, 'X');
  if (r === '*') return true;
  const m = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/.exec(r);
  if (!m) return false;
  const svc = m[2].toLowerCase();
  if (svc !== '*' && !services.has(svc)) return false;
  return /^(?:\*|\*:\*|parameter\/?\*|parameter\*|secret:\*|secret\*|secret:\*:\*)$/.test(m[5]);
}

function servicesOf(actions: string[]): Set<string> {
  return new Set(actions.map((a) => a.split(':')[0].toLowerCase()));
}

function message(resource: string, actions: string[]): string {
  const ssm = actions.some((a) => a.startsWith('ssm:'));
  const sm = actions.some((a) => a.startsWith('secretsmanager:'));
  const what = ssm && sm ? 'every parameter and every secret' : ssm ? 'every parameter' : 'every secret';
  const example = sm && !ssm
    ? 'arn:aws:secretsmanager:<region>:<account>:secret:my-app/prod/*'
    : 'arn:aws:ssm:<region>:<account>:parameter/my-app/prod/*';
  return `Over-broad IAM: ${actions.join(', ')} allowed on '${resource}' lets this role read ${what} in the account, `
    + `so one compromised function exposes all of them. Scope the resource to the paths the function needs, e.g. ${example}.`;
}

function checkStatement(st: PolicyStatement, report: (node: IacNode, resource: string, actions: string[]) => void): void {
  if (st.effect !== 'Allow') return;
  const actions = [...new Set(st.actions.flatMap((a) => sensitiveActionsOf(resolvedText(a) ?? '')))];
  if (!actions.length) return;
  const services = servicesOf(actions);
  for (const r of st.resources) {
    const text = resolvedText(r);
    if (text !== undefined && isWildcardResource(text, services)) report(r, text, actions);
  }
}

/** SAM policy templates whose parameter `*` means every parameter/secret. */
const SAM_TEMPLATES: Record<string, { param: string; actions: string[] }> = {
  SSMParameterReadPolicy: { param: 'ParameterName', actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'] },
  SSMParameterWithSlashPrefixReadPolicy: { param: 'ParameterName', actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'] },
  AWSSecretsManagerGetSecretValuePolicy: { param: 'SecretArn', actions: ['secretsmanager:GetSecretValue'] },
};

/** AWS managed policies that grant parameter/secret reads on every resource. */
const BROAD_MANAGED = /(?:^|[/:])(AmazonSSMReadOnlyAccess|AmazonSSMFullAccess|SecretsManagerReadWrite|AdministratorAccess|PowerUserAccess|AmazonSSMManagedInstanceCore)$/;

function documentCheck(ctx: DocumentContext): void {
  if (ctx.kind === 'env') return;
  const model = modelOf(ctx);
  const seen = new Set<number>();
  const report = (node: IacNode, resource: string, actions: string[], extra?: string, st?: PolicyStatement) => {
    if (seen.has(node.start)) return;
    seen.add(node.start);
    ctx.report({
      ruleId: 'iam-wildcard-resource',
      message: extra ?? message(resource, actions),
      range: docRange(ctx, node.start, node.end),
      data: { actions, resource },
      // Quick-fix (issue 7): the ARNs the statement's functions read, when they can be computed.
      ...(st ? { fixes: wildcardFixes(ctx, st, node) } : {}),
    });
  };
  for (const st of model.policyStatements) checkStatement(st, (node, resource, actions) => report(node, resource, actions, undefined, st));
  for (const fn of model.functions) {
    for (const t of fn.policyTemplates) {
      const spec = SAM_TEMPLATES[t.name];
      if (!spec) continue;
      const p = get(t.parameters, spec.param);
      const v = resolvedText(p);
      if (p && v !== undefined && /^\/?\*$/.test(v.trim())) report(p, v, spec.actions);
    }
    for (const mp of fn.managedPolicies) {
      const name = scalarText(mp) ?? resolvedText(mp);
      const m = name ? BROAD_MANAGED.exec(name) : null;
      if (!m) continue;
      report(mp, name!, ['ssm:GetParameter*'], `Over-broad IAM: the AWS managed policy ${m[1]} attached to function ${fn.name} `
        + 'allows reading every parameter or secret in the account (Resource "*"). Replace it with an inline statement '
        + 'scoped to the paths the function needs, e.g. arn:aws:ssm:<region>:<account>:parameter/my-app/prod/*.');
    }
  }
}

/** Strings of a CDK/SDK array or single value (`['a', `b`]`, `'*'`), with their nodes. */
function stringItems(e: ts.Expression | undefined): { node: ts.Node; text: string }[] {
  if (!e) return [];
  const u = unwrap(e);
  if (u.kind === SK.ArrayLiteralExpression) {
    const out: { node: ts.Node; text: string }[] = [];
    for (const el of (u as ts.ArrayLiteralExpression).elements) {
      const t = literalText(unwrap(el as ts.Expression));
      if (t !== undefined) out.push({ node: el, text: t });
    }
    return out;
  }
  const t = literalText(u);
  return t !== undefined ? [{ node: u, text: t }] : [];
}

function sourceVisitor(ctx: SourceContext) {
  if (!/ssm|secretsmanager|['"`]\*['"`]/.test(ctx.text)) return;
  const cdk = new CdkStatements(ctx);
  return { kinds: [SK.CallExpression, SK.VariableDeclaration, SK.NewExpression, SK.ObjectLiteralExpression], visit: (n: ts.Node) => cdk.visit(n) };
}

/** Policy statements written in code: CDK `PolicyStatement`s (whole, or built step by step) and raw policy JSON objects. */
class CdkStatements {
  /** Statements built step by step: `const st = new PolicyStatement(); st.addActions('ssm:GetParameter'); st.addAllResources();` */
  private readonly builtActions = new Map<string, string[]>();

  constructor(private readonly ctx: SourceContext) {}

  visit(node: ts.Node): void {
    switch (node.kind) {
      case SK.CallExpression: this.onCall(node as ts.CallExpression); return;
      case SK.VariableDeclaration: this.onDeclaration(node as ts.VariableDeclaration); return;
      case SK.NewExpression: this.onNew(node as ts.NewExpression); return;
      case SK.ObjectLiteralExpression: this.onObject(node as ts.ObjectLiteralExpression); return;
    }
  }

  private range(n: ts.Node): Range {
    return { start: this.ctx.positionAt(n.getStart(this.ctx.sourceFile)), end: this.ctx.positionAt(n.end) };
  }

  private report(node: ts.Node, resource: string, actions: string[], statement?: ts.NewExpression): void {
    this.ctx.report({
      ruleId: 'iam-wildcard-resource', message: message(resource, actions), range: this.range(node), data: { actions, resource },
      ...(statement ? { fixes: cdkWildcardFixes(this.ctx, statement, node) } : {}),
    });
  }

  private check(actionsExpr: ts.Expression | undefined, resourcesExpr: ts.Expression | undefined, statement?: ts.NewExpression): void {
    const actions = [...new Set(stringItems(actionsExpr).flatMap((a) => sensitiveActionsOf(a.text)))];
    if (!actions.length) return;
    const services = servicesOf(actions);
    for (const r of stringItems(resourcesExpr)) if (isWildcardResource(r.text, services)) this.report(r.node, r.text, actions, statement);
  }

  /** `st.addActions(…)`, `st.addAllResources()`, `st.addResources(…)`. */
  private onCall(c: ts.CallExpression): void {
    const e = c.expression;
    if (e.kind !== SK.PropertyAccessExpression) return;
    const method = (e as ts.PropertyAccessExpression).name.text;
    if (method !== 'addActions' && method !== 'addAllResources' && method !== 'addResources') return;
    const obj = (e as ts.PropertyAccessExpression).expression;
    if (obj.kind !== SK.Identifier) return;
    const recv = (obj as ts.Identifier).text;
    if (method === 'addActions') {
      const list = this.builtActions.get(recv) ?? [];
      for (const a of c.arguments) for (const it of stringItems(a)) list.push(it.text);
      this.builtActions.set(recv, list);
      return;
    }
    const actions = [...new Set((this.builtActions.get(recv) ?? []).flatMap(sensitiveActionsOf))];
    if (!actions.length) return;
    if (method === 'addAllResources') { this.report(c, '*', actions); return; }
    const services = servicesOf(actions);
    for (const a of c.arguments) for (const r of stringItems(a)) if (isWildcardResource(r.text, services)) this.report(r.node, r.text, actions);
  }

  /** `const st = new PolicyStatement({ actions })`: remembered for later `addResources` / `addAllResources`. */
  private onDeclaration(d: ts.VariableDeclaration): void {
    const init = d.initializer && unwrap(d.initializer);
    if (!init || d.name.kind !== SK.Identifier || init.kind !== SK.NewExpression) return;
    const n = init as ts.NewExpression;
    if (expressionName(n.expression) !== 'PolicyStatement') return;
    const arg = n.arguments?.[0] && unwrap(n.arguments[0]);
    if (arg?.kind !== SK.ObjectLiteralExpression) { this.builtActions.set(d.name.text, []); return; }
    const effect = objectProperty(arg as ts.ObjectLiteralExpression, 'effect');
    if (effect && /DENY|['"`]Deny['"`]/.test(effect.getText())) return;
    this.builtActions.set(d.name.text, stringItems(objectProperty(arg as ts.ObjectLiteralExpression, 'actions')).map((a) => a.text));
  }

  private onNew(n: ts.NewExpression): void {
    if (expressionName(n.expression) !== 'PolicyStatement' || !n.arguments?.length) return;
    const arg = unwrap(n.arguments[0]);
    if (arg.kind !== SK.ObjectLiteralExpression) return;
    const props = arg as ts.ObjectLiteralExpression;
    const effect = objectProperty(props, 'effect');
    if (effect && /DENY|['"`]Deny['"`]/.test(effect.getText())) return;
    this.check(objectProperty(props, 'actions'), objectProperty(props, 'resources'), n);
  }

  /** Raw policy JSON in code: `{ Effect: 'Allow', Action: [...], Resource: '*' }` (SDK calls, CfnPolicy, fromJson). */
  private onObject(obj: ts.ObjectLiteralExpression): void {
    if (obj.properties.length < 2 || obj.properties.length > 8) return;
    let hasResource = false;
    for (const p of obj.properties) if (propertyNameText(p.name) === 'Resource') { hasResource = true; break; }
    if (!hasResource) return;
    const effect = literalText(objectProperty(obj, 'Effect') && unwrap(objectProperty(obj, 'Effect')!));
    if (effect !== 'Allow') return;
    this.check(objectProperty(obj, 'Action'), objectProperty(obj, 'Resource'));
  }
}

export const iamWildcardResource: Rule = {
  meta: {
    id: 'iam-wildcard-resource',
    title: 'Parameter or secret read allowed on every resource',
    defaultSeverity: 'warning',
    description: 'An IAM statement allows ssm:GetParameter*, secretsmanager:GetSecretValue or a wildcard action on Resource "*" or an equivalent wildcard ARN; scope it to the paths the function needs.',
  },
  source: sourceVisitor,
  document: documentCheck,
};

