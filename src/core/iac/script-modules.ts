// Modules a serverless.ts / serverless.js configuration imports (issue 13 §3): the `aws-nodejs-typescript` layout keeps
// each function's definition in `src/functions/<name>/index.ts` and imports it through a tsconfig `paths` alias
// (`@functions/hello`) or a relative index (`./src/functions`). This resolves module specifiers the way TypeScript
// does for that layout (relative paths, extensions, `index` files, `paths` with `baseUrl` and `extends`) and finds a
// module's exports (`export default`, `export const`, `export { a as b }`, re-exports, `module.exports =`). Pure: files
// are read through the caller's `read`; never throws.
import * as nodePath from 'node:path';
import { ts, tsv } from '../ts';
import { getPath, scalarText, type IacNode } from './nodes';
import { parseJson } from './json';

export type ReadFile = (path: string) => string | undefined;

const EXTS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];

function P(p: string): typeof nodePath.posix {
  return p.includes('\\') && !p.includes('/') ? nodePath.win32 : nodePath.posix;
}

export interface ScriptModule {
  path: string;
  sf: ts.SourceFile;
  /** Top-level `const`/`let`/`var` initializers and function declarations by name. */
  consts: Map<string, ts.Expression>;
  functions: Map<string, ts.Node>;
  /** Local name → where it is imported from (`default`, a named export, or `*` for a namespace). */
  imports: Map<string, { spec: string; name: string }>;
}

export function parseModule(path: string, text: string): ScriptModule {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, /\.[cm]?jsx?$/i.test(path) ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const m: ScriptModule = { path, sf, consts: new Map(), functions: new Map(), imports: new Map() };
  for (const st of sf.statements) {
    if (tsv.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (tsv.isIdentifier(d.name) && d.initializer) {
          m.consts.set(d.name.text, d.initializer);
          requireImport(m, d.name.text, d.initializer);
        } else if (tsv.isObjectBindingPattern(d.name) && d.initializer) {
          // const { hello } = require('./src/functions')
          const spec = requireSpec(d.initializer);
          for (const el of d.name.elements) {
            if (spec && tsv.isIdentifier(el.name)) m.imports.set(el.name.text, { spec, name: el.propertyName && tsv.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text });
          }
        }
      }
    } else if (tsv.isFunctionDeclaration(st) && st.name) {
      m.functions.set(st.name.text, st);
    } else if (tsv.isImportDeclaration(st) && tsv.isStringLiteral(st.moduleSpecifier) && st.importClause && !st.importClause.isTypeOnly) {
      const spec = st.moduleSpecifier.text;
      const c = st.importClause;
      if (c.name) m.imports.set(c.name.text, { spec, name: 'default' });
      const b = c.namedBindings;
      if (b && tsv.isNamespaceImport(b)) m.imports.set(b.name.text, { spec, name: '*' });
      else if (b) for (const el of b.elements) m.imports.set(el.name.text, { spec, name: (el.propertyName ?? el.name).text });
    }
  }
  return m;
}

function requireSpec(e: ts.Expression): string | undefined {
  let x = e;
  while (tsv.isParenthesizedExpression(x) || tsv.isAsExpression(x)) x = x.expression;
  if (tsv.isCallExpression(x) && tsv.isIdentifier(x.expression) && x.expression.text === 'require' && x.arguments[0] && tsv.isStringLiteralLike(x.arguments[0])) {
    return x.arguments[0].text;
  }
  return undefined;
}

/** `const hello = require('./hello')` (CommonJS): the default export (`module.exports`). */
function requireImport(m: ScriptModule, name: string, init: ts.Expression): void {
  const spec = requireSpec(init);
  if (spec) m.imports.set(name, { spec, name: 'default' });
  else if (tsv.isPropertyAccessExpression(init) && requireSpec(init.expression)) m.imports.set(name, { spec: requireSpec(init.expression)!, name: init.name.text });
}

export type Export = { module: ScriptModule; expr: ts.Expression } | { module: ScriptModule; namespace: true } | { module: ScriptModule; fn: ts.Node };

/** Resolves module specifiers and exports across files, parsing each file once. */
export class ModuleGraph {
  private readonly modules = new Map<string, ScriptModule | undefined>();
  private paths: { base: string; patterns: [string, string[]][] } | undefined | null = null;

  constructor(private readonly read: ReadFile, private readonly root: string) {}

  module(path: string): ScriptModule | undefined {
    if (this.modules.has(path)) return this.modules.get(path);
    let text: string | undefined;
    try { text = this.read(path); } catch { text = undefined; }
    const m = text === undefined || text.length > 512 * 1024 ? undefined : parseModule(path, text);
    this.modules.set(path, m);
    return m;
  }

  /** A specifier imported by `from`: a relative path or a tsconfig `paths` alias, to an existing source file. */
  resolve(from: string, spec: string): ScriptModule | undefined {
    const path = P(from);
    if (spec.startsWith('.')) return this.file(path.join(path.dirname(from), spec));
    const paths = this.tsconfigPaths();
    if (!paths) return undefined;
    for (const [pattern, targets] of paths.patterns) {
      const star = pattern.indexOf('*');
      let rest: string | undefined;
      if (star < 0) rest = pattern === spec ? '' : undefined;
      else if (spec.startsWith(pattern.slice(0, star)) && spec.endsWith(pattern.slice(star + 1)) && spec.length >= pattern.length - 1) {
        rest = spec.slice(star, spec.length - (pattern.length - star - 1));
      }
      if (rest === undefined) continue;
      for (const t of targets) {
        const hit = this.file(path.join(paths.base, t.replace('*', rest)));
        if (hit) return hit;
      }
    }
    return undefined;
  }

  private file(base: string): ScriptModule | undefined {
    const path = P(base);
    const ext = /\.[cm]?[jt]sx?$/i.exec(base)?.[0];
    const cands = ext ? [base.slice(0, -ext.length) + ext.replace(/js/i, 'ts'), base] : [...EXTS.map((e) => base + e), ...EXTS.map((e) => path.join(base, 'index' + e))];
    for (const c of cands) {
      const m = this.module(c);
      if (m) return m;
    }
    return undefined;
  }

  /** `compilerOptions.paths` of the tsconfig.json beside the configuration (following `extends`), once. */
  private tsconfigPaths(): { base: string; patterns: [string, string[]][] } | undefined {
    if (this.paths !== null) return this.paths;
    this.paths = undefined;
    const path = P(this.root);
    let cfg = path.join(this.root, 'tsconfig.json');
    for (let i = 0; i < 5 && cfg; i++) {
      let text: string | undefined;
      try { text = this.read(cfg); } catch { text = undefined; }
      if (text === undefined) break;
      const root = parseJson(text).roots[0];
      const dir = path.dirname(cfg);
      const paths = getPath(root, 'compilerOptions', 'paths');
      if (paths?.type === 'map') {
        const baseUrl = scalarText(getPath(root, 'compilerOptions', 'baseUrl'));
        const patterns: [string, string[]][] = paths.entries.map((e) => [String(e.key.value), targetsOf(e.value)]);
        this.paths = { base: path.join(dir, baseUrl ?? '.'), patterns };
        break;
      }
      const ext = scalarText(getPath(root, 'extends'));
      if (!ext || !ext.startsWith('.')) break;
      cfg = path.join(dir, /\.json$/i.test(ext) ? ext : ext + '.json');
    }
    return this.paths;
  }

  /** What `module` exports under `name` (`default` for the default export). */
  exportOf(module: ScriptModule, name: string, depth = 0): Export | undefined {
    if (depth > 8) return undefined;
    const local = (id: string): Export | undefined => {
      const e = module.consts.get(id);
      if (e) return { module, expr: e };
      const fn = module.functions.get(id);
      if (fn) return { module, fn };
      const imp = module.imports.get(id);
      return imp ? this.imported(module, imp, depth + 1) : undefined;
    };
    for (const st of module.sf.statements) {
      if (name === 'default' && tsv.isExportAssignment(st)) return tsv.isIdentifier(st.expression) ? local(st.expression.text) ?? { module, expr: st.expression } : { module, expr: st.expression };
      if (name === 'default' && isModuleExports(st, module.sf)) return { module, expr: ((st as ts.ExpressionStatement).expression as ts.BinaryExpression).right };
      if (tsv.isVariableStatement(st) && st.modifiers?.some((x) => x.kind === tsv.SyntaxKind.ExportKeyword)) {
        for (const d of st.declarationList.declarations) if (tsv.isIdentifier(d.name) && d.name.text === name && d.initializer) return { module, expr: d.initializer };
      }
      if (tsv.isFunctionDeclaration(st) && st.modifiers?.some((x) => x.kind === tsv.SyntaxKind.ExportKeyword)) {
        const isDefault = st.modifiers.some((x) => x.kind === tsv.SyntaxKind.DefaultKeyword);
        if ((isDefault && name === 'default') || (!isDefault && st.name?.text === name)) return { module, fn: st };
      }
      if (tsv.isExportDeclaration(st) && !st.isTypeOnly) {
        const from = st.moduleSpecifier && tsv.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
        if (!st.exportClause && from) { // export * from './hello'
          if (name === 'default') continue;
          const target = this.resolve(module.path, from);
          const hit = target && this.exportOf(target, name, depth + 1);
          if (hit) return hit;
          continue;
        }
        if (!st.exportClause || !tsv.isNamedExports(st.exportClause)) continue;
        for (const el of st.exportClause.elements) {
          if (el.name.text !== name) continue;
          const orig = (el.propertyName ?? el.name).text;
          if (from) return this.imported(module, { spec: from, name: orig }, depth + 1);
          return local(orig);
        }
      }
    }
    return undefined;
  }

  /** Every named export of a module (for `import * as functions` and `export *`), in order. */
  namedExports(module: ScriptModule, depth = 0): string[] {
    const out: string[] = [];
    if (depth > 8) return out;
    for (const st of module.sf.statements) {
      if (tsv.isVariableStatement(st) && st.modifiers?.some((x) => x.kind === tsv.SyntaxKind.ExportKeyword)) {
        for (const d of st.declarationList.declarations) if (tsv.isIdentifier(d.name)) out.push(d.name.text);
      } else if (tsv.isExportDeclaration(st) && !st.isTypeOnly) {
        if (st.exportClause && tsv.isNamedExports(st.exportClause)) out.push(...st.exportClause.elements.map((e) => e.name.text).filter((n) => n !== 'default'));
        else if (!st.exportClause && st.moduleSpecifier && tsv.isStringLiteral(st.moduleSpecifier)) {
          const target = this.resolve(module.path, st.moduleSpecifier.text);
          if (target) out.push(...this.namedExports(target, depth + 1));
        }
      }
    }
    return out;
  }

  imported(from: ScriptModule, imp: { spec: string; name: string }, depth = 0): Export | undefined {
    const target = this.resolve(from.path, imp.spec);
    if (!target) return undefined;
    if (imp.name === '*') return { module: target, namespace: true };
    return this.exportOf(target, imp.name, depth);
  }
}

function targetsOf(n: IacNode): string[] {
  if (n.type === 'seq') return n.items.map((i) => scalarText(i)).filter((t): t is string => t !== undefined);
  const t = scalarText(n);
  return t === undefined ? [] : [t];
}

function isModuleExports(st: ts.Statement, sf: ts.SourceFile): boolean {
  return tsv.isExpressionStatement(st) && tsv.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === tsv.SyntaxKind.EqualsToken
    && st.expression.left.getText(sf).replace(/\s/g, '') === 'module.exports';
}
