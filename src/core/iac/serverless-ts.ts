// serverless.ts / serverless.js (issue 13 §3): the configuration object, read from the TypeScript AST into the same
// position-keeping tree as serverless.yml, so the function mapping, the IAM rules and policy generation read it like YAML.
// Follows what is written: the exported object (`export default`, `module.exports =`, `export =`, or the variable they
// name), spreads and shorthand properties of constants, `as`/`satisfies`, and — when the caller lets it read files —
// the modules it imports (`import hello from '@functions/hello'` through tsconfig `paths`, `import { hello } from
// './src/functions'`, `import * as functions`, re-exports, `require`), as the `aws-nodejs-typescript` template lays them
// out. A folder helper called with `__dirname` (`handlerPath(__dirname)`, relative to `process.cwd()`) is the module's
// folder relative to the configuration. Values from other files are placed at the expression of the configuration
// that brings them in. Other values computed at run time are left out. Pure: never throws.
import * as nodePath from 'node:path';
import { type ts, tsv } from '../ts';
import type { IacMap, IacNode, IacPair, IacScalar, ParseResult } from './nodes';
import { ModuleGraph, parseModule, type Export, type ReadFile, type ScriptModule } from './script-modules';

/** `serverless.ts`, `serverless.js`, `serverless.mjs`, `serverless.cjs`, `serverless.mts`, `serverless.cts`. */
export function isServerlessScript(path: string): boolean {
  return /(?:^|[\\/])serverless\.[cm]?[jt]s$/i.test(path);
}

function u(e: ts.Expression): ts.Expression {
  while (tsv.isParenthesizedExpression(e) || tsv.isAsExpression(e) || tsv.isSatisfiesExpression(e) || tsv.isNonNullExpression(e)
    || tsv.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

function keyText(n: ts.PropertyName): string | undefined {
  if (tsv.isIdentifier(n) || tsv.isStringLiteralLike(n) || tsv.isNumericLiteral(n)) return n.text;
  if (tsv.isComputedPropertyName(n) && tsv.isStringLiteralLike(n.expression)) return n.expression.text;
  return undefined;
}

function P(p: string): typeof nodePath.posix {
  return p.includes('\\') && !p.includes('/') ? nodePath.win32 : nodePath.posix;
}

class Reader {
  private depth = 0;
  private mod: ScriptModule;
  /** Offsets every node gets while reading another file: the configuration's expression that imports it. */
  private anchor: { start: number; end: number } | undefined;

  constructor(private readonly root: ScriptModule, private readonly graph: ModuleGraph | undefined) {
    this.mod = root;
  }

  /** The configuration object the file exports, or the top-level object that looks like one. */
  config(): ts.Expression | undefined {
    for (const st of this.root.sf.statements) {
      if (tsv.isExportAssignment(st)) return st.expression; // export default x / export = x
      if (tsv.isExpressionStatement(st) && tsv.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === tsv.SyntaxKind.EqualsToken
        && st.expression.left.getText(this.root.sf).replace(/\s/g, '') === 'module.exports') return st.expression.right;
    }
    for (const init of this.root.consts.values()) {
      const o = u(init);
      if (tsv.isObjectLiteralExpression(o) && o.properties.some((p) => p.name && keyText(p.name) === 'functions')) return o;
    }
    return undefined;
  }

  node(e: ts.Expression): IacNode | undefined {
    if (this.depth > 64) return undefined;
    this.depth++;
    try { return this.read(u(e)); } finally { this.depth--; }
  }

  private pos(e: ts.Node): { start: number; end: number } {
    return this.anchor ?? { start: e.getStart(this.mod.sf), end: e.end };
  }

  private scalar(value: IacScalar['value'], e: ts.Node): IacScalar {
    return { type: 'scalar', value, ...this.pos(e) };
  }

  /** Reads in another module, anchored at `at` (an expression of the current module). */
  private within<T>(mod: ScriptModule, at: ts.Node, fn: () => T): T {
    const saved = { mod: this.mod, anchor: this.anchor };
    if (mod !== this.mod && !this.anchor) this.anchor = { start: at.getStart(this.mod.sf), end: at.end };
    this.mod = mod;
    try { return fn(); } finally { this.mod = saved.mod; this.anchor = saved.anchor; }
  }

  private imported(name: string): Export | undefined {
    const imp = this.mod.imports.get(name);
    return imp && this.graph ? this.graph.imported(this.mod, imp) : undefined;
  }

  private exported(ex: Export | undefined, at: ts.Node): IacNode | undefined {
    if (!ex || !this.graph) return undefined;
    if ('expr' in ex) return this.within(ex.module, at, () => this.node(ex.expr));
    if (!('namespace' in ex)) return undefined;
    const graph = this.graph;
    // import * as functions: an object of the module's named exports
    const entries: IacPair[] = [];
    this.within(ex.module, at, () => {
      for (const n of graph.namedExports(ex.module)) {
        const v = this.exported(graph.exportOf(ex.module, n), at);
        if (v) entries.push({ key: this.scalar(n, at), value: v });
      }
    });
    return { type: 'map', entries, ...this.pos(at) };
  }

  private read(x: ts.Expression): IacNode | undefined {
    if (tsv.isStringLiteralLike(x)) return this.scalar(x.text, x);
    if (tsv.isTemplateExpression(x)) {
      // `${stage}` of a string constant and `${handlerPath(__dirname)}` are substituted; anything else is kept as
      // `${…}` (a variable to IaC consumers)
      let t = x.head.text;
      for (const s of x.templateSpans) t += (this.text(s.expression) ?? '${' + s.expression.getText(this.mod.sf) + '}') + s.literal.text;
      return this.scalar(t, x);
    }
    if (tsv.isNumericLiteral(x)) return this.scalar(Number(x.text), x);
    if (x.kind === tsv.SyntaxKind.TrueKeyword || x.kind === tsv.SyntaxKind.FalseKeyword) return this.scalar(x.kind === tsv.SyntaxKind.TrueKeyword, x);
    if (x.kind === tsv.SyntaxKind.NullKeyword) return this.scalar(null, x);
    if (tsv.isIdentifier(x)) {
      const c = this.mod.consts.get(x.text);
      if (c) return this.node(c);
      return this.exported(this.imported(x.text), x);
    }
    if (tsv.isPropertyAccessExpression(x) && tsv.isIdentifier(x.expression)) {
      // functions.hello with `import * as functions`
      const base = this.node(x.expression);
      if (base?.type === 'map') return base.entries.find((e) => e.key.value === x.name.text)?.value;
      return undefined;
    }
    if (tsv.isArrayLiteralExpression(x)) {
      const items: IacNode[] = [];
      for (const el of x.elements) {
        if (tsv.isSpreadElement(el)) { const s = this.node(el.expression); if (s?.type === 'seq') items.push(...s.items); continue; }
        const n = this.node(el);
        if (n) items.push(n);
      }
      return { type: 'seq', items, ...this.pos(x) };
    }
    if (tsv.isObjectLiteralExpression(x)) return this.object(x);
    return undefined;
  }

  /** The text of a template part: a string constant (local or imported) or a folder helper called with `__dirname`. */
  private text(e: ts.Expression): string | undefined {
    const x = u(e);
    if (tsv.isStringLiteralLike(x)) return x.text;
    if (tsv.isIdentifier(x)) {
      const c = this.mod.consts.get(x.text);
      if (c) return tsv.isStringLiteralLike(u(c)) ? (u(c) as ts.StringLiteralLike).text : undefined;
      const ex = this.imported(x.text);
      return ex && 'expr' in ex && tsv.isStringLiteralLike(u(ex.expr)) ? (u(ex.expr) as ts.StringLiteralLike).text : undefined;
    }
    if (tsv.isCallExpression(x) && tsv.isIdentifier(x.expression) && x.arguments.length >= 1) {
      const a = u(x.arguments[0]);
      if (tsv.isIdentifier(a) && a.text === '__dirname' && this.folderHelper(x.expression.text)) {
        const path = P(this.root.path);
        return path.relative(path.dirname(this.root.path), path.dirname(this.mod.path)).split(path.sep).join('/');
      }
    }
    return undefined;
  }

  /**
   * Whether `name(__dirname)` gives the folder relative to the project (`process.cwd()`, `path.relative`): read from
   * the helper's source when it can be found; a helper that cannot be read is taken at its word.
   */
  private folderHelper(name: string): boolean {
    let fn: ts.Node | undefined = this.mod.functions.get(name) ?? this.mod.consts.get(name);
    let sf = this.mod.sf;
    if (!fn && this.mod.imports.has(name)) {
      const ex = this.imported(name);
      if (!ex) return true;
      fn = 'fn' in ex ? ex.fn : 'expr' in ex ? ex.expr : undefined;
      sf = ex.module.sf;
    }
    if (!fn) return false;
    return /process\.cwd\(\)|\brelative\s*\(/.test(fn.getText(sf));
  }

  private object(x: ts.ObjectLiteralExpression): IacMap {
    const entries: IacPair[] = [];
    const put = (pair: IacPair) => {
      const i = entries.findIndex((p) => p.key.value === pair.key.value);
      if (i >= 0) entries.splice(i, 1); // a later property overrides an earlier one (and a spread's)
      entries.push(pair);
    };
    for (const p of x.properties) {
      if (tsv.isSpreadAssignment(p)) {
        const s = this.node(p.expression);
        if (s?.type === 'map') for (const e of s.entries) put(e);
        continue;
      }
      if (!p.name) continue;
      const k = keyText(p.name);
      if (k === undefined) continue;
      const value = tsv.isPropertyAssignment(p) ? this.node(p.initializer) : tsv.isShorthandPropertyAssignment(p) ? this.node(p.name) : undefined;
      if (value) put({ key: this.scalar(k, p.name), value });
    }
    return { type: 'map', entries, ...this.pos(x) };
  }
}

/**
 * The configuration of a serverless.ts/js file as a tree (one root, or none when no configuration object is found).
 * With `read`, imported modules are followed (see above); without it, only the file itself is read.
 */
export function parseServerlessScript(path: string, text: string, read?: ReadFile): ParseResult {
  try {
    const root = parseModule(path, text);
    const r = new Reader(root, read ? new ModuleGraph(read, P(path).dirname(path)) : undefined);
    const cfg = r.config();
    const node = cfg && r.node(cfg);
    return node?.type === 'map' ? { roots: [node], errors: [] } : { roots: [], errors: [{ message: 'no serverless configuration object found', offset: 0 }] };
  } catch (e) {
    return { roots: [], errors: [{ message: `could not be read: ${(e as Error).message}`, offset: 0 }] };
  }
}
