// The Lambda SDK rules: uncached-fetch, client-in-handler, sequential-fetch, missing-decryption,
// nonsensitive-in-secrets-manager. All five share one Lambda model per file (src/core/lambda/model.ts).
import type { ts } from 'ts-morph';
import { hoistClientFix } from '../../fixes/hoist';
import { decryptionFix } from '../../fixes/decryption';
import { keyedCacheFix } from '../../fixes/keyed';
import { cachedLoaderFix, powertoolsMaxAgeFix } from '../../fixes/loader';
import { promiseAllFix } from '../../fixes/parallel';
import { enclosingFunction } from '../../fixes/common';
import { SCAN_KINDS, getLambdaModel, type FetchCall, type LambdaModel } from '../../lambda/model';
import { nonSensitiveKind } from '../../lambda/names';
import { decryptionState, secureNames } from '../../lambda/secure';
import { findSequentialGroups } from '../../lambda/sequential';
import { RELATIVE_IMPORT, isRelevantText } from '../../lambda/sdk';
import type { Fix, Range, Rule, SourceContext, SourceVisitor } from '../../types';

const MODEL = Symbol('lambda-model');
const NODES = Symbol('lambda-nodes');

/**
 * The first Lambda rule to run on a file with SDK code collects, during the engine's walk, the nodes the model's
 * scan looks at (so the model does not walk the tree again).
 */
function collector(ctx: SourceContext): SourceVisitor | undefined {
  if (ctx.shared.has(NODES)) return undefined;
  if (!isRelevantText(ctx.text)) { ctx.shared.set(NODES, undefined); return undefined; }
  const list: ts.Node[] = [];
  ctx.shared.set(NODES, list);
  return { kinds: SCAN_KINDS, visit: (n) => { list.push(n); } };
}

/** The Lambda model needs the whole tree with parent pointers: build it (and report) once the shared walk is done. */
function afterWalk(check: (ctx: SourceContext) => void): NonNullable<Rule['source']> {
  return (ctx) => ({ ...collector(ctx), finish: () => check(ctx) });
}

/** The shared Lambda model, or undefined for the vast majority of files (no SDK code, no handler calling relative code). */
function model(ctx: SourceContext): LambdaModel | undefined {
  const hit = ctx.shared.get(MODEL) as LambdaModel | null | undefined;
  if (hit !== undefined) return hit ?? undefined;
  const lm = isRelevantText(ctx.text) || RELATIVE_IMPORT.test(ctx.text)
    ? getLambdaModel(ctx, ctx.shared.get(NODES) as ts.Node[] | undefined) : null;
  ctx.shared.set(MODEL, lm);
  return lm ?? undefined;
}

function range(ctx: SourceContext, n: ts.Node): Range {
  return { start: ctx.positionAt(n.getStart(ctx.sourceFile)), end: ctx.positionAt(n.end) };
}

function describe(f: { op: string; names: string[] }): string {
  if (!f.names.length) return f.op;
  const shown = f.names.slice(0, 3).map((n) => `"${n}"`).join(', ');
  return `${f.op} of ${shown}${f.names.length > 3 ? ', …' : ''}`;
}

function safeFix(make: () => Fix | undefined): Fix[] {
  try {
    const f = make();
    return f ? [f] : [];
  } catch {
    return [];
  }
}

const fetchData = (f: FetchCall, extra: Record<string, string | number | boolean | string[]> = {}) => ({
  operation: f.op, service: f.service, api: f.style, names: f.names, ...extra,
});

export const uncachedFetch: Rule = {
  meta: {
    id: 'uncached-fetch',
    title: 'Parameter or secret fetched on every invocation',
    defaultSeverity: 'warning',
    description: 'A GetParameter/GetParameters/GetParametersByPath/GetSecretValue call runs on every Lambda invocation instead of being cached at module scope.',
  },
  source: afterWalk((ctx) => {
    const lm = model(ctx);
    if (!lm) return;
    const throttle = 'and can hit throttling (Parameter Store allows 40 TPS by default)';
    // Every fetch of one function gets the same loader fix: build it once per function.
    const loaderFixes = new Map<ts.Node, Fix[]>();
    const loaderFix = (f: FetchCall): Fix[] => {
      const fn = enclosingFunction(f.call);
      const known = fn && loaderFixes.get(fn);
      if (known) return known;
      const fixes = safeFix(() => cachedLoaderFix(ctx, lm, f));
      if (fn && fixes.length) loaderFixes.set(fn, fixes);
      return fixes.length ? fixes : safeFix(() => keyedCacheFix(ctx, lm.file, f));
    };
    for (const [f, handler] of lm.reach.fetches) {
      const what = describe(f);
      const ptHint = f.style === 'powertools'
        ? ' Drop `maxAge: 0`/`forceFetch: true` (or give it a maxAge) so the Powertools cache serves repeated reads.'
        : ' Cache the value at module scope with a TTL (a module-scope loader, Powertools Parameters, or the Parameters and Secrets Lambda Extension).';
      const message = `${what} runs on every invocation of handler "${handler}": each call adds latency and API cost ${f.service === 'ssm' ? throttle : '(Secrets Manager charges $0.05 per 10,000 calls)'}.${ptHint}`;
      const fixes = f.style === 'powertools'
        ? () => safeFix(() => powertoolsMaxAgeFix(ctx, f))
        : () => loaderFix(f);
      ctx.report({ ruleId: 'uncached-fetch', message, range: range(ctx, f.call), fixes, data: fetchData(f, { handler }) });
    }
    for (const hit of lm.reach.crossFile) {
      if (!hit.fetches.length) continue;
      const ops = hit.fetches.slice(0, 3).map(describe).join('; ');
      ctx.report({
        ruleId: 'uncached-fetch',
        message: `${hit.callee}() (in ${hit.file}) runs ${ops} on every invocation of handler "${hit.handler}": each call adds latency and API cost, and can hit throttling (Parameter Store allows 40 TPS by default). Cache the values at module scope with a TTL, or call the loader once at module scope.`,
        range: range(ctx, hit.site),
        data: { handler: hit.handler, callee: hit.callee, file: hit.file, operations: hit.fetches.map((f) => f.op), crossFile: true },
      });
    }
  }),
};

export const clientInHandler: Rule = {
  meta: {
    id: 'client-in-handler',
    title: 'SDK client constructed per invocation',
    defaultSeverity: 'warning',
    description: 'An SSM or Secrets Manager client is created inside the handler (or a function it calls) instead of once at module scope.',
  },
  source: afterWalk((ctx) => {
    const lm = model(ctx);
    if (!lm) return;
    for (const [c, handler] of lm.reach.clients) {
      if (c.kind !== 'client') continue;
      ctx.report({
        ruleId: 'client-in-handler',
        message: `${c.className} is constructed on every invocation of handler "${handler}": each new client resolves credentials and opens new connections, adding latency to every call. Create the client once at module scope and reuse it across invocations.`,
        range: range(ctx, c.node),
        fixes: () => safeFix(() => hoistClientFix(ctx, lm.file, c)),
        data: { client: c.className, service: c.service, api: c.style, handler },
      });
    }
    for (const hit of lm.reach.crossFile) {
      if (!hit.clients.length) continue;
      ctx.report({
        ruleId: 'client-in-handler',
        message: `${hit.callee}() (in ${hit.file}) constructs ${[...new Set(hit.clients)].join(', ')} on every invocation of handler "${hit.handler}": each new client resolves credentials and opens new connections. Create the client once at module scope in that file and reuse it.`,
        range: range(ctx, hit.site),
        data: { handler: hit.handler, callee: hit.callee, file: hit.file, clients: hit.clients, crossFile: true },
      });
    }
  }),
};

export const sequentialFetch: Rule = {
  meta: {
    id: 'sequential-fetch',
    title: 'Independent fetches awaited one after another',
    defaultSeverity: 'info',
    description: 'Two or more independent parameter/secret fetches are awaited in sequence instead of in parallel.',
  },
  source: afterWalk((ctx) => {
    const lm = model(ctx);
    // A file with fetches, or a handler that may await fetch wrappers of its relative imports.
    if (!lm || (lm.file.fetches.length < 1 && !lm.reach.handlers.length)) return;
    for (const g of findSequentialGroups(lm.file, ctx.project)) {
      const first = g.fetches[0];
      const last = g.fetches[g.fetches.length - 1];
      const params = g.fetches.filter((f) => f.op === 'GetParameter').length;
      const batch = params >= 2 || (g.kind === 'loop' && first.op === 'GetParameter')
        ? ', or read up to 10 parameter names in one GetParameters call' : '';
      if (g.kind === 'loop') {
        ctx.report({
          ruleId: 'sequential-fetch',
          message: `${describe(first)} is awaited inside a loop, one name at a time, so the latencies add up. Start the fetches together and await them with Promise.all${batch}.`,
          range: range(ctx, first.call),
          data: { operations: g.fetches.map((f) => f.op), count: g.fetches.length, loop: true },
        });
        continue;
      }
      const list = g.fetches.map(describe).join(', ');
      ctx.report({
        ruleId: 'sequential-fetch',
        message: `${g.fetches.length} independent fetches (${list}) are awaited one after another, so their latencies add up. Run them in parallel with Promise.all${batch}.`,
        range: { start: ctx.positionAt(first.call.getStart(ctx.sourceFile)), end: ctx.positionAt(last.call.end) },
        fixes: () => safeFix(() => promiseAllFix(ctx, g)),
        data: { operations: g.fetches.map((f) => f.op), count: g.fetches.length, names: g.fetches.flatMap((f) => f.names) },
      });
    }
  }),
};

export const missingDecryption: Rule = {
  meta: {
    id: 'missing-decryption',
    title: 'Secure parameter read without decryption',
    defaultSeverity: 'warning',
    description: 'A parameter that looks secret (or is a SecureString) is read without WithDecryption: true, so the call returns ciphertext.',
  },
  source: afterWalk((ctx) => {
    const lm = model(ctx);
    if (!lm) return;
    for (const f of lm.file.fetches) {
      if (f.service !== 'ssm') continue;
      if (f.style === 'powertools' && f.op === 'GetParameters') continue; // getParametersByName: per-name options
      const sec = secureNames(f, ctx.parameterKind, ctx.config.secretWords);
      if (!sec) continue;
      if (decryptionState(f) !== 'no') continue;
      const flag = f.style === 'powertools' ? '`decrypt: true`' : '`WithDecryption: true`';
      const why = sec.reason === 'securestring'
        ? 'is a SecureString in the connected account'
        : 'looks like it holds a secret (so it should be a SecureString)';
      ctx.report({
        ruleId: 'missing-decryption',
        message: `${f.op} reads ${sec.display} without ${flag}, but the parameter ${why}: without decryption the call returns the encrypted ciphertext instead of the value. Add ${flag}.`,
        range: range(ctx, f.call),
        fixes: () => safeFix(() => decryptionFix(ctx, f)),
        data: fetchData(f, { secureNames: sec.names, reason: sec.reason }),
      });
    }
  }),
};

export const nonsensitiveInSecretsManager: Rule = {
  meta: {
    id: 'nonsensitive-in-secrets-manager',
    title: 'Non-sensitive configuration stored in Secrets Manager',
    defaultSeverity: 'info',
    description: 'A GetSecretValue reads a value that is clearly non-sensitive configuration, which belongs in a free Parameter Store String.',
  },
  source: afterWalk((ctx) => {
    const lm = model(ctx);
    if (!lm) return;
    for (const f of lm.file.fetches) {
      if (f.op !== 'GetSecretValue' || f.names.length !== 1) continue;
      const kind = nonSensitiveKind(f.names[0], ctx.config.secretWords);
      if (!kind) continue;
      ctx.report({
        ruleId: 'nonsensitive-in-secrets-manager',
        message: `GetSecretValue reads "${f.names[0]}", which looks like non-sensitive configuration (${kind}). Secrets Manager costs $0.40 per secret per month plus API calls; store it as a Parameter Store String parameter instead (free in the standard tier) and keep Secrets Manager for credentials that rotate.`,
        range: range(ctx, f.call),
        data: fetchData(f, { kind }),
      });
    }
  }),
};

export const lambdaRules: Rule[] = [uncachedFetch, clientInHandler, sequentialFetch, missingDecryption, nonsensitiveInSecretsManager];
