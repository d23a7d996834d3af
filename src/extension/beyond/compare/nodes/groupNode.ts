// Rows of one status (only in A, only in B, different, same).
import * as vscode from 'vscode';
import type { CompareOutcome, StoreKind } from '../compareModel';
import { CompareNode, STATUS_ICON, type Describe, type Row, type Status } from './compareNode';
import { CompareRowNode } from './rowNode';

export class CompareGroupNode extends CompareNode {
  constructor(readonly outcome: CompareOutcome, readonly kind: StoreKind, readonly status: Status, readonly label: string, readonly rows: Row[], private readonly describe: Describe) { super(); }
  get id(): string { return `compare:${this.kind}:${this.status}`; }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, this.status === 'same' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = String(this.rows.length);
    const [icon, color] = STATUS_ICON[this.status];
    item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
    item.contextValue = `keyway.compareGroup.${this.status}`;
    return item;
  }
  override children(): CompareNode[] { return this.rows.map((r) => new CompareRowNode(this.outcome, r, this.describe)); }
}

