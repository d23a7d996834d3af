// CDK grants (issue 13 §3): `param.grantRead(fn)`, `secret.grantRead(fn)`, `key.grantDecrypt(fn)` become the
// statements CDK writes for them (aws-cdk-lib's `Parameter.grantRead`, `Secret.grantRead`, `Key.grantDecrypt`), so the
// IAM rules judge a CDK function's grants like its other statements. A grant on a construct Keyway cannot identify
// (a secret passed in through props) still makes the function's permissions opaque. Pure: no vscode, no AWS.
import { type ts, tsv } from '../ts';
import type { IamStatement } from './functions';

/** The text of a CDK string expression (literals, templates with `${…}` kept, module constants), or undefined. */
export type CdkText = (e: ts.Expression | undefined) => string | undefined;

/** An SSM parameter, a secret or a KMS key a grant is made on; `arn` undefined when its name is not known statically. */
export interface Grantor {
  kind: 'parameter' | 'secret' | 'key';
  arn: string | undefined;
  /** The KMS key the parameter or secret is encrypted with (`encryptionKey`), when one is given. */
  key?: Grantor;
}

const arn = (service: string, resource: string) => `arn:\${Partition}:${service}:\${Region}:\${Account}:${resource}`;
const paramArn = (name: string) => arn('ssm', 'parameter' + (name.startsWith('/') ? name : '/' + name));
const secretArn = (name: string) => arn('secretsmanager', `secret:${name}-??????`);
/** A key whose id is not written in the stack (a new key, a lookup): any key ARN stands for it. */
const SOME_KEY: Grantor = { kind: 'key', arn: arn('kms', 'key/${KeyId}') };

/** The actions of each grant method (as aws-cdk-lib writes them). */
const ACTIONS: Record<Grantor['kind'], Record<string, readonly string[]>> = {
  parameter: {
    grantRead: ['ssm:DescribeParameters', 'ssm:GetParameters', 'ssm:GetParameter', 'ssm:GetParameterHistory'],
    grantWrite: ['ssm:PutParameter'],
  },
  secret: {
    grantRead: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
    grantWrite: ['secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecret', 'secretsmanager:UpdateSecretVersionStage'],
  },
  key: {
    grantDecrypt: ['kms:Decrypt'],
    grantEncrypt: ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
    grantEncryptDecrypt: ['kms:Decrypt', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
  },
};
/** What the construct's key must allow for each grant method. */
const KEY_ACTIONS: Record<string, readonly string[]> = { grantRead: ['kms:Decrypt'], grantWrite: ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'] };
/**
 * Constructs whose grants never reach a parameter, a secret or a key used for them: their grants are ignored. Any
 * other construct (a database cluster's `grantDataApiAccess` reads its secret) keeps the function opaque.
 */
const UNRELATED = /^(Bucket|Table|TableV2|Queue|Topic|Function|NodejsFunction|Version|Stream|DeliveryStream|EventBus|StateMachine|Repository|LogGroup|Api|RestApi|HttpApi|UserPool|Domain|Index|Cluster|FileSystem|AccessPoint|Schedule|Rule)$/;

function u(e: ts.Expression): ts.Expression {
  while (tsv.isParenthesizedExpression(e) || tsv.isAsExpression(e) || tsv.isNonNullExpression(e) || tsv.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

function lastName(e: ts.Expression): string | undefined {
  const x = u(e);
  return tsv.isIdentifier(x) ? x.text : tsv.isPropertyAccessExpression(x) ? x.name.text : undefined;
}

function prop(obj: ts.Expression | undefined, name: string): ts.Expression | undefined {
  const o = obj && u(obj);
  if (!o || !tsv.isObjectLiteralExpression(o)) return undefined;
  for (const p of o.properties) {
    if (tsv.isPropertyAssignment(p) && (tsv.isIdentifier(p.name) || tsv.isStringLiteral(p.name)) && p.name.text === name) return p.initializer;
    if (tsv.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
  }
  return undefined;
}

/**
 * Resolves grant receivers: `new ssm.StringParameter(…)`, `StringParameter.fromStringParameterName(…)`,
 * `Secret.fromSecretNameV2(…)`, `new kms.Key(…)`…, directly or through a variable or `this.x` the stack assigned.
 */
export class GrantResolver {
  constructor(private readonly text: CdkText, private readonly declared: (name: string) => ts.Expression | undefined) {}

  /** The construct `e` denotes: a grantor, `'other'` (a construct of another service), or undefined (unknown). */
  resolve(e: ts.Expression, depth = 0): Grantor | 'other' | undefined {
    const x = u(e);
    if (depth > 3) return undefined;
    if (tsv.isIdentifier(x) || (tsv.isPropertyAccessExpression(x) && x.expression.kind === tsv.SyntaxKind.ThisKeyword)) {
      const init = this.declared(tsv.isIdentifier(x) ? x.text : x.name.text);
      return init ? this.resolve(init, depth + 1) : undefined;
    }
    if (tsv.isNewExpression(x)) return this.constructed(lastName(x.expression), x.arguments?.[2], depth);
    if (tsv.isCallExpression(x) && tsv.isPropertyAccessExpression(x.expression) && /^from/.test(x.expression.name.text)) {
      return this.imported(lastName(x.expression.expression), x.expression.name.text, x.arguments, depth);
    }
    return undefined;
  }

  private keyOf(props: ts.Expression | undefined, depth: number): Grantor | undefined {
    const k = prop(props, 'encryptionKey');
    if (!k) return undefined;
    const r = this.resolve(k, depth + 1);
    return r && r !== 'other' && r.kind === 'key' ? r : SOME_KEY;
  }

  /** `new StringParameter(this, id, { parameterName })`, `new Secret(this, id, { secretName })`, `new Key(…)`. */
  private constructed(cls: string | undefined, props: ts.Expression | undefined, depth: number): Grantor | 'other' | undefined {
    if (!cls) return undefined;
    if (/^(StringParameter|StringListParameter)$/.test(cls)) {
      const n = this.text(prop(props, 'parameterName'));
      return { kind: 'parameter', arn: n === undefined ? undefined : paramArn(n) };
    }
    if (/^(Secret|DatabaseSecret)$/.test(cls)) {
      const n = this.text(prop(props, 'secretName'));
      return { kind: 'secret', arn: n === undefined ? undefined : secretArn(n), key: this.keyOf(props, depth) };
    }
    if (cls === 'Key') return SOME_KEY;
    return UNRELATED.test(cls) ? 'other' : undefined;
  }

  /** `StringParameter.fromStringParameterName(this, id, name)`, `Secret.fromSecretNameV2(…)`, `Key.fromKeyArn(…)`… */
  private imported(cls: string | undefined, method: string, args: readonly ts.Expression[], depth: number): Grantor | 'other' | undefined {
    const third = this.text(args[2]);
    switch (method) {
      case 'fromStringParameterName': case 'fromStringListParameterName': case 'fromSecureStringParameterName':
        return { kind: 'parameter', arn: third === undefined ? undefined : paramArn(third) };
      case 'fromStringParameterAttributes': case 'fromSecureStringParameterAttributes': case 'fromStringListParameterAttributes': {
        const n = this.text(prop(args[2], 'parameterName'));
        return { kind: 'parameter', arn: n === undefined ? undefined : paramArn(n), key: this.keyOf(args[2], depth) };
      }
      case 'fromStringParameterArn': return { kind: 'parameter', arn: third };
      case 'fromSecretNameV2': case 'fromSecretName': return { kind: 'secret', arn: third === undefined ? undefined : secretArn(third) };
      case 'fromSecretCompleteArn': return { kind: 'secret', arn: third };
      case 'fromSecretPartialArn': return { kind: 'secret', arn: third === undefined ? undefined : third + '-??????' };
      case 'fromSecretAttributes': {
        const full = this.text(prop(args[2], 'secretCompleteArn'));
        const partial = this.text(prop(args[2], 'secretPartialArn'));
        return { kind: 'secret', arn: full ?? (partial === undefined ? undefined : partial + '-??????'), key: this.keyOf(args[2], depth) };
      }
      case 'fromKeyArn': return { kind: 'key', arn: third };
      case 'fromLookup': return cls === 'Key' ? SOME_KEY : undefined;
      // kms.Alias.fromAliasName(this, id, 'alias/aws/ssm') (lambda aliases are imported by attributes)
      case 'fromAliasName': return { kind: 'key', arn: third === undefined ? undefined : arn('kms', third) };
    }
    return cls && UNRELATED.test(cls) ? 'other' : undefined;
  }
}

/**
 * The statements of `grantor.<method>(fn)`, or undefined when the method is not a grant Keyway knows for that kind of
 * construct (then the function's permissions are opaque). `at` places the statements (the grant call).
 */
export function grantStatements(
  grantor: Grantor, method: string, at: { file: string; start: number; end: number }, explicit?: readonly string[],
): IamStatement[] | undefined {
  // `key.grant(fn, 'kms:Decrypt')`, `secret.grant(fn, 'secretsmanager:GetSecretValue')`: the actions given
  const actions = method === 'grant' ? explicit : ACTIONS[grantor.kind][method];
  if (!actions?.length) return undefined;
  const st = (acts: readonly string[], resource: string | undefined, suffix: string): IamStatement => ({
    effect: 'Allow', actions: [...acts], resources: [{ text: resource, start: at.start, end: at.end }], opaque: false,
    start: at.start, end: at.end, key: `${at.file}#${at.start}${suffix}`,
  });
  const out = [st(actions, grantor.arn, '')];
  const keyActions = KEY_ACTIONS[method];
  if (grantor.key && keyActions) out.push(st(keyActions, grantor.key.arn, ':key'));
  return out;
}
