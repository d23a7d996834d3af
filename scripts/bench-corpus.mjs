// The pinned benchmark corpus shared by `bench:analyzer` and `bench:scan`: real npm packages that ship JS/TS sources,
// installed once into .cache/bench-corpus (npm install --ignore-scripts, no lockfile) from the registry mirror.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const corpusDir = join(root, '.cache', 'bench-corpus');

/** The corpus: exact versions. Together ≈4,100 source files and ≈400,000 lines (≈12,700 files with their dependencies). */
export const PINNED = {
  'rxjs': '7.8.2', // TypeScript sources in src/
  'lodash-es': '4.17.21', // ES modules
  'date-fns': '4.1.0', // ESM + CommonJS, many locales
  'zod': '3.25.76', // TypeScript sources and built JS
  '@aws-sdk/client-s3': '3.888.0', // AWS SDK v3 dist-es / dist-cjs
};

export function installedVersion(name) {
  try { return JSON.parse(readFileSync(join(corpusDir, 'node_modules', name, 'package.json'), 'utf8')).version; } catch { return undefined; }
}

/** Install the pinned packages when a version is missing. Exits the process on failure. */
export function ensureCorpus() {
  const missing = Object.entries(PINNED).filter(([n, v]) => installedVersion(n) !== v);
  if (!missing.length) return;
  mkdirSync(corpusDir, { recursive: true });
  writeFileSync(join(corpusDir, 'package.json'), JSON.stringify({ name: 'keyway-bench-corpus', private: true, version: '0.0.0', dependencies: PINNED }, null, 2));
  console.error(`[bench] installing the corpus (${Object.entries(PINNED).map(([n, v]) => `${n}@${v}`).join(', ')}) into ${relative(root, corpusDir)}…`);
  const r = spawnSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--omit=dev', '--package-lock=false'], { cwd: corpusDir, stdio: 'inherit' });
  if (r.status !== 0) { console.error('[bench] npm install failed'); process.exit(1); }
  const still = Object.entries(PINNED).filter(([n, v]) => installedVersion(n) !== v);
  if (still.length) { console.error(`[bench] wrong versions installed: ${still.map(([n]) => n).join(', ')}`); process.exit(1); }
}
