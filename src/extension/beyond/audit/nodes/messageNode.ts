// Hint lines of the Audit view (cancelled, nothing found).
import * as vscode from 'vscode';
import { AuditNode } from './auditNode';

export class AuditMessageNode extends AuditNode {
  constructor(readonly id: string, readonly text: string, readonly icon = 'info') { super(); }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.text, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = 'keyway.auditMessage';
    return item;
  }
}
