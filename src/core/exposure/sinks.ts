// Where a secret must not go: logs (console, Powertools Logger, pino, winston, bunyan, debug), error messages, HTTP
// responses (API Gateway / Function URL results, Express/Fastify/Koa, middy's `response`), and raw writes to S3,
// DynamoDB or SQS. Recognised syntactically; what reaches them is the flow analysis' business.
import { type ts, tsv } from '../ts';
import type { Decl } from './scope';

const SK = tsv.SyntaxKind;

export type SinkKind = 'log' | 'error' | 'response' | 'storage';

export interface SinkInfo {
  kind: SinkKind;
  /** How the code reaches it, for messages: `console.log`, `logger.info`, `res.json`, `PutObjectCommand`. */
  api: string;
}

/** One value handed to a sink: the expression, and the field of it that the sink takes (`Body` of a request). */
export interface SinkValue { expr: ts.Expression; field?: string[] }

export interface SinkSite {
  info: SinkInfo;
  /** The node the sink is (the call, the `new`, the object literal, the assignment). */
  node: ts.Node;
  values: SinkValue[];
  /** For a log call made as a statement of its own: the statement (a fix may remove it). */
  statement?: ts.ExpressionStatement;
  /** Paths the logger redacts (pino's `redact`): a secret under one of them is not written. */
  redact?: string[][];
}

export interface SinkResolver {
  /** The declaration of an identifier (undefined for globals). */
  resolve(id: ts.Identifier): Decl | undefined;
  /** Module a name is imported from (`pino`, `debug`, `@aws-lambda-powertools/logger`), when it is an import. */
  importOf(id: ts.Identifier): { module: string; name: string } | undefined;
}

function unwrap(e: ts.Expression): ts.Expression {
  while (e.kind === SK.ParenthesizedExpression || e.kind === SK.AsExpression || e.kind === SK.NonNullExpression
    || e.kind === SK.SatisfiesExpression || e.kind === SK.TypeAssertionExpression || e.kind === SK.AwaitExpression) {
    e = (e as ts.ParenthesizedExpression).expression;
  }
  return e;
}

const CONSOLE_METHODS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table', 'dirxml', 'group', 'groupCollapsed', 'assert']);
const LOG_METHODS = new Set(['info', 'debug', 'warn', 'warning', 'error', 'trace', 'fatal', 'log', 'verbose', 'silly', 'critical',
  'notice', 'http', 'emerg', 'alert', 'crit', 'success']);
/** Logger methods that add keys to every later line. */
const KEY_METHODS = new Set(['appendKeys', 'appendPersistentKeys', 'addPersistentLogAttributes', 'setPersistentLogAttributes', 'child',
  'defaultMeta']);
// (Powertools' `logger.addContext(context)` copies a fixed set of Lambda context fields, never what middleware added.)
const LOGGER_NAME = /^(?:\$?_*(?:log|logger|LOG|LOGGER|Log|Logger)|[A-Za-z_$][\w$]*(?:Logger|Log)|[A-Z_]*_(?:LOGGER|LOG))$/;
const LOGGER_MODULES = /^(?:pino|winston|bunyan|log4js|loglevel|signale|consola|roarr|tslog|@aws-lambda-powertools\/logger|@nestjs\/common|npmlog)$/;
const LOGGER_FACTORY = /^(?:pino|createLogger|getLogger|bunyan|winston|child|Logger|consola|createConsola|signale)$/;
const DEBUG_MODULES = new Set(['debug']);

function lastName(e: ts.Expression): string | undefined {
  const u = unwrap(e);
  if (tsv.isIdentifier(u)) return u.text;
  if (tsv.isPropertyAccessExpression(u)) return u.name.text;
  return undefined;
}

/** The variable's initializer, when `id` is a variable declared with one. */
function initializerOf(id: ts.Identifier, r: SinkResolver): ts.Expression | undefined {
  const d = r.resolve(id);
  if (!d || d.kind !== 'var' || !tsv.isVariableDeclaration(d.node) || d.node.name !== d.id) return undefined;
  return d.node.initializer;
}

/** Whether an expression is a logger: by its name, or by how it was made (`new Logger()`, `pino()`, `winston.createLogger()`). */
function isLogger(recv: ts.Expression, r: SinkResolver, depth = 0): boolean {
  const u = unwrap(recv);
  const name = lastName(u);
  if (name && LOGGER_NAME.test(name)) return true;
  if (depth > 2) return false;
  if (tsv.isIdentifier(u)) {
    const imp = r.importOf(u);
    if (imp) return LOGGER_MODULES.test(imp.module);
    const init = initializerOf(u, r);
    return !!init && isLoggerFactory(init, r, depth + 1);
  }
  return false;
}

function isLoggerFactory(init: ts.Expression, r: SinkResolver, depth: number): boolean {
  const u = unwrap(init);
  if (tsv.isNewExpression(u)) {
    const n = lastName(u.expression);
    if (n === 'Logger' || n === 'ConsoleLogger') return true;
    return tsv.isIdentifier(u.expression) && LOGGER_MODULES.test(r.importOf(u.expression)?.module ?? '');
  }
  if (tsv.isCallExpression(u)) {
    const callee = unwrap(u.expression);
    const n = lastName(callee);
    if (tsv.isIdentifier(callee)) {
      const imp = r.importOf(callee);
      if (imp) return LOGGER_MODULES.test(imp.module);
      if (n === 'require') return false;
    }
    if (tsv.isPropertyAccessExpression(callee)) {
      // `logger.child({…})`, `winston.createLogger(…)`, `require('pino')(…)`
      if (n === 'child' || n === 'createLogger' || n === 'getLogger') return true;
      return isLogger(callee.expression, r, depth + 1);
    }
    if (tsv.isCallExpression(callee)) return requiredModule(callee) !== undefined && LOGGER_MODULES.test(requiredModule(callee)!);
    return !!n && LOGGER_FACTORY.test(n) && n !== 'child';
  }
  return false;
}

/** pino's `redact: ['password', 'config.apiKey', '*.token']` (or `{ paths: [...] }`) on the logger a receiver was made by. */
function redactPaths(recv: ts.Expression, r: SinkResolver, depth = 0): string[][] | undefined {
  const u = unwrap(recv);
  if (depth > 2 || !tsv.isIdentifier(u)) return undefined;
  const init = initializerOf(u, r);
  const call = init && unwrap(init);
  if (!call || !tsv.isCallExpression(call)) return undefined;
  const callee = unwrap(call.expression);
  // log = parent.child({…}): the parent's redaction applies
  if (tsv.isPropertyAccessExpression(callee) && callee.name.text === 'child') return redactPaths(callee.expression, r, depth + 1);
  for (const a of call.arguments) {
    const o = unwrap(a);
    if (!tsv.isObjectLiteralExpression(o)) continue;
    const p = o.properties.find((x) => propName(x) === 'redact');
    if (!p || !tsv.isPropertyAssignment(p)) continue;
    let v = unwrap(p.initializer);
    if (tsv.isObjectLiteralExpression(v)) {
      const paths = v.properties.find((x) => propName(x) === 'paths');
      if (!paths || !tsv.isPropertyAssignment(paths)) return undefined;
      v = unwrap(paths.initializer);
    }
    if (!tsv.isArrayLiteralExpression(v)) return undefined;
    return v.elements.filter(tsv.isStringLiteralLike).map((x) => x.text.replace(/\[["']?([^\]"']+)["']?\]/g, '.$1').split('.').filter(Boolean));
  }
  return undefined;
}

function requiredModule(e: ts.Expression): string | undefined {
  const u = unwrap(e);
  if (tsv.isCallExpression(u) && tsv.isIdentifier(u.expression) && u.expression.text === 'require' && u.arguments[0] && tsv.isStringLiteralLike(u.arguments[0])) {
    return u.arguments[0].text;
  }
  return undefined;
}

/** `debug('app')`, `require('debug')('app')`, `createDebug('x')`, `util.debuglog('x')`, `console.log.bind(console)`. */
function isDebugFunction(id: ts.Identifier, r: SinkResolver): boolean {
  const init = initializerOf(id, r);
  if (!init) return false;
  const u = unwrap(init);
  if (tsv.isCallExpression(u)) {
    const callee = unwrap(u.expression);
    if (requiredModule(callee) && DEBUG_MODULES.has(requiredModule(callee)!)) return true;
    if (tsv.isIdentifier(callee)) {
      const imp = r.importOf(callee);
      if (imp && DEBUG_MODULES.has(imp.module)) return true;
      if (callee.text === 'debuglog') return true;
    }
    if (tsv.isPropertyAccessExpression(callee)) {
      if (callee.name.text === 'debuglog') return true;
      if (callee.name.text === 'bind' && tsv.isPropertyAccessExpression(callee.expression)) return isConsole(callee.expression.expression, r);
      if (callee.name.text === 'extend') return tsv.isIdentifier(callee.expression) && isDebugFunction(callee.expression, r);
    }
  }
  return false;
}

function isConsole(e: ts.Expression, r: SinkResolver): boolean {
  const u = unwrap(e);
  if (tsv.isIdentifier(u)) return u.text === 'console' && !r.resolve(u);
  // globalThis.console / window.console
  return tsv.isPropertyAccessExpression(u) && u.name.text === 'console' && tsv.isIdentifier(u.expression) && /^(globalThis|window|global)$/.test(u.expression.text);
}

const RESPONSE_RECEIVER = /^(res|resp|response|reply|h|ctx|context|c)$/;
const RESPONSE_METHODS = new Set(['json', 'send', 'jsonp', 'end', 'write', 'response']);
/** Chained setters on an Express/Fastify response: `res.status(200).json(x)`. */
const RESPONSE_CHAIN = new Set(['status', 'code', 'set', 'type', 'header', 'headers', 'append', 'cookie', 'vary', 'location', 'contentType']);

/** `res`, `res.status(200)`, `reply.code(201).header(…)`: the root response object's name. */
function responseRoot(e: ts.Expression): string | undefined {
  let u = unwrap(e);
  while (tsv.isCallExpression(u) && tsv.isPropertyAccessExpression(u.expression) && RESPONSE_CHAIN.has(u.expression.name.text)) {
    u = unwrap(u.expression.expression);
  }
  if (tsv.isIdentifier(u)) return u.text;
  // Koa: ctx.res.end(x)
  if (tsv.isPropertyAccessExpression(u) && u.name.text === 'res' && tsv.isIdentifier(u.expression)) return 'res';
  return undefined;
}

/** AWS SDK writes: the request field that carries the data written, by command class and by v2/v3-aggregated method. */
const STORAGE_COMMANDS = new Map<string, { service: string; fields: string[] }>(Object.entries({
  PutObjectCommand: { service: 'S3', fields: ['Body'] },
  UploadPartCommand: { service: 'S3', fields: ['Body'] },
  PutItemCommand: { service: 'DynamoDB', fields: ['Item'] },
  PutCommand: { service: 'DynamoDB', fields: ['Item'] },
  UpdateItemCommand: { service: 'DynamoDB', fields: ['ExpressionAttributeValues'] },
  UpdateCommand: { service: 'DynamoDB', fields: ['ExpressionAttributeValues'] },
  BatchWriteItemCommand: { service: 'DynamoDB', fields: ['RequestItems'] },
  BatchWriteCommand: { service: 'DynamoDB', fields: ['RequestItems'] },
  TransactWriteItemsCommand: { service: 'DynamoDB', fields: ['TransactItems'] },
  TransactWriteCommand: { service: 'DynamoDB', fields: ['TransactItems'] },
  SendMessageCommand: { service: 'SQS', fields: ['MessageBody', 'MessageAttributes'] },
  SendMessageBatchCommand: { service: 'SQS', fields: ['Entries'] },
}));
const STORAGE_METHODS = new Map<string, { service: string; fields: string[]; receiver: RegExp }>(Object.entries({
  putObject: { service: 'S3', fields: ['Body'], receiver: /s3|bucket|storage|client/i },
  upload: { service: 'S3', fields: ['Body'], receiver: /s3|bucket|storage/i },
  putItem: { service: 'DynamoDB', fields: ['Item'], receiver: /dynamo|ddb|db|table|doc|client/i },
  put: { service: 'DynamoDB', fields: ['Item'], receiver: /dynamo|ddb|doc|table/i },
  updateItem: { service: 'DynamoDB', fields: ['ExpressionAttributeValues'], receiver: /dynamo|ddb|db|table|doc|client/i },
  update: { service: 'DynamoDB', fields: ['ExpressionAttributeValues'], receiver: /dynamo|ddb|doc|table/i },
  batchWrite: { service: 'DynamoDB', fields: ['RequestItems'], receiver: /dynamo|ddb|doc|table|db|client/i },
  batchWriteItem: { service: 'DynamoDB', fields: ['RequestItems'], receiver: /dynamo|ddb|doc|table|db|client/i },
  transactWrite: { service: 'DynamoDB', fields: ['TransactItems'], receiver: /dynamo|ddb|doc|table|db|client/i },
  transactWriteItems: { service: 'DynamoDB', fields: ['TransactItems'], receiver: /dynamo|ddb|doc|table|db|client/i },
  sendMessage: { service: 'SQS', fields: ['MessageBody', 'MessageAttributes'], receiver: /sqs|queue|client/i },
  sendMessageBatch: { service: 'SQS', fields: ['Entries'], receiver: /sqs|queue|client/i },
}));

/** The request fields a write sends: the property's own expression when the request is written inline. */
function storageValues(arg: ts.Expression | undefined, fields: string[][]): SinkValue[] {
  if (!arg) return [];
  const out: SinkValue[] = [];
  for (const path of fields) {
    let expr = arg;
    let i = 0;
    for (; i < path.length; i++) {
      const o = unwrap(expr);
      if (!tsv.isObjectLiteralExpression(o)) break;
      const p = o.properties.find((x) => propName(x) === path[i]);
      if (!p) { if (!o.properties.some((x) => tsv.isSpreadAssignment(x))) i = -1; break; }
      if (tsv.isPropertyAssignment(p)) expr = p.initializer;
      else if (tsv.isShorthandPropertyAssignment(p)) expr = p.name;
      else { i = -1; break; }
    }
    if (i >= 0) out.push(i < path.length ? { expr, field: path.slice(i) } : { expr });
  }
  return out;
}

function statementOf(c: ts.Node): ts.ExpressionStatement | undefined {
  let p = c.parent;
  while (p && (p.kind === SK.AwaitExpression || p.kind === SK.ParenthesizedExpression || p.kind === SK.VoidExpression)) p = p.parent;
  return p && p.kind === SK.ExpressionStatement ? p as ts.ExpressionStatement : undefined;
}

const args = (c: ts.CallExpression | ts.NewExpression, from = 0): SinkValue[] => (c.arguments ?? []).slice(from).map((expr) => ({ expr }));

/** The sink a call is, if any. */
export function callSink(c: ts.CallExpression, r: SinkResolver): SinkSite | undefined {
  if (!c.arguments.length) return undefined;
  const callee = unwrap(c.expression);
  if (tsv.isPropertyAccessExpression(callee)) {
    const m = callee.name.text;
    const recv = callee.expression;
    if (CONSOLE_METHODS.has(m) && isConsole(recv, r)) {
      return { info: { kind: 'log', api: `console.${m}` }, node: c, values: args(c, m === 'assert' ? 1 : 0), statement: statementOf(c) };
    }
    if ((m === 'write') && tsv.isPropertyAccessExpression(unwrap(recv)) && /^std(out|err)$/.test((unwrap(recv) as ts.PropertyAccessExpression).name.text)
      && lastName((unwrap(recv) as ts.PropertyAccessExpression).expression) === 'process') {
      return { info: { kind: 'log', api: `process.${(unwrap(recv) as ts.PropertyAccessExpression).name.text}.write` }, node: c, values: args(c), statement: statementOf(c) };
    }
    if ((LOG_METHODS.has(m) || KEY_METHODS.has(m)) && isLogger(recv, r)) {
      const label = `${lastName(recv) ?? 'logger'}.${m}`;
      const redact = redactPaths(recv, r);
      return { info: { kind: 'log', api: label }, node: c, values: args(c), statement: KEY_METHODS.has(m) ? undefined : statementOf(c), ...(redact ? { redact } : {}) };
    }
    if ((m === 'setHeader' || m === 'header' || m === 'set' || m === 'append') && c.arguments.length >= 2 && /^(res|resp|response|reply)$/.test(responseRoot(recv) ?? '')) {
      return { info: { kind: 'response', api: `${responseRoot(recv)}.${m}` }, node: c, values: [{ expr: c.arguments[1] }] };
    }
    if (RESPONSE_METHODS.has(m)) {
      const root = responseRoot(recv);
      // `Response.json(x)`, `NextResponse.json(x)` (web/Next.js); `res.json(x)`, `reply.send(x)`, `h.response(x)`
      if ((m === 'json' && (root === 'Response' || root === 'NextResponse')) || (root && RESPONSE_RECEIVER.test(root) && (m !== 'response' || root === 'h'))) {
        if ((root === 'context' || root === 'ctx' || root === 'c') && m !== 'json' && m !== 'send') return undefined;
        return { info: { kind: 'response', api: `${root}.${m}` }, node: c, values: args(c, 0).slice(0, 1) };
      }
    }
    const st = STORAGE_METHODS.get(m);
    if (st && st.receiver.test(lastName(recv) ?? '') && tsv.isObjectLiteralExpression(unwrap(c.arguments[0]))) {
      return { info: { kind: 'storage', api: `${st.service} ${m}` }, node: c, values: storageValues(c.arguments[0], st.fields.map((f) => [f])) };
    }
    return undefined;
  }
  if (tsv.isIdentifier(callee)) {
    if (callee.text === 'Error' || /^(?:[A-Z]\w*)?Error$/.test(callee.text)) {
      if (r.resolve(callee)?.kind === 'function') return undefined; // a local function that happens to be named so
      return { info: { kind: 'error', api: callee.text }, node: c, values: args(c) };
    }
    if (isDebugFunction(callee, r)) return { info: { kind: 'log', api: `${callee.text} (debug)` }, node: c, values: args(c), statement: statementOf(c) };
    // const log = console.log
    const init = initializerOf(callee, r);
    const alias = init && unwrap(init);
    if (alias && tsv.isPropertyAccessExpression(alias) && CONSOLE_METHODS.has(alias.name.text) && isConsole(alias.expression, r)) {
      return { info: { kind: 'log', api: `${callee.text} (console.${alias.name.text})` }, node: c, values: args(c), statement: statementOf(c) };
    }
  }
  return undefined;
}

/** The sink a `new` is: an Error's message, an S3/DynamoDB/SQS write command, a web `Response`. */
export function newSink(n: ts.NewExpression): SinkSite | undefined {
  const a = n.arguments;
  if (!a?.length) return undefined;
  const name = lastName(n.expression);
  if (!name) return undefined;
  if (name === 'Error' || /Error$|Exception$/.test(name)) return { info: { kind: 'error', api: `new ${name}` }, node: n, values: args(n) };
  const st = STORAGE_COMMANDS.get(name);
  if (st) return { info: { kind: 'storage', api: `${st.service} ${name}` }, node: n, values: storageValues(a[0], st.fields.map((f) => [f])) };
  if (name === 'Upload') return { info: { kind: 'storage', api: 'S3 Upload' }, node: n, values: storageValues(a[0], [['params', 'Body']]) };
  if (name === 'Response' || name === 'NextResponse') return { info: { kind: 'response', api: `new ${name}` }, node: n, values: args(n).slice(0, 1) };
  return undefined;
}

function propName(p: ts.ObjectLiteralElementLike): string | undefined {
  const n = p.name;
  if (!n) return undefined;
  return tsv.isIdentifier(n) || tsv.isStringLiteralLike(n) ? n.text : undefined;
}

/**
 * An API Gateway / Function URL / ALB / Lambda@Edge result (`{ statusCode, body }`; a Function URL handler may return
 * `{ body }` alone): its body, headers and cookies are sent to the caller.
 */
export function responseObjectSink(o: ts.ObjectLiteralExpression, returnedByHandler = false): SinkSite | undefined {
  let status = returnedByHandler;
  const parts: ts.ObjectLiteralElementLike[] = [];
  for (const p of o.properties) {
    const n = propName(p);
    if (n === 'statusCode' || n === 'isBase64Encoded' || n === 'statusDescription') status = true;
    else if (n === 'body' || n === 'headers' || n === 'multiValueHeaders' || n === 'cookies') parts.push(p);
  }
  if (!status || !parts.length) return undefined;
  const values: SinkValue[] = [];
  for (const p of parts) {
    if (tsv.isPropertyAssignment(p)) values.push({ expr: p.initializer });
    else if (tsv.isShorthandPropertyAssignment(p)) values.push({ expr: p.name });
  }
  return values.length ? { info: { kind: 'response', api: 'the HTTP response' }, node: o, values } : undefined;
}

/** `request.response = x` (middy), `request.response.body = x`, `ctx.body = x` (Koa). */
export function assignmentSink(b: ts.BinaryExpression): SinkSite | undefined {
  if (b.operatorToken.kind !== SK.EqualsToken) return undefined;
  const l = unwrap(b.left);
  if (!tsv.isPropertyAccessExpression(l)) return undefined;
  const obj = unwrap(l.expression);
  if (l.name.text === 'response' && /^(request|handler|req)$/.test(lastName(obj) ?? '')) {
    return { info: { kind: 'response', api: 'the middy response' }, node: b, values: [{ expr: b.right, field: ['body'] }] };
  }
  if (l.name.text === 'body' && tsv.isPropertyAccessExpression(obj) && obj.name.text === 'response') {
    return { info: { kind: 'response', api: 'the middy response' }, node: b, values: [{ expr: b.right }] };
  }
  if (l.name.text === 'body' && tsv.isIdentifier(obj) && obj.text === 'ctx') {
    return { info: { kind: 'response', api: 'ctx.body' }, node: b, values: [{ expr: b.right }] };
  }
  return undefined;
}

/** `throw x` where x is not an Error being built (that one is the `new Error(…)` sink). */
export function throwSink(t: ts.ThrowStatement): SinkSite | undefined {
  const e = unwrap(t.expression);
  if (tsv.isNewExpression(e) || tsv.isCallExpression(e)) return undefined;
  return { info: { kind: 'error', api: 'throw' }, node: t, values: [{ expr: t.expression }] };
}
