// One difference of a row (type, tier, KMS key, JSON keys…).
import * as vscode from 'vscode';
import { CompareNode } from './compareNode';

export class CompareDetailNode extends CompareNode {
  constructor(readonly id: string, readonly text: string) { super(); }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.text, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('dash');
    item.contextValue = 'keyway.compareDetail';
    return item;
  }
}

/** A store that could not be compared: why, and Retry (AWS Toolkit style). */
