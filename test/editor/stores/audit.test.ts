// Keyway: Audit Account in the real VS Code against moto: the Audit view with costs per line and the total, a safe
// fix with its confirmations, Markdown and JSON export, and cancel.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import type { AuditState } from '../../../src/extension/beyond/audit/auditState';
import type { AuditNode } from '../../../src/extension/beyond/audit/nodes/auditNode';
import type { AuditCheckNode } from '../../../src/extension/beyond/audit/nodes/checkNode';
import type { AuditFindingNode } from '../../../src/extension/beyond/audit/nodes/findingNode';
import { ScriptedPrompter } from '../../../src/extension/manage/prompter';
import { seededSecretStrings } from '../../support/hygiene';
import { freshKeyway, ssm, withFindings, withoutFindings } from './support';

const label = (n: AuditNode) => { const l = n.toTreeItem().label; return typeof l === 'string' ? l : l?.label ?? ''; };
const desc = (n: AuditNode) => String(n.toTreeItem().description ?? '');

// The extension runs from its bundle: nodes are told apart by shape, not by class.
const isCheck = (n: unknown): n is AuditCheckNode => typeof n === 'object' && n !== null && 'check' in n && 'findings' in n;
const isFinding = (n: unknown): n is AuditFindingNode => typeof n === 'object' && n !== null && 'finding' in n;

function finding(roots: AuditNode[], check: string, name: string): AuditFindingNode {
  for (const c of roots) if (isCheck(c) && c.check === check) for (const f of c.children()) if (isFinding(f) && f.name === name) return f;
  throw new Error(`no finding ${check} ${name}`);
}

describe('audit the account (real VS Code, moto)', function () {
  this.timeout(120_000);
  before(withFindings);
  after(withoutFindings);

  it('shows every finding with its monthly cost, grouped by check, and what the fixes save', async () => {
    const { beyond } = await freshKeyway();
    const st = await vscode.commands.executeCommand<AuditState>('keyway.auditAccount');
    assert.ok(st && !st.running && st.complete, JSON.stringify(st?.errors));
    const roots = beyond.audit.getChildren();
    assert.match(label(roots[0]), /^Saves \$\d+\.\d\d a month$/);
    assert.match(desc(roots[0]), /findings · \d+ parameters, \d+ secrets$/);
    const names = roots.filter(isCheck).map((c) => c.check);
    for (const c of ['secret-as-securestring', 'plain-config-in-secrets-manager', 'sensitive-string-parameter', 'advanced-fits-standard', 'rotation-failing', 'pending-deletion']) assert.ok(names.includes(c), `${c} in ${names.join(', ')}`);
    const stripe = finding(roots, 'secret-as-securestring', '/my-frontend-app/production/stripe-webhook-secret');
    assert.match(desc(stripe), /^\$0\.40 → \$0\.00\/month · Move to the SecureString parameter/);
    assert.equal(stripe.toTreeItem().contextValue, 'keyway.auditFinding');
    const banner = finding(roots, 'advanced-fits-standard', '/my-frontend-app/production/banner-message');
    assert.match(desc(banner), /^\$0\.05 → \$0\.00\/month/);
    const text = JSON.stringify(roots.flatMap((r) => [r.toTreeItem(), ...r.children().map((c) => c.toTreeItem())]));
    for (const s of seededSecretStrings()) assert.ok(!text.includes(s), 'no value in the view');
  });

  it('exports the report as Markdown and JSON', async () => {
    const { beyond } = await freshKeyway();
    if (!beyond.audit.state) await vscode.commands.executeCommand('keyway.auditAccount');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-audit-'));
    const md = await vscode.commands.executeCommand<vscode.Uri>('keyway.audit.exportMarkdown', vscode.Uri.file(path.join(dir, 'audit.md')));
    const json = await vscode.commands.executeCommand<vscode.Uri>('keyway.audit.exportJson', vscode.Uri.file(path.join(dir, 'audit.json')));
    const mdText = fs.readFileSync(md!.fsPath, 'utf8');
    assert.match(mdText, /^# Keyway account audit/);
    assert.match(mdText, /\| `\/my-frontend-app\/production\/stripe-webhook-secret` \| \$0\.40 \| \$0\.00 \|/);
    const j = JSON.parse(fs.readFileSync(json!.fsPath, 'utf8'));
    assert.ok(j.findings.some((f: { check: string }) => f.check === 'advanced-fits-standard'));
    for (const s of seededSecretStrings()) assert.ok(!mdText.includes(s) && !JSON.stringify(j).includes(s));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Fix… recreates an Advanced parameter in Standard after its confirmations and marks the finding fixed', async () => {
    const { beyond, explorer } = await freshKeyway();
    await vscode.commands.executeCommand('keyway.auditAccount');
    const node = finding(beyond.audit.getChildren(), 'advanced-fits-standard', '/my-frontend-app/production/banner-message');
    const declined = new ScriptedPrompter({ fixStart: 'Continue' });
    beyond.prompter = declined;
    const no = await vscode.commands.executeCommand<{ declined?: boolean }>('keyway.audit.fix', node);
    assert.equal(no?.declined, true);
    assert.match(declined.asked.find((a) => a.step === 'fixConfirm')!.text!, /Delete \/my-frontend-app\/production\/banner-message and create it again in the Standard tier\?/);
    const p = new ScriptedPrompter({ fixStart: 'Continue', fixConfirm: 'Recreate in Standard' });
    beyond.prompter = p;
    const out = await vscode.commands.executeCommand<{ done: boolean; message: string }>('keyway.audit.fix', node);
    assert.equal(out?.done, true, JSON.stringify(p.messages));
    const cur = await explorer.session.ensure();
    await cur.index.parameters.reload();
    assert.equal(cur.index.parameters.get('/my-frontend-app/production/banner-message')?.tier, 'Standard');
    assert.equal((await ssm().send(new GetParameterCommand({ Name: '/my-frontend-app/production/banner-message' }))).Parameter?.Value, 'Free shipping this week');
    const fixed = finding(beyond.audit.getChildren(), 'advanced-fits-standard', '/my-frontend-app/production/banner-message');
    assert.equal(desc(fixed), 'fixed');
    assert.equal(fixed.toTreeItem().contextValue, 'keyway.auditFinding.fixed');
  });

  it('cancels a running audit and keeps what it found', async () => {
    const { beyond } = await freshKeyway();
    const run = vscode.commands.executeCommand<AuditState>('keyway.auditAccount');
    await vscode.commands.executeCommand('keyway.audit.cancel');
    const st = await run;
    assert.ok(st);
    assert.equal(st.running, false);
    assert.equal(st.cancelled, true);
    assert.equal(st.complete, false);
    assert.match(beyond.audit.getChildren().map(label).join('\n'), /Cancelled: the findings cover what was scanned/);
    assert.match(desc(beyond.audit.getChildren()[0]), /incomplete/);
  });
});
