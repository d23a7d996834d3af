// Keyway: Run aws sso login — the AWS CLI in a terminal tab, spawned without a shell. The terminal is a
// pseudoterminal that relays the process's output and the user's keys; no shell ever sees the profile name.
import { spawn, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { loadAws } from './lazy';
import type { Log } from './log';
import type { ExplorerSession } from './session';

/** Runs one program (no shell) in a terminal tab; closes on a key press once it has exited. */
export class ProcessPty implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;
  private child?: ChildProcess;
  private exitCode?: number;

  constructor(private readonly file: string, private readonly args: string[], private readonly onExit: (code: number) => void) {}

  open(): void {
    this.written.fire(`\x1b[2m$ ${[this.file, ...this.args].map(quoteForDisplay).join(' ')}\x1b[0m\r\n`);
    const child = spawn(this.file, this.args, { shell: false, windowsHide: true, cwd: os.homedir(), env: process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    const relay = (b: Buffer) => this.written.fire(b.toString('utf8').replace(/\r?\n/g, '\r\n'));
    child.stdout?.on('data', relay);
    child.stderr?.on('data', relay);
    child.on('error', (e) => this.finish(127, `Could not run ${this.file}: ${e.message}`));
    child.on('exit', (code, signal) => this.finish(code ?? 1, signal ? `stopped (${signal})` : undefined));
  }

  private finish(code: number, note?: string): void {
    if (this.exitCode !== undefined) return;
    this.exitCode = code;
    this.written.fire(`\r\n${note ? `${note}\r\n` : ''}\x1b[2m[aws exited with code ${code}. Press any key to close this terminal.]\x1b[0m\r\n`);
    this.onExit(code);
  }

  handleInput(data: string): void {
    if (this.exitCode !== undefined) { this.closed.fire(this.exitCode); return; }
    if (data === '\x03') { this.child?.kill(); return; }
    const text = data.replace(/\r/g, '\n');
    this.written.fire(data.replace(/\r/g, '\r\n'));
    this.child?.stdin?.write(text);
  }

  close(): void {
    if (this.exitCode === undefined) this.child?.kill();
  }
}

function quoteForDisplay(s: string): string {
  return /^[\w./:@=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Runs `aws sso login` for the connection's profile (or `profile`) in a terminal tab; undefined if refused. */
export async function runSsoLogin(session: ExplorerSession, log: Log, profile?: string): Promise<vscode.Terminal | undefined> {
  profile ??= session.current?.connection.profile || session.settings.profile || 'default';
  const aws = await loadAws();
  let known: string[] = [];
  try { known = (await aws.listProfiles()).map((p) => p.name); } catch (e) { log.warn(`Could not read the AWS config files: ${(e as Error).message}`); }
  const cmd = aws.ssoLoginCommand(profile, known);
  if (!cmd.ok) {
    void vscode.window.showErrorMessage(`Keyway: cannot run aws sso login. ${cmd.reason}`);
    return undefined;
  }
  log.info(`Running aws sso login for profile ${profile} (${cmd.file})`);
  const pty = new ProcessPty(cmd.file, cmd.args, (code) => {
    log.info(`aws sso login exited with code ${code}`);
    if (code === 0) void session.reconnect('SSO login finished');
  });
  const term = vscode.window.createTerminal({ name: `aws sso login (${profile})`, pty });
  term.show();
  void vscode.window.showInformationMessage('Finish the login in your browser; Keyway reconnects when aws sso login succeeds.');
  return term;
}
