#!/usr/bin/env node
// Builds Keyway with esbuild.
//   dist/extension.js  the VS Code entry: thin, `vscode` external, loads core/aws lazily
//   dist/core.js       analyzer, rules, fixes (bundles ts-morph and yaml)
//   dist/aws.js        credentials, SDK v3 clients, hierarchy index (bundles the AWS SDK)
//   dist/cli.js        the `keyway` command (loads dist/core.js)
//   dist/typecheck.js  the fixes' type-checker (ts-morph projects); loaded by --fix and the editor's fixes only
//   out/               every src/ and test/ file transpiled one-to-one (CommonJS) for the test layers
// Flags: --production (minify, no sourcemaps), --watch, --tests (only out/), --no-tests,
//        --outdir <dir> (the bundles go there instead of dist/; the package test stages a .vsix that way),
//        --packages-out <file> (writes the npm packages, with versions, that the bundles contain: what ships)
import * as esbuild from 'esbuild';
import { readdirSync, readFileSync, statSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const onlyTests = args.has('--tests');
const noTests = args.has('--no-tests') || production;
const outdirArg = process.argv.indexOf('--outdir');
const distDir = outdirArg > 0 ? resolve(process.argv[outdirArg + 1]) : join(root, 'dist');
const packagesArg = process.argv.indexOf('--packages-out');
const packagesOut = packagesArg > 0 ? resolve(process.argv[packagesArg + 1]) : undefined;

/** `name@version` of every npm package a bundle's inputs come from (its innermost node_modules folder). */
function bundledPackages(metafile) {
  const out = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(.*node_modules\/)((?:@[^/]+\/)?[^/]+)\//.exec(input.replace(/\\/g, '/'));
    if (!m) continue;
    const pj = JSON.parse(readFileSync(join(root, m[1], m[2], 'package.json'), 'utf8'));
    out.add(`${pj.name ?? m[2]}@${pj.version}`);
  }
  return out;
}
const shipped = new Map();

/**
 * Lazy layers: `import('../core/index')` from extension or cli code becomes a runtime require of ./core.js, and
 * `import('…/core/fixes/typecheck')` one of ./typecheck.js (the fix type-checker, loaded only when fixing).
 */
const lazyLayers = {
  name: 'keyway-lazy-layers',
  setup(build) {
    build.onResolve({ filter: /\/core\/fixes\/typecheck(\.js)?$/ }, () => ({ path: './typecheck.js', external: true }));
    build.onResolve({ filter: /^\.\.\/(core|aws)(\/index(\.js)?)?$/ }, (a) => {
      const layer = /^\.\.\/(core|aws)/.exec(a.path)[1];
      const from = relative(join(root, 'src'), a.resolveDir).split(/[\\/]/)[0];
      if (from === layer) return undefined;
      return { path: `./${layer}.js`, external: true };
    });
  },
};

/** In the core and CLI bundles, `ts-morph` is only its compiler API (see scripts/ts-only.cjs). */
const tsOnly = {
  name: 'keyway-ts-only',
  setup(build) {
    build.onResolve({ filter: /^ts-morph$/ }, () => ({ path: join(root, 'scripts', 'ts-only.cjs') }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  metafile: true,
  legalComments: 'none',
  // Node built-ins and optional native helpers the SDK probes for.
  external: ['vscode', 'aws-crt', '@aws-sdk/signature-v4-crt'],
};

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) {
      if (name === 'fixtures' || name === 'node_modules') continue;
      walk(p, out);
    } else if (/\.ts$/.test(name) && !/\.d\.ts$/.test(name)) out.push(p);
  }
  return out;
}

/**
 * esbuild escapes non-ASCII characters in strings and templates but leaves them in comments and regular expression
 * literals; one such character makes V8 hold the whole bundle's source as a two-byte string (22 MB instead of 11 MB
 * for dist/core.js) and read it slower. They become \\uXXXX escapes (the same regular expressions; sourcemap columns
 * move on those few lines only), so every bundle is pure ASCII and the CLI reads it as Latin-1 (src/cli/loadCore.ts).
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) writeFileSync(file, ascii);
}

function assertThin(result) {
  const heavy = Object.keys(result.metafile.inputs).filter((f) => /node_modules[\\/](ts-morph|@ts-morph|typescript|@aws-sdk|@smithy|yaml)[\\/]/.test(f));
  if (heavy.length) {
    throw new Error(`dist/extension.js must not bundle ts-morph, TypeScript, yaml or the AWS SDK (they load lazily). Found:\n  ${heavy.slice(0, 10).join('\n  ')}`);
  }
}

const bundles = [
  { entryPoints: { extension: 'src/extension/extension.ts' }, plugins: [lazyLayers], check: assertThin },
  { entryPoints: { core: 'src/core/index.ts' }, plugins: [tsOnly] },
  { entryPoints: { aws: 'src/aws/index.ts' } },
  // Fixes' type-checker: the real ts-morph (projects, tsconfig.json, lib files), loaded only by --fix and editor fixes.
  { entryPoints: { typecheck: 'src/core/fixes/typecheck.ts' } },
  { entryPoints: { cli: 'src/cli/main.ts' }, plugins: [lazyLayers, tsOnly], banner: { js: '#!/usr/bin/env node' } },
  // Scan Workspace's worker thread: thin, loads ./core.js like the extension does.
  { entryPoints: { scanWorker: 'src/extension/scanWorker.ts' }, plugins: [lazyLayers], check: assertThin },
];

async function buildAll() {
  const t0 = Date.now();
  const tasks = [];
  if (!onlyTests) {
    if (!watch) rmSync(distDir, { recursive: true, force: true });
    mkdirSync(distDir, { recursive: true });
    for (const b of bundles) {
      const { check, ...opts } = b;
      const cfg = { ...common, ...opts, absWorkingDir: root, outdir: distDir };
      if (watch) {
        const ctx = await esbuild.context(cfg);
        await ctx.watch();
      } else {
        tasks.push(esbuild.build(cfg).then((r) => {
          check?.(r);
          for (const name of Object.keys(opts.entryPoints)) asciiOnly(join(distDir, `${name}.js`));
          if (packagesOut) shipped.set(Object.keys(opts.entryPoints)[0], [...bundledPackages(r.metafile)].sort());
        }));
      }
    }
  }
  if (!noTests) {
    const entryPoints = [...walk(join(root, 'src')), ...walk(join(root, 'test'))].map((p) => relative(root, p));
    const cfg = {
      entryPoints, absWorkingDir: root, outdir: 'out', outbase: '.', bundle: false, platform: 'node',
      target: 'node20', format: 'cjs', sourcemap: 'inline', logLevel: 'warning',
    };
    if (watch) await (await esbuild.context(cfg)).watch();
    else tasks.push(esbuild.build(cfg));
  }
  await Promise.all(tasks);
  if (packagesOut) {
    const all = [...new Set([...shipped.values()].flat())].sort();
    writeFileSync(packagesOut, JSON.stringify({ packages: all, byBundle: Object.fromEntries([...shipped].sort()) }, null, 2) + '\n');
  }
  if (!watch) console.error(`[build] done in ${Date.now() - t0} ms${production ? ' (production)' : ''}`);
  else console.error('[build] watching…');
}

buildAll().catch((e) => { console.error(e.message ?? e); process.exit(1); });
