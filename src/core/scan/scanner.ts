// Walks folders (fs only; git is asked, without a shell, which files it tracks), honours .gitignore (never for files
// git tracks), .keywayignore and config `ignore`, skips dependencies, gitignored build output, binary files and links
// out of the scanned folder, reads every other file with the reader of its kind, and analyses it. Minified and
// oversized files get a fast provider-key pass. Never throws.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, resolveConfig } from '../analyzer';
import { loadConfig } from '../config';
import { documentKind } from '../readers/kind';
import type { AnalyzeOptions, DocumentKind, Finding, KeywayConfig, ParameterKind, Rule } from '../types';
import { fastPassLargeFile, FsProjectContext, looksMinified, readForAnalysis, FAST_PASS_LIMIT, type Encoding } from './files';
import { gitTrackedFiles, findGitTop, type GitTracked } from './git';
import { IgnoreMatcher } from './gitignore';

/** Folders never entered while walking (they can still be scanned when named explicitly). */
export const ALWAYS_EXCLUDED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn']);
/** Build output folders: not entered unless git tracks files in them (a committed `dist/` is read). */
export const BUILD_DIRS: ReadonlySet<string> = new Set(['dist', 'build', 'out', '.next', 'coverage', 'cdk.out', '.serverless', '.aws-sam']);
export const EXCLUDED_DIRS: ReadonlySet<string> = new Set([...ALWAYS_EXCLUDED_DIRS, ...BUILD_DIRS]);

export const IGNORE_FILES = ['.gitignore', '.keywayignore'] as const;

export type SkipReason =
  | 'ignored' // a file matched by .gitignore, .keywayignore or config `ignore`
  | 'ignored-directory' // a folder matched by those patterns (counted once, not entered)
  | 'excluded-directory' // node_modules, .git, untracked build output (counted once, not entered)
  | 'minified' // (no longer produced: minified files get the fast provider-key pass)
  | 'too-large' // over FAST_PASS_LIMIT (files between maxFileSize and that limit get the fast pass)
  | 'binary'
  | 'unreadable'
  | 'outside-root' // a symbolic link to a file or folder outside the scanned folder (never followed)
  | 'changed' // removed or replaced while the scan ran
  | 'unsupported'; // a file of a type Keyway has no reader for (images, archives, lock files, data): counted, not read

export const SKIP_REASONS: readonly SkipReason[] = [
  'ignored', 'ignored-directory', 'excluded-directory', 'minified', 'too-large', 'binary', 'unreadable', 'outside-root', 'changed', 'unsupported',
];

export interface ScanError {
  path: string;
  message: string;
  /** What failed: a file that could not be parsed (`parse`), read (`read`), a rule, the configuration, the walk. */
  kind?: 'parse' | 'read' | 'rule' | 'config' | 'walk';
  /** 1-based position of a parse problem, when known. */
  line?: number;
  column?: number;
  /** The lenient reading that still produced results (`per-block`, `key-value-pairs`, `string-literal-tokens`…). */
  fallback?: string;
}

/** How ignore files were applied, for the summary. */
export interface IgnoreMode {
  /** `git`: inside a git work tree, tracked files are read even where .gitignore matches; `ignore-files`: .gitignore applied as is. */
  mode: 'git' | 'ignore-files' | 'none';
  /** One sentence for the summary. */
  note: string;
}

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

export interface CollectedFile {
  /** Path as the caller should see it: the given path joined with the path below it. */
  path: string;
  abs: string;
}

export interface CollectResult {
  files: CollectedFile[];
  skipped: Map<SkipReason, number>;
  errors: ScanError[];
  ignore: IgnoreMode;
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


/**
 * Ignore rules for one scanned root: patterns of ancestors from the repository root down, then per folder. Patterns of
 * .gitignore (and .git/info/exclude) never hide a file git tracks; those of .keywayignore and config `ignore` do.
 */
class IgnoreState {
  private readonly git = new IgnoreMatcher();
  private readonly own = new IgnoreMatcher();
  private readonly loaded = new Set<string>();
  private readonly configMatcher: IgnoreMatcher | undefined;

  constructor(
    readonly root: string, private readonly useGitignore: boolean, private readonly configDir: string | undefined, configIgnore: string[],
    readonly tracked: GitTracked | undefined,
  ) {
    if (configIgnore.length && configDir) this.configMatcher = new IgnoreMatcher().add(configIgnore, '');
    if (useGitignore) {
      const exclude = readIfExists(path.join(root, '.git', 'info', 'exclude'));
      if (exclude) this.git.add(exclude, '');
    }
  }

  /** Load the ignore files of `dir` (absolute, inside root) once. */
  enter(dir: string): void {
    if (this.loaded.has(dir)) return;
    this.loaded.add(dir);
    const base = toPosix(path.relative(this.root, dir));
    if (this.useGitignore) {
      const text = readIfExists(path.join(dir, '.gitignore'));
      if (text) this.git.add(text, base);
    }
    const own = readIfExists(path.join(dir, '.keywayignore'));
    if (own) this.own.add(own, base);
  }

  /** Whether git tracks `abs` (a file) or files below it (a folder). */
  isTracked(abs: string, isDir: boolean): boolean {
    if (!this.tracked) return false;
    const rel = toPosix(path.relative(this.tracked.top, abs));
    return isDir ? this.tracked.dirs.has(rel) : this.tracked.files.has(rel);
  }

  /** Whether `abs` is ignored by its own name (the caller does not enter ignored folders). */
  decide(abs: string, isDir: boolean): boolean {
    const rel = toPosix(path.relative(this.root, abs));
    const own = this.own.decide(rel, isDir);
    if (own === true) return true;
    if (this.configMatcher && this.configDir && isInside(this.configDir, abs)) {
      const crel = toPosix(path.relative(this.configDir, abs));
      if (crel && this.configMatcher.decide(crel, isDir) === true) return true;
    }
    if (own === false) return false; // re-included by a .keywayignore negation
    if (this.git.decide(rel, isDir) === true) return !this.isTracked(abs, isDir);
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

function realpathOr(p: string): string {
  try { return fs.realpathSync(p); } catch { return p; }
}

/**
 * List the files a scan of `paths` analyses, with skip counts. Folders are walked; files named explicitly
 * are taken unless an ignore file covers them.
 */
export function collectFiles(
  paths: readonly string[],
  opts: { config: KeywayConfig; configFile?: string; maxFileSize?: number; gitignore?: boolean; git?: string },
): CollectResult {
  const skipped = new Map<SkipReason, number>();
  const skip = (r: SkipReason) => skipped.set(r, (skipped.get(r) ?? 0) + 1);
  const errors: ScanError[] = [];
  const files: CollectedFile[] = [];
  const seen = new Set<string>();
  const useGitignore = opts.gitignore ?? true;
  const configDir = opts.configFile ? path.dirname(path.resolve(opts.configFile)) : undefined;
  const states = new Map<string, IgnoreState>();
  const notes = new Set<string>();
  let gitRoots = 0, plainRoots = 0;
  const stateFor = (abs: string): IgnoreState => {
    let start = path.dirname(abs);
    try { if (fs.statSync(abs).isDirectory()) start = abs; } catch { /* a missing path: its folder */ }
    let root = useGitignore ? findGitTop(start) : undefined;
    if (!root && configDir && isInside(configDir, start)) root = configDir;
    root ??= start;
    let st = states.get(root);
    if (!st) {
      let tracked: GitTracked | undefined;
      if (useGitignore) {
        const g = gitTrackedFiles(root, { git: opts.git });
        if (g.ok) { tracked = g.tracked; gitRoots++; } else {
          plainRoots++;
          if (g.reason !== 'not-a-work-tree') notes.add(g.message);
        }
      }
      st = new IgnoreState(root, useGitignore, configDir, opts.config.ignore, tracked);
      states.set(root, st);
    }
    return st;
  };

  const addFile = (shown: string, abs: string, explicit: boolean) => {
    const real = realpathOr(abs);
    if (seen.has(real)) return;
    if (!documentKind(abs)) { if (explicit) skip('unsupported'); return; }
    seen.add(real);
    files.push({ path: shown, abs });
  };

  const walk = (dirShown: string, dirAbs: string, state: IgnoreState) => {
    const realRoot = realpathOr(dirAbs);
    // Iterative, so deep trees cannot overflow the stack.
    const stack: [string, string][] = [[dirShown, dirAbs]];
    const visitedReal = new Set<string>();
    while (stack.length) {
      const [shown, abs] = stack.pop()!;
      const real = realpathOr(abs);
      if (visitedReal.has(real)) continue;
      visitedReal.add(real);
      state.enter(abs);
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(abs, { withFileTypes: true });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') { skip('changed'); continue; }
        errors.push({ path: shown, message: `cannot read folder (${code ?? (e as Error).message})`, kind: 'walk' });
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const subdirs: [string, string][] = [];
      for (const ent of entries) {
        const childAbs = path.join(abs, ent.name);
        const childShown = path.join(shown, ent.name);
        let isDir = ent.isDirectory();
        let isFile = ent.isFile();
        if (ent.isSymbolicLink()) {
          // A link is followed only when it stays inside the scanned folder (no /etc/passwd, no loops out of the tree).
          let target: string;
          try { target = fs.realpathSync(childAbs); } catch { continue; } // dangling or looping link
          if (!isInside(realRoot, target)) { skip('outside-root'); continue; }
          try {
            const st = fs.statSync(childAbs);
            isDir = st.isDirectory();
            isFile = st.isFile();
          } catch { continue; }
        }
        if (isDir) {
          if (ALWAYS_EXCLUDED_DIRS.has(ent.name)) { skip('excluded-directory'); continue; }
          if (BUILD_DIRS.has(ent.name) && !state.isTracked(childAbs, true)) { skip('excluded-directory'); continue; }
          if (state.decide(childAbs, true)) { skip('ignored-directory'); continue; }
          subdirs.push([childShown, childAbs]);
        } else if (isFile) {
          if (!documentKind(childAbs)) { skip('unsupported'); continue; }
          if (state.decide(childAbs, false)) { skip('ignored'); continue; }
          addFile(childShown, childAbs, false);
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
      errors.push({ path: given, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : `cannot read (${(e as Error).message})`, kind: 'walk' });
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
      addFile(shown, abs, true);
    }
  }
  let ignore: IgnoreMode;
  if (!useGitignore) ignore = { mode: 'none', note: '.gitignore not applied (.keywayignore and config ignore were)' };
  else if (gitRoots && !plainRoots) ignore = { mode: 'git', note: 'git work tree: files git tracks were read even where .gitignore matches' };
  else {
    const why = notes.size ? [...notes].join('; ') : 'not a git work tree';
    ignore = { mode: 'ignore-files', note: `${why}: .gitignore, .keywayignore and config ignore were applied as written` };
  }
  return { files, skipped, errors, ignore };
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
