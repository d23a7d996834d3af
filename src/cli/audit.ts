// `keyway audit`: the seed's decision framework applied to what the account already stores, with a monthly cost per
// finding and a total. Streams both listings, reads only the values the checks need, shows progress on a terminal,
// and stops cleanly on Ctrl-C with what it has. `--fix` offers each finding's safe fix, one confirmation at a time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AuditFinding } from '../core/store/audit/types';
import { AWS_OPTIONS_HELP, AWS_VALUE_FLAGS, awsError, checkAwsOptions, connect, loadCore, one, parseOptions, printable, usageError, type CommandIo } from './awsCommand';

export const AUDIT_USAGE = `Usage: keyway audit [options]

Audit the account's Parameter Store and Secrets Manager against the three-question framework, with the monthly cost
of each finding and the total you can save:
  - secrets without rotation holding a single value a SecureString would hold ($0.40 a month each);
  - plain configuration kept in Secrets Manager;
  - String parameters whose names or values look sensitive;
  - Advanced-tier parameters that fit Standard;
  - rotation failing or overdue, secrets pending deletion, secrets not read for 90 days.
Values are read only where a check needs them (Strings, Advanced parameters, secrets without rotation), judged in
memory and never printed or kept.

Options:
  -f, --format <f>         text (default), markdown or json
  -o, --output <file>      Write the report to a file
  --min-severity <level>   Exit with 1 when a finding is at least this severe: warning (default), info, or none
  --no-values              Judge metadata only (no value is read; fewer findings)
  --fix                    Offer each finding's fix, asking before every change (needs a terminal)
  --concurrency <n>        Value reads in flight (default 4)
${AWS_OPTIONS_HELP}
  -h, --help               Show this help

Ctrl-C stops the audit and prints the findings so far, marked incomplete.
Exit codes: 0 no finding at or above --min-severity, 1 findings, 2 usage or AWS error.
`;

export async function runAudit(argv: readonly string[], io: CommandIo): Promise<number> {
  const p = parseOptions(argv, {
    values: [...AWS_VALUE_FLAGS, '--format', '--output', '--min-severity', '--concurrency'],
    flags: ['--no-values', '--fix', '--help', '--verbose'], aliases: { '-f': '--format', '-o': '--output', '-h': '--help' },
  });
  if ('error' in p) return usageError(io, 'audit', p.error);
  if (p.flags.has('--help')) { io.stdout(AUDIT_USAGE); return 0; }
  if (p.positional.length) return usageError(io, 'audit', `unexpected argument "${p.positional[0]}"`);
  const format = one(p, '--format') ?? 'text';
  if (!['text', 'markdown', 'json'].includes(format)) return usageError(io, 'audit', `--format must be text, markdown or json (got "${format}")`);
  const min = one(p, '--min-severity') ?? 'warning';
  if (!['warning', 'info', 'none'].includes(min)) return usageError(io, 'audit', `--min-severity must be warning, info or none (got "${min}")`);
  const conc = one(p, '--concurrency');
  const concurrency = conc === undefined ? 4 : Number(conc);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) return usageError(io, 'audit', `--concurrency must be 1 to 32 (got "${conc}")`);
  if (p.flags.has('--fix') && !io.ask) return usageError(io, 'audit', '--fix asks before every change: run it in a terminal');
  const bad = checkAwsOptions(p);
  if (bad) return usageError(io, 'audit', bad);
  const core = await loadCore();
  const audit = core.store.audit;
  let connected;
  try { connected = await connect(p, io); } catch (e) { return awsError(io, 'audit', e); }
  const { aws, conn, counter } = connected;
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  io.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let account: string | undefined;
    try { account = (await conn.whoAmI(controller.signal)).account; } catch (e) {
      const info = (e as { info?: { kind: string } }).info;
      if (info && info.kind !== 'Network' && info.kind !== 'Unknown') return awsError(io, 'audit', e);
    }
    const index = new aws.ExplorerIndex(conn);
    const now = Date.now();
    let lastDraw = 0;
    const result = await aws.runAudit<ReturnType<typeof audit.valueFacts>, AuditFinding>({
      index, ownsIndex: true, signal: controller.signal, concurrency,
      need: p.flags.has('--no-values') ? () => undefined : audit.valueNeed,
      inspect: audit.valueFacts,
      judge: (item) => audit.auditItem(item, { now }),
      onProgress: io.stderrIsTTY ? (x) => {
        const t = Date.now();
        if (t - lastDraw < 100) return;
        lastDraw = t;
        io.stderr(`\rAuditing… ${x.parameters} parameters, ${x.secrets} secrets${x.listing ? ' (listing)' : ''}; values ${x.valuesRead}/${x.valuesQueued}; ${x.findings} findings\x1b[K`);
      } : undefined,
    });
    if (io.stderrIsTTY) io.stderr('\r\x1b[K');
    if (result.cancelled) io.stderr('keyway audit: cancelled; the report covers what was scanned.\n');
    const report = core.store.buildReport({
      generatedAt: new Date(now).toISOString(), account, region: conn.region, endpoint: conn.endpoint,
      scanned: result.scanned, complete: result.complete, errors: result.errors, findings: result.findings, apiCalls: counter.total,
    });
    const text = format === 'json' ? core.store.auditJson(report) : format === 'markdown' ? core.store.auditMarkdown(report) : auditText(report, audit);
    const out = one(p, '--output');
    if (out) {
      try { fs.writeFileSync(path.resolve(io.cwd, out), text); } catch (e) { return usageError(io, 'audit', `cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
      io.stderr(`keyway audit: wrote ${out} (${report.totals.findings} findings, ${audit.usd(report.totals.monthlySavings)} a month to save)\n`);
    } else io.stdout(text);
    for (const e of result.errors) io.stderr(`keyway audit: warning: ${printable(e.where)}: ${printable(e.message)}\n`);
    if (p.flags.has('--fix') && !result.cancelled) await fixInteractively(report.findings, io, conn, aws, core);
    const failing = report.findings.some((f) => (min === 'info' ? true : min === 'warning' ? f.severity === 'warning' : false));
    return failing ? 1 : result.complete ? 0 : 2;
  } catch (e) {
    return awsError(io, 'audit', e);
  } finally {
    io.signal?.removeEventListener('abort', onAbort);
    conn.dispose();
  }
}

type Core = Awaited<ReturnType<typeof loadCore>>;
type AuditModule = Core['store']['audit'];

/** The report for a terminal: a summary table, then each finding with its cost, grouped by check. */
export function auditText(r: ReturnType<Core['store']['buildReport']>, audit: AuditModule): string {
  const lines: string[] = [];
  lines.push(`Audit of ${r.account ? `account ${r.account}, ` : ''}${r.region}${r.endpoint ? ` (${printable(r.endpoint)})` : ''}: ${r.scanned.parameters} parameters, ${r.scanned.secrets} secrets, ${r.scanned.valuesRead} values read (none kept)${r.apiCalls !== undefined ? `, ${r.apiCalls} API calls` : ''}.`);
  if (!r.complete) lines.push('INCOMPLETE: cancelled or a listing failed; the findings cover what was scanned.');
  let current: string | undefined;
  for (const f of r.findings) {
    if (f.check !== current) {
      current = f.check;
      const c = r.totals.byCheck.find((x) => x.check === f.check)!;
      lines.push('', `${c.title} (${c.count}${c.monthlySavings ? `, saves ${audit.usd(c.monthlySavings)}/month` : ''})`);
    }
    const cost = `${audit.usd(f.monthlyCost)} → ${audit.usd(f.monthlyCostAfter)}/mo`;
    lines.push(`  ${f.severity === 'warning' ? 'warning' : 'info   '}  ${printable(f.name)}  ${cost}`);
    lines.push(`           ${printable(f.message)}`);
    lines.push(`           fix: ${printable(f.fix.title)}`);
  }
  lines.push('');
  if (!r.findings.length) lines.push(r.complete ? '✔ No findings.' : `No findings in what was scanned; the audit is incomplete${r.errors.length ? ' (see the warnings below)' : ''}.`);
  else lines.push(`${r.totals.findings} finding${r.totals.findings === 1 ? '' : 's'}; flagged items cost ${audit.usd(r.totals.monthlyCost)}/month; fixing them saves ${audit.usd(r.totals.monthlySavings)}/month (${audit.usd(r.totals.monthlySavings * 12)}/year).`);
  return lines.join('\n') + '\n';
}

async function fixInteractively(findings: readonly AuditFinding[], io: CommandIo, conn: import('../aws/index').Connection, aws: typeof import('../aws/index'), core: Core): Promise<void> {
  const explorer = new aws.ExplorerIndex(conn);
  try {
    await explorer.load(io.signal);
    for (const f of findings) {
      if (io.signal?.aborted) return;
      if (!(await io.ask!(`\n${f.name}: ${f.message}\nFix: ${f.fix.title}. ${f.fix.steps}\nApply this fix? [y/N] `))) continue;
      const meta = f.kind === 'parameter' ? explorer.parameters.get(f.name) : explorer.secrets.get(f.name);
      if (!meta) { io.stderr(`keyway audit: ${printable(f.name)} is gone; skipped\n`); continue; }
      const outcome = await aws.applyAuditFix(conn, f.fix.action, meta, {
        confirm: async (q) => io.ask!(`${q.message}\n${q.detail}\n${q.button}? [y/N] `),
        validate: (store, name, value) => core.store.validateNew({ store, name, value, region: conn.region }).map((x) => x.message),
      }, f.fix.target);
      io.stderr(`${outcome.done ? '✔' : outcome.declined ? '–' : '✖'} ${printable(outcome.message)}\n`);
    }
  } finally {
    explorer.dispose();
  }
}
