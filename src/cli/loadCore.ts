// Loads the core bundle (dist/core.js, 9 MB of it the TypeScript compiler) for `keyway scan`, with a V8 code cache:
// the first run compiles and, on exit, stores the compiled code in the user's cache folder; later runs skip most of
// the parse and compile work (what Node 22's module.enableCompileCache does, for Node 20). The cache holds compiled
// Keyway code only, never anything scanned. It is used only from a folder the current user owns and nobody else can
// write (a cache others could write would be code they could run), keyed by Node version, architecture and the
// bundle's size and mtime. KEYWAY_NO_COMPILE_CACHE=1 turns it off. Any failure falls back to a plain require.
// V8 rejects a cache made under other V8 flags: set flags (the CLI sets --expose-gc) before loading, never after.
import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type * as Core from '../core/index';

type CoreModule = typeof Core;

function cacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const base = env.XDG_CACHE_HOME || (process.platform === 'win32' ? env.LOCALAPPDATA : path.join(os.homedir(), '.cache'));
  if (!base) return undefined;
  const dir = path.join(base, 'keyway', 'v8');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') {
    const st = fs.statSync(dir);
    if (st.uid !== process.getuid?.() || (st.mode & 0o022) !== 0) return undefined; // not ours alone: no cache
  }
  return dir;
}

function loadWithCache(file: string, env: NodeJS.ProcessEnv): CoreModule {
  const dir = cacheDir(env);
  const st = fs.statSync(file);
  // The build leaves the bundle pure ASCII: read as Latin-1 (the same text, decoded twice as fast, one byte a character).
  const bytes = fs.readFileSync(file);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  let cachedData: Buffer | undefined;
  let cacheFile: string | undefined;
  if (dir) {
    cacheFile = path.join(dir, `core-${process.version}-${process.arch}-${st.size}-${Math.floor(st.mtimeMs)}.bin`);
    try {
      const cst = fs.statSync(cacheFile);
      if (process.platform === 'win32' || (cst.uid === process.getuid?.() && (cst.mode & 0o022) === 0)) cachedData = fs.readFileSync(cacheFile);
    } catch { /* first run */ }
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const m = new Module(file, module);
  m.filename = file;
  m.paths = (Module as unknown as { _nodeModulePaths(d: string): string[] })._nodeModulePaths(path.dirname(file));
  const fn = script.runInThisContext() as (e: unknown, r: NodeRequire, m: Module, f: string, d: string) => void;
  fn.call(m.exports, m.exports, createRequire(file), m, file, path.dirname(file));
  m.loaded = true;
  require.cache[file] = m;
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    const target = cacheFile;
    // On exit, when the scan has compiled what it uses: more of the bundle is then in the cache.
    process.once('exit', () => {
      try {
        const tmp = `${target}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, target);
        for (const old of fs.readdirSync(path.dirname(target))) {
          if (old.startsWith('core-') && path.join(path.dirname(target), old) !== target && !old.endsWith('.tmp')) fs.rmSync(path.join(path.dirname(target), old), { force: true });
        }
      } catch { /* a cache is an optimisation */ }
    });
  }
  return m.exports as CoreModule;
}

/** The core layer, from the bundle next to this file with the code cache when possible. */
export async function loadCore(env: NodeJS.ProcessEnv = process.env): Promise<CoreModule> {
  const bundle = path.join(__dirname, 'core.js');
  if (!env.KEYWAY_NO_COMPILE_CACHE && path.basename(__filename) === 'cli.js' && fs.existsSync(bundle)) {
    try { return loadWithCache(bundle, env); } catch { /* fall back to a plain require */ }
  }
  return import('../core/index');
}
