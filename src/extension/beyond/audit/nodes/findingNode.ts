// One finding: the item, its monthly cost now and after the fix, and the fix (context menu: Fix…, Find References).
import * as vscode from 'vscode';
import type { AuditFinding } from '../../../../core/store/audit/types';
import { md } from '../../../views/format';
import { AuditNode } from './auditNode';

export class AuditFindingNode extends AuditNode {
  constructor(readonly finding: AuditFinding, readonly fixed: boolean, private readonly usd: (n: number) => string) { super(); }
  get id(): string { return `audit:finding:${this.finding.check}:${this.finding.kind}:${this.finding.name}`; }
  get kind(): 'parameter' | 'secret' { return this.finding.kind; }
  get name(): string { return this.finding.name; }
  toTreeItem(): vscode.TreeItem {
    const f = this.finding;
    const item = new vscode.TreeItem(f.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.fixed ? 'fixed' : `${this.usd(f.monthlyCost)} → ${this.usd(f.monthlyCostAfter)}/month · ${f.fix.title}`;
    item.iconPath = this.fixed ? new vscode.ThemeIcon('check', new vscode.ThemeColor('testing.iconPassed')) : new vscode.ThemeIcon(f.kind === 'secret' ? 'key' : 'symbol-string');
    const t = new vscode.MarkdownString(undefined, true);
    t.appendMarkdown(`**${md(f.name)}**\n\n${md(f.message)}\n\n**Fix:** ${md(f.fix.title)}. ${md(f.fix.steps)}\n\nMonthly cost: ${md(this.usd(f.monthlyCost))} now, ${md(this.usd(f.monthlyCostAfter))} after the fix.`);
    item.tooltip = t;
    item.contextValue = this.fixed ? 'keyway.auditFinding.fixed' : 'keyway.auditFinding';
    item.accessibilityInformation = { label: `${f.severity} ${f.name}: ${f.message}` };
    return item;
  }
}
