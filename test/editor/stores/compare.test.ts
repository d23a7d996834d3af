// Compare with… in the real VS Code against moto: the seeded drift in the Compare view, Create on the other side
// (asking for the value; copying a secure one only when chosen), and the side-by-side diff, masked until revealed.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { ScriptedPrompter } from '../../../src/extension/manage/prompter';
import type { CompareNode } from '../../../src/extension/beyond/compare/nodes/compareNode';
import type { CompareRowNode } from '../../../src/extension/beyond/compare/nodes/rowNode';
import type { FolderNode } from '../../../src/extension/views/nodes';
import { findingsItems } from '../../support/seed';
import { seededSecretStrings } from '../../support/hygiene';
import { freshKeyway, sm, ssm, withFindings, withoutFindings } from './support';

const label = (n: CompareNode) => { const l = n.toTreeItem().label; return typeof l === 'string' ? l : l?.label ?? ''; };
const desc = (n: CompareNode) => String(n.toTreeItem().description ?? '');

// The extension runs from its bundle: its classes are not the ones this file imports, so nodes are told apart by shape.
const isRow = (n: unknown): n is CompareRowNode => typeof n === 'object' && n !== null && 'row' in n && 'outcome' in n;
const isFolder = (n: unknown): n is FolderNode => typeof n === 'object' && n !== null && 'folder' in n;

function row(roots: CompareNode[], store: RegExp, rel: string): CompareRowNode {
  for (const s of roots.filter((r) => store.test(label(r)))) for (const g of s.children()) for (const r of g.children()) if (isRow(r) && r.row.rel === rel) return r;
  throw new Error(`no row ${rel} in ${JSON.stringify(roots.map((r) => [label(r), desc(r), r.children().map((g) => [label(g), g.children().map(label)])]))}`);
}

describe('compare two paths (real VS Code, moto)', function () {
  this.timeout(120_000);
  before(withFindings);
  after(withoutFindings);

  it('Compare with… on a folder shows the drift in the Compare view, values by hash only', async () => {
    const api = await freshKeyway();
    const { beyond, explorer } = api;
    const tree = explorer.views.trees.parameters;
    const [app] = (await tree.getChildren()).filter((n) => isFolder(n) && n.folder.path === '/my-frontend-app');
    const staging = (await tree.getChildren(app)).find((n) => isFolder(n) && n.folder.name === 'staging');
    assert.ok(staging);
    const p = new ScriptedPrompter({ pathB: '/my-frontend-app/production' });
    beyond.prompter = p;
    const outcome = await vscode.commands.executeCommand('keyway.compareWith', staging);
    assert.ok(outcome, JSON.stringify(p.messages));
    assert.deepEqual(p.asked.map((a) => a.step), ['pathB']);
    assert.ok(p.asked[0].choices!.some((c) => /^\/my-frontend-app\/production — next to it$/.test(c)), 'the sibling folder is offered first');
    const roots = beyond.compare.getChildren();
    assert.equal(roots.length, 1);
    assert.equal(label(roots[0]), 'Parameter Store: staging ↔ production');
    assert.match(desc(roots[0]), /^1 only in staging · \d+ only in production · 2 type · \d+ value · \d+ same$/);
    const groups = roots[0].children();
    assert.deepEqual(groups.map(label), ['Only in staging', 'Only in production', 'Different', 'Same']);
    assert.equal(groups[0].toTreeItem().contextValue, 'keyway.compareGroup.onlyA');
    assert.deepEqual(groups[0].children().map(label), ['/debug-toolbar']);
    const origins = row(roots, /Parameter Store/, '/allowed-origins');
    assert.equal(desc(origins), 'type String → StringList · value differs');
    assert.equal(origins.toTreeItem().contextValue, 'keyway.compareRow.different.both');
    assert.deepEqual(origins.children().map(label), ['type: String → StringList']);
    const everything = JSON.stringify(roots.flatMap((r) => [r, ...r.children().flatMap((g) => g.children().map((x) => x.toTreeItem()))]).map((x) => ('toTreeItem' in x ? x.toTreeItem() : x)));
    for (const s of seededSecretStrings()) assert.ok(!everything.includes(s), 'no value in the view');
  });

  it('compares both stores from the palette; JSON secrets key by key', async () => {
    const { beyond } = await freshKeyway();
    beyond.prompter = new ScriptedPrompter({});
    await vscode.commands.executeCommand('keyway.comparePaths', { kinds: ['parameter', 'secret'], a: '/my-frontend-app/staging', b: '/my-frontend-app/production' });
    const roots = beyond.compare.getChildren();
    assert.deepEqual(roots.map(label), ['Parameter Store: staging ↔ production', 'Secrets Manager: staging ↔ production']);
    const db = row(roots, /Secrets Manager/, '/database-credentials');
    assert.equal(desc(db), 'value differs: 3 keys differ (host, password, username)');
    assert.deepEqual(db.children().map(label), ['keys with different values: host, password, username', 'keys with the same value: engine, port']);
  });

  it('Create on the other side: a plain String offers to copy its value', async () => {
    const { beyond } = await freshKeyway();
    await vscode.commands.executeCommand('keyway.comparePaths', { kinds: ['parameter'], a: '/my-frontend-app/staging', b: '/my-frontend-app/production' });
    const p = new ScriptedPrompter({ valueSource: 'copy', confirmCreate: 'Create' });
    beyond.prompter = p;
    const created = await vscode.commands.executeCommand<{ name: string; copied: boolean }[]>('keyway.compare.createMissing', row(beyond.compare.getChildren(), /Parameter/, '/debug-toolbar'));
    assert.deepEqual(created, [{ name: '/my-frontend-app/production/debug-toolbar', kind: 'parameter', copied: true }]);
    assert.match(p.asked[0].choices![0], /^Copy the value from staging/);
    const got = await ssm().send(new GetParameterCommand({ Name: '/my-frontend-app/production/debug-toolbar' }));
    assert.equal(got.Parameter?.Value, 'enabled');
    assert.equal(got.Parameter?.Type, 'String');
    assert.equal(row(beyond.compare.getChildren(), /Parameter/, '/debug-toolbar').row.status, 'same', 'the view compares again after the create');
  });

  it('Create on the other side: a SecureString asks for a new value first and copies only when chosen', async () => {
    const { beyond } = await freshKeyway();
    await vscode.commands.executeCommand('keyway.comparePaths', { kinds: ['parameter', 'secret'], a: '/my-frontend-app/staging', b: '/my-frontend-app/production' });
    const typed = 'kw-editor-staging-sentry-dsn-41';
    const p = new ScriptedPrompter({ valueSource: 'type', value: typed, confirmCreate: 'Create' });
    beyond.prompter = p;
    const created = await vscode.commands.executeCommand<{ copied: boolean }[]>('keyway.compare.createMissing', row(beyond.compare.getChildren(), /Parameter/, '/sentry-dsn'));
    assert.equal(created?.[0]?.copied, false);
    assert.match(p.asked[0].choices![0], /^Enter a new value/, 'typing a value is the first choice for a SecureString');
    assert.ok(p.asked.some((a) => a.step === 'value'));
    const got = await ssm().send(new GetParameterCommand({ Name: '/my-frontend-app/staging/sentry-dsn', WithDecryption: true }));
    assert.equal(got.Parameter?.Type, 'SecureString');
    assert.equal(got.Parameter?.Value, typed);
    // A secret, copied by explicit choice.
    const q = new ScriptedPrompter({ valueSource: 'copy', confirmCreate: 'Create' });
    beyond.prompter = q;
    await vscode.commands.executeCommand('keyway.compare.createMissing', row(beyond.compare.getChildren(), /Secrets/, '/service-endpoints'));
    assert.match(q.asked[0].choices![1], /^Copy the value from production — reads .* decrypted/);
    const s = await sm().send(new GetSecretValueCommand({ SecretId: '/my-frontend-app/staging/service-endpoints' }));
    assert.equal(s.SecretString, findingsItems().find((i) => i.name === '/my-frontend-app/production/service-endpoints')!.value);
    // Cancelling at the confirmation creates nothing.
    const r = new ScriptedPrompter({ valueSource: 'type', value: 'kw-never-created-1' });
    beyond.prompter = r;
    assert.deepEqual(await vscode.commands.executeCommand('keyway.compare.createMissing', row(beyond.compare.getChildren(), /Secrets/, '/stripe-webhook-secret')), []);
    await assert.rejects(sm().send(new GetSecretValueCommand({ SecretId: '/my-frontend-app/staging/stripe-webhook-secret' })), /ResourceNotFound/);
  });

  it('opens both values side by side, masked; Reveal shows them for the reveal time, Mask hides them again', async () => {
    const { beyond } = await freshKeyway();
    await vscode.commands.executeCommand('keyway.comparePaths', { kinds: ['secret'], a: '/my-frontend-app/staging', b: '/my-frontend-app/production' });
    const db = row(beyond.compare.getChildren(), /Secrets/, '/database-credentials');
    const docs = await vscode.commands.executeCommand<{ left: vscode.Uri; right: vscode.Uri }>('keyway.compare.openDiff', db);
    assert.ok(docs);
    const left = beyond.sideBySide.textOf(docs.left)!;
    const right = beyond.sideBySide.textOf(docs.right)!;
    assert.match(left, /"engine": "•••••••• \(same\)"/);
    assert.match(left, /"password": "•••••••• \(staging\)"/);
    assert.match(right, /"password": "•••••••• \(production\)"/);
    for (const s of seededSecretStrings()) assert.ok(!left.includes(s) && !right.includes(s));
    assert.equal((await vscode.workspace.openTextDocument(docs.left)).getText(), left, 'the editor shows the masked text');
    assert.equal(await vscode.commands.executeCommand('keyway.compare.revealDiff', docs.left), true);
    assert.match(beyond.sideBySide.textOf(docs.left)!, /"password": "Kw-seed-db-staging-7Qx!v9Lr2"/);
    assert.match(beyond.sideBySide.textOf(docs.right)!, /"password": "Kw-seed-db-production-7Qx!v9Lr2"/);
    await vscode.commands.executeCommand('keyway.compare.hideDiff', docs.right);
    assert.match(beyond.sideBySide.textOf(docs.left)!, /••••/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('drops the comparison when the connection changes', async () => {
    const { beyond, explorer } = await freshKeyway();
    await vscode.commands.executeCommand('keyway.comparePaths', { kinds: ['parameter'], a: '/my-frontend-app/staging', b: '/my-frontend-app/production' });
    assert.ok(beyond.compare.outcome);
    await explorer.session.reconnect('test');
    assert.equal(beyond.compare.outcome, undefined);
    assert.deepEqual(beyond.compare.getChildren(), []);
  });
});
