// Report formats of `keyway scan`: ESLint-stylish text, JSON and SARIF 2.1.0. Pure functions.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { escapeControl, escapeJsonText, Redactor } from '../core/output';
import type { Finding, Fix, RuleMeta, Severity, TextEdit } from '../core/types';
import { fixSummaryLines, type FixSummary } from './fix';

export interface ReportError { path: string; message: string; kind?: string; line?: number; column?: number; fallback?: string }

export interface Report {
  findings: Finding[];
  filesScanned: number;
  /** Files read per kind (TypeScript/JavaScript, YAML, Dockerfile, …; `minified`/`oversized` got the fast pass). */
  filesRead?: { kind: string; count: number }[];
  filesSkipped: { reason: string; count: number }[];
  /** How ignore files were applied (git work tree or not). */
  ignore?: { mode: string; note: string };
  errors: ReportError[];
  /** Files changed by --fix (text format mentions them). */
  filesFixed?: number;
  /** What --fix did: fixed, failed (with reasons); text and JSON show it. */
  fix?: FixSummary;
  /**
   * Masks the secrets rules flagged (and provider-format credentials) in every output. Without one, only
   * provider-format credentials are masked.
   */
  redactor?: Redactor;
}

export interface ToolInfo {
  name: string;
  version: string;
  /** Project home, e.g. https://github.com/org/keyway (no .git). */
  repositoryUrl: string;
}

const SEVERITY_RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

/** Normalise a package.json repository URL to a browsable https URL. */
export function repositoryHome(repo: unknown): string {
  let url = typeof repo === 'string' ? repo : repo && typeof repo === 'object' && typeof (repo as { url?: unknown }).url === 'string' ? (repo as { url: string }).url : '';
  url = url.trim().replace(/^git\+/, '').replace(/\.git$/, '').replace(/\/+$/, '');
  const ssh = /^git@([^:]+):(.+)$/.exec(url);
  if (ssh) url = `https://${ssh[1]}/${ssh[2]}`;
  url = url.replace(/^git:\/\//, 'https://');
  if (/^github:/.test(url)) url = 'https://github.com/' + url.slice('github:'.length);
  return url;
}

export function ruleHelpUri(repositoryUrl: string, id: string): string {
  return `${repositoryUrl}/blob/HEAD/docs/rules/${id}.md`;
}

// ---------------------------------------------------------------- text

export interface TextOptions { color: boolean; cwd: string }

function paint(on: boolean) {
  const wrap = (open: string, close: string) => (s: string) => (on ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return {
    red: wrap('31', '39'), yellow: wrap('33', '39'), blue: wrap('34', '39'), green: wrap('32', '39'),
    dim: wrap('2', '22'), bold: wrap('1', '22'), underline: wrap('4', '24'),
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const SKIP_LABEL: Record<string, [string, string]> = {
  'ignored': ['ignored file', 'ignored files'],
  'ignored-directory': ['ignored folder', 'ignored folders'],
  'excluded-directory': ['dependency/build/VCS folder', 'dependency/build/VCS folders'],
  'minified': ['minified file', 'minified files'],
  'too-large': ['file over the fast-pass limit', 'files over the fast-pass limit'],
  'outside-root': ['link out of the scanned folder', 'links out of the scanned folder'],
  'changed': ['file changed during the scan', 'files changed during the scan'],
  'binary': ['binary file', 'binary files'],
  'unreadable': ['unreadable file', 'unreadable files'],
  'unsupported': ['unsupported file', 'unsupported files'],
};

export function skippedSummary(skipped: { reason: string; count: number }[]): string {
  return skipped.map((s) => {
    const label = SKIP_LABEL[s.reason] ?? [s.reason, s.reason];
    return `${s.count} ${s.count === 1 ? label[0] : label[1]}`;
  }).join(', ');
}

const READ_LABEL: Record<string, string> = {
  'source': 'TypeScript/JavaScript', 'yaml': 'YAML', 'json': 'JSON', 'env': '.env', 'toml': 'TOML', 'ini': 'INI/cfg',
  'properties': '.properties', 'npmrc': '.npmrc/.yarnrc', 'netrc': '.netrc', 'git-credentials': '.git-credentials',
  'docker-compose': 'docker-compose', 'dockerfile': 'Dockerfile', 'shell': 'shell', 'ci-workflow': 'CI workflow',
  'snapshot': 'snapshot', 'terraform': 'Terraform', 'private-key': 'key file', 'keystore': 'key store',
  'text': 'other text', 'minified': 'minified (fast pass)', 'oversized': 'over the size limit (fast pass)',
};

/** `80 TypeScript/JavaScript, 12 JSON, 2 Dockerfile`. */
export function readSummary(read: { kind: string; count: number }[]): string {
  return read.map((r) => `${r.count} ${READ_LABEL[r.kind] ?? r.kind}`).join(', ');
}

/** `path:line:col` of a reported error, as far as known. */
function errorLocation(e: ReportError, cwd: string): string {
  return displayPath(e.path, cwd) + (e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : '');
}

function displayPath(file: string, cwd: string): string {
  const rel = path.isAbsolute(file) ? path.relative(cwd, file) : file;
  return rel && !rel.startsWith('..') ? rel : file;
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** Text of the report for a terminal: secrets masked, control characters escaped (never raw from a file). */
function safe(redactor: Redactor, s: string): string {
  return escapeControl(redactor.text(oneLine(s)));
}

/**
 * The findings with every string masked, as `redactor.value` twice over them (and a third time over edits' new text)
 * would leave them, in one walk: a string the first pass leaves unchanged is final. Fix edits whose text changed are
 * marked `redacted` (do not apply them).
 */
function redactedFindings(findings: readonly Finding[], redactor: Redactor): unknown[] {
  const mask = (s: string, times: number) => {
    let out = redactor.text(s);
    for (let i = 1, last = s; i < times && out !== last; i++) { last = out; out = redactor.text(out); }
    return out;
  };
  const deep = (v: unknown, times: number): unknown => {
    if (typeof v === 'string') return mask(v, times);
    if (Array.isArray(v)) return v.map((x) => deep(x, times));
    if (v && typeof v === 'object') return entries(v, times);
    return v;
  };
  const entries = (o: object, times: number, key?: string, inner?: (v: never) => unknown) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) out[mask(k, times)] = inner && k === key ? inner(v as never) : deep(v, times);
    return out;
  };
  const edit = (e: TextEdit) => {
    const newText = redactor.text(e.newText);
    return newText === e.newText ? entries(e, 2, 'newText', () => newText) : deep({ ...e, newText, redacted: true }, 2);
  };
  return findings.map((f) => entries(f, 2, 'fixes', (fixes: Fix[]) => fixes.map((x) => entries(x, 2, 'edits', (edits: TextEdit[]) => edits.map(edit)))));
}

/** ESLint "stylish"-like text. */
export function formatText(report: Report, opts: TextOptions): string {
  const c = paint(opts.color);
  const r = report.redactor ?? new Redactor();
  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f); else byFile.set(f.file, [f]);
  }
  const lines: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  let fixable = 0;
  for (const [file, list] of byFile) {
    lines.push('', c.underline(safe(r, displayPath(file, opts.cwd))));
    const rows = list.map((f) => {
      counts[f.severity]++;
      if (f.fixes.some((x) => x.isPreferred)) fixable++;
      return [`${f.range.start.line + 1}:${f.range.start.character + 1}`, f.severity, safe(r, f.message), f.ruleId];
    });
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    const w2 = Math.max(...rows.map((r) => r[2].length));
    for (const [loc, sev, msg, id] of rows) {
      const sevPainted = sev === 'error' ? c.red(sev) : sev === 'warning' ? c.yellow(sev) : c.blue(sev);
      lines.push(`  ${c.dim(loc.padStart(w0))}  ${sevPainted}${' '.repeat(w1 - sev.length)}  ${msg}${' '.repeat(w2 - msg.length)}  ${c.dim(id)}`);
    }
  }
  const total = report.findings.length;
  lines.push('');
  const parts = [plural(counts.error, 'error'), plural(counts.warning, 'warning')];
  if (counts.info) parts.push(`${counts.info} info`);
  if (counts.hint) parts.push(plural(counts.hint, 'hint'));
  if (report.fix) {
    // --fix: what was fixed, what failed and what remains (a fresh scan) replace the scan's summary line.
    const fixLines = fixSummaryLines(report.fix, { total, detail: parts.join(', ') }, (f) => displayPath(f, opts.cwd)).map((l) => escapeControl(r.text(l)));
    const paint1 = (l: string) => (/^Fixed /.test(l) ? c.green(l) : /^Could not/.test(l) ? c.red(l) : /^✖/.test(l) ? c.yellow(c.bold(l)) : /^✔/.test(l) ? c.green(l) : l);
    lines.push(...fixLines.map(paint1));
  } else if (total) {
    const summary = `✖ ${plural(total, 'problem')} (${parts.join(', ')})`;
    lines.push(counts.error ? c.red(c.bold(summary)) : counts.warning ? c.yellow(c.bold(summary)) : c.bold(summary));
    if (fixable) lines.push(c.dim(`  ${plural(fixable, 'problem')} potentially fixable with the \`--fix\` option.`));
  } else {
    lines.push(c.green(`✔ No problems found`));
  }
  if (report.errors.length) {
    lines.push(c.yellow(`⚠ ${plural(report.errors.length, 'file problem')} (partial results where a fallback was used):`));
    for (const e of report.errors) lines.push(`  ${safe(r, errorLocation(e, opts.cwd))}  ${safe(r, e.message)}`);
  }
  let scanned = `${plural(report.filesScanned, 'file')} scanned`;
  if (report.filesRead?.length) scanned += ` (${readSummary(report.filesRead)})`;
  if (report.filesFixed) scanned += `, ${plural(report.filesFixed, 'file')} fixed`;
  if (report.filesSkipped.length) scanned += `; skipped: ${skippedSummary(report.filesSkipped)}`;
  lines.push(c.dim(scanned));
  if (report.ignore) lines.push(c.dim(safe(r, report.ignore.note.charAt(0).toUpperCase() + report.ignore.note.slice(1) + '.')));
  return lines.join('\n').replace(/^\n/, '') + '\n';
}

// ---------------------------------------------------------------- json

export function formatJson(report: Report, tool: ToolInfo): string {
  const r = report.redactor ?? new Redactor();
  const body: Record<string, unknown> = {
    version: tool.version,
    findings: report.findings,
    filesScanned: report.filesScanned,
    filesRead: report.filesRead ?? [],
    filesSkipped: report.filesSkipped,
    ignore: report.ignore,
    errors: report.errors,
    ...(report.fix ? { fix: report.fix } : {}),
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) out[r.text(k)] = k === 'findings' ? redactedFindings(report.findings, r) : r.value(v);
  return escapeJsonText(JSON.stringify(out, null, 2)) + '\n';
}

// ---------------------------------------------------------------- sarif

export function sarifLevel(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

/** Relative, forward-slash, percent-encoded URI of `file` (a file: URL when it is outside `cwd`). */
export function artifactUri(file: string, cwd: string): { uri: string; relative: boolean } {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    return { uri: rel.split(path.sep).map((seg) => encodeURIComponent(seg)).join('/'), relative: true };
  }
  return { uri: pathToFileURL(abs).href, relative: false };
}

export function formatSarif(
  report: Report,
  tool: ToolInfo,
  rules: readonly RuleMeta[],
  opts: { cwd: string; configuredSeverity?: (id: string) => Severity | undefined },
): string {
  const metas = [...rules];
  for (const f of report.findings) {
    if (!metas.some((m) => m.id === f.ruleId)) {
      metas.push({ id: f.ruleId, title: f.ruleId, defaultSeverity: f.severity, description: f.ruleId });
    }
  }
  const index = new Map(metas.map((m, i) => [m.id, i]));
  const srcRoot = pathToFileURL(opts.cwd.endsWith(path.sep) ? opts.cwd : opts.cwd + path.sep).href;
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: tool.name,
          version: tool.version,
          semanticVersion: tool.version,
          informationUri: tool.repositoryUrl,
          rules: metas.map((m) => ({
            id: `keyway/${m.id}`,
            name: m.title,
            shortDescription: { text: m.description },
            fullDescription: { text: m.description },
            helpUri: ruleHelpUri(tool.repositoryUrl, m.id),
            help: { text: `${m.description} See ${ruleHelpUri(tool.repositoryUrl, m.id)}` },
            defaultConfiguration: { level: sarifLevel(opts.configuredSeverity?.(m.id) ?? m.defaultSeverity) },
            properties: { tags: ['security'] },
          })),
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: srcRoot } },
      columnKind: 'utf16CodeUnits',
      results: report.findings.map((f) => {
        const { uri, relative } = artifactUri(f.file, opts.cwd);
        const endLine = Math.max(f.range.end.line, f.range.start.line);
        let endColumn = f.range.end.character + 1;
        if (endLine === f.range.start.line && endColumn <= f.range.start.character + 1) endColumn = f.range.start.character + 2;
        return {
          ruleId: `keyway/${f.ruleId}`,
          ruleIndex: index.get(f.ruleId),
          level: sarifLevel(f.severity),
          message: { text: oneLine(f.message) },
          locations: [{
            physicalLocation: {
              artifactLocation: relative ? { uri, uriBaseId: '%SRCROOT%' } : { uri },
              region: {
                startLine: f.range.start.line + 1,
                startColumn: f.range.start.character + 1,
                endLine: endLine + 1,
                endColumn,
              },
            },
          }],
        };
      }),
      invocations: [{
        executionSuccessful: true,
        // A fix that could not be applied is a notification too (kind 'fix', at the finding's line).
        toolExecutionNotifications: [...report.errors, ...(report.fix?.failed ?? []).map((f): ReportError => ({
          path: f.file, message: `fix not applied for ${f.ruleId}: ${f.reason}`, kind: 'fix', line: f.line,
        }))].map((e) => {
          const { uri, relative } = artifactUri(e.path, opts.cwd);
          return {
            level: 'warning',
            message: { text: `${e.path}: ${oneLine(e.message)}` },
            ...(e.kind ? { descriptor: { id: `keyway/${e.kind}-error` } } : {}),
            locations: [{
              physicalLocation: {
                artifactLocation: relative ? { uri, uriBaseId: '%SRCROOT%' } : { uri },
                ...(e.line ? { region: { startLine: e.line, ...(e.column ? { startColumn: e.column } : {}) } } : {}),
              },
            }],
            ...(e.fallback ? { properties: { fallback: e.fallback } } : {}),
          };
        }),
        properties: { filesScanned: report.filesScanned, filesRead: report.filesRead ?? [], filesSkipped: report.filesSkipped, ...(report.ignore ? { ignore: report.ignore } : {}) },
      }],
    }],
  };
  return escapeJsonText(JSON.stringify((report.redactor ?? new Redactor()).value(sarif), null, 2)) + '\n';
}

export function reachesThreshold(findings: readonly Finding[], min: Severity): boolean {
  return findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[min]);
}
