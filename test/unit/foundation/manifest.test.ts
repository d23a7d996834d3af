import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../support/paths';

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

describe('extension manifest', () => {
  it('is named keyway, targets VS Code ^1.100.0 and ships the CLI', () => {
    assert.equal(pkg.name, 'keyway');
    assert.equal(pkg.engines.vscode, '^1.100.0');
    assert.equal(pkg.bin.keyway, 'dist/cli.js');
    assert.equal(pkg.main, './dist/extension.js');
    assert.ok(fs.existsSync(path.join(repoRoot, pkg.icon)), 'icon file exists');
  });

  it('never activates on *', () => {
    assert.ok(Array.isArray(pkg.activationEvents) && pkg.activationEvents.length > 0);
    assert.ok(!pkg.activationEvents.includes('*'));
    for (const e of pkg.activationEvents) assert.match(e, /^(onView|onLanguage|onCommand|workspaceContains|onFileSystem):/);
  });

  it('contributes the Keyway container with both views and their welcome content', () => {
    const container = pkg.contributes.viewsContainers.activitybar.find((c: { id: string }) => c.id === 'keyway');
    assert.ok(container);
    assert.ok(fs.existsSync(path.join(repoRoot, container.icon)));
    const views = pkg.contributes.views.keyway.map((v: { name: string }) => v.name);
    assert.deepEqual(views, ['Parameter Store', 'Secrets Manager']);
    const welcomed = pkg.contributes.viewsWelcome.map((w: { view: string }) => w.view);
    assert.ok(welcomed.includes('keyway.parameters') && welcomed.includes('keyway.secrets'));
  });

  it('declares profile, region and a machine-scoped endpointUrl', () => {
    const props = pkg.contributes.configuration.properties;
    assert.ok(props['keyway.profile']);
    assert.ok(props['keyway.region']);
    assert.equal(props['keyway.endpointUrl'].scope, 'machine');
  });

  it('groups every command under the Keyway category and registers each activation command', () => {
    for (const c of pkg.contributes.commands) assert.equal(c.category, 'Keyway', c.command);
    const ids = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
    for (const e of pkg.activationEvents.filter((x: string) => x.startsWith('onCommand:'))) {
      assert.ok(ids.has(e.slice('onCommand:'.length)), e);
    }
  });

  it('keeps the .vscodeignore an allowlist', () => {
    const lines = fs.readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    assert.equal(lines[0], '**');
    assert.deepEqual(lines.slice(1).sort(), ['!CHANGELOG.md', '!LICENSE', '!README.md', '!dist/*.js', '!media/**', '!package.json'].sort());
  });
});
