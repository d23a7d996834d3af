// Walks folders (fs only, no shell-outs), honours .gitignore / .keywayignore / config `ignore`, skips
// dependencies, build output, minified, binary and oversized files, and analyses the rest. Never throws.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, documentKind, resolveConfig } from '../analyzer';
import { loadConfig } from '../config';
import type { AnalyzeOptions, Finding, KeywayConfig, ParameterKind, Rule } from '../types';
import { FsProjectContext, looksMinified, readForAnalysis, type Encoding } from './files';
import { IgnoreMatcher } from './gitignore';

/** Folders never entered while walking (they can still be scanned when named explicitly). */
export const EXCLUDED_DIRS: ReadonlySet<string> = new Set([
  'node_modules', '.git', '.hg', '.svn', 'dist', 'build', 'out', '.next', 'coverage', 'cdk.out', '.serverless', '.aws-sam',
]);

export const IGNORE_FILES = ['.gitignore', '.keywayignore'] as const;

export type SkipReason =
  | 'ignored' // a file matched by .gitignore, .keywayignore or config `ignore`
  | 'ignored-directory' // a folder matched by those patterns (counted once, not entered)
  | 'excluded-directory' // node_modules, .git, build output (counted once, not entered)
  | 'minified'
  | 'too-large'
  | 'binary'
  | 'unreadable'
  | 'unsupported'; // a file named explicitly that Keyway has no rule for

export const SKIP_REASONS: readonly SkipReason[] = [
  'ignored', 'ignored-directory', 'excluded-directory', 'minified', 'too-large', 'binary', 'unreadable', 'unsupported',
];

export interface ScanError { path: string; message: string }

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
  filesSkipped: { reason: SkipReason; count: number }[];
  errors: ScanError[];
  /** The configuration in force (after loading `.keywayrc.json`). */
  config: KeywayConfig;
  /** The configuration file used, if any. */
  configFile?: string;
}

export interface CollectedFile {
  /** Path as the caller should see it: the given path joined with the path below it. */
  path: string;
  abs: string;
}

export interface CollectResult {
  files: CollectedFile[];
  skipped: Map<SkipReason, number>;
  errors: ScanError[];
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function readIfExists(file: string): string | undefined {
  try { return fs.readFileSync(file, 'utf8'); } catch { return undefined; }
}

function findGitRoot(start: string): string | undefined {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Ignore rules for one scanned root: patterns of ancestors from the repository root down, then per folder. */
class IgnoreState {
  readonly matcher = new IgnoreMatcher();
  private readonly loaded = new Set<string>();
  private readonly configMatcher: IgnoreMatcher | undefined;

  constructor(readonly root: string, private readonly useGitignore: boolean, private readonly configDir: string | undefined, configIgnore: string[]) {
    if (configIgnore.length && configDir) this.configMatcher = new IgnoreMatcher().add(configIgnore, '');
    if (useGitignore) {
      const exclude = readIfExists(path.join(root, '.git', 'info', 'exclude'));
      if (exclude) this.matcher.add(exclude, '');
    }
  }

  /** Load the ignore files of `dir` (absolute, inside root) once. */
  enter(dir: string): void {
    if (this.loaded.has(dir)) return;
    this.loaded.add(dir);
    const base = toPosix(path.relative(this.root, dir));
    for (const name of IGNORE_FILES) {
      if (name === '.gitignore' && !this.useGitignore) continue;
      const text = readIfExists(path.join(dir, name));
      if (text) this.matcher.add(text, base);
    }
  }

  /** Whether `abs` is ignored by its own name (the caller does not enter ignored folders). */
  decide(abs: string, isDir: boolean): boolean {
    const rel = toPosix(path.relative(this.root, abs));
    if (this.matcher.decide(rel, isDir) === true) return true;
    if (this.configMatcher && this.configDir && isInside(this.configDir, abs)) {
      const crel = toPosix(path.relative(this.configDir, abs));
      if (crel && this.configMatcher.decide(crel, isDir) === true) return true;
    }
    return false;
  }

  /** Whether `abs` or one of its folders below the root is ignored (for explicitly named paths). */
  ignoresWithParents(abs: string, isDir: boolean): boolean {
    const chain: string[] = [];
    for (let d = path.dirname(abs); isInside(this.root, d); d = path.dirname(d)) {
      chain.unshift(d);
      if (d === this.root) break;
    }
    for (const d of chain) this.enter(d);
    for (const d of chain) if (d !== this.root && this.decide(d, true)) return true;
    return this.decide(abs, isDir);
  }
}

/**
 * List the files a scan of `paths` analyses, with skip counts. Folders are walked; files named explicitly
 * are taken unless an ignore file covers them.
 */
export function collectFiles(
  paths: readonly string[],
  opts: { config: KeywayConfig; configFile?: string; maxFileSize?: number; gitignore?: boolean },
): CollectResult {
  const skipped = new Map<SkipReason, number>();
  const skip = (r: SkipReason) => skipped.set(r, (skipped.get(r) ?? 0) + 1);
  const errors: ScanError[] = [];
  const files: CollectedFile[] = [];
  const seen = new Set<string>();
  const maxFileSize = opts.maxFileSize ?? opts.config.maxFileSize;
  const configDir = opts.configFile ? path.dirname(path.resolve(opts.configFile)) : undefined;
  const states = new Map<string, IgnoreState>();
  const stateFor = (abs: string): IgnoreState => {
    const start = fs.existsSync(abs) && fs.statSync(abs).isDirectory() ? abs : path.dirname(abs);
    let root = (opts.gitignore ?? true) ? findGitRoot(start) : undefined;
    if (!root && configDir && isInside(configDir, start)) root = configDir;
    root ??= start;
    let st = states.get(root);
    if (!st) {
      st = new IgnoreState(root, opts.gitignore ?? true, configDir, opts.config.ignore);
      states.set(root, st);
    }
    return st;
  };

  const addFile = (shown: string, abs: string, size: number, explicit: boolean) => {
    if (seen.has(abs)) return;
    if (!documentKind(abs)) { if (explicit) skip('unsupported'); return; }
    seen.add(abs);
    if (size > maxFileSize) { skip('too-large'); return; }
    files.push({ path: shown, abs });
  };

  const walk = (dirShown: string, dirAbs: string, state: IgnoreState) => {
    // Iterative, so deep trees cannot overflow the stack.
    const stack: [string, string][] = [[dirShown, dirAbs]];
    const visitedReal = new Set<string>();
    while (stack.length) {
      const [shown, abs] = stack.pop()!;
      let real = abs;
      try { real = fs.realpathSync(abs); } catch { /* keep abs */ }
      if (visitedReal.has(real)) continue;
      visitedReal.add(real);
      state.enter(abs);
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(abs, { withFileTypes: true });
      } catch (e) {
        errors.push({ path: shown, message: `cannot read folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const subdirs: [string, string][] = [];
      for (const ent of entries) {
        const childAbs = path.join(abs, ent.name);
        const childShown = path.join(shown, ent.name);
        let isDir = ent.isDirectory();
        let isFile = ent.isFile();
        let size = -1;
        if (ent.isSymbolicLink()) {
          try {
            const st = fs.statSync(childAbs);
            isDir = st.isDirectory();
            isFile = st.isFile();
            size = st.size;
          } catch { continue; } // dangling link
        }
        if (isDir) {
          if (EXCLUDED_DIRS.has(ent.name)) { skip('excluded-directory'); continue; }
          if (state.decide(childAbs, true)) { skip('ignored-directory'); continue; }
          subdirs.push([childShown, childAbs]);
        } else if (isFile) {
          if (!documentKind(ent.name)) continue;
          if (state.decide(childAbs, false)) { skip('ignored'); continue; }
          if (size < 0) {
            try { size = fs.statSync(childAbs).size; } catch { skip('unreadable'); continue; }
          }
          addFile(childShown, childAbs, size, false);
        }
      }
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]);
    }
  };

  for (const given of paths) {
    const abs = path.resolve(given);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (e) {
      errors.push({ path: given, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : `cannot read (${(e as Error).message})` });
      continue;
    }
    const state = stateFor(abs);
    const shown = path.normalize(given);
    if (st.isDirectory()) {
      if (abs !== state.root && state.ignoresWithParents(abs, true)) { skip('ignored-directory'); continue; }
      // Ancestors' ignore files between the root and this folder.
      state.ignoresWithParents(path.join(abs, '_'), false);
      walk(shown, abs, state);
    } else if (st.isFile()) {
      if (state.ignoresWithParents(abs, false)) { skip('ignored'); continue; }
      addFile(shown, abs, st.size, true);
    }
  }
  return { files, skipped, errors };
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
    errors.push({ path: options.configFile ?? '.', message: `configuration: ${(e as Error).message}` });
  }
  const maxFileSize = options.maxFileSize ?? config.maxFileSize;
  const findings: Finding[] = [];
  let filesScanned = 0;
  let collected: CollectResult;
  try {
    collected = collectFiles(paths, { config, configFile, maxFileSize, gitignore: options.gitignore });
  } catch (e) {
    collected = { files: [], skipped: new Map(), errors: [{ path: paths.join(' '), message: `walk failed: ${(e as Error).message}` }] };
  }
  errors.push(...collected.errors);
  const skipped = collected.skipped;
  const skip = (r: SkipReason) => skipped.set(r, (skipped.get(r) ?? 0) + 1);
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
      for (const x of r.findings) findings.push(x);
    }
    errors.push(...r.errors);
    done++;
    try { options.onProgress?.({ done, total, file: f.path }); } catch { /* a progress callback must not stop the scan */ }
  }
  const filesSkipped = SKIP_REASONS.filter((r) => (skipped.get(r) ?? 0) > 0).map((reason) => ({ reason, count: skipped.get(reason)! }));
  return { findings, filesScanned, filesSkipped, errors, config, configFile };
}

export type CollectedResult =
  | { findings: Finding[]; errors: ScanError[] }
  | { skipped: SkipReason; errors: ScanError[] }
  | { failed: true; errors: ScanError[] };

/**
 * One collected file: read (size, binary and encoding checks), skip when minified, remember its text in the
 * project, analyse. Shared by scanPaths and the editor's workspace scan. Never throws.
 */
export function analyzeCollectedFile(
  f: CollectedFile,
  opts: AnalyzeOptions & { rules?: readonly Rule[]; project: FsProjectContext; maxFileSize: number; onFile?: ScanOptions['onFile'] },
): CollectedResult {
  const errors: ScanError[] = [];
  try {
    const r = readForAnalysis(f.abs, opts.maxFileSize);
    if (!r.ok) {
      if (r.reason === 'unreadable') errors.push({ path: f.path, message: `cannot read file (${r.message})` });
      return { skipped: r.reason, errors };
    }
    if (documentKind(f.abs) === 'source' && looksMinified(f.abs, r.text)) return { skipped: 'minified', errors };
    opts.project.remember(f.abs, r.text);
    opts.onFile?.(f.path, r.text, r.encoding);
    const { maxFileSize: _max, onFile: _onFile, ...analyzeOptions } = opts;
    const findings = analyzeText(f.path, r.text, {
      ...analyzeOptions,
      onRuleError: (id, e) => errors.push({ path: f.path, message: `rule ${id} failed: ${e instanceof Error ? e.message : String(e)}` }),
    });
    return { findings, errors };
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
