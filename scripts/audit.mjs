#!/usr/bin/env node
// `npm run audit`: security advisories for what ships. Keyway's bundles contain their npm dependencies (the
// package has no runtime `dependencies`, so `npm audit --omit=dev` would audit nothing). This script builds the
// bundles, takes the exact packages and versions esbuild put into them (`build.mjs --packages-out`), and asks the
// registry's advisory service about those (the same bulk endpoint `npm audit` uses).
// Exit codes: 0 no advisory (or every one explained in docs/security-advisories.json), 1 an unexplained advisory,
// 3 the advisory service could not be reached (nothing was checked: say so, never pass silently).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-audit-'));

async function audit() {
  const listFile = path.join(tmp, 'packages.json');
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--no-tests', '--outdir', path.join(tmp, 'dist'), '--packages-out', listFile], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (build.status !== 0) return 2;
  const { packages } = JSON.parse(fs.readFileSync(listFile, 'utf8'));
  const body = {};
  for (const p of packages) {
    const at = p.lastIndexOf('@');
    (body[p.slice(0, at)] ??= []).push(p.slice(at + 1));
  }
  const registry = (spawnSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).stdout || 'https://registry.npmjs.org/').trim().replace(/\/?$/, '/');
  const url = `${registry}-/npm/v1/security/advisories/bulk`;
  console.log(`Auditing ${packages.length} packages bundled into dist/ against ${url}`);
  let res;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
  } catch (e) {
    console.error(`audit: the advisory service could not be reached (${e.cause?.code ?? e.message}). Nothing was checked.`);
    return 3;
  }
  if (!res.ok) {
    console.error(`audit: the advisory service answered HTTP ${res.status} ${res.statusText}. Nothing was checked.`);
    return 3;
  }
  const advisories = await res.json();
  const explainedFile = path.join(root, 'docs', 'security-advisories.json');
  const explained = fs.existsSync(explainedFile) ? JSON.parse(fs.readFileSync(explainedFile, 'utf8')) : {};
  let open = 0;
  for (const [name, list] of Object.entries(advisories)) {
    for (const a of list) {
      const why = explained[a.url] ?? explained[String(a.id)];
      if (!why) open++;
      console.log(`${why ? 'explained' : 'OPEN     '}  ${name} ${a.vulnerable_versions}  ${a.severity}  ${a.title}  ${a.url}${why ? `\n           ${why}` : ''}`);
    }
  }
  console.log(open ? `${open} unexplained advisories.` : 'No unexplained advisory.');
  return open ? 1 : 0;
}

let code = 2;
try {
  code = await audit();
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
