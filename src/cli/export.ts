// `keyway export <path> --format dotenv|json`: the values under a path, chamber-style. Plain parameters always;
// SecureStrings and secrets only with --with-decryption, with a warning, and files are written readable by the owner only.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AWS_OPTIONS_HELP, AWS_VALUE_FLAGS, awsError, checkAwsOptions, connect, loadCore, one, parseOptions, printable, usageError, type CommandIo } from './awsCommand';

export const EXPORT_USAGE = `Usage: keyway export <path> [options]

Print the values under a path (e.g. /my-app/staging) as a .env file or JSON. String and StringList parameters are
always exported; SecureStrings and Secrets Manager secrets under the same prefix only with --with-decryption.

Options:
  -f, --format <f>      dotenv (default) or json
  --with-decryption     Include SecureStrings and secrets, decrypted (a warning is printed)
  -o, --output <file>   Write to a file (created readable by you only) instead of stdout
${AWS_OPTIONS_HELP}
  -h, --help            Show this help

Dotenv keys are the names after the path, upper-cased with _ (db-password → DB_PASSWORD); JSON keeps the names.
Exit codes: 0 exported, 2 usage or AWS error (including two names that map to the same key).
`;

export async function runExport(argv: readonly string[], io: CommandIo): Promise<number> {
  const p = parseOptions(argv, { values: [...AWS_VALUE_FLAGS, '--format', '--output'], flags: ['--with-decryption', '--help', '--verbose'], aliases: { '-f': '--format', '-o': '--output', '-h': '--help' } });
  if ('error' in p) return usageError(io, 'export', p.error);
  if (p.flags.has('--help')) { io.stdout(EXPORT_USAGE); return 0; }
  if (p.positional.length !== 1) return usageError(io, 'export', `expected one path, got ${p.positional.length}`);
  const format = one(p, '--format') ?? 'dotenv';
  if (format !== 'dotenv' && format !== 'json') return usageError(io, 'export', `--format must be dotenv or json (got "${format}")`);
  const bad = checkAwsOptions(p);
  if (bad) return usageError(io, 'export', bad);
  const root = p.positional[0].replace(/\/+$/, '');
  if (!root || root === '/') return usageError(io, 'export', 'give a path below the root, e.g. /my-app/staging');
  const withDecryption = p.flags.has('--with-decryption');
  const core = await loadCore();
  let connected;
  try { connected = await connect(p, io); } catch (e) { return awsError(io, 'export', e); }
  const { aws, conn } = connected;
  try {
    const { values, skipped } = await aws.readExport(conn, root, { withDecryption, signal: io.signal });
    const entries = values.map((v) => ({ rel: v.rel, value: v.value }));
    let out: string;
    if (format === 'json') {
      const dup = new Map<string, number>();
      for (const e of entries) dup.set(e.rel, (dup.get(e.rel) ?? 0) + 1);
      const clash = [...dup].filter(([, n]) => n > 1).map(([k]) => k);
      if (clash.length) return usageError(io, 'export', `a parameter and a secret share the name ${clash.map((c) => `"${c}"`).join(', ')}: export them separately`);
      out = core.store.formatExportJson(entries);
    } else {
      const { keys, collisions } = core.store.exportKeys(entries);
      if (collisions.length) return usageError(io, 'export', `these names map to the same key: ${collisions.map((g) => g.join(' and ')).join('; ')}`);
      out = core.store.formatDotenv(keys, `keyway export ${root} (${conn.region})`);
    }
    const secure = values.filter((v) => v.type === 'SecureString' || v.kind === 'secret').length;
    if (withDecryption && secure) io.stderr(`keyway export: warning: the output holds ${secure} decrypted secret value${secure === 1 ? '' : 's'}. Keep it out of version control, logs and chat; delete it when done.\n`);
    // Plain Strings are exported as stored, but one that looks like a secret (the audit's check) is named, so the
    // user knows what the output holds and how to fix the store.
    const plainSensitive = values.filter((v) => v.kind === 'parameter' && v.type !== 'SecureString' && core.store.audit.valueFacts(v.name, v.value).sensitive);
    if (plainSensitive.length) {
      io.stderr(`keyway export: warning: ${plainSensitive.length} plain String value${plainSensitive.length === 1 ? ' looks' : 's look'} sensitive and ${plainSensitive.length === 1 ? 'is' : 'are'} in the output:\n`);
      for (const v of plainSensitive.slice(0, 20)) io.stderr(`  ${printable(v.name)}\n`);
      if (plainSensitive.length > 20) io.stderr(`  … and ${plainSensitive.length - 20} more\n`);
      io.stderr('  Make them SecureStrings: keyway audit --fix (or Keyway: Audit Account).\n');
    }
    const file = one(p, '--output');
    if (file) {
      const target = path.resolve(io.cwd, file);
      try {
        fs.writeFileSync(target, out, { mode: 0o600 });
        fs.chmodSync(target, 0o600);
      } catch (e) { return usageError(io, 'export', `cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
      io.stderr(`keyway export: wrote ${values.length} value${values.length === 1 ? '' : 's'} to ${printable(file)}\n`);
    } else io.stdout(out);
    if (skipped.length) {
      io.stderr(`keyway export: skipped ${skipped.length}:\n`);
      for (const s of skipped.slice(0, 50)) io.stderr(`  ${printable(s.name)}: ${printable(s.why)}\n`);
      if (skipped.length > 50) io.stderr(`  … and ${skipped.length - 50} more\n`);
    }
    if (!values.length && !skipped.length) io.stderr(`keyway export: nothing under ${printable(root)} in ${conn.region}\n`);
    return 0;
  } catch (e) {
    return awsError(io, 'export', e);
  } finally {
    conn.dispose();
  }
}
