// Managing values in the real VS Code against moto: the create flow to each store, edit/save/conflict,
// a failing save that keeps the tab dirty, and delete/restore of a secret.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SSMClient, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { SecretsManagerClient, CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { ScriptedPrompter } from '../../src/extension/manage/prompter';
import { valueUri } from '../../src/extension/manage/editor';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { keyway, waitFor } from './helpers';

const endpoint = () => process.env.KEYWAY_TEST_ENDPOINT!;
const creds = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const ssm = () => new SSMClient({ endpoint: endpoint(), region: 'us-east-1', credentials: creds });
const sm = () => new SecretsManagerClient({ endpoint: endpoint(), region: 'us-east-1', credentials: creds });

describe('managing values (real VS Code, moto)', function () {
  this.timeout(90_000);

  describe('New value…: the three questions lead to the right store', () => {
    const cases = [
      { name: '/keyway-editor/create/table-name', value: 'orders-table', sensitive: false, rotation: undefined, dest: 'String', cost: /\$0 per month/ },
      { name: '/keyway-editor/create/api-key', value: 'kw-editor-api-key-771', sensitive: true, rotation: false, dest: 'SecureString', cost: /\$0 per month/ },
      { name: '/keyway-editor/create/db-password', value: 'kw-editor-db-pass-881', sensitive: true, rotation: true, dest: 'SecretsManager', cost: /\$0\.40 per secret per month/ },
    ] as const;
    for (const c of cases) {
      it(`sensitive=${c.sensitive}, rotation=${c.rotation ?? '-'} → ${c.dest}`, async () => {
        const { manage } = await keyway();
        const p = new ScriptedPrompter({ name: c.name, value: c.value, sensitive: c.sensitive, rotation: c.rotation, rotationLambda: '', confirm: 'Create' });
        const created = await manage.create(p, {});
        assert.ok(created, JSON.stringify(p.messages));
        assert.equal(created.destination, c.dest);
        const steps = p.asked.map((a) => a.step);
        assert.deepEqual(steps, c.sensitive ? (c.rotation ? ['name', 'value', 'sensitive', 'rotation', 'rotationLambda', 'confirm'] : ['name', 'value', 'sensitive', 'rotation', 'confirm']) : ['name', 'value', 'sensitive', 'confirm']);
        assert.match(p.asked.find((a) => a.step === 'confirm')!.text!, c.cost, 'the cost is shown before confirming');
        if (c.dest === 'SecretsManager') {
          const d = await sm().send(new DescribeSecretCommand({ SecretId: c.name }));
          assert.equal(d.Name, c.name);
        } else {
          const got = await ssm().send(new GetParameterCommand({ Name: c.name, WithDecryption: true }));
          assert.equal(got.Parameter?.Type, c.dest);
          assert.equal(got.Parameter?.Value, c.value);
        }
      });
    }

    it('refuses an invalid name before any API call and says why', async () => {
      const { manage } = await keyway();
      const p = new ScriptedPrompter({ name: '/aws/reserved name', value: 'x', sensitive: false, confirm: 'Create' });
      assert.equal(await manage.create(p, {}), undefined);
      assert.match(p.messages.map((m) => m.text).join(' '), /white space|"aws" or "ssm"/);
      assert.deepEqual(p.asked.map((a) => a.step), ['name']);
    });

    it('moves a parameter over 4 KB to the advanced tier and tells why', async () => {
      const { manage } = await keyway();
      const p = new ScriptedPrompter({ name: '/keyway-editor/create/big-config', value: 'x'.repeat(5000), sensitive: false, confirm: 'Create' });
      const created = await manage.create(p, {});
      assert.equal(created?.tier, 'Advanced');
      assert.match(p.messages.map((m) => m.text).join(' '), /advanced tier/);
      assert.match(p.asked.find((a) => a.step === 'confirm')!.text!, /\$0\.05 per month/);
    });
  });

  describe('editing a value in a tab', () => {
    const name = '/my-frontend-app/staging/log-level';

    it('saves an edit as a new version', async () => {
      const { manage } = await keyway();
      const editor = await manage.files.openEditor('parameter', name);
      assert.equal(editor.document.getText(), 'info');
      await editor.edit((e) => e.replace(new vscode.Range(0, 0, 0, 4), 'debug'));
      assert.equal(await editor.document.save(), true);
      const got = await ssm().send(new GetParameterCommand({ Name: name }));
      assert.equal(got.Parameter?.Value, 'debug');
      assert.equal(got.Parameter?.Version, 2);
    });

    it('detects a newer version written by someone else: keep editing, then overwrite', async () => {
      const { manage } = await keyway();
      const editor = await manage.files.openEditor('parameter', name);
      await ssm().send(new PutParameterCommand({ Name: name, Value: 'warn', Type: 'String', Overwrite: true }));
      await editor.edit((e) => e.replace(new vscode.Range(0, 0, 0, editor.document.lineAt(0).text.length), 'error'));
      manage.prompter = new ScriptedPrompter({ conflict: undefined });
      manage.files.prompter = manage.prompter;
      assert.equal(await editor.document.save(), false, 'the save is refused');
      assert.equal(editor.document.isDirty, true);
      assert.equal(editor.document.getText(), 'error', 'the user text is intact');
      assert.equal((await ssm().send(new GetParameterCommand({ Name: name }))).Parameter?.Value, 'warn', 'theirs is untouched');
      manage.files.prompter = new ScriptedPrompter({ conflict: 'Overwrite' });
      assert.equal(await editor.document.save(), true);
      const got = await ssm().send(new GetParameterCommand({ Name: name }));
      assert.equal(got.Parameter?.Value, 'error');
      assert.equal(got.Parameter?.Version, 4, 'v3 (theirs) stays in the history');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });
  });

  describe('a write that fails (fault proxy: PutParameter and PutSecretValue answer 500)', () => {
    let proxy: FaultProxy;
    before(async () => {
      proxy = await startFaultProxy(endpoint());
      await vscode.workspace.getConfiguration('keyway').update('endpointUrl', proxy.endpoint, vscode.ConfigurationTarget.Global);
      const { explorer } = await keyway();
      await waitFor('the proxied connection', () => (explorer.session.current?.connection.endpoint === proxy.endpoint ? true : undefined));
    });
    after(async () => {
      await vscode.workspace.getConfiguration('keyway').update('endpointUrl', endpoint(), vscode.ConfigurationTarget.Global);
      await proxy.close();
    });

    for (const [store, name, original] of [
      ['parameter', '/my-frontend-app/staging/api-endpoint', 'https://api.example.com/staging/v1'],
      ['secret', '/my-frontend-app/staging/oauth-client-secret', 'kw-seed-oauth-staging-Zp41mQa8Tn'],
    ] as const) {
      it(`keeps the ${store} tab dirty with the text intact, the stored value unchanged, and says why`, async () => {
        const { manage } = await keyway();
        const editor = await manage.files.openEditor(store, name);
        proxy.setPlan({ failAll: 'server-error', targets: /PutParameter|PutSecretValue/ });
        await editor.edit((e) => e.insert(new vscode.Position(0, editor.document.lineAt(0).text.length), '-edited'));
        assert.equal(await editor.document.save(), false);
        assert.equal(editor.document.isDirty, true);
        assert.equal(editor.document.getText(), `${original}-edited`);
        // The error VS Code shows for the failed save says why, and that the text is kept.
        await assert.rejects(Promise.resolve(manage.files.writeFile(editor.document.uri, Buffer.from('probe'))), /Not saved: .*server error.*Your text is still here/);
        proxy.heal();
        const stored = store === 'parameter'
          ? (await ssm().send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter?.Value
          : (await sm().send(new GetSecretValueCommand({ SecretId: name }))).SecretString;
        assert.equal(stored, original);
        assert.ok(proxy.stats.serverErrors > 0);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      });
    }
  });

  describe('deleting and restoring a secret', () => {
    const name = '/keyway-editor/delete/temp-secret';
    before(async () => {
      await sm().send(new CreateSecretCommand({ Name: name, SecretString: 'kw-temp-secret-value-42' }));
      const { explorer } = await keyway();
      await explorer.views.trees.secrets.reload();
      await waitFor('the new secret in the index', () => explorer.views.trees.secrets.nodeFor(name));
    });

    it('schedules deletion with the chosen recovery window, marks it, and restores it', async () => {
      const { explorer, manage } = await keyway();
      manage.prompter = new ScriptedPrompter({ recoveryWindow: 7, deleteSecret: 'Schedule Deletion' });
      await vscode.commands.executeCommand('keyway.deleteValue', explorer.views.trees.secrets.nodeFor(name));
      const d = await sm().send(new DescribeSecretCommand({ SecretId: name }));
      assert.ok(d.DeletedDate, 'scheduled for deletion');
      const marked = await waitFor('the deletion mark', () => {
        const n = explorer.views.trees.secrets.nodeFor(name);
        const item = n && explorer.views.trees.secrets.getTreeItem(n);
        return item && /scheduled for deletion/.test(String(item.description)) ? n : undefined;
      });
      assert.match(String(explorer.views.trees.secrets.getTreeItem(marked).contextValue), /deleted/);
      await vscode.commands.executeCommand('keyway.restoreSecret', marked);
      const after = await sm().send(new DescribeSecretCommand({ SecretId: name }));
      assert.equal(after.DeletedDate, undefined);
    });
  });

  it('opens the value editor on the keyway-value scheme', () => {
    assert.equal(valueUri('parameter', '/a/b').toString(true), 'keyway-value:/parameter/a/b?name=%2Fa%2Fb');
    assert.equal(valueUri('secret', 'plain').path, '/secret/plain');
  });
});
