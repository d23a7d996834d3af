import * as vscode from 'vscode';
import { storeLabel, type StoreKind } from '../compareModel';
import { CompareNode } from './compareNode';

export class CompareErrorNode extends CompareNode {
  constructor(readonly kind: StoreKind, readonly message: string) { super(); }
  get id(): string { return `compare:error:${this.kind}`; }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`${storeLabel(this.kind)}: ${this.message}`, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = 'Retry';
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.tooltip = this.message;
    item.command = { command: 'keyway.compare.rerun', title: 'Retry' };
    item.contextValue = 'keyway.compareError';
    return item;
  }
}

