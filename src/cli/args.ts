// Command-line parsing for `keyway`. Pure: returns a parsed command or a usage error message.
import type { RuleId, Severity } from '../core/types';

export type Format = 'text' | 'json' | 'sarif';
export const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];
const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

export interface ScanArgs {
  command: 'scan';
  paths: string[];
  format: Format;
  fix: boolean;
  rules: RuleId[];
  minSeverity: Severity;
  /** hardcoded-secret: keep only findings at least this confident. */
  minConfidence?: 'high' | 'medium';
  maxFileSize?: number;
  config?: string;
  output?: string;
}

export type Parsed =
  | ScanArgs
  | { command: 'help' }
  | { command: 'version' }
  | { command: 'error'; message: string };

export const USAGE = `Usage: keyway scan [paths…] [options]
       keyway policy [paths…] [options]   (least-privilege IAM; see keyway policy --help)
       keyway diff <pathA> <pathB>        (environment parity; keyway diff --help)
       keyway verify [paths…] --stage s   (names the code reads exist, typed and allowed; keyway verify --help)
       keyway audit                       (the account against the three questions, with costs; keyway audit --help)
       keyway export <path> | import <file.env> --path p   (dotenv/JSON; keyway export --help)
       keyway --help | --version

Find hardcoded secrets, secrets in Lambda environments, uncached or wasteful
Parameter Store / Secrets Manager calls and over-broad IAM in TS/JS code,
serverless.yml, SAM/CloudFormation templates, IAM JSON and .env files, and
secrets in every config file kind: TOML, INI, .properties, .npmrc, .netrc,
.git-credentials, docker-compose, Dockerfiles, shell scripts, CI workflows,
test snapshots, Terraform and key files.

Paths default to the current folder. Folders are walked; .keywayignore and
the "ignore" globs of .keywayrc.json are honoured, and so is .gitignore except
for files git tracks; node_modules, untracked build output, binary files and
links out of the folder are skipped. Minified and oversized files get a fast
provider-key pass. The summary counts files read per kind and skipped per
reason; files that could not be parsed are listed (never silently dropped).

Options:
  -f, --format <text|json|sarif>  Output format (default: text)
      --fix                       Apply each finding's preferred fix, write the files,
                                  then report what remains
      --rule <id>                 Run only this rule (repeatable, or comma-separated)
      --min-severity <level>      Exit with 1 when a finding is at least this severe:
                                  error, warning, info or hint (default: warning)
      --min-confidence <level>    Report secrets only at this confidence or above:
                                  high (verified provider formats, private keys,
                                  strong random values) or medium (default)
      --max-file-size <bytes>     Skip larger files (default: 1048576; k/m suffixes allowed)
  -c, --config <file>             Use this .keywayrc.json instead of the nearest one
  -o, --output <file>             Write the report to a file instead of stdout
  -h, --help                      Show this help
  -v, --version                   Show the version

Exit codes: 0 no finding at or above --min-severity, 1 findings at or above it,
2 usage or configuration error.`;

const VALUE_FLAGS = new Set(['--format', '-f', '--rule', '--min-severity', '--min-confidence', '--max-file-size', '--config', '-c', '--output', '-o']);

function parseSize(v: string): number | undefined {
  const m = /^(\d+)\s*(b|k|kb|kib|m|mb|mib)?$/i.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1;
  const size = n * mult;
  return Number.isSafeInteger(size) && size > 0 ? size : undefined;
}

/** Parse `argv` (without node and script). `knownRules` validates `--rule`. */
export function parseArgs(argv: readonly string[], knownRules: readonly string[]): Parsed {
  if (argv.length === 0) return { command: 'error', message: 'missing command (expected "scan" or "policy")' };
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') return { command: 'help' };
  if (first === '--version' || first === '-v' || first === '-V') return { command: 'version' };
  if (first !== 'scan') {
    return { command: 'error', message: first.startsWith('-') ? `unknown option "${first}"` : `unknown command "${first}" (expected scan, policy, diff, verify, audit, export or import)` };
  }
  const out: ScanArgs = { command: 'scan', paths: [], format: 'text', fix: false, rules: [], minSeverity: 'warning' };
  let onlyPaths = false;
  for (let i = 0; i < rest.length; i++) {
    let arg = rest[i];
    if (onlyPaths || !arg.startsWith('-') || arg === '-') {
      out.paths.push(arg);
      continue;
    }
    if (arg === '--') { onlyPaths = true; continue; }
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) { value = arg.slice(eq + 1); arg = arg.slice(0, eq); }
    if (arg === '--help' || arg === '-h') return { command: 'help' };
    if (arg === '--version' || arg === '-v') return { command: 'version' };
    if (arg === '--fix') {
      if (value !== undefined) return { command: 'error', message: '--fix takes no value' };
      out.fix = true;
      continue;
    }
    if (!VALUE_FLAGS.has(arg)) return { command: 'error', message: `unknown option "${arg}"` };
    if (value === undefined) {
      if (i + 1 >= rest.length) return { command: 'error', message: `option "${arg}" needs a value` };
      value = rest[++i];
    }
    switch (arg) {
      case '--format': case '-f':
        if (!(FORMATS as readonly string[]).includes(value)) return { command: 'error', message: `invalid --format "${value}" (expected ${FORMATS.join(', ')})` };
        out.format = value as Format;
        break;
      case '--rule':
        if (!value.split(',').some((s) => s.trim())) return { command: 'error', message: 'option "--rule" needs a rule id' };
        for (const id of value.split(',').map((s) => s.trim()).filter(Boolean)) {
          if (!knownRules.includes(id)) return { command: 'error', message: `unknown rule "${id}" (known: ${knownRules.join(', ')})` };
          if (!out.rules.includes(id as RuleId)) out.rules.push(id as RuleId);
        }
        break;
      case '--min-severity':
        if (!(SEVERITIES as readonly string[]).includes(value)) return { command: 'error', message: `invalid --min-severity "${value}" (expected ${SEVERITIES.join(', ')})` };
        out.minSeverity = value as Severity;
        break;
      case '--min-confidence':
        if (value !== 'high' && value !== 'medium') return { command: 'error', message: `invalid --min-confidence "${value}" (expected high or medium)` };
        out.minConfidence = value;
        break;
      case '--max-file-size': {
        const n = parseSize(value);
        if (n === undefined) return { command: 'error', message: `invalid --max-file-size "${value}" (expected a positive number of bytes, e.g. 1048576 or 2m)` };
        out.maxFileSize = n;
        break;
      }
      case '--config': case '-c':
        if (!value) return { command: 'error', message: 'option "--config" needs a file' };
        out.config = value;
        break;
      case '--output': case '-o':
        if (!value) return { command: 'error', message: 'option "--output" needs a file' };
        out.output = value;
        break;
    }
  }
  if (out.paths.length === 0) out.paths.push('.');
  return out;
}
