import * as vscode from 'vscode';

/**
 * The "Keyway" log output channel. Records operations, counts, durations and errors — never values.
 * Callers pass names and metadata only; there is deliberately no method that takes a value.
 */
export class Log implements vscode.Disposable {
  private channel: vscode.LogOutputChannel | undefined;

  private get out(): vscode.LogOutputChannel {
    return (this.channel ??= vscode.window.createOutputChannel('Keyway', { log: true }));
  }

  info(message: string): void { this.out.info(message); }
  warn(message: string): void { this.out.warn(message); }
  error(message: string): void { this.out.error(message); }
  debug(message: string): void { this.out.debug(message); }
  show(): void { this.out.show(true); }

  dispose(): void { this.channel?.dispose(); }
}
