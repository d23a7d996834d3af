// secret-in-env, reads: Lambda code that reads a secret-named variable from `process.env` (the secret then sits in the
// function configuration in plaintext), unless the code shows the variable holds a *name* or is filled at run time.
import { ts, tsv } from '../../ts';
import { extraWordSet, isReferenceName } from '../../secrets';
import { isEnvSecretName } from './env-values';
import type { ProjectContext, Range, SourceContext } from '../../types';
import { resolveSourceFile } from '../../iam/functions';
import { isTestCode } from '../../lambda/tests';
import { walkTree } from '../../lambda/syntax';
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
export function lambdaProject(ctx: Pick<SourceContext, 'path' | 'text' | 'project'>): boolean {
  if (/aws-cdk-lib|@aws-cdk\//.test(ctx.text)) return false;
  try {
    const deps = ctx.project.dependenciesOf(ctx.path);
    return LAMBDA_DEPS.some((d) => deps.has(d));
  } catch {
    return false;
  }
}


/** Does this file look like Lambda code (so reading a secret from process.env is the Lambda anti-pattern)? */
export function isLambdaCode(ctx: Pick<SourceContext, 'path' | 'text' | 'config' | 'project'>): boolean {
  if (!ctx.text.includes('process.env') || isTestCode(ctx.path, ctx.project, ctx.config)) return false;
  if (HANDLER_RE.test(ctx.text)) return true;
  // Infrastructure code is not Lambda code, whatever its folder is called (`lambda-stack/lib/api.ts`).
  if (CDK_CODE.test(ctx.text)) return false;
  return LAMBDA_PATH.test(projectPath(ctx)) || lambdaProject(ctx);
}

/**
 * A handler file whose relative imports run inside the function: Lambda handler code by its looks or its path (not a
 * test, not infrastructure code), with a relative import.
 */
export function isHandlerFile(ctx: Pick<SourceContext, 'path' | 'text' | 'config' | 'project'>): boolean {
  if (!RELATIVE.test(ctx.text) || isTestCode(ctx.path, ctx.project, ctx.config) || CDK_CODE.test(ctx.text)) return false;
  return HANDLER_RE.test(ctx.text) || LAMBDA_PATH.test(projectPath(ctx));
}

/** A folder or file named for handlers or Lambda (`handlers/`, `lambda-orders/`, `functions/`). */
const LAMBDA_PATH = /(?:^|[\\/])[^\\/]*(?:handler|lambda)[^\\/]*(?:[\\/]|$)|(?:^|[\\/])functions[\\/]/i;

const gitRoots = new WeakMap<object, Map<string, string | null>>();

/**
 * The file's path below its repository root (the nearest folder holding `.git`), or the whole path outside a
 * repository: the folders around a checkout (`~/lambda-work/shop/…`) say nothing of the code.
 */
function projectPath(ctx: Pick<SourceContext, 'path' | 'project'>): string {
  const p = ctx.path.replace(/\\/g, '/');
  if (!ctx.project.listDir) return p;
  let cache = gitRoots.get(ctx.project);
  if (!cache) gitRoots.set(ctx.project, cache = new Map());
  const seen: string[] = [];
  let root: string | null = null;
  for (let dir = p.slice(0, Math.max(0, p.lastIndexOf('/'))), i = 0; dir && i < 24; i++) {
    const hit = cache.get(dir);
    if (hit !== undefined) { root = hit; break; }
    seen.push(dir);
    let names: readonly string[] | undefined;
    try { names = ctx.project.listDir(dir); } catch { names = undefined; }
    if (names?.includes('.git')) { root = dir; break; }
    const up = dir.lastIndexOf('/');
    dir = up > 0 ? dir.slice(0, up) : '';
  }
  for (const d of seen) cache.set(d, root);
  return root ? p.slice(root.length + 1) : p;
}

/** CDK or CDKTF code (a stack, a construct, an app). */
const CDK_CODE = /['"](?:aws-cdk-lib(?:\/[\w-]+)*|@aws-cdk\/[\w-]+|constructs|cdktf|@cdktf\/[\w-]+)['"]/;

/** A source file as the judge needs it (the analysed file, or a module it imports). */
interface SourceInfo { path: string; text: string; sourceFile: ts.SourceFile }

/** Relative module specifiers of a file, with the node that names each (the string literal). */
function relativeSpecifiers(sf: ts.SourceFile): { spec: string; node: ts.Node }[] {
  const out: { spec: string; node: ts.Node }[] = [];
  const add = (lit: ts.Node | undefined) => {
    if (lit && tsv.isStringLiteralLike(lit) && /^\.\.?\//.test(lit.text)) out.push({ spec: lit.text, node: lit });
  };
  for (const st of sf.statements) {
    if (tsv.isImportDeclaration(st) || tsv.isExportDeclaration(st)) add(st.moduleSpecifier);
    else if (tsv.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        let init = d.initializer;
        while (init && (tsv.isPropertyAccessExpression(init) || tsv.isAwaitExpression(init))) init = init.expression;
        if (init && tsv.isCallExpression(init) && tsv.isIdentifier(init.expression) && init.expression.text === 'require') add(init.arguments[0]);
      }
    } else if (tsv.isExpressionStatement(st) && tsv.isCallExpression(st.expression) && tsv.isIdentifier(st.expression.expression)
      && st.expression.expression.text === 'require') add(st.expression.arguments[0]);
  }
  return out;
}

/** Texts of the modules a file imports or requires relatively (read through the project; unreadable ones skipped). */
function relativeImportTexts(file: SourceInfo, project: ProjectContext): string[] {
  const out: string[] = [];
  const dir = file.path.replace(/[\\/][^\\/]*$/, '');
  const specs = new Set<string>();
  for (const m of file.text.matchAll(/(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*)['"](\.\.?\/[^'"]+)['"]/g)) specs.add(m[1]);
  for (const spec of [...specs].slice(0, 20)) {
    try {
      const f = resolveSourceFile(dir, spec, project);
      if (f) out.push(f.text);
    } catch { /* unreadable */ }
  }
  return out;
}

/**
 * The judge of secret-named `process.env` reads in one file: a read is reported unless the code shows the variable
 * holds a *name* (passed as `SecretId`/`Name`/… or to a fetch by name) or is filled at run time (a loader's cache).
 */
class EnvReadJudge {
  private readonly written = new Map<string, boolean>();
  private importedTexts: string[] | undefined;
  private referenceNames: Set<string> | undefined;

  constructor(private readonly file: SourceInfo, private readonly project: ProjectContext, private readonly extra: ReadonlySet<string>) {}

  /** `process.env.X` / `process.env['X']` that is a read (not a write or delete) of a secret: its name, else undefined. */
  access(node: ts.PropertyAccessExpression | ts.ElementAccessExpression): string | undefined {
    const obj = node.expression;
    if (obj.kind !== SK.PropertyAccessExpression || !isProcessEnv(obj)) return undefined;
    const parent = node.parent;
    if (parent.kind === SK.BinaryExpression && (parent as ts.BinaryExpression).left === node
      && (parent as ts.BinaryExpression).operatorToken.kind === SK.EqualsToken) return undefined; // a write, not a read
    if (parent.kind === SK.DeleteExpression) return undefined;
    const name = expressionName(node);
    return this.isSecretRead(name, node) ? name : undefined;
  }

  /** `const { DB_PASSWORD, API_KEY: key } = process.env`: the secret elements. */
  destructure(d: ts.VariableDeclaration): { name: string; node: ts.Node }[] {
    if (d.name.kind !== SK.ObjectBindingPattern || !d.initializer || !isProcessEnv(d.initializer)) return [];
    const out: { name: string; node: ts.Node }[] = [];
    for (const el of d.name.elements) {
      if (el.dotDotDotToken) continue;
      const name = propertyNameText(el.propertyName) ?? (el.name.kind === SK.Identifier ? el.name.text : undefined);
      if (this.isSecretRead(name, el, el.name.kind === SK.Identifier ? el.name.text : undefined)) out.push({ name: name!, node: el });
    }
    return out;
  }

  /** Every secret read of the file (for a module followed from a handler). */
  all(): { name: string; node: ts.Node }[] {
    const out: { name: string; node: ts.Node }[] = [];
    walkTree(this.file.sourceFile, (n) => {
      if (n.kind === SK.PropertyAccessExpression || n.kind === SK.ElementAccessExpression) {
        const name = this.access(n as ts.PropertyAccessExpression);
        if (name) out.push({ name, node: n });
      } else if (n.kind === SK.VariableDeclaration) out.push(...this.destructure(n as ts.VariableDeclaration));
    });
    return out;
  }

  private isSecretRead(name: string | undefined, node: ts.Node, local?: string): boolean {
    const sf = this.file.sourceFile;
    if (!name || LAMBDA_RUNTIME_VARIABLES.has(name) || !isEnvSecretName(name, this.extra)) return false;
    // `process.env.JWT_SECRET = value` in this file: the code fills the variable at run time (often from SSM),
    // so it is a cache, not a secret configured on the function
    if (this.writesEnv(name)) return false;
    if (local !== undefined ? variableNamesAStoredValue(sf, local) : namesAStoredValue(node)) return false;
    if (this.envNameIsReference(name)) return false;
    if (local === undefined) {
      const d = storedIn(node);
      if (d && (isReferenceName(d) || variableNamesAStoredValue(sf, d))) return false;
    }
    return true;
  }

  /** This file, or a module it imports relatively (a secrets loader), sets `process.env.NAME` at run time. */
  private writesEnv(name: string): boolean {
    let w = this.written.get(name);
    if (w === undefined) {
      const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const re = new RegExp(`process\\.env(?:\\.${esc}\\b|\\[\\s*['"\`]${esc}['"\`]\\s*\\])\\s*(?:\\?\\?|\\|\\||&&)?=(?!=)`);
      w = re.test(this.file.text);
      if (!w) {
        this.importedTexts ??= relativeImportTexts(this.file, this.project);
        w = this.importedTexts.some((t) => re.test(t));
      }
      this.written.set(name, w);
    }
    return w;
  }

  /** Another read of the same variable in this file passes it as a SecretId/Name: every read of it is of a name. */
  private envNameIsReference(name: string): boolean {
    // One walk for every name (a walk per name was quadratic in files with many variables; found by npm run fuzz).
    if (!this.referenceNames) {
      const names = new Set<string>();
      const sf = this.file.sourceFile;
      walkTree(sf, (n) => {
        if ((n.kind === SK.PropertyAccessExpression || n.kind === SK.ElementAccessExpression)
          && isProcessEnv((n as ts.PropertyAccessExpression).expression)) {
          const name = expressionName(n);
          if (name !== undefined && !names.has(name)) {
            const d = storedIn(n);
            if (namesAStoredValue(n) || (d && (isReferenceName(d) || variableNamesAStoredValue(sf, d)))) names.add(name);
          }
        }
      });
      this.referenceNames = names;
    }
    return this.referenceNames.has(name);
  }
}

const MESSAGE_TAIL = 'Keep only its name in the environment (e.g. NAME_PARAM) and read the value from a Parameter Store '
  + 'SecureString (GetParameter with WithDecryption: true) through a module-scope cached loader.';

/** Reads of secret-named `process.env` variables in one file, reported as they are visited. */
export class EnvReads {
  private readonly extra: ReadonlySet<string>;
  private readonly judge: EnvReadJudge;

  constructor(private readonly ctx: SourceContext) {
    this.extra = extraWordSet(ctx.config.secretWords);
    this.judge = new EnvReadJudge(ctx, ctx.project, this.extra);
  }

  onAccess(node: ts.PropertyAccessExpression | ts.ElementAccessExpression): void {
    const name = this.judge.access(node);
    if (name) this.report(name, node);
  }

  onDestructure(d: ts.VariableDeclaration): void {
    for (const r of this.judge.destructure(d)) this.report(r.name, r.node);
  }

  private range(node: ts.Node): Range {
    return { start: this.ctx.positionAt(node.getStart(this.ctx.sourceFile)), end: this.ctx.positionAt(node.end) };
  }

  private report(name: string, node: ts.Node): void {
    this.ctx.report({
      ruleId: 'secret-in-env',
      severity: 'info',
      message: `Secret read from the environment: process.env.${name} holds a secret, so it sits in plaintext in the function `
        + `configuration. ${MESSAGE_TAIL.replace('NAME_PARAM', `${name}_PARAM`)}`,
      range: this.range(node),
      data: { kind: 'env-read', name },
    });
  }

  /**
   * Modules this handler file imports relatively (and theirs, three levels deep) that read secret-named variables but
   * are not Lambda code by their own looks (a resolver, a mailer): reported at the import, since they run in this
   * function. Modules that look like Lambda code themselves are reported when they are analysed.
   */
  followImports(): void {
    const seen = new Set<string>([this.ctx.path]);
    const reported = new Set<string>();
    const walk = (file: SourceInfo, depth: number, site: ts.Node | undefined) => {
      for (const { spec, node } of relativeSpecifiers(file.sourceFile)) {
        const mod = loadModule(file.path, spec, this.ctx.project);
        if (!mod || seen.has(mod.path) || seen.size > 40) continue;
        seen.add(mod.path);
        const at = site ?? node;
        if (!looksLambda(mod, this.ctx)) {
          for (const r of new EnvReadJudge(mod, this.ctx.project, this.extra).all()) {
            const key = `${mod.path}|${r.name}`;
            if (reported.has(key)) continue;
            reported.add(key);
            this.reportImported(r.name, mod.path, at);
          }
        }
        if (depth < 3) walk(mod, depth + 1, at);
      }
    };
    walk(this.ctx, 1, undefined);
  }

  private reportImported(name: string, modulePath: string, site: ts.Node): void {
    const shown = modulePath.replace(/^.*[\\/](?=[^\\/]+[\\/][^\\/]+$)/, '');
    this.ctx.report({
      ruleId: 'secret-in-env',
      severity: 'info',
      message: `Secret read from the environment: ${shown} (which this handler imports) reads ${name} from the environment, a secret that `
        + `sits in plaintext in the function configuration. ${MESSAGE_TAIL.replace('NAME_PARAM', `${name}_PARAM`)}`,
      range: this.range(site),
      data: { kind: 'env-read', name, file: modulePath, crossFile: true },
    });
  }
}

/** Whether a module would be judged as Lambda code by itself (so its reads are reported where it is analysed). */
function looksLambda(mod: SourceInfo, ctx: SourceContext): boolean {
  return isLambdaCode({ path: mod.path, text: mod.text, config: ctx.config, project: ctx.project });
}

const moduleCache = new Map<string, { text: string; info: SourceInfo | undefined }>();

/** A relatively imported module that reads `process.env`, parsed (cached by path and text). */
function loadModule(from: string, spec: string, project: ProjectContext): SourceInfo | undefined {
  let f: { path: string; text: string } | undefined;
  try { f = resolveSourceFile(from.replace(/[\\/][^\\/]*$/, '') || '.', spec, project); } catch { f = undefined; }
  if (!f) return undefined;
  const hit = moduleCache.get(f.path);
  if (hit && hit.text === f.text) return hit.info;
  let info: SourceInfo | undefined;
  if (f.text.length <= 512 * 1024 && (f.text.includes('process.env') || RELATIVE.test(f.text))) {
    const kind = /\.tsx$/i.test(f.path) ? ts.ScriptKind.TSX : /\.[cm]?jsx?$/i.test(f.path) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
    info = { path: f.path, text: f.text, sourceFile: ts.createSourceFile(f.path, f.text, ts.ScriptTarget.Latest, true, kind) };
  }
  if (moduleCache.size > 300) moduleCache.clear();
  moduleCache.set(f.path, { text: f.text, info });
  return info;
}

const RELATIVE = /\bfrom\s*['"]\.\.?\/|\brequire\(\s*['"]\.\.?\//;
