// Comparing what a function's policy grants with what its code reads: the judgements behind iam-missing-grant,
// iam-missing-kms-decrypt and iam-overbroad-resource (and the quick-fix of iam-wildcard-resource).
import { globMatch, isAccountWide } from './glob';
import type { IamResource, IamStatement } from './functions';
import type { AnalyzedFunction } from './project';
import type { Reference } from './refs';

export type Coverage = 'yes' | 'no' | 'unknown';

/** A character sequence only `*` can match: probes "every name under this prefix". */
const PROBE = '\u0001\u0002/\u0003';
/** A stand-in for the 6-character suffix Secrets Manager appends to secret ARNs. */
const SUFFIX = '-Ab3dEf';

export function neededAction(ref: Pick<Reference, 'kind' | 'op'>): string {
  return ref.kind === 'secret' ? 'secretsmanager:GetSecretValue' : `ssm:${ref.op}`;
}

function allows(st: IamStatement, action: string): boolean {
  return st.effect === 'Allow' && st.actions.some((a) => globMatch(a.trim(), action));
}

/** The resource part a reference needs (`parameter/app/x`, `secret:app/db-Ab3dEf`), as a probe string. */
export function resourceProbe(ref: Pick<Reference, 'kind' | 'name' | 'prefix' | 'op'>, name = ref.name): string {
  if (ref.kind === 'secret') {
    const arn = /^arn:[^:]*:secretsmanager:[^:]*:[^:]*:(secret:.*)$/.exec(name);
    if (arn) return ref.prefix ? arn[1] + PROBE : /-[A-Za-z0-9]{6}$/.test(arn[1]) ? arn[1] : arn[1] + SUFFIX;
    return 'secret:' + name + (ref.prefix ? PROBE : SUFFIX);
  }
  const n = name.startsWith('/') ? name : '/' + name;
  return 'parameter' + (ref.prefix ? n + PROBE : n);
}

/**
 * Whether one resource pattern covers a probe of service `service`. `${…}` variables that also occur in the probe
 * must match literally; other variables in the resource stand for any value.
 */
export function resourceCovers(resource: string, service: string, probe: string, strict = false): boolean {
  const r = resource.trim();
  if (r === '*') return true;
  const vars = new Map<string, string>();
  let i = 0;
  const probeT = probe.replace(/\$\{[^}]*\}/g, (v) => {
    if (!vars.has(v)) vars.set(v, String.fromCharCode(0xe000 + i++));
    return vars.get(v)!;
  });
  // Strict (over-breadth checks): a variable is one concrete value at deploy time, not a wildcard.
  const resT = r.replace(/\$\{[^}]*\}/g, (v) => vars.get(v) ?? (strict ? '\uffff' : '*'));
  const m = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/.exec(resT);
  if (!m) return false;
  // A full secret ARN carries its real random suffix: any 6-character suffix stands for it.
  if (/^secret:/.test(m[5]) && /-[A-Za-z0-9]{6}$/.test(m[5]) && /-[A-Za-z0-9]{6}$/.test(probeT)) {
    m[5] = m[5].slice(0, -7) + '-??????';
  }
  if (!globMatch(m[2], service) && m[2] !== '\uffff') return false;
  return globMatch(m[5], probeT);
}

/**
 * Whether some name starting with `probePrefix` (`parameter/app/`) could be granted by a resource: its literal head
 * (up to the first wildcard or variable) and the prefix agree as far as both go.
 */
function mayCoverPrefix(resource: string, service: string, probePrefix: string): boolean {
  // Variables first: `${AWS::Region}` holds colons.
  const m = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/.exec(resource.trim().replace(/\$\{[^}]*\}/g, '\u0007'));
  if (!m || !globMatch(m[2].replace(/\u0007/g, '*'), service)) return false;
  const head = m[5].split(/[*?\u0007]/)[0];
  return head.startsWith(probePrefix) || probePrefix.startsWith(head);
}

function serviceOfRef(ref: Pick<Reference, 'kind'>): string {
  return ref.kind === 'secret' ? 'secretsmanager' : 'ssm';
}

/** Whether the function's policy allows the reference. */
export function refCoverage(fn: AnalyzedFunction, ref: Reference): Coverage {
  const action = neededAction(ref);
  const probe = resourceProbe(ref);
  let unknown = !!fn.opaque;
  for (const st of fn.statements) {
    if (st.opaque && st.effect !== 'Deny') { unknown = true; continue; }
    if (!allows(st, action)) continue;
    for (const r of st.resources) {
      // Not statically known, or not an ARN (`!Ref Secret`, `!ImportValue …`): cannot be judged.
      if (r.text === undefined || (r.text.trim() !== '*' && !/^arn:/.test(r.text.trim()))) { unknown = true; continue; }
      if (resourceCovers(r.text, serviceOfRef(ref), probe)) return 'yes';
      // A name known only up to a prefix (`/app/${stage}/config`) may well be one this resource grants.
      if (ref.prefix && mayCoverPrefix(r.text, serviceOfRef(ref), resourceProbe(ref).slice(0, -PROBE.length))) unknown = true;
    }
  }
  // A name still holding an IaC variable (`/app/${Stage}/x`) that no resource matches literally cannot be judged.
  if (ref.name.includes('${')) return 'unknown';
  return unknown ? 'unknown' : 'no';
}

/** Whether the function's policy allows kms:Decrypt on the SSM key (alias/aws/ssm, any key ARN, or `*`). */
export function kmsCoverage(fn: AnalyzedFunction): Coverage {
  let unknown = !!fn.opaque;
  for (const st of fn.statements) {
    if (st.opaque && st.effect !== 'Deny') { unknown = true; continue; }
    if (!allows(st, 'kms:Decrypt')) continue;
    for (const r of st.resources) {
      if (r.text === undefined) { unknown = true; continue; }
      const t = r.text.trim().replace(/\$\{[^}]*\}/g, 'X');
      if (t === '*') return 'yes';
      const m = /^arn:[^:]*:([^:]*):[^:]*:[^:]*:(.*)$/.exec(t);
      if (!m || !globMatch(m[1], 'kms')) continue;
      // A customer managed key (key/…) may be the parameter's key: Keyway cannot tell without the account.
      if (/^key\//.test(m[2]) || globMatch(m[2], 'alias/aws/ssm')) return 'yes';
    }
  }
  return unknown ? 'unknown' : 'no';
}

// ---------------------------------------------------------------------------------------------
// Over-broad resources

const STAGE = /^(dev|develop|development|test|testing|qa|uat|stage|staging|stg|prod|production|prd|preprod|sandbox|demo|local|int|integration)$/i;

export interface Overbroad {
  statement: IamStatement;
  resource: IamResource;
  functions: string[];
  message: string;
  /** What the code reads (names, prefixes with `*`), for the finding's data. */
  reads: string[];
}

function segments(name: string): string[] {
  return name.split('/').filter(Boolean);
}

function rebuild(name: string, segs: string[]): string {
  return (name.startsWith('/') ? '/' : '') + segs.join('/');
}

/** Names next to an exact name the function does not read: another name in its folder, another stage, another app. */
function siblings(name: string): { sameDir?: string; otherStage?: string; otherApp?: string } {
  const s = segments(name);
  const out: { sameDir?: string; otherStage?: string; otherApp?: string } = {};
  out.sameDir = rebuild(name, [...s.slice(0, -1), 'zz-keyway-other']);
  if (s.length >= 2) out.otherStage = rebuild(name, [...s.slice(0, -2), 'zz-keyway-other', s[s.length - 1]]);
  if (s.length >= 3) out.otherApp = rebuild(name, ['zz-keyway-other', ...s.slice(1)]);
  return out;
}

function display(ref: Reference): string {
  return ref.prefix ? `${ref.name}*` : ref.name;
}

/** The "path" part of a resource for messages: `parameter/app/staging/*` → `/app/staging/*`. */
function resourcePath(text: string): string {
  const m = /:(?:parameter|secret:)(.*)$/.exec(text);
  return m ? m[1] : text;
}

function otherStageWord(resource: string, refs: Reference[]): { granted: string; read: string } | undefined {
  const rs = segments(resourcePath(resource));
  for (const ref of refs) {
    const ns = segments(ref.name);
    for (let i = 0; i < Math.min(rs.length, ns.length); i++) {
      if (rs[i] === ns[i]) continue;
      if (STAGE.test(rs[i]) && STAGE.test(ns[i])) return { granted: rs[i], read: ns[i] };
      break;
    }
  }
  return undefined;
}

/**
 * Resources of the functions' statements that grant far more than their code reads. A statement shared by several
 * functions (serverless provider-level statements) is judged against what all of them read.
 */
export function overbroadResources(functions: readonly AnalyzedFunction[]): Overbroad[] {
  const byKey = new Map<string, { st: IamStatement; fns: AnalyzedFunction[] }>();
  for (const fn of functions) {
    for (const st of fn.statements) {
      const e = byKey.get(st.key);
      if (e) { if (!e.fns.includes(fn)) e.fns.push(fn); } else byKey.set(st.key, { st, fns: [fn] });
    }
  }
  const out: Overbroad[] = [];
  for (const { st, fns } of byKey.values()) {
    if (st.effect !== 'Allow' || st.opaque) continue;
    // Only judge when every function sharing the statement was analysed completely.
    if (fns.some((f) => !f.handlerFile)) continue;
    for (const res of st.resources) {
      if (res.text === undefined || res.text.trim() === '*') continue;
      const svcMatch = /^arn:[^:]*:([^:]*):/.exec(res.text.replace(/\$\{[^}]*\}/g, 'X'));
      if (!svcMatch) continue;
      const svc = svcMatch[1].toLowerCase();
      if (svc !== 'ssm' && svc !== 'secretsmanager') continue;
      const kind = svc === 'ssm' ? 'parameter' : 'secret';
      const granted = (r: Pick<Reference, 'kind' | 'op'>) => allows(st, neededAction(r));
      const refs = fns.flatMap((f) => f.references.refs).filter((r) => r.kind === kind && granted(r));
      const unresolved = fns.flatMap((f) => f.references.unresolved).filter((r) => r.kind === kind && granted(r));
      const anyAction = kind === 'secret' ? allows(st, 'secretsmanager:GetSecretValue')
        : ['GetParameter', 'GetParameters', 'GetParametersByPath'].some((op) => allows(st, `ssm:${op}`));
      if (!anyAction || unresolved.length || !refs.length) continue;
      const variable = refs.some((r) => r.name.includes('${'));
      const names = [...new Set(refs.map(display))].sort();
      const who = fns.length === 1 ? `function ${fns[0].name}` : `functions ${fns.map((f) => f.name).join(', ')}`;
      const readList = names.slice(0, 4).map((n) => `"${n}"`).join(', ') + (names.length > 4 ? `, and ${names.length - 4} more` : '');
      const covered = refs.filter((r) => resourceCovers(res.text!, svc, resourceProbe(r))
        || (r.prefix && mayCoverPrefix(res.text!, svc, resourceProbe(r).slice(0, -PROBE.length))));
      const what = kind === 'parameter' ? 'parameters' : 'secrets';
      const fixHint = fns.length > 1
        ? `Give each function its own statement scoped to the names it reads (keyway policy prints them).`
        : `Scope it to the names the code reads (keyway policy --function ${fns[0].name} prints the exact ARNs).`;
      let message: string | undefined;
      if (isAccountWide(res.text, svc)) {
        message = `Over-broad IAM: '${res.text}' grants ${who} every ${kind} in the account, but the code reads only ${readList}. `
          + `A compromised function could read every other ${kind}. ${fixHint}`;
      } else if (!covered.length && !variable) {
        const stage = otherStageWord(res.text, refs);
        message = stage
          ? `Over-broad IAM: '${res.text}' grants ${who} the ${stage.granted} stage's ${what}, but the code reads only ${stage.read} names (${readList}). `
            + `Access to another stage's ${what} breaks stage isolation. Remove this resource or scope it to the ${stage.read} path.`
          : `Over-broad IAM: '${res.text}' grants ${who} ${what} its code never reads (it reads ${readList}). `
            + `Unused access widens what a compromised function exposes. Remove this resource. ${fixHint}`;
      } else if (!covered.some((r) => r.prefix || r.op === 'GetParametersByPath')) {
        // Every covered name is exact: the wildcard also grants names next to them.
        const hit = covered.find((r) => {
          const sib = siblings(r.name);
          const probes = kind === 'secret' ? [sib.sameDir, sib.otherStage, sib.otherApp] : [sib.otherStage, sib.otherApp];
          return probes.some((p) => p !== undefined && resourceCovers(res.text!, svc, resourceProbe({ ...r, prefix: false }, p), true));
        });
        if (hit) {
          const scope = kind === 'secret' ? `every secret matching '${resourcePath(res.text)}'` : `${what} of other stages or apps ('${resourcePath(res.text)}')`;
          message = `Over-broad IAM: '${res.text}' grants ${who} ${scope}, but the code reads only ${readList}. `
            + `Each function should get only its own ${what}. ${fixHint}`;
        }
      }
      if (message) out.push({ statement: st, resource: res, functions: fns.map((f) => f.name), message, reads: names });
    }
  }
  return out;
}
