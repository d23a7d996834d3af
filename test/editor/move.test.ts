// "Move this secret…" in the real VS Code, against moto: the value is created and read back first, then
// the literal is replaced; when the write fails (fault proxy), the document stays byte-for-byte the same.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
import { ScriptedPrompter } from '../../src/extension/manage/prompter';
import { startFaultProxy } from '../support/faultProxy';
import { typeCheck } from '../support/typecheck';
import { keyway, waitFor } from './helpers';

const LITERAL = 'sk_test_51KwFixtureOnly7c2Qm4Rt8Vb3Nd6';
const endpoint = () => process.env.KEYWAY_TEST_ENDPOINT!;
const ssm = () => new SSMClient({ endpoint: endpoint(), region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

async function moveAction(doc: vscode.TextDocument): Promise<vscode.Command> {
  const diag = await waitFor('the hardcoded-secret diagnostic', () => vscode.languages.getDiagnostics(doc.uri).find((d) => codeOf(d) === 'hardcoded-secret'));
  const actions = await waitFor('code actions', async () => {
    try {
      return await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    } catch { return undefined; }
  });
  const move = actions.find((a) => a.title === 'Move this secret to Parameter Store / Secrets Manager…');
  assert.ok(move?.command, actions.map((a) => a.title).join(' | '));
  return move.command;
}

async function paramExists(name: string): Promise<string | undefined> {
  try {
    return (await ssm().send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter?.Value;
  } catch {
    return undefined;
  }
}

describe('move a secret (real VS Code, moto)', function () {
  this.timeout(90_000);

  it('leaves the document byte-for-byte unchanged when the write fails', async () => {
    const { manage, explorer } = await keyway();
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'src/payments.ts'));
    await vscode.window.showTextDocument(doc);
    const before = doc.getText();
    const command = await moveAction(doc);
    const proxy = await startFaultProxy(endpoint());
    try {
      await vscode.workspace.getConfiguration('keyway').update('endpointUrl', proxy.endpoint, vscode.ConfigurationTarget.Global);
      await waitFor('the proxied connection', () => (explorer.session.current?.connection.endpoint === proxy.endpoint ? true : undefined));
      proxy.setPlan({ failAll: 'server-error', targets: /PutParameter/ });
      const p = new ScriptedPrompter({ name: '/keyway-editor/move/failing-key', sensitive: true, rotation: false, confirm: 'Create', createFailed: undefined });
      manage.prompter = p;
      const created = await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
      assert.equal(created, undefined);
      assert.ok(p.asked.some((a) => a.step === 'createFailed' && /server error/.test(a.text ?? '')), 'the error says why');
      assert.equal(doc.getText(), before);
      assert.equal(doc.isDirty, false);
      assert.ok(proxy.stats.serverErrors > 0);
    } finally {
      await vscode.workspace.getConfiguration('keyway').update('endpointUrl', endpoint(), vscode.ConfigurationTarget.Global);
      await proxy.close();
    }
    assert.equal(await paramExists('/keyway-editor/move/failing-key'), undefined);
  });

  it('creates a SecureString holding the literal, reads it back, then replaces the literal with a cached read', async () => {
    const { manage, explorer } = await keyway();
    await waitFor('the direct connection', () => (explorer.session.current?.connection.endpoint === endpoint() ? true : undefined));
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'src/payments.ts'));
    await vscode.window.showTextDocument(doc);
    const command = await moveAction(doc);
    const p = new ScriptedPrompter({ name: '/my-frontend-app/production/payments-api-key', sensitive: true, rotation: false, confirm: 'Create' });
    manage.prompter = p;
    const created = await vscode.commands.executeCommand<{ destination: string; name: string }>(command.command, ...(command.arguments ?? []));
    assert.equal(created?.destination, 'SecureString', 'the default answers lead to a SecureString');
    assert.equal(p.asked.find((a) => a.step === 'name') !== undefined, true);
    const got = await ssm().send(new GetParameterCommand({ Name: '/my-frontend-app/production/payments-api-key', WithDecryption: true }));
    assert.equal(got.Parameter?.Type, 'SecureString');
    assert.equal(got.Parameter?.Value, LITERAL);
    const text = doc.getText();
    assert.ok(!text.includes(LITERAL), 'the literal is gone');
    assert.match(text, /\(await getParameterValue\('\/my-frontend-app\/production\/payments-api-key'\)\)\.length > 0/);
    assert.deepEqual(typeCheck('payments.moved.ts', text), []);
    await doc.save();
  });
});
