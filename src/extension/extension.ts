// Activation stays thin: register views, commands and settings listeners. Nothing here loads
// ts-morph or the AWS SDK; features load them through ./lazy on first use.
import * as vscode from 'vscode';
import { loadedLayers } from './lazy';
import { registerCommands } from './commands';
import { Log } from './log';
import { registerViews } from './views/register';

export interface KeywayApi {
  /** Timing and lazy-loading facts about this activation (used by the tests and `Keyway: Show Log`). */
  activationStats(): { durationMs: number; loadedLayers: string[] };
}

export function activate(context: vscode.ExtensionContext): KeywayApi {
  const t0 = performance.now();
  const log = new Log();
  context.subscriptions.push(log);
  const views = registerViews(context);
  registerCommands(context, { log, views });
  const durationMs = performance.now() - t0;
  log.info(`Keyway ${context.extension.packageJSON.version as string} activated in ${durationMs.toFixed(1)} ms`);
  return { activationStats: () => ({ durationMs, loadedLayers: loadedLayers() }) };
}

export function deactivate(): void {
  // Disposables registered on the context are disposed by VS Code.
}
