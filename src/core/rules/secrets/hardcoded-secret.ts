// hardcoded-secret: literal secret values in source, YAML/JSON and .env files (and every document kind a reader turns
// into the same tree or entry model), plus a fast provider-format pass over the whole text for comments and the
// parts no parser reads.
import { ts, tsv } from '../../ts';
import { get, parseEnv, walk, type EnvEntry, type IacNode, type WalkStep } from '../../iac';
import {
  classifySecret, extraWordSet, findSecretsInText, isSecretName, isTestPath, looksLikeAwsSecretAccessKey, providerOf, rotateAdvice,
  secretLabel, storageAdvice, type ClassifyOptions, type SecretMatch,
} from '../../secrets';
import { userPassIsReal } from '../../secrets/formats';
import { projectRelativePath } from '../../secrets/context';
import { isTestPath as matchesTestFiles } from '../../lambda/tests';
import { constLookup, foldRoot, foldString } from '../../secrets/fold';
import { lexicalStrings } from '../../secrets/lexical';
import { KIND_LABELS } from '../../readers/kind';
import { isCodeText } from '../../readers/text';
import type { DocumentContext, DocumentEntry, KeywayConfig, Range, ReportedFinding, Rule, SourceContext, UnparsedContext } from '../../types';
import {
  docRange, expressionName, isExampleFile, modelOf, namesAStoredValue, propertyNameText, storedIn, variableNamesAStoredValue,
} from './shared';

const SK = ts.SyntaxKind;

export function hardcodedMessage(kind: string, name: string | undefined, where: string): string {
  const label = secretLabel(kind);
  const subject = name ? `Hardcoded ${label} in '${name}'` : `Hardcoded ${label}`;
  return `${subject} (${where}): anyone who can read the code, the bundle or the git history can use it, and replacing it `
    + `needs a change and a redeploy. ${storageAdvice(kind)}, then read it at runtime through a cached loader. ${rotateAdvice(kind)}`;
}

/** Finding data: kind, provider, confidence and name — never the value. */
function findingData(match: SecretMatch, name: string | undefined): ReportedFinding['data'] {
  const data: NonNullable<ReportedFinding['data']> = { kind: match.kind, provider: providerOf(match.kind), name: name ?? '', confidence: match.confidence };
  if (match.mode && match.mode !== 'live') data.mode = match.mode;
  if (match.encoding) data.encoding = match.encoding;
  return data;
}

/**
 * Test code, fixtures, snapshots and sample events, relative to the project root: the configured `testFiles` patterns
 * when set, else the built-in list (wider than the handler rules' one: sample events and fixtures hold fake values too).
 */
function isTestCode(ctx: { path: string; project: SourceContext['project']; config: KeywayConfig }): boolean {
  const rel = projectRelativePath(ctx.path, ctx.project);
  return ctx.config.testFiles ? matchesTestFiles(rel, ctx.config) : isTestPath(rel);
}

/** `config.minConfidence: 'high'` keeps only verified formats and strong generic values. */
function confident(config: KeywayConfig, m: SecretMatch): boolean {
  return config.minConfidence !== 'high' || m.confidence === 'high';
}

/** Known clients and calls whose positional arguments are credentials: `new Sequelize(db, user, password)`, `.auth(user, pass)`. */
function positionalName(c: ts.CallExpression | ts.NewExpression, idx: number): string | undefined {
  const callee = expressionName(c.expression);
  const n = c.arguments?.length ?? 0;
  if (!callee) return undefined;
  if (callee === 'Sequelize' && idx === 2 && n >= 3) return 'password';
  if ((callee === 'auth' || callee === 'login' || callee === 'bind' || callee === 'authenticate') && idx === 1 && n >= 2) return 'password';
  if (callee === 'login' && idx === 0 && n === 1) return 'token'; // discord.js client.login(token)
  if (/^(?:twilio|Twilio)$/.test(callee) && idx === 1) return 'authToken';
  if (/^(?:Telegraf|TelegramBot|Bot|WebClient|Octokit|Client)$/.test(callee) && idx === 0 && c.kind === SK.NewExpression && n <= 2) return callee === 'Client' ? undefined : 'token';
  if (/^(?:setApiKey|setToken|setAuthToken|setAccessToken|setPassword|setSecret|setClientSecret|setCredentials)$/.test(callee) && idx === 0) return callee.slice(3);
  if ((callee === 'set' || callee === 'setHeader' || callee === 'append' || callee === 'header') && idx === 1 && n >= 2) {
    const k = c.arguments![0];
    return tsv.isStringLiteralLike(k) ? k.text : undefined; // headers.set('Authorization', '…'), res.setHeader('x-api-key', '…')
  }
  if ((callee === 'encrypt' || callee === 'decrypt') && idx === 1) return 'encryptionKey'; // CryptoJS.AES.encrypt(data, key)
  if (callee === 'createCipheriv' && idx === 1) return 'encryptionKey';
  return undefined;
}

/** `basicAuth({ users: { admin: '…' } })` (express-basic-auth, koa-basic-auth): each user's value is its password. */
function basicAuthUsersEntry(a: ts.PropertyAssignment): boolean {
  const users = a.parent?.parent;
  if (users?.kind !== SK.PropertyAssignment || propertyNameText((users as ts.PropertyAssignment).name) !== 'users') return false;
  const call = users.parent?.parent;
  if (call?.kind !== SK.CallExpression) return false;
  return /basic[_-]?auth/i.test(expressionName((call as ts.CallExpression).expression) ?? '');
}

/** Methods whose result is still the value they are called on (`'…'.trim()`, `'…'.slice(0, 40)`, `[…].join('')`). */
const PASS_THROUGH_METHODS = new Set(['toString', 'join', 'concat', 'slice', 'substring', 'substr', 'trim', 'trimStart', 'trimEnd',
  'replace', 'replaceAll', 'normalize', 'valueOf']);

/**
 * The name a string literal is assigned to, if any: variable, property, class field, default parameter, destructuring
 * default, assignment target, compared identifier, JSX attribute, the (plural) name of the array it sits in, or the
 * parameter of a known client it is passed to.
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
        if (a.initializer !== cur) return undefined;
        return basicAuthUsersEntry(a) ? 'password' : propertyNameText(a.name);
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
      case SK.CallExpression: case SK.NewExpression: {
        const c = p as ts.CallExpression;
        const callee = expressionName(c.expression);
        const idx = c.arguments?.indexOf(cur as ts.Expression) ?? -1;
        if (idx < 0) return undefined;
        // jwt.sign(payload, 'secret'), jwt.verify(token, 'secret'), createHmac('sha256', 'key')
        if (idx === 1 && (callee === 'sign' || callee === 'verify') && /jwt|jsonwebtoken|jose/i.test(c.expression.getText())) return 'jwtSecret';
        if (idx === 1 && (callee === 'createHmac' || callee === 'Hmac')) return 'hmacKey';
        // Buffer.from('…', 'base64') / atob('…') keep the name of what they are assigned to
        if (idx === 0 && (callee === 'from' || callee === 'atob' || callee === 'btoa' || callee === 'String')) break;
        // CDK: fn.addEnvironment('API_TOKEN', '…'), SecretValue.unsafePlainText('…')
        if (idx === 1 && callee === 'addEnvironment') return tsv.isStringLiteralLike(c.arguments[0]) ? c.arguments[0].text : undefined;
        if (idx === 0 && (callee === 'unsafePlainText' || callee === 'plainText')) return 'secretValue';
        return positionalName(c, idx);
      }
      case SK.PropertyAccessExpression:
        // `Buffer.from('…', 'base64').toString()`, `[…].join('')`: the value goes on to what the call is assigned to
        if ((p as ts.PropertyAccessExpression).expression === cur && PASS_THROUGH_METHODS.has((p as ts.PropertyAccessExpression).name.text)
          && p.parent?.kind === SK.CallExpression) { cur = p.parent; p = p.parent.parent; continue; }
        return undefined;
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
    case SK.CallExpression: case SK.NewExpression: return 'argument';
    default: return 'string literal';
  }
}

/** The object literal a property value sits in. */
function containingObject(node: ts.Node): ts.ObjectLiteralExpression | undefined {
  const pa = node.parent;
  const obj = pa?.kind === SK.PropertyAssignment ? pa.parent : undefined;
  return obj?.kind === SK.ObjectLiteralExpression ? obj as ts.ObjectLiteralExpression : undefined;
}

function objectKeys(obj: ts.ObjectLiteralExpression | undefined): Set<string> {
  const s = new Set<string>();
  for (const p of obj?.properties ?? []) { const k = propertyNameText(p.name); if (k) s.add(k); }
  return s;
}

const USER_KEYS = new Set(['user', 'username', 'userName', 'login', 'email']);
const FIREBASE_WEB_KEYS = ['authDomain', 'projectId', 'messagingSenderId', 'appId', 'storageBucket', 'databaseURL', 'measurementId'];

/** A Firebase web config (`apiKey` next to `authDomain`/`projectId`/`appId`) or a name that says so: its key is public. */
function isFirebaseWebConfig(keys: Set<string> | ((k: string) => boolean), name: string | undefined): boolean {
  if (name && /firebase/i.test(name) && /api_?key|apikey|web_?key/i.test(name.replace(/([a-z])([A-Z])/g, '$1_$2'))) return true;
  const has = typeof keys === 'function' ? keys : (k: string) => keys.has(k);
  return FIREBASE_WEB_KEYS.filter(has).length >= 2;
}

/** The literal, or the variable or field it initialises, is used as a parameter or secret name (`SecretId`, `Name`, a fetch by name). */
function holdsAStoredValueName(node: ts.Node): boolean {
  if (namesAStoredValue(node)) return true;
  const v = storedIn(node);
  return !!v && variableNamesAStoredValue(node.getSourceFile(), v);
}

/** Sorted source ranges already judged as values; the whole-text pass skips matches inside them. */
class Examined {
  private starts: number[] = [];
  private ends: number[] = [];
  private sorted = true;
  add(start: number, end: number): void {
    if (this.starts.length && start < this.starts[this.starts.length - 1]) this.sorted = false;
    this.starts.push(start);
    this.ends.push(end);
  }
  /** Whether [start, end) overlaps a judged range (a value that was judged already, or one inside it). */
  overlaps(start: number, end: number): boolean {
    if (!this.sorted) {
      const order = this.starts.map((_, i) => i).sort((a, b) => this.starts[a] - this.starts[b]);
      this.starts = order.map((i) => this.starts[i]);
      this.ends = order.map((i) => this.ends[i]);
      this.sorted = true;
    }
    // the last range starting before `end`, then back a little: ranges nest (a template around a literal)
    let lo = 0, hi = this.starts.length - 1, last = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] < end) { last = mid; lo = mid + 1; } else hi = mid - 1;
    }
    for (let i = last; i >= 0 && i > last - 16; i--) if (this.ends[i] > start) return true;
    return false;
  }
}

/** Report the provider formats of the whole text that no value check has seen: comments, regex literals, JSX text. */
function reportTextPass(
  text: string, examined: Examined, report: (start: number, end: number, m: SecretMatch, where: string, name?: string) => void,
  config: KeywayConfig, extraWords: ReadonlySet<string>, quotedOnly = false,
): void {
  const seen: SecretMatch[] = [];
  for (const m of findSecretsInText(text)) {
    if (examined.overlaps(m.start, Math.max(m.end, m.start + 1)) || !confident(config, m)) continue;
    seen.push(m);
    report(m.start, m.end, m, 'comment or text');
  }
  // Assignments nothing else read (commented-out code, JSX text, `# KEY=value` in a document's comments): a generic
  // value there counts only with high confidence.
  for (const a of unreadAssignments(text, examined, quotedOnly)) {
    if (seen.some((m) => m.start < a.end && a.start < m.end)) continue;
    const m = classifySecret(a.value, a.name, { extraWords, testCode: true });
    if (m && confident(config, m)) report(a.start, a.end, m, 'comment or text', a.name);
  }
}

const ASSIGN_HIT = /[:=][ \t]*(["'`]?)/g;
const BADGE_QUERY = /\.(?:svg|png|gif)\?[^\s"'()]*$/i;
const NAME_BEFORE = /([A-Za-z_$][\w$.-]*)["']?[ \t]*$/;

/** `name = 'value'`, `name: "value"`, `KEY=value` outside every judged value (comments, JSX text, unread lines). */
function* unreadAssignments(text: string, examined: Examined, quotedOnly: boolean): Generator<{ name: string; value: string; start: number; end: number }> {
  ASSIGN_HIT.lastIndex = 0;
  for (let m = ASSIGN_HIT.exec(text); m; m = ASSIGN_HIT.exec(text)) {
    const at = m.index;
    const quote = m[1];
    const valueStart = at + m[0].length;
    const c = text.charCodeAt(valueStart);
    if (!quote && (quotedOnly || (!(c >= 48 && c <= 57) && !(c >= 65 && c <= 90) && !(c >= 97 && c <= 122)))) continue;
    if (examined.overlaps(at, valueStart + 1)) continue;
    const before = text.slice(Math.max(0, at - 80), at);
    const name = NAME_BEFORE.exec(before)?.[1];
    if (!name || !isSecretName(name)) continue;
    // a status badge's image URL (`build.svg?token=…`): the token only shows the badge, and READMEs embed it on purpose
    if (BADGE_QUERY.test(before)) continue;
    let end = valueStart;
    const n = Math.min(text.length, valueStart + 400);
    if (quote) { while (end < n && text[end] !== quote && text[end] !== '\n') end++; if (text[end] !== quote) continue; }
    else while (end < n && !/[\s'"`;,)}<>]/.test(text[end])) end++;
    if (end - valueStart < 12) continue;
    yield { name, value: text.slice(valueStart, end), start: valueStart, end };
  }
}

function sourceVisitor(ctx: SourceContext) {
  const extraWords = extraWordSet(ctx.config.secretWords);
  const testCode = isTestCode(ctx);
  const sf = ctx.sourceFile;
  const lookup = constLookup(sf);
  const pendingAwsSecrets: ts.Node[] = [];
  const examined = new Examined();
  const folded = new Set<ts.Node>();
  let sawAccessKeyId = false;
  const range = (n: ts.Node): Range => ({ start: ctx.positionAt(n.getStart(sf)), end: ctx.positionAt(n.end) });
  const report = (node: ts.Node, match: SecretMatch, name: string | undefined) => {
    if (!confident(ctx.config, match)) return;
    ctx.report({ ruleId: 'hardcoded-secret', message: hardcodedMessage(match.kind, name, where(node)), range: range(node), data: findingData(match, name) });
  };
  const options = (node: ts.Node, name: string | undefined): ClassifyOptions => ({
    extraWords, testCode, firebaseWebConfig: isFirebaseWebConfig(objectKeys(containingObject(node)), name),
  });

  /** Judge a value with its name (generic detection included). */
  const judge = (node: ts.Node, value: string, nameOverride?: string): void => {
    let name = nameOverride ?? assignedName(node);
    // `auth: { user: 'me@x.org', pass: '…' }` (nodemailer, SMTP, basic auth): `pass` next to a user is a password
    if (name && /^pass$/i.test(name) && [...objectKeys(containingObject(node))].some((k) => USER_KEYS.has(k))) name = 'password';
    let match = classifySecret(value, name, options(node, name));
    if (match && match.kind.length && !isFormatKind(match) && holdsAStoredValueName(node)) match = undefined;
    if (match) {
      if (match.kind === 'aws-access-key-id') sawAccessKeyId = true;
      report(node, match, name);
    } else if (looksLikeAwsSecretAccessKey(value)) pendingAwsSecrets.push(node);
  };

  /**
   * A template with run-time parts under a secret name (`` `${stage}-<random>` ``): a random piece of its constant text
   * is still a hardcoded secret. Only a strong (high-confidence) piece counts; words and ids around `${}` never do.
   */
  const judgeTemplatePieces = (node: ts.Node, t: ts.TemplateExpression): void => {
    const name = assignedName(node);
    if (!name || !isSecretName(name, extraWords)) return;
    for (const part of [t.head.text, ...t.templateSpans.map((sp) => sp.literal.text)]) {
      for (const piece of part.match(/[A-Za-z0-9][A-Za-z0-9+/=_.~-]{15,}/g) ?? []) {
        const m = classifySecret(piece, name, options(node, name));
        if (m?.confidence === 'high') { report(node, m, name); return; }
      }
    }
  };

  return {
    kinds: [SK.StringLiteral, SK.NoSubstitutionTemplateLiteral, SK.TemplateExpression],
    visit(node: ts.Node): void {
      const k = node.kind;
      if (k !== SK.StringLiteral && k !== SK.NoSubstitutionTemplateLiteral && k !== SK.TemplateExpression) return;
      examined.add(node.pos, node.end);
      const pk = node.parent.kind;
      if (pk === SK.ImportDeclaration || pk === SK.ExportDeclaration || pk === SK.ExternalModuleReference || pk === SK.LiteralType
        || pk === SK.ImportType || pk === SK.ModuleDeclaration) return;
      const root = foldRoot(node);
      if (folded.has(root)) return;
      folded.add(root);
      if (root !== node) {
        examined.add(root.pos, root.end);
        const whole = foldString(root, lookup);
        if (whole !== undefined) {
          // `Buffer.from('…', 'base64').toString()`, `atob('…')` that decode to `user:password`: a basic-auth credential
          const pair = /^[^:\s]{1,64}:\S{3,}$/.test(whole) && /base64|atob/.test(root.getText(sf)) ? userPassIsReal(whole) : undefined;
          if (pair) report(root, { kind: 'basic-auth', confidence: pair, start: 0, end: whole.length, encoding: 'base64' }, assignedName(root));
          // `Buffer.from('<64 hex>', 'hex')`: binary key material; the encoded literal is what is judged
          else if (/[\x00-\x08\x0e-\x1f\ufffd]/.test(whole) && k !== SK.TemplateExpression) {
            if ((node as ts.StringLiteral).text.length >= 6) judge(root, (node as ts.StringLiteral).text);
          } else if (whole.length >= 6) judge(root, whole);
          return;
        }
        // part of a value computed at run time: only a provider format inside this literal itself counts
        const own = k === SK.TemplateExpression ? templateText(node as ts.TemplateExpression) : (node as ts.StringLiteral).text;
        const m = classifySecret(own, undefined, { formatsOnly: true });
        if (m) report(node, m, assignedName(root));
        return;
      }
      if (k === SK.TemplateExpression) {
        const t = node as ts.TemplateExpression;
        const whole = foldString(t, lookup);
        if (whole !== undefined) { if (whole.length >= 6) judge(node, whole); return; }
        // `${}` parts are computed at run time: judge the formats of the whole template (a key after an interpolation
        // included) with the substitutions marked, never a generic guess on a fragment.
        const m = classifySecret(templateText(t), undefined, { formatsOnly: true });
        if (m) {
          if (m.kind === 'aws-access-key-id') sawAccessKeyId = true;
          report(node, m, assignedName(node));
        } else judgeTemplatePieces(node, t);
        return;
      }
      const text = (node as ts.StringLiteral).text;
      if (text.length < 6) return;
      judge(node, text);
    },
    finish(): void {
      // A 40-character AWS secret access key is only recognisable next to its access key id.
      if (sawAccessKeyId) {
        for (const n of pendingAwsSecrets) report(n, { kind: 'aws-secret-access-key', confidence: 'high', start: 0, end: 0 }, assignedName(n));
      }
      reportTextPass(ctx.text, examined, (start, end, m, what, name) => ctx.report({
        ruleId: 'hardcoded-secret', message: hardcodedMessage(m.kind, name, what),
        range: { start: ctx.positionAt(start), end: ctx.positionAt(end) }, data: findingData(m, name),
      }), ctx.config, extraWords, true);
    },
  };
}

/** A template's text with each substitution as `${…}`. */
function templateText(t: ts.TemplateExpression): string {
  return t.head.text + t.templateSpans.map((s) => '${…}' + s.literal.text).join('');
}

/** A match from a format (provider, key, connection string), as opposed to a generic value under a secret name. */
function isFormatKind(m: SecretMatch): boolean {
  return providerOf(m.kind) !== 'generic';
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
  // JSONPath / Step Functions parameters: `token.$: $$.Task.Token` is a reference, whatever the key says
  if (key?.endsWith('.$')) return undefined;
  // A bare `Key` names what its section is for: `"Jwt": { "Key": … }`, `encryption: { key: … }`, `signing: { key: … }`
  if (key && /^(?:key|Key|KEY)$/.test(key) && step.parent?.key) return `${step.parent.key}_${key}`;
  return key;
}

/** Kind for a private key found in a GCP service-account JSON (Firebase admin when its client is firebase-adminsdk). */
function serviceAccountKind(parent: IacNode | undefined): string | undefined {
  const type = get(parent, 'type');
  if (type?.type !== 'scalar' || type.value !== 'service_account') return undefined;
  const email = get(parent, 'client_email');
  return email?.type === 'scalar' && /firebase-adminsdk/.test(String(email.value)) ? 'firebase-admin-credentials' : 'gcp-service-account-key';
}

/** One judged value of a document: name, value and where it sits (entry-model readers produce these). */
export interface DocumentValue {
  name?: string; value: string; start: number; end: number; firebaseWebConfig?: boolean; kindOverride?: (m: SecretMatch) => SecretMatch;
  /** Words around the name that may name the provider (enclosing keys, a `.netrc` machine, a host). */
  context?: string;
}

/**
 * Judge a document's values (YAML/JSON scalars, .env entries, and the entries of any other reader), then run the
 * whole-text pass for comments and lines no reader turned into values.
 */
export function judgeDocumentValues(ctx: DocumentContext | UnparsedContext, values: Iterable<DocumentValue>, what: string, formatsOnly = false): void {
  const extraWords = extraWordSet(ctx.config.secretWords);
  const testCode = isTestCode(ctx);
  const examined = new Examined();
  const report = (start: number, end: number, match: SecretMatch, name: string | undefined, w: string) => {
    if (!confident(ctx.config, match)) return;
    ctx.report({ ruleId: 'hardcoded-secret', message: hardcodedMessage(match.kind, name, w), range: docRange(ctx, start, end), data: findingData(match, name) });
  };
  const pendingAws: DocumentValue[] = [];
  let sawKeyId = false;
  for (const v of values) {
    examined.add(v.start, Math.max(v.end, v.start + 1));
    if (v.value.length < 6) continue;
    let m = classifySecret(v.value, v.name, { extraWords, formatsOnly, testCode, firebaseWebConfig: v.firebaseWebConfig, context: v.context });
    if (m && v.kindOverride) m = v.kindOverride(m);
    if (m) {
      if (m.kind === 'aws-access-key-id') sawKeyId = true;
      report(v.start, v.end, m, v.name, what);
    } else if (looksLikeAwsSecretAccessKey(v.value)) pendingAws.push(v);
  }
  for (const v of pendingAws) {
    if (sawKeyId || /secret.?access.?key|aws.?secret/i.test(v.name ?? '')) report(v.start, v.end, { kind: 'aws-secret-access-key', confidence: 'high', start: 0, end: 0 }, v.name, what);
  }
  // In other languages' source (Python, Go, Java…) an unquoted `name = value` is code, as in TypeScript.
  const quotedOnly = 'kind' in ctx && ctx.kind === 'text' && isCodeText(ctx.path);
  reportTextPass(ctx.text, examined, (start, end, m, w, name) => report(start, end, m, name, w), ctx.config, extraWords, quotedOnly);
}

const HOST_KEYS = new Set(['machine', 'host', 'hostname', 'server', 'url', 'registry', 'endpoint']);

/** Enclosing keys (two levels) and a sibling host (`machine api.heroku.com`): words that may name the provider. */
function contextWords(step: WalkStep, hosts: Map<IacNode, string>): string | undefined {
  const out: string[] = [];
  for (let p = step.parent, i = 0; p && i < 3; p = p.parent, i++) if (p.key) out.push(p.key);
  const parent = step.parent?.node;
  if (parent?.type === 'map') {
    // one pass over the parent's entries, remembered for its other values (a section may hold thousands of keys)
    let h = hosts.get(parent);
    if (h === undefined) {
      h = '';
      for (const e of parent.entries) {
        if (typeof e.key.value === 'string' && HOST_KEYS.has(e.key.value) && e.value.type === 'scalar' && typeof e.value.value === 'string'
          && e.value.value.length < 200) h += ' ' + e.value.value;
      }
      hosts.set(parent, h);
    }
    if (h) out.push(h);
  }
  return out.length ? out.join(' ') : undefined;
}

/** `[key, string value]` pairs of a JSON object or array serialised in a string; `{ name|key: X, value: Y }` pairs as `[X, Y]`. */
export function embeddedJson(value: string): [string, string][] {
  const t = value.trim();
  if (t.length < 8 || t.length > 20_000 || !/^\{[\s\S]*\}$|^\[[\s\S]*\]$/.test(t) || !t.includes('"')) return [];
  let parsed: unknown;
  try { parsed = JSON.parse(t); } catch { return []; }
  const out: [string, string][] = [];
  const visit = (node: unknown, key: string | undefined, depth: number): void => {
    if (out.length >= 200 || depth > 8) return;
    if (typeof node === 'string') { if (key !== undefined) out.push([key, node]); return; }
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) { for (const x of node) visit(x, key, depth + 1); return; }
    const o = node as Record<string, unknown>;
    const pairName = typeof o.name === 'string' ? o.name : typeof o.key === 'string' ? o.key : undefined;
    for (const [k, v] of Object.entries(o)) visit(v, k === 'value' && pairName ? pairName : k, depth + 1);
  };
  visit(parsed, undefined, 0);
  return out;
}

/** The judged values of a YAML/JSON tree. */
export function* treeValues(roots: readonly IacNode[]): Generator<DocumentValue> {
  const hosts = new Map<IacNode, string>();
  for (const root of roots) {
    const list: DocumentValue[] = [];
    walk(root, (step) => {
      const n = step.node;
      if (n.type !== 'scalar' || typeof n.value !== 'string') return;
      // Tagged scalars (`!Ref x`, `!GetAtt`) are references; `!Sub` strings may still embed a literal credential.
      if (n.tag && n.tag !== 'Sub' && n.tag !== 'Join' && n.tag !== 'Base64') { list.push({ value: '', start: n.start, end: n.end }); return; }
      let key = keyHint(step);
      let value = n.value;
      // docker-compose / list-style environments: `- POSTGRES_PASSWORD=…`
      const assign = !n.tag && step.parent?.node.type === 'seq' && /^([A-Za-z_][A-Za-z0-9_.-]*)=(\S.*)$/s.exec(value);
      if (assign) { key = assign[1]; value = assign[2]; }
      const parent = step.parent?.node;
      // JSON inside a string (a Postman or HAR request body, a config serialised into an env value): its keys name its values
      for (const [name, inner] of embeddedJson(value)) list.push({ name, value: inner, start: n.start, end: n.end });
      const sa = key === 'private_key' ? serviceAccountKind(parent) : undefined;
      list.push({
        name: n.tag ? undefined : key, value, start: n.start, end: n.end, context: contextWords(step, hosts),
        firebaseWebConfig: key !== undefined && /^api_?key$/i.test(key) && isFirebaseWebConfig((k) => get(parent, k) !== undefined, key),
        kindOverride: sa ? (m) => (m.kind === 'private-key' ? { ...m, kind: sa } : m) : undefined,
      });
    });
    yield* list;
  }
}

/** The judged values of `.env` entries and of every reader that produces pairs (shell, Dockerfile, ini, npmrc, CI `run:` lines…). */
export function* entryValues(entries: readonly (EnvEntry | DocumentEntry)[]): Generator<DocumentValue> {
  for (const e of entries) {
    const name = e.key || undefined;
    yield { name, value: e.value, start: e.valueStart, end: e.valueEnd, firebaseWebConfig: !!name && /firebase/i.test(name) && /api_?key/i.test(name) };
  }
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

/** API documentation examples as data (`examples-1.json` of AWS SDKs, `example.json`, `sample-config.yaml`): formats only. */
const EXAMPLE_DATA = /(?:^|[\\/])(?:examples?|samples?)(?:[-_.][\w-]*)?\.(?:json|ya?ml)$/i;

function documentCheck(ctx: DocumentContext): void {
  const formatsOnly = isExampleFile(ctx.path) || EXAMPLE_DATA.test(ctx.path);
  // A key store (`.p12`, `.pfx`, `.jks`) checked in: its bytes are never read as text.
  if (ctx.kind === 'keystore') {
    if (confident(ctx.config, { kind: 'private-key', confidence: 'high', start: 0, end: 0 })) {
      ctx.report({
        ruleId: 'hardcoded-secret', message: hardcodedMessage('private-key', undefined, 'key store file checked in'), range: docRange(ctx, 0, 0),
        data: { kind: 'private-key', provider: providerOf('private-key'), name: '', confidence: 'high' },
      });
    }
    return;
  }
  // Files read as a whole (key files, minified or oversized bundles): the provider-format pass over the text only, no
  // generic guess on names (a bundle holds every library's `password:` labels).
  if (ctx.kind === 'bundle' || ctx.kind === 'private-key') {
    const what = ctx.kind === 'private-key' ? 'key file checked in' : 'built or minified file';
    const found = findSecretsInText(ctx.text);
    // A key file holding one random token is a symmetric key (Rails `config/master.key`, an app or signing `.key`)
    const token = ctx.kind === 'private-key' && !found.length ? /^\s*([A-Za-z0-9+/=_-]{32,512})\s*$/.exec(ctx.text) : null;
    const symmetric = token ? classifySecret(token[1], 'encryptionKey', { formatsOnly: isExampleFile(ctx.path) }) : undefined;
    if (token && symmetric?.confidence === 'high') found.push({ ...symmetric, start: token.index + token[0].indexOf(token[1]), end: token.index + token[0].indexOf(token[1]) + token[1].length });
    for (const m of found) {
      if (!confident(ctx.config, m)) continue;
      ctx.report({ ruleId: 'hardcoded-secret', message: hardcodedMessage(m.kind, undefined, what), range: docRange(ctx, m.start, m.end), data: findingData(m, undefined) });
    }
    return;
  }
  // Pairs (`.env`, shell, Dockerfile, .npmrc, .properties, snapshots, CI `run:` lines…) and trees (YAML, JSON, TOML,
  // INI, Terraform…): every value judged under its own name, then the text pass for comments and the rest.
  const entries = ctx.document?.entries ?? (ctx.kind === 'env' ? parseEnv(ctx.text) : []);
  const values: DocumentValue[] = [...entryValues(entries)];
  let what = documentLabel(ctx);
  if (ctx.kind !== 'env' && (ctx.document?.roots.length || ctx.kind === 'yaml' || ctx.kind === 'json')) {
    const model = modelOf(ctx);
    if (model.format === 'serverless') what = 'serverless.yml';
    else if (model.format === 'cloudformation') what = 'template';
    values.push(...treeValues(model.roots));
  }
  // Firebase's mobile configs (`google-services.json`, `GoogleService-Info.plist`) hold the app's public API key
  if (FIREBASE_CLIENT_CONFIG.test(ctx.path)) for (const v of values) v.firebaseWebConfig = true;
  judgeDocumentValues(ctx, values, what, formatsOnly);
}

const FIREBASE_CLIENT_CONFIG = /(?:^|[\\/])(?:google-services\.json|GoogleService-Info\.plist)$/;

/** Source the parser cannot take: string literals from the token stream, with the name just before `=` or `:`. */
function unparsedCheck(ctx: UnparsedContext): void {
  const values: DocumentValue[] = lexicalStrings(ctx.text, /\.[jt]sx$/i.test(ctx.path)).map((s) => ({ name: s.name, value: s.value, start: s.start, end: s.end }));
  judgeDocumentValues(ctx, values, 'string literal; the file could not be parsed, so only its tokens were checked');
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
