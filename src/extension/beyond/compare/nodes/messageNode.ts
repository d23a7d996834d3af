// Loading, empty and hint lines of the Compare view.
import * as vscode from 'vscode';
import { CompareNode } from './compareNode';

export class CompareMessageNode extends CompareNode {
  constructor(readonly id: string, readonly text: string, readonly icon = 'info') { super(); }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.text, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = 'keyway.compareMessage';
    return item;
  }
}

