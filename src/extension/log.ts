import * as vscode from 'vscode';
import { escapeControl, Redactor } from '../core/output';

/** Log lines carry names and error messages from scanned files: credentials masked, control characters escaped. */
const redactor = new Redactor();
const safe = (m: string) => escapeControl(redactor.text(m));

/**
 * The "Keyway" log output channel. Records operations, counts, durations and errors — never values.
 * Callers pass names and metadata only; there is deliberately no method that takes a value. Each line is one
 * line: a name or an error message taken from a file cannot forge another.
 */
export class Log implements vscode.Disposable {
  private channel: vscode.LogOutputChannel | undefined;

  private get out(): vscode.LogOutputChannel {
    return (this.channel ??= vscode.window.createOutputChannel('Keyway', { log: true }));
  }

  info(message: string): void { this.out.info(safe(message)); }
  warn(message: string): void { this.out.warn(safe(message)); }
  error(message: string): void { this.out.error(safe(message)); }
  debug(message: string): void { this.out.debug(safe(message)); }
  show(): void { this.out.show(true); }

  dispose(): void { this.channel?.dispose(); }
}
