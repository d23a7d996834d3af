// Lexical scopes of one source file, without a type checker: which declaration an identifier refers to.
// Block scoping (let/const/class/function in blocks), `var` hoisting to the function, parameters, catch and
// for-of bindings, imports. Scope tables are built lazily, one per scope node that a lookup passes through.
import { type ts, tsv } from '../ts';

const SK = tsv.SyntaxKind;

export type DeclKind = 'var' | 'param' | 'function' | 'class' | 'import' | 'catch';

/** A declared name: the identifier in its declaration, and what declares it. */
export interface Decl {
  kind: DeclKind;
  /** The identifier that declares the name (in a binding pattern: the innermost one). */
  id: ts.Identifier;
  /**
   * The declaring node: a VariableDeclaration or ParameterDeclaration (the binding pattern's root), a function or class
   * declaration, an import clause/specifier, or the catch clause.
   */
  node: ts.Node;
}

export type FunctionLike = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration
  | ts.ConstructorDeclaration | ts.GetAccessorDeclaration | ts.SetAccessorDeclaration;

export function isFunctionLike(n: ts.Node): n is FunctionLike {
  switch (n.kind) {
    case SK.FunctionDeclaration: case SK.FunctionExpression: case SK.ArrowFunction: case SK.MethodDeclaration:
    case SK.Constructor: case SK.GetAccessor: case SK.SetAccessor:
      return true;
    default:
      return false;
  }
}

function isScopeNode(n: ts.Node): boolean {
  switch (n.kind) {
    case SK.SourceFile: case SK.Block: case SK.CaseBlock: case SK.ForStatement: case SK.ForOfStatement: case SK.ForInStatement:
    case SK.CatchClause: case SK.ClassExpression: case SK.ModuleBlock:
      return true;
    default:
      return isFunctionLike(n);
  }
}

function isLexical(list: ts.VariableDeclarationList): boolean {
  return (list.flags & (tsv.NodeFlags.Let | tsv.NodeFlags.Const | tsv.NodeFlags.Using | tsv.NodeFlags.AwaitUsing)) !== 0;
}

function addBinding(name: ts.BindingName, kind: DeclKind, node: ts.Node, out: Map<string, Decl>): void {
  if (name.kind === SK.Identifier) { if (!out.has(name.text)) out.set(name.text, { kind, id: name, node }); return; }
  for (const el of name.elements) if (el.kind === SK.BindingElement) addBinding(el.name, kind, node, out);
}

/**
 * `var` declarations under `n`, not inside nested functions (they hoist to the enclosing function or file). `var` is a
 * statement, so only statements are visited (never expressions: a file of exported arrow functions is a few steps).
 */
function collectVars(n: ts.Node, out: Map<string, Decl>): void {
  const visit = (c: ts.Node): void => {
    switch (c.kind) {
      case SK.VariableStatement: {
        const list = (c as ts.VariableStatement).declarationList;
        if (!isLexical(list)) for (const d of list.declarations) addBinding(d.name, 'var', d, out);
        return;
      }
      case SK.ForStatement: case SK.ForInStatement: case SK.ForOfStatement: {
        const init = (c as ts.ForStatement).initializer;
        if (init && init.kind === SK.VariableDeclarationList && !isLexical(init as ts.VariableDeclarationList)) {
          for (const d of (init as ts.VariableDeclarationList).declarations) addBinding(d.name, 'var', d, out);
        }
        visit((c as ts.ForStatement).statement);
        return;
      }
      case SK.Block: case SK.ModuleBlock:
        for (const st of (c as ts.Block).statements) visit(st);
        return;
      case SK.IfStatement:
        visit((c as ts.IfStatement).thenStatement);
        if ((c as ts.IfStatement).elseStatement) visit((c as ts.IfStatement).elseStatement!);
        return;
      case SK.WhileStatement: case SK.DoStatement: case SK.LabeledStatement: case SK.WithStatement:
        visit((c as ts.WhileStatement).statement);
        return;
      case SK.TryStatement: {
        const t = c as ts.TryStatement;
        visit(t.tryBlock);
        if (t.catchClause) visit(t.catchClause.block);
        if (t.finallyBlock) visit(t.finallyBlock);
        return;
      }
      case SK.SwitchStatement:
        for (const cl of (c as ts.SwitchStatement).caseBlock.clauses) for (const st of cl.statements) visit(st);
        return;
      default:
        return;
    }
  };
  if (n.kind === SK.SourceFile) for (const st of (n as ts.SourceFile).statements) visit(st);
  else if (n.kind === SK.Block) for (const st of (n as ts.Block).statements) visit(st);
}

/** let/const/class/function declared directly in a list of statements. */
function collectLexical(statements: readonly ts.Statement[], out: Map<string, Decl>): void {
  for (const st of statements) {
    switch (st.kind) {
      case SK.VariableStatement: {
        const list = (st as ts.VariableStatement).declarationList;
        if (isLexical(list)) for (const d of list.declarations) addBinding(d.name, 'var', d, out);
        break;
      }
      case SK.FunctionDeclaration: {
        const f = st as ts.FunctionDeclaration;
        if (f.name && !out.has(f.name.text)) out.set(f.name.text, { kind: 'function', id: f.name, node: f });
        break;
      }
      case SK.ClassDeclaration: {
        const c = st as ts.ClassDeclaration;
        if (c.name && !out.has(c.name.text)) out.set(c.name.text, { kind: 'class', id: c.name, node: c });
        break;
      }
      case SK.ImportDeclaration: {
        const clause = (st as ts.ImportDeclaration).importClause;
        if (!clause) break;
        if (clause.name) out.set(clause.name.text, { kind: 'import', id: clause.name, node: clause });
        const nb = clause.namedBindings;
        if (nb && nb.kind === SK.NamespaceImport) out.set(nb.name.text, { kind: 'import', id: nb.name, node: nb });
        else if (nb) for (const el of nb.elements) out.set(el.name.text, { kind: 'import', id: el.name, node: el });
        break;
      }
      case SK.ImportEqualsDeclaration: {
        const ie = st as ts.ImportEqualsDeclaration;
        out.set(ie.name.text, { kind: 'import', id: ie.name, node: ie });
        break;
      }
      case SK.ExportAssignment: case SK.ExportDeclaration:
        break;
    }
  }
}

function buildTable(n: ts.Node): Map<string, Decl> {
  const out = new Map<string, Decl>();
  switch (n.kind) {
    case SK.SourceFile:
      collectLexical((n as ts.SourceFile).statements, out);
      collectVars(n, out);
      break;
    case SK.ModuleBlock:
      collectLexical((n as ts.ModuleBlock).statements, out);
      break;
    case SK.Block:
      collectLexical((n as ts.Block).statements, out);
      // a function body also holds its `var`s (and parameters are in the function's own table)
      if (n.parent && isFunctionLike(n.parent)) collectVars(n, out);
      break;
    case SK.CaseBlock:
      for (const c of (n as ts.CaseBlock).clauses) collectLexical(c.statements, out);
      break;
    case SK.ForStatement: case SK.ForOfStatement: case SK.ForInStatement: {
      const init = (n as ts.ForStatement).initializer;
      if (init && init.kind === SK.VariableDeclarationList && isLexical(init as ts.VariableDeclarationList)) {
        for (const d of (init as ts.VariableDeclarationList).declarations) addBinding(d.name, 'var', d, out);
      }
      break;
    }
    case SK.CatchClause: {
      const v = (n as ts.CatchClause).variableDeclaration;
      if (v) addBinding(v.name, 'catch', n, out);
      break;
    }
    case SK.ClassExpression: {
      const c = n as ts.ClassExpression;
      if (c.name) out.set(c.name.text, { kind: 'class', id: c.name, node: c });
      break;
    }
    default: {
      const f = n as FunctionLike;
      for (const p of f.parameters) addBinding(p.name, 'param', p, out);
      // a named function expression sees its own name
      if (f.kind === SK.FunctionExpression && f.name) out.set(f.name.text, { kind: 'function', id: f.name, node: f });
    }
  }
  return out;
}

/** Name resolution for one file. */
export class Scopes {
  private readonly tables = new Map<ts.Node, Map<string, Decl>>();
  private readonly resolved = new Map<ts.Identifier, Decl | null>();

  /** The declaration an identifier in an expression refers to, or undefined for a global / unknown name. */
  resolve(id: ts.Identifier): Decl | undefined {
    const hit = this.resolved.get(id);
    if (hit !== undefined) return hit ?? undefined;
    const d = this.lookup(id.text, id);
    this.resolved.set(id, d ?? null);
    return d;
  }

  /** Look `name` up from the scope that contains `at`. */
  lookup(name: string, at: ts.Node): Decl | undefined {
    for (let p: ts.Node | undefined = at.parent; p; p = p.parent) {
      if (!isScopeNode(p)) continue;
      // parameters' default values and a function's own name are looked up in the function's table; a `var` in the
      // function body is in the body block's table
      let t = this.tables.get(p);
      if (!t) { t = buildTable(p); this.tables.set(p, t); }
      const d = t.get(name);
      if (d) return d;
    }
    return undefined;
  }
}

/**
 * The access path from a binding's root to an identifier in a destructuring pattern: `const { a: { b } } = x` →
 * `['a', 'b']` for `b`; `const [x, y] = arr` → `['1']` for `y`; a rest element contributes nothing (it keeps the rest).
 * Undefined segments are computed keys.
 */
export function bindingPath(id: ts.Identifier, root: ts.Node): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  for (let cur: ts.Node = id; cur.parent && cur.parent !== root; cur = cur.parent) {
    const p = cur.parent;
    if (p.kind !== SK.BindingElement) continue;
    const el = p as ts.BindingElement;
    if (el.dotDotDotToken) continue;
    const pattern = el.parent;
    if (pattern.kind === SK.ArrayBindingPattern) { out.push(String((pattern as ts.ArrayBindingPattern).elements.indexOf(el))); continue; }
    const key = el.propertyName ?? el.name;
    if (key.kind === SK.Identifier || key.kind === SK.StringLiteral || key.kind === SK.NumericLiteral) out.push((key as ts.Identifier).text);
    else if (key.kind === SK.ComputedPropertyName && tsv.isStringLiteralLike((key as ts.ComputedPropertyName).expression)) {
      out.push(((key as ts.ComputedPropertyName).expression as ts.StringLiteral).text);
    } else out.push(undefined);
  }
  return out.reverse();
}

/** The default values met on the way from a binding's root to the identifier (`{ a = process.env.KEY } = …`). */
export function bindingDefaults(id: ts.Identifier, root: ts.Node): ts.Expression[] {
  const out: ts.Expression[] = [];
  for (let cur: ts.Node = id; cur.parent && cur !== root; cur = cur.parent) {
    if (cur.kind === SK.BindingElement && (cur as ts.BindingElement).initializer) out.push((cur as ts.BindingElement).initializer!);
  }
  return out;
}
