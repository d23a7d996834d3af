// One audit check (e.g. "Secrets without rotation that a SecureString would hold"): its findings and their savings.
import * as vscode from 'vscode';
import type { AuditFinding } from '../../../../core/store/audit/types';
import { AuditNode } from './auditNode';
import { AuditFindingNode } from './findingNode';

export class AuditCheckNode extends AuditNode {
  constructor(readonly check: string, readonly title: string, readonly why: string, readonly findings: AuditFinding[], private readonly fixed: ReadonlySet<AuditFinding>, private readonly usd: (n: number) => string) { super(); }
  get id(): string { return `audit:check:${this.check}`; }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.title, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    const saves = this.findings.reduce((n, f) => n + Math.max(0, f.monthlyCost - f.monthlyCostAfter), 0);
    item.description = `${this.findings.length}${saves ? ` · saves ${this.usd(saves)}/month` : ''}`;
    const warning = this.findings.some((f) => f.severity === 'warning');
    item.iconPath = new vscode.ThemeIcon(warning ? 'warning' : 'lightbulb', new vscode.ThemeColor(warning ? 'list.warningForeground' : 'charts.yellow'));
    item.tooltip = this.why;
    item.contextValue = 'keyway.auditCheck';
    return item;
  }
  override children(): AuditNode[] { return this.findings.map((f) => new AuditFindingNode(f, this.fixed.has(f), this.usd)); }
}
