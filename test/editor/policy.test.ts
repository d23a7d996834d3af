// "Generate least-privilege policy…" and the `*` quick-fix, in the real VS Code on the fixture project.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ScriptedPrompter } from '../../src/extension/manage/prompter';
import { fixturesDir } from '../support/paths';
import { keyway, waitFor } from './helpers';

const golden = (name: string) => fs.readFileSync(path.join(fixturesDir, 'editor-golden', name), 'utf8');
const slsUri = () => vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'serverless.yml');

describe('least privilege (real VS Code)', function () {
  this.timeout(90_000);

  before(async () => {
    const { explorer } = await keyway();
    const cur = await explorer.session.ensure();
    // Region and account come from the connection (moto's account is 123456789012).
    await waitFor('the caller identity', () => (explorer.session.current?.identity?.account ? true : undefined));
    assert.equal(cur.connection.region, 'us-east-1');
  });

  it('opens the exact IAM policy JSON the function needs', async () => {
    const { manage } = await keyway();
    manage.prompter = new ScriptedPrompter({});
    const result = await vscode.commands.executeCommand<{ text: string; format: string }>('keyway.generatePolicy', { functionName: 'orders', output: 'json' });
    assert.equal(result.format, 'json');
    assert.equal(result.text, golden('orders.policy.json'));
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.languageId, 'json');
    assert.equal(editor.document.getText(), golden('orders.policy.json'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('asks for the function and the output, then inserts the statements where the function is defined', async () => {
    const { manage } = await keyway();
    const p = new ScriptedPrompter({ output: 'insert', insertPolicy: 'Insert' });
    const pickFunction = p.pick.bind(p);
    p.pick = (async (step: string, o: Parameters<typeof pickFunction>[1]) => {
      if (step === 'function') return o.choices.find((c) => c.label === 'orders')?.value;
      return pickFunction(step, o);
    }) as typeof p.pick;
    manage.prompter = p;
    const result = await vscode.commands.executeCommand<{ inserted?: { line: number } }>('keyway.generatePolicy');
    assert.deepEqual(p.asked.map((a) => a.step), ['output', 'insertPolicy']);
    assert.equal(result.inserted?.line, 16);
    const doc = await vscode.workspace.openTextDocument(slsUri());
    const lines = doc.getText().split('\n');
    assert.deepEqual(lines.slice(15, 23), [
      '  orders:',
      '    iamRoleStatements:',
      '      - Sid: SsmGetParameter',
      '        Effect: Allow',
      '        Action:',
      '          - ssm:GetParameter',
      '        Resource:',
      "          - 'arn:aws:ssm:us-east-1:123456789012:parameter/my-frontend-app/production/api-endpoint'",
    ]);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.ok(!doc.getText().includes('iamRoleStatements'));
  });

  it('the quick-fix on a Resource "*" statement produces the golden file', async () => {
    const doc = await vscode.workspace.openTextDocument(slsUri());
    await vscode.window.showTextDocument(doc);
    const diag = await waitFor('the iam-wildcard-resource diagnostic', () => vscode.languages.getDiagnostics(doc.uri).find((d) => typeof d.code === 'object' && d.code.value === 'iam-wildcard-resource'));
    const actions = await waitFor('code actions', async () => {
      try { return await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range, vscode.CodeActionKind.QuickFix.value); } catch { return undefined; }
    });
    const fix = actions.find((a) => a.isPreferred && /^Replace '\*' with the 3 ARNs/.test(a.title));
    assert.ok(fix?.edit, actions.map((a) => a.title).join(' | '));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    try {
      assert.equal(doc.getText(), golden('serverless.wildcard-fix.yml'));
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });
});
