// Starts the real VS Code server (code-server 4.100.3 = VS Code 1.100.3) from the project cache.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { artifactsDir, cacheDir, repoRoot } from './paths';
import { freePort, spawnGroup, stopGroup, waitForHttp } from './process';

export const CODE_SERVER_VERSION = '4.100.3';

export interface CodeServer {
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  /** The folder holding this server's temporary state (user data, extensions, logs). */
  stateDir: string;
  logFile: string;
  stop(): Promise<void>;
}

export function codeServerEntry(): string {
  const entry = path.join(cacheDir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} not found at ${entry}. Run: bash scripts/setup.sh --only code-server`);
  }
  return entry;
}

export interface StartOptions {
  /** Settings written to the user settings (and the machine settings, for machine-scoped keys). */
  settings?: Record<string, unknown>;
  /** Extra environment for the server and so the extension host. */
  env?: Record<string, string>;
  /** Copy these extension folders into the extensions dir (as installed extensions). */
  installExtensions?: { from: string; id: string }[];
  port?: number;
  /** Keep state here instead of a fresh temp dir. */
  stateDir?: string;
  /**
   * Turn workspace trust on (off by default in the tests). Folders are then untrusted until trusted, and open
   * in Restricted Mode without the startup prompt.
   */
  workspaceTrust?: boolean;
}

const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.enableExperiments': false,
  'git.enabled': false,
  'typescript.tsserver.experimental.enableProjectDiagnostics': false,
};

export async function startCodeServer(opts: StartOptions = {}): Promise<CodeServer> {
  const entry = codeServerEntry();
  const stateDir = opts.stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-vscode-'));
  const userDataDir = path.join(stateDir, 'user-data');
  const extensionsDir = path.join(stateDir, 'extensions');
  const logFile = path.join(stateDir, 'code-server.log');
  const trust = opts.workspaceTrust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'always' } : {};
  const settings = { ...BASE_SETTINGS, ...trust, ...opts.settings };
  for (const scope of ['User', 'Machine']) {
    fs.mkdirSync(path.join(userDataDir, scope), { recursive: true });
    fs.writeFileSync(path.join(userDataDir, scope, 'settings.json'), JSON.stringify(settings, null, 2));
  }
  fs.mkdirSync(extensionsDir, { recursive: true });
  for (const ext of opts.installExtensions ?? []) {
    fs.cpSync(ext.from, path.join(extensionsDir, ext.id), { recursive: true, dereference: true });
  }
  const configFile = path.join(stateDir, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const port = opts.port ?? (await freePort());
  const out = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawnGroup(process.execPath, [
    entry,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
  ], {
    stdio: ['ignore', out, out],
    env: { ...process.env, ...opts.env, KEYWAY_TEST_USER_DATA_DIR: userDataDir },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/healthz`, 60_000, child);
  } catch (e) {
    await stopGroup(child);
    throw new Error(`${(e as Error).message}\n--- code-server log (${logFile}) ---\n${tail(logFile)}`);
  }
  return {
    url, port, userDataDir, extensionsDir, stateDir, logFile,
    async stop() {
      await stopGroup(child);
    },
  };
}

export function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The workbench URL that opens `folder` and, optionally, runs an extension in development mode with tests. */
export function workbenchUrl(server: { url: string; port: number }, folder: string, dev?: { extensionPath: string; testsPath?: string }): string {
  const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p.split(path.sep).join('/')}`;
  let u = `${server.url}/?folder=${encodeURIComponent(folder)}`;
  if (dev) {
    const payload: [string, string][] = [['extensionDevelopmentPath', remote(dev.extensionPath)]];
    if (dev.testsPath) payload.push(['extensionTestsPath', remote(dev.testsPath)]);
    u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  }
  return u;
}

/** Copies what the .vsix would contain (the .vscodeignore allowlist) into a folder that can be installed by copying. */
export function stageExtension(): { from: string; id: string } {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const id = `${pkg.publisher}.${pkg.name}-${pkg.version}`;
  const stage = path.join(artifactsDir, 'staged-extension', id);
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  for (const f of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist', 'media']) {
    if (fs.existsSync(path.join(repoRoot, f))) fs.cpSync(path.join(repoRoot, f), path.join(stage, f), { recursive: true });
  }
  return { from: stage, id };
}
