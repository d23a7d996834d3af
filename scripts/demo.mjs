#!/usr/bin/env node
// `npm run demo`: a seeded local AWS (moto) and the real extension on the sample Lambda project.
//   - VS Code desktop (`code --extensionDevelopmentPath`) when `code` is on PATH,
//   - otherwise code-server on 127.0.0.1, and the URL is printed.
// Ctrl-C stops everything it started. Flags: --port N (code-server port), --no-desktop (force code-server).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const support = (m) => require(path.join(root, 'out', 'test', 'support', m));
const args = process.argv.slice(2);
const portArg = args.includes('--port') ? Number(args[args.indexOf('--port') + 1]) : undefined;
const forceServer = args.includes('--no-desktop');
const project = path.join(root, 'examples', 'sample-lambda');

const hasCode = !forceServer && spawnSync('sh', ['-c', 'command -v code'], { stdio: 'ignore' }).status === 0;
const setup = spawnSync('bash', [path.join(root, 'scripts', 'setup.sh'), '--only', 'moto', ...(hasCode ? [] : ['--only', 'code-server'])], { stdio: 'inherit' });
if (setup.status !== 0) { console.error('demo: setup failed (see above)'); process.exit(1); }

const { startMoto, MOTO_ENV } = support('moto.js');
const { seedHybridLayout, seedFindings } = support('seed.js');
const stops = [];
let stopping = false;
async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\n[demo] stopping…');
  for (const stop of stops.reverse()) { try { await stop(); } catch { /* keep stopping the rest */ } }
  console.log('[demo] stopped.');
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  const moto = await startMoto();
  stops.push(() => moto.stop());
  const items = await seedHybridLayout(moto.endpoint);
  const findings = await seedFindings(moto.endpoint);
  console.log(`[demo] local AWS (moto) at ${moto.endpoint}, seeded with ${items.length} parameters and secrets under /my-frontend-app/{production,staging}/`);
  console.log(`[demo] plus ${findings.length} more: a drift between staging and production (Keyway: Compare Paths…) and audit findings (Keyway: Audit Account)`);
  const cli = `AWS_ENDPOINT_URL=${moto.endpoint} AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing node ${path.join(root, 'dist', 'cli.js')}`;
  console.log('[demo] the same from a terminal (another shell, while the demo runs):');
  console.log(`    ${cli} diff /my-frontend-app/staging /my-frontend-app/production`);
  console.log(`    ${cli} audit`);
  console.log(`    cd ${project} && ${cli} verify --stage production`);
  const settings = { 'keyway.endpointUrl': moto.endpoint, 'keyway.region': 'us-east-1' };
  const env = { ...MOTO_ENV };

  if (hasCode) {
    const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-demo-'));
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
    stops.push(async () => fs.rmSync(userData, { recursive: true, force: true }));
    console.log('[demo] opening VS Code desktop with Keyway in development mode (close the window or press Ctrl-C to stop)');
    const child = spawn('code', ['--wait', '--new-window', '--user-data-dir', userData, '--extensionDevelopmentPath', root, project],
      { stdio: 'inherit', env: { ...process.env, ...env }, detached: true });
    stops.push(async () => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ } });
    child.on('exit', () => void stopAll(0));
  } else {
    const { startCodeServer, stageExtension, workbenchUrl } = support('codeServer.js');
    const server = await startCodeServer({ settings, env, installExtensions: [stageExtension()], port: portArg });
    stops.push(async () => { await server.stop(); fs.rmSync(server.stateDir, { recursive: true, force: true }); });
    console.log('[demo] VS Code (code-server 4.100.3) is ready. Open this URL in a browser:');
    console.log(`\n    ${workbenchUrl(server, project)}\n`);
    console.log('[demo] Click the Keyway key icon in the activity bar. Press Ctrl-C to stop everything.');
  }
} catch (e) {
  console.error(`[demo] failed: ${e.message ?? e}`);
  await stopAll(1);
}
