// Which exports of a source file the project's infrastructure deploys as Lambda handlers (issue 13 §1b): the same
// function mapping the IAM rules use (serverless, SAM/CloudFormation, CDK, Terraform, serverless.ts), read from the
// infrastructure files found in the file's folder and the folders above it. Cached per infrastructure file text.
import * as nodePath from 'node:path';
import type { ProjectContext } from '../types';
import { functionsFromCdk, looksLikeCdk } from './cdk';
import { functionsFromInfra, functionsFromServerlessScript, functionsFromTerraform, type IamFunction } from './functions';

/** Infrastructure file names worth reading in a folder (Terraform files need a folder listing). */
const IAC_FILE = /^(?:serverless\.(?:ya?ml|json)|(?:template|sam|cfn|cloudformation|stack)[\w.-]*\.(?:ya?ml|json)|[\w.-]+\.template(?:\.(?:ya?ml|json))?)$/i;
/** Names probed when the project cannot list folders. */
const PROBED = ['serverless.yml', 'serverless.yaml', 'serverless.json', 'serverless.ts', 'serverless.js', 'template.yaml', 'template.yml', 'template.json'];
/** serverless.ts / serverless.js and their module variants. */
const SLS_SCRIPT = /^serverless\.[cm]?[jt]s$/i;
/** Folders where projects keep their Terraform, beside the code. */
const TF_DIRS = ['terraform', 'infra', 'infrastructure', 'iac', 'deploy', 'tf', 'deployment'];
/** Folders of a CDK app (next to cdk.json) that hold stacks. */
const CDK_DIRS = ['lib', 'bin', 'stacks', 'infra', 'infrastructure', 'cdk', 'src'];
const MAX_LEVELS = 6;
const MAX_CDK_FILES = 40;

type Kind = 'yaml' | 'json' | 'source' | 'terraform' | 'serverless-script';
interface Doc { path: string; kind: Kind }

function P(p: string): typeof nodePath.posix {
  return p.includes('\\') && !p.includes('/') ? nodePath.win32 : nodePath.posix;
}

function read(project: ProjectContext, p: string): string | undefined {
  try { return project.readFile(p); } catch { return undefined; }
}

function list(project: ProjectContext, dir: string): readonly string[] | undefined {
  try { return project.listDir?.(dir); } catch { return undefined; }
}

function kindOf(name: string): Kind | undefined {
  if (SLS_SCRIPT.test(name)) return 'serverless-script';
  if (/\.ya?ml$/i.test(name)) return 'yaml';
  if (/\.json$/i.test(name) || /\.template$/i.test(name)) return 'json';
  if (/\.[cm]?[jt]s$/i.test(name) && !/\.d\.[cm]?ts$/i.test(name) && !/\.(test|spec)\.[cm]?[jt]s$/i.test(name)) return 'source';
  return undefined;
}

/** The infrastructure documents of one folder (and, beside a cdk.json, the stack sources of the CDK app). */
function docsIn(dir: string, project: ProjectContext): Doc[] {
  const path = P(dir);
  const names = list(project, dir);
  if (!names) {
    return PROBED.filter((n) => read(project, path.join(dir, n)) !== undefined).map((n) => ({ path: path.join(dir, n), kind: kindOf(n)! }));
  }
  const out: Doc[] = [];
  for (const n of names) {
    if (IAC_FILE.test(n)) out.push({ path: path.join(dir, n), kind: /\.ya?ml$/i.test(n) ? 'yaml' : 'json' });
    else if (SLS_SCRIPT.test(n)) out.push({ path: path.join(dir, n), kind: 'serverless-script' });
  }
  // One Terraform file per folder: the module's other files are read with it.
  const tf = (d: string, entries: readonly string[]) => {
    const first = entries.find((n) => /\.tf(?:\.json)?$/i.test(n) && !/\.tfvars/i.test(n));
    if (first) out.push({ path: path.join(d, first), kind: 'terraform' });
  };
  tf(dir, names);
  for (const sub of TF_DIRS) if (names.includes(sub)) tf(path.join(dir, sub), list(project, path.join(dir, sub)) ?? []);
  if (names.includes('cdk.json')) {
    let count = 0;
    for (const sub of CDK_DIRS) {
      if (!names.includes(sub)) continue;
      for (const n of list(project, path.join(dir, sub)) ?? []) {
        if (kindOf(n) !== 'source' || count >= MAX_CDK_FILES) continue;
        count++;
        out.push({ path: path.join(dir, sub, n), kind: 'source' });
      }
    }
  }
  return out;
}

const functionCache = new Map<string, { text: string; fns: IamFunction[]; imports?: Map<string, string | undefined> }>();

/** The functions one document defines (handler files resolved; no references read). */
function functionsOf(doc: Doc, project: ProjectContext): IamFunction[] {
  const text = read(project, doc.path);
  if (text === undefined) return [];
  const hit = functionCache.get(doc.path);
  // serverless.ts reads the modules it imports: reuse its functions while they are unchanged too
  if (hit && hit.text === text && (!hit.imports || [...hit.imports].every(([p, t]) => read(project, p) === t))) return hit.fns;
  let imports: Map<string, string | undefined> | undefined;
  if (doc.kind === 'serverless-script') {
    const seen = (imports = new Map<string, string | undefined>());
    const inner = project;
    project = {
      readFile: (p: string) => { const t = read(inner, p); if (p !== doc.path) seen.set(p, t); return t; },
      dependenciesOf: (p: string) => inner.dependenciesOf(p),
      ...(inner.listDir ? { listDir: (d: string) => inner.listDir!(d) } : {}),
    };
  }
  let fns: IamFunction[] = [];
  try {
    if (doc.kind === 'source') fns = looksLikeCdk(text) && /Function\s*\(/.test(text) ? functionsFromCdk(doc.path, text, project) : [];
    else if (doc.kind === 'terraform') fns = functionsFromTerraform(doc.path, text, project);
    else if (doc.kind === 'serverless-script') fns = functionsFromServerlessScript(doc.path, text, project);
    else if (/(^|\n)\s*(functions|Resources)\s*:|"Resources"/.test(text)) fns = functionsFromInfra(doc.path, text, doc.kind, project);
  } catch { fns = []; }
  // (only the handler files' names matter here: typing in a handler must not invalidate the entry)
  for (const f of fns) if (f.handlerFile) imports?.delete(f.handlerFile);
  if (functionCache.size > 300) functionCache.clear();
  functionCache.set(doc.path, { text, fns, ...(imports ? { imports } : {}) });
  return fns;
}

/**
 * The export names that infrastructure deploys as handlers in `file` (`handler: billing.orders` → `orders`), or
 * undefined when no infrastructure file above it names this file. Folders are searched from the file's own up to six
 * levels, stopping above a repository root (`.git`).
 */
export function iacHandlerExports(file: string, project: ProjectContext): ReadonlySet<string> | undefined {
  const path = P(file);
  const target = path.normalize(file);
  let found: Set<string> | undefined;
  for (const fn of iacFunctionsAbove(file, project)) {
    if (fn.handlerFile && path.normalize(fn.handlerFile) === target) (found ??= new Set()).add(fn.handlerExport);
  }
  return found;
}

/**
 * Every function the infrastructure files in `file`'s folder and the folders above it define (up to six levels,
 * stopping above a repository root), with handler files resolved and no references read.
 */
export function iacFunctionsAbove(file: string, project: ProjectContext): IamFunction[] {
  const path = P(file);
  let dir = path.dirname(path.normalize(file));
  const out: IamFunction[] = [];
  for (let level = 0; level < MAX_LEVELS; level++) {
    for (const doc of docsIn(dir, project)) out.push(...functionsOf(doc, project));
    if (list(project, dir)?.includes('.git')) break;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return out;
}
