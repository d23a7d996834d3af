import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root, from either src/test (ts) or out/test (compiled js). */
export const repoRoot: string = (() => {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error('repository root not found from ' + __dirname);
})();

export const cacheDir = process.env.KEYWAY_CACHE ?? path.join(repoRoot, '.cache');
export const artifactsDir = path.join(repoRoot, '.artifacts');
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');
