// hardcoded-secret: literal secret values in source, YAML/JSON and .env files.
import { ts, tsv } from '../../ts';
import { get, parseEnv, walk, type IacNode, type WalkStep } from '../../iac';
import {
  classifySecret, extraWordSet, findFormattedSecrets, isSecretName, looksLikeAwsSecretAccessKey, secretLabel, storageAdvice,
  type SecretMatch,
} from '../../secrets';
import { lexicalStrings } from '../../secrets/lexical';
import { KIND_LABELS } from '../../readers/kind';
import type { DocumentContext, Range, Rule, SourceContext, UnparsedContext } from '../../types';
import {
  docRange, expressionName, isExampleFile, modelOf, namesAStoredValue, propertyNameText, storedIn, variableNamesAStoredValue,
} from './shared';

const SK = ts.SyntaxKind;

export function hardcodedMessage(kind: string, name: string | undefined, where: string): string {
  const label = secretLabel(kind);
  const subject = name ? `Hardcoded ${label} in '${name}'` : `Hardcoded ${label}`;
  return `${subject} (${where}): anyone who can read the code, the bundle or the git history can use it, and replacing it `
    + `needs a change and a redeploy. ${storageAdvice(kind)}, then read it at runtime through a cached loader, and revoke this value.`;
}

/**
 * The name a string literal is assigned to, if any: variable, property, class field, default parameter, destructuring
 * default, assignment target, compared identifier, JSX attribute, or the (plural) name of the array it sits in.
 */
export function assignedName(node: ts.Node): string | undefined {
  let cur: ts.Node = node;
  let p: ts.Node | undefined = node.parent;
  let inArray = false;
  for (let depth = 0; p && depth < 8; depth++) {
    switch (p.kind) {
      case SK.ParenthesizedExpression: case SK.AsExpression: case SK.SatisfiesExpression: case SK.TypeAssertionExpression:
      case SK.NonNullExpression: case SK.JsxExpression:
        break;
      case SK.ConditionalExpression:
        if ((p as ts.ConditionalExpression).condition === cur) return undefined;
        break;
      case SK.BinaryExpression: {
        const b = p as ts.BinaryExpression;
        const op = b.operatorToken.kind;
        if (op === SK.BarBarToken || op === SK.QuestionQuestionToken) {
          if (b.right !== cur) return undefined;
          // `process.env.API_KEY || 'literal'`: the fallback stands for the variable read on the left.
          const left = expressionName(b.left);
          if (left && isSecretName(left)) return left;
          break;
        }
        if (op === SK.EqualsToken || op === SK.BarBarEqualsToken || op === SK.QuestionQuestionEqualsToken) {
          return b.right === cur ? expressionName(b.left) : undefined;
        }
        if (op === SK.EqualsEqualsEqualsToken || op === SK.EqualsEqualsToken || op === SK.ExclamationEqualsEqualsToken
          || op === SK.ExclamationEqualsToken) return expressionName(b.right === cur ? b.left : b.right);
        return undefined;
      }
      case SK.ArrayLiteralExpression:
        if (inArray) return undefined;
        inArray = true;
        break;
      case SK.VariableDeclaration: {
        const d = p as ts.VariableDeclaration;
        return d.initializer === cur && d.name.kind === SK.Identifier ? d.name.text : undefined;
      }
      case SK.PropertyAssignment: {
        const a = p as ts.PropertyAssignment;
        return a.initializer === cur ? propertyNameText(a.name) : undefined;
      }
      case SK.PropertyDeclaration: {
        const d = p as ts.PropertyDeclaration;
        return d.initializer === cur ? propertyNameText(d.name) : undefined;
      }
      case SK.Parameter: {
        const d = p as ts.ParameterDeclaration;
        return d.initializer === cur && d.name.kind === SK.Identifier ? d.name.text : undefined;
      }
      case SK.BindingElement: {
        const d = p as ts.BindingElement;
        if (d.initializer !== cur) return undefined;
        return propertyNameText(d.propertyName) ?? (d.name.kind === SK.Identifier ? d.name.text : undefined);
      }
      case SK.EnumMember: {
        const d = p as ts.EnumMember;
        return d.initializer === cur ? propertyNameText(d.name) : undefined;
      }
      case SK.JsxAttribute:
        return propertyNameText((p as ts.JsxAttribute).name);
      case SK.CallExpression: {
        const c = p as ts.CallExpression;
        const callee = expressionName(c.expression);
        const idx = c.arguments.indexOf(cur as ts.Expression);
        if (idx < 0) return undefined;
        // jwt.sign(payload, 'secret'), jwt.verify(token, 'secret'), createHmac('sha256', 'key')
        if (idx === 1 && (callee === 'sign' || callee === 'verify') && /jwt|jsonwebtoken|jose/i.test(c.expression.getText())) return 'jwtSecret';
        if (idx === 1 && (callee === 'createHmac' || callee === 'Hmac')) return 'hmacKey';
        // Buffer.from('…', 'base64') / atob('…') keep the name of what they are assigned to
        if (idx === 0 && (callee === 'from' || callee === 'atob' || callee === 'btoa' || callee === 'String')) break;
        // CDK: fn.addEnvironment('API_TOKEN', '…'), SecretValue.unsafePlainText('…')
        if (idx === 1 && callee === 'addEnvironment') return tsv.isStringLiteralLike(c.arguments[0]) ? c.arguments[0].text : undefined;
        if (idx === 0 && (callee === 'unsafePlainText' || callee === 'plainText')) return 'secretValue';
        return undefined;
      }
      default:
        return undefined;
    }
    cur = p;
    p = p.parent;
  }
  return undefined;
}

function where(node: ts.Node): string {
  let p = node.parent;
  while (p && (p.kind === SK.ParenthesizedExpression || p.kind === SK.AsExpression || p.kind === SK.BinaryExpression
    || p.kind === SK.ArrayLiteralExpression)) p = p.parent;
  switch (p?.kind) {
    case SK.VariableDeclaration: return 'variable';
    case SK.PropertyAssignment: return 'object property';
    case SK.PropertyDeclaration: return 'class field';
    case SK.Parameter: case SK.BindingElement: return 'default value';
    case SK.JsxAttribute: return 'JSX attribute';
    default: return 'string literal';
  }
}

/** The literal is a property value in an object that also has a `user`/`username`/`login`/`email` property. */
function hasUserSibling(node: ts.Node): boolean {
  const pa = node.parent;
  const obj = pa?.kind === SK.PropertyAssignment ? pa.parent : undefined;
  if (!obj || obj.kind !== SK.ObjectLiteralExpression) return false;
  return (obj as ts.ObjectLiteralExpression).properties.some((p) => /^(user|username|userName|login|email)$/.test(propertyNameText(p.name) ?? ''));
}

/** The literal, or the variable or field it initialises, is used as a parameter or secret name (`SecretId`, `Name`, a fetch by name). */
function holdsAStoredValueName(node: ts.Node): boolean {
  if (namesAStoredValue(node)) return true;
  const v = storedIn(node);
  return !!v && variableNamesAStoredValue(node.getSourceFile(), v);
}

function sourceVisitor(ctx: SourceContext) {
  const extraWords = extraWordSet(ctx.config.secretWords);
  const sf = ctx.sourceFile;
  const pendingAwsSecrets: ts.Node[] = [];
  let sawAccessKeyId = false;
  const range = (n: ts.Node): Range => ({ start: ctx.positionAt(n.getStart(sf)), end: ctx.positionAt(n.end) });
  const report = (node: ts.Node, match: SecretMatch, name: string | undefined) => {
    ctx.report({
      ruleId: 'hardcoded-secret',
      message: hardcodedMessage(match.kind, name, where(node)),
      range: range(node),
      data: { kind: match.kind, name: name ?? '', confidence: match.confidence },
    });
  };
  return {
    kinds: [SK.StringLiteral, SK.NoSubstitutionTemplateLiteral, SK.TemplateExpression],
    visit(node: ts.Node): void {
      const k = node.kind;
      if (k !== SK.StringLiteral && k !== SK.NoSubstitutionTemplateLiteral && k !== SK.TemplateExpression) return;
      const text = k === SK.TemplateExpression ? (node as ts.TemplateExpression).head.text : (node as ts.StringLiteral).text;
      if (text.length < 6) return;
      const pk = node.parent.kind;
      if (pk === SK.ImportDeclaration || pk === SK.ExportDeclaration || pk === SK.ExternalModuleReference || pk === SK.LiteralType
        || pk === SK.ImportType || pk === SK.ModuleDeclaration) return;
      const formatted = findFormattedSecrets(text);
      let match: SecretMatch | undefined = formatted.find((f) => f.confidence === 'high') ?? formatted[0];
      let name: string | undefined;
      if (match) {
        if (formatted.some((f) => f.kind === 'aws-access-key-id')) sawAccessKeyId = true;
        name = assignedName(node);
      } else {
        name = assignedName(node);
        // `auth: { user: 'me@x.org', pass: '…' }` (nodemailer, SMTP, basic auth): `pass` next to a user is a password
        if (name && /^pass$/i.test(name) && hasUserSibling(node)) name = 'password';
        if (name) match = classifySecret(text, name, { extraWords });
        // `const dbSecret = 'prod-db-credentials-x7k2'; … SecretId: dbSecret`: the variable holds a secret's *name*.
        if (match && holdsAStoredValueName(node)) match = undefined;
        if (!match && k !== SK.TemplateExpression && looksLikeAwsSecretAccessKey(text)) pendingAwsSecrets.push(node);
      }
      if (match) report(node, match, name);
    },
    finish(): void {
      // A 40-character AWS secret access key is only recognisable next to its access key id.
      if (!sawAccessKeyId) return;
      for (const n of pendingAwsSecrets) report(n, { kind: 'aws-secret-access-key', confidence: 'high', start: 0, end: 0 }, assignedName(n));
    },
  };
}

/**
 * Name hint of a YAML/JSON scalar: its key; for `{ Name: X, Value: … }` pairs (ECS, CodeBuild, tags) the sibling name X;
 * for CloudFormation `Parameters.X.Default` the parameter name X.
 */
function keyHint(step: WalkStep): string | undefined {
  const key = step.key;
  if (key === 'Value' || key === 'value') {
    const sibling = get(step.parent?.node, key === 'Value' ? 'Name' : 'name') ?? get(step.parent?.node, key === 'Value' ? 'Key' : 'key');
    if (sibling?.type === 'scalar' && typeof sibling.value === 'string') return sibling.value;
  }
  if ((key === 'Default' || key === 'default') && step.parent?.key) return step.parent.key;
  // `auth: { user: …, pass: … }` (SMTP and basic-auth settings): `pass` next to a user is a password
  if ((key === 'pass' || key === 'Pass') && ['user', 'username', 'User', 'login', 'email'].some((k) => get(step.parent?.node, k) !== undefined)) return 'password';
  return key;
}

/** Where a document finding sits, for its message: `.env file`, `Dockerfile`, `GitHub Actions workflow`… */
function documentLabel(ctx: DocumentContext): string {
  const flavor = ctx.document?.flavor;
  if (ctx.kind === 'ci-workflow' && flavor) return `${flavor.replace(/-/g, ' ')} workflow`;
  if (ctx.kind === 'env') return '.env file';
  if (ctx.kind === 'json') return 'JSON';
  if (ctx.kind === 'yaml') return 'YAML';
  return KIND_LABELS[ctx.kind] ?? ctx.kind;
}

function documentCheck(ctx: DocumentContext): void {
  const extraWords = extraWordSet(ctx.config.secretWords);
  const formatsOnly = isExampleFile(ctx.path);
  const report = (start: number, end: number, match: SecretMatch, name: string | undefined, what: string) => ctx.report({
    ruleId: 'hardcoded-secret',
    message: hardcodedMessage(match.kind, name, what),
    range: docRange(ctx, start, end),
    data: { kind: match.kind, name: name ?? '', confidence: match.confidence },
  });

  // Files read as a whole (key files, minified or oversized bundles, kinds without a tree yet): provider formats only.
  if (ctx.kind === 'keystore') {
    report(0, 0, { kind: 'private-key', confidence: 'high', start: 0, end: 0 }, undefined, 'key store file checked in');
    return;
  }
  if (ctx.kind === 'bundle' || ctx.kind === 'private-key' || (ctx.kind === 'terraform' && !ctx.document?.roots.length)) {
    const label = ctx.kind === 'private-key' ? 'key file checked in' : ctx.kind === 'bundle' ? 'built or minified file' : documentLabel(ctx);
    for (const m of findFormattedSecrets(ctx.text)) report(m.start, m.end, m, undefined, label);
    return;
  }

  // Pairs (`.env`, shell, Dockerfile, .npmrc, .properties, snapshots, CI `run:` lines…): judged under their own name.
  const entries = ctx.document?.entries ?? (ctx.kind === 'env' ? parseEnv(ctx.text) : []);
  if (entries.length) {
    const awsKeyId = entries.some((e) => findFormattedSecrets(e.value).some((f) => f.kind === 'aws-access-key-id'));
    const label = documentLabel(ctx);
    for (const e of entries) {
      let m = classifySecret(e.value, e.key || undefined, { extraWords, formatsOnly });
      if (!m && awsKeyId && looksLikeAwsSecretAccessKey(e.value)) m = { kind: 'aws-secret-access-key', confidence: 'high', start: 0, end: 0 };
      if (m) report(e.valueStart, e.valueEnd, m, e.key || undefined, label);
    }
  }
  if (ctx.kind === 'env') return;

  const model = modelOf(ctx);
  const what = model.format === 'serverless' ? 'serverless.yml' : model.format === 'cloudformation' ? 'template' : documentLabel(ctx);
  const pendingAws: { n: IacNode; key: string | undefined }[] = [];
  let sawKeyId = false;
  for (const root of model.roots) {
    walk(root, (step) => {
      const n = step.node;
      if (n.type !== 'scalar' || typeof n.value !== 'string' || n.value.length < 6) return;
      // Tagged scalars (`!Ref x`, `!GetAtt`) are references; `!Sub` strings may still embed a literal credential.
      if (n.tag && n.tag !== 'Sub' && n.tag !== 'Join' && n.tag !== 'Base64') return;
      let key = keyHint(step);
      let value = n.value;
      // docker-compose / list-style environments: `- POSTGRES_PASSWORD=…`
      const assign = !n.tag && /^([A-Za-z_][A-Za-z0-9_.-]*)=(\S.*)$/s.exec(value);
      if (assign) { key = assign[1]; value = assign[2]; }
      const m = classifySecret(value, n.tag ? undefined : key, { extraWords, formatsOnly });
      if (m) {
        if (m.kind === 'aws-access-key-id') sawKeyId = true;
        report(n.start, n.end, m, key, what);
      } else if (looksLikeAwsSecretAccessKey(n.value)) pendingAws.push({ n, key });
    });
  }
  if (sawKeyId) {
    for (const { n, key } of pendingAws) report(n.start, n.end, { kind: 'aws-secret-access-key', confidence: 'high', start: 0, end: 0 }, key, what);
  }
}

/** Source the parser cannot take: string literals from the token stream, with the name just before `=` or `:`. */
function unparsedCheck(ctx: UnparsedContext): void {
  const extraWords = extraWordSet(ctx.config.secretWords);
  const where = 'string literal; the file could not be parsed, so only its tokens were checked';
  const report = (start: number, end: number, match: SecretMatch, name: string | undefined) => ctx.report({
    ruleId: 'hardcoded-secret',
    message: hardcodedMessage(match.kind, name, where),
    range: docRange(ctx, start, end),
    data: { kind: match.kind, name: name ?? '', confidence: match.confidence },
  });
  let sawKeyId = false;
  const pending: { start: number; end: number; name?: string }[] = [];
  for (const s of lexicalStrings(ctx.text, /\.[jt]sx$/i.test(ctx.path))) {
    if (s.value.length < 6) continue;
    const m = classifySecret(s.value, s.name, { extraWords });
    if (m) {
      if (m.kind === 'aws-access-key-id') sawKeyId = true;
      report(s.start, s.end, m, s.name);
    } else if (looksLikeAwsSecretAccessKey(s.value)) pending.push(s);
  }
  if (sawKeyId) for (const s of pending) report(s.start, s.end, { kind: 'aws-secret-access-key', confidence: 'high', start: 0, end: 0 }, s.name);
}

export const hardcodedSecret: Rule = {
  meta: {
    id: 'hardcoded-secret',
    title: 'Hardcoded secret',
    defaultSeverity: 'error',
    description: 'A secret value (API key, token, password, private key, credentials in a connection string) is written in code or config instead of being read from Parameter Store or Secrets Manager.',
  },
  source: sourceVisitor,
  document: documentCheck,
  unparsed: unparsedCheck,
};
