// Find References from a tree node in the real VS Code: the code and IaC of the workspace that read the name.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FoundReference } from '../../../src/extension/beyond/references/findReferencesCommand';
import type { ExplorerNode, FolderNode, ParameterNode } from '../../../src/extension/views/nodes';
import type { StoreTree } from '../../../src/extension/views/storeTree';
import { waitFor } from '../helpers';
import { freshKeyway } from './support';

// The extension runs from its bundle: nodes are told apart by shape, not by class.
const isParameter = (n: ExplorerNode): n is ParameterNode => 'meta' in n && (n as ParameterNode).meta.kind === 'parameter';
const isFolder = (n: ExplorerNode): n is FolderNode => 'folder' in n;

async function node(tree: StoreTree, name: string): Promise<ExplorerNode> {
  return waitFor(`the node of ${name}`, async () => {
    let nodes = await tree.getChildren();
    for (;;) {
      const hit = nodes.find((n) => isParameter(n) && n.name === name);
      if (hit) return hit;
      const folder = nodes.find((n): n is FolderNode => isFolder(n) && name.startsWith(`${n.folder.path}/`));
      if (!folder) return undefined;
      nodes = await tree.getChildren(folder);
    }
  });
}

describe('find references from the explorer (real VS Code)', function () {
  this.timeout(60_000);

  it('lists every read of a parameter in code and IaC, and opens them in the references peek', async () => {
    const { explorer } = await freshKeyway();
    const n = await node(explorer.views.trees.parameters, '/my-frontend-app/production/table-name');
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const found = await vscode.commands.executeCommand<FoundReference[]>('keyway.findReferences', n, { show: false });
    const lines = found!.map((f) => `${f.kind} ${path.relative(root, f.uri.fsPath)}:${f.range.start.line + 1}`);
    for (const expected of ['code src/handler.ts:5', 'code src/lookup.ts:11', 'code src/orders.ts:6', 'iac serverless.yml:6']) {
      assert.ok(lines.includes(expected), `${expected} in\n${lines.join('\n')}`);
    }
    // payments.ts is edited by the move suite before this one: its read moves down.
    assert.ok(lines.some((l) => l.startsWith('code src/payments.ts:')), lines.join('\n'));
    // A grant is a resource that names this parameter (the policy suite may have inserted exact ARNs); never `Resource: "*"`.
    for (const g of found!.filter((f) => f.kind === 'grant')) {
      const text = (await vscode.workspace.openTextDocument(g.uri)).getText(g.range);
      assert.match(text, /parameter\//, `a grant is an ARN, not "*": ${text}`);
    }
    const shown = await vscode.commands.executeCommand<FoundReference[]>('keyway.findReferences', n);
    assert.equal(shown?.length, found!.length);
    await waitFor('the peek on the first reference', () => (vscode.window.activeTextEditor?.document.uri.fsPath === found![0].uri.fsPath ? true : undefined));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
