// Base class of the Audit view's nodes (one kind per class and file).
import type * as vscode from 'vscode';

export abstract class AuditNode {
  abstract readonly id: string;
  abstract toTreeItem(): vscode.TreeItem;
  children(): AuditNode[] { return []; }
}
