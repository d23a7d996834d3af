import * as vscode from 'vscode';
import type { Log } from './log';
import type { Views } from './views/register';

export function registerCommands(context: vscode.ExtensionContext, deps: { log: Log; views: Views }): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('keyway.refresh', () => deps.views.refresh()),
    vscode.commands.registerCommand('keyway.showLog', () => deps.log.show()),
    vscode.commands.registerCommand('keyway.selectProfile', () =>
      vscode.commands.executeCommand('workbench.action.openSettings', 'keyway.')),
  );
}
