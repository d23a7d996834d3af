// `keyway verify [paths…] --stage <name>`: before a deploy, every parameter and secret name the code and the IaC read,
// resolved for the stage, exists in the target account with the right type and is allowed by its function's policy.
// Text, JSON and SARIF; exit 1 on any failure.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { VerifyIssue, VerifyRef } from '../core/store/verify';
import { AWS_OPTIONS_HELP, AWS_VALUE_FLAGS, awsError, checkAwsOptions, connect, loadCore, one, parseOptions, printable, usageError, type CommandIo } from './awsCommand';
import { artifactUri, sarifLevel } from './format';
import { toolInfo } from './main';

export const VERIFY_USAGE = `Usage: keyway verify [paths…] --stage <name> [options]

Check, before a deploy, that every parameter and secret name the code and the IaC read exists in the target
account, with the right type (a SecureString where the code decrypts), and that the function's IAM policy allows
the read. Names are resolved for the stage: \${sls:stage}, \${opt:stage}, \${self:provider.stage}, !Sub parameters
named like a stage (\${Stage}, \${Environment}), and process.env.STAGE-style variables in code.

Options:
  --stage <name>        The stage to verify (required)
  --var <NAME=value>    Another variable: \${NAME} in IaC and process.env.NAME in code (repeatable)
  -f, --format <f>      text (default), json or sarif
  -o, --output <file>   Write the report to a file
${AWS_OPTIONS_HELP}
  -h, --help            Show this help

Exit codes: 0 every checked name is fine, 1 at least one failure, 2 usage or AWS error.
Names Keyway cannot resolve are listed as not checked (they do not fail the run).
`;

const RULE_TEXT: Record<string, string> = {
  missing: 'A name the code or IaC reads does not exist in the target account.',
  'wrong-type': 'A parameter has the wrong type for how it is read (SecureString vs String).',
  'not-allowed': "The function's IAM policy does not allow reading the name.",
  'kms-not-allowed': "The function's IAM policy does not allow kms:Decrypt for a SecureString it decrypts.",
  'pending-deletion': 'A secret the code reads is scheduled for deletion.',
  unresolved: 'A name depends on a variable Keyway cannot resolve for the stage (not checked).',
  partial: 'A name is computed at run time (not checked).',
};

function rel(cwd: string, p: string): string {
  const r = path.relative(cwd, p);
  return (r && !r.startsWith('..') ? r : p).split(path.sep).join('/');
}

function text(refs: readonly VerifyRef[], issues: readonly VerifyIssue[], o: { cwd: string; stage: string; region: string; summary: { checked: number; errors: number; warnings: number; functions: number } }): string {
  const lines: string[] = [`Verified ${refs.length} read${refs.length === 1 ? '' : 's'}${o.summary.functions ? ` by ${o.summary.functions} function${o.summary.functions === 1 ? '' : 's'}` : ''} against stage ${printable(o.stage)} (${o.region}).`];
  const byFile = new Map<string, VerifyIssue[]>();
  for (const i of issues) { const l = byFile.get(i.ref.file) ?? []; l.push(i); byFile.set(i.ref.file, l); }
  for (const [file, list] of [...byFile].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    lines.push('', printable(rel(o.cwd, file)));
    list.sort((a, b) => a.ref.range.start.line - b.ref.range.start.line || a.ref.range.start.character - b.ref.range.start.character);
    for (const i of list) {
      const loc = `${i.ref.range.start.line + 1}:${i.ref.range.start.character + 1}`;
      lines.push(`  ${loc.padStart(7)}  ${i.severity === 'error' ? 'error  ' : 'warning'}  ${printable(i.message)}  ${i.code}${i.ref.function ? ` (${printable(i.ref.function)})` : ''}`);
    }
  }
  lines.push('');
  if (o.summary.errors) lines.push(`✖ ${o.summary.errors} failure${o.summary.errors === 1 ? '' : 's'}; ${o.summary.checked} name${o.summary.checked === 1 ? '' : 's'} checked${o.summary.warnings ? `, ${o.summary.warnings} not checked` : ''}.`);
  else lines.push(`✔ ${o.summary.checked} name${o.summary.checked === 1 ? '' : 's'} checked, no failure${o.summary.warnings ? `; ${o.summary.warnings} not checked` : ''}.`);
  return lines.join('\n') + '\n';
}

function sarif(issues: readonly VerifyIssue[], cwd: string): string {
  const tool = toolInfo();
  const codes = Object.keys(RULE_TEXT);
  const doc = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0',
    runs: [{
      tool: { driver: { name: tool.name, version: tool.version, informationUri: tool.repositoryUrl, rules: codes.map((c) => ({ id: `keyway/verify/${c}`, shortDescription: { text: RULE_TEXT[c] }, helpUri: `${tool.repositoryUrl}/blob/HEAD/docs/beyond.md#verify`, defaultConfiguration: { level: c === 'unresolved' || c === 'partial' ? 'warning' : 'error' } })) } },
      originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd.endsWith(path.sep) ? cwd : cwd + path.sep).href } },
      columnKind: 'utf16CodeUnits',
      results: issues.map((i) => {
        const { uri, relative } = artifactUri(i.ref.file, cwd);
        const r = i.ref.range;
        return {
          ruleId: `keyway/verify/${i.code}`, ruleIndex: codes.indexOf(i.code), level: sarifLevel(i.severity), message: { text: i.message },
          locations: [{ physicalLocation: { artifactLocation: relative ? { uri, uriBaseId: '%SRCROOT%' } : { uri }, region: { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: Math.max(r.end.character + 1, r.start.character + 2) } } }],
          properties: { name: i.ref.name, kind: i.ref.kind, ...(i.ref.function ? { function: i.ref.function } : {}) },
        };
      }),
      invocations: [{ executionSuccessful: true }],
    }],
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

export async function runVerify(argv: readonly string[], io: CommandIo): Promise<number> {
  const p = parseOptions(argv, { values: [...AWS_VALUE_FLAGS, '--stage', '--var', '--format', '--output'], flags: ['--help', '--verbose'], repeat: ['--var'], aliases: { '-f': '--format', '-o': '--output', '-h': '--help' } });
  if ('error' in p) return usageError(io, 'verify', p.error);
  if (p.flags.has('--help')) { io.stdout(VERIFY_USAGE); return 0; }
  const stage = one(p, '--stage');
  if (!stage) return usageError(io, 'verify', '--stage is required (the stage whose account and names to check)');
  if (!/^[A-Za-z0-9_.-]+$/.test(stage)) return usageError(io, 'verify', `--stage "${stage}" is not a stage name (letters, digits, _ . -)`);
  const vars: Record<string, string> = {};
  for (const v of p.values.get('--var') ?? []) {
    const m = /^([A-Za-z_][\w:.-]*)=(.*)$/.exec(v);
    if (!m) return usageError(io, 'verify', `--var needs NAME=value (got "${v}")`);
    vars[m[1]] = m[2];
  }
  const format = one(p, '--format') ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) return usageError(io, 'verify', `--format must be text, json or sarif (got "${format}")`);
  const bad = checkAwsOptions(p);
  if (bad) return usageError(io, 'verify', bad);
  const paths = p.positional.length ? p.positional : ['.'];
  const abs = paths.map((x) => path.resolve(io.cwd, x));
  for (let i = 0; i < abs.length; i++) if (!fs.existsSync(abs[i])) return usageError(io, 'verify', `path not found: ${paths[i]}`);

  const core = await loadCore();
  const loaded = core.loadConfig(core.commonRoot(abs));
  const collected = core.collectFiles(abs, { config: loaded.config, configFile: loaded.file });
  const project = new core.FsProjectContext(loaded.config.maxFileSize);
  const files: { path: string; text: string }[] = [];
  const unreadable: string[] = [];
  for (const f of collected.files) {
    const t = project.readFile(f.abs);
    if (t === undefined) unreadable.push(f.abs); else files.push({ path: f.abs, text: t });
  }
  let connected;
  try { connected = await connect(p, io); } catch (e) { return awsError(io, 'verify', e); }
  const { aws, conn } = connected;
  try {
    const opts = { stage, vars, region: conn.region };
    let refs = core.store.verifyReferences({ files, project, cwd: io.cwd }, opts);
    if (refs.some((r) => r.unresolved.some((u) => /AccountId|accountId/.test(u)))) {
      const account = (await conn.whoAmI(io.signal)).account;
      refs = core.store.verifyReferences({ files, project, cwd: io.cwd }, { ...opts, account });
    }
    const lookups = await aws.lookupNames(conn, core.store.namesToLookUp(refs), { signal: io.signal });
    const issues = refs.flatMap((r) => core.store.judgeReference(r, lookups.get(core.store.lookupKey(r)), stage));
    const summary = core.store.verifySummary(refs, issues);
    let out: string;
    if (format === 'sarif') out = sarif(issues, io.cwd);
    else if (format === 'json') {
      out = JSON.stringify({
        stage, region: conn.region, summary,
        references: refs.map((r) => ({ name: r.name, written: r.written, kind: r.kind, via: r.via, source: r.source, file: rel(io.cwd, r.file), range: r.range, ...(r.function ? { function: r.function } : {}), ...(r.grant ? { grant: r.grant } : {}) })),
        issues: issues.map((i) => ({ code: i.code, severity: i.severity, message: i.message, name: i.ref.name, file: rel(io.cwd, i.ref.file), range: i.ref.range, ...(i.ref.function ? { function: i.ref.function } : {}) })),
        errors: unreadable.map((f) => ({ path: rel(io.cwd, f), message: 'could not be read' })),
      }, null, 2) + '\n';
    } else out = text(refs, issues, { cwd: io.cwd, stage, region: conn.region, summary });
    const file = one(p, '--output');
    if (file) {
      try { fs.writeFileSync(path.resolve(io.cwd, file), out); } catch (e) { return usageError(io, 'verify', `cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
    } else io.stdout(out);
    for (const f of unreadable) io.stderr(`keyway verify: warning: ${printable(rel(io.cwd, f))}: could not be read\n`);
    if (!refs.length) io.stderr('keyway verify: no parameter or secret read found in these paths\n');
    return summary.errors ? 1 : 0;
  } catch (e) {
    return awsError(io, 'verify', e);
  } finally {
    conn.dispose();
  }
}
