// A compared store: its counts; children are the groups (only in A, only in B, different, same).
import * as vscode from 'vscode';
import type * as Core from '../../../../core/index';
import { md } from '../../../views/format';
import { storeLabel, type CompareOutcome } from '../compareModel';
import { CompareNode, type Describe, type Status } from './compareNode';
import { CompareGroupNode } from './groupNode';

export class CompareStoreNode extends CompareNode {
  constructor(readonly outcome: CompareOutcome, readonly result: Core.store.CompareResult, private readonly describe: Describe) { super(); }
  get id(): string { return `compare:${this.result.kind}`; }
  toTreeItem(): vscode.TreeItem {
    const [la, lb] = this.outcome.labels;
    const c = this.result.counts;
    const item = new vscode.TreeItem(`${storeLabel(this.result.kind)}: ${la} ↔ ${lb}`, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    const parts = [`${c.onlyA} only in ${la}`, `${c.onlyB} only in ${lb}`, `${c.typeDifferences} type`, `${c.valueDifferences} value`, `${c.same} same`];
    item.description = parts.join(' · ');
    item.iconPath = new vscode.ThemeIcon(this.result.namesOrTypesDiffer ? 'diff' : 'pass', new vscode.ThemeColor(this.result.namesOrTypesDiffer ? 'list.warningForeground' : 'testing.iconPassed'));
    item.tooltip = new vscode.MarkdownString(`**${md(this.result.a || '(root)')}** ↔ **${md(this.result.b || '(root)')}**\n\n${md(storeLabel(this.result.kind))}, ${md(this.outcome.region)}${this.outcome.fromIndex ? ' (from the explorer\'s listing)' : ''}\n\nValues are compared by hash in memory; none is shown until you reveal it.`);
    item.contextValue = 'keyway.compareStore';
    item.accessibilityInformation = { label: `${storeLabel(this.result.kind)} comparison of ${la} and ${lb}: ${parts.join(', ')}` };
    return item;
  }
  override children(): CompareNode[] {
    const [la, lb] = this.outcome.labels;
    const groups: [Status, string][] = [['onlyA', `Only in ${la}`], ['onlyB', `Only in ${lb}`], ['different', 'Different'], ['same', 'Same']];
    return groups
      .map(([s, label]) => new CompareGroupNode(this.outcome, this.result.kind, s, label, this.result.rows.filter((r) => r.status === s), this.describe))
      .filter((g) => g.rows.length);
  }
}

