// The project model behind the IAM rules and `keyway policy`: the functions an IaC document (or CDK file) defines,
// each with the references its handler reads. Built once per (document, text) and cached, so the four IAM rules that
// run on the same document share it; ordinary source files never build it.
import * as nodePath from 'node:path';
import { isServerlessScript, parseInfra, type InfraModel } from '../iac';
import type { ProjectContext } from '../types';
import { functionsFromCdk, functionsFromInfra, functionsFromServerlessScript, functionsFromTerraform, looksLikeCdk, type IamFunction } from './functions';
import { customerKeyOf } from './keys';
import { handlerExports, handlerReferences, type References } from './refs';

export interface AnalyzedFunction extends IamFunction { references: References }

function analyze(fn: IamFunction, project: ProjectContext): AnalyzedFunction {
  const references = fn.handlerFile && fn.handlerText !== undefined
    ? handlerReferences(fn.handlerFile, fn.handlerText, fn.handlerExport, project, fn.env)
    : { refs: [], unresolved: [] };
  // Values the IaC encrypts with a customer managed key: their key (for kms:Decrypt in policies and the rule)
  if (!fn.keyed?.length) return { ...fn, references };
  const refs = references.refs.map((r) => {
    const k = customerKeyOf(fn, r);
    return k ? { ...r, key: k.key } : r;
  });
  return { ...fn, references: { ...references, refs } };
}

interface CacheEntry { text: string; reads: Map<string, string | undefined>; functions: AnalyzedFunction[] }
const cache = new Map<string, CacheEntry>();

/** A ProjectContext that records every file read (path → text), to validate cached results later. */
function recording(project: ProjectContext, reads: Map<string, string | undefined>): ProjectContext {
  return {
    readFile(p: string) {
      let t: string | undefined;
      try { t = project.readFile(p); } catch { t = undefined; }
      reads.set(p, t);
      return t;
    },
    dependenciesOf: (p: string) => project.dependenciesOf(p),
    ...(project.listDir ? { listDir: (d: string) => project.listDir!(d) } : {}),
  };
}

/**
 * The functions defined by one document with their references. `kind` is the document kind (`yaml`/`json`/`source`).
 * Cached by path and text; a cached entry is reused only while every file read to build it (handlers, their relative
 * imports, cdk.json) still has the same text.
 */
export function documentFunctions(path: string, text: string, kind: FunctionsKind, project: ProjectContext, infra?: InfraModel): AnalyzedFunction[] {
  const hit = cache.get(path);
  if (hit && hit.text === text) {
    let same = true;
    for (const [p, t] of hit.reads) {
      let now: string | undefined;
      try { now = project.readFile(p); } catch { now = undefined; }
      if (now !== t) { same = false; break; }
    }
    if (same) return hit.functions;
  }
  const reads = new Map<string, string | undefined>();
  const rec = recording(project, reads);
  let fns: IamFunction[] = [];
  if (kind === 'source' && isServerlessScript(path)) fns = functionsFromServerlessScript(path, text, rec);
  else if (kind === 'source') fns = looksLikeCdk(text) ? functionsFromCdk(path, text, rec) : [];
  else if (kind === 'terraform') fns = functionsFromTerraform(path, text, rec);
  else fns = functionsFromInfra(path, text, kind, rec, infra ?? parseInfra(text, kind));
  const functions = fns.map((f) => analyze(f, rec));
  if (cache.size > 200) cache.clear();
  cache.set(path, { text, reads, functions });
  return functions;
}

/** Whether a path can define Lambda functions (serverless.yml, a template, a CDK file). Cheap, by text. */
/** How a document may define functions: serverless/SAM/CloudFormation (YAML, JSON), CDK source, or a Terraform module. */
export type FunctionsKind = 'yaml' | 'json' | 'source' | 'terraform';

export function mayDefineFunctions(path: string, text: string): FunctionsKind | undefined {
  // A Terraform file counts when its module may hold a function or its policies (the other files are read with it).
  if (/\.tf(?:\.json)?$/i.test(path)) return /aws_lambda_function|aws_iam_|terraform-aws-modules\/lambda|aws_ssm_parameter|aws_secretsmanager/.test(text) ? 'terraform' : undefined;
  if (/\.ya?ml$/i.test(path)) return /(^|\n)\s*(functions|Resources)\s*:/.test(text) ? 'yaml' : undefined;
  if (/\.json$/i.test(path)) return text.includes('"Resources"') && /AWS::(Serverless|Lambda)::Function/.test(text) ? 'json' : undefined;
  if (isServerlessScript(path)) return /\bfunctions\b/.test(text) ? 'source' : undefined;
  if (/\.[cm]?tsx?$/i.test(path) && !/\.d\.[cm]?ts$/i.test(path)) return looksLikeCdk(text) && /\b(NodejsFunction|Function)\s*\(/.test(text) ? 'source' : undefined;
  return undefined;
}

/**
 * Every function of a set of files: from the IaC/CDK files among them, or, when none defines a function, one function
 * per exported handler of each source file that reads parameters or secrets.
 */
export function projectFunctions(files: readonly { path: string; text: string }[], project: ProjectContext, cwd = '.'): AnalyzedFunction[] {
  const out: AnalyzedFunction[] = [];
  const terraformDirs = new Set<string>(); // a module's files define its functions together: read each module once
  for (const f of files) {
    const kind = mayDefineFunctions(f.path, f.text);
    if (!kind) continue;
    if (kind === 'terraform') {
      const dir = nodePath.dirname(f.path);
      if (terraformDirs.has(dir)) continue;
      terraformDirs.add(dir);
    }
    out.push(...documentFunctions(f.path, f.text, kind, project));
  }
  if (out.length) return out;
  for (const f of files) {
    if (!/\.[cm]?[jt]sx?$/i.test(f.path) || /\.d\.[cm]?ts$/i.test(f.path)) continue;
    if (!f.text.includes('aws-sdk') && !f.text.includes('lambda-powertools') && !/\bfrom\s*['"]\.\.?\//.test(f.text) && !/require\(\s*['"]\.\.?\//.test(f.text)) continue;
    const exports = handlerExports(f.path, f.text);
    for (const e of exports) {
      const rel = nodePath.relative(cwd, f.path).split(nodePath.sep).join('/').replace(/\.[cm]?[jt]sx?$/i, '');
      const fn: IamFunction = {
        name: exports.length > 1 || e !== 'handler' ? `${rel}.${e}` : rel, flavour: 'none', handlerFile: f.path, handlerText: f.text,
        handlerExport: e, env: new Map(), statements: [], handlerSpec: `${rel}.${e}`,
      };
      const a = analyze(fn, project);
      if (a.references.refs.length || a.references.unresolved.length) out.push(a);
    }
  }
  return out;
}
