// Handlers: which exports of a file are Lambda handlers, and which function an exported expression denotes (through
// identifiers, `middy(…).use(…)` and other wrappers, class instances and relative re-exports).
import { type ts, tsv } from '../ts';
import { isMemoized } from './caches';
import { resolveSdk } from './file';
import { MIDDY_CORE, mentionsAwsSdk } from './sdk';
import { isFunctionNode, propName, unwrap } from './syntax';
import type { FileModel, FnNode, Handler, Resolved } from './types';

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

/**
 * The handlers a file exports: those the infrastructure names (`m.iacHandlers`), whatever their name or arity; else, by
 * the heuristics, exports named `*handler`, an anonymous default export of SDK code that takes an event, or any
 * export whose first parameter is `event`.
 */
export function findHandlers(m: FileModel): Handler[] {
  const out: Handler[] = [];
  const custom = CUSTOM_RESOURCE_MODULE.test(m.text);
  for (const [name, node] of m.exports) {
    const r = resolveFunction(m, node);
    if (!r) continue;
    const fn = 'fn' in r ? r.fn : undefined;
    const iac = !!m.iacHandlers?.has(name);
    if (!iac && !byHeuristics(m, name, node, fn)) continue;
    const h: Handler = { name, exportNode: exportStatementOf(node), fn };
    if (iac) h.iac = true;
    if (custom || (fn && isCustomResourceHandler(fn))) h.customResource = true;
    out.push(h);
  }
  return out;
}

function byHeuristics(m: FileModel, name: string, node: ts.Node, fn: FnNode | undefined): boolean {
  if (firstParamIsEvent(fn)) return true;
  if (name !== 'default') return HANDLER_NAME.test(name);
  // `export default handler` / `export default async function handler`: judge the local name. An anonymous default
  // export is a handler in a file with SDK code (elsewhere it is too common: libraries, components), unless its first
  // parameter says it is a helper (`module.exports = async (secretId) => …`): a handler takes an event (or nothing).
  const local = defaultLocalName(node);
  return local ? HANDLER_NAME.test(local) : (m.relevant || mentionsAwsSdk(m.text)) && eventLikeParameters(fn);
}

/** `cfn-response` (the module CloudFormation's inline code provides) or the CDK custom-resource framework. */
const CUSTOM_RESOURCE_MODULE = /['"](?:cfn-response|cfn-response-async|cfn-lambda|@aws-cdk\/custom-resources|aws-cdk-lib\/custom-resources)['"]/;

/** A handler that branches on `event.RequestType` (Create/Update/Delete) or answers a `ResponseURL`. */
function isCustomResourceHandler(fn: FnNode): boolean {
  const p = fn.parameters[0];
  if (!p || !fn.body) return false;
  const text = fn.body.getText();
  return /\.RequestType\b|\bRequestType\s*[,}]/.test(text) && /['"](?:Create|Update|Delete)['"]/.test(text) || /\.ResponseURL\b/.test(text);
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
