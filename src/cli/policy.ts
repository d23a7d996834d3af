// `keyway policy [paths…] [--function name] [--format json|cdk|serverless|sam|terraform] [--region r] [--account a]`:
// prints the least-privilege policy each Lambda function needs, computed from its handler code (issue 7).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AnalyzedFunction, PolicyFormat } from '../core/iam';

export const POLICY_USAGE = `Usage: keyway policy [paths…] [options]

Print the least-privilege IAM policy each Lambda function needs, from the parameter and secret names its handler
reads. Functions come from serverless.yml, SAM/CloudFormation templates, CDK code or Terraform; without IaC, each handler file
is its own function.

Options:
  --function <name>    Only this function (repeatable)
  --format <f>         json (default), cdk, serverless, sam, terraform (an aws_iam_policy_document)
  --region <r>         Region in ARNs (default: the format's placeholder)
  --account <id>       Account id in ARNs (default: the format's placeholder)
  -h, --help           Show this help
`;

export interface PolicyIo { stdout(s: string): void; stderr(s: string): void; cwd: string }

interface PolicyArgs { paths: string[]; functions: string[]; format: PolicyFormat; region?: string; account?: string }

const FORMATS: readonly PolicyFormat[] = ['json', 'cdk', 'serverless', 'sam', 'terraform'];

function parse(argv: readonly string[]): PolicyArgs | { help: true } | { error: string } {
  const out: PolicyArgs = { paths: [], functions: [], format: 'json' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => {
      if (eq > 0) return a.slice(eq + 1);
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('-')) return undefined;
      i++;
      return v;
    };
    switch (flag) {
      case '-h': case '--help': return { help: true };
      case '--function': case '-f': {
        const v = value();
        if (!v) return { error: `${flag} needs a function name` };
        out.functions.push(v);
        break;
      }
      case '--format': {
        const v = value();
        if (!v || !(FORMATS as readonly string[]).includes(v)) return { error: `--format must be one of ${FORMATS.join(', ')}${v ? ` (got "${v}")` : ''}` };
        out.format = v as PolicyFormat;
        break;
      }
      case '--region': {
        const v = value();
        if (!v || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(v)) return { error: `--region needs a region like us-east-1${v ? ` (got "${v}")` : ''}` };
        out.region = v;
        break;
      }
      case '--account': {
        const v = value();
        if (!v || !/^\d{12}$/.test(v)) return { error: `--account needs a 12-digit account id${v ? ` (got "${v}")` : ''}` };
        out.account = v;
        break;
      }
      default:
        if (a.startsWith('-') && a !== '-') return { error: `unknown option ${a}` };
        out.paths.push(a);
    }
  }
  if (!out.paths.length) out.paths.push('.');
  return out;
}

function rel(cwd: string, p: string): string {
  const r = path.relative(cwd, p);
  return (r === '' ? '.' : r).split(path.sep).join('/');
}

function describe(fn: AnalyzedFunction, cwd: string): string {
  const where = fn.definedIn ? `${rel(cwd, fn.definedIn)}: ` : '';
  const handler = fn.handlerFile ? `${rel(cwd, fn.handlerFile)} (${fn.handlerExport})` : fn.handlerSpec ?? '?';
  return `${fn.name} (${where}${handler})`;
}

/** Run `keyway policy …`. Returns the exit code: 0 printed, 1 nothing to print, 2 usage error. */
export async function runPolicy(argv: string[], io: PolicyIo): Promise<number> {
  const parsed = parse(argv);
  if ('help' in parsed) { io.stdout(POLICY_USAGE); return 0; }
  const usage = (m: string) => { io.stderr(`keyway policy: ${m}\nRun "keyway policy --help" for usage.\n`); return 2; };
  if ('error' in parsed) return usage(parsed.error);
  const abs = parsed.paths.map((p) => path.resolve(io.cwd, p));
  for (let i = 0; i < abs.length; i++) if (!fs.existsSync(abs[i])) return usage(`path not found: ${parsed.paths[i]}`);

  // `.js`: resolves in out/ (tests) as well as in the dist bundle (rewritten to ./core.js).
  const core = await import('../core/index.js');
  const iam = core.iam;
  // Names come from the scanned code: credentials are masked and control characters shown escaped.
  const redactor = new core.Redactor();
  const out = (t: string) => io.stdout(parsed.format === 'json' ? core.escapeJsonText(redactor.text(t)) : core.escapeControl(redactor.text(t), { keepLines: true }));
  const err = (t: string) => io.stderr(core.escapeControl(redactor.text(t), { keepLines: true }));
  const loaded = core.loadConfig(core.commonRoot(abs));
  const collected = core.collectFiles(abs, { config: loaded.config, configFile: loaded.file });
  const project = new core.FsProjectContext(loaded.config.maxFileSize);
  const files: { path: string; text: string }[] = [];
  for (const f of collected.files) {
    const text = project.readFile(f.abs);
    if (text !== undefined) files.push({ path: f.abs, text });
  }
  let fns = iam.projectFunctions(files, project, io.cwd);
  if (parsed.functions.length) {
    const missing = parsed.functions.filter((n) => !fns.some((f) => f.name === n));
    if (missing.length) {
      const known = fns.map((f) => f.name);
      return usage(core.escapeControl(redactor.text(`no function named ${missing.map((m) => `"${m}"`).join(', ')}${known.length ? ` (functions: ${known.join(', ')})` : ''}`)));
    }
    fns = fns.filter((f) => parsed.functions.includes(f.name));
  }
  if (!fns.length) {
    err('keyway policy: no Lambda function found (no serverless.yml, SAM/CloudFormation or CDK function, and no handler that reads parameters or secrets)\n');
    return 1;
  }

  const opts = { region: parsed.region, account: parsed.account };
  const single = fns.length === 1 && parsed.functions.length > 0;
  const warn = (m: string) => err(`keyway policy: warning: ${m}\n`);
  const pos = (file: string, r: { start: { line: number; character: number } }) => `${rel(io.cwd, file)}:${r.start.line + 1}:${r.start.character + 1}`;
  for (const fn of fns) {
    if (!fn.handlerFile) warn(`${fn.name}: handler ${fn.handlerSpec ?? '(none)'} not found; its policy is empty`);
    for (const u of fn.references.unresolved) {
      warn(`${fn.name}: ${pos(u.file, u.range)}: ${u.kind} name not known statically${u.hint ? ` (from ${u.hint})` : ''}; not in the policy`);
    }
  }
  if (parsed.format === 'json') {
    if (single) out(iam.renderPolicy(iam.generateStatements(fns[0].references.refs, 'json', opts), 'json', opts));
    else {
      const doc: Record<string, unknown> = {};
      for (const fn of fns) doc[fn.name] = iam.policyDocument(iam.generateStatements(fn.references.refs, 'json', opts));
      out(JSON.stringify(doc, null, 2) + '\n');
    }
    return 0;
  }
  const comment = parsed.format === 'cdk' ? '//' : '#';
  const parts: string[] = [];
  for (const fn of fns) {
    const body = iam.renderPolicy(iam.generateStatements(fn.references.refs, parsed.format, opts), parsed.format, { ...opts, name: fn.name });
    parts.push(single ? body : `${comment} ${describe(fn, io.cwd)}\n${body}`);
  }
  out(parts.join('\n'));
  return 0;
}
