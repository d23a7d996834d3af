// What git tracks in a work tree: `git ls-files -z`, run without a shell, with the repository's fsmonitor hook
// disabled (a checked-out .git/config must not run commands), a timeout and a size cap. Never throws.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface GitTracked {
  /** The work tree's top folder (absolute). */
  top: string;
  /** Tracked files, POSIX paths relative to `top`. */
  files: Set<string>;
  /** Every folder holding a tracked file (POSIX, relative to `top`, '' excluded). */
  dirs: Set<string>;
}

export type GitLookup =
  | { ok: true; tracked: GitTracked }
  | { ok: false; reason: 'not-a-work-tree' | 'git-unavailable' | 'git-failed'; message: string };

/** The folder holding `.git` at or above `start`, if any. */
export function findGitTop(start: string): string | undefined {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Files git tracks in the work tree containing `start` (`git` names the executable; tests point it elsewhere). */
export function gitTrackedFiles(start: string, opts: { git?: string } = {}): GitLookup {
  const top = findGitTop(start);
  if (!top) return { ok: false, reason: 'not-a-work-tree', message: 'not inside a git work tree' };
  let result: GitLookup;
  try {
    const out = execFileSync(opts.git ?? 'git', ['-c', 'core.fsmonitor=false', '-c', 'core.quotePath=false', 'ls-files', '-z', '--cached'], {
      cwd: top, encoding: 'buffer', maxBuffer: 512 * 1024 * 1024, timeout: 60_000, windowsHide: true,
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' },
    });
    const files = new Set<string>();
    const dirs = new Set<string>();
    for (const rel of out.toString('utf8').split('\0')) {
      if (!rel) continue;
      files.add(rel);
      for (let i = rel.lastIndexOf('/'); i > 0; i = rel.lastIndexOf('/', i - 1)) {
        const d = rel.slice(0, i);
        if (dirs.has(d)) break;
        dirs.add(d);
      }
    }
    result = { ok: true, tracked: { top, files, dirs } };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer; status?: number };
    if (err.code === 'ENOENT') result = { ok: false, reason: 'git-unavailable', message: 'git is not installed or not on PATH' };
    else {
      const first = err.stderr?.toString('utf8').split('\n').find((l) => l.trim()) ?? err.message;
      result = { ok: false, reason: 'git-failed', message: `git ls-files failed: ${first.trim().slice(0, 200)}` };
    }
  }
  return result;
}
