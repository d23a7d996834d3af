// Which files a scan reads: walks folders (fs only; git is asked, without a shell, which files it tracks), honours
// .gitignore (never for files git tracks), .keywayignore and config `ignore`, skips dependencies, gitignored build
// output, files of unsupported types and links out of the scanned folder. Each file is listed once (by real path).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { documentKind } from '../readers/kind';
import type { KeywayConfig } from '../types';
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

export function isInside(parent: string, child: string): boolean {
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

export interface CollectOptions {
  config: KeywayConfig;
  configFile?: string;
  maxFileSize?: number;
  gitignore?: boolean;
  /** The git executable (tests point it elsewhere). */
  git?: string;
}

/** A folder waiting to be walked: as shown, absolute, and its real path (resolved once, children derive theirs). */
type PendingDir = [shown: string, abs: string, real: string];

/** One collectFiles call: the files found, skip counts, errors, and one ignore state per scanned root. */
class Collector {
  readonly files: CollectedFile[] = [];
  readonly skipped = new Map<SkipReason, number>();
  readonly errors: ScanError[] = [];
  private readonly seen = new Set<string>();
  private readonly states = new Map<string, IgnoreState>();
  private readonly notes = new Set<string>();
  private readonly useGitignore: boolean;
  private readonly configDir: string | undefined;
  private gitRoots = 0;
  private plainRoots = 0;

  constructor(private readonly opts: CollectOptions) {
    this.useGitignore = opts.gitignore ?? true;
    this.configDir = opts.configFile ? path.dirname(path.resolve(opts.configFile)) : undefined;
  }

  skip(r: SkipReason): void {
    this.skipped.set(r, (this.skipped.get(r) ?? 0) + 1);
  }

  /** The ignore state of the root `abs` belongs to: its git work tree, else the config folder, else its own folder. */
  stateFor(abs: string): IgnoreState {
    let start = path.dirname(abs);
    try { if (fs.statSync(abs).isDirectory()) start = abs; } catch { /* a missing path: its folder */ }
    let root = this.useGitignore ? findGitTop(start) : undefined;
    if (!root && this.configDir && isInside(this.configDir, start)) root = this.configDir;
    root ??= start;
    let st = this.states.get(root);
    if (!st) {
      let tracked: GitTracked | undefined;
      if (this.useGitignore) {
        const g = gitTrackedFiles(root, { git: this.opts.git });
        if (g.ok) { tracked = g.tracked; this.gitRoots++; } else {
          this.plainRoots++;
          if (g.reason !== 'not-a-work-tree') this.notes.add(g.message);
        }
      }
      st = new IgnoreState(root, this.useGitignore, this.configDir, this.opts.config.ignore, tracked);
      this.states.set(root, st);
    }
    return st;
  }

  /** List a file once (by real path); `real` when the caller knows it already. */
  addFile(shown: string, abs: string, explicit: boolean, real = realpathOr(abs)): void {
    if (this.seen.has(real)) return;
    if (!documentKind(abs)) { if (explicit) this.skip('unsupported'); return; }
    this.seen.add(real);
    this.files.push({ path: shown, abs });
  }

  /** Walk a folder, depth first in name order; iterative, so deep trees cannot overflow the stack. */
  walk(dirShown: string, dirAbs: string, state: IgnoreState): void {
    const realRoot = realpathOr(dirAbs);
    const stack: PendingDir[] = [[dirShown, dirAbs, realRoot]];
    const visitedReal = new Set<string>();
    while (stack.length) {
      const dir = stack.pop()!;
      if (visitedReal.has(dir[2])) continue;
      visitedReal.add(dir[2]);
      const subdirs = this.walkFolder(dir, realRoot, state);
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]);
    }
  }

  /** The entries of one folder: files are listed, sub-folders to enter are returned. */
  private walkFolder([shown, abs, real]: PendingDir, realRoot: string, state: IgnoreState): PendingDir[] {
    state.enter(abs);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') this.skip('changed');
      else this.errors.push({ path: shown, message: `cannot read folder (${code ?? (e as Error).message})`, kind: 'walk' });
      return [];
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: PendingDir[] = [];
    for (const ent of entries) {
      const childAbs = path.join(abs, ent.name);
      const childShown = path.join(shown, ent.name);
      // Not a link: its real path is its folder's real path and its name (no realpath call per file).
      let childReal = path.join(real, ent.name);
      let isDir = ent.isDirectory();
      let isFile = ent.isFile();
      if (ent.isSymbolicLink()) {
        // A link is followed only when it stays inside the scanned folder (no /etc/passwd, no loops out of the tree).
        try { childReal = fs.realpathSync(childAbs); } catch { continue; } // dangling or looping link
        if (!isInside(realRoot, childReal)) { this.skip('outside-root'); continue; }
        try {
          const st = fs.statSync(childAbs);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch { continue; }
      }
      if (isDir) {
        if (ALWAYS_EXCLUDED_DIRS.has(ent.name)) { this.skip('excluded-directory'); continue; }
        if (BUILD_DIRS.has(ent.name) && !state.isTracked(childAbs, true)) { this.skip('excluded-directory'); continue; }
        if (state.decide(childAbs, true)) { this.skip('ignored-directory'); continue; }
        subdirs.push([childShown, childAbs, childReal]);
      } else if (isFile) {
        if (!documentKind(childAbs)) { this.skip('unsupported'); continue; }
        if (state.decide(childAbs, false)) { this.skip('ignored'); continue; }
        this.addFile(childShown, childAbs, false, childReal);
      }
    }
    return subdirs;
  }

  /** One path given to the scan: a folder is walked, a file taken unless an ignore file covers it. */
  collect(given: string): void {
    const abs = path.resolve(given);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (e) {
      this.errors.push({ path: given, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : `cannot read (${(e as Error).message})`, kind: 'walk' });
      return;
    }
    const state = this.stateFor(abs);
    const shown = path.normalize(given);
    if (st.isDirectory()) {
      if (abs !== state.root && state.ignoresWithParents(abs, true)) { this.skip('ignored-directory'); return; }
      // Ancestors' ignore files between the root and this folder.
      state.ignoresWithParents(path.join(abs, '_'), false);
      this.walk(shown, abs, state);
    } else if (st.isFile()) {
      if (state.ignoresWithParents(abs, false)) { this.skip('ignored'); return; }
      this.addFile(shown, abs, true);
    }
  }

  /** How ignore files were applied, for the summary. */
  ignoreMode(): IgnoreMode {
    if (!this.useGitignore) return { mode: 'none', note: '.gitignore not applied (.keywayignore and config ignore were)' };
    if (this.gitRoots && !this.plainRoots) return { mode: 'git', note: 'git work tree: files git tracks were read even where .gitignore matches' };
    const why = this.notes.size ? [...this.notes].join('; ') : 'not a git work tree';
    return { mode: 'ignore-files', note: `${why}: .gitignore, .keywayignore and config ignore were applied as written` };
  }
}

/**
 * List the files a scan of `paths` analyses, with skip counts. Folders are walked; files named explicitly
 * are taken unless an ignore file covers them.
 */
export function collectFiles(paths: readonly string[], opts: CollectOptions): CollectResult {
  const c = new Collector(opts);
  for (const given of paths) c.collect(given);
  return { files: c.files, skipped: c.skipped, errors: c.errors, ignore: c.ignoreMode() };
}
