// Base class of the Compare view's nodes: one kind of node per class and file (GitLens style).
import type * as vscode from 'vscode';
import type * as Core from '../../../../core/index';

export type Row = Core.store.CompareRow;
export type Status = Row['status'];
export type Describe = (r: Row, a: string, b: string) => string;

export abstract class CompareNode {
  abstract readonly id: string;
  abstract toTreeItem(): vscode.TreeItem;
  children(): CompareNode[] { return []; }
}


export const STATUS_ICON: Record<Status, [string, string]> = {
  onlyA: ['diff-removed', 'gitDecoration.deletedResourceForeground'],
  onlyB: ['diff-added', 'gitDecoration.addedResourceForeground'],
  different: ['diff-modified', 'gitDecoration.modifiedResourceForeground'],
  same: ['check', 'testing.iconPassed'],
};

