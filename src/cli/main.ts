// The `keyway` command. Built to dist/cli.js; core loads lazily (dist/core.js) so `--help` stays instant.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding, Rule, RuleId, Severity } from '../core/types';
import { parseArgs, USAGE, type ScanArgs } from './args';
import { fixFiles, type FixSummary } from './fix';
import { loadCore } from './loadCore';
import { heapKeeper } from './memory';
import { formatJson, formatSarif, formatText, reachesThreshold, repositoryHome, type Report, type ToolInfo } from './format';

export interface Io {
  /** Aborted on Ctrl-C (long AWS commands stop and report what they have). */
  signal?: AbortSignal;
  /** Yes/no on the terminal (`keyway audit --fix`). */
  ask?: (question: string) => Promise<boolean>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stderrIsTTY: boolean;
  stdoutIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const RULE_IDS: readonly RuleId[] = [
  'hardcoded-secret', 'secret-in-env', 'uncached-fetch', 'client-in-handler', 'sequential-fetch',
  'missing-decryption', 'nonsensitive-in-secrets-manager', 'iam-wildcard-resource',
  'iam-missing-kms-decrypt', 'iam-overbroad-resource', 'iam-missing-grant', 'secret-exposed',
];

/** Name, version and repository from the package.json above this file (dist/ or out/src/cli/). */
export function toolInfo(): ToolInfo {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string; repository?: unknown };
      if (pkg.name === 'keyway') return { name: 'keyway', version: pkg.version ?? '0.0.0', repositoryUrl: repositoryHome(pkg.repository) };
    } catch { /* keep looking */ }
    dir = path.dirname(dir);
  }
  return { name: 'keyway', version: '0.0.0', repositoryUrl: '' };
}

function usageError(io: Io, message: string): number {
  io.stderr(`keyway: ${message}\nRun "keyway --help" for usage.\n`);
  return 2;
}

/** Commands in their own files (src/cli/<command>.ts), loaded on use (`.js`: resolves in out/ and in the bundle). */
const COMMANDS: Record<string, () => Promise<(argv: string[], io: Io) => Promise<number>>> = {
  policy: async () => (await import('./policy.js')).runPolicy,
  diff: async () => (await import('./diff.js')).runDiff,
  verify: async () => (await import('./verify.js')).runVerify,
  audit: async () => (await import('./audit.js')).runAudit,
  export: async () => (await import('./export.js')).runExport,
  import: async () => (await import('./import.js')).runImport,
};

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const command = COMMANDS[argv[0]];
  if (command) return (await command())(argv.slice(1), io);
  const parsed = parseArgs(argv, RULE_IDS);
  switch (parsed.command) {
    case 'help': io.stdout(USAGE + '\n'); return 0;
    case 'version': io.stdout(toolInfo().version + '\n'); return 0;
    case 'error': return usageError(io, parsed.message);
    default: return scan(parsed, io);
  }
}

async function scan(args: ScanArgs, io: Io): Promise<number> {
  const resolve = (p: string) => path.resolve(io.cwd, p);
  for (const p of args.paths) {
    if (!fs.existsSync(resolve(p))) return usageError(io, `path not found: ${p}`);
  }
  if (args.config && !fs.existsSync(resolve(args.config))) return usageError(io, `config file not found: ${args.config}`);

  // Before loading core: --expose-gc changes V8's flag hash, and a code cache written under other flags than it is
  // read under is rejected (every run would compile the 11 MB bundle again and rewrite the cache).
  const keepHeapSmall = heapKeeper();
  const core = await loadCore(io.env);
  const loaded = core.loadConfig(core.commonRoot(args.paths.map(resolve)), args.config ? resolve(args.config) : undefined);
  if (loaded.errors.length) {
    io.stderr(loaded.errors.map((e) => `keyway: ${e}\n`).join(''));
    return 2;
  }
  const config = args.minConfidence ? { ...loaded.config, minConfidence: args.minConfidence } : loaded.config;
  const maxFileSize = args.maxFileSize ?? config.maxFileSize;
  const rules: readonly Rule[] = args.rules.length ? core.allRules.filter((r) => args.rules.includes(r.meta.id)) : core.allRules;

  const showProgress = io.stderrIsTTY;
  let lastDraw = 0;
  const result = core.scanPaths(args.paths, {
    config, configFile: loaded.file, maxFileSize, rules,
    onProgress: (p) => {
      keepHeapSmall(p.done);
      if (!showProgress) return;
      const now = Date.now();
      if (now - lastDraw < 80 && p.done < p.total) return;
      lastDraw = now;
      io.stderr(`\rScanning… ${p.done}/${p.total} files`);
    },
  });
  if (showProgress) io.stderr('\r\x1b[K');

  let findings: Finding[] = result.findings;
  let errors = [...result.errors];
  let fix: FixSummary | undefined;
  // The flagged secrets' texts, read before --fix rewrites anything: every output masks them (memory only).
  const readText = (file: string) => { try { return core.decodeText(fs.readFileSync(path.resolve(io.cwd, file)))?.text; } catch { return undefined; } };
  const secrets = core.flaggedSecretTexts(findings, readText);
  if (args.fix) {
    const project = new core.FsProjectContext(maxFileSize);
    const outcome = await fixFiles(core, findings, { config, project, rules, maxFileSize });
    fix = outcome.summary;
    // What remains is what a fresh scan finds: fixing one file changes findings in others (IaC grants, callers).
    if (fix.filesFixed) {
      const again = core.scanPaths(args.paths, { config, configFile: loaded.file, maxFileSize, rules });
      findings = again.findings;
      errors = [...again.errors];
    }
    errors.push(...outcome.errors);
  }

  if (args.fix) secrets.push(...core.flaggedSecretTexts(findings, readText));
  const redactor = new core.Redactor(secrets);
  const report: Report = {
    findings, filesScanned: result.filesScanned, filesRead: result.filesRead, filesSkipped: result.filesSkipped, ignore: result.ignore, errors,
    filesFixed: fix?.filesFixed, fix, redactor,
  };
  const tool = toolInfo();
  const toFile = !!args.output;
  const color = !toFile && io.stdoutIsTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
  let text: string;
  switch (args.format) {
    case 'json': text = formatJson(report, tool); break;
    case 'sarif':
      text = formatSarif(report, tool, core.allRules.map((r) => r.meta), {
        cwd: io.cwd,
        configuredSeverity: (id) => { const s = config.rules[id as RuleId]; return s && s !== 'off' ? (s as Severity) : undefined; },
      });
      break;
    default: text = formatText(report, { color, cwd: io.cwd });
  }
  if (args.output) {
    try {
      fs.writeFileSync(resolve(args.output), text);
    } catch (e) {
      return usageError(io, `cannot write ${args.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  } else {
    io.stdout(text);
  }
  // The text report lists these itself; JSON and SARIF carry them in `errors` / notifications, and stderr tells a human.
  if (args.format !== 'text' || args.output) {
    const warn = (m: string) => io.stderr(`keyway: warning: ${core.escapeControl(redactor.text(m))}\n`);
    for (const e of errors) warn(`${e.path}${e.line ? `:${e.line}` : ''}: ${e.message}`);
    for (const f of fix?.failed ?? []) warn(`${f.file}:${f.line}: fix not applied for ${f.ruleId}: ${f.reason}`);
  }
  // A fix that failed fails the run, whatever remains.
  return reachesThreshold(findings, args.minSeverity) || (fix?.failed.length ?? 0) > 0 ? 1 : 0;
}

if (require.main === module) {
  const io: Io = {
    stdout: (s) => { process.stdout.write(s); },
    stderr: (s) => { process.stderr.write(s); },
    stderrIsTTY: !!process.stderr.isTTY,
    stdoutIsTTY: !!process.stdout.isTTY,
    env: process.env,
    cwd: process.cwd(),
  };
  const interrupt = new AbortController();
  process.once('SIGINT', () => { interrupt.abort(); process.once('SIGINT', () => process.exit(130)); });
  io.signal = interrupt.signal;
  if (process.stdin.isTTY && process.stderr.isTTY) {
    io.ask = async (q) => {
      const rl = (await import('node:readline')).createInterface({ input: process.stdin, output: process.stderr });
      try { return /^y(es)?$/i.test((await new Promise<string>((r) => rl.question(q, r))).trim()); } finally { rl.close(); }
    };
  }
  main(process.argv.slice(2), io).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => {
      process.stderr.write(`keyway: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
