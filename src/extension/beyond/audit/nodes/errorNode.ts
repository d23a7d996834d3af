// What the audit could not check (a listing that failed, values that could not be read), with Retry.
import * as vscode from 'vscode';
import { AuditNode } from './auditNode';

export class AuditErrorNode extends AuditNode {
  constructor(readonly where: string, readonly message: string, readonly index: number) { super(); }
  get id(): string { return `audit:error:${this.index}`; }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`${this.where}: ${this.message}`, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = 'Retry';
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.tooltip = `${this.where}: ${this.message}`;
    item.command = { command: 'keyway.auditAccount', title: 'Retry' };
    item.contextValue = 'keyway.auditError';
    return item;
  }
}
