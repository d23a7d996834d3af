// `keyway import <file.env> --path <prefix>`: each key classified by the three questions (sensitive? needs rotation?)
// into a String, a SecureString or (with --rotate KEY) a Secrets Manager secret. A dry run by default: it shows what
// would be created, updated or left unchanged (values compared by hash, never printed); --apply writes and reads back.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ImportPlanEntry, KeyStyle } from '../core/store/transfer';
import { AWS_OPTIONS_HELP, AWS_VALUE_FLAGS, awsError, checkAwsOptions, connect, loadCore, one, parseOptions, printable, usageError, type CommandIo } from './awsCommand';

export const IMPORT_USAGE = `Usage: keyway import <file.env> --path <prefix> [options]

Import a .env file under a path. Each key is classified by the three questions: not sensitive → String parameter;
sensitive → SecureString; sensitive and --rotate KEY → Secrets Manager secret. A dry run unless --apply is given.

Options:
  --path <prefix>       Where the keys go, e.g. /my-app/staging (required)
  --apply               Write the values (otherwise only show the plan)
  --overwrite           With --apply: write a new version of names that exist with another value or type
  --rotate <KEY>        This key needs automatic rotation: Secrets Manager ($0.40 a month; repeatable)
  --key-style <s>       keep (default: DB_PASSWORD), kebab (db-password) or lower (db_password)
  -f, --format <f>      text (default) or json
${AWS_OPTIONS_HELP}
  -h, --help            Show this help

Values are never printed. Exit codes: 0 plan shown or everything written, 1 some keys have problems or failed,
2 usage or AWS error.
`;

const DEST_LABEL: Record<string, string> = { String: 'String', SecureString: 'SecureString', SecretsManager: 'Secrets Manager' };

function planText(entries: readonly ImportPlanEntry[], o: { file: string; prefix: string; apply: boolean; region: string }): string {
  const lines = [`${o.apply ? 'Importing' : 'Dry run: importing'} ${printable(o.file)} under ${printable(o.prefix)} (${o.region})`, ''];
  const w = Math.min(40, Math.max(...entries.map((e) => e.key.length), 3));
  for (const e of entries) {
    const action = e.problems.length ? 'invalid' : e.action ?? '?';
    lines.push(`  ${printable(e.key).padEnd(w)}  → ${printable(e.name)}`);
    lines.push(`  ${' '.repeat(w)}    ${DEST_LABEL[e.destination]}${e.tier === 'Advanced' ? ' (Advanced)' : ''}, ${e.monthly ? `$${e.monthly.toFixed(2)}/month` : 'free'}; sensitive: ${e.sensitive ? 'yes' : 'no'} (${e.sensitiveWhy}); rotation: ${e.rotation ? 'yes' : 'no'}; ${action}${e.actionWhy ? ` (${printable(e.actionWhy)})` : ''}`);
    for (const pr of e.problems) lines.push(`  ${' '.repeat(w)}    problem: ${printable(pr)}`);
    if (e.rotationHint) lines.push(`  ${' '.repeat(w)}    note: ${printable(e.rotationHint)}`);
  }
  return lines.join('\n') + '\n';
}

export async function runImport(argv: readonly string[], io: CommandIo): Promise<number> {
  const p = parseOptions(argv, {
    values: [...AWS_VALUE_FLAGS, '--path', '--rotate', '--key-style', '--format'], repeat: ['--rotate'],
    flags: ['--apply', '--overwrite', '--help', '--verbose'], aliases: { '-f': '--format', '-h': '--help' },
  });
  if ('error' in p) return usageError(io, 'import', p.error);
  if (p.flags.has('--help')) { io.stdout(IMPORT_USAGE); return 0; }
  if (p.positional.length !== 1) return usageError(io, 'import', `expected one .env file, got ${p.positional.length}`);
  const prefix = one(p, '--path');
  if (!prefix) return usageError(io, 'import', '--path is required (where the keys go, e.g. /my-app/staging)');
  const keyStyle = (one(p, '--key-style') ?? 'keep') as KeyStyle;
  if (!['keep', 'kebab', 'lower'].includes(keyStyle)) return usageError(io, 'import', `--key-style must be keep, kebab or lower (got "${keyStyle}")`);
  const format = one(p, '--format') ?? 'text';
  if (format !== 'text' && format !== 'json') return usageError(io, 'import', `--format must be text or json (got "${format}")`);
  if (p.flags.has('--overwrite') && !p.flags.has('--apply')) return usageError(io, 'import', '--overwrite only makes sense with --apply');
  const bad = checkAwsOptions(p);
  if (bad) return usageError(io, 'import', bad);
  const file = p.positional[0];
  let text: string;
  try { text = fs.readFileSync(path.resolve(io.cwd, file), 'utf8'); } catch (e) { return usageError(io, 'import', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  const core = await loadCore();
  const normalized = prefix.replace(/\/+$/, '');
  const rotate = p.values.get('--rotate') ?? [];
  const plan = core.store.planImport(text, { prefix: normalized.startsWith('/') ? normalized : `/${normalized}`, keyStyle, rotate });
  if (!plan.entries.length) { io.stderr(`keyway import: no KEY=value line in ${printable(file)}\n`); return 2; }
  const unknownRotate = rotate.filter((k) => !plan.entries.some((e) => e.key === k));
  if (unknownRotate.length) return usageError(io, 'import', `--rotate names keys that are not in ${file}: ${unknownRotate.join(', ')}`);
  for (const d of plan.duplicates) io.stderr(`keyway import: warning: ${printable(d)} is set more than once; the last value is used\n`);
  let connected;
  try { connected = await connect(p, io); } catch (e) { return awsError(io, 'import', e); }
  const { aws, conn } = connected;
  try {
    const valid = plan.entries.filter((e) => !e.problems.length);
    const items = valid.map((e) => ({ name: e.name, value: e.value, destination: e.destination, tier: e.tier }));
    const checks = await aws.checkImport(conn, items, { signal: io.signal });
    for (const e of valid) { const c = checks.get(e.name); if (c) { e.action = c.action; if (c.why) e.actionWhy = c.why; } }
    let failed = plan.entries.length - valid.length;
    let results: Awaited<ReturnType<typeof aws.applyImport>> = [];
    if (p.flags.has('--apply')) {
      results = await aws.applyImport(conn, items, checks, { overwrite: p.flags.has('--overwrite') });
      failed += results.filter((r) => !r.ok).length;
    }
    if (format === 'json') {
      io.stdout(JSON.stringify({ file, path: normalized, region: conn.region, applied: p.flags.has('--apply'), plan: core.store.planJson(plan.entries), results }, null, 2) + '\n');
    } else {
      io.stdout(planText(plan.entries, { file, prefix: normalized, apply: p.flags.has('--apply'), region: conn.region }));
      if (results.length) {
        io.stdout('\n');
        for (const r of results) io.stdout(`  ${r.ok ? '✔' : '✖'} ${printable(r.name)}: ${r.ok ? (r.message ?? `${r.action}d`) : printable(r.message ?? 'failed')}\n`);
      }
      const count = (a: string) => plan.entries.filter((e) => e.action === a).length;
      io.stdout(`\n${count('create')} to create, ${count('update')} to update, ${count('unchanged')} unchanged, ${count('conflict')} in conflict, ${plan.entries.length - valid.length} invalid.${p.flags.has('--apply') ? '' : ' Nothing was written: run again with --apply.'}\n`);
    }
    return failed || plan.entries.some((e) => e.action === 'conflict') ? 1 : 0;
  } catch (e) {
    return awsError(io, 'import', e);
  } finally {
    conn.dispose();
  }
}
