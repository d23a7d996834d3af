// Test code is not a handler (issue 13 §2): files under test/, tests/, __tests__/ (and mocks, fixtures), and
// *.test.* / *.spec.* files. The patterns are configurable (`testFiles` in .keywayrc.json).
import { parsePattern, type IgnorePattern } from '../scan/gitignore';
import type { KeywayConfig } from '../types';

/** The default test-code patterns (gitignore syntax; a pattern without `/` matches a name at any depth). */
export const DEFAULT_TEST_FILES: readonly string[] = [
  'test/', 'tests/', '__tests__/', '__mocks__/', '__fixtures__/', '*.test.*', '*.spec.*', '*.e2e.*', '*.e2e-spec.*',
];

const compiled = new WeakMap<readonly string[], IgnorePattern[]>();

function patternsOf(list: readonly string[]): IgnorePattern[] {
  let p = compiled.get(list);
  if (!p) {
    p = list.map((s) => parsePattern(s)).filter((x): x is IgnorePattern => !!x);
    compiled.set(list, p);
  }
  return p;
}

/**
 * Whether a path is test code. Names are matched against every folder of the path (a folder pattern such as `test/`)
 * and the file name; an anchored pattern (`src/testing/**`) against every tail of the path, since analysed paths may
 * be absolute or relative to another root. Negated patterns (`!`) re-include, the last match wins.
 */
export function isTestPath(path: string, config?: Pick<KeywayConfig, 'testFiles'>): boolean {
  const list = config?.testFiles ?? DEFAULT_TEST_FILES;
  if (!list.length) return false;
  const parts = path.replace(/\\/g, '/').split('/').filter((s) => s && s !== '.');
  if (!parts.length) return false;
  let test = false;
  for (const p of patternsOf(list)) {
    if (matches(p, parts)) test = !p.negate;
  }
  return test;
}

function matches(p: IgnorePattern, parts: string[]): boolean {
  // A folder pattern (`test/`) matches a folder; any other pattern a folder or the file (gitignore: the contents of a
  // matched folder are matched too).
  const lastDir = p.dirOnly ? parts.length - 2 : parts.length - 1;
  for (let i = 0; i <= lastDir; i++) {
    if (!p.anchored) { if (p.regex.test(parts[i])) return true; continue; }
    for (let j = i; j <= lastDir; j++) if (p.regex.test(parts.slice(i, j + 1).join('/'))) return true;
  }
  return false;
}
