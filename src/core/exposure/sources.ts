// Where secrets come from: SDK and Powertools fetches (through the Lambda model's fetch sites), secret-named
// environment variables, middy's secrets middlewares, and the Parameters and Secrets Lambda Extension over HTTP.
import { type ts, tsv } from '../ts';
import type { FetchCall, FileModel } from '../lambda/model';
import { findProp } from '../lambda/model';
import { decryptionState, hintLooksSecret, secureNames } from '../lambda/secure';
import { looksSecretName, nonSensitiveKind } from '../lambda/names';
import { isRelevantText } from '../lambda/sdk';
import { extraWordSet, isReferenceName, isSecretName } from '../secrets/names';
import { isCredentialText } from '../secrets/detect';
import type { ParameterKind } from '../types';
import { ANY, JSON_FIELD, type Fact, type Source, type Taint } from './taint';

const SK = tsv.SyntaxKind;

export interface SourceOptions {
  parameterKind: (name: string) => ParameterKind | undefined;
  secretWords: readonly string[];
}

const MARKER = /aws-sdk|lambda-powertools|process\.env|2773|secretsmanager\/get|parameters\/get|@middy\/|middy\/middlewares/g;

/**
 * A cheap look at the text (one scan): could this file read a secret at all? An SDK import counts only when it is an SSM
 * or Secrets Manager client (or Powertools), as the Lambda model decides (`@aws-sdk/client-s3` alone does not).
 */
export function hasSourceMarker(text: string): boolean {
  MARKER.lastIndex = 0;
  let sdkChecked = false;
  for (let m = MARKER.exec(text); m; m = MARKER.exec(text)) {
    if (m[0] !== 'aws-sdk' && m[0] !== 'lambda-powertools') return true;
    if (!sdkChecked) { sdkChecked = true; if (isRelevantText(text)) return true; }
  }
  return false;
}

function quoted(names: readonly string[]): string {
  const shown = names.slice(0, 2).map((n) => `"${n}"`).join(', ');
  return names.length > 2 ? `${shown}, …` : shown;
}

function unwrap(e: ts.Expression): ts.Expression {
  while (e.kind === SK.ParenthesizedExpression || e.kind === SK.AsExpression || e.kind === SK.NonNullExpression
    || e.kind === SK.SatisfiesExpression || e.kind === SK.TypeAssertionExpression) e = (e as ts.ParenthesizedExpression).expression;
  return e;
}

// ---------------------------------------------------------------------------------------------
// SDK and Powertools fetches

/** Whether an SSM read returns a secret: a SecureString or secret-looking name, or decrypted names not known to be plain config. */
function ssmIsSecret(f: FetchCall, o: SourceOptions): boolean {
  if (secureNames(f, o.parameterKind, o.secretWords)) return true;
  const dec = decryptionState(f);
  if (dec !== 'yes') return false;
  if (f.op === 'GetParametersByPath' || f.op === 'GetParameters') return true;
  const plain = (n: string) => {
    let kind: ParameterKind | undefined;
    try { kind = o.parameterKind(n); } catch { kind = undefined; }
    return kind === 'String' || kind === 'StringList' || nonSensitiveKind(n, o.secretWords) !== undefined;
  };
  if (f.names.length) return !f.names.every(plain);
  const hint = f.nameHints[0];
  if (hint) return hintLooksSecret(hint, o.secretWords) || !nonSensitiveKind(hint.replace(/[_-]?(param(eter)?|name|path|arn|id)$/i, ''), o.secretWords);
  return true;
}

function fetchLabel(f: FetchCall): string {
  const api = f.style === 'powertools' ? 'Powertools' : f.op;
  if (f.op === 'GetSecretValue' || f.op === 'BatchGetSecretValue') {
    const what = f.op === 'BatchGetSecretValue' ? 'the secrets' : 'the secret';
    if (f.names.length) return `${what} ${quoted(f.names)} (${api})`;
    if (f.nameHints.length) return `${what} named by ${f.nameHints[0]} (${api})`;
    return `${f.op === 'BatchGetSecretValue' ? 'secrets' : 'a secret'} read with ${f.op}`;
  }
  const what = f.op === 'GetParametersByPath' ? 'the parameters under' : f.op === 'GetParameters' ? 'the parameters' : 'the parameter';
  if (f.names.length) return `${what} ${quoted(f.names)} (${api})`;
  if (f.nameHints.length) return `${what} named by ${f.nameHints[0]} (${api})`;
  return `a parameter read with ${f.op}`;
}

/** Whether a Powertools call asks for a JSON transform (the value is then an object). */
function jsonTransform(f: FetchCall): boolean {
  const p = f.ptOptions && findProp(f.ptOptions, 'transform');
  if (!p || p.kind !== SK.PropertyAssignment) return false;
  const v = unwrap((p as ts.PropertyAssignment).initializer);
  return tsv.isStringLiteralLike(v) && /^(json|auto)$/i.test(v.text);
}

/**
 * The taint of what a fetch's expression evaluates to (the response, or the value for Powertools), or undefined when it
 * reads no secret.
 */
export function fetchTaint(f: FetchCall, o: SourceOptions): Taint | undefined {
  if (f.service === 'ssm' && !ssmIsSecret(f, o)) return undefined;
  // plain configuration kept in Secrets Manager (`…/users-table-name`) is nonsensitive-in-secrets-manager's finding, not a secret
  if (f.service === 'secretsmanager' && f.names.length && f.names.every((n) => nonSensitiveKind(n, o.secretWords))) return undefined;
  const several = f.op === 'GetParametersByPath' || f.op === 'GetParameters';
  const mixed = several && !(f.names.length && f.names.every((n) => looksSecretName(n, o.secretWords)));
  const source: Source = {
    kind: f.service === 'ssm' ? 'parameter' : 'secret', label: fetchLabel(f), names: [...f.names], ...(mixed ? { mixed } : {}),
  };
  const at = (...segs: string[]): Fact => ({ origin: source, at: segs });
  if (f.style === 'powertools') {
    if (several || (f.receiver && f.call.expression.kind === SK.PropertyAccessExpression
      && (f.call.expression as ts.PropertyAccessExpression).name.text === 'getMultiple')) return [at(ANY)];
    return [jsonTransform(f) ? at(JSON_FIELD) : at()];
  }
  const response = ((): Fact[] => {
    switch (f.op) {
      case 'GetSecretValue': return [at('SecretString'), at('SecretBinary')];
      case 'BatchGetSecretValue': return [at('SecretValues', ANY, 'SecretString'), at('SecretValues', ANY, 'SecretBinary')];
      case 'GetParameter': return [at('Parameter', 'Value')];
      default: return [at('Parameters', ANY, 'Value')];
    }
  })();
  // a v3 paginator (`for await (const page of paginateGetParametersByPath(…))`) yields one response per page
  return f.paginator ? response.map((x) => ({ ...x, at: [ANY, ...x.at] })) : response;
}

// ---------------------------------------------------------------------------------------------
// Environment variables

const CREDENTIAL_URL = /(^|_)(DATABASE_URL|DB_URL|DB_URI|DSN|CONNECTION_STRING|CONN_STR|WEBHOOK_URL|MONGO(DB)?_URI|MONGO(DB)?_URL|REDIS_URL|AMQP_URL)$/i;

/** A secret-named environment variable (not one that holds a reference: `DB_SECRET_ARN`, `API_KEY_PARAM`). */
/** Variables bundlers ship to the browser by design (`NEXT_PUBLIC_…`, `VITE_…`), and public or publishable keys. */
const PUBLIC_ENV = /^(?:NEXT_PUBLIC|VITE|REACT_APP|EXPO_PUBLIC|GATSBY|PUBLIC|NUXT_PUBLIC|VUE_APP)_|(?:^|_)(?:PUBLIC|PUBLISHABLE)(?:_|$)/i;

export function envIsSecret(name: string, secretWords: readonly string[]): boolean {
  if (PUBLIC_ENV.test(name)) return false;
  if (CREDENTIAL_URL.test(name)) return true;
  return isSecretName(name, extraWordSet(secretWords)) && !isReferenceName(name);
}

export function envSource(name: string): Source {
  return { kind: 'env', label: `process.env.${name}`, names: [name] };
}

// ---------------------------------------------------------------------------------------------
// middy

const MIDDY_MODULES = new Set(['@middy/secrets-manager', '@middy/ssm', 'middy/middlewares']);

/**
 * `secretsManager({ fetchData: { apiKey: 'prod/api' }, setToContext: true })`, `ssm({ fetchData | names | … })`: the keys
 * the middleware fills (in `context` and, for middy 0.x/1.x, `process.env`), each with its source. Undefined when the call
 * is not such a middleware.
 */
export function middySources(c: ts.CallExpression, fm: FileModel, secretWords: readonly string[]): Map<string, Source> | undefined {
  const callee = unwrap(c.expression);
  if (!tsv.isIdentifier(callee)) return undefined;
  const b = fm.imports.get(callee.text);
  if (!b || !MIDDY_MODULES.has(b.module)) return undefined;
  const legacy = b.module === 'middy/middlewares';
  if (legacy && b.name !== 'ssm' && b.name !== 'secretsManager') return undefined;
  const ssm = b.module === '@middy/ssm' || (legacy && b.name === 'ssm');
  const arg = c.arguments[0] && unwrap(c.arguments[0]);
  if (!arg || !tsv.isObjectLiteralExpression(arg)) return undefined;
  const out = new Map<string, Source>();
  for (const key of ['fetchData', 'names', 'secrets']) {
    const p = findProp(arg, key);
    const obj = p && tsv.isPropertyAssignment(p) ? unwrap(p.initializer) : undefined;
    if (!obj || !tsv.isObjectLiteralExpression(obj)) continue;
    for (const prop of obj.properties) {
      if (!tsv.isPropertyAssignment(prop)) continue;
      const k = tsv.isIdentifier(prop.name) || tsv.isStringLiteralLike(prop.name) ? prop.name.text : undefined;
      if (!k) continue;
      const v = unwrap(prop.initializer);
      const name = tsv.isStringLiteralLike(v) && !isCredentialText(v.text) ? v.text : undefined;
      // middy's ssm middleware decrypts every name: a table name is still not a secret
      if (ssm && !(isSecretName(k, extraWordSet(secretWords)) || (name !== undefined && looksSecretName(name, secretWords)))) continue;
      const what = ssm ? 'parameter' : 'secret';
      out.set(k, {
        kind: 'middy', names: name ? [name] : [],
        label: `the ${what} ${name ? `"${name}"` : `"${k}"`} (middy ${ssm ? 'ssm' : 'secrets-manager'} middleware, as ${k})`,
      });
    }
  }
  return out.size ? out : undefined;
}

// ---------------------------------------------------------------------------------------------
// The Parameters and Secrets Lambda Extension (HTTP on localhost:2773)

const EXTENSION_URL = /:2773\/|\/secretsmanager\/get\b|\/systemsmanager\/parameters\/get\b/;

/** Static text of a URL expression (`${…}` parts become `{}`), through a module or local const. */
export function urlText(e: ts.Expression | undefined, constText: (id: ts.Identifier) => ts.Expression | undefined, depth = 0): string | undefined {
  if (!e || depth > 3) return undefined;
  const u = unwrap(e);
  if (tsv.isStringLiteralLike(u)) return u.text;
  if (tsv.isTemplateExpression(u)) {
    let t = u.head.text;
    for (const s of u.templateSpans) t += (urlText(s.expression, constText, depth + 1) ?? '{}') + s.literal.text;
    return t;
  }
  if (tsv.isBinaryExpression(u) && u.operatorToken.kind === SK.PlusToken) {
    return (urlText(u.left, constText, depth + 1) ?? '{}') + (urlText(u.right, constText, depth + 1) ?? '{}');
  }
  if (tsv.isIdentifier(u)) return urlText(constText(u), constText, depth + 1);
  if (tsv.isNewExpression(u) && tsv.isIdentifier(u.expression) && u.expression.text === 'URL') return urlText(u.arguments?.[0], constText, depth + 1);
  return undefined;
}

/** The taint of a call to the extension's HTTP endpoint (the response; `.json()` and axios' `.data` both lead to the body). */
export function extensionTaint(url: string, o: SourceOptions): Taint | undefined {
  if (!EXTENSION_URL.test(url)) return undefined;
  const secret = /\/secretsmanager\/get\b/.test(url);
  const param = /[?&](?:secretId|name)=([^&#]*)/.exec(url)?.[1];
  let name = param && param !== '{}' && !param.includes('{}') ? decodeURIComponentSafe(param) : undefined;
  if (name && isCredentialText(name)) name = undefined;
  if (!secret) {
    if (!/\/systemsmanager\/parameters\/get\b/.test(url)) return undefined;
    const decrypted = /[?&]withDecryption=true\b/i.test(url);
    const secretName = name !== undefined && looksSecretName(name, o.secretWords);
    if (!decrypted && !secretName) return undefined;
    if (decrypted && name !== undefined && !secretName && nonSensitiveKind(name, o.secretWords)) return undefined;
  }
  const label = `${secret ? 'the secret' : 'the parameter'}${name ? ` "${name}"` : ''} (Parameters and Secrets Lambda Extension)`;
  const source: Source = { kind: 'extension', label, names: name ? [name] : [] };
  const body: string[][] = secret ? [['SecretString'], ['SecretBinary']] : [['Parameter', 'Value']];
  return [...body.map((at) => ({ origin: source, at })), ...body.map((at) => ({ origin: source, at: ['data', ...at] }))];
}

function decodeURIComponentSafe(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}
