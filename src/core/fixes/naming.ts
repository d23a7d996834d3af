// Names for the code fixes generate: a loader is named after what it loads (`loadOrdersConfig`,
// `loadDatabaseCredentials`), a value after the parameter or secret it holds. Never numbered: when a name is
// taken the next candidate says more (the handler it serves), and only when every candidate is taken does the
// planner fall back to a number.
import * as nodePath from 'node:path';
import { tsv, type ts } from '../ts';
import type { FetchCall } from '../lambda/model';
import { lastSegment, nameWords } from '../lambda/names';
import type { FnLike } from './common';

const STAGE = /^(dev|develop|development|test|testing|qa|uat|stage|staging|stg|prod|production|prd|preprod|sandbox|demo|local|int|live|env|shared|common|global|default|v\d+)$/;
/** Last segments that say little alone (`/orders/config`): the segment before them is kept too. */
const GENERIC_TAIL = new Set(['config', 'configuration', 'settings', 'setting', 'params', 'parameters', 'parameter', 'value', 'values',
  'secret', 'secrets', 'credentials', 'creds', 'key', 'keys', 'json', 'data', 'options', 'props', 'properties', 'vars', 'env']);
const GENERIC_HANDLER = /^(handler|main|lambda|lambdahandler|index|run|execute|invoke|default|fn|func|process|handle|app|api|base|basehandler)$/i;
const GENERIC_FILE = /^(index|handler|handlers|main|app|lambda|function|functions|src|lib)$/i;

const RESERVED = new Set(('break case catch class const continue debugger default delete do else enum export extends false finally for function if '
  + 'import in instanceof new null return super switch this throw true try typeof var void while with implements interface let package private '
  + 'protected public static yield await async of undefined NaN Infinity arguments eval require module exports').split(' '));

/** A name generated code may declare: an identifier, not a reserved word (strict mode included) nor a global it would hide. */
export function isUsableName(name: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(name) && !RESERVED.has(name);
}

function pascal(words: string[]): string {
  return words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

function identifierWords(words: string[]): string[] {
  const out = words.filter((w) => /^[a-z0-9]+$/.test(w));
  while (out.length && /^\d/.test(out[0])) out.shift();
  return out;
}

/** Words of a parameter or secret name: its last segment, with the one before when the last says little. */
export function nameOfValue(name: string): string[] {
  const clean = name.replace(/\{\}/g, '');
  const tail = identifierWords(nameWords(lastSegment(clean)));
  if (tail.length && !(tail.length === 1 && GENERIC_TAIL.has(tail[0]))) return tail;
  const segments = clean.replace(/^arn:[^/]*[:/]/, '').split('/').filter(Boolean).slice(0, -1).reverse();
  for (const seg of segments) {
    const w = identifierWords(nameWords(seg));
    if (w.length && !w.every((x) => STAGE.test(x))) return [...w.filter((x) => !STAGE.test(x)), ...tail];
  }
  return tail;
}

/** The words common to several names, from the most specific path segment they share. */
function sharedWords(names: string[]): string[] {
  const split = names.map((n) => n.replace(/\{\}/g, '').split('/').filter(Boolean));
  const shared: string[] = [];
  for (let i = 0; split.every((s) => i < s.length - 1 && s[i] === split[0][i]); i++) shared.push(split[0][i]);
  for (const seg of shared.reverse()) {
    const w = identifierWords(nameWords(seg)).filter((x) => !STAGE.test(x));
    if (w.length) return w;
  }
  return [];
}

/** The name of the function a handler is: `handler`, `refundHandler`, the variable a middy-wrapped function is assigned to. */
export function functionName(fn: FnLike): string | undefined {
  if ((tsv.isFunctionDeclaration(fn) || tsv.isFunctionExpression(fn) || tsv.isMethodDeclaration(fn)) && fn.name && tsv.isIdentifier(fn.name)) return fn.name.text;
  let p: ts.Node = fn.parent;
  while (p && (tsv.isParenthesizedExpression(p) || tsv.isCallExpression(p) || tsv.isAsExpression(p) || tsv.isSatisfiesExpression(p))) p = p.parent;
  if (p && tsv.isVariableDeclaration(p) && tsv.isIdentifier(p.name)) return p.name.text;
  if (p && tsv.isPropertyAssignment(p) && (tsv.isIdentifier(p.name) || tsv.isStringLiteral(p.name))) return p.name.text;
  if (p && tsv.isBinaryExpression(p) && tsv.isPropertyAccessExpression(p.left)) return p.left.name.text; // exports.handler = …
  return undefined;
}

function handlerWords(fn: FnLike): string[] {
  const name = functionName(fn);
  if (!name || GENERIC_HANDLER.test(name)) return [];
  const words = identifierWords(nameWords(name));
  while (words.length > 1 && /^(handler|handle|lambda|fn|function)$/.test(words[words.length - 1])) words.pop();
  if (words[0] === 'handle' && words.length > 1) words.shift();
  return words;
}

/** Candidate names of the loader of `fetches` in `fn`, best first. */
export function loaderNames(fetches: FetchCall[], fn: FnLike, path: string): string[] {
  const names = fetches.flatMap((f) => f.names).filter(Boolean);
  const handler = handlerWords(fn);
  const fileWords = identifierWords(nameWords(nodePath.basename(path).replace(/\.[^.]+$/, '')));
  const file = fileWords.length && !GENERIC_FILE.test(fileWords.join('')) ? fileWords : [];
  const out: string[] = [];
  const add = (words: string[], suffix = '') => {
    if (!words.length) return;
    const n = 'load' + pascal(words) + suffix;
    if (!out.includes(n)) out.push(n);
  };
  const what = fetches.length === 1 && names.length === 1 ? nameOfValue(names[0]) : [];
  const shared = names.length > 1 ? sharedWords(names) : [];
  const configOf = (w: string[]) => (w.length && GENERIC_TAIL.has(w[w.length - 1]) ? w : [...w, 'config']);
  if (what.length) add(what);
  else {
    if (handler.length) add(configOf(handler));
    if (shared.length) add(configOf(shared));
    if (file.length) add(configOf(file));
  }
  if (handler.length) {
    if (what.length) add([...what], 'For' + pascal(handler));
    add(configOf(handler));
  }
  if (what.length && file.length) add(what, 'For' + pascal(file));
  add(['config']);
  add(['cached', 'config']);
  return out.filter(isUsableName);
}

const GENERIC_BINDING = /^(res|resp|response|result|results|out|output|data|r|raw|param|parameter|secret|value|val|p|s|x|ret|reply|payload|got|item|obj|json)$/i;

/** Whether a variable name says nothing about what it holds (`res`, `response`, `data`). */
export function isGenericBinding(name: string): boolean {
  return GENERIC_BINDING.test(name) || /^(res|resp|response|result)\d*$/i.test(name);
}

/** Candidate names for a value read from `f` (a parameter value or a secret), best first. */
export function valueNames(f: FetchCall): string[] {
  const n = f.names[0];
  const words = n ? nameOfValue(n) : [];
  const camel = words.length ? words[0] + pascal(words.slice(1)) : '';
  const suffix = f.op === 'GetSecretValue' ? 'Secret' : f.op === 'GetParameter' ? 'Parameter' : 'Parameters';
  const out: string[] = [];
  if (camel) out.push(camel, camel + suffix, camel + 'Value');
  out.push(suffix.toLowerCase() + 'Value', 'loaded' + suffix);
  return out.filter(isUsableName);
}
