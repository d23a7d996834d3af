// The audit's first line: what the fixes save a month, and how far the scan is.
import * as vscode from 'vscode';
import type { AuditState } from '../auditState';
import { AuditNode } from './auditNode';

export class AuditTotalNode extends AuditNode {
  readonly id = 'audit:total';
  constructor(private readonly state: AuditState, private readonly usd: (n: number) => string) { super(); }
  toTreeItem(): vscode.TreeItem {
    const s = this.state;
    const t = s.totals;
    const label = s.running ? `Auditing… ${t.findings} finding${t.findings === 1 ? '' : 's'} so far` : `Saves ${this.usd(t.monthlySavings)} a month`;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const p = s.progress;
    item.description = s.running
      ? `${p.parameters.toLocaleString('en-US')} parameters, ${p.secrets.toLocaleString('en-US')} secrets${p.listing ? ' (listing)' : ''} · values ${p.valuesRead}/${p.valuesQueued}`
      : `${t.findings} finding${t.findings === 1 ? '' : 's'} · ${p.parameters.toLocaleString('en-US')} parameters, ${p.secrets.toLocaleString('en-US')} secrets${s.complete ? '' : ' · incomplete'}`;
    item.iconPath = new vscode.ThemeIcon(s.running ? 'loading~spin' : t.findings ? 'law' : 'pass', s.running || !t.findings ? undefined : new vscode.ThemeColor('charts.green'));
    item.tooltip = new vscode.MarkdownString(`Flagged items cost **${this.usd(t.monthlyCost)}** a month; the fixes save **${this.usd(t.monthlySavings)}** a month (${this.usd(t.monthlySavings * 12)} a year).\n\nList prices: Secrets Manager $0.40 per secret per month, Advanced parameters $0.05, Standard parameters free.${s.region ? `\n\nRegion ${s.region}.` : ''}`);
    item.contextValue = 'keyway.auditTotal';
    return item;
  }
}
