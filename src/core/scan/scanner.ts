// Scans files and folders: lists them (collect.ts: walk, git, ignore files), reads every file with the reader of its
// kind, and analyses it. Binary files are skipped; minified and oversized files get a fast provider-key pass. Never
// throws.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, resolveConfig } from '../analyzer';
import { loadConfig } from '../config';
import { documentKind } from '../readers/kind';
import type { AnalyzeOptions, DocumentKind, Finding, KeywayConfig, ParameterKind, Rule } from '../types';
import { fastPassLargeFile, FsProjectContext, looksMinified, readForAnalysis, FAST_PASS_LIMIT, type Encoding } from './files';
import { collectFiles, isInside, SKIP_REASONS, type CollectedFile, type CollectResult, type SkipReason, type ScanError, type IgnoreMode } from './collect';

export {
  collectFiles, ALWAYS_EXCLUDED_DIRS, BUILD_DIRS, EXCLUDED_DIRS, IGNORE_FILES, SKIP_REASONS,
  type CollectOptions, type CollectedFile, type CollectResult, type IgnoreMode, type ScanError, type SkipReason,
} from './collect';

/** Summary kinds: a DocumentKind, or how a file got the fast provider-key pass. */
export type ReadKind = Exclude<DocumentKind, 'bundle'> | 'minified' | 'oversized';

export interface ScanProgress {
  /** Files analysed so far. */
  done: number;
  /** Files that will be analysed in total (known once the walk is over). */
  total: number;
  file: string;
}

export interface ScanOptions {
  /** A configuration to use as is (no file is read). */
  config?: Partial<KeywayConfig>;
  /** An explicit `.keywayrc.json`; otherwise the nearest one above the scanned paths is used. */
  configFile?: string;
  /** Overrides `config.maxFileSize`. */
  maxFileSize?: number;
  /** Rules to run (default: every registered rule). */
  rules?: readonly Rule[];
  parameterKind?: (name: string) => ParameterKind | undefined;
  /** Honour .gitignore files (default true). `.keywayignore` and config `ignore` always apply. */
  gitignore?: boolean;
  onProgress?: (p: ScanProgress) => void;
  /** Receives each analysed file's text (used by `--fix`). */
  onFile?: (file: string, text: string, encoding: Encoding) => void;
}

export interface ScanResult {
  findings: Finding[];
  filesScanned: number;
  /** Files read, per kind (sorted by count). */
  filesRead: { kind: ReadKind; count: number }[];
  filesSkipped: { reason: SkipReason; count: number }[];
  ignore: IgnoreMode;
  errors: ScanError[];
  /** The configuration in force (after loading `.keywayrc.json`). */
  config: KeywayConfig;
  /** The configuration file used, if any. */
  configFile?: string;
}

/** Scan files and folders. Synchronous; never throws. */
export function scanPaths(paths: readonly string[], options: ScanOptions = {}): ScanResult {
  const errors: ScanError[] = [];
  let config: KeywayConfig;
  let configFile: string | undefined;
  try {
    if (options.config) {
      config = resolveConfig(options.config);
      configFile = options.configFile;
    } else {
      const root = commonRoot(paths);
      const loaded = loadConfig(root, options.configFile);
      config = loaded.config;
      configFile = loaded.file;
      for (const m of loaded.errors) errors.push({ path: loaded.file ?? root, message: m });
    }
  } catch (e) {
    config = resolveConfig();
    errors.push({ path: options.configFile ?? '.', message: `configuration: ${(e as Error).message}`, kind: 'config' });
  }
  const maxFileSize = options.maxFileSize ?? config.maxFileSize;
  const findings: Finding[] = [];
  let filesScanned = 0;
  let collected: CollectResult;
  try {
    collected = collectFiles(paths, { config, configFile, maxFileSize, gitignore: options.gitignore });
  } catch (e) {
    collected = {
      files: [], skipped: new Map(), errors: [{ path: paths.join(' '), message: `walk failed: ${(e as Error).message}`, kind: 'walk' }],
      ignore: { mode: 'ignore-files', note: 'the walk failed' },
    };
  }
  errors.push(...collected.errors);
  const skipped = collected.skipped;
  const skip = (r: SkipReason) => skipped.set(r, (skipped.get(r) ?? 0) + 1);
  const read = new Map<ReadKind, number>();
  const project = new FsProjectContext(maxFileSize);
  const total = collected.files.length;
  const analyzeOptions: AnalyzeOptions & { rules?: readonly Rule[] } = {
    config, project, parameterKind: options.parameterKind, rules: options.rules,
  };
  let done = 0;
  for (const f of collected.files) {
    const r = analyzeCollectedFile(f, { ...analyzeOptions, project, maxFileSize, onFile: options.onFile });
    if ('skipped' in r) skip(r.skipped);
    if ('findings' in r) {
      filesScanned++;
      read.set(r.read, (read.get(r.read) ?? 0) + 1);
      for (const x of r.findings) findings.push(x);
    }
    for (const e of r.errors) errors.push(e);
    done++;
    try { options.onProgress?.({ done, total, file: f.path }); } catch { /* a progress callback must not stop the scan */ }
  }
  const filesSkipped = SKIP_REASONS.filter((r) => (skipped.get(r) ?? 0) > 0).map((reason) => ({ reason, count: skipped.get(reason)! }));
  const filesRead = [...read].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([kind, count]) => ({ kind, count }));
  return { findings, filesScanned, filesRead, filesSkipped, ignore: collected.ignore, errors, config, configFile };
}

export type CollectedResult =
  | { findings: Finding[]; errors: ScanError[]; read: ReadKind }
  | { skipped: SkipReason; errors: ScanError[] }
  | { failed: true; errors: ScanError[] };

const CHANGED_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

/**
 * One collected file: read with its kind's reader (size, binary and encoding checks), analyse. Minified files and
 * files over `maxFileSize` get the fast provider-key pass; key stores are reported without reading their bytes as
 * text. Shared by scanPaths and the editor's workspace scan. Never throws.
 */
export function analyzeCollectedFile(
  f: CollectedFile,
  opts: AnalyzeOptions & { rules?: readonly Rule[]; project: FsProjectContext; maxFileSize: number; onFile?: ScanOptions['onFile'] },
): CollectedResult {
  const errors: ScanError[] = [];
  const { maxFileSize, onFile, project, ...analyzeOptions } = opts;
  const hooks = {
    onRuleError: (id: string, e: unknown) => errors.push({ path: f.path, message: `rule ${id} failed: ${e instanceof Error ? e.message : String(e)}`, kind: 'rule' as const }),
    onParseError: (p: { message: string; position?: { line: number; character: number }; fallback?: string }) => errors.push({
      path: f.path,
      message: p.fallback ? `could not be parsed (${p.message}); read with fallback: ${p.fallback}` : `could not be parsed (${p.message}); not analysed`,
      kind: 'parse', ...(p.position ? { line: p.position.line + 1, column: p.position.character + 1 } : {}), ...(p.fallback ? { fallback: p.fallback } : {}),
    }),
  };
  try {
    const kind = documentKind(f.abs);
    if (kind === 'keystore') {
      // Never read as text: its presence is the finding.
      let st: fs.Stats;
      try { st = fs.statSync(f.abs); } catch { return { skipped: 'changed', errors }; }
      if (!st.size) return { skipped: 'unreadable', errors };
      return { findings: analyzeText(f.path, '', { ...analyzeOptions, project, kind: 'keystore', ...hooks }), errors, read: 'keystore' };
    }
    const r = readForAnalysis(f.abs, maxFileSize);
    if (!r.ok) {
      if (r.reason === 'too-large') {
        const big = fastPassLargeFile(f.abs, FAST_PASS_LIMIT, (text) => analyzeText(f.path, text, { ...analyzeOptions, project, kind: 'bundle', ...hooks }));
        if (!big.ok) {
          if (big.reason === 'unreadable') errors.push({ path: f.path, message: `cannot read file (${big.message})`, kind: 'read' });
          return { skipped: big.reason === 'unreadable' && CHANGED_CODES.has(big.message ?? '') ? 'changed' : big.reason, errors };
        }
        return { findings: big.findings, errors, read: 'oversized' };
      }
      if (r.reason === 'unreadable') {
        if (CHANGED_CODES.has(r.message ?? '')) return { skipped: 'changed', errors };
        errors.push({ path: f.path, message: `cannot read file (${r.message})`, kind: 'read' });
      }
      return { skipped: r.reason, errors };
    }
    const minified = kind === 'source' && looksMinified(f.abs, r.text);
    if (kind === 'source' && !minified) project.remember(f.abs, r.text);
    onFile?.(f.path, r.text, r.encoding);
    const findings = analyzeText(f.path, r.text, { ...analyzeOptions, project, ...(minified ? { kind: 'bundle' as const } : {}), ...hooks });
    return { findings, errors, read: minified ? 'minified' : (kind ?? 'source') as ReadKind };
  } catch (e) {
    errors.push({ path: f.path, message: `analysis failed: ${(e as Error)?.message ?? String(e)}` });
    return { failed: true, errors };
  }
}

/** The deepest folder containing every given path (cwd when none). */
export function commonRoot(paths: readonly string[]): string {
  if (!paths.length) return process.cwd();
  const dirs = paths.map((p) => {
    const abs = path.resolve(p);
    try { return fs.statSync(abs).isDirectory() ? abs : path.dirname(abs); } catch { return path.dirname(abs); }
  });
  let root = dirs[0];
  for (const d of dirs.slice(1)) {
    while (!isInside(root, d)) {
      const parent = path.dirname(root);
      if (parent === root) break;
      root = parent;
    }
  }
  return root;
}
