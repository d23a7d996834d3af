import * as vscode from 'vscode';

/** A tree provider that is empty until the explorer fills it; an empty tree shows the view's welcome content. */
class PendingTree implements vscode.TreeDataProvider<vscode.TreeItem> {
  private readonly changed = new vscode.EventEmitter<vscode.TreeItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  getTreeItem(item: vscode.TreeItem): vscode.TreeItem { return item; }
  getChildren(): vscode.TreeItem[] { return []; }
  refresh(): void { this.changed.fire(undefined); }
  dispose(): void { this.changed.dispose(); }
}

export interface Views { refresh(): void }

export function registerViews(context: vscode.ExtensionContext): Views {
  const parameters = new PendingTree();
  const secrets = new PendingTree();
  context.subscriptions.push(
    parameters, secrets,
    vscode.window.createTreeView('keyway.parameters', { treeDataProvider: parameters, showCollapseAll: true }),
    vscode.window.createTreeView('keyway.secrets', { treeDataProvider: secrets, showCollapseAll: true }),
  );
  return { refresh: () => { parameters.refresh(); secrets.refresh(); } };
}
