// Wires the editor features: live diagnostics, code actions, hovers, completion, and the commands
// their links and actions run.
import * as vscode from 'vscode';
import * as arn from '../../core/arn';
import type * as Aws from '../../aws/index';
import { copySecretValue } from '../clipboard';
import type { Log } from '../log';
import type { RevealedValues } from '../reveal';
import { RestrictedModeError, type ExplorerSession } from '../session';
import type { Views } from '../views/register';
import { fixAllEdit, KeywayCodeActions } from './codeActions';
import { KeywayCompletion } from './completion';
import { DiagnosticsController } from './diagnostics';
import { FixChecks } from './fixChecks';
import { hoverRevealKey, KeywayHover } from './hover';
import type { NameKind } from './names';
import { registerScanCommand } from './scan';
import { ITEM_SCHEME, KeywayDefinitions } from './definition';

export const DOCUMENT_SELECTOR: vscode.DocumentSelector = [
  { language: 'typescript' }, { language: 'typescriptreact' }, { language: 'javascript' }, { language: 'javascriptreact' },
  { language: 'yaml' }, { language: 'json' }, { language: 'jsonc' }, { pattern: '**/.env*' },
];

export interface Editor { diagnostics: DiagnosticsController; hover: KeywayHover; codeActions: KeywayCodeActions }

interface ByName { name: string; kind: NameKind }

export function registerEditor(context: vscode.ExtensionContext, deps: { log: Log; session: ExplorerSession; reveals: RevealedValues; views: Views }): Editor {
  const { session, reveals, views, log } = deps;
  const diagnostics = new DiagnosticsController(log, session);
  const hover = new KeywayHover(session, reveals, (core) => diagnostics.projectContext(core));
  const fixChecks = new FixChecks(diagnostics, log);
  const codeActions = new KeywayCodeActions(diagnostics, fixChecks);
  context.subscriptions.push(
    diagnostics,
    vscode.languages.registerCodeActionsProvider(DOCUMENT_SELECTOR, codeActions, KeywayCodeActions.metadata),
    vscode.languages.registerHoverProvider(DOCUMENT_SELECTOR, hover),
    vscode.languages.registerCompletionItemProvider(DOCUMENT_SELECTOR, new KeywayCompletion(session), ...KeywayCompletion.triggers),
  );
  const definitions = new KeywayDefinitions(session);
  context.subscriptions.push(
    vscode.languages.registerDefinitionProvider(DOCUMENT_SELECTOR, definitions),
    vscode.workspace.registerTextDocumentContentProvider(ITEM_SCHEME, definitions),
  );
  registerScanCommand(context, diagnostics, log);
  const reg = (id: string, fn: (...args: never[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  const errorText = (e: unknown) => {
    const info = (e as { info?: Aws.AwsErrorInfo }).info;
    return info ? `${info.message} ${info.nextStep}` : (e as Error).message;
  };
  /** Reads a value by a name found in the code: never in Restricted Mode (the repository chose the name). */
  const valueOf = async (a: ByName): Promise<string> => {
    if (session.restricted) throw new RestrictedModeError();
    const cur = await session.ensure();
    if (a.kind === 'parameter') return (await cur.values.getParameterValue(a.name)).value;
    const v = await cur.values.getSecretValue(a.name);
    return v.value ?? (v.binary ? Buffer.from(v.binary).toString('base64') : '');
  };

  reg('keyway.fixAllInFile', async (uri?: vscode.Uri) => {
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!doc) return;
    const { edit, result } = await fixAllEdit(fixChecks, doc);
    if (edit && await vscode.workspace.applyEdit(edit)) {
      // Say what was done (the failures were shown already); the Keyway log lists each problem fixed.
      const n = result.fixed.length;
      vscode.window.setStatusBarMessage(`$(check) Keyway fixed ${n} problem${n === 1 ? '' : 's'} in ${vscode.workspace.asRelativePath(doc.uri)}`
        + (result.remaining.length ? `; ${result.remaining.length} remain` : ''), 8000);
    } else if (!edit && !result.failed.length) {
      void vscode.window.showInformationMessage('Keyway: nothing to fix automatically in this file.');
    }
  });
  reg('keyway.revealByName', async (a?: ByName) => {
    if (!a) return;
    try {
      const value = await valueOf(a);
      const cur = await session.ensure();
      reveals.set(hoverRevealKey(cur, a.kind, a.name), value, session.settings.revealSeconds);
      await vscode.commands.executeCommand('editor.action.showHover');
    } catch (e) {
      void vscode.window.showErrorMessage(`Keyway: could not read ${a.name}. ${errorText(e)}`);
    }
  });
  reg('keyway.copyValueByName', async (a?: ByName) => {
    if (!a) return;
    try {
      const seconds = session.settings.revealSeconds;
      await copySecretValue(await valueOf(a), seconds);
      void vscode.window.setStatusBarMessage(`$(check) Keyway: copied the value of ${a.name}; the clipboard clears in ${seconds} s`, 4000);
    } catch (e) {
      void vscode.window.showErrorMessage(`Keyway: could not read ${a.name}. ${errorText(e)}`);
    }
  });
  reg('keyway.revealInExplorer', async (a?: ByName) => {
    if (!a) return;
    await session.ensure();
    const store = a.kind === 'parameter' ? 'parameters' : 'secrets';
    const node = views.trees[store].nodeFor(a.name);
    if (!node) {
      void vscode.window.showWarningMessage(`Keyway: ${a.name} is not in the ${store === 'parameters' ? 'Parameter Store' : 'Secrets Manager'} index of this connection.`);
      return;
    }
    views.trees[store].setFilter('');
    await views.views[store].reveal(node, { select: true, focus: true, expand: false });
  });
  reg('keyway.openInConsoleByName', async (a?: ByName) => {
    if (!a || session.restricted) return;
    const cur = await session.ensure();
    const url = a.kind === 'parameter' ? arn.parameterConsoleUrl(cur.connection.region, a.name) : arn.secretConsoleUrl(cur.connection.region, a.name);
    await vscode.env.openExternal(vscode.Uri.parse(url, true));
  });
  return { diagnostics, hover, codeActions };
}
