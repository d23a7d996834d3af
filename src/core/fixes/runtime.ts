// The module-scope code that cache fixes share, written once per file whatever the number of handlers:
// the TTL constant, `cached` (one TTL cache per loader), `freezeDeep` (cached objects cannot be changed by one
// invocation for the next) and `cachedFetch` (a cache keyed by request). Each is a keyed plan declaration; one
// already in the file (from an earlier fix) is found by its code and reused.
import { ts, tsv } from '../ts';
import type { PlanDecl, Point } from './plan';
import { refTo } from './plan';
import type { CodeStyle } from './style';

/** The tokens of a piece of code joined by single spaces (whitespace, comments and trailing commas ignored; strings by value). */
export function canonicalCode(code: string): string {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, code);
  const out: string[] = [];
  for (let t = scanner.scan(); t !== tsv.SyntaxKind.EndOfFileToken; t = scanner.scan()) {
    if (t === tsv.SyntaxKind.StringLiteral || t === tsv.SyntaxKind.NoSubstitutionTemplateLiteral) out.push(JSON.stringify(scanner.getTokenValue()));
    else if (t === tsv.SyntaxKind.SemicolonToken) continue;
    else out.push(scanner.getTokenText());
    if (out.length > 1 && out[out.length - 1] !== ',' && /^[)\]}]$/.test(out[out.length - 1]) && out[out.length - 2] === ',') out.splice(out.length - 2, 1);
  }
  return out.join(' ');
}

export interface RuntimeContext {
  sf: ts.SourceFile;
  text: string;
  style: CodeStyle;
  ttlSeconds: number;
  /** Where shared code may go at the earliest (after the imports). */
  lower: Point;
  /** The top-level statement that uses it. */
  upper: number;
}

const topDeclCache = new WeakMap<ts.SourceFile, Map<string, { start: number; end: number }>>();

/** Top-level functions and single-variable statements by name (offsets only), once per file. */
function topDeclarations(sf: ts.SourceFile): Map<string, { start: number; end: number }> {
  const hit = topDeclCache.get(sf);
  if (hit) return hit;
  const out = new Map<string, { start: number; end: number }>();
  for (const st of sf.statements) {
    let declared: string | undefined;
    if (tsv.isFunctionDeclaration(st) && st.name) declared = st.name.text;
    else if (tsv.isVariableStatement(st) && st.declarationList.declarations.length === 1 && tsv.isIdentifier(st.declarationList.declarations[0].name)) {
      declared = st.declarationList.declarations[0].name.text;
    }
    if (declared && !out.has(declared)) out.set(declared, { start: st.getStart(sf), end: st.end });
  }
  topDeclCache.set(sf, out);
  return out;
}

/** A top-level declaration of the file named one of `names` whose code is `render(name)`: its name. */
function existingDeclaration(sf: ts.SourceFile, text: string, names: readonly string[], render: (name: string) => string): string | undefined {
  const tops = topDeclarations(sf);
  for (const n of names) {
    const at = tops.get(n);
    if (at && canonicalCode(text.slice(at.start, at.end)) === canonicalCode(render(n))) return n;
  }
  return undefined;
}

function decl(rc: RuntimeContext, key: string, kind: PlanDecl['kind'], names: string[], code: (self: string, refs: (k: string) => string) => string,
  resolved: Map<string, string>): PlanDecl {
  const lines = code(refTo(key), refTo);
  const existing = existingDeclaration(rc.sf, rc.text, names, (n) => code(n, (k) => resolved.get(k) ?? k));
  if (existing) resolved.set(key, existing);
  return { key, kind, names, existing, code: lines, lower: rc.lower, upper: rc.upper, blocked: [] };
}

function ttlMs(rc: RuntimeContext): number {
  return Math.max(1, Math.round(Number(rc.ttlSeconds) || 300));
}

const TTL_NAMES = ['CACHE_TTL_MS', 'CONFIG_CACHE_TTL_MS', 'KEYWAY_CACHE_TTL_MS'];

/** `const CACHE_TTL_MS = 300 * 1000;` */
export function ttlDecl(rc: RuntimeContext, resolved: Map<string, string>): PlanDecl {
  const ttl = ttlMs(rc);
  const semi = rc.style.semi ? ';' : '';
  return decl(rc, `const:ttl:${ttl}`, 'const', TTL_NAMES, (self) => `const ${self} = ${ttl} * 1000${semi}`, resolved);
}

/**
 * `cached(load)`: a function that calls `load` once per Lambda container and again after the TTL, sharing one
 * promise between concurrent callers; a failed load is forgotten so the next call retries.
 */
export function cachedDecl(rc: RuntimeContext, ttlKey: string, resolved: Map<string, string>): PlanDecl {
  const { style } = rc;
  const I = style.indent;
  const semi = style.semi ? ';' : '';
  const nl = style.eol;
  const TS = style.typescript;
  return decl(rc, `helper:cached:${ttlKey}`, 'helper', ['cached', 'cachedLoader', 'withCache'], (self, ref) => [
    `/** Calls \`load\` once per Lambda container and again after ${ref(ttlKey)}; concurrent callers share one load, and a failed load is retried on the next call. */`,
    TS ? `function ${self}<T>(load: () => Promise<T>): () => Promise<T> {` : `function ${self}(load) {`,
    TS ? `${I}let entry: { expiresAt: number; value: Promise<T> } | undefined${semi}` : `${I}let entry${semi}`,
    `${I}return () => {`,
    `${I}${I}const now = Date.now()${semi}`,
    `${I}${I}if (!entry || entry.expiresAt <= now) {`,
    `${I}${I}${I}const current = { expiresAt: now + ${ref(ttlKey)}, value: load() }${semi}`,
    `${I}${I}${I}entry = current${semi}`,
    `${I}${I}${I}current.value.catch(() => {`,
    `${I}${I}${I}${I}if (entry === current) entry = undefined${semi}`,
    `${I}${I}${I}})${semi}`,
    `${I}${I}}`,
    `${I}${I}return entry.value${semi}`,
    `${I}}${semi}`,
    '}',
  ].join(nl), resolved);
}

/**
 * `freezeDeep(value)`: freezes a cached object and everything in it, so a handler that changes it fails (a
 * TypeError in strict mode) instead of leaking the change into the next invocation.
 */
export function freezeDecl(rc: RuntimeContext, resolved: Map<string, string>): PlanDecl {
  const { style } = rc;
  const I = style.indent;
  const semi = style.semi ? ';' : '';
  const TS = style.typescript;
  return decl(rc, 'helper:freezeDeep', 'helper', ['freezeDeep', 'deepFreeze', 'freezeCached'], (self) => [
    '/** Freezes a cached value and everything in it: a handler that changes it fails instead of leaking the change into the next invocation. */',
    TS ? `function ${self}<T>(value: T): T {` : `function ${self}(value) {`,
    `${I}if (value && typeof value === ${style.quote}object${style.quote} && !Object.isFrozen(value) && !ArrayBuffer.isView(value)) {`,
    `${I}${I}Object.freeze(value)${semi}`,
    `${I}${I}for (const item of Object.values(value)) ${self}(item)${semi}`,
    `${I}}`,
    `${I}return value${semi}`,
    '}',
  ].join(style.eol), resolved);
}

/** The map behind `cachedFetch`. */
export function fetchCacheDecl(rc: RuntimeContext, resolved: Map<string, string>): PlanDecl {
  const semi = rc.style.semi ? ';' : '';
  return decl(rc, 'const:fetchCache', 'const', ['fetchCache', 'requestCache', 'responseCache'], (self) => (rc.style.typescript
    ? `const ${self} = new Map<string, { expiresAt: number; value: Promise<unknown> }>()${semi}`
    : `const ${self} = new Map()${semi}`), resolved);
}

/** `cachedFetch(operation, input, load)`: responses cached per request (operation and input), frozen, with the TTL. */
export function cachedFetchDecl(rc: RuntimeContext, ttlKey: string, freezeKey: string, mapKey: string, resolved: Map<string, string>): PlanDecl {
  const { style } = rc;
  const I = style.indent;
  const semi = style.semi ? ';' : '';
  const q = style.quote;
  const TS = style.typescript;
  return decl(rc, `helper:cachedFetch:${ttlKey}`, 'helper', ['cachedFetch', 'cachedRequest', 'fetchCached'], (self, ref) => [
    `/** Caches each request's response (frozen) per Lambda container for ${ref(ttlKey)}; a failed request is retried on the next call. */`,
    TS ? `function ${self}<I, T>(operation: string, input: I, load: (input: I) => Promise<T>): Promise<T> {` : `function ${self}(operation, input, load) {`,
    `${I}const key = operation + ${q}:${q} + JSON.stringify(input)${semi}`,
    `${I}const now = Date.now()${semi}`,
    `${I}const hit = ${ref(mapKey)}.get(key)${semi}`,
    `${I}if (hit && hit.expiresAt > now) return hit.value${TS ? ' as Promise<T>' : ''}${semi}`,
    `${I}const value = load(input).then(${ref(freezeKey)})${semi}`,
    `${I}${ref(mapKey)}.set(key, { expiresAt: now + ${ref(ttlKey)}, value })${semi}`,
    `${I}value.catch(() => {`,
    `${I}${I}if (${ref(mapKey)}.get(key)?.value === value) ${ref(mapKey)}.delete(key)${semi}`,
    `${I}})${semi}`,
    `${I}return value${semi}`,
    '}',
  ].join(style.eol), resolved);
}
