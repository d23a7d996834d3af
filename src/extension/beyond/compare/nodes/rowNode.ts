// One name compared across the two prefixes: its status, differences and JSON keys; masked values.
import * as vscode from 'vscode';
import { md } from '../../../views/format';
import type { CompareOutcome } from '../compareModel';
import { CompareNode, STATUS_ICON, type Describe, type Row } from './compareNode';
import { CompareDetailNode } from './detailNode';

export class CompareRowNode extends CompareNode {
  constructor(readonly outcome: CompareOutcome, readonly row: Row, private readonly describe: Describe) { super(); }
  get id(): string { return `compare:${this.row.kind}:${this.row.status}:${this.row.rel}`; }
  /** The side that lacks the name (for Create on the other side), and the side that has it. */
  get missingSide(): 'a' | 'b' | undefined { return this.row.status === 'onlyA' ? 'b' : this.row.status === 'onlyB' ? 'a' : undefined; }
  toTreeItem(): vscode.TreeItem {
    const r = this.row;
    const details = this.details();
    const item = new vscode.TreeItem(r.rel, details.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const [la, lb] = this.outcome.labels;
    item.description = this.describe(r, la, lb);
    const [icon, color] = STATUS_ICON[r.status];
    item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
    const both = r.a && r.b;
    item.contextValue = `keyway.compareRow.${r.status}${both ? '.both' : ''}`;
    const t = new vscode.MarkdownString(undefined, true);
    t.appendMarkdown(`**${md(r.a?.name ?? r.b?.name ?? r.rel)}**${both ? `\n\n**${md(r.b!.name)}**` : ''}\n\n`);
    t.appendMarkdown([
      `| | ${md(la)} | ${md(lb)} |`, '|---|---|---|',
      `| Type | ${md(r.a?.type)} | ${md(r.b?.type)} |`,
      ...(r.kind === 'parameter' ? [`| Tier | ${md(r.a?.tier)} | ${md(r.b?.tier)} |`, `| Data type | ${md(r.a?.dataType)} | ${md(r.b?.dataType)} |`] : [`| Rotation | ${md(r.a?.rotation)} | ${md(r.b?.rotation)} |`]),
      `| KMS key | ${md(r.a?.keyId)} | ${md(r.b?.keyId)} |`,
      `| Value | ${both ? md(r.value === 'equal' ? 'same' : r.value === 'different' ? 'differs' : r.value === 'unknown' ? 'not readable' : 'not compared') : '—'} | |`,
    ].join('\n'));
    t.appendMarkdown(`\n\n$(eye) Values stay masked: ${both ? 'use **Open Side by Side** and reveal them there.' : `use **Create in ${r.status === 'onlyA' ? lb : la}…** to add the missing one.`}`);
    item.tooltip = t;
    if (both) item.command = { command: 'keyway.compare.openDiff', title: 'Open Side by Side', arguments: [this] };
    item.accessibilityInformation = { label: `${r.rel}: ${this.describe(r, la, lb)}` };
    return item;
  }
  private details(): string[] {
    const r = this.row;
    const out = r.differences.map((d) => `${d.field === 'kmsKey' ? 'KMS key' : d.field === 'dataType' ? 'data type' : d.field}: ${d.a} → ${d.b}`);
    const j = r.jsonKeys;
    if (j) {
      if (j.different.length) out.push(`keys with different values: ${j.different.join(', ')}`);
      if (j.onlyA.length) out.push(`keys only in ${this.outcome.labels[0]}: ${j.onlyA.join(', ')}`);
      if (j.onlyB.length) out.push(`keys only in ${this.outcome.labels[1]}: ${j.onlyB.join(', ')}`);
      if (j.equal.length) out.push(`keys with the same value: ${j.equal.join(', ')}`);
    }
    if (r.value === 'unknown') out.push(`value not readable: ${r.a?.valueError ?? r.b?.valueError ?? ''}`);
    return out;
  }
  override children(): CompareNode[] { return this.details().map((d, i) => new CompareDetailNode(`${this.id}#${i}`, d)); }
}

