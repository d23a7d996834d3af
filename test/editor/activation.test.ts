import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { recordMetric } from '../support/metrics';

const EXTENSION_ID = 'keyway.keyway';

describe('extension activation (real VS Code)', () => {
  it('is installed in the development host and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} not found`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers its commands under the Keyway category', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['keyway.refresh', 'keyway.showLog', 'keyway.selectProfile']) {
      assert.ok(commands.includes(id), `command ${id} is not registered`);
    }
  });

  it('reads the machine-scoped endpoint setting provided to the test host', () => {
    const endpoint = vscode.workspace.getConfiguration('keyway').get<string>('endpointUrl');
    assert.match(endpoint ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('does not load ts-morph or the AWS SDK at activation', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const api = (await ext.activate()) as { activationStats(): { durationMs: number; loadedLayers: string[] } };
    const stats = api.activationStats();
    assert.deepEqual(stats.loadedLayers, [], `layers loaded at activation: ${stats.loadedLayers.join(', ')}`);
    const heavy = Object.keys(require.cache).filter((k) => /[\\/]dist[\\/](core|aws)\.js$/.test(k));
    assert.deepEqual(heavy, []);
    recordMetric('activation ms (extension host)', Number(stats.durationMs.toFixed(2)));
  });
});
