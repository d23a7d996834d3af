// The file model's second pass: one walk (or one pass over the engine's node list) that records SDK clients built,
// fetch sites, request objects held in variables, and module-scope state that functions write (cache candidates).
import { type ts, tsv } from '../ts';
import { isTrivialValue, valueSource } from './caches';
import { clientClass, commandOp, storedName, type ClientClass } from './clients';
import { fetchOfCall, type CallContext } from './fetches';
import { EXTENSION_PATHS, type Operation } from './sdk';
import { BINDING_KINDS, SK, declarationIn, indexScopes, isFunctionNode, processEnvName, unwrap, walkTree } from './syntax';
import type { FileModel } from './types';

/** The node kinds `scan` looks at: a caller that already walked the tree passes just these, in pre-order. */
export const SCAN_KINDS: readonly ts.SyntaxKind[] = [
  tsv.SyntaxKind.NewExpression, tsv.SyntaxKind.CallExpression, tsv.SyntaxKind.BinaryExpression,
  tsv.SyntaxKind.PrefixUnaryExpression, tsv.SyntaxKind.PostfixUnaryExpression,
  ...BINDING_KINDS, // (VariableDeclaration among them) for the scope index
];

interface CommandVar { op: Operation; node: ts.NewExpression; scope: ts.Node; block: ts.Node }

/** Scan a file (see SCAN_KINDS): fills `m.clients`, `m.fetches`, `m.objectVars`, `m.mutable` and `m.envWrites`. */
export function scan(m: FileModel, nodes?: readonly ts.Node[]): void {
  new Scanner(m, nodes).run();
}

class Scanner implements CallContext {
  readonly clientVars = new Map<string, Omit<ClientClass, 'className'>>();
  /**
   * `const command = new GetSecretValueCommand(…)` by name, each with the function (or file) it is declared in: the
   * usual name `command` may be another command in another function.
   */
  private readonly commandVars = new Map<string, CommandVar[]>();
  readonly hasV2: boolean;
  readonly hasSdk: boolean;
  readonly extension: boolean;

  constructor(readonly m: FileModel, private readonly nodes?: readonly ts.Node[]) {
    const services = new Set<string>();
    for (const b of m.imports.values()) services.add(b.module);
    this.hasV2 = [...services].some((s) => s === 'aws-sdk' || s.startsWith('aws-sdk/'));
    this.hasSdk = this.hasV2 || services.has('@aws-sdk/client-ssm') || services.has('@aws-sdk/client-secrets-manager');
    this.extension = m.text.includes(EXTENSION_PATHS.parameter) || m.text.includes(EXTENSION_PATHS.secret);
  }

  /** The nodes that bind names (BINDING_KINDS), in pre-order: indexed once the scan is done. */
  private readonly bindings: ts.Node[] = [];

  run(): void {
    const nodes = this.nodes;
    if (nodes) for (let i = 0; i < nodes.length; i++) this.handle(nodes[i]);
    else walkTree(this.m.sf, (n) => { this.handle(n); });
    indexScopes(this.m.sf, this.bindings);
  }

  private handle(n: ts.Node): void {
    switch (n.kind) {
      case SK.Parameter: case SK.FunctionDeclaration: case SK.ClassDeclaration:
        this.bindings.push(n);
        break;
      case SK.NewExpression: this.onNew(n as ts.NewExpression); break;
      case SK.CallExpression: {
        const c = n as ts.CallExpression;
        const f = fetchOfCall(this, c);
        if (f) this.m.fetches.push(f);
        // cache.set(k, v) on a module-scope Map marks it mutable
        if (tsv.isPropertyAccessExpression(c.expression) && /^(set|add|push)$/.test(c.expression.name.text)) {
          this.onWrite(c.expression.expression, c, 'collection');
        }
        break;
      }
      case SK.BinaryExpression: this.onBinary(n as ts.BinaryExpression); break;
      case SK.PrefixUnaryExpression:
      case SK.PostfixUnaryExpression: {
        const u = n as ts.PrefixUnaryExpression;
        if (u.operator === SK.PlusPlusToken || u.operator === SK.MinusMinusToken) this.onWrite(u.operand, u, 'counter');
        break;
      }
      case SK.VariableDeclaration: {
        this.bindings.push(n);
        const d = n as ts.VariableDeclaration;
        if (tsv.isIdentifier(d.name) && d.initializer) {
          const init = unwrap(d.initializer);
          if (tsv.isObjectLiteralExpression(init)) this.m.objectVars.set(d.name.text, init);
        }
        break;
      }
    }
  }

  /** A client built (recorded, with the variable it goes in), or a command kept in a variable for a later `send`. */
  private onNew(n: ts.NewExpression): void {
    const m = this.m;
    const cc = clientClass(m, n.expression);
    if (cc) {
      m.clients.push({ node: n, service: cc.service, kind: cc.kind, style: cc.style, className: cc.className });
      const name = storedName(n);
      if (name) this.clientVars.set(name, { service: cc.service, style: cc.style, kind: cc.kind });
      return;
    }
    const op = commandOp(m, n.expression);
    const p = n.parent;
    if (op && tsv.isVariableDeclaration(p) && p.initializer === n && tsv.isIdentifier(p.name)) {
      const list = this.commandVars.get(p.name.text) ?? [];
      list.push({ op, node: n, scope: this.scopeOf(p), block: this.blockOf(p) });
      this.commandVars.set(p.name.text, list);
    }
  }

  private onBinary(b: ts.BinaryExpression): void {
    const k = b.operatorToken.kind;
    if (k < SK.FirstAssignment || k > SK.LastAssignment) return;
    const plain = k === SK.EqualsToken || k === SK.QuestionQuestionEqualsToken || k === SK.BarBarEqualsToken || k === SK.AmpersandAmpersandEqualsToken;
    this.onWrite(b.left, b, plain ? b.right : 'counter');
    // `process.env.X = value` in a loader (not module-scope defaults like `process.env.STAGE ||= 'dev'`)
    const env = processEnvName(b.left);
    if (env && this.inFunction(b) && valueSource(b.right, b) === 'other') this.m.envWrites.add(env);
  }

  /**
   * Only writes that keep something worth caching make a variable cache state: a fetched or computed value, a
   * promise, an instance, a collection entry. A flag or counter set from the event (`debugMode = event.debug`,
   * `failures++`) guards nothing that was cached.
   */
  private onWrite(target: ts.Expression, at: ts.Node, value: ts.Expression | 'collection' | 'counter'): void {
    if (!this.inFunction(at)) return;
    if (value === 'counter' || (value !== 'collection' && isTrivialValue(value, at))) return;
    let t = unwrap(target);
    while (tsv.isPropertyAccessExpression(t) || tsv.isElementAccessExpression(t)) t = unwrap(t.expression);
    if (tsv.isIdentifier(t) && this.m.moduleVars.has(t.text)) this.m.mutable.add(t.text);
  }

  /** Writes from inside a function or class mark module-scope variables as caches (read from the parent chain). */
  private inFunction(n: ts.Node): boolean {
    for (let p = n.parent; p; p = p.parent) if (isFunctionNode(p) || tsv.isClassLike(p)) return true;
    return false;
  }

  commandVar(id: ts.Identifier): { op: Operation; node: ts.NewExpression } | undefined {
    const list = this.commandVars.get(id.text);
    if (!list) return undefined;
    const m = this.m;
    for (let sc: ts.Node | undefined = this.scopeOf(id); sc; sc = sc === m.sf ? undefined : this.scopeOf(sc)) {
      // the declaration's block must enclose the call (`const command` in another block is another variable)
      const scope = sc;
      const hit = list.find((v) => v.scope === scope && within(id, v.block));
      if (hit) return hit;
      // declared here as something else: that declaration shadows the outer command
      if (sc === m.sf ? m.moduleVars.has(id.text) : isFunctionNode(sc) && (declarationIn(sc, id.text)
        || sc.parameters.some((p) => tsv.isIdentifier(p.name) && p.name.text === id.text))) return undefined;
    }
    return undefined;
  }

  private blockOf(n: ts.Node): ts.Node {
    let p = n.parent;
    while (p && !tsv.isBlock(p) && !tsv.isSourceFile(p) && !isFunctionNode(p)) p = p.parent;
    return p ?? this.m.sf;
  }

  private scopeOf(n: ts.Node): ts.Node {
    let p = n.parent;
    while (p && !isFunctionNode(p)) p = p.parent;
    return p ?? this.m.sf;
  }
}

function within(n: ts.Node, ancestor: ts.Node): boolean {
  for (let p: ts.Node | undefined = n; p; p = p.parent) if (p === ancestor) return true;
  return false;
}
