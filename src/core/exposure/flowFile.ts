// What the value flow of one file (flow.ts) knows before it evaluates anything: the file's scopes, its fetches by
// expression and by callback, its imports (relative ones may carry values from other modules) and middy's keys.
import { type ts, tsv } from '../ts';
import type { FetchCall, FileModel, ImportBinding } from '../lambda/model';
import { Scopes, type Decl } from './scope';
import { middySources, type SourceOptions } from './sources';
import type { Source } from './taint';
import { unwrap } from './syntax';
import type { FlowNodes, ModuleAccess } from './types';

const SK = tsv.SyntaxKind;

export class FlowFile {
  readonly scopes = new Scopes();
  protected readonly fetchByExpr = new Map<ts.Node, FetchCall>();
  protected readonly fetchByCallback = new Map<ts.Node, FetchCall>();
  private middyKeys?: Map<string, Source>;

  constructor(
    readonly path: string,
    readonly fm: FileModel,
    readonly nodes: FlowNodes,
    readonly options: SourceOptions,
    readonly modules: ModuleAccess | undefined,
  ) {
    for (const f of fm.fetches) {
      // the Lambda model also lists middy middlewares and extension calls as reads; their sources are read below
      if (f.style === 'middy' || f.style === 'extension') continue;
      if (f.callback) {
        const last = f.call.arguments[f.call.arguments.length - 1];
        if (last) this.fetchByCallback.set(unwrap(last), f);
      } else this.fetchByExpr.set(f.expr, f);
    }
  }

  get sf(): ts.SourceFile { return this.fm.sf; }

  /** The import a name is bound to: `import … from`, or a module-scope `const x = require(…)` / `const { a } = require(…)`. */
  binding(d: Decl): ImportBinding | undefined {
    if (d.kind === 'import') return this.fm.imports.get(d.id.text);
    if (d.kind !== 'var' || !tsv.isVariableDeclaration(d.node) || d.node.parent?.parent?.parent?.kind !== SK.SourceFile) return undefined;
    return this.fm.imports.get(d.id.text);
  }

  private relativeImports?: boolean;

  /** Whether this file imports or requires relative modules at all. */
  hasRelativeImports(): boolean {
    if (this.relativeImports === undefined) {
      this.relativeImports = false;
      for (const b of this.fm.imports.values()) if (b.module.startsWith('.')) { this.relativeImports = true; break; }
    }
    return this.relativeImports;
  }

  /** Cheap pre-check before resolving a callee: its name (or its object's) is bound by a relative import. */
  mayCallImport(callee: ts.Expression): boolean {
    let u = unwrap(callee);
    if (tsv.isPropertyAccessExpression(u)) u = unwrap(u.expression);
    if (tsv.isIdentifier(u)) return !!this.fm.imports.get(u.text)?.module.startsWith('.') || this.importedClassInstance(u);
    return false;
  }

  /** `const svc = new Service()` / `Service.getInstance()` with Service imported from a relative module. */
  private importedClassInstance(id: ts.Identifier): boolean {
    const d = this.scopes.resolve(id);
    if (!d || d.kind !== 'var' || !tsv.isVariableDeclaration(d.node) || !d.node.initializer) return false;
    const init = unwrap(d.node.initializer);
    const cls = tsv.isNewExpression(init) ? unwrap(init.expression)
      : tsv.isCallExpression(init) && tsv.isPropertyAccessExpression(unwrap(init.expression)) ? unwrap((unwrap(init.expression) as ts.PropertyAccessExpression).expression) : undefined;
    return !!cls && tsv.isIdentifier(cls) && !!this.fm.imports.get(cls.text)?.module.startsWith('.');
  }

  bindingOf(id: ts.Identifier): ImportBinding | undefined {
    const d = this.scopes.resolve(id);
    return d && this.binding(d);
  }

  /** Keys filled by middy's secrets middlewares in this file. */
  middy(): Map<string, Source> {
    if (this.middyKeys) return this.middyKeys;
    const out = new Map<string, Source>();
    if (this.fm.text.includes('middy')) {
      for (const c of this.nodes.calls) {
        const m = middySources(c, this.fm, this.options.secretWords);
        if (m) for (const [k, v] of m) out.set(k, v);
      }
    }
    return (this.middyKeys = out);
  }
}
