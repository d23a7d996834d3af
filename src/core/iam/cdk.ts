// CDK functions (issue 7): Lambda functions a CDK TypeScript file declares (`new lambda.Function`, `new NodejsFunction`),
// with their handler file and export, environment, and the statements their role gets (`initialPolicy`,
// `addToRolePolicy`, grants on parameters, secrets and keys: cdk-grants.ts); managed policies and grants on constructs
// Keyway cannot identify make a function's permissions opaque. Pure: no vscode, no AWS.
import { ts, tsv } from '../ts';
import type { ProjectContext } from '../types';
import { P, readable, resolveSourceFile, splitHandler, type IamFunction, type IamStatement } from './functions';
import { UNKNOWN } from './evaluate';
import { walkTree } from '../lambda/syntax';
import { GrantResolver, grantStatements } from './cdk-grants';

export function looksLikeCdk(text: string): boolean {
  return text.includes('aws-cdk-lib') || text.includes('@aws-cdk/');
}

function u(e: ts.Expression): ts.Expression {
  while (tsv.isParenthesizedExpression(e) || tsv.isAsExpression(e) || tsv.isNonNullExpression(e) || tsv.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

function lastName(e: ts.Expression): string | undefined {
  const x = u(e);
  if (tsv.isIdentifier(x)) return x.text;
  if (tsv.isPropertyAccessExpression(x)) return x.name.text;
  return undefined;
}

function prop(obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of obj.properties) {
    if (tsv.isPropertyAssignment(p) && (tsv.isIdentifier(p.name) || tsv.isStringLiteral(p.name)) && p.name.text === name) return p.initializer;
    if (tsv.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
  }
  return undefined;
}

/** Text of a CDK string expression: literals, templates (`${…}` parts as `${expr}`), module constants. */
function cdkText(e: ts.Expression | undefined, consts: Map<string, string>, depth = 0): string | undefined {
  if (!e || depth > 4) return undefined;
  const x = u(e);
  if (tsv.isStringLiteralLike(x)) return x.text;
  if (tsv.isTemplateExpression(x)) {
    let t = x.head.text;
    for (const s of x.templateSpans) t += (cdkText(s.expression, consts, depth + 1) ?? '${' + s.expression.getText() + '}') + s.literal.text;
    return t;
  }
  if (tsv.isIdentifier(x)) return consts.get(x.text);
  if (tsv.isBinaryExpression(x) && x.operatorToken.kind === tsv.SyntaxKind.PlusToken) {
    const l = cdkText(x.left, consts, depth + 1); const r = cdkText(x.right, consts, depth + 1);
    return l !== undefined && r !== undefined ? l + r : undefined;
  }
  return undefined;
}

/** `path.join(__dirname, '../x')` / `'x'` → a path (relative to the CDK file's folder, or to the CDK app root). */
function cdkPath(e: ts.Expression | undefined, file: string, appRoot: string, consts: Map<string, string>): string | undefined {
  if (!e) return undefined;
  const x = u(e);
  const path = P(file);
  const lit = cdkText(x, consts);
  if (lit !== undefined) return path.isAbsolute(lit) ? lit : path.join(appRoot, lit);
  if (tsv.isCallExpression(x) && tsv.isPropertyAccessExpression(x.expression) && /^(join|resolve)$/.test(x.expression.name.text)) {
    const parts: string[] = [];
    for (const a of x.arguments) {
      if (tsv.isIdentifier(a) && a.text === '__dirname') { parts.push(path.dirname(file)); continue; }
      const t = cdkText(a, consts);
      if (t === undefined) return undefined;
      parts.push(t);
    }
    if (!parts.length) return undefined;
    const joined = path.join(...parts);
    return path.isAbsolute(joined) || parts[0] === path.dirname(file) ? joined : path.join(appRoot, joined);
  }
  return undefined;
}

function cdkAppRoot(file: string, project: ProjectContext): string {
  const path = P(file);
  let dir = path.dirname(file);
  for (let i = 0; i < 6; i++) {
    if (readable(project, path.join(dir, 'cdk.json')) !== undefined) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return path.dirname(path.dirname(file));
}

function cdkStatement(file: string, n: ts.NewExpression, sf: ts.SourceFile, consts: Map<string, string>): IamStatement | undefined {
  if (lastName(n.expression) !== 'PolicyStatement') return undefined;
  const arg = n.arguments?.[0] && u(n.arguments[0]);
  if (!arg || !tsv.isObjectLiteralExpression(arg)) {
    return { effect: 'Allow', actions: [], resources: [], opaque: true, start: n.getStart(sf), end: n.end, key: `${file}#${n.getStart(sf)}` };
  }
  const eff = prop(arg, 'effect');
  const effect = eff && /DENY|Deny/.test(eff.getText(sf)) ? 'Deny' as const : 'Allow' as const;
  const list = (e: ts.Expression | undefined) => {
    if (!e) return [] as ts.Expression[];
    const x = u(e);
    return tsv.isArrayLiteralExpression(x) ? [...x.elements] : [x];
  };
  let opaque = !!prop(arg, 'notActions') || !!prop(arg, 'notResources');
  const actions: string[] = [];
  for (const a of list(prop(arg, 'actions'))) {
    const t = cdkText(a, consts);
    if (t === undefined) opaque = true; else actions.push(t);
  }
  const resources = list(prop(arg, 'resources')).map((r) => ({ text: cdkText(r, consts), start: r.getStart(sf), end: r.end }));
  return { effect, actions, resources, opaque, start: n.getStart(sf), end: n.end, key: `${file}#${n.getStart(sf)}` };
}


/** Lambda functions declared in a CDK TypeScript file (`new lambda.Function`, `new NodejsFunction`). */
export function functionsFromCdk(path: string, text: string, project: ProjectContext): IamFunction[] {
  if (!looksLikeCdk(text)) return [];
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return new CdkReader(path, sf, project).read();
}

class CdkReader {
  private readonly consts = new Map<string, string>();
  private readonly appRoot: string;
  private readonly out: IamFunction[] = [];
  private readonly byVar = new Map<string, IamFunction>();
  private readonly stVars = new Map<string, IamStatement>();
  /** Initialisers of the file's variables and `this.x` fields, by name (grant receivers are resolved through them). */
  private readonly decls = new Map<string, ts.Expression>();
  private readonly grants = new GrantResolver((e) => cdkText(e, this.consts), (name) => this.decls.get(name));
  private readonly dir: string;

  constructor(private readonly path: string, private readonly sf: ts.SourceFile, private readonly project: ProjectContext) {
    this.appRoot = cdkAppRoot(path, project);
    this.dir = P(path).dirname(path);
  }

  read(): IamFunction[] {
    walkTree(this.sf, this.visit);
    return this.out;
  }

  private readonly visit = (n: ts.Node): void => {
    if (tsv.isVariableDeclaration(n) && tsv.isIdentifier(n.name) && n.initializer) {
      const init = u(n.initializer);
      if (tsv.isStringLiteralLike(init)) this.consts.set(n.name.text, init.text);
      this.decls.set(n.name.text, init);
    } else if (tsv.isPropertyDeclaration(n) && tsv.isIdentifier(n.name) && n.initializer) this.decls.set(n.name.text, n.initializer);
    else if (tsv.isBinaryExpression(n) && n.operatorToken.kind === tsv.SyntaxKind.EqualsToken && tsv.isPropertyAccessExpression(n.left)
      && n.left.expression.kind === tsv.SyntaxKind.ThisKeyword) {
      this.decls.set(n.left.name.text, n.right);
    }
    if (tsv.isNewExpression(n)) {
      const cls = lastName(n.expression);
      if ((cls === 'Function' || cls === 'NodejsFunction') && n.arguments && n.arguments.length >= 2) this.onFunction(n, cls);
      else if (cls === 'PolicyStatement' && tsv.isVariableDeclaration(n.parent) && tsv.isIdentifier(n.parent.name)) {
        const st = cdkStatement(this.path, n, this.sf, this.consts);
        if (st) this.stVars.set(n.parent.name.text, st);
      }
    }
    if (tsv.isCallExpression(n) && tsv.isPropertyAccessExpression(n.expression)) this.onMethodCall(n, n.expression);
  };

  private onFunction(n: ts.NewExpression, cls: string): void {
    const { path, sf, consts } = this;
    const id = cdkText(n.arguments![1], consts) ?? `Function${this.out.length + 1}`;
    const props = n.arguments![2] && u(n.arguments![2]);
    const obj = props && tsv.isObjectLiteralExpression(props) ? props : undefined;
    const handler = cls === 'NodejsFunction' ? this.nodejsHandler(obj, id) : this.assetHandler(obj);
    const fn: IamFunction = {
      name: id, flavour: 'cdk', definedIn: path, anchor: { start: n.getStart(sf), end: n.end }, handlerExport: handler.exportName,
      env: this.environment(obj), statements: [],
      ...(handler.spec ? { handlerSpec: handler.spec } : {}), ...(handler.file ? { handlerFile: handler.file.path, handlerText: handler.file.text } : {}),
      ...(obj && prop(obj, 'role') ? { opaque: 'a role passed in (`role:`)' } : {}),
    };
    const initial = obj && prop(obj, 'initialPolicy');
    if (initial && tsv.isArrayLiteralExpression(u(initial))) {
      for (const el of (u(initial) as ts.ArrayLiteralExpression).elements) {
        const st = this.statementOf(u(el));
        if (st) fn.statements.push(st);
      }
    }
    this.out.push(fn);
    const parent = n.parent;
    if (tsv.isVariableDeclaration(parent) && tsv.isIdentifier(parent.name)) this.byVar.set(parent.name.text, fn);
    else if (tsv.isBinaryExpression(parent) && tsv.isPropertyAccessExpression(parent.left)) this.byVar.set(parent.left.name.text, fn);
  }

  private environment(obj: ts.ObjectLiteralExpression | undefined): Map<string, string> {
    const env = new Map<string, string>();
    const envObj = obj && prop(obj, 'environment');
    if (!envObj || !tsv.isObjectLiteralExpression(u(envObj))) return env;
    for (const p of (u(envObj) as ts.ObjectLiteralExpression).properties) {
      if (!tsv.isPropertyAssignment(p) || !(tsv.isIdentifier(p.name) || tsv.isStringLiteral(p.name))) continue;
      const t = cdkText(p.initializer, this.consts);
      env.set(p.name.text, t === undefined ? UNKNOWN : t.replace(/\$\{[^}]*\}/g, UNKNOWN));
    }
    return env;
  }

  /** `NodejsFunction`: `entry` (or the default `<stack file>.<id>.ts`) and `handler`. */
  private nodejsHandler(obj: ts.ObjectLiteralExpression | undefined, id: string): HandlerOf {
    const { path, dir, project } = this;
    const out: HandlerOf = { exportName: 'handler' };
    const entry = obj && cdkPath(prop(obj, 'entry'), path, this.appRoot, this.consts);
    const h = obj && cdkText(prop(obj, 'handler'), this.consts);
    if (h) out.exportName = h.includes('.') ? splitHandler(h).exportName : h;
    if (entry) { out.spec = entry; out.file = resolveSourceFile(dir, P(dir).relative(dir, entry), project); }
    else if (!obj || !prop(obj, 'entry')) {
      // Default entry: `<stack file>.<id>.ts` next to the stack file.
      const stem = path.replace(/\.[cm]?[jt]sx?$/i, '');
      out.spec = `${P(path).basename(stem)}.${id}.ts`;
      out.file = resolveSourceFile(dir, `${P(path).basename(stem)}.${id}`, project);
    }
    return out;
  }

  /** `lambda.Function`: `handler: 'file.export'` within `code: Code.fromAsset(dir)`. */
  private assetHandler(obj: ts.ObjectLiteralExpression | undefined): HandlerOf {
    const out: HandlerOf = { exportName: 'handler' };
    const h = obj && cdkText(prop(obj, 'handler'), this.consts);
    const code = obj && prop(obj, 'code');
    const c = code && u(code);
    let asset: string | undefined;
    if (c && tsv.isCallExpression(c) && lastName(c.expression) === 'fromAsset') asset = cdkPath(c.arguments[0], this.path, this.appRoot, this.consts);
    if (h && asset) {
      const sp = splitHandler(h);
      out.spec = h;
      out.exportName = sp.exportName;
      out.file = resolveSourceFile(asset, sp.module, this.project);
    }
    return out;
  }

  private statementOf(x: ts.Expression): IamStatement | undefined {
    return tsv.isNewExpression(x) ? cdkStatement(this.path, x, this.sf, this.consts) : tsv.isIdentifier(x) ? this.stVars.get(x.text) : undefined;
  }

  /** `fn.addToRolePolicy(st)`, `fn.role?.addToPrincipalPolicy(st)`, `secret.grantRead(fn)`, `fn.role.addManagedPolicy(…)`. */
  private onMethodCall(n: ts.CallExpression, callee: ts.PropertyAccessExpression): void {
    const method = callee.name.text;
    let target = u(callee.expression);
    if (tsv.isPropertyAccessExpression(target) && target.name.text === 'role') target = u(target.expression);
    const fnOf = (e: ts.Expression) => { const nm = lastName(e); return nm ? this.byVar.get(nm) : undefined; };
    if (/^(addToRolePolicy|addToPrincipalPolicy|addToPolicy)$/.test(method)) {
      const fn = fnOf(target);
      const a = n.arguments[0] && u(n.arguments[0]);
      const st = fn && a ? this.statementOf(a) : undefined;
      if (fn && st) fn.statements.push(st);
    } else if (/^grant/.test(method)) {
      this.onGrant(n, callee, method);
    } else if (/^(addManagedPolicy|attachInlinePolicy)$/.test(method)) {
      const fn = fnOf(target);
      if (fn && !fn.opaque) fn.opaque = `a CDK ${method}() call`;
    }
  }

  /** The function a grant is made to: `fn`, `fn.role`, `fn.role!`, `fn.grantPrincipal`. */
  private granteeOf(e: ts.Expression | undefined): IamFunction | undefined {
    let x = e && u(e);
    if (x && tsv.isPropertyAccessExpression(x) && /^(role|grantPrincipal)$/.test(x.name.text)) x = u(x.expression);
    const nm = x && lastName(x);
    return nm ? this.byVar.get(nm) : undefined;
  }

  /**
   * `param.grantRead(fn)`, `secret.grantRead(fn)`, `key.grantDecrypt(fn)`: the statements CDK writes for the grant.
   * A grant on a construct of another service is ignored; one on a construct Keyway cannot identify makes the
   * function's permissions opaque.
   */
  private onGrant(n: ts.CallExpression, callee: ts.PropertyAccessExpression, method: string): void {
    const fn = this.granteeOf(n.arguments[0]);
    if (!fn) return;
    const grantor = this.grants.resolve(callee.expression);
    if (grantor === 'other') return;
    const given = n.arguments.slice(1).map((a) => cdkText(a, this.consts));
    const explicit = given.every((t) => t !== undefined) ? given as string[] : undefined;
    const sts = grantor && grantStatements(grantor, method, { file: this.path, start: n.getStart(this.sf), end: n.end }, explicit);
    if (sts?.length) fn.statements.push(...sts);
    else if (!fn.opaque) fn.opaque = `a CDK ${method}() grant`;
  }
}

interface HandlerOf { exportName: string; spec?: string; file?: { path: string; text: string } }
