// The Lambda model of one file: SDK imports, clients, fetch calls, handlers, and what runs on every invocation.
// Computed once per analysis (kept in the rules' shared scratch space) and used by the five Lambda rules. Pure: no vscode, no AWS.
import * as nodePath from 'node:path';
import { ts, tsv } from '../ts';
import { isCredentialText } from '../secrets/detect';
import type { ParameterKind, ProjectContext } from '../types';
import {
  CLIENT_CLASSES, COMMANDS, METHODS, MIDDY_CORE, POWERTOOLS_FUNCTIONS, PROVIDER_CLASSES, RELATIVE_IMPORT,
  isPowertoolsModule, isRelevantText, mentionsAwsSdk, serviceOf, type ApiStyle, type Operation, type Service,
} from './sdk';

const SK = tsv.SyntaxKind;

export type FnNode = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

export interface ImportBinding {
  module: string;
  /** Exported name, `default`, or `*` for a namespace / whole-module require. */
  name: string;
  /** Following a call into another file: a method of the class exported under `name`. */
  member?: string;
  /** That method runs on an instance that outlives the invocation (module-scope, singleton, static): `this.*` state caches. */
  persistent?: boolean;
}

export interface FetchCall {
  /** The call reported: `client.send(…)`, `ssm.getParameter(…)` or the Powertools call. */
  call: ts.CallExpression;
  /** The expression whose value is the response promise (`….promise()` for SDK v2). */
  expr: ts.Expression;
  op: Operation;
  service: Service;
  style: ApiStyle;
  /** The request object literal, when it could be resolved in this file. */
  input?: ts.ObjectLiteralExpression;
  /** True when `input` is the literal written in the call itself (so a fix may edit it). */
  inputInline: boolean;
  command?: ts.NewExpression;
  receiver?: ts.Expression;
  /** Statically known names: Name, Names[], Path, SecretId or the Powertools name argument. */
  names: string[];
  /** Names whose text is fully static (no `${…}` parts), usable for account look-ups. */
  exactNames: string[];
  /** For names known only at run time: the variable that holds them (`process.env.DB_PASSWORD_PARAM` → `DB_PASSWORD_PARAM`). */
  nameHints: string[];
  /** Powertools call served from its cache (default maxAge). */
  cachedByLibrary: boolean;
  /** Powertools options object (second argument). */
  ptOptions?: ts.ObjectLiteralExpression;
  /** SDK v2 callback form. */
  callback: boolean;
}

export interface ClientNew {
  node: ts.NewExpression;
  service: Service;
  kind: 'client' | 'provider';
  style: ApiStyle;
  className: string;
}

export interface FileModel {
  path: string;
  sf: ts.SourceFile;
  text: string;
  relevant: boolean;
  imports: Map<string, ImportBinding>;
  /** Names declared at module scope (variables, functions, classes, imports). */
  moduleNames: Set<string>;
  /** Module-scope variable declarations by name. */
  moduleVars: Map<string, ts.VariableDeclaration>;
  /** Module-scope functions by name: a function declaration, or the initializer of a variable. */
  topFunctions: Map<string, ts.Node>;
  /** Exported name → declaration or expression. */
  exports: Map<string, ts.Node>;
  /** Module-scope names written from inside a function (cache candidates). */
  mutable: Set<string>;
  fetches: FetchCall[];
  clients: ClientNew[];
  /** Variable name → object literal initializer (for `const params = {…}; ssm.getParameter(params)`). */
  objectVars: Map<string, ts.ObjectLiteralExpression>;
  /** Module-scope const name → string value. */
  stringConsts: Map<string, string>;
  scanned: boolean;
  /** Module-scope classes by name (for class-based handlers: `new Lambda().handler`). */
  classes: Map<string, ts.ClassDeclaration>;
  /** `export { x } from './y'` seen. */
  relativeReexport: boolean;
  /** `process.env.X = …` written somewhere in the file: X is then runtime state (a cache), not configuration. */
  envWrites: Set<string>;
  /** Fetches and clients by node, built on first use by the reachability walk. */
  fetchAt?: Map<ts.Node, FetchCall>;
  /** Promise-style fetches by the function they are directly in, built on first use (see directFetches). */
  byFunction?: Map<ts.Node, FetchCall[]>;
  clientAt?: Map<ts.Node, ClientNew>;
}

export interface Handler {
  name: string;
  /** The export node (statement or property) — where cross-file handler findings are reported. */
  exportNode: ts.Node;
  fn?: FnNode;
}

export interface CrossFileHit {
  /** The call in this file (or the export) through which the other file's code runs per invocation. */
  site: ts.Node;
  handler: string;
  callee: string;
  file: string;
  fetches: { op: Operation; names: string[] }[];
  clients: string[];
}

export interface Reach {
  handlers: Handler[];
  /** Fetch → the handler it runs for, when it runs on every invocation (not cached). */
  fetches: Map<FetchCall, string>;
  clients: Map<ClientNew, string>;
  crossFile: CrossFileHit[];
}

export interface LambdaModel {
  file: FileModel;
  reach: Reach;
  /** Per-invocation fetches by enclosing function, filled in by the loader fix on first use. */
  fetchesByFunction?: Map<ts.Node | undefined, FetchCall[]>;
}

export function isFunctionNode(n: ts.Node): n is FnNode {
  return n.kind === tsv.SyntaxKind.FunctionDeclaration || n.kind === tsv.SyntaxKind.FunctionExpression
    || n.kind === tsv.SyntaxKind.ArrowFunction || n.kind === tsv.SyntaxKind.MethodDeclaration;
}

function unwrap(e: ts.Node): ts.Node {
  while (tsv.isParenthesizedExpression(e) || tsv.isAsExpression(e) || tsv.isNonNullExpression(e)
    || tsv.isSatisfiesExpression(e) || tsv.isTypeAssertionExpression(e) || tsv.isAwaitExpression(e)) e = e.expression;
  return e;
}

function propName(n: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!n) return undefined;
  if (tsv.isIdentifier(n) || tsv.isStringLiteral(n) || tsv.isNoSubstitutionTemplateLiteral(n) || tsv.isPrivateIdentifier(n)) return n.text;
  return undefined;
}

export function findProp(obj: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  for (const p of obj.properties) if (propName(p.name) === name) return p;
  return undefined;
}

function propValue(obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  const p = findProp(obj, name);
  if (!p) return undefined;
  if (tsv.isPropertyAssignment(p)) return p.initializer;
  if (tsv.isShorthandPropertyAssignment(p)) return p.name;
  return undefined;
}

function requireSpec(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  e = unwrap(e) as ts.Expression;
  if (tsv.isCallExpression(e) && tsv.isIdentifier(e.expression) && e.expression.text === 'require'
    && e.arguments.length === 1 && tsv.isStringLiteralLike(e.arguments[0])) return e.arguments[0].text;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// File model

export function buildFileModel(path: string, text: string, sf: ts.SourceFile, follow: boolean, nodes?: readonly ts.Node[]): FileModel {
  const m: FileModel = {
    path, sf, text, relevant: isRelevantText(text), imports: new Map(), moduleNames: new Set(), moduleVars: new Map(),
    topFunctions: new Map(), exports: new Map(), mutable: new Set(), fetches: [], clients: [], objectVars: new Map(),
    stringConsts: new Map(), scanned: false, classes: new Map(), relativeReexport: false, envWrites: new Set(),
  };
  for (const st of sf.statements) topLevel(m, st);
  if (m.relevant || (follow && hasRelativeImport(m))) scanFile(m, nodes);
  return m;
}

/** Collect fetches, clients and cache variables (one walk of the file). Idempotent. */
export function scanFile(m: FileModel, nodes?: readonly ts.Node[]) {
  if (m.scanned) return;
  m.scanned = true;
  scan(m, nodes);
}

function hasRelativeImport(m: FileModel): boolean {
  if (m.relativeReexport) return true;
  for (const b of m.imports.values()) if (b.module.startsWith('.')) return true;
  return false;
}

function addImport(m: FileModel, local: string, module: string, name: string) {
  m.imports.set(local, { module, name });
  m.moduleNames.add(local);
}

function topLevel(m: FileModel, st: ts.Statement) {
  if (tsv.isImportDeclaration(st) && tsv.isStringLiteral(st.moduleSpecifier)) {
    const mod = st.moduleSpecifier.text;
    const c = st.importClause;
    if (!c) return;
    if (c.name) addImport(m, c.name.text, mod, 'default');
    const nb = c.namedBindings;
    if (nb && tsv.isNamespaceImport(nb)) addImport(m, nb.name.text, mod, '*');
    else if (nb) for (const el of nb.elements) addImport(m, el.name.text, mod, (el.propertyName ?? el.name).text);
    return;
  }
  if (tsv.isImportEqualsDeclaration(st) && tsv.isExternalModuleReference(st.moduleReference)
    && tsv.isStringLiteral(st.moduleReference.expression)) {
    addImport(m, st.name.text, st.moduleReference.expression.text, '*');
    return;
  }
  let exported = false;
  let isDefault = false;
  const mods = (st as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  if (mods) {
    for (const x of mods) {
      if (x.kind === tsv.SyntaxKind.ExportKeyword) exported = true;
      else if (x.kind === tsv.SyntaxKind.DefaultKeyword) isDefault = true;
    }
  }
  if (tsv.isVariableStatement(st)) {
    const isConst = (st.declarationList.flags & tsv.NodeFlags.Const) !== 0;
    for (const d of st.declarationList.declarations) {
      const spec = requireSpec(d.initializer);
      if (spec !== undefined) {
        if (tsv.isIdentifier(d.name)) addImport(m, d.name.text, spec, '*');
        else if (tsv.isObjectBindingPattern(d.name)) {
          for (const el of d.name.elements) {
            if (tsv.isIdentifier(el.name)) addImport(m, el.name.text, spec, propName(el.propertyName) ?? el.name.text);
          }
        }
        continue;
      }
      // const SSM = require('aws-sdk').SSM
      if (tsv.isIdentifier(d.name) && d.initializer && tsv.isPropertyAccessExpression(d.initializer)) {
        const s2 = requireSpec(d.initializer.expression);
        if (s2 !== undefined) { addImport(m, d.name.text, s2, d.initializer.name.text); continue; }
      }
      collectBindingNames(d.name, m.moduleNames);
      if (tsv.isIdentifier(d.name)) {
        m.moduleVars.set(d.name.text, d);
        if (d.initializer) {
          m.topFunctions.set(d.name.text, d.initializer);
          if (exported) m.exports.set(d.name.text, d.initializer);
          const init = unwrap(d.initializer);
          if (isConst && tsv.isStringLiteralLike(init)) m.stringConsts.set(d.name.text, init.text);
        }
      }
    }
    return;
  }
  if (tsv.isFunctionDeclaration(st)) {
    if (st.name) { m.moduleNames.add(st.name.text); m.topFunctions.set(st.name.text, st); }
    if (exported) m.exports.set(isDefault ? 'default' : st.name?.text ?? 'default', st);
    return;
  }
  if (tsv.isClassDeclaration(st)) {
    if (st.name) { m.moduleNames.add(st.name.text); m.classes.set(st.name.text, st); }
    if (exported) m.exports.set(isDefault ? 'default' : st.name?.text ?? 'default', st);
    return;
  }
  if (tsv.isExportAssignment(st)) {
    m.exports.set('default', st.expression);
    return;
  }
  if (tsv.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && tsv.isNamedExports(st.exportClause)) {
    for (const el of st.exportClause.elements) m.exports.set(el.name.text, el.propertyName ?? el.name);
    return;
  }
  if (tsv.isExportDeclaration(st) && st.moduleSpecifier && tsv.isStringLiteral(st.moduleSpecifier)
    && st.exportClause && tsv.isNamedExports(st.exportClause)) {
    // export { handler } from './impl'
    for (const el of st.exportClause.elements) m.exports.set(el.name.text, el);
    if (st.moduleSpecifier.text.startsWith('.')) m.relativeReexport = true;
    return;
  }
  if (tsv.isExpressionStatement(st) && tsv.isBinaryExpression(st.expression)
    && st.expression.operatorToken.kind === tsv.SyntaxKind.EqualsToken) {
    const { left, right } = st.expression;
    const target = cjsExportTarget(left);
    if (target === 'module.exports') {
      const r = unwrap(right);
      if (tsv.isObjectLiteralExpression(r)) {
        for (const p of r.properties) {
          const n = propName(p.name);
          if (!n) continue;
          if (tsv.isPropertyAssignment(p)) m.exports.set(n, p.initializer);
          else if (tsv.isShorthandPropertyAssignment(p)) m.exports.set(n, p.name);
          else if (tsv.isMethodDeclaration(p)) m.exports.set(n, p);
        }
      } else m.exports.set('default', right);
    } else if (target) m.exports.set(target, right);
  }
}

/** `exports.x` / `module.exports.x` → 'x'; `module.exports` → 'module.exports'. */
function cjsExportTarget(left: ts.Expression): string | undefined {
  if (!tsv.isPropertyAccessExpression(left)) return undefined;
  const obj = left.expression;
  if (tsv.isIdentifier(obj) && obj.text === 'module' && left.name.text === 'exports') return 'module.exports';
  if (tsv.isIdentifier(obj) && obj.text === 'exports') return left.name.text;
  if (tsv.isPropertyAccessExpression(obj) && tsv.isIdentifier(obj.expression) && obj.expression.text === 'module'
    && obj.name.text === 'exports') return left.name.text;
  return undefined;
}

function collectBindingNames(n: ts.BindingName, out: Set<string>) {
  if (tsv.isIdentifier(n)) { out.add(n.text); return; }
  for (const el of n.elements) if (!tsv.isOmittedExpression(el)) collectBindingNames(el.name, out);
}

/** What an expression names in an SDK module: `SSMClient`, `AWS.SSM`, `ns.GetParameterCommand`. */
export function resolveSdk(m: FileModel, e: ts.Expression): ImportBinding | undefined {
  e = unwrap(e) as ts.Expression;
  if (tsv.isIdentifier(e)) {
    const b = m.imports.get(e.text);
    if (!b) return undefined;
    return b.name === '*' ? { module: b.module, name: 'default' } : b;
  }
  if (tsv.isPropertyAccessExpression(e)) {
    const inner = unwrap(e.expression) as ts.Expression;
    if (tsv.isIdentifier(inner)) {
      const b = m.imports.get(inner.text);
      if (b && (b.name === '*' || b.name === 'default')) return { module: b.module, name: e.name.text };
    }
    const spec = requireSpec(inner);
    if (spec !== undefined) return { module: spec, name: e.name.text };
  }
  return undefined;
}

function clientClass(m: FileModel, e: ts.Expression) {
  const b = resolveSdk(m, e);
  if (!b) return undefined;
  const c = CLIENT_CLASSES[b.module]?.[b.name];
  if (c) return { ...c, kind: 'client' as const, className: b.name === 'default' ? (c.service === 'ssm' ? 'SSM' : 'SecretsManager') : b.name };
  if (isPowertoolsModule(b.module) && PROVIDER_CLASSES[b.name]) {
    return { service: PROVIDER_CLASSES[b.name], style: 'powertools' as ApiStyle, kind: 'provider' as const, className: b.name };
  }
  return undefined;
}

function commandOp(m: FileModel, e: ts.Expression): Operation | undefined {
  const b = resolveSdk(m, e);
  return b ? COMMANDS[b.module]?.[b.name] : undefined;
}

/** Static text of a name expression; `${…}` parts become `{}`. */
export function staticText(m: FileModel, e: ts.Expression | undefined, depth = 0): { text: string; exact: boolean } | undefined {
  if (!e || depth > 3) return undefined;
  e = unwrap(e) as ts.Expression;
  if (tsv.isStringLiteralLike(e)) return { text: e.text, exact: true };
  if (tsv.isTemplateExpression(e)) {
    let t = e.head.text;
    for (const s of e.templateSpans) t += '{}' + s.literal.text;
    return { text: t, exact: false };
  }
  if (tsv.isIdentifier(e)) {
    const v = m.stringConsts.get(e.text);
    return v === undefined ? undefined : { text: v, exact: true };
  }
  if (tsv.isBinaryExpression(e) && e.operatorToken.kind === tsv.SyntaxKind.PlusToken) {
    const l = staticText(m, e.left, depth + 1) ?? { text: '{}', exact: false };
    const r = staticText(m, e.right, depth + 1);
    if (!r) return undefined;
    return { text: l.text + r.text, exact: l.exact && r.exact };
  }
  return undefined;
}

/** The identifier a run-time name comes from: `process.env.X`, `config.x`, `x`. */
function nameHint(e: ts.Expression): string | undefined {
  let u = unwrap(e) as ts.Expression;
  if (tsv.isBinaryExpression(u) && (u.operatorToken.kind === tsv.SyntaxKind.QuestionQuestionToken || u.operatorToken.kind === tsv.SyntaxKind.BarBarToken)) {
    u = unwrap(u.left) as ts.Expression;
  }
  if (tsv.isPropertyAccessExpression(u)) return u.name.text;
  if (tsv.isElementAccessExpression(u) && tsv.isStringLiteralLike(u.argumentExpression)) return u.argumentExpression.text;
  if (tsv.isIdentifier(u)) return u.text;
  return undefined;
}

function fillNames(m: FileModel, f: FetchCall) {
  const add = (e: ts.Expression | undefined) => {
    const s = staticText(m, e);
    if (!s) {
      const h = e && nameHint(e);
      if (h) f.nameHints.push(h);
      return;
    }
    if (isCredentialText(s.text)) return; // a secret pasted where a name belongs: never echo it
    f.names.push(s.text);
    if (s.exact) f.exactNames.push(s.text);
  };
  if (f.style === 'powertools') {
    const a = f.call.arguments[0];
    if (a && tsv.isObjectLiteralExpression(unwrap(a))) {
      // getParametersByName({ '/a': {…}, '/b': {…} })
      for (const p of (unwrap(a) as ts.ObjectLiteralExpression).properties) {
        const n = propName(p.name);
        if (n !== undefined && !isCredentialText(n)) { f.names.push(n); f.exactNames.push(n); }
      }
    } else add(a);
    return;
  }
  if (!f.input) return;
  switch (f.op) {
    case 'GetParameter': add(propValue(f.input, 'Name')); break;
    case 'GetParametersByPath': add(propValue(f.input, 'Path')); break;
    case 'GetSecretValue': add(propValue(f.input, 'SecretId')); break;
    case 'GetParameters': {
      const v = propValue(f.input, 'Names');
      const arr = v && unwrap(v);
      if (arr && tsv.isArrayLiteralExpression(arr)) for (const el of arr.elements) add(el);
      break;
    }
  }
}

function resolveObject(m: FileModel, e: ts.Expression | undefined): { obj?: ts.ObjectLiteralExpression; inline: boolean } {
  if (!e) return { inline: false };
  const u = unwrap(e);
  if (tsv.isObjectLiteralExpression(u)) return { obj: u, inline: true };
  if (tsv.isIdentifier(u)) return { obj: m.objectVars.get(u.text), inline: false };
  return { inline: false };
}

function isFalseLiteralZero(e: ts.Expression | undefined, want: 'zero' | 'true'): boolean {
  if (!e) return false;
  const u = unwrap(e);
  if (want === 'zero') return tsv.isNumericLiteral(u) && Number(u.text) === 0;
  return u.kind === tsv.SyntaxKind.TrueKeyword;
}

/** Looks like a variable holding an SSM / Secrets Manager client, judged by name only. */
const CLIENTISH = /ssm|secret|parameter|param|client|(^|[^a-z])sm$|^sm|aws/i;

function scan(m: FileModel, nodes?: readonly ts.Node[]) {
  const clientVars = new Map<string, { service: Service; style: ApiStyle; kind: 'client' | 'provider' }>();
  // `const command = new GetSecretValueCommand(…)` by name, each with the function (or file) it is declared in: the
  // usual name `command` may be another command in another function.
  const commandVars = new Map<string, { op: Operation; node: ts.NewExpression; scope: ts.Node; block: ts.Node }[]>();
  const blockOf = (n: ts.Node): ts.Node => { let p = n.parent; while (p && !tsv.isBlock(p) && !tsv.isSourceFile(p) && !isFunctionNode(p)) p = p.parent; return p ?? m.sf; };
  const within = (n: ts.Node, ancestor: ts.Node): boolean => { for (let p: ts.Node | undefined = n; p; p = p.parent) if (p === ancestor) return true; return false; };
  const scopeOf = (n: ts.Node): ts.Node => { let p = n.parent; while (p && !isFunctionNode(p)) p = p.parent; return p ?? m.sf; };
  const commandVar = (id: ts.Identifier): { op: Operation; node: ts.NewExpression } | undefined => {
    const list = commandVars.get(id.text);
    if (!list) return undefined;
    for (let sc: ts.Node | undefined = scopeOf(id); sc; sc = sc === m.sf ? undefined : scopeOf(sc)) {
      // the declaration's block must enclose the call (`const command` in another block is another variable)
      const hit = list.find((v) => v.scope === sc && within(id, v.block));
      if (hit) return hit;
      // declared here as something else: that declaration shadows the outer command
      if (sc === m.sf ? m.moduleVars.has(id.text) : isFunctionNode(sc) && (declarationIn(sc, id.text) || sc.parameters.some((p) => tsv.isIdentifier(p.name) && p.name.text === id.text))) return undefined;
    }
    return undefined;
  };
  const services = new Set<string>();
  for (const b of m.imports.values()) services.add(b.module);
  const hasV2 = [...services].some((s) => s === 'aws-sdk' || s.startsWith('aws-sdk/'));
  const hasSdk = hasV2 || services.has('@aws-sdk/client-ssm') || services.has('@aws-sdk/client-secrets-manager');
  let fnDepth = 0;

  const recordVar = (nameNode: ts.Node | undefined) => {
    let name: string | undefined;
    if (nameNode && tsv.isIdentifier(nameNode)) name = nameNode.text;
    else if (nameNode && tsv.isPropertyAccessExpression(nameNode)) name = nameNode.name.text;
    return name;
  };

  const onNew = (n: ts.NewExpression) => {
    const cc = clientClass(m, n.expression);
    if (cc) {
      m.clients.push({ node: n, service: cc.service, kind: cc.kind, style: cc.style, className: cc.className });
      const p = n.parent;
      let name: string | undefined;
      if (tsv.isVariableDeclaration(p) && p.initializer === n) name = recordVar(p.name);
      else if (tsv.isBinaryExpression(p) && p.right === n) name = recordVar(p.left);
      else if (tsv.isPropertyDeclaration(p) && p.initializer === n) name = propName(p.name);
      if (name) clientVars.set(name, { service: cc.service, style: cc.style, kind: cc.kind });
      return;
    }
    const op = commandOp(m, n.expression);
    if (op) {
      const p = n.parent;
      if (tsv.isVariableDeclaration(p) && p.initializer === n && tsv.isIdentifier(p.name)) {
        const list = commandVars.get(p.name.text) ?? [];
        list.push({ op, node: n, scope: scopeOf(p), block: blockOf(p) });
        commandVars.set(p.name.text, list);
      }
    }
  };

  const receiverName = (r: ts.Expression): string | undefined => {
    const u = unwrap(r);
    if (tsv.isIdentifier(u)) return u.text;
    if (tsv.isPropertyAccessExpression(u)) return u.name.text;
    return undefined;
  };

  /** A receiver that is an imported module or a module-scope value built by something other than `new` (a wrapper). */
  const isWrapper = (name: string, recv: ts.Node): boolean => {
    if (!tsv.isIdentifier(recv)) return false;
    const b = m.imports.get(name);
    if (b) return !CLIENT_CLASSES[b.module];
    const d = m.moduleVars.get(name);
    const init = d?.initializer && unwrap(d.initializer);
    return !!init && !tsv.isNewExpression(init);
  };

  const onCall = (c: ts.CallExpression) => {
    const callee = c.expression;
    // v3: client.send(new GetParameterCommand(input)) / client.send(cmd)
    if (tsv.isPropertyAccessExpression(callee) && callee.name.text === 'send' && c.arguments.length >= 1) {
      const a = unwrap(c.arguments[0]);
      let op: Operation | undefined; let cmd: ts.NewExpression | undefined;
      if (tsv.isNewExpression(a)) { op = commandOp(m, a.expression); cmd = a; }
      else if (tsv.isIdentifier(a)) { const v = commandVar(a); if (v) { op = v.op; cmd = v.node; } }
      if (op && cmd) {
        const { obj, inline } = resolveObject(m, cmd.arguments?.[0]);
        const f: FetchCall = {
          call: c, expr: c, op, service: serviceOf(op), style: 'v3', input: obj, inputInline: inline && tsv.isNewExpression(a),
          command: cmd, receiver: callee.expression, names: [], exactNames: [], nameHints: [], cachedByLibrary: false, callback: false,
        };
        fillNames(m, f);
        m.fetches.push(f);
      }
      return;
    }
    // Powertools functions: getParameter('/x', { maxAge: 0 })
    {
      const b = resolveSdk(m, callee);
      if (b && isPowertoolsModule(b.module) && POWERTOOLS_FUNCTIONS[b.name]) {
        pushPowertools(c, POWERTOOLS_FUNCTIONS[b.name], false);
        return;
      }
    }
    if (!tsv.isPropertyAccessExpression(callee)) return;
    const method = callee.name.text;
    const recv = callee.expression;
    // Powertools providers: provider.get('/x', { forceFetch: true })
    if (method === 'get' || method === 'getMultiple') {
      const rn = receiverName(recv);
      const u = unwrap(recv);
      const inline = tsv.isNewExpression(u) ? clientClass(m, u.expression) : undefined;
      const cv = inline ?? (rn ? clientVars.get(rn) : undefined);
      if (cv && cv.kind === 'provider') {
        const op: Operation = cv.service === 'secretsmanager' ? 'GetSecretValue' : method === 'get' ? 'GetParameter' : 'GetParametersByPath';
        // A provider built per call has an empty cache every time.
        const fresh = !!inline || (!!rn && tsv.isIdentifier(unwrap(recv)) && !m.moduleNames.has(rn));
        pushPowertools(c, op, fresh);
      }
      return;
    }
    const op = METHODS[method];
    if (!op) return;
    let style: ApiStyle | undefined;
    const u = unwrap(recv);
    if (tsv.isNewExpression(u)) {
      const cc = clientClass(m, u.expression);
      if (cc && cc.kind === 'client' && cc.service === serviceOf(op)) style = cc.style;
    } else {
      const rn = receiverName(recv);
      const cv = rn ? clientVars.get(rn) : undefined;
      if (cv && cv.kind === 'client') style = cv.service === serviceOf(op) ? cv.style : undefined;
      else if (!cv && rn && hasSdk && CLIENTISH.test(rn) && !isWrapper(rn, u)) style = hasV2 ? 'v2' : 'v3-aggregated';
    }
    if (!style || style === 'v3') return;
    let expr: ts.Expression = c;
    let callback = false;
    const last = c.arguments[c.arguments.length - 1];
    if (tsv.isPropertyAccessExpression(c.parent) && c.parent.expression === c && c.parent.name.text === 'promise'
      && tsv.isCallExpression(c.parent.parent) && c.parent.parent.expression === c.parent) {
      expr = c.parent.parent;
    } else if (last && (tsv.isArrowFunction(last) || tsv.isFunctionExpression(last)) && c.arguments.length >= 2) {
      callback = true;
    } else if (style === 'v2') {
      const sent = tsv.isPropertyAccessExpression(c.parent) && c.parent.name.text === 'send';
      if (!sent) return; // a v2 request that is never sent
    }
    const { obj, inline } = resolveObject(m, c.arguments[0]);
    const f: FetchCall = {
      call: c, expr, op, service: serviceOf(op), style, input: obj, inputInline: inline, receiver: recv, names: [], exactNames: [], nameHints: [],
      cachedByLibrary: false, callback,
    };
    fillNames(m, f);
    m.fetches.push(f);
  };

  const pushPowertools = (c: ts.CallExpression, op: Operation, fresh: boolean) => {
    const optArg = c.arguments[1];
    const { obj } = resolveObject(m, optArg);
    const uncached = !!obj && (isFalseLiteralZero(propValue(obj, 'maxAge'), 'zero') || isFalseLiteralZero(propValue(obj, 'forceFetch'), 'true'));
    const f: FetchCall = {
      call: c, expr: c, op, service: serviceOf(op), style: 'powertools', input: undefined, inputInline: false, names: [], exactNames: [], nameHints: [],
      cachedByLibrary: !uncached && !fresh, ptOptions: obj, callback: false,
      receiver: tsv.isPropertyAccessExpression(c.expression) ? c.expression.expression : undefined,
    };
    fillNames(m, f);
    m.fetches.push(f);
  };

  // Writes from inside a function or class mark module-scope variables as caches. In a recursive walk the
  // depth is tracked; over the engine's node list it is read from the parent chain.
  const inFunction = nodes
    ? (n: ts.Node) => { for (let p = n.parent; p; p = p.parent) if (isFunctionNode(p) || tsv.isClassLike(p)) return true; return false; }
    : () => fnDepth > 0;

  // Only writes that keep something worth caching make a variable cache state: a fetched or computed value, a
  // promise, an instance, a collection entry. A flag or counter set from the event (`debugMode = event.debug`,
  // `failures++`) guards nothing that was cached.
  const onWrite = (target: ts.Expression, at: ts.Node, value: ts.Expression | 'collection' | 'counter') => {
    if (!inFunction(at)) return;
    if (value === 'counter' || (value !== 'collection' && isTrivialValue(value, at))) return;
    let t = unwrap(target);
    while (tsv.isPropertyAccessExpression(t) || tsv.isElementAccessExpression(t)) t = unwrap(t.expression);
    if (tsv.isIdentifier(t) && m.moduleVars.has(t.text)) m.mutable.add(t.text);
  };

  const handle = (n: ts.Node): void => {
    switch (n.kind) {
      case SK.NewExpression: onNew(n as ts.NewExpression); break;
      case SK.CallExpression: {
        const c = n as ts.CallExpression;
        onCall(c);
        // cache.set(k, v) on a module-scope Map marks it mutable
        if (tsv.isPropertyAccessExpression(c.expression) && /^(set|add|push)$/.test(c.expression.name.text)) {
          onWrite(c.expression.expression, c, 'collection');
        }
        break;
      }
      case SK.BinaryExpression: {
        const b = n as ts.BinaryExpression;
        const k = b.operatorToken.kind;
        if (k >= SK.FirstAssignment && k <= SK.LastAssignment) {
          const plain = k === SK.EqualsToken || k === SK.QuestionQuestionEqualsToken || k === SK.BarBarEqualsToken || k === SK.AmpersandAmpersandEqualsToken;
          onWrite(b.left, b, plain ? b.right : 'counter');
          // `process.env.X = value` in a loader (not module-scope defaults like `process.env.STAGE ||= 'dev'`)
          const env = processEnvName(b.left);
          if (env && inFunction(b) && valueSource(b.right, b) === 'other') m.envWrites.add(env);
        }
        break;
      }
      case SK.PrefixUnaryExpression:
      case SK.PostfixUnaryExpression: {
        const u = n as ts.PrefixUnaryExpression;
        if (u.operator === SK.PlusPlusToken || u.operator === SK.MinusMinusToken) onWrite(u.operand, u, 'counter');
        break;
      }
      case SK.VariableDeclaration: {
        const d = n as ts.VariableDeclaration;
        if (tsv.isIdentifier(d.name) && d.initializer) {
          const init = unwrap(d.initializer);
          if (tsv.isObjectLiteralExpression(init)) m.objectVars.set(d.name.text, init);
        }
        break;
      }
    }
  };

  if (nodes) {
    for (let i = 0; i < nodes.length; i++) handle(nodes[i]);
    return;
  }
  const visit = (n: ts.Node): void => {
    handle(n);
    if (isFunctionNode(n) || tsv.isClassLike(n)) {
      fnDepth++;
      tsv.forEachChild(n, visit);
      fnDepth--;
      return;
    }
    tsv.forEachChild(n, visit);
  };
  visit(m.sf);
}

/** The node kinds `scan` looks at: a caller that already walked the tree passes just these, in pre-order. */
export const SCAN_KINDS: readonly ts.SyntaxKind[] = [
  tsv.SyntaxKind.NewExpression, tsv.SyntaxKind.CallExpression, tsv.SyntaxKind.BinaryExpression,
  tsv.SyntaxKind.PrefixUnaryExpression, tsv.SyntaxKind.PostfixUnaryExpression, tsv.SyntaxKind.VariableDeclaration,
];

// ---------------------------------------------------------------------------------------------
// Handlers

const HANDLER_NAME = /handler$/i;

/** No parameters, or a first parameter named or typed like a Lambda event (`event`, `req`, `_`, `e: SQSEvent`). */
function eventLikeParameters(fn: FnNode | undefined): boolean {
  const p = fn?.parameters[0];
  if (!fn || !p) return true;
  if (p.type && /Event|Request|Context|Handler|APIGateway|SQS|SNS|S3|DynamoDB|Kinesis|EventBridge|Cognito/.test(p.type.getText())) return true;
  return tsv.isIdentifier(p.name) && /^_*(event|evt|e|ev|req|request|input|payload|records?|message|msg|body|data|args|params)?_*$/i.test(p.name.text);
}

function firstParamIsEvent(fn: FnNode | undefined): boolean {
  const p = fn?.parameters[0];
  return !!p && tsv.isIdentifier(p.name) && /^_?(event|evt)$/i.test(p.name.text);
}

export type Resolved = { fn: FnNode } | { external: ImportBinding; site: ts.Node } | undefined;

/** Follow an expression to the function it denotes: identifiers, middy(…).use(…), other wrappers, relative imports. */
export function resolveFunction(m: FileModel, e: ts.Node | undefined, depth = 0): Resolved {
  if (!e || depth > 8) return undefined;
  if (isFunctionNode(e)) return { fn: e };
  const u = unwrap(e);
  if (isFunctionNode(u)) return { fn: u };
  if (tsv.isExportSpecifier(u)) {
    const decl = u.parent.parent;
    const name = (u.propertyName ?? u.name).text;
    if (decl.moduleSpecifier && tsv.isStringLiteral(decl.moduleSpecifier)) {
      return decl.moduleSpecifier.text.startsWith('.') ? { external: { module: decl.moduleSpecifier.text, name }, site: u } : undefined;
    }
    return undefined;
  }
  if (tsv.isIdentifier(u)) {
    const b = m.imports.get(u.text);
    if (b && b.module.startsWith('.')) return { external: b, site: e };
    const t = m.topFunctions.get(u.text);
    return t && t !== u && !isMemoized(t) ? resolveFunction(m, t, depth + 1) : undefined;
  }
  if (tsv.isCallExpression(u)) {
    const callee = u.expression;
    // middy(base).use(...).before(...) or wrapper(base, opts)
    const isMiddy = (() => { const b = resolveSdk(m, callee); return !!b && b.module === MIDDY_CORE; })();
    for (const a of u.arguments) {
      const r = resolveFunction(m, a, depth + 1);
      if (r) return r;
      if (isMiddy) break;
    }
    if (tsv.isPropertyAccessExpression(callee)) return resolveFunction(m, callee.expression, depth + 1);
    return undefined;
  }
  if (tsv.isPropertyAccessExpression(u)) {
    // Class-based handlers: `handlerClass.handler.bind(handlerClass)` with `const handlerClass = new Lambda()`.
    let obj = unwrap(u.expression);
    if (tsv.isIdentifier(obj)) {
      const init = m.topFunctions.get(obj.text);
      if (init) obj = unwrap(init);
    }
    if (tsv.isNewExpression(obj) && tsv.isIdentifier(obj.expression)) {
      const cls = m.classes.get(obj.expression.text);
      const member = cls?.members.find((x) => tsv.isMethodDeclaration(x) && propName(x.name) === u.name.text);
      if (member && tsv.isMethodDeclaration(member)) return { fn: member };
      const prop = cls?.members.find((x) => tsv.isPropertyDeclaration(x) && propName(x.name) === u.name.text);
      if (prop && tsv.isPropertyDeclaration(prop) && prop.initializer) return resolveFunction(m, prop.initializer, depth + 1);
    }
    return undefined;
  }
  return undefined;
}

export function findHandlers(m: FileModel): Handler[] {
  const out: Handler[] = [];
  for (const [name, node] of m.exports) {
    const r = resolveFunction(m, node);
    const fn = r && 'fn' in r ? r.fn : undefined;
    let byName = HANDLER_NAME.test(name);
    if (name === 'default') {
      // `export default handler` / `export default async function handler`: judge the local name. An anonymous default
      // export counts only in a file with SDK code (elsewhere it is too common: libraries, components).
      const local = defaultLocalName(node);
      // An anonymous default export is a handler in a file with SDK code, unless its first parameter says it is a
      // helper (`module.exports = async (secretId) => …`): a handler takes an event (or nothing).
      byName = local ? HANDLER_NAME.test(local) : (m.relevant || mentionsAwsSdk(m.text)) && eventLikeParameters(fn);
    }
    if (!byName && !firstParamIsEvent(fn)) continue;
    if (!r) continue;
    out.push({ name, exportNode: exportStatementOf(node), fn });
  }
  return out;
}

function defaultLocalName(n: ts.Node): string | undefined {
  const u = unwrap(n);
  if (tsv.isIdentifier(u)) return u.text;
  if ((tsv.isFunctionDeclaration(u) || tsv.isFunctionExpression(u) || tsv.isClassDeclaration(u)) && u.name) return u.name.text;
  return undefined;
}

function exportStatementOf(n: ts.Node): ts.Node {
  let cur = n;
  while (cur.parent && cur.parent.kind !== tsv.SyntaxKind.SourceFile) cur = cur.parent;
  return cur.parent ? cur : n;
}

// ---------------------------------------------------------------------------------------------
// Reachability: what runs on every invocation

interface ReachState {
  fetches: Map<FetchCall, string>;
  clients: Map<ClientNew, string>;
  crossFile: CrossFileHit[];
  visited: Set<ts.Node>;
  /** Class methods reached on an instance that outlives the invocation: their `this.*` state is a cache. */
  persistentThis?: Set<ts.Node>;
}

type ClassNode = ts.ClassDeclaration | ts.ClassExpression;

/** Whether `name` is a parameter (or destructured parameter) of the function `at` is in: the invocation's input. */
function isParameterOf(name: string, at: ts.Node): boolean {
  const bound = (b: ts.BindingName): boolean => tsv.isIdentifier(b) ? b.text === name
    : b.elements.some((el) => !tsv.isOmittedExpression(el) && bound(el.name));
  // The nearest function's own parameters only, and not a callback's (`items.forEach((p) => …)` iterates data, often
  // fetched data, not the invocation's input).
  let p: ts.Node | undefined = at.parent;
  while (p && !isFunctionNode(p)) p = p.parent;
  if (!p || !isFunctionNode(p)) return false;
  if (p.parent && (tsv.isCallExpression(p.parent) || tsv.isNewExpression(p.parent)) && p.parent.arguments?.includes(p as ts.Expression)) return false;
  return p.parameters.some((x) => bound(x.name));
}

/**
 * What a written value is made of: only constants (`true`, `0`: an init flag such as `initialized = true` right after
 * a load), the invocation's own input (`event.debug`, `context.awsRequestId`, `process.env.X`, with or without
 * constants: a per-call flag, not a cache), or anything else (fetched, called, awaited, built: worth caching).
 */
function valueSource(e: ts.Expression, at: ts.Node, depth = 0): 'constant' | 'input' | 'other' {
  if (depth > 8) return 'other';
  const u = unwrap(e) as ts.Expression;
  const both = (a: ts.Expression, b: ts.Expression) => {
    const x = valueSource(a, at, depth + 1);
    const y = valueSource(b, at, depth + 1);
    return x === 'other' || y === 'other' ? 'other' : x === 'input' || y === 'input' ? 'input' : 'constant';
  };
  switch (u.kind) {
    case SK.StringLiteral: case SK.NoSubstitutionTemplateLiteral: case SK.NumericLiteral: case SK.BigIntLiteral:
    case SK.TrueKeyword: case SK.FalseKeyword: case SK.NullKeyword: case SK.RegularExpressionLiteral:
      return 'constant';
    case SK.Identifier:
      return (u as ts.Identifier).text === 'undefined' ? 'constant' : isParameterOf((u as ts.Identifier).text, at) ? 'input' : 'other';
    case SK.PrefixUnaryExpression:
      return valueSource((u as ts.PrefixUnaryExpression).operand, at, depth + 1);
    case SK.BinaryExpression: {
      const b = u as ts.BinaryExpression;
      return b.operatorToken.kind < SK.FirstAssignment || b.operatorToken.kind > SK.LastAssignment ? both(b.left, b.right) : 'other';
    }
    case SK.ConditionalExpression:
      return both((u as ts.ConditionalExpression).whenTrue, (u as ts.ConditionalExpression).whenFalse);
    case SK.PropertyAccessExpression: case SK.ElementAccessExpression: {
      let r: ts.Expression = u;
      while (tsv.isPropertyAccessExpression(r) || tsv.isElementAccessExpression(r)) r = unwrap(r.expression) as ts.Expression;
      return tsv.isIdentifier(r) && (r.text === 'process' || isParameterOf(r.text, at)) ? 'input' : 'other';
    }
    default:
      return 'other';
  }
}

/** A write that keeps nothing worth caching: a value taken from the invocation's own input. */
function isTrivialValue(e: ts.Expression, at: ts.Node): boolean {
  return valueSource(e, at) === 'input';
}

/** `process.env.X` / `process.env['X']` → `X`. */
function processEnvName(e: ts.Node): string | undefined {
  const u = unwrap(e);
  if (!tsv.isPropertyAccessExpression(u) && !tsv.isElementAccessExpression(u)) return undefined;
  const o = unwrap(u.expression);
  if (!tsv.isPropertyAccessExpression(o) || o.name.text !== 'env' || !tsv.isIdentifier(o.expression) || o.expression.text !== 'process') return undefined;
  if (tsv.isPropertyAccessExpression(u)) return u.name.text;
  return tsv.isStringLiteralLike(u.argumentExpression) ? u.argumentExpression.text : undefined;
}

/** A method (or arrow-function property) of a class, by name. */
function classMember(cls: ClassNode, name: string): FnNode | undefined {
  for (const x of cls.members) {
    // the constructor is walked like a method (parameters and a body)
    if (name === 'constructor' && tsv.isConstructorDeclaration(x) && x.body) return x as unknown as FnNode;
    if (tsv.isMethodDeclaration(x) && propName(x.name) === name && x.body) return x;
    if (tsv.isPropertyDeclaration(x) && propName(x.name) === name && x.initializer) {
      const init = unwrap(x.initializer);
      if (isFunctionNode(init)) return init;
    }
  }
  return undefined;
}

const mutablePropsCache = new WeakMap<ClassNode, Set<string>>();

/** `this.x` properties a class writes outside its constructor (`this.x = …`, `this.x ??= …`, `this.x[k] = …`, `this.x.set(…)`). */
function mutableThisProps(cls: ClassNode): Set<string> {
  let out = mutablePropsCache.get(cls);
  if (out) return out;
  out = new Set();
  const set = out;
  const thisProp = (e: ts.Expression): string | undefined => {
    let t = unwrap(e) as ts.Expression;
    while ((tsv.isPropertyAccessExpression(t) || tsv.isElementAccessExpression(t)) && t.expression.kind !== SK.ThisKeyword) t = unwrap(t.expression) as ts.Expression;
    return tsv.isPropertyAccessExpression(t) && t.expression.kind === SK.ThisKeyword ? t.name.text : undefined;
  };
  const visit = (n: ts.Node): void => {
    if (tsv.isBinaryExpression(n) && (n.operatorToken.kind === SK.EqualsToken || n.operatorToken.kind === SK.QuestionQuestionEqualsToken
      || n.operatorToken.kind === SK.BarBarEqualsToken)) {
      // a fetched or built value is state worth caching; a flag from the call's arguments is not
      const x = thisProp(n.left);
      if (x && !isTrivialValue(n.right, n)) set.add(x);
    } else if (tsv.isCallExpression(n) && tsv.isPropertyAccessExpression(n.expression) && /^(set|add|push)$/.test(n.expression.name.text)) {
      const x = thisProp(n.expression.expression);
      if (x) set.add(x);
    }
    tsv.forEachChild(n, visit);
  };
  for (const x of cls.members) if (!tsv.isConstructorDeclaration(x)) visit(x);
  mutablePropsCache.set(cls, set);
  return set;
}

/** A class this file declares or imports from a relative module, by identifier. */
function classRef(m: FileModel, name: string): { local?: ClassNode; imported?: ImportBinding } | undefined {
  const c = m.classes.get(name);
  if (c) return { local: c };
  const b = m.imports.get(name);
  if (b && b.module.startsWith('.')) return { imported: b };
  return undefined;
}

/** The variable declaration of `name` inside `fn` (its body, nested blocks included; not nested functions). */
function declarationIn(fn: FnNode, name: string): ts.VariableDeclaration | undefined {
  let found: ts.VariableDeclaration | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (tsv.isVariableDeclaration(n) && tsv.isIdentifier(n.name) && n.name.text === name) { found = n; return; }
    if (isFunctionNode(n)) return;
    tsv.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/**
 * The class whose method a call `recv.method()` runs, and whether the instance outlives the invocation:
 * `Cls.method()` (static), `Cls.getInstance().method()` (a singleton factory), `x.method()` with `x` a module-scope
 * `new Cls()` or a local `Cls.getInstance()` (persistent); `new Cls().method()` or a local `new Cls()` (per invocation).
 */
function receiverClass(m: FileModel, recv: ts.Expression, fn: FnNode, loc: Set<string>, depth = 0):
  { local?: ClassNode; imported?: ImportBinding; persistent: boolean } | undefined {
  if (depth > 3) return undefined;
  let u = unwrap(recv) as ts.Expression;
  if (tsv.isAwaitExpression(u)) u = unwrap(u.expression) as ts.Expression;
  if (tsv.isIdentifier(u)) {
    const local = loc.has(u.text);
    if (!local) {
      // `Cls.method()`. A whole-module or default import (`const X = require('./x')`) is followed as a module by the
      // caller; externalSummary finds a class there when the module exports one.
      const c = classRef(m, u.text);
      if (c?.local || (c?.imported && c.imported.name !== '*' && c.imported.name !== 'default')) return { ...c, persistent: true };
      if (c?.imported) return undefined;
    }
    // a local: declared in the function the call sits in (a callback: `records.map(async (r) => { const s = S.getInstance(); … })`)
    // or in an outer one up to `fn`
    let d: ts.VariableDeclaration | undefined;
    if (local) {
      for (let f: ts.Node | undefined = u; f && !d; f = f === fn ? undefined : f.parent) {
        if (isFunctionNode(f)) d = declarationIn(f, u.text);
      }
    } else d = m.moduleVars.get(u.text);
    if (!d?.initializer) return undefined;
    const r = receiverClass(m, d.initializer, fn, loc, depth + 1);
    return r && { ...r, persistent: r.persistent || !local };
  }
  if (tsv.isNewExpression(u) && tsv.isIdentifier(u.expression)) {
    const c = classRef(m, u.expression.text);
    return c && { ...c, persistent: false };
  }
  if (tsv.isCallExpression(u) && tsv.isPropertyAccessExpression(u.expression) && tsv.isIdentifier(u.expression.expression)
    && !loc.has(u.expression.expression.text)) {
    const c = classRef(m, u.expression.expression.text);
    return c && { ...c, persistent: true }; // a static factory: `Cls.getInstance()`
  }
  return undefined;
}

export interface Env {
  project: ProjectContext;
  /** Depth of cross-file following. */
  depth: number;
}

function localNames(fn: FnNode, cache: Map<ts.Node, Set<string>>): Set<string> {
  let s = cache.get(fn);
  if (s) return s;
  s = new Set();
  const out = s;
  for (const p of fn.parameters) collectBindingNames(p.name, out);
  const visit = (n: ts.Node) => {
    if (tsv.isVariableDeclaration(n)) collectBindingNames(n.name, out);
    else if ((tsv.isFunctionDeclaration(n) || tsv.isClassDeclaration(n)) && n.name) out.add(n.name.text);
    if (isFunctionNode(n)) {
      for (const p of n.parameters) collectBindingNames(p.name, out);
    }
    tsv.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  cache.set(fn, out);
  return out;
}

/** The functions whose fetches/clients run on every invocation of a handler, walked with cache-guard tracking. */
function walkReach(m: FileModel, root: FnNode, handler: string, st: ReachState, env: Env, rootPersistent = false) {
  const persistentThis = st.persistentThis ??= new Set();
  if (rootPersistent) persistentThis.add(root);
  const locals = new Map<ts.Node, Set<string>>();
  const queue: FnNode[] = [root];
  // Built once per file (a file may export hundreds of handlers, each walked in turn).
  const fetchAt = m.fetchAt ??= new Map(m.fetches.map((f) => [f.call as ts.Node, f]));
  const clientAt = m.clientAt ??= new Map(m.clients.map((c) => [c.node as ts.Node, c]));

  /** `process.env.X` that this file, or a module it imports relatively, sets at run time (a loader's cache). */
  let importedEnvWrites: Set<string> | undefined;
  const envIsCache = (name: string): boolean => {
    if (m.envWrites.has(name)) return true;
    if (!importedEnvWrites) {
      importedEnvWrites = new Set();
      for (const b of m.imports.values()) {
        if (!b.module.startsWith('.')) continue;
        try {
          const ext = loadExternal(m.path, b.module, env.project);
          if (ext) { scanFile(ext.model); for (const w of ext.model.envWrites) importedEnvWrites.add(w); }
        } catch { /* unreadable: nothing known */ }
      }
    }
    return importedEnvWrites.has(name);
  };

  /** Whether a top-level function of this file reads module-scope state written from a function (a cache). */
  const stateReaders = new Map<string, boolean>();
  const readsModuleState = (name: string): boolean => {
    const known = stateReaders.get(name);
    if (known !== undefined) return known;
    stateReaders.set(name, false);
    const t = m.topFunctions.get(name);
    const r = t && !isMemoized(t) ? resolveFunction(m, t) : undefined;
    let hit = false;
    if (r && 'fn' in r && r.fn.body && m.mutable.size) {
      const own = localNames(r.fn, locals);
      const v = (n: ts.Node): void => {
        if (hit) return;
        if (tsv.isIdentifier(n)) {
          const p = n.parent;
          if (!(p && tsv.isPropertyAccessExpression(p) && p.name === n) && m.mutable.has(n.text) && !own.has(n.text)) hit = true;
          return;
        }
        tsv.forEachChild(n, v);
      };
      v(r.fn.body);
    }
    stateReaders.set(name, hit);
    return hit;
  };

  while (queue.length) {
    const fn = queue.shift()!;
    if (st.visited.has(fn)) continue;
    st.visited.add(fn);
    const loc = localNames(fn, locals);

    // In a method of an instance that outlives the invocation, `this.x` written by the class is cached state.
    const cls = persistentThis.has(fn) && tsv.isClassLike(fn.parent) ? fn.parent : undefined;
    const thisState = cls ? mutableThisProps(cls) : undefined;
    const isCacheRef = (e: ts.Node, depth = 0): boolean => {
      let hit = false;
      const v = (n: ts.Node) => {
        if (hit) return;
        if (thisState && tsv.isPropertyAccessExpression(n) && n.expression.kind === SK.ThisKeyword && thisState.has(n.name.text)) {
          hit = true;
          return;
        }
        // `if (!process.env.JWT_SECRET) await loadSecrets()` where the file sets process.env.JWT_SECRET: the
        // environment is the cache
        const env = processEnvName(n);
        if (env && envIsCache(env)) { hit = true; return; }
        // `if (!Cls.instance) Cls.instance = new Cls()`: a static property of a class of this file lives as long as the module
        if (tsv.isPropertyAccessExpression(n) && tsv.isIdentifier(n.expression) && !loc.has(n.expression.text) && m.classes.has(n.expression.text)) {
          hit = true;
          return;
        }
        if (tsv.isIdentifier(n)) {
          const p = n.parent;
          if (p && tsv.isPropertyAccessExpression(p) && p.name === n) return;
          if (m.mutable.has(n.text) && !loc.has(n.text)) hit = true;
          // `const valid = cache && expiresAt > Date.now(); if (valid) return cache;`
          else if (loc.has(n.text) && depth < 2) {
            const d = declarationIn(fn, n.text);
            if (d?.initializer && d.parent.flags & tsv.NodeFlags.Const && isCacheRef(d.initializer, depth + 1)) hit = true;
          }
          return;
        }
        // `if (isCached()) return cache`: a helper of this file that reads the module-scope cache state
        if (tsv.isCallExpression(n) && tsv.isIdentifier(n.expression) && !loc.has(n.expression.text) && depth < 2
          && readsModuleState(n.expression.text)) { hit = true; return; }
        tsv.forEachChild(n, v);
      };
      v(e);
      return hit;
    };
    const endsAbruptly = (s: ts.Statement): boolean => {
      if (tsv.isReturnStatement(s) || tsv.isThrowStatement(s)) return true;
      if (tsv.isBlock(s) && s.statements.length) return endsAbruptly(s.statements[s.statements.length - 1]);
      return false;
    };
    const follow = (target: Resolved, site: ts.Node, calleeName: string, persistent = false) => {
      if (!target) return;
      if ('fn' in target) {
        if (persistent) persistentThis.add(target.fn);
        if (!st.visited.has(target.fn)) queue.push(target.fn);
        return;
      }
      const hit = externalSummary(m.path, target.external, env);
      if (hit && (hit.fetches.length || hit.clients.length)) {
        st.crossFile.push({ site, handler, callee: calleeName, file: hit.file, fetches: hit.fetches, clients: hit.clients });
      }
    };

    const walk = (n: ts.Node, guarded: boolean): void => {
      switch (n.kind) {
        case SK.IfStatement: {
          const s = n as ts.IfStatement;
          walk(s.expression, guarded);
          const g = guarded || isCacheRef(s.expression);
          walk(s.thenStatement, g);
          if (s.elseStatement) walk(s.elseStatement, g);
          return;
        }
        case SK.ConditionalExpression: {
          const c = n as ts.ConditionalExpression;
          walk(c.condition, guarded);
          const g = guarded || isCacheRef(c.condition);
          walk(c.whenTrue, g); walk(c.whenFalse, g);
          return;
        }
        case SK.BinaryExpression: {
          const b = n as ts.BinaryExpression;
          const k = b.operatorToken.kind;
          if (k === SK.QuestionQuestionEqualsToken || k === SK.BarBarEqualsToken
            || k === SK.QuestionQuestionToken || k === SK.BarBarToken
            || k === SK.AmpersandAmpersandEqualsToken) {
            walk(b.left, guarded);
            walk(b.right, guarded || isCacheRef(b.left));
            return;
          }
          break;
        }
        case SK.Block:
        case SK.CaseClause:
        case SK.DefaultClause: {
          const stmts = (n as ts.Block).statements;
          let g = guarded;
          for (const s of stmts) {
            walk(s, g);
            if (!g && tsv.isIfStatement(s) && !s.elseStatement && endsAbruptly(s.thenStatement) && isCacheRef(s.expression)) g = true;
          }
          return;
        }
        case SK.CallExpression: {
          if (guarded) break;
          const c = n as ts.CallExpression;
          // cachedFetch(key, () => fetch) / cache.getOrSet(key, loader) / memoize(() => …)(): the loader runs on a miss only.
          const cn = unwrap(c.expression);
          const calleeName = tsv.isIdentifier(cn) ? cn.text
            : tsv.isPropertyAccessExpression(cn) ? `${tsv.isIdentifier(cn.expression) ? cn.expression.text : ''} ${cn.name.text}` : '';
          if (MEMOIZERS.test(calleeName) && c.arguments.some((a) => isFunctionNode(unwrap(a)))) {
            // Only the loader functions are guarded: `cache.set(k, await fetch())` still fetches every time.
            walk(c.expression, guarded);
            for (const a of c.arguments) walk(a, isFunctionNode(unwrap(a)));
            return;
          }
          const f = fetchAt.get(c);
          if (f && !f.cachedByLibrary && !st.fetches.has(f)) st.fetches.set(f, handler);
          const callee = unwrap(c.expression);
          if (tsv.isIdentifier(callee) && !loc.has(callee.text)) follow(resolveCallee(m, callee), c, callee.text);
          else if (tsv.isPropertyAccessExpression(callee) && callee.expression.kind === SK.ThisKeyword) {
            // this.load() inside a class-based handler (state persists when this method's does)
            const owner = ts.findAncestor(c, ts.isClassLike);
            const member = owner && classMember(owner, callee.name.text);
            if (member) follow({ fn: member }, c, callee.name.text, persistentThis.has(fn));
          } else if (!f && !clientAt.has(c) && tsv.isPropertyAccessExpression(callee)) {
            // (an SDK call itself is no method of the user's classes)
            const method = callee.name.text;
            const b = tsv.isIdentifier(callee.expression) && !loc.has(callee.expression.text) ? m.imports.get(callee.expression.text) : undefined;
            const rc = b && (b.name === '*' || b.name === 'default') ? undefined : receiverClass(m, callee.expression, fn, loc);
            const recvText = callee.expression.getText();
            const label = `${recvText.length > 48 ? recvText.slice(0, 47) + '…' : recvText}.${method}`;
            if (rc?.local) {
              // a method of a class of this file, on a module-scope instance, a singleton, or a static call
              const member = classMember(rc.local, method);
              if (member) follow({ fn: member }, c, label, rc.persistent);
            } else if (rc?.imported) {
              follow({ external: { ...rc.imported, member: method, persistent: rc.persistent }, site: c }, c, label);
            } else if (b && b.module.startsWith('.')) {
              follow({ external: { module: b.module, name: b.name === '*' ? method : `default.${method}` }, site: c }, c, label);
            }
          }
          // functions passed by reference: names.map(fetchOne)
          for (const a of c.arguments) {
            if (tsv.isIdentifier(a) && !loc.has(a.text) && m.topFunctions.has(a.text)) follow(resolveCallee(m, a), c, a.text);
          }
          break;
        }
        case SK.NewExpression: {
          if (guarded) break;
          const ne = n as ts.NewExpression;
          const cl = clientAt.get(n);
          if (cl) {
            if (!st.clients.has(cl)) st.clients.set(cl, handler);
            break;
          }
          // `new Secrets(region)` here runs its constructor and field initializers here (a client built there is
          // built per invocation when this code is)
          const cn = unwrap(ne.expression);
          if (!tsv.isIdentifier(cn) || loc.has(cn.text)) break;
          const c = classRef(m, cn.text);
          if (c?.local) {
            const ctor = classMember(c.local, 'constructor');
            if (ctor) follow({ fn: ctor }, n, `new ${cn.text}`);
            for (const x of c.local.members) {
              if (tsv.isPropertyDeclaration(x) && x.initializer && !x.modifiers?.some((mod) => mod.kind === SK.StaticKeyword)) walk(x.initializer, guarded);
            }
          } else if (c?.imported) {
            follow({ external: { ...c.imported, member: 'constructor', persistent: false }, site: n }, n, `new ${cn.text}`);
          }
          break;
        }
      }
      tsv.forEachChild(n, guarded ? walkGuarded : walkOpen);
    };
    const walkGuarded = (k: ts.Node): void => walk(k, true);
    const walkOpen = (k: ts.Node): void => walk(k, false);
    if (fn.body) walk(fn.body, false);
  }
}

function resolveCallee(m: FileModel, id: ts.Identifier): Resolved {
  const b = m.imports.get(id.text);
  if (b) return b.module.startsWith('.') ? { external: b, site: id } : undefined;
  const t = m.topFunctions.get(id.text);
  if (!t) return undefined;
  if (isMemoized(t)) return undefined;
  return resolveFunction(m, t);
}

/** `memoize(async () => …)` / `once(…)` / `pMemoize(…)`: the wrapper caches the result. */
export function isMemoized(init: ts.Node): boolean {
  const u = unwrap(init);
  if (!tsv.isCallExpression(u)) return false;
  const callee = unwrap(u.expression);
  const name = tsv.isIdentifier(callee) ? callee.text : tsv.isPropertyAccessExpression(callee) ? callee.name.text : '';
  return MEMOIZERS.test(name);
}

const MEMOIZERS = /memo|once|cache|cached|lazy|singleton/i;

export function computeReach(m: FileModel, env: Env): Reach {
  const handlers = findHandlers(m);
  const st: ReachState = { fetches: new Map(), clients: new Map(), crossFile: [], visited: new Set() };
  for (const h of handlers) {
    // A class-based handler (`export const handler = new Lambda().handler`) runs on an instance built at module load.
    if (h.fn) { walkReach(m, h.fn, h.name, st, env, tsv.isClassLike(h.fn.parent)); continue; }
    const r = resolveFunction(m, m.exports.get(h.name));
    if (r && 'external' in r) {
      const hit = externalSummary(m.path, r.external, env);
      if (hit && (hit.fetches.length || hit.clients.length)) {
        st.crossFile.push({ site: h.exportNode, handler: h.name, callee: r.external.name, file: hit.file, fetches: hit.fetches, clients: hit.clients });
      }
    }
  }
  return { handlers, fetches: st.fetches, clients: st.clients, crossFile: st.crossFile };
}

// ---------------------------------------------------------------------------------------------
// Cross-file following (relative imports only)

const SOURCE_EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

interface ExternalFile { text: string; model: FileModel }
const externalCache = new Map<string, ExternalFile>();

function scriptKindOf(p: string): ts.ScriptKind {
  if (/\.tsx$/i.test(p)) return ts.ScriptKind.TSX;
  if (/\.jsx$/i.test(p)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/i.test(p)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/**
 * The single fetch a function exported by a relative module makes directly (`export const getSecret = async (id) =>
 * (await sm.send(new GetSecretValueCommand({ SecretId: id }))).SecretString`), or undefined.
 */
export function importedFetchWrapper(from: string, b: ImportBinding, project: ProjectContext): FetchCall | undefined {
  if (!b.module.startsWith('.') || b.name === '*') return undefined;
  const ext = loadExternal(from, b.module, project);
  if (!ext) return undefined;
  const node = ext.model.exports.get(b.name);
  if (!node || isMemoized(node)) return undefined;
  const r = resolveFunction(ext.model, node);
  if (!r || !('fn' in r)) return undefined;
  const inner = directFetches(ext.model).get(r.fn);
  return inner?.length === 1 ? inner[0] : undefined;
}

/** Promise-style fetches by the function they are directly in (built once per file model). */
export function directFetches(m: FileModel): Map<ts.Node, FetchCall[]> {
  if (m.byFunction) return m.byFunction;
  const by = new Map<ts.Node, FetchCall[]>();
  for (const f of m.fetches) {
    if (f.callback) continue;
    let p: ts.Node | undefined = f.call.parent;
    while (p && !isFunctionNode(p)) p = p.parent;
    if (!p) continue;
    const list = by.get(p);
    if (list) list.push(f); else by.set(p, [f]);
  }
  m.byFunction = by;
  return by;
}

function loadExternal(from: string, spec: string, project: ProjectContext): ExternalFile | undefined {
  const P = from.includes('\\') && !from.includes('/') ? nodePath.win32 : nodePath.posix;
  const base = P.join(P.dirname(from), spec);
  const candidates: string[] = [];
  const ext = /\.[cm]?[jt]sx?$/i.exec(base)?.[0];
  if (ext) {
    const stem = base.slice(0, -ext.length);
    if (/^\.[cm]?jsx?$/i.test(ext)) candidates.push(stem + ext.replace(/js/i, 'ts'));
    candidates.push(base);
  } else {
    for (const e of SOURCE_EXTS) candidates.push(base + e);
    for (const e of SOURCE_EXTS) candidates.push(P.join(base, 'index' + e));
  }
  for (const c of candidates) {
    let text: string | undefined;
    try { text = project.readFile(c); } catch { text = undefined; }
    if (text === undefined) continue;
    // A file with no SDK code and no relative import cannot lead to a fetch: do not parse it.
    if (!isRelevantText(text) && !RELATIVE_IMPORT.test(text)) return undefined;
    const hit = externalCache.get(c);
    if (hit && hit.text === text) return hit;
    const sf = ts.createSourceFile(c, text, ts.ScriptTarget.Latest, true, scriptKindOf(c));
    const model = buildFileModel(c, text, sf, true);
    if (externalCache.size > 500) externalCache.clear();
    const entry = { text, model };
    externalCache.set(c, entry);
    return entry;
  }
  return undefined;
}

interface ExternalSummary { file: string; fetches: { op: Operation; names: string[] }[]; clients: string[] }

/** What an imported function of a relative module runs per call (uncached fetches, clients). */
function externalSummary(from: string, b: ImportBinding, env: Env): ExternalSummary | undefined {
  if (env.depth >= 4 || !b.module.startsWith('.')) return undefined;
  const ext = loadExternal(from, b.module, env.project);
  if (!ext) return undefined;
  const m = ext.model;
  const env2: Env = { project: env.project, depth: env.depth + 1 };
  /** The class an export denotes (`export class X`, `module.exports = X`, `export default class`). */
  const classOf = (n: ts.Node | undefined): ClassNode | undefined => {
    const u = n && unwrap(n);
    if (!u) return undefined;
    if (tsv.isClassDeclaration(u) || tsv.isClassExpression(u)) return u;
    if (tsv.isIdentifier(u)) return m.classes.get(u.text);
    return undefined;
  };
  let node: ts.Node | undefined;
  let method: FnNode | undefined;
  let persistent = !!b.persistent;
  if (b.member !== undefined) {
    // `x.method()` on an instance (or the class) of a class exported by that file
    const c = classOf(m.exports.get(b.name === '*' ? 'default' : b.name));
    method = c && classMember(c, b.member);
  } else if (b.name.startsWith('default.')) {
    const d = m.exports.get('default');
    const obj = d && unwrap(d);
    node = obj && tsv.isObjectLiteralExpression(obj) ? propValue(obj, b.name.slice(8)) ?? findProp(obj, b.name.slice(8)) : undefined;
    // `import Cls from './x'; Cls.getInstance()`: a static method of the default-exported class
    if (!node) { const c = classOf(d); method = c && classMember(c, b.name.slice(8)); persistent = true; }
  } else {
    // `const load = require('./x'); load()` calls what `module.exports =` is
    node = m.exports.get(b.name === '*' ? 'default' : b.name);
    // `const Cls = require('./x'); Cls.getInstance()` where the module exports a class
    if (!node) { const c = classOf(m.exports.get('default')); method = c && classMember(c, b.name); persistent = true; }
  }
  if (node && isMemoized(node)) return undefined;
  const r: Resolved = method ? { fn: method } : resolveFunction(m, node);
  if (!r) return undefined;
  if ('external' in r) return externalSummary(m.path, r.external, env2);
  const st: ReachState = { fetches: new Map(), clients: new Map(), crossFile: [], visited: new Set() };
  walkReach(m, r.fn, b.member ?? b.name, st, env2, persistent);
  const fetches = [...st.fetches.keys()].map((f) => ({ op: f.op, names: f.names }));
  const clients = [...st.clients.keys()].filter((c) => c.kind === 'client').map((c) => c.className);
  for (const h of st.crossFile) { fetches.push(...h.fetches); clients.push(...h.clients); }
  return { file: m.path, fetches, clients };
}

// ---------------------------------------------------------------------------------------------
// Entry point shared by the rules

/** The last few scanned file models by path and text, so a caller right after an analysis (the editor's
 * name check, reference extraction) reuses the tree instead of parsing the file again. */
const recent = new Map<string, { text: string; model: FileModel }>();
const RECENT_MAX = 8;

export function recentModel(path: string, text: string): FileModel | undefined {
  const hit = recent.get(path);
  return hit && hit.text === text ? hit.model : undefined;
}

function rememberModel(path: string, text: string, model: FileModel): void {
  recent.delete(path);
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
  recent.set(path, { text, model });
}

export interface ModelInput {
  path: string;
  text: string;
  sourceFile: ts.SourceFile;
  project: ProjectContext;
  parameterKind?: (name: string) => ParameterKind | undefined;
}

/** The Lambda model of a file (callers keep it for as long as they need it: this function does not cache). */
export function getLambdaModel(ctx: ModelInput, nodes?: readonly ts.Node[]): LambdaModel {
  const file = buildFileModel(ctx.path, ctx.text, ctx.sourceFile, false, nodes);
  if (file.scanned) rememberModel(ctx.path, ctx.text, file);
  let reach: Reach = { handlers: [], fetches: new Map(), clients: new Map(), crossFile: [] };
  if (file.relevant) {
    if (file.fetches.length || file.clients.length || hasRelativeImport(file)) reach = computeReach(file, { project: ctx.project, depth: 0 });
  } else if (hasRelativeImport(file) && findHandlers(file).length) {
    // A handler without SDK code of its own may still call fetching code in a relative import.
    scanFile(file);
    reach = computeReach(file, { project: ctx.project, depth: 0 });
  }
  return { file, reach };
}
