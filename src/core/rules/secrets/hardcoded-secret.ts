// hardcoded-secret: literal secret values in source, YAML/JSON and .env files (and every document kind a reader turns
// into the same tree or entry model), plus a fast provider-format pass over the whole text for comments and the
// parts no parser reads. Literal names: `literal-names.ts`; document values: `document-values.ts`; the whole-text
// pass: `text-pass.ts`.
import { ts } from '../../ts';
import { parseEnv } from '../../iac';
import {
  classifySecret, extraWordSet, findSecretsInText, isSecretName, isTestPath, looksLikeAwsSecretAccessKey, providerOf, rotateAdvice,
  secretLabel, storageAdvice, type ClassifyOptions, type SecretMatch,
} from '../../secrets';
import { userPassIsReal } from '../../secrets/formats';
import { projectRelativePath } from '../../secrets/context';
import { isTestPath as matchesTestFiles } from '../../lambda/tests';
import { constLookup, foldRoot, foldString, type ConstLookup } from '../../secrets/fold';
import { lexicalStrings } from '../../secrets/lexical';
import { KIND_LABELS } from '../../readers/kind';
import { isCodeText } from '../../readers/text';
import type { DocumentContext, KeywayConfig, Range, ReportedFinding, Rule, SourceContext, UnparsedContext } from '../../types';
import { docRange, isExampleFile, modelOf, namesAStoredValue, storedIn, variableNamesAStoredValue } from './shared';
import { assignedName, containingObject, objectKeys, where } from './literal-names';
import { entryValues, isFirebaseWebConfig, treeValues, type DocumentValue } from './document-values';
import { confident, Examined, reportTextPass } from './text-pass';


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

const USER_KEYS = new Set(['user', 'username', 'userName', 'login', 'email']);
const SKIPPED_PARENTS = new Set<ts.SyntaxKind>([SK.ImportDeclaration, SK.ExportDeclaration, SK.ExternalModuleReference, SK.LiteralType,
  SK.ImportType, SK.ModuleDeclaration]);

/** The literal, or the variable or field it initialises, is used as a parameter or secret name (`SecretId`, `Name`, a fetch by name). */
function holdsAStoredValueName(node: ts.Node): boolean {
  if (namesAStoredValue(node)) return true;
  const v = storedIn(node);
  return !!v && variableNamesAStoredValue(node.getSourceFile(), v);
}

/** A template's text with each substitution as `${…}`. */
function templateText(t: ts.TemplateExpression): string {
  return t.head.text + t.templateSpans.map((s) => '${…}' + s.literal.text).join('');
}

/** A match from a format (provider, key, connection string), as opposed to a generic value under a secret name. */
function isFormatKind(m: SecretMatch): boolean {
  return providerOf(m.kind) !== 'generic';
}

/** One TypeScript/JavaScript file: its string literals, folded where code assembles them, then the whole-text pass. */
class SourceScan {
  private readonly extraWords: ReadonlySet<string>;
  private readonly testCode: boolean;
  private readonly lookup: ConstLookup;
  private readonly pendingAwsSecrets: ts.Node[] = [];
  private readonly examined = new Examined();
  private readonly folded = new Set<ts.Node>();
  private sawAccessKeyId = false;

  constructor(private readonly ctx: SourceContext) {
    this.extraWords = extraWordSet(ctx.config.secretWords);
    this.testCode = isTestCode(ctx);
    this.lookup = constLookup(ctx.sourceFile);
  }

  private report(node: ts.Node, match: SecretMatch, name: string | undefined): void {
    if (!confident(this.ctx.config, match)) return;
    if (match.kind === 'aws-access-key-id') this.sawAccessKeyId = true;
    const range: Range = { start: this.ctx.positionAt(node.getStart(this.ctx.sourceFile)), end: this.ctx.positionAt(node.end) };
    this.ctx.report({ ruleId: 'hardcoded-secret', message: hardcodedMessage(match.kind, name, where(node)), range, data: findingData(match, name) });
  }

  private options(node: ts.Node, name: string | undefined): ClassifyOptions {
    return { extraWords: this.extraWords, testCode: this.testCode, firebaseWebConfig: isFirebaseWebConfig(objectKeys(containingObject(node)), name) };
  }

  /** Judge a value with its name (generic detection included). */
  private judge(node: ts.Node, value: string): void {
    let name = assignedName(node);
    // `auth: { user: 'me@x.org', pass: '…' }` (nodemailer, SMTP, basic auth): `pass` next to a user is a password
    if (name && /^pass$/i.test(name) && [...objectKeys(containingObject(node))].some((k) => USER_KEYS.has(k))) name = 'password';
    let match = classifySecret(value, name, this.options(node, name));
    if (match && !isFormatKind(match) && holdsAStoredValueName(node)) match = undefined;
    if (match) this.report(node, match, name);
    else if (looksLikeAwsSecretAccessKey(value)) this.pendingAwsSecrets.push(node);
  }

  /**
   * A template with run-time parts under a secret name (`` `${stage}-<random>` ``): a random piece of its constant text
   * is still a hardcoded secret. Only a strong (high-confidence) piece counts; words and ids around `${}` never do.
   */
  private judgeTemplatePieces(node: ts.Node, t: ts.TemplateExpression): void {
    const name = assignedName(node);
    if (!name || !isSecretName(name, this.extraWords)) return;
    for (const part of [t.head.text, ...t.templateSpans.map((sp) => sp.literal.text)]) {
      for (const piece of part.match(/[A-Za-z0-9][A-Za-z0-9+/=_.~-]{15,}/g) ?? []) {
        const m = classifySecret(piece, name, this.options(node, name));
        if (m?.confidence === 'high') { this.report(node, m, name); return; }
      }
    }
  }

  /** A literal inside an expression folding can see through (`'sk-ant-' + '…'`, `atob('…')`, `[…].join('')`). */
  private visitFolded(node: ts.Node, root: ts.Node): void {
    this.examined.add(root.pos, root.end);
    const whole = foldString(root, this.lookup);
    if (whole === undefined) {
      // part of a value computed at run time: only a provider format inside this literal itself counts
      const own = node.kind === SK.TemplateExpression ? templateText(node as ts.TemplateExpression) : (node as ts.StringLiteral).text;
      const m = classifySecret(own, undefined, { formatsOnly: true });
      if (m) this.report(node, m, assignedName(root));
      return;
    }
    // `Buffer.from('…', 'base64').toString()`, `atob('…')` that decode to `user:password`: a basic-auth credential
    const pair = /^[^:\s]{1,64}:\S{3,}$/.test(whole) && /base64|atob/.test(root.getText(this.ctx.sourceFile)) ? userPassIsReal(whole) : undefined;
    if (pair) this.report(root, { kind: 'basic-auth', confidence: pair, start: 0, end: whole.length, encoding: 'base64' }, assignedName(root));
    // `Buffer.from('<64 hex>', 'hex')`: binary key material; the encoded literal is what is judged
    else if (/[\x00-\x08\x0e-\x1f\ufffd]/.test(whole) && node.kind !== SK.TemplateExpression) {
      if ((node as ts.StringLiteral).text.length >= 6) this.judge(root, (node as ts.StringLiteral).text);
    } else if (whole.length >= 6) this.judge(root, whole);
  }

  /** A template literal on its own: judged whole when it folds, else its formats and its random constant pieces. */
  private visitTemplate(t: ts.TemplateExpression): void {
    const whole = foldString(t, this.lookup);
    if (whole !== undefined) { if (whole.length >= 6) this.judge(t, whole); return; }
    // `${}` parts are computed at run time: judge the formats of the whole template (a key after an interpolation
    // included) with the substitutions marked, then its constant pieces under the name.
    const m = classifySecret(templateText(t), undefined, { formatsOnly: true });
    if (m) this.report(t, m, assignedName(t));
    else this.judgeTemplatePieces(t, t);
  }

  visit(node: ts.Node): void {
    const k = node.kind;
    if (k !== SK.StringLiteral && k !== SK.NoSubstitutionTemplateLiteral && k !== SK.TemplateExpression) return;
    this.examined.add(node.pos, node.end);
    if (SKIPPED_PARENTS.has(node.parent.kind)) return;
    const root = foldRoot(node);
    if (this.folded.has(root)) return;
    this.folded.add(root);
    if (root !== node) this.visitFolded(node, root);
    else if (k === SK.TemplateExpression) this.visitTemplate(node as ts.TemplateExpression);
    else if ((node as ts.StringLiteral).text.length >= 6) this.judge(node, (node as ts.StringLiteral).text);
  }

  finish(): void {
    // A 40-character AWS secret access key is only recognisable next to its access key id.
    if (this.sawAccessKeyId) {
      for (const n of this.pendingAwsSecrets) this.report(n, { kind: 'aws-secret-access-key', confidence: 'high', start: 0, end: 0 }, assignedName(n));
    }
    const ctx = this.ctx;
    reportTextPass(ctx.text, this.examined, (start, end, m, what, name) => ctx.report({
      ruleId: 'hardcoded-secret', message: hardcodedMessage(m.kind, name, what),
      range: { start: ctx.positionAt(start), end: ctx.positionAt(end) }, data: findingData(m, name),
    }), ctx.config, this.extraWords, true);
  }
}

function sourceVisitor(ctx: SourceContext) {
  const scan = new SourceScan(ctx);
  return {
    kinds: [SK.StringLiteral, SK.NoSubstitutionTemplateLiteral, SK.TemplateExpression],
    visit: (node: ts.Node) => scan.visit(node),
    finish: () => scan.finish(),
  };
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
    if (token && symmetric) found.push({ ...symmetric, start: token.index + token[0].indexOf(token[1]), end: token.index + token[0].indexOf(token[1]) + token[1].length });
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
