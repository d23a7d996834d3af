// The file model's first pass: imports (ESM, `import x = require`, CommonJS `require`), module-scope names, functions,
// classes and exports (ESM and CommonJS). The second pass (scan.ts) finds clients, fetch sites and cache state.
import { type ts, tsv } from '../ts';
import { isRelevantText } from './sdk';
import { scan } from './scan';
import { collectBindingNames, propName, requireSpec, unwrap } from './syntax';
import type { FileModel, ImportBinding } from './types';

/**
 * The model of one file: its top level read at once, its clients and fetches scanned when it has SDK code (or, with
 * `follow`, when it imports relative modules a handler may call). `nodes`: the engine's pre-ordered node list of the
 * kinds in SCAN_KINDS, so the scan need not walk the tree again.
 */
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

export function hasRelativeImport(m: FileModel): boolean {
  if (m.relativeReexport) return true;
  for (const b of m.imports.values()) if (b.module.startsWith('.')) return true;
  return false;
}

function addImport(m: FileModel, local: string, module: string, name: string) {
  m.imports.set(local, { module, name });
  m.moduleNames.add(local);
}

function topLevel(m: FileModel, st: ts.Statement) {
  if (importDeclaration(m, st)) return;
  let exported = false;
  let isDefault = false;
  const mods = (st as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  if (mods) {
    for (const x of mods) {
      if (x.kind === tsv.SyntaxKind.ExportKeyword) exported = true;
      else if (x.kind === tsv.SyntaxKind.DefaultKeyword) isDefault = true;
    }
  }
  if (tsv.isVariableStatement(st)) variableStatement(m, st, exported);
  else if (tsv.isFunctionDeclaration(st)) {
    if (st.name) { m.moduleNames.add(st.name.text); m.topFunctions.set(st.name.text, st); }
    if (exported) m.exports.set(isDefault ? 'default' : st.name?.text ?? 'default', st);
  } else if (tsv.isClassDeclaration(st)) {
    if (st.name) { m.moduleNames.add(st.name.text); m.classes.set(st.name.text, st); }
    if (exported) m.exports.set(isDefault ? 'default' : st.name?.text ?? 'default', st);
  } else if (tsv.isExportAssignment(st)) m.exports.set('default', st.expression);
  else if (tsv.isExportDeclaration(st)) exportDeclaration(m, st);
  else if (tsv.isExpressionStatement(st) && tsv.isBinaryExpression(st.expression)
    && st.expression.operatorToken.kind === tsv.SyntaxKind.EqualsToken) commonJsExport(m, st.expression);
}

/** `import …` and `import x = require(…)`. */
function importDeclaration(m: FileModel, st: ts.Statement): boolean {
  if (tsv.isImportDeclaration(st) && tsv.isStringLiteral(st.moduleSpecifier)) {
    const mod = st.moduleSpecifier.text;
    const c = st.importClause;
    if (!c) return true;
    if (c.name) addImport(m, c.name.text, mod, 'default');
    const nb = c.namedBindings;
    if (nb && tsv.isNamespaceImport(nb)) addImport(m, nb.name.text, mod, '*');
    else if (nb) for (const el of nb.elements) addImport(m, el.name.text, mod, (el.propertyName ?? el.name).text);
    return true;
  }
  if (tsv.isImportEqualsDeclaration(st) && tsv.isExternalModuleReference(st.moduleReference)
    && tsv.isStringLiteral(st.moduleReference.expression)) {
    addImport(m, st.name.text, st.moduleReference.expression.text, '*');
    return true;
  }
  return false;
}

/** `const x = require('y')`, `const { a } = require('y')`, `const SSM = require('aws-sdk').SSM`, and module variables. */
function variableStatement(m: FileModel, st: ts.VariableStatement, exported: boolean) {
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
    if (tsv.isIdentifier(d.name) && d.initializer && tsv.isPropertyAccessExpression(d.initializer)) {
      const s2 = requireSpec(d.initializer.expression);
      if (s2 !== undefined) { addImport(m, d.name.text, s2, d.initializer.name.text); continue; }
    }
    collectBindingNames(d.name, m.moduleNames);
    if (!tsv.isIdentifier(d.name)) continue;
    m.moduleVars.set(d.name.text, d);
    if (!d.initializer) continue;
    m.topFunctions.set(d.name.text, d.initializer);
    if (exported) m.exports.set(d.name.text, d.initializer);
    const init = unwrap(d.initializer);
    if (isConst && tsv.isStringLiteralLike(init)) m.stringConsts.set(d.name.text, init.text);
  }
}

/** `export { x }` and `export { handler } from './impl'`. */
function exportDeclaration(m: FileModel, st: ts.ExportDeclaration) {
  if (!st.exportClause || !tsv.isNamedExports(st.exportClause)) return;
  if (!st.moduleSpecifier) {
    for (const el of st.exportClause.elements) m.exports.set(el.name.text, el.propertyName ?? el.name);
    return;
  }
  if (!tsv.isStringLiteral(st.moduleSpecifier)) return;
  for (const el of st.exportClause.elements) m.exports.set(el.name.text, el);
  if (st.moduleSpecifier.text.startsWith('.')) m.relativeReexport = true;
}

/** `module.exports = {…}` / `module.exports = x` / `exports.x = …` / `module.exports.x = …`. */
function commonJsExport(m: FileModel, e: ts.BinaryExpression) {
  const { left, right } = e;
  const target = cjsExportTarget(left);
  if (target === 'module.exports') {
    const r = unwrap(right);
    if (!tsv.isObjectLiteralExpression(r)) { m.exports.set('default', right); return; }
    for (const p of r.properties) {
      const n = propName(p.name);
      if (!n) continue;
      if (tsv.isPropertyAssignment(p)) m.exports.set(n, p.initializer);
      else if (tsv.isShorthandPropertyAssignment(p)) m.exports.set(n, p.name);
      else if (tsv.isMethodDeclaration(p)) m.exports.set(n, p);
    }
  } else if (target) m.exports.set(target, right);
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

/** What an expression names in an imported module: `SSMClient`, `AWS.SSM`, `ns.GetParameterCommand`, `require('x').Y`. */
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
