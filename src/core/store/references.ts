// Find References from a stored name to the code and IaC that read it (issue 14 §4): the same reference extraction as
// the IAM rules (per file, and per handler with the environment its IaC gives it), deploy-time reads in IaC, IAM
// statements that grant it, and plain mentions of the exact name in the project's files. Pure.
import { parseInfra, resolvedText } from '../iac';
import { fileReferences, mayDefineFunctions, projectFunctions, resourceCovers, resourceProbe, type AnalyzedFunction } from '../iam';
import { lineStarts, positionAt, rangeOf } from '../text';
import type { ProjectContext, Range } from '../types';
import { iacReads, secretNameFromId } from './iacReads';

export type ReferenceKind = 'code' | 'iac' | 'grant' | 'mention';

export interface NameReference {
  file: string;
  range: Range;
  kind: ReferenceKind;
  /** The name as the reference writes it (may hold `${stage}`-like variables, or be a prefix). */
  written: string;
  /** What reads it: `GetParameter (WithDecryption)`, `{{resolve:ssm-secure}}`, `grants ssm:GetParameter`. */
  detail: string;
  /** The Lambda function whose handler (or policy) it is, when known. */
  function?: string;
}

export interface SourceFile { path: string; text: string }

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether a name as written in code or IaC can be `target`: equal; IaC variables (`${sls:stage}`, `${Stage}`) stand
 * for one path segment; a prefix reference (`prefix`) or a path read (`byPath`) covers every name under it.
 */
export function nameMatches(written: string, target: string, opts: { prefix?: boolean; byPath?: boolean } = {}): boolean {
  if (written === target) return true;
  if (opts.byPath) {
    const p = written.replace(/\/+$/, '');
    if (!p.includes('${')) return target.startsWith(`${p}/`);
  }
  if (opts.prefix && !written.includes('${')) return target.startsWith(written);
  if (!written.includes('${')) return false;
  const parts = written.split(/\$\{[^}]*\}/);
  let source = parts.map(escapeRegExp).join('[^/]+');
  if (opts.prefix || opts.byPath) source += opts.byPath ? '(?:/.*)?' : '.*';
  try {
    return new RegExp(`^${source}$`).test(target);
  } catch {
    return false;
  }
}

function targetFor(kind: 'parameter' | 'secret', written: string): string {
  if (kind === 'secret') return secretNameFromId(written);
  const arn = /^arn:[^:]*:ssm:[^:]*:[^:]*:parameter(\/.*)$/.exec(written);
  return arn ? arn[1] : written;
}

function isSource(p: string): boolean {
  return /\.[cm]?[jt]sx?$/i.test(p) && !/\.d\.[cm]?ts$/i.test(p);
}

function key(file: string, r: Range): string {
  return `${file}\u0000${r.start.line}:${r.start.character}`;
}

function overlaps(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character <= y.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

function opDetail(op: string, decrypt: boolean): string {
  return `${op}${decrypt ? ' (WithDecryption)' : ''}`;
}

const VIA_DETAIL: Record<string, string> = {
  'serverless-ssm': 'serverless ${ssm:…}', 'serverless-ssm-secret': 'serverless ${ssm:/aws/reference/secretsmanager/…}',
  'cfn-resolve-ssm': '{{resolve:ssm:…}}', 'cfn-resolve-ssm-secure': '{{resolve:ssm-secure:…}}',
  'cfn-resolve-secretsmanager': '{{resolve:secretsmanager:…}}', 'cfn-parameter-type': 'AWS::SSM::Parameter::Value parameter',
  'cdk-lookup': 'CDK lookup',
};

/** Grants of `target` by the functions' IAM statements (resource ranges in the files that define them). */
function grants(fns: readonly AnalyzedFunction[], files: Map<string, string>, kind: 'parameter' | 'secret', target: string, out: NameReference[]): void {
  const service = kind === 'secret' ? 'secretsmanager' : 'ssm';
  const probe = resourceProbe({ kind, name: target, prefix: false, op: kind === 'secret' ? 'GetSecretValue' : 'GetParameter' });
  const seen = new Set<string>();
  for (const fn of fns) {
    const text = fn.definedIn ? files.get(fn.definedIn) : undefined;
    if (!text) continue;
    const starts = lineStarts(text);
    for (const st of fn.statements) {
      if (st.effect !== 'Allow') continue;
      for (const r of st.resources) {
        if (!r.text || r.text.trim() === '*' || !resourceCovers(r.text, service, probe)) continue;
        const k = `${fn.definedIn}#${r.start}`;
        if (seen.has(k)) continue;
        seen.add(k);
        out.push({ file: fn.definedIn!, range: rangeOf(starts, r.start, r.end), kind: 'grant', written: r.text, detail: `grants ${st.actions.join(', ')}`, function: fn.name });
      }
    }
  }
}

/** Environment variables of Lambda functions whose value is the name (`DB_PARAM: /app/${sls:stage}/db`). */
function envMappings(files: readonly SourceFile[], kind: 'parameter' | 'secret', target: string, out: NameReference[]): void {
  for (const f of files) {
    const docKind = mayDefineFunctions(f.path, f.text);
    if (docKind !== 'yaml' && docKind !== 'json') continue;
    let model;
    try { model = parseInfra(f.text, docKind); } catch { continue; }
    const seen = new Set<number>();
    let starts: number[] | undefined;
    for (const fn of model.functions) {
      for (const v of fn.environment) {
        if (seen.has(v.value.start)) continue;
        seen.add(v.value.start);
        const text = resolvedText(v.value);
        if (!text || !nameMatches(targetFor(kind, text.trim()), target, { byPath: text.trim().startsWith('/') })) continue;
        starts ??= lineStarts(f.text);
        out.push({ file: f.path, range: rangeOf(starts, v.value.start, v.value.end), kind: 'iac', written: text, detail: `environment variable ${v.name}`, ...(v.functionName ? { function: v.functionName } : {}) });
      }
    }
  }
}

/** Exact occurrences of `target` in any file, bounded by characters that cannot continue a name. */
function mentions(files: readonly SourceFile[], target: string, taken: NameReference[], out: NameReference[]): void {
  if (target.length < 3) return;
  const re = new RegExp(`(?<![A-Za-z0-9_.\\-/+=@])${escapeRegExp(target)}(?![A-Za-z0-9_.\\-/+=@])`, 'g');
  for (const f of files) {
    if (!f.text.includes(target)) continue;
    const starts = lineStarts(f.text);
    for (let m = re.exec(f.text); m; m = re.exec(f.text)) {
      const range = { start: positionAt(starts, m.index), end: positionAt(starts, m.index + target.length) };
      if (taken.some((t) => t.file === f.path && overlaps(t.range, range))) continue;
      out.push({ file: f.path, range, kind: 'mention', written: target, detail: 'mentions the name' });
    }
  }
}

/**
 * Every place the project reads (or grants, or mentions) the parameter or secret `target`. `files` are the project's
 * files (source, YAML, JSON, .env); `project` resolves relative imports and handler files.
 */
export function findReferences(files: readonly SourceFile[], project: ProjectContext, target: { kind: 'parameter' | 'secret'; name: string }, cwd = '.'): NameReference[] {
  const out: NameReference[] = [];
  const seen = new Set<string>();
  const add = (r: NameReference) => {
    const k = key(r.file, r.range);
    if (seen.has(k)) return;
    seen.add(k);
    out.push(r);
  };
  const matchesRef = (written: string, prefix: boolean, op: string) =>
    nameMatches(targetFor(target.kind, written), target.name, { prefix, byPath: op === 'GetParametersByPath' });

  // Handlers with the environment their IaC gives them (process.env.X resolved), then every file on its own.
  let fns: AnalyzedFunction[] = [];
  try { fns = projectFunctions(files, project, cwd); } catch { fns = []; }
  const handled = new Set<string>();
  for (const fn of fns) {
    for (const r of fn.references.refs) {
      handled.add(key(r.file, r.range));
      if (r.kind !== target.kind || !matchesRef(r.name, r.prefix, r.op)) continue;
      add({ file: r.file, range: r.range, kind: 'code', written: r.name, detail: opDetail(r.op, r.decrypt), function: fn.name });
    }
  }
  for (const f of files) {
    if (!isSource(f.path)) continue;
    if (!/ssm|secret|parameter|@middy/i.test(f.text)) continue;
    let refs: ReturnType<typeof fileReferences> = [];
    try { refs = fileReferences(f.path, f.text, project); } catch { refs = []; }
    for (const r of refs) {
      // A handler's read was judged above with the environment its IaC gives it.
      if (handled.has(key(r.file, r.range)) || r.kind !== target.kind || !matchesRef(r.name, r.prefix, r.op)) continue;
      const partial = r.prefix && r.op !== 'GetParametersByPath';
      add({ file: r.file, range: r.range, kind: 'code', written: r.name, detail: `${opDetail(r.op, r.decrypt)}${partial ? ` of a name under ${r.name} (the rest is computed at run time)` : ''}` });
    }
  }
  for (const f of files) {
    for (const r of iacReads(f.path, f.text)) {
      if (r.kind !== target.kind || !nameMatches(r.name, target.name)) continue;
      add({ file: r.file, range: r.range, kind: 'iac', written: r.name, detail: VIA_DETAIL[r.via] ?? r.via });
    }
  }
  const mapped: NameReference[] = [];
  envMappings(files, target.kind, target.name, mapped);
  for (const m of mapped) add(m);
  const byPath = new Map(files.map((f) => [f.path, f.text]));
  const granted: NameReference[] = [];
  grants(fns, byPath, target.kind, target.name, granted);
  for (const g of granted) add(g);
  const extra: NameReference[] = [];
  mentions(files, target.name, out, extra);
  for (const m of extra) add(m);
  const order: Record<ReferenceKind, number> = { code: 0, iac: 1, grant: 2, mention: 3 };
  return out.sort((a, b) => order[a.kind] - order[b.kind] || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
