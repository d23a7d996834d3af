// Fetch sites: the calls that read a parameter or secret (SDK v3 `send(command)`, v2 and v3-aggregated methods,
// Powertools functions and providers), with their request object and the names they read when known statically.
import { type ts, tsv } from '../ts';
import { credentialText } from './names';
import { CLIENTISH, clientClass, commandOp, isWrapper, receiverName, type ClientClass } from './clients';
import { resolveSdk } from './file';
import {
  EXTENSION_PATHS, METHODS, MIDDY_MIDDLEWARES, PAGINATORS, POWERTOOLS_FUNCTIONS, isPowertoolsModule, serviceOf, type ApiStyle, type Operation,
} from './sdk';
import { declarationIn, isFunctionNode, propName, propValue, unwrap } from './syntax';
import type { FetchCall, FileModel } from './types';

/** What the scan knows when it meets a call: the file, the client variables seen so far, the command variables. */
export interface CallContext {
  m: FileModel;
  clientVars: ReadonlyMap<string, Omit<ClientClass, 'className'>>;
  /** The file imports SDK v2 / any SSM or Secrets Manager SDK. */
  hasV2: boolean;
  hasSdk: boolean;
  /** `const command = new GetSecretValueCommand(…)` visible at this identifier. */
  commandVar(id: ts.Identifier): { op: Operation; node: ts.NewExpression } | undefined;
  /** The file mentions the Parameters and Secrets Lambda Extension's URL paths. */
  extension: boolean;
}

/** The fetch a call makes, or undefined. Recognises each API style in turn. */
export function fetchOfCall(cx: CallContext, c: ts.CallExpression): FetchCall | undefined {
  const callee = c.expression;
  if (tsv.isPropertyAccessExpression(callee) && callee.name.text === 'send' && c.arguments.length >= 1) return sendFetch(cx, c, callee);
  const b = resolveSdk(cx.m, callee);
  if (b) {
    // Powertools functions: getParameter('/x', { maxAge: 0 })
    if (isPowertoolsModule(b.module) && POWERTOOLS_FUNCTIONS[b.name]) return powertoolsFetch(cx.m, c, POWERTOOLS_FUNCTIONS[b.name], false);
    const pg = PAGINATORS[b.module]?.[b.name];
    if (pg) return paginatorFetch(cx.m, c, pg);
    const mw = MIDDY_MIDDLEWARES[b.module]?.[b.name];
    if (mw) return middyFetch(cx.m, c, mw);
  }
  if (cx.extension) { const ext = extensionFetch(cx.m, c); if (ext) return ext; }
  if (!tsv.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  if (method === 'get' || method === 'getMultiple' || method === 'getParametersByName') return providerFetch(cx, c, callee);
  return methodFetch(cx, c, callee);
}

/** `paginateGetParametersByPath({ client }, { Path })`: every page is a call, on every iteration of the `for await`. */
function paginatorFetch(m: FileModel, c: ts.CallExpression, op: Operation): FetchCall {
  const { obj, inline } = resolveObject(m, c.arguments[1]);
  const config = resolveObject(m, c.arguments[0]).obj;
  return withNames(m, {
    call: c, expr: c, op, service: serviceOf(op), style: 'v3', input: obj, inputInline: inline, paginator: true,
    receiver: config ? propValue(config, 'client') : undefined, names: [], exactNames: [], nameHints: [], cachedByLibrary: false, callback: false,
  });
}

/**
 * middy: `ssm({ fetchData: { key: '/app/x' }, cacheExpiry: 0 })` fetches before every invocation when `cacheExpiry` is 0
 * (the default, -1, caches for the life of the container). middy 0.x/1.x name the map `names`.
 */
function middyFetch(m: FileModel, c: ts.CallExpression, service: 'ssm' | 'secretsmanager'): FetchCall | undefined {
  const { obj } = resolveObject(m, c.arguments[0]);
  const op: Operation = service === 'ssm' ? 'GetParameters' : 'GetSecretValue';
  const f: FetchCall = {
    call: c, expr: c, op, service, style: 'middy', input: obj, inputInline: true, names: [], exactNames: [], nameHints: [],
    cachedByLibrary: !(obj && isLiteral(propValue(obj, 'cacheExpiry'), 'zero')), callback: false,
  };
  const data = obj && (propValue(obj, 'fetchData') ?? propValue(obj, 'names'));
  const map = data && unwrap(data);
  if (map && tsv.isObjectLiteralExpression(map)) {
    for (const p of map.properties) if (tsv.isPropertyAssignment(p)) addName(m, f, p.initializer);
  }
  return f;
}

/**
 * The Parameters and Secrets Lambda Extension: `fetch(`http://localhost:2773/systemsmanager/parameters/get?name=…`)`,
 * `axios.get(url)`, `http.get(url, …)`. The extension caches, so it is never per-invocation work; it is still a read
 * that the role must allow.
 */
function extensionFetch(m: FileModel, c: ts.CallExpression): FetchCall | undefined {
  const url = c.arguments[0] && urlText(m, c.arguments[0], c);
  if (!url) return undefined;
  const op: Operation | undefined = url.includes(EXTENSION_PATHS.parameter) ? 'GetParameter' : url.includes(EXTENSION_PATHS.secret) ? 'GetSecretValue' : undefined;
  if (!op) return undefined;
  const f: FetchCall = {
    call: c, expr: c, op, service: serviceOf(op), style: 'extension', input: undefined, inputInline: false, names: [], exactNames: [], nameHints: [],
    cachedByLibrary: true, callback: false, url,
  };
  const q = new RegExp(`[?&]${op === 'GetParameter' ? 'name' : 'secretId'}=([^&#]*)`).exec(url);
  if (q && q[1] && !q[1].includes('{}') && !credentialText(q[1])) {
    const n = safeDecode(q[1]);
    f.names.push(n);
    f.exactNames.push(n);
  } else if (q && q[1] && q[1] !== '{}') f.names.push(safeDecode(q[1]));
  return f;
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

/** The static text of a URL argument: a literal, a template (`{}` for substitutions), or a local `const` holding one. */
function urlText(m: FileModel, e: ts.Expression, at: ts.Node): string | undefined {
  const u = unwrap(e) as ts.Expression;
  const s = staticText(m, u);
  if (s) return s.text;
  if (!tsv.isIdentifier(u)) return undefined;
  for (let p: ts.Node | undefined = at.parent; p; p = p.parent) {
    if (!isFunctionNode(p)) continue;
    const d = declarationIn(p, u.text);
    if (d?.initializer) return staticText(m, d.initializer)?.text;
  }
  return undefined;
}

/** v3: `client.send(new GetParameterCommand(input))` / `client.send(command)`. */
function sendFetch(cx: CallContext, c: ts.CallExpression, callee: ts.PropertyAccessExpression): FetchCall | undefined {
  const m = cx.m;
  const a = unwrap(c.arguments[0]);
  let op: Operation | undefined; let cmd: ts.NewExpression | undefined;
  if (tsv.isNewExpression(a)) { op = commandOp(m, a.expression); cmd = a; }
  else if (tsv.isIdentifier(a)) { const v = cx.commandVar(a); if (v) { op = v.op; cmd = v.node; } }
  if (!op || !cmd) return undefined;
  const { obj, inline } = resolveObject(m, cmd.arguments?.[0]);
  return withNames(m, {
    call: c, expr: c, op, service: serviceOf(op), style: 'v3', input: obj, inputInline: inline && tsv.isNewExpression(a),
    command: cmd, receiver: callee.expression, names: [], exactNames: [], nameHints: [], cachedByLibrary: false, callback: false,
  });
}

/** Powertools providers: `provider.get('/x', { forceFetch: true })`, `provider.getMultiple('/path')`. */
function providerFetch(cx: CallContext, c: ts.CallExpression, callee: ts.PropertyAccessExpression): FetchCall | undefined {
  const recv = callee.expression;
  const rn = receiverName(recv);
  const u = unwrap(recv);
  const inline = tsv.isNewExpression(u) ? clientClass(cx.m, u.expression) : undefined;
  const cv = inline ?? (rn ? cx.clientVars.get(rn) : undefined);
  if (!cv || cv.kind !== 'provider') return undefined;
  const method = callee.name.text;
  // SecretsProvider implements `get` only (its getMultiple throws): a call of a method it lacks reads nothing.
  if (cv.service === 'secretsmanager' && method !== 'get') return undefined;
  const op: Operation = cv.service === 'secretsmanager' ? 'GetSecretValue' : method === 'get' ? 'GetParameter'
    : method === 'getParametersByName' ? 'GetParameters' : 'GetParametersByPath';
  // A provider built per call has an empty cache every time.
  const fresh = !!inline || (!!rn && tsv.isIdentifier(unwrap(recv)) && !cx.m.moduleNames.has(rn));
  return powertoolsFetch(cx.m, c, op, fresh);
}

/** v2 and v3-aggregated: `ssm.getParameter(input).promise()`, `sm.getSecretValue(input, callback)`, `await ssm.getParameter(…)`. */
function methodFetch(cx: CallContext, c: ts.CallExpression, callee: ts.PropertyAccessExpression): FetchCall | undefined {
  const op = METHODS[callee.name.text];
  if (!op) return undefined;
  const recv = callee.expression;
  const style = methodStyle(cx, recv, op);
  if (!style || style === 'v3') return undefined;
  let expr: ts.Expression = c;
  let callback = false;
  const last = c.arguments[c.arguments.length - 1];
  if (tsv.isPropertyAccessExpression(c.parent) && c.parent.expression === c && c.parent.name.text === 'promise'
    && tsv.isCallExpression(c.parent.parent) && c.parent.parent.expression === c.parent) {
    expr = c.parent.parent;
  } else if (last && (tsv.isArrowFunction(last) || tsv.isFunctionExpression(last)) && c.arguments.length >= 2) {
    callback = true;
  } else if (style === 'v2') {
    // `.send(cb)`, `.eachPage(cb)` (every page a call), `.eachItem(cb)`; a request never sent reads nothing
    const sent = tsv.isPropertyAccessExpression(c.parent) && /^(send|eachPage|eachItem|createReadStream)$/.test(c.parent.name.text);
    if (!sent) return undefined;
    if (tsv.isPropertyAccessExpression(c.parent) && c.parent.name.text !== 'send') callback = true;
  }
  const { obj, inline } = resolveObject(cx.m, c.arguments[0]);
  return withNames(cx.m, {
    call: c, expr, op, service: serviceOf(op), style, input: obj, inputInline: inline, receiver: recv, names: [], exactNames: [], nameHints: [],
    cachedByLibrary: false, callback,
  });
}

/** The API style of a method call's receiver: a client built inline or held in a known variable, or a client-ish name. */
function methodStyle(cx: CallContext, recv: ts.Expression, op: Operation): ApiStyle | undefined {
  const u = unwrap(recv);
  if (tsv.isNewExpression(u)) {
    const cc = clientClass(cx.m, u.expression);
    return cc && cc.kind === 'client' && cc.service === serviceOf(op) ? cc.style : undefined;
  }
  const rn = receiverName(recv);
  const cv = rn ? cx.clientVars.get(rn) : undefined;
  if (cv && cv.kind === 'client') return cv.service === serviceOf(op) ? cv.style : undefined;
  if (!cv && rn && cx.hasSdk && CLIENTISH.test(rn) && !isWrapper(cx.m, rn, u)) return cx.hasV2 ? 'v2' : 'v3-aggregated';
  return undefined;
}

/** A Powertools read (function or provider); `fresh` when the provider is built per call (its cache is always empty). */
function powertoolsFetch(m: FileModel, c: ts.CallExpression, op: Operation, fresh: boolean): FetchCall {
  const { obj } = resolveObject(m, c.arguments[1]);
  const uncached = !!obj && (isLiteral(propValue(obj, 'maxAge'), 'zero') || isLiteral(propValue(obj, 'forceFetch'), 'true'));
  return withNames(m, {
    call: c, expr: c, op, service: serviceOf(op), style: 'powertools', input: undefined, inputInline: false, names: [], exactNames: [], nameHints: [],
    cachedByLibrary: !uncached && !fresh, ptOptions: obj, callback: false,
    receiver: tsv.isPropertyAccessExpression(c.expression) ? c.expression.expression : undefined,
  });
}

function isLiteral(e: ts.Expression | undefined, want: 'zero' | 'true'): boolean {
  if (!e) return false;
  const u = unwrap(e);
  if (want === 'zero') return tsv.isNumericLiteral(u) && Number(u.text) === 0;
  return u.kind === tsv.SyntaxKind.TrueKeyword;
}

/** The request object of a call: the literal written in it, or the object a variable of the file was set to. */
export function resolveObject(m: FileModel, e: ts.Expression | undefined): { obj?: ts.ObjectLiteralExpression; inline: boolean } {
  if (!e) return { inline: false };
  const u = unwrap(e);
  if (tsv.isObjectLiteralExpression(u)) return { obj: u, inline: true };
  if (tsv.isIdentifier(u)) return { obj: m.objectVars.get(u.text), inline: false };
  return { inline: false };
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

/** Record the name an expression holds (never a credential pasted as a name), or the variable it comes from. */
function addName(m: FileModel, f: FetchCall, e: ts.Expression | undefined): void {
  const s = staticText(m, e);
  if (!s) {
    const h = e && nameHint(e);
    if (h) f.nameHints.push(h);
    return;
  }
  if (credentialText(s.text)) return; // a secret pasted where a name belongs: never echo it
  f.names.push(s.text);
  if (s.exact) f.exactNames.push(s.text);
}

/** Fill `names`, `exactNames` and `nameHints` of a fetch from its request. */
function withNames(m: FileModel, f: FetchCall): FetchCall {
  const add = (e: ts.Expression | undefined) => addName(m, f, e);
  if (f.style === 'powertools') {
    const a = f.call.arguments[0];
    if (a && tsv.isObjectLiteralExpression(unwrap(a))) {
      // getParametersByName({ '/a': {…}, '/b': {…} })
      for (const p of (unwrap(a) as ts.ObjectLiteralExpression).properties) {
        const n = propName(p.name);
        if (n !== undefined && !credentialText(n)) { f.names.push(n); f.exactNames.push(n); }
      }
    } else add(a);
    return f;
  }
  if (!f.input) return f;
  switch (f.op) {
    case 'GetParameter': add(propValue(f.input, 'Name')); break;
    case 'GetParametersByPath': add(propValue(f.input, 'Path')); break;
    case 'GetSecretValue': add(propValue(f.input, 'SecretId')); break;
    case 'GetParameters':
    case 'BatchGetSecretValue': {
      const v = propValue(f.input, f.op === 'GetParameters' ? 'Names' : 'SecretIdList');
      const arr = v && unwrap(v);
      if (arr && tsv.isArrayLiteralExpression(arr)) for (const el of arr.elements) add(el);
      break;
    }
  }
  return f;
}
