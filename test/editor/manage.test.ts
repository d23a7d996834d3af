// Managing values in the real VS Code against moto: the create flow to each store and delete/restore of a
// secret (editing a value: value-editor.test.ts).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
import { SecretsManagerClient, CreateSecretCommand, DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { ScriptedPrompter } from '../../src/extension/manage/prompter';
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
});
