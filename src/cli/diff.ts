// `keyway diff <pathA> <pathB>`: environment parity for CI. Names missing on either side (after stripping the two
// prefixes), differences in type, tier, KMS key, data type and rotation, and whether values are equal (keyed hashes in
// memory; never a value or a hash in the output). Exit 1 when names or types differ.
import type { CompareResult, CompareRow, SideItem, StoreKind } from '../core/store/compare';
import { AWS_OPTIONS_HELP, AWS_VALUE_FLAGS, awsError, checkAwsOptions, connect, loadCore, one, parseOptions, printable, usageError, type CommandIo } from './awsCommand';

export const DIFF_USAGE = `Usage: keyway diff <pathA> <pathB> [options]

Compare two path prefixes (e.g. /app/staging and /app/production) in Parameter Store and Secrets Manager:
names missing on either side, differences in type, tier, KMS key, data type and rotation, and whether the values
are equal. Values are compared by hash in memory and never printed. JSON secrets are compared key by key.

Options:
  --store <s>           parameters, secrets or both (default: both)
  --no-values           Compare names and metadata only (no value is read)
  --all                 Also list the names that are the same on both sides (text format)
  -f, --format <f>      text (default) or json
${AWS_OPTIONS_HELP}
  -h, --help            Show this help

Exit codes: 0 same names and types, 1 a name is missing on one side or a type differs
(value, tier, KMS key and rotation differences are reported but do not fail), 2 usage or AWS error.
`;

type PublicSide = Omit<SideItem, 'valueHash' | 'jsonKeys' | 'valueError'> & { valueError?: string };

function publicSide(s: SideItem | undefined): PublicSide | undefined {
  if (!s) return undefined;
  const { valueHash: _h, jsonKeys: _k, ...rest } = s;
  return rest;
}

/** A row as JSON: metadata, differences and key names; no value, no hash. */
export function rowJson(r: CompareRow): Record<string, unknown> {
  return { rel: r.rel, status: r.status, a: publicSide(r.a), b: publicSide(r.b), differences: r.differences, value: r.value, ...(r.jsonKeys ? { jsonKeys: r.jsonKeys } : {}) };
}

const MARK: Record<CompareRow['status'], string> = { onlyA: '-', onlyB: '+', different: '~', same: '=' };

function textReport(results: CompareResult[], o: { a: string; b: string; all: boolean; region: string; describe: (r: CompareRow, a: string, b: string) => string; labels: [string, string] }): string {
  const lines: string[] = [`Comparing ${printable(o.a)} ↔ ${printable(o.b)} (${o.region})`];
  for (const r of results) {
    lines.push('', r.kind === 'parameter' ? 'Parameter Store' : 'Secrets Manager');
    const rows = r.rows.filter((x) => o.all || x.status !== 'same');
    if (!r.rows.length) lines.push('  (nothing under either prefix)');
    else if (!rows.length) lines.push(`  every name is the same on both sides (${r.counts.same})`);
    const width = Math.min(48, Math.max(0, ...rows.map((x) => x.rel.length)));
    for (const x of rows) lines.push(`  ${MARK[x.status]} ${printable(x.rel).padEnd(width)}  ${printable(o.describe(x, o.labels[0], o.labels[1]))}`);
  }
  const sum = (k: keyof CompareResult['counts']) => results.reduce((n, r) => n + r.counts[k], 0);
  const differ = results.some((r) => r.namesOrTypesDiffer);
  lines.push('', `${sum('onlyA')} only in ${o.labels[0]}, ${sum('onlyB')} only in ${o.labels[1]}, ${sum('typeDifferences')} type difference${sum('typeDifferences') === 1 ? '' : 's'}, ${sum('valueDifferences')} value difference${sum('valueDifferences') === 1 ? '' : 's'}, ${sum('same')} the same.`);
  lines.push(differ ? 'The two sides differ in names or types.' : 'Same names and types on both sides.');
  return lines.join('\n') + '\n';
}

export async function runDiff(argv: readonly string[], io: CommandIo): Promise<number> {
  const p = parseOptions(argv, { values: [...AWS_VALUE_FLAGS, '--store', '--format'], flags: ['--no-values', '--all', '--help', '--verbose'], aliases: { '-f': '--format', '-h': '--help' } });
  if ('error' in p) return usageError(io, 'diff', p.error);
  if (p.flags.has('--help')) { io.stdout(DIFF_USAGE); return 0; }
  if (p.positional.length !== 2) return usageError(io, 'diff', `expected two paths, got ${p.positional.length}`);
  const format = one(p, '--format') ?? 'text';
  if (format !== 'text' && format !== 'json') return usageError(io, 'diff', `--format must be text or json (got "${format}")`);
  const storeArg = one(p, '--store') ?? 'both';
  if (!['parameters', 'secrets', 'both'].includes(storeArg)) return usageError(io, 'diff', `--store must be parameters, secrets or both (got "${storeArg}")`);
  const bad = checkAwsOptions(p);
  if (bad) return usageError(io, 'diff', bad);
  const [rawA, rawB] = p.positional;
  const core = await loadCore();
  const kinds: StoreKind[] = storeArg === 'both' ? ['parameter', 'secret'] : storeArg === 'parameters' ? ['parameter'] : ['secret'];
  for (const raw of [rawA, rawB]) if (/[*?]/.test(raw)) return usageError(io, 'diff', `"${raw}": give a path prefix, not a pattern`);
  if (core.store.normalizePrefix(rawA, 'parameter') === core.store.normalizePrefix(rawB, 'parameter')) return usageError(io, 'diff', 'the two paths are the same');
  let connected;
  try { connected = await connect(p, io); } catch (e) { return awsError(io, 'diff', e); }
  const { aws, conn, counter } = connected;
  try {
    const results: CompareResult[] = [];
    for (const kind of kinds) {
      const a = core.store.normalizePrefix(rawA, kind);
      const b = core.store.normalizePrefix(rawB, kind);
      const sides = await aws.loadCompareSides(conn, kind, a, b, {
        values: !p.flags.has('--no-values'),
        onProgress: io.stderrIsTTY ? (x) => io.stderr(`\r${x.phase === 'listing' ? 'Listing…' : `Reading values… ${x.done}/${x.total}`}\x1b[K`) : undefined,
      });
      if (io.stderrIsTTY) io.stderr('\r\x1b[K');
      results.push(core.store.compareSides(kind, { prefix: a, items: sides.a }, { prefix: b, items: sides.b }));
    }
    const labels = core.store.sideLabels(core.store.normalizePrefix(rawA, 'secret'), core.store.normalizePrefix(rawB, 'secret'));
    const differ = results.some((r) => r.namesOrTypesDiffer);
    if (format === 'json') {
      io.stdout(JSON.stringify({
        a: rawA, b: rawB, region: conn.region, namesOrTypesDiffer: differ, apiCalls: counter.total,
        stores: Object.fromEntries(results.map((r) => [r.kind === 'parameter' ? 'parameters' : 'secrets', { a: r.a, b: r.b, counts: r.counts, rows: r.rows.map(rowJson) }])),
      }, null, 2) + '\n');
    } else {
      io.stdout(textReport(results, { a: rawA, b: rawB, all: p.flags.has('--all'), region: conn.region, describe: core.store.describeRow, labels }));
    }
    return differ ? 1 : 0;
  } catch (e) {
    return awsError(io, 'diff', e);
  } finally {
    conn.dispose();
  }
}
