import * as vscode from 'vscode';
import type { RevealedValues } from '../reveal';
import type { ExplorerSession, StoreName } from '../session';
import type { ExplorerNode } from './nodes';
import { StoreTree } from './storeTree';

export interface Views {
  trees: Record<StoreName, StoreTree>;
  views: Record<StoreName, vscode.TreeView<ExplorerNode>>;
}

export const VIEW_IDS: Record<StoreName, string> = { parameters: 'keyway.parameters', secrets: 'keyway.secrets' };

export function registerViews(context: vscode.ExtensionContext, session: ExplorerSession, reveals: RevealedValues): Views {
  const trees = {} as Views['trees'];
  const views = {} as Views['views'];
  for (const store of ['parameters', 'secrets'] as const) {
    const tree = new StoreTree(store, VIEW_IDS[store], session, reveals);
    const view = vscode.window.createTreeView(VIEW_IDS[store], { treeDataProvider: tree, showCollapseAll: true, canSelectMany: false });
    tree.attach(view);
    trees[store] = tree;
    views[store] = view;
    context.subscriptions.push(tree, view);
  }
  return { trees, views };
}
