// Where a value sits: test code, fixtures, mocks and sample events hold fake credentials on purpose, so a generic
// (name-based) finding there needs high confidence. Provider formats count everywhere.

const TEST_DIR = /(?:^|[\\/])(?:tests?|__tests__|spec|specs|__specs__|__mocks__|mocks?|fixtures?|__fixtures__|testdata|test[-_]data|e2e|cypress|integration[-_]tests?|unit[-_]tests?|__snapshots__|events|sample[-_]?events|test[-_]events|stubs?|fakes?|testing|testutils?|test[-_]utils?|test[-_]helpers?|storybook|stories)(?:[\\/])/i;
const TEST_FILE = /(?:\.|_|-)(?:test|tests|spec|specs|e2e|mock|mocks|fixture|fixtures|stories|story|bench)\.[^.\\/]+$|^(?:test|spec|conftest|jest\.setup|vitest\.setup|setupTests)[._-][^\\/]*$|\.snap$|^(?:event|events|sample[-_]?event|test[-_]?event)s?(?:[._-][^\\/]*)?\.json$/i;
/** JVM/.NET/Swift test classes: `OrderServiceTest.java`, `PaymentsTests.cs`, `ClientIT.kt`. */
const TEST_CLASS = /^[A-Z]\w*(?:Tests?|Spec|IT|Fixtures?)\.(?:java|kt|cs|scala|groovy|swift)$/;

/** Test code, fixtures, mocks, snapshots and sample events (`events/event.json`, `__tests__/`, `*.test.ts`, `*.snap`). */
export function isTestPath(path: string): boolean {
  const p = path.replace(/\\/g, '/');
  const base = p.slice(p.lastIndexOf('/') + 1);
  return TEST_DIR.test(p) || TEST_FILE.test(base) || TEST_CLASS.test(base);
}

const roots = new WeakMap<object, Map<string, string | null>>();

/**
 * The path inside its project (nearest folder with a `package.json` or a `.git`), so test-code detection never looks
 * at the folders around the project (`/home/me/test/my-repo/src/x.ts` is not test code). Falls back to the path.
 */
export function projectRelativePath(file: string, project: { readFile(path: string): string | undefined }): string {
  const p = file.replace(/\\/g, '/');
  let cache = roots.get(project);
  if (!cache) roots.set(project, cache = new Map());
  const visited: string[] = [];
  let dir = p.slice(0, Math.max(0, p.lastIndexOf('/')));
  let root: string | null = null;
  for (let i = 0; i < 24 && dir; i++) {
    const hit = cache.get(dir);
    if (hit !== undefined) { root = hit; break; }
    visited.push(dir);
    if (project.readFile(dir + '/package.json') !== undefined || project.readFile(dir + '/.git/HEAD') !== undefined) { root = dir; break; }
    const up = dir.lastIndexOf('/');
    if (up <= 0) break;
    dir = dir.slice(0, up);
  }
  for (const d of visited) cache.set(d, root);
  return root ? p.slice(root.length + 1) : p;
}
