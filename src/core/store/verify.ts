// Verify before deploy (issue 14 §2): every parameter and secret name the code and the IaC read, resolved for one
// stage, checked against what the target account holds. Core extracts the names (the IAM rules' reference extraction,
// plus deploy-time IaC reads) and judges the answers; the AWS layer looks the names up. Pure.
import {
  fileReferences, handlerReferences, kmsCoverage, projectFunctions, refCoverage,
  type AnalyzedFunction, type Coverage, type IamStatement, type Reference,
} from '../iam';
import type { ProjectContext, Range } from '../types';
import { iacReads } from './iacReads';
import { stageEnvironment, substituteStage, type StageOptions } from './stage';

export interface VerifyRef {
  /** The name resolved for the stage (variables it could not resolve stay as `${…}`). */
  name: string;
  /** As written in the code or IaC. */
  written: string;
  kind: 'parameter' | 'secret';
  /** `GetParameter`, `GetSecretValue`, `{{resolve:ssm-secure}}`… */
  via: string;
  source: 'code' | 'iac';
  /** The code asks for decryption. */
  decrypt: boolean;
  /** Known only up to this prefix (part of the name is not known statically). */
  prefix: boolean;
  /** A path read (GetParametersByPath): at least one parameter must exist under it. */
  byPath: boolean;
  requires?: 'SecureString' | 'plain';
  file: string;
  range: Range;
  function?: string;
  /** Whether the function's IAM policy allows the read (undefined: no function or no IaC policy). */
  grant?: Coverage;
  /** Whether it allows kms:Decrypt for a decrypted read. */
  kms?: Coverage;
  /** Variables left in the name. */
  unresolved: string[];
}

export type VerifyCode = 'missing' | 'wrong-type' | 'not-allowed' | 'kms-not-allowed' | 'pending-deletion' | 'unresolved' | 'partial';

export interface VerifyIssue {
  code: VerifyCode;
  /** `error`: the deploy or the code would fail. `warning`: not checked. */
  severity: 'error' | 'warning';
  message: string;
  ref: VerifyRef;
}

/** What the account holds under one name (from the index or the API). */
export interface NameLookup {
  found: boolean;
  type?: string;
  keyId?: string;
  /** Secrets: scheduled for deletion. */
  deleted?: boolean;
  /** Not found in its store, but the other store has an item of that name. */
  otherStore?: boolean;
  /** Path reads: how many parameters exist under the path (0 = none). */
  underPath?: number;
}

export interface VerifyInput { files: readonly { path: string; text: string }[]; project: ProjectContext; cwd?: string }

function subStatements(statements: readonly IamStatement[], o: StageOptions): IamStatement[] {
  return statements.map((st) => ({ ...st, resources: st.resources.map((r) => ({ ...r, text: r.text === undefined ? undefined : substituteStage(r.text, o).text })) }));
}

function fromCode(r: Reference, o: StageOptions, fn?: AnalyzedFunction): VerifyRef {
  const s = substituteStage(r.name, o);
  const byPath = r.op === 'GetParametersByPath';
  const out: VerifyRef = {
    name: byPath && !r.prefix ? s.text.replace(/\/+$/, '') || '/' : s.text, written: r.name, kind: r.kind, via: r.op, source: 'code',
    decrypt: r.decrypt, prefix: r.prefix && !byPath, byPath, file: r.file, range: r.range, unresolved: s.unresolved,
    ...(fn ? { function: fn.name } : {}),
  };
  return out;
}

const IAC_VIA: Record<string, string> = {
  'serverless-ssm': '${ssm:…}', 'serverless-ssm-secret': '${ssm:/aws/reference/secretsmanager/…}', 'cfn-resolve-ssm': '{{resolve:ssm}}',
  'cfn-resolve-ssm-secure': '{{resolve:ssm-secure}}', 'cfn-resolve-secretsmanager': '{{resolve:secretsmanager}}',
  'cfn-parameter-type': 'AWS::SSM::Parameter::Value', 'cdk-lookup': 'CDK lookup',
};

function rangeKey(file: string, r: Range): string {
  return `${file}\u0000${r.start.line}:${r.start.character}`;
}

/**
 * Every name the project reads, resolved for the stage: each handler with its IaC environment (and its policy's
 * coverage of each read), every other read in source files, and every deploy-time read in IaC.
 */
export function verifyReferences(input: VerifyInput, o: StageOptions): VerifyRef[] {
  const out: VerifyRef[] = [];
  const seen = new Set<string>();
  const push = (v: VerifyRef) => {
    const k = `${rangeKey(v.file, v.range)}\u0000${v.name}\u0000${v.function ?? ''}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push(v);
  };
  const fns = projectFunctions(input.files, input.project, input.cwd ?? '.');
  const covered = new Set<string>();
  for (const fn of fns) {
    const iac = fn.flavour !== 'none';
    const env = stageEnvironment(iac ? fn.env : undefined, o);
    const refs = fn.handlerFile && fn.handlerText !== undefined
      ? handlerReferences(fn.handlerFile, fn.handlerText, fn.handlerExport, input.project, env).refs
      : fn.references.refs;
    const staged: AnalyzedFunction = { ...fn, statements: subStatements(fn.statements, o) };
    for (const r of refs) {
      const v = fromCode(r, o, fn);
      if (iac) {
        const probe: Reference = { ...r, name: v.name, prefix: v.prefix };
        v.grant = refCoverage(staged, probe);
        if (r.kind === 'parameter' && r.decrypt) v.kms = kmsCoverage(staged);
      }
      covered.add(rangeKey(r.file, r.range));
      push(v);
    }
  }
  const env = stageEnvironment(undefined, o);
  for (const f of input.files) {
    if (!/\.[cm]?[jt]sx?$/i.test(f.path) || /\.d\.[cm]?ts$/i.test(f.path)) continue;
    if (!/ssm|secret|parameter|@middy/i.test(f.text)) continue;
    let refs: Reference[] = [];
    try { refs = fileReferences(f.path, f.text, input.project, env); } catch { refs = []; }
    for (const r of refs) if (!covered.has(rangeKey(r.file, r.range))) push(fromCode(r, o));
  }
  for (const f of input.files) {
    for (const r of iacReads(f.path, f.text)) {
      const s = substituteStage(r.name, o);
      push({
        name: s.text, written: r.name, kind: r.kind, via: IAC_VIA[r.via] ?? r.via, source: 'iac', decrypt: r.requires === 'SecureString',
        prefix: false, byPath: false, ...(r.requires ? { requires: r.requires } : {}), file: r.file, range: r.range, unresolved: s.unresolved,
      });
    }
  }
  return out;
}

/** The lookups `refs` need: exact parameter names, parameter paths, secret names (unresolved and partial ones skipped). */
export function namesToLookUp(refs: readonly VerifyRef[]): { parameters: string[]; paths: string[]; secrets: string[] } {
  const parameters = new Set<string>(); const paths = new Set<string>(); const secrets = new Set<string>();
  for (const r of refs) {
    if (r.unresolved.length || r.prefix) continue;
    if (r.byPath) paths.add(r.name);
    else if (r.kind === 'parameter') parameters.add(r.name);
    else secrets.add(r.name);
  }
  return { parameters: [...parameters].sort(), paths: [...paths].sort(), secrets: [...secrets].sort() };
}

/** Lookup key of a reference in the map the AWS layer returns. */
export function lookupKey(r: Pick<VerifyRef, 'kind' | 'name' | 'byPath'>): string {
  return `${r.byPath ? 'path' : r.kind}:${r.name}`;
}

const ACTION: Record<string, string> = { parameter: 'ssm:GetParameter', secret: 'secretsmanager:GetSecretValue' };

/** The failures (errors) and the names that could not be checked (warnings) of one reference. */
export function judgeReference(r: VerifyRef, lookup: NameLookup | undefined, stage: string): VerifyIssue[] {
  const issues: VerifyIssue[] = [];
  const what = r.kind === 'parameter' ? 'parameter' : 'secret';
  const who = r.function ? `function ${r.function}` : 'the code';
  if (r.unresolved.length) {
    issues.push({ code: 'unresolved', severity: 'warning', ref: r, message: `${r.written} depends on ${r.unresolved.map((u) => `\${${u}}`).join(', ')}, which Keyway cannot resolve for stage ${stage}: pass --var ${r.unresolved[0].replace(/^(env|param|self:custom):/, '')}=… to check it.` });
    return issues;
  }
  if (r.prefix) {
    issues.push({ code: 'partial', severity: 'warning', ref: r, message: `The ${what} name read here is known only up to "${r.name}" (the rest is computed at run time): not checked.` });
    return issues;
  }
  if (!lookup) return issues;
  if (r.byPath) {
    if (!lookup.underPath) issues.push({ code: 'missing', severity: 'error', ref: r, message: `No parameter exists under ${r.name} in stage ${stage}: ${r.via} returns nothing.` });
  } else if (!lookup.found) {
    const other = lookup.otherStore ? ` A ${r.kind === 'parameter' ? 'secret' : 'parameter'} of that name exists: the code reads the wrong store.` : '';
    issues.push({ code: 'missing', severity: 'error', ref: r, message: `${what === 'parameter' ? 'Parameter' : 'Secret'} ${r.name} does not exist in stage ${stage}${r.source === 'iac' ? ': the deploy fails' : ''}.${other}` });
  } else if (lookup.deleted) {
    issues.push({ code: 'pending-deletion', severity: 'error', ref: r, message: `Secret ${r.name} is scheduled for deletion: every read fails until it is restored.` });
  } else if (r.kind === 'parameter') {
    const secure = lookup.type === 'SecureString';
    if (r.requires === 'plain' && secure) {
      issues.push({ code: 'wrong-type', severity: 'error', ref: r, message: `${r.name} is a SecureString, which ${r.via} cannot read: use {{resolve:ssm-secure:…}}, or read it in the code with WithDecryption.` });
    } else if ((r.requires === 'SecureString' || r.decrypt) && !secure && lookup.type) {
      issues.push({ code: 'wrong-type', severity: 'error', ref: r, message: `${r.name} is a plain ${lookup.type}, but ${r.source === 'code' ? 'the code decrypts it (WithDecryption)' : `${r.via} reads SecureStrings`}: a value read as a secret should be stored as a SecureString.` });
    } else if (secure && !r.decrypt && r.source === 'code' && (r.via === 'GetParameter' || r.via === 'GetParameters')) {
      issues.push({ code: 'wrong-type', severity: 'error', ref: r, message: `${r.name} is a SecureString read without WithDecryption: the code gets the encrypted text.` });
    }
  }
  if (r.grant === 'no') {
    const action = r.kind === 'parameter' ? (r.via.startsWith('Get') ? `ssm:${r.via}` : ACTION.parameter) : ACTION.secret;
    issues.push({ code: 'not-allowed', severity: 'error', ref: r, message: `The policy of ${who} does not allow ${action} on ${r.name}: the read is denied at run time.` });
  }
  if (r.kms === 'no' && lookup.type === 'SecureString' && customerManagedKey(lookup.keyId)) {
    issues.push({ code: 'kms-not-allowed', severity: 'error', ref: r, message: `The policy of ${who} does not allow kms:Decrypt for ${r.name}, a SecureString encrypted with the customer managed key ${lookup.keyId}: the decryption is denied at run time unless that key's policy names the role itself.` });
  }
  return issues;
}

/**
 * Whether a SecureString's key needs a kms:Decrypt grant in the reader's IAM policy: yes for a customer managed key;
 * no for the AWS managed key `alias/aws/ssm` (its key policy lets every principal of the account decrypt through SSM,
 * conditions kms:CallerAccount and kms:ViaService) nor when the account did not say which key (nothing to judge).
 */
export function customerManagedKey(keyId: string | undefined): boolean {
  const k = keyId?.trim();
  return !!k && !/(^|:)alias\/aws\/ssm$/.test(k);
}

export interface VerifySummary { references: number; checked: number; errors: number; warnings: number; functions: number }

export function verifySummary(refs: readonly VerifyRef[], issues: readonly VerifyIssue[]): VerifySummary {
  const notChecked = new Set(issues.filter((i) => i.severity === 'warning').map((i) => i.ref));
  return {
    references: refs.length,
    checked: refs.length - notChecked.size,
    errors: issues.filter((i) => i.severity === 'error').length,
    warnings: notChecked.size,
    functions: new Set(refs.map((r) => r.function).filter(Boolean)).size,
  };
}
