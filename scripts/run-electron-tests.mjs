#!/usr/bin/env node
// `npm run test:electron`: the same test/editor suites in VS Code desktop via @vscode/test-electron,
// on the minimum supported VS Code (engines.vscode) and on the current stable release.
// Needs internet (it downloads VS Code) — use `npm test` (code-server) on offline machines.
// Usage: node scripts/run-electron-tests.mjs [--version 1.100.0|stable|insiders]...
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const support = (m) => require(path.join(root, 'out', 'test', 'support', m));
const { runTests } = require('@vscode/test-electron');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const minimum = pkg.engines.vscode.replace(/^\^/, '');
const args = process.argv.slice(2);
const versions = args.includes('--version') ? args.filter((_, i) => args[i - 1] === '--version') : [minimum, 'stable'];

const { startMoto, MOTO_ENV } = support('moto.js');
const moto = await startMoto();
let failed = 0;
try {
  await support('seed.js').seedHybridLayout(moto.endpoint);
  for (const version of versions) {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-ws-'));
    fs.cpSync(path.join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
    const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-electron-'));
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ 'keyway.endpointUrl': moto.endpoint, 'keyway.region': 'us-east-1' }));
    const resultsFile = path.join(root, '.artifacts', 'results', `electron-${version}.json`);
    console.log(`\n=== editor suites on VS Code ${version} (electron) ===`);
    try {
      await runTests({
        version,
        extensionDevelopmentPath: root,
        extensionTestsPath: path.join(root, 'out', 'test', 'editor', 'index.js'),
        launchArgs: [workspace, '--user-data-dir', userData, '--disable-extensions', '--disable-workspace-trust'],
        extensionTestsEnv: { ...MOTO_ENV, KEYWAY_TEST_ENDPOINT: moto.endpoint, KEYWAY_TEST_RESULTS: resultsFile },
      });
    } catch (e) {
      failed++;
      console.error(`VS Code ${version}: ${e.message ?? e}`);
    } finally {
      fs.rmSync(workspace, { recursive: true, force: true });
      fs.rmSync(userData, { recursive: true, force: true });
    }
  }
} finally {
  await moto.stop();
}
process.exit(failed ? 1 : 0);
