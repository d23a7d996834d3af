// The value editor in the real VS Code (code-server) extension host against moto: every write is a
// deliberate, confirmed act (never an auto save), and an unpublished draft never reaches the disk.
// The page's typing is stood in for by `values.edit`, which fires the same change event the page does;
// test/ui/value-editor.test.ts types into the real page and reloads the window.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SSMClient, GetParameterCommand, GetParameterHistoryCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { SecretsManagerClient, CreateSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand } from '@aws-sdk/client-secrets-manager';
import { ScriptedPrompter, vscodePrompter } from '../../src/extension/manage/prompter';
import { valueUri, VALUE_EDITOR, type ValueDocument } from '../../src/extension/manage/editor';
import { scanForSecrets } from '../support/hygiene';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { keyway, sleep, waitFor } from './helpers';

const endpoint = () => process.env.KEYWAY_TEST_ENDPOINT!;
const creds = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const ssm = () => new SSMClient({ endpoint: endpoint(), region: 'us-east-1', credentials: creds });
const sm = () => new SecretsManagerClient({ endpoint: endpoint(), region: 'us-east-1', credentials: creds });

const STAGING = '/keyway-editor/staging/log-level';
const PROD = '/keyway-editor/production/third-party-api-key';
const PROD_VALUE = 'kw-editor-prod-key-Q7m2Xr9Lp4';
const SECRET = '/keyway-editor/staging/oauth-client-secret';

const parameterVersion = async (name: string) => (await ssm().send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter!;
const historyLength = async (name: string) => (await ssm().send(new GetParameterHistoryCommand({ Name: name }))).Parameters!.length;
const tabOf = (doc: ValueDocument) => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
  .find((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.toString() === doc.uri.toString());
const isDirty = (doc: ValueDocument) => tabOf(doc)?.isDirty;

async function setConfig(section: string, key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Global);
}

/** Reverts and closes every editor (closing a dirty one would open a save prompt). */
async function closeAll(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.isDirty);
    if (!tab) break;
    if (tab.input instanceof vscode.TabInputCustom) await vscode.commands.executeCommand('vscode.openWith', tab.input.uri, tab.input.viewType);
    else if (tab.input instanceof vscode.TabInputText) await vscode.window.showTextDocument(tab.input.uri);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

async function script(answers: Record<string, string | undefined>): Promise<ScriptedPrompter> {
  const { manage } = await keyway();
  const p = new ScriptedPrompter(answers);
  manage.prompter = p;
  return p;
}

const publish = (doc: ValueDocument) => vscode.commands.executeCommand<boolean>('keyway.publishValue', doc.uri);

describe('value editor: deliberate writes, drafts in memory only (real VS Code, moto)', function () {
  this.timeout(90_000);

  before(async () => {
    await ssm().send(new PutParameterCommand({ Name: STAGING, Value: 'info', Type: 'String', Overwrite: true }));
    await ssm().send(new PutParameterCommand({ Name: PROD, Value: PROD_VALUE, Type: 'SecureString', Overwrite: true }));
    await sm().send(new CreateSecretCommand({ Name: SECRET, SecretString: 'kw-editor-oauth-Zp41mQa8Tn' })).catch(() => undefined);
  });
  afterEach(closeAll);
  after(async () => {
    const { manage } = await keyway();
    manage.prompter = vscodePrompter;
    await setConfig('files', 'autoSave', undefined);
    await setConfig('files', 'autoSaveDelay', undefined);
    await setConfig('keyway', 'confirmPublish', undefined);
  });

  it('opens a custom editor on the keyway-value scheme, never a text document', async () => {
    const { manage } = await keyway();
    const doc = await manage.values.open('parameter', STAGING);
    assert.equal(doc.base?.text, 'info');
    assert.ok(tabOf(doc)?.input instanceof vscode.TabInputCustom);
    assert.equal((tabOf(doc)!.input as vscode.TabInputCustom).viewType, VALUE_EDITOR);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'keyway-value'), 'no text document holds the value');
    assert.equal(valueUri('parameter', '/a/b').toString(true), 'keyway-value:/Parameter Store/a/b?store=parameter&name=%2Fa%2Fb');
    assert.equal(valueUri('secret', 'plain').path, '/Secrets Manager/plain');
  });

  it('publishes exactly one new version after a confirmation naming account, region, name, type and version', async () => {
    const { manage } = await keyway();
    const before = await parameterVersion(STAGING);
    const doc = await manage.values.open('parameter', STAGING);
    manage.values.edit(doc, 'debug');
    await waitFor('the tab to be dirty', () => (isDirty(doc) ? true : undefined));
    const next = `Publish v${before.Version! + 1}`;
    const p = await script({ publish: next });
    assert.equal(await publish(doc), true, JSON.stringify(p.messages));
    const after = await parameterVersion(STAGING);
    assert.equal(after.Value, 'debug');
    assert.equal(after.Version, before.Version! + 1, 'exactly one new version');
    const asked = p.asked.find((a) => a.step === 'publish');
    assert.ok(asked, 'a confirmation was shown');
    assert.deepEqual(asked.choices, [next, 'Show Diff']);
    assert.match(asked.text!, /Account: \d{12}/);
    assert.match(asked.text!, /Region: us-east-1/);
    assert.match(asked.text!, new RegExp(`Name: ${STAGING}`));
    assert.match(asked.text!, /Type: Parameter Store String/);
    assert.match(asked.text!, new RegExp(`Creates: version ${before.Version! + 1} \\(the current version is ${before.Version}\\)`));
    assert.doesNotMatch(asked.text!, /debug|info/, 'the confirmation shows no value');
    assert.equal(isDirty(doc), false);
  });

  it('a cancelled confirmation writes nothing and keeps the tab dirty with the text', async () => {
    const { manage } = await keyway();
    const before = await parameterVersion(STAGING);
    const doc = await manage.values.open('parameter', STAGING);
    manage.values.edit(doc, 'trace');
    await script({ publish: undefined });
    assert.equal(await publish(doc), false);
    assert.equal((await parameterVersion(STAGING)).Version, before.Version);
    assert.equal(isDirty(doc), true);
    assert.equal(doc.draft, 'trace');
  });

  it('"Show Diff" opens stored ↔ draft and writes nothing', async () => {
    const { manage } = await keyway();
    const before = await parameterVersion(STAGING);
    const doc = await manage.values.open('parameter', STAGING);
    manage.values.edit(doc, 'warn');
    await script({ publish: 'Show Diff' });
    assert.equal(await publish(doc), false);
    const diff = await waitFor('the diff tab', () => {
      const t = vscode.window.tabGroups.activeTabGroup.activeTab;
      return t?.input instanceof vscode.TabInputTextDiff ? t.input : undefined;
    });
    assert.equal(diff.original.scheme, 'keyway-compare');
    assert.equal((await vscode.workspace.openTextDocument(diff.original)).getText(), before.Value);
    assert.equal((await vscode.workspace.openTextDocument(diff.modified)).getText(), 'warn');
    assert.equal((await parameterVersion(STAGING)).Version, before.Version);
    assert.equal(isDirty(doc), true);
  });

  for (const mode of ['afterDelay', 'onFocusChange'] as const) {
    it(`files.autoSave = ${mode} never saves a value editor`, async () => {
      await setConfig('files', 'autoSave', mode);
      await setConfig('files', 'autoSaveDelay', 300);
      const { manage } = await keyway();
      const before = await historyLength(PROD);
      const doc = await manage.values.open('parameter', PROD);
      const saves = manage.values.stats.saves;
      await script({});
      manage.values.edit(doc, `${PROD_VALUE}-half-typed`);
      await sleep(1500); // five times the auto-save delay
      if (mode === 'onFocusChange') {
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: 'elsewhere' }));
        await sleep(800);
      }
      assert.equal(manage.values.stats.saves, saves, 'VS Code never asked to save');
      assert.equal(await historyLength(PROD), before, 'no version was written');
      assert.equal(isDirty(doc), true);
      await setConfig('files', 'autoSave', undefined);
    });
  }

  it('keeps no copy of a dirty draft on disk: backups are refused, the user-data folder holds no trace', async () => {
    const userData = process.env.KEYWAY_TEST_USER_DATA_DIR;
    assert.ok(userData && fs.existsSync(userData), 'the driver passes the user-data folder');
    const { manage } = await keyway();
    const doc = await manage.values.open('parameter', PROD);
    const marker = `kw-draft-${Date.now().toString(36)}-Vt8qLz3N`;
    const refused = manage.values.stats.backupsRefused;
    manage.values.edit(doc, `${PROD_VALUE}${marker}`);
    await waitFor('VS Code to try a backup', () => (manage.values.stats.backupsRefused > refused ? true : undefined), 10_000);
    await sleep(2500); // past both backup delays (1 s, and 2 s with a short auto-save delay)
    const folders = [userData, ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath)];
    for (const dir of folders) {
      const report = scanForSecrets(dir, [marker, PROD_VALUE]);
      assert.ok(report.filesScanned > 0, `scanned ${dir}`);
      assert.deepEqual(report.hits.map((h) => path.relative(dir, h.file)), [], `no draft or value under ${dir}`);
    }
    assert.equal(isDirty(doc), true, 'the draft is still there, in memory');
  });

  it('production names always ask, even with confirmations turned off; other names follow the setting', async () => {
    await setConfig('keyway', 'confirmPublish', false);
    const { manage } = await keyway();
    const staging = await manage.values.open('parameter', STAGING);
    manage.values.edit(staging, 'error');
    let p = await script({});
    assert.equal(await publish(staging), true, JSON.stringify(p.messages));
    assert.ok(!p.asked.some((a) => a.step === 'publish'), 'no confirmation for a staging name with the setting off');
    assert.equal((await parameterVersion(STAGING)).Value, 'error');

    const before = await historyLength(PROD);
    const prod = await manage.values.open('parameter', PROD);
    manage.values.edit(prod, 'kw-editor-prod-key-rotated-2');
    p = await script({ publish: undefined });
    assert.equal(await publish(prod), false);
    const asked = p.asked.find((a) => a.step === 'publish');
    assert.ok(asked, 'production always asks');
    assert.match(asked.text!, /looks like production/);
    assert.match(asked.text!, /Type: Parameter Store SecureString/);
    assert.equal(await historyLength(PROD), before);

    // A save that does not come from Publish (File > Save, closing the tab) asks too.
    manage.values.edit(staging, 'info');
    p = await script({ publish: undefined });
    await vscode.commands.executeCommand('vscode.openWith', staging.uri, VALUE_EDITOR);
    await vscode.commands.executeCommand('workbench.action.files.save');
    assert.ok(p.asked.some((a) => a.step === 'publish'), 'File > Save asks even with the setting off');
    assert.equal((await parameterVersion(STAGING)).Value, 'error');
    await setConfig('keyway', 'confirmPublish', undefined);
  });

  it('a secret: the confirmation names the new version id, which is the one written', async () => {
    const { manage } = await keyway();
    const doc = await manage.values.open('secret', SECRET);
    assert.ok(doc.base, doc.error);
    const oldVersion = doc.base.version;
    manage.values.edit(doc, 'kw-editor-oauth-rotated-Qa81');
    const p = await script({ publish: 'Publish New Version' });
    assert.equal(await publish(doc), true, JSON.stringify(p.messages));
    const text = p.asked.find((a) => a.step === 'publish')!.text!;
    const id = /Creates: version ([0-9a-f-]{36}) as AWSCURRENT/.exec(text)?.[1];
    assert.ok(id, text);
    assert.match(text, new RegExp(`current version ${oldVersion} becomes AWSPREVIOUS`));
    const got = await sm().send(new GetSecretValueCommand({ SecretId: SECRET }));
    assert.equal(got.VersionId, id);
    assert.equal(got.SecretString, 'kw-editor-oauth-rotated-Qa81');
    const versions = await sm().send(new ListSecretVersionIdsCommand({ SecretId: SECRET }));
    assert.equal(versions.Versions?.length, 2, 'exactly one new version');
  });

  it('detects a newer version written by someone else: keep editing, then overwrite', async () => {
    const { manage } = await keyway();
    const doc = await manage.values.open('parameter', STAGING);
    const read = Number(doc.base!.version);
    await ssm().send(new PutParameterCommand({ Name: STAGING, Value: 'warn', Type: 'String', Overwrite: true }));
    manage.values.edit(doc, 'fatal');
    let p = await script({ publish: `Publish v${read + 1}`, conflict: undefined });
    assert.equal(await publish(doc), false, 'the write is refused');
    assert.equal(isDirty(doc), true);
    assert.equal(doc.draft, 'fatal', 'the user text is intact');
    assert.equal((await parameterVersion(STAGING)).Value, 'warn', 'theirs is untouched');
    p = await script({ publish: `Publish v${read + 1}`, conflict: 'Overwrite' });
    assert.equal(await publish(doc), true, JSON.stringify(p.messages));
    const got = await parameterVersion(STAGING);
    assert.equal(got.Value, 'fatal');
    assert.equal(got.Version, read + 2, 'theirs stays in the history');
  });

  it('a tab VS Code restores reads nothing until the user asks', async () => {
    const { manage } = await keyway();
    const uri = valueUri('parameter', STAGING);
    await vscode.commands.executeCommand('vscode.openWith', uri, VALUE_EDITOR);
    const doc = await waitFor('the document', () => manage.values.document(uri));
    assert.equal(doc.base, undefined, 'not read');
    assert.match(doc.notice ?? '', /restored/);
    await manage.values.open('parameter', STAGING);
    const loaded: ValueDocument = doc;
    assert.equal(loaded.base?.text, (await parameterVersion(STAGING)).Value);
  });

  describe('a write that fails (fault proxy: PutParameter and PutSecretValue answer 500)', () => {
    let proxy: FaultProxy;
    before(async () => {
      proxy = await startFaultProxy(endpoint());
      await setConfig('keyway', 'endpointUrl', proxy.endpoint);
      const { explorer } = await keyway();
      await waitFor('the proxied connection', () => (explorer.session.current?.connection.endpoint === proxy.endpoint ? true : undefined));
    });
    after(async () => {
      await setConfig('keyway', 'endpointUrl', endpoint());
      await proxy.close();
    });

    for (const [store, name] of [['parameter', STAGING], ['secret', SECRET]] as const) {
      it(`keeps the ${store} tab dirty with the text intact, the stored value unchanged, and says why`, async () => {
        const { manage } = await keyway();
        const doc = await manage.values.open(store, name);
        const original = doc.base!.text;
        proxy.setPlan({ failAll: 'server-error', targets: /PutParameter|PutSecretValue/ });
        manage.values.edit(doc, `${original}-edited`);
        const p = await script({ publish: store === 'parameter' ? `Publish v${Number(doc.base!.version) + 1}` : 'Publish New Version' });
        const saves = manage.values.stats.saves;
        assert.equal(await publish(doc), false);
        assert.equal(manage.values.stats.saves, saves + 1, `saved once; ${JSON.stringify(p.asked)} ${doc.lastError?.message}`);
        assert.equal(isDirty(doc), true);
        assert.equal(doc.draft, `${original}-edited`);
        assert.match(p.messages.map((m) => m.text).join(' '), /Not published: .*server error.*Your text is still here/i);
        proxy.heal();
        const stored = store === 'parameter'
          ? (await ssm().send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter?.Value
          : (await sm().send(new GetSecretValueCommand({ SecretId: name }))).SecretString;
        assert.equal(stored, original);
        assert.ok(proxy.stats.serverErrors > 0);
      });
    }
  });
});
