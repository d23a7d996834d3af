// The values the exposure analysis tracks: where in a value a secret sits, and where it came from.
//
// A taint is a short list of facts. A fact says "at access path `at` of this value lies data from `origin`":
// `{ origin: GetSecretValue "prod/db", at: ['SecretString'] }` is a GetSecretValue response; `at: []` is the secret
// itself (a string); `at: ['*json']` is a parsed secret JSON (every field is secret except connection metadata).
// A function's parameters are symbolic origins: `{ origin: param 0 of f, at: ['body'], ops: ['#str'] }` says "field body
// holds parameter 0, stringified", and a call site substitutes its actual argument.
import type { ts } from '../ts';
import { isReferenceName, isSecretName } from '../secrets/names';
import { looksSecretName, nonSensitiveKind } from '../lambda/names';

export type SourceKind = 'secret' | 'parameter' | 'env' | 'middy' | 'extension';

/** Where a secret comes from. Names only: never a value. */
export interface Source {
  kind: SourceKind;
  /** For messages: `the secret "prod/db" (GetSecretValue)`. */
  label: string;
  /** Parameter or secret names (or the environment variable), for finding data. */
  names: string[];
  /** A collection read by path or by several names: only its secret-looking fields are secrets. */
  mixed?: boolean;
  /** The file that reads it, when it is not the file reported on. */
  file?: string;
}

/** A parameter of a function, standing for whatever a call site passes. */
export interface ParamRef { fn: ts.Node; index: number }

export type Origin = Source | ParamRef;

export function isParam(o: Origin): o is ParamRef {
  return (o as ParamRef).fn !== undefined;
}

/** A path segment: a property name, an array index, or a wildcard (`*` any element/field, `*json` a field of a parsed secret). */
export type Segment = string;
export const ANY = '*';
export const JSON_FIELD = '*json';
/** `*`, `*json`, or `*!a,b` (any field but a and b: dynamic keys written into an object that names a and b itself). */
const isWild = (s: Segment) => s.charCodeAt(0) === 42;

/** Operations applied to a parameter's value before it got here (replayed on the argument at a call site). */
export type Op = string; // a property name, '#str' (stringified), '#parse' (JSON.parse), '#any' (computed read)

export interface Fact {
  origin: Origin;
  at: readonly Segment[];
  /** Parameters only: how the parameter's value was transformed. */
  ops?: readonly Op[];
}

export type Taint = readonly Fact[];
export const CLEAN: Taint = [];

/** Connection metadata in a secret JSON (RDS-style): not secret on its own. */
const METADATA = new Set(['host', 'hostname', 'port', 'username', 'user', 'dbname', 'database', 'engine', 'dbclusteridentifier',
  'dbinstanceidentifier', 'region', 'endpoint', 'proxyhost', 'ssl', 'schema', 'dbinstanceidentifer']);
/** Field names of a secret JSON that carry a credential although they name a location (a DSN, a connection string). */
const CREDENTIAL_FIELD = /dsn|connection.?str|(database|db|mongo|mongodb|redis|postgres|postgresql|mysql|amqp|jdbc).?(url|uri)$/i;

/** Whether a field of a secret JSON is itself secret: not connection metadata (`host`, `username`) nor an id, name or ARN. */
export function jsonFieldIsSecret(name: string): boolean {
  if (isSecretName(name) || CREDENTIAL_FIELD.test(name)) return true;
  return !(METADATA.has(name.toLowerCase()) || isReferenceName(name));
}

/** Properties that never hold the value itself. */
const NEVER = new Set(['length', 'size', 'byteLength', 'constructor', 'prototype', '__proto__']);

const MAX_FACTS = 12;

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (!a || !b) return a === b || (!a?.length && !b?.length);
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameFact(a: Fact, b: Fact): boolean {
  if (a.origin !== b.origin && !(isParam(a.origin) && isParam(b.origin) && a.origin.fn === b.origin.fn && a.origin.index === b.origin.index)) return false;
  return sameList(a.at, b.at) && sameList(a.ops, b.ops);
}

export function union(...ts: Taint[]): Taint {
  let out: Fact[] | undefined;
  let first: Taint | undefined;
  for (const t of ts) {
    if (!t.length) continue;
    if (!first) { first = t; continue; }
    out ??= [...first];
    for (const f of t) {
      if (out.length >= MAX_FACTS) break;
      if (!out.some((g) => sameFact(f, g))) out.push(f);
    }
  }
  return out ?? first ?? CLEAN;
}

function map(t: Taint, fn: (f: Fact) => Fact | undefined): Taint {
  if (!t.length) return t;
  const out: Fact[] = [];
  for (const f of t) {
    const g = fn(f);
    if (g && !out.some((x) => sameFact(x, g))) out.push(g);
  }
  return out;
}

/** Whether a field of a wildcard may hold the secret (`*json` excludes connection metadata; mixed collections keep secret names). */
function wildcardPasses(seg: Segment, origin: Origin, name: string): boolean {
  if (/^\d+$/.test(name)) return true;
  if (!isParam(origin) && origin.mixed && !(isSecretName(name) || looksSecretName(name))) return false;
  if (seg === JSON_FIELD) return jsonFieldIsSecret(name);
  if (seg.startsWith('*!')) return !seg.slice(2).split(',').includes(name);
  return true;
}

/** `value.name` (or `value[expr]` with `name` undefined). */
export function read(t: Taint, name: string | undefined): Taint {
  if (!t.length) return t;
  if (name !== undefined && NEVER.has(name)) return CLEAN;
  return map(t, (f) => {
    if (f.at.length) {
      const head = f.at[0];
      if (name === undefined || head === name || (isWild(head) && wildcardPasses(head, f.origin, name))) return { ...f, at: f.at.slice(1) };
      return undefined;
    }
    // the value itself: a property of a secret string is not the secret; a parameter's property is followed
    if (isParam(f.origin)) return { ...f, ops: [...(f.ops ?? []), name ?? '#any'] };
    return undefined;
  });
}

/** `{ name: value }` / `[value]` at index `name`. */
export function prefix(t: Taint, seg: Segment): Taint {
  return map(t, (f) => ({ ...f, at: [seg, ...f.at] }));
}

/** Stringified (template literal, concatenation, JSON.stringify, String()): the string contains every secret in the value. */
export function stringify(t: Taint): Taint {
  return map(t, (f) => {
    if (isParam(f.origin)) return { origin: f.origin, at: [], ops: [...(f.ops ?? []), '#str'] };
    return f.at.length ? { origin: f.origin, at: [] } : f;
  });
}

/** JSON.parse: a secret string becomes a secret object (every field secret but connection metadata). */
export function parse(t: Taint): Taint {
  return map(t, (f) => {
    if (f.at.length) return f;
    if (isParam(f.origin)) return { ...f, ops: [...(f.ops ?? []), '#parse'] };
    return { origin: f.origin, at: [JSON_FIELD] };
  });
}

/** Object.entries: each field's value at index 1 of an element. */
export function entries(t: Taint): Taint {
  return map(t, (f) => (f.at.length ? { ...f, at: [ANY, '1', ...f.at.slice(1)] } : isParam(f.origin) ? { ...f, at: [ANY, '1'], ops: [...(f.ops ?? []), '#any'] } : undefined));
}

/** Object.fromEntries: the values at index 1 of each element become fields. */
export function fromEntries(t: Taint): Taint {
  return map(t, (f) => {
    if (f.at.length >= 2 && (f.at[1] === '1' || isWild(f.at[1]))) return { ...f, at: [ANY, ...f.at.slice(2)] };
    // a Map's values (kept as fields) stay fields
    if (f.at.length && isWild(f.at[0])) return f;
    return isParam(f.origin) && !f.at.length ? f : undefined;
  });
}

/** Wildcard facts at the top of a value no longer match the names given (see isWild). */
export function exceptFields(t: Taint, names: Set<string>): Taint {
  const seg = `*!${[...names].join(',')}`;
  return map(t, (f) => (f.at.length && f.at[0] === ANY ? { ...f, at: [seg, ...f.at.slice(1)] } : f));
}

/** Keep only the fields listed (JSON.stringify with an array replacer). */
export function pick(t: Taint, names: readonly string[]): Taint {
  return map(t, (f) => {
    if (!f.at.length || isParam(f.origin)) return f;
    const head = f.at[0];
    if (isWild(head)) return names.some((n) => wildcardPasses(head, f.origin, n)) ? f : undefined;
    return names.includes(head) ? f : undefined;
  });
}

/**
 * An object literal property `name` overrides what a spread put there. Overriding a secret-named field of a spread
 * secret JSON (`{ ...secret, password: '***' }`) is the redaction idiom: what is left is connection metadata.
 */
export function without(t: Taint, name: string, maskValue = false): Taint {
  const redacts = maskValue || isSecretName(name);
  return map(t, (f) => {
    if (!f.at.length) return f;
    if (f.at[0] === name) return undefined;
    // what is left of a secret JSON or of a mixed collection once its secret field is masked: metadata, plain config
    if (redacts && (f.at[0] === JSON_FIELD || (isWild(f.at[0]) && !isParam(f.origin) && f.origin.mixed))) return undefined;
    return f;
  });
}

/**
 * A value of a mixed read (several parameters, some plain) stored under a name that says it is plain configuration
 * (`queueUrl`, `tableName`, `logLevel`): the code tells which parameter it is, and it is not a secret.
 */
export function named(t: Taint, name: string): Taint {
  if (!t.some((f) => !f.at.length && !isParam(f.origin) && f.origin.mixed)) return t;
  if (!nonSensitiveKind(name)) return t;
  return t.filter((f) => f.at.length || isParam(f.origin) || !f.origin.mixed);
}

export function hasSource(t: Taint): boolean {
  for (const f of t) if (!isParam(f.origin)) return true;
  return false;
}

export function sources(t: Taint): Source[] {
  const out: Source[] = [];
  for (const f of t) if (!isParam(f.origin) && !out.includes(f.origin)) out.push(f.origin);
  return out;
}

export function params(t: Taint): Fact[] {
  return t.filter((f) => isParam(f.origin));
}

/** Only the facts that are the value itself (a secret string), not fields of it. */
export function isPrimitive(t: Taint): boolean {
  return t.length > 0 && t.every((f) => !f.at.length);
}

/** Replay a parameter fact's operations on the argument a call site passes, then put it where the fact says. */
export function substitute(f: Fact, arg: Taint): Taint {
  let a = arg;
  for (const op of f.ops ?? []) {
    if (!a.length) return CLEAN;
    a = op === '#str' ? stringify(a) : op === '#parse' ? parse(a) : read(a, op === '#any' ? undefined : op);
  }
  for (let i = f.at.length - 1; i >= 0; i--) a = prefix(a, f.at[i]);
  return a;
}

/** Substitute every parameter fact of `fn` with the call's arguments; other facts are kept. */
export function bind(t: Taint, fn: ts.Node, args: (index: number) => Taint): Taint {
  if (!t.length) return t;
  let out: Taint = CLEAN;
  for (const f of t) {
    if (isParam(f.origin) && f.origin.fn === fn) out = union(out, substitute(f, args(f.origin.index)));
    else out = union(out, [f]);
  }
  return out;
}
