// The explorer in the real VS Code, against moto seeded with the hybrid layout (scripts/test.mjs seeds it).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExplorerNode } from '../../src/extension/views/nodes';
import type { StoreTree } from '../../src/extension/views/storeTree';
import { startMoto, type Moto } from '../support/moto';
import { keyway, sleep, waitFor } from './helpers';

async function labelOf(tree: StoreTree, node: ExplorerNode): Promise<string> {
  const item = tree.getTreeItem(node);
  return typeof item.label === 'string' ? item.label : item.label?.label ?? '';
}

/** The children of the node at `path` (labels from the root), once they are loaded. */
async function childrenAt(tree: StoreTree, path: string[]): Promise<ExplorerNode[]> {
  return waitFor(`children of ${path.join('/') || 'root'}`, async () => {
    let nodes = await tree.getChildren();
    for (const segment of path) {
      let next: ExplorerNode | undefined;
      for (const n of nodes) if ((await labelOf(tree, n)) === segment) next = n;
      if (!next) return undefined;
      nodes = await tree.getChildren(next);
    }
    const labels = await Promise.all(nodes.map((n) => labelOf(tree, n)));
    return labels.some((l) => /^(Connecting|Loading)/.test(l)) || nodes.length === 0 ? undefined : nodes;
  });
}

async function find(tree: StoreTree, path: string[]): Promise<ExplorerNode> {
  const nodes = await childrenAt(tree, path.slice(0, -1));
  for (const n of nodes) if ((await labelOf(tree, n)) === path[path.length - 1]) return n;
  throw new Error(`no node ${path.join('/')}`);
}

const describeText = (tree: StoreTree, n: ExplorerNode) => String(tree.getTreeItem(n).description ?? '');

describe('explorer (real VS Code, moto)', function () {
  this.timeout(90_000);

  it('shows the Parameter Store hierarchy with folder counts, type icons and metadata', async () => {
    const { explorer } = await keyway();
    const tree = explorer.views.trees.parameters;
    const [app] = await childrenAt(tree, []);
    assert.equal(await labelOf(tree, app), 'my-frontend-app');
    assert.equal(describeText(tree, app), '10 parameters');
    const stages = await childrenAt(tree, ['my-frontend-app']);
    assert.deepEqual(await Promise.all(stages.map((s) => labelOf(tree, s))), ['production', 'staging']);
    assert.deepEqual(stages.map((s) => describeText(tree, s)), ['5 parameters', '5 parameters']);
    const leaves = await childrenAt(tree, ['my-frontend-app', 'production']);
    assert.deepEqual(await Promise.all(leaves.map((l) => labelOf(tree, l))), ['api-endpoint', 'feature-flags', 'log-level', 'table-name', 'third-party-api-key']);
    const key = leaves[4];
    const item = tree.getTreeItem(key);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'lock', 'SecureString shows a lock');
    assert.equal((tree.getTreeItem(leaves[0]).iconPath as vscode.ThemeIcon).id, 'symbol-string');
    assert.match(String(item.description), /^v1 · Standard · /);
    const tooltip = (item.tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /SecureString/);
    assert.doesNotMatch(tooltip, /sk_live/, 'the tooltip never shows the value');
  });

  it('shows secrets split on "/" with rotation, and a JSON secret expands into masked keys', async () => {
    const { explorer } = await keyway();
    const tree = explorer.views.trees.secrets;
    const secrets = await childrenAt(tree, ['my-frontend-app', 'production']);
    assert.deepEqual(await Promise.all(secrets.map((s) => labelOf(tree, s))), ['database-credentials', 'oauth-client-secret']);
    assert.match(describeText(tree, secrets[0]), /rotates every 30 days/);
    assert.match(describeText(tree, secrets[1]), /rotates every 90 days/);
    const tooltip = (tree.getTreeItem(secrets[0]).tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /team=platform/);
    assert.match(tooltip, /AWSCURRENT/);
    const keys = await tree.getChildren(secrets[0]);
    assert.deepEqual(await Promise.all(keys.map((k) => labelOf(tree, k))), ['username', 'password', 'engine', 'host', 'port']);
    for (const k of keys) assert.equal(describeText(tree, k), '••••••••');
  });

  it('Reveal Value shows the value, then masks it again after the configured time', async () => {
    const { explorer } = await keyway();
    const config = vscode.workspace.getConfiguration('keyway');
    await config.update('revealTimeoutSeconds', 2, vscode.ConfigurationTarget.Global);
    try {
      const tree = explorer.views.trees.parameters;
      const node = await find(tree, ['my-frontend-app', 'production', 'log-level']);
      assert.doesNotMatch(describeText(tree, node), /info/);
      await vscode.commands.executeCommand('keyway.revealValue', node);
      const fresh = await find(tree, ['my-frontend-app', 'production', 'log-level']);
      assert.equal(describeText(tree, fresh), '= info');
      await sleep(2500);
      const masked = await find(tree, ['my-frontend-app', 'production', 'log-level']);
      assert.doesNotMatch(describeText(tree, masked), /info/);
      assert.equal(explorer.reveals.size, 0);
    } finally {
      await config.update('revealTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Reveal Value on a key of a JSON secret shows only that key', async () => {
    const { explorer } = await keyway();
    const tree = explorer.views.trees.secrets;
    const secret = await find(tree, ['my-frontend-app', 'staging', 'database-credentials']);
    const user = (await tree.getChildren(secret)).find((k) => tree.getTreeItem(k).label === 'username')!;
    await vscode.commands.executeCommand('keyway.revealValue', user);
    assert.equal(describeText(tree, user), '= app_staging');
    await vscode.commands.executeCommand('keyway.hideValue', user);
    assert.equal(describeText(tree, user), '••••••••');
  });

  it('Copy Value fills the clipboard without showing the value', async () => {
    const { explorer } = await keyway();
    const tree = explorer.views.trees.parameters;
    const node = await find(tree, ['my-frontend-app', 'production', 'third-party-api-key']);
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('keyway.copyValue', node);
    assert.equal(await vscode.env.clipboard.readText(), 'sk_live_KeywaySeedproduction3f9a27c1d8e4b6');
    assert.doesNotMatch(describeText(tree, node), /sk_live/);
    await vscode.commands.executeCommand('keyway.copyName', node);
    assert.equal(await vscode.env.clipboard.readText(), '/my-frontend-app/production/third-party-api-key');
    await vscode.env.clipboard.writeText('');
  });

  describe('Copy Value clears the clipboard after the reveal timeout (1 s here)', () => {
    before(() => vscode.workspace.getConfiguration('keyway').update('revealTimeoutSeconds', 1, vscode.ConfigurationTarget.Global));
    after(() => vscode.workspace.getConfiguration('keyway').update('revealTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global));

    it('when the clipboard still holds the value', async () => {
      const { explorer } = await keyway();
      const node = await find(explorer.views.trees.parameters, ['my-frontend-app', 'production', 'third-party-api-key']);
      await vscode.commands.executeCommand('keyway.copyValue', node);
      assert.equal(await vscode.env.clipboard.readText(), 'sk_live_KeywaySeedproduction3f9a27c1d8e4b6');
      await new Promise((r) => setTimeout(r, 1_600));
      assert.equal(await vscode.env.clipboard.readText(), '');
    });

    it('but not when the user copied something else meanwhile', async () => {
      const { explorer } = await keyway();
      const node = await find(explorer.views.trees.parameters, ['my-frontend-app', 'production', 'third-party-api-key']);
      await vscode.commands.executeCommand('keyway.copyValue', node);
      await vscode.env.clipboard.writeText('something the user copied');
      await new Promise((r) => setTimeout(r, 1_600));
      assert.equal(await vscode.env.clipboard.readText(), 'something the user copied');
      await vscode.env.clipboard.writeText('');
    });
  });

  it('filters by name on the loaded index', async () => {
    const { explorer } = await keyway();
    const tree = explorer.views.trees.parameters;
    tree.setFilter('staging/log');
    try {
      const nodes = await tree.getChildren();
      assert.deepEqual(await Promise.all(nodes.map((n) => labelOf(tree, n))), ['/my-frontend-app/staging/log-level']);
    } finally {
      tree.setFilter('');
    }
  });

  describe('switching the endpoint', () => {
    let other: Moto | undefined;
    const original = () => process.env.KEYWAY_TEST_ENDPOINT!;

    before(async function () {
      this.timeout(60_000);
      other = await startMoto();
      const { SSMClient, PutParameterCommand } = await import('@aws-sdk/client-ssm');
      const ssm = new SSMClient({ endpoint: other.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
      await ssm.send(new PutParameterCommand({ Name: '/other-account/only-param', Value: 'other', Type: 'String' }));
      ssm.destroy();
    });

    after(async () => {
      await vscode.workspace.getConfiguration('keyway').update('endpointUrl', original(), vscode.ConfigurationTarget.Global);
      await other?.stop();
    });

    it('reloads everything, shows no item of the previous connection, and refuses stale nodes', async () => {
      const { explorer } = await keyway();
      const tree = explorer.views.trees.parameters;
      const stale = await find(tree, ['my-frontend-app', 'production', 'table-name']);
      await vscode.workspace.getConfiguration('keyway').update('endpointUrl', other!.endpoint, vscode.ConfigurationTarget.Global);
      const roots = await waitFor('the other account', async () => {
        const nodes = await tree.getChildren();
        const labels = await Promise.all(nodes.map((n) => labelOf(tree, n)));
        return labels.includes('other-account') ? labels : undefined;
      });
      assert.deepEqual(roots, ['other-account'], 'no folder of the previous connection remains');
      assert.equal(explorer.session.current?.connection.endpoint, other!.endpoint);
      // A node from the previous connection is refused, not fetched from the new account.
      await vscode.env.clipboard.writeText('unchanged');
      await vscode.commands.executeCommand('keyway.copyValue', stale);
      assert.equal(await vscode.env.clipboard.readText(), 'unchanged');
      const secrets = explorer.views.trees.secrets;
      await waitFor('an empty secrets view for the other account', async () => ((await secrets.getChildren()).length === 0 ? true : undefined));

      await vscode.workspace.getConfiguration('keyway').update('endpointUrl', original(), vscode.ConfigurationTarget.Global);
      await waitFor('the seeded account again', async () => {
        const labels = await Promise.all((await tree.getChildren()).map((n) => labelOf(tree, n)));
        return labels.join() === 'my-frontend-app' ? true : undefined;
      });
    });

    it('a dead endpoint gives an error node with Retry instead of a blank tree', async () => {
      const { explorer } = await keyway();
      const tree = explorer.views.trees.parameters;
      await vscode.workspace.getConfiguration('keyway').update('endpointUrl', 'http://127.0.0.1:9', vscode.ConfigurationTarget.Global);
      const nodes = await waitFor('an error node', async () => {
        const n = await tree.getChildren();
        return n.some((x) => tree.getTreeItem(x).contextValue === 'keyway.error') ? n : undefined;
      }, 60_000);
      const err = tree.getTreeItem(nodes.find((x) => tree.getTreeItem(x).contextValue === 'keyway.error')!);
      assert.equal(err.command?.command, 'keyway.retry');
      assert.match(String(err.label), /127\.0\.0\.1:9|connect|reach/i);
    });
  });
});
