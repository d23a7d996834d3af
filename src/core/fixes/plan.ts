// Fix plans. A fix generator does not write module-scope code directly: it describes what it needs there as
// keyed declarations (a client, the cache helper, a loader, an import) and its local edits, which refer to those
// declarations by key. One planner (`composePlans`) turns the plans of every fix touching a file into one set
// of edits: declarations with the same key are written once (one client per service and configuration, one
// cache helper, one import), names are allocated once for the whole file (named after what they hold, never
// numbered unless every meaningful name is taken), and code for one place goes in one insertion. A single
// quick fix is the same planner run on one plan, so the editor and `--fix` produce the same code.
//
// Plans are plain data (offsets into the analysed text and strings): they are kept beside each `Fix` in a
// WeakMap keyed by the Fix, never by the syntax tree.
import { tsv, type ts } from '../ts';
import { lineStarts, positionAt } from '../text';
import type { Fix, TextEdit } from '../types';
import { isUsableName } from './naming';
import { blankBefore } from './spacing';
import type { CodeStyle } from './style';

/** Marks a reference to the name of the declaration `key` in plan code and edits. */
export function refTo(key: string): string {
  return `\u0001${key}\u0001`;
}
const REF_RE = /\u0001([^\u0001]*)\u0001/g;

export type DeclKind = 'import' | 'client' | 'const' | 'helper' | 'loader';
const KIND_ORDER: Record<DeclKind, number> = { import: 0, client: 1, const: 2, helper: 3, loader: 4 };

/** Where module-scope code may go: after the end of a top-level statement, or before one (at its leading comments). */
export interface Point { offset: number; afterStatement: boolean }

export interface PlanDecl {
  /** Identity: plans that need a declaration with the same key share one. */
  key: string;
  kind: DeclKind;
  /** Names to try, best first. */
  names: string[];
  /** Already declared at module scope under this name: reused, nothing is inserted. */
  existing?: string;
  /** The declaration's code (lines joined with the file's EOL), with `refTo(key)` for its own and others' names. */
  code: string;
  /** `import { name } from 'module'` (kind 'import'). */
  import?: { module: string; name: string };
  /** The earliest place it may go (after the imports and whatever it reads). */
  lower: Point;
  /** The start of the top-level statement that uses it (leading comments included): it must go above. */
  upper: number;
  /** Names it must not take: declared in the functions that use it. */
  blocked: string[];
}

/**
 * A local edit. `bind` makes it depend on the name a declaration gets: when the declaration is named `local`
 * (a client moved out under its own name) the primary edit applies, else the alternative (an alias).
 */
export interface PlanEdit {
  start: number;
  end: number;
  text: string;
  bind?: { key: string; local: string; start: number; end: number; text: string };
}

export interface FixPlan {
  title: string;
  edits: PlanEdit[];
  decls: PlanDecl[];
  style: CodeStyle;
  /**
   * The spans of the code it fixes (a loader: its fetch calls). A finding linked to the fix but outside them (a fetch
   * under a condition, which the function's loader leaves) is not counted as fixed by it.
   */
  targets?: { start: number; end: number }[];
}

const plans = new WeakMap<Fix, FixPlan>();

/** The plan behind a fix (fixes made from plain edits have none). */
export function planOf(fix: Fix): FixPlan | undefined {
  return plans.get(fix);
}

/** A plan for plain edits (fixes that need nothing at module scope), in `text`'s offsets. */
export function editsPlan(text: string, fix: Fix, style: CodeStyle, starts = lineStarts(text)): FixPlan {
  const off = (p: { line: number; character: number }) => Math.min(text.length, starts[Math.min(p.line, starts.length - 1)] + p.character);
  return { title: fix.title, decls: [], style, edits: fix.edits.map((e) => ({ start: off(e.range.start), end: off(e.range.end), text: e.newText })) };
}

// ------------------------------------------------------------------------------------------ names in a file

/** An identifier that names a value (not a property name, member name or label). */
function isNameUse(id: ts.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  if (tsv.isPropertyAccessExpression(p) && p.name === id) return false;
  if ((tsv.isPropertyAssignment(p) || tsv.isPropertyDeclaration(p) || tsv.isMethodDeclaration(p) || tsv.isPropertySignature(p)
    || tsv.isMethodSignature(p) || tsv.isGetAccessorDeclaration(p) || tsv.isSetAccessorDeclaration(p) || tsv.isEnumMember(p)
    || tsv.isJsxAttribute(p)) && p.name === id) return false;
  if ((tsv.isLabeledStatement(p) || tsv.isBreakOrContinueStatement(p)) && p.label === id) return false;
  if (tsv.isQualifiedName(p) && p.right === id) return false;
  if ((tsv.isImportSpecifier(p) || tsv.isExportSpecifier(p)) && p.propertyName === id) return false;
  if (tsv.isBindingElement(p) && p.propertyName === id) return false;
  return true;
}

const isFunctionScope = (n: ts.Node) => tsv.isFunctionLike(n) && n.kind !== tsv.SyntaxKind.FunctionType && n.kind !== tsv.SyntaxKind.ConstructorType;

/** The function whose scope an identifier declares a name in (its nearest function; a function declaration's own name: the one around it). */
function declaringScope(id: ts.Identifier): ts.Node | undefined {
  const p = id.parent;
  const declares = (tsv.isVariableDeclaration(p) || tsv.isParameter(p) || tsv.isBindingElement(p) || tsv.isFunctionDeclaration(p)
    || tsv.isClassDeclaration(p) || tsv.isEnumDeclaration(p) || tsv.isFunctionExpression(p) || tsv.isClassExpression(p)) && p.name === id;
  if (!declares) return undefined;
  // A function expression's own name is visible inside it only.
  if (tsv.isFunctionExpression(p)) return p;
  let n: ts.Node = tsv.isFunctionDeclaration(p) || tsv.isClassDeclaration(p) || tsv.isEnumDeclaration(p) ? p.parent : p;
  while (n && !tsv.isSourceFile(n) && !isFunctionScope(n)) n = n.parent;
  return n;
}

const takenCache = new WeakMap<ts.SourceFile, Map<string, boolean>>();

/**
 * Whether `name` is declared at module scope or used somewhere without a declaration in an enclosing function
 * (a global like `process`, an import). Found by one walk over the identifiers of that name.
 */
function isTaken(sf: ts.SourceFile, name: string): boolean {
  let byName = takenCache.get(sf);
  if (!byName) takenCache.set(sf, byName = new Map());
  const hit = byName.get(name);
  if (hit !== undefined) return hit;
  const scopes = new Set<ts.Node>();
  const uses: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (tsv.isIdentifier(n)) {
      if (n.text !== name || !isNameUse(n)) return;
      const scope = declaringScope(n);
      if (scope) scopes.add(scope); else uses.push(n);
      return;
    }
    tsv.forEachChild(n, visit);
  };
  visit(sf);
  let taken = scopes.has(sf);
  for (let k = 0; !taken && k < uses.length; k++) {
    let declared = false;
    for (let p: ts.Node = uses[k].parent; p && !declared; p = p.parent) declared = scopes.has(p);
    taken = !declared;
  }
  byName.set(name, taken);
  return taken;
}

/**
 * Names a new module-scope declaration must not take: everything declared at module scope, and every name used
 * somewhere without a declaration in an enclosing function (globals like `process`, module names). Names only
 * ever declared and used inside functions are free: a module-scope declaration of the same name is shadowed
 * there, which is checked per declaration (`PlanDecl.blocked`).
 */
export function moduleTakenNames(sf: ts.SourceFile): { has(name: string): boolean } {
  // Most candidate names (`loadOrdersConfig`) appear nowhere in the file: only a name that does needs the walk.
  const words = wordsOf(sf);
  return { has: (name) => words.has(name) && isTaken(sf, name) };
}

const wordsCache = new WeakMap<ts.SourceFile, Set<string>>();

function wordsOf(sf: ts.SourceFile): Set<string> {
  let out = wordsCache.get(sf);
  if (!out) {
    out = new Set(sf.text.match(/[A-Za-z_$][\w$]*/g) ?? []);
    wordsCache.set(sf, out);
  }
  return out;
}

// ------------------------------------------------------------------------------------------ composing

interface Span { s: number; e: number }

function spanOf(e: PlanEdit): Span {
  return e.bind ? { s: Math.min(e.start, e.bind.start), e: Math.max(e.end, e.bind.end) } : { s: e.start, e: e.end };
}

function overlaps(a: Span, b: Span): boolean {
  if (a.s === a.e && b.s === b.e) return a.s === b.s; // two insertions at one point: order would be ambiguous
  if (a.s === a.e) return a.s > b.s && a.s < b.e;
  if (b.s === b.e) return b.s > a.s && b.s < a.e;
  return a.s < b.e && b.s < a.e;
}

function sameEdit(a: PlanEdit, b: PlanEdit): boolean {
  return a.start === b.start && a.end === b.end && a.text === b.text
    && (a.bind?.key ?? '') === (b.bind?.key ?? '') && (a.bind?.local ?? '') === (b.bind?.local ?? '')
    && (a.bind?.text ?? '') === (b.bind?.text ?? '');
}

export interface Composition {
  edits: TextEdit[];
  /** The plans whose edits are in `edits`, in the order given. */
  applied: FixPlan[];
  /** Plans left out: their edits overlap an applied plan's, or their declarations cannot be placed. */
  skipped: FixPlan[];
  /** Name given to each declaration key. */
  names: Map<string, string>;
}

function feasible(p: FixPlan): boolean {
  const keys = new Map(p.decls.map((d) => [d.key, d]));
  for (const d of p.decls) {
    if (d.existing || d.kind === 'import') continue;
    if (d.lower.offset > d.upper) return false;
    // Everything it refers to must be placeable above it.
    for (const m of d.code.matchAll(REF_RE)) {
      const dep = keys.get(m[1]);
      if (dep && !dep.existing && dep.kind !== 'import' && dep.lower.offset > d.upper) return false;
    }
  }
  return true;
}

/**
 * Compose plans into one set of edits on `text` (the text the plans were made from). Plans are taken in the
 * order given; a plan whose local edits overlap an earlier plan's (other than identical edits, which are
 * shared) is skipped, to be planned again on the next pass.
 */
export function composePlans(text: string, sf: ts.SourceFile, list: readonly FixPlan[], positionOf?: (offset: number) => TextEdit['range']['start']): Composition {
  const applied: FixPlan[] = [];
  const skipped: FixPlan[] = [];
  const accepted: PlanEdit[] = [];
  for (const p of list) {
    if (!feasible(p)) { skipped.push(p); continue; }
    const conflict = p.edits.some((e, i) => p.edits.some((f, j) => i < j && overlaps(spanOf(e), spanOf(f)))
      || accepted.some((a) => overlaps(spanOf(e), spanOf(a)) && !sameEdit(e, a)));
    if (conflict) { skipped.push(p); continue; }
    applied.push(p);
    for (const e of p.edits) if (!accepted.some((a) => sameEdit(a, e))) accepted.push(e);
  }
  // One declaration per key: the earliest user decides where it goes.
  const decls = new Map<string, PlanDecl>();
  const blockedOf = new Map<string, Set<string>>();
  for (const p of applied) {
    for (const d of p.decls) {
      const had = decls.get(d.key);
      if (!had) { decls.set(d.key, { ...d, names: [...d.names] }); blockedOf.set(d.key, new Set(d.blocked)); continue; }
      had.upper = Math.min(had.upper, d.upper);
      for (const n of d.names) if (!had.names.includes(n)) had.names.push(n);
      const b = blockedOf.get(d.key)!;
      for (const n of d.blocked) b.add(n);
      if (d.lower.offset > had.lower.offset) had.lower = d.lower;
    }
  }
  // A dependency goes no lower than its first dependent.
  const ordered = [...decls.values()].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  for (const d of [...ordered].reverse()) {
    for (const m of d.code.matchAll(REF_RE)) {
      const dep = decls.get(m[1]);
      if (dep && dep !== d) dep.upper = Math.min(dep.upper, d.upper);
    }
  }
  const names = allocateNames(sf, ordered, blockedOf);
  const style = applied.find((p) => p.decls.length)?.style ?? applied[0]?.style;
  const edits: TextEdit[] = [];
  let starts: number[] | undefined;
  const at = positionOf ?? ((o: number) => positionAt(starts ??= lineStarts(text), o));
  const fill = (s: string) => s.replace(REF_RE, (_, k: string) => names.get(k) ?? k);
  for (const e of accepted) {
    if (e.bind && names.get(e.bind.key) !== e.bind.local) {
      edits.push({ range: { start: at(e.bind.start), end: at(e.bind.end) }, newText: fill(e.bind.text) });
    } else {
      edits.push({ range: { start: at(e.start), end: at(e.end) }, newText: fill(e.text) });
    }
  }
  if (style) edits.push(...insertions(text, ordered, names, style, at, fill));
  return { edits, applied, skipped, names };
}

function allocateNames(sf: ts.SourceFile, decls: PlanDecl[], blockedOf: Map<string, Set<string>>): Map<string, string> {
  const taken = moduleTakenNames(sf);
  const names = new Map<string, string>();
  const given = new Set<string>();
  for (const d of decls) if (d.existing) { names.set(d.key, d.existing); given.add(d.existing); }
  for (const d of decls) {
    if (d.existing) continue;
    const blocked = blockedOf.get(d.key);
    const free = (n: string) => isUsableName(n) && !taken.has(n) && !given.has(n) && !blocked?.has(n);
    let name = d.names.find(free);
    for (let i = 2; !name; i++) if (free(d.names[0] + i)) name = d.names[0] + i; // last resort
    names.set(d.key, name);
    given.add(name);
  }
  return names;
}

function insertions(text: string, decls: PlanDecl[], names: Map<string, string>, style: CodeStyle,
  at: (o: number) => TextEdit['range']['start'], fill: (s: string) => string): TextEdit[] {
  const nl = style.eol;
  const semi = style.semi ? ';' : '';
  const q = style.quote;
  const groups = new Map<string, { point: Point; blocks: string[]; imports: Map<string, string[]> }>();
  const group = (p: Point) => {
    const k = `${p.offset}:${p.afterStatement}`;
    let g = groups.get(k);
    if (!g) groups.set(k, g = { point: p, blocks: [], imports: new Map() });
    return g;
  };
  for (const d of decls) {
    if (d.existing) continue;
    if (d.kind === 'import') {
      const spec = d.import!;
      const local = names.get(d.key)!;
      const item = local === spec.name ? spec.name : style.esm ? `${spec.name} as ${local}` : `${spec.name}: ${local}`;
      const g = group(d.lower);
      const list = g.imports.get(spec.module) ?? [];
      list.push(item);
      g.imports.set(spec.module, list);
      continue;
    }
    // Just above its first user, unless what it reads is declared later than that (then right after it).
    const point: Point = d.lower.offset >= d.upper ? d.lower : { offset: d.upper, afterStatement: false };
    group(point).blocks.push(fill(d.code));
  }
  const out: TextEdit[] = [];
  for (const g of [...groups.values()].sort((a, b) => a.point.offset - b.point.offset)) {
    const imports = [...g.imports].map(([module, items]) => (style.esm
      ? `import { ${items.join(', ')} } from ${q}${module}${q}${semi}`
      : `const { ${items.join(', ')} } = require(${q}${module}${q})${semi}`));
    const { offset, afterStatement } = g.point;
    const pos = at(offset);
    if (afterStatement) {
      const after = text.slice(offset, offset + 4);
      const tight = /^\r?\n(?!\r?\n)/.test(after);
      let body = '';
      if (imports.length) body += nl + imports.join(nl);
      if (g.blocks.length) body += nl + nl + g.blocks.join(nl + nl);
      if (g.blocks.length && tight) body += nl;
      out.push({ range: { start: pos, end: pos }, newText: body });
    } else {
      const parts: string[] = [];
      if (imports.length) parts.push(imports.join(nl));
      parts.push(...g.blocks);
      out.push({ range: { start: pos, end: pos }, newText: blankBefore(text, offset, nl) + parts.join(nl + nl) + nl + nl });
    }
  }
  return out;
}

/** Turn a plan into a self-contained fix (as a quick fix alone), and remember the plan behind it. */
export function planToFix(ctx: { text: string; sourceFile: ts.SourceFile; positionAt(offset: number): TextEdit['range']['start'] }, plan: FixPlan,
  isPreferred = true): Fix | undefined {
  const c = composePlans(ctx.text, ctx.sourceFile, [plan], (o) => ctx.positionAt(o));
  if (!c.applied.length) return undefined;
  const fix: Fix = { title: titleWithNames(plan.title, c.names), edits: c.edits, isPreferred };
  plans.set(fix, plan);
  return fix;
}

/** Rename the names of a composed fix in its title (titles may mention a loader: "… in loadOrdersConfig()"). */
export function titleWithNames(title: string, names: Map<string, string>): string {
  return title.replace(REF_RE, (_, k: string) => names.get(k) ?? k);
}
