// Each kind of explorer node is its own class (GitLens style). A node knows its connection instance,
// so commands on a node from a previous connection are refused instead of acting on the wrong account.
import * as vscode from 'vscode';
import type * as Aws from '../../aws/index';
import type { StoreName } from '../session';
import { isoDate, MASK, md, oneLine, plural, relativeTime } from './format';

export interface NodeContext {
  store: StoreName;
  connectionInstance: number;
  region: string;
  /** Revealed values by node key (in memory only, masked again after a timeout). */
  revealed(key: string): string | undefined;
}

export abstract class ExplorerNode {
  abstract readonly key: string;
  constructor(readonly ctx: NodeContext) {}
  abstract toTreeItem(): vscode.TreeItem;
}

export class FolderNode extends ExplorerNode {
  constructor(ctx: NodeContext, readonly folder: Aws.FolderSummary) { super(ctx); }
  get key(): string { return `${this.ctx.connectionInstance}:${this.ctx.store}:folder:${this.folder.path}`; }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.folder.name || '/', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.key;
    item.description = plural(this.folder.count, this.ctx.store === 'parameters' ? 'parameter' : 'secret');
    item.iconPath = vscode.ThemeIcon.Folder;
    item.tooltip = `${this.folder.path}/ — ${item.description}`;
    item.accessibilityInformation = { label: `${this.folder.name || '/'}, folder, ${item.description}` };
    item.contextValue = 'keyway.folder';
    return item;
  }
}

function typeIcon(type: string | undefined): vscode.ThemeIcon {
  switch (type) {
    case 'SecureString': return new vscode.ThemeIcon('lock');
    case 'StringList': return new vscode.ThemeIcon('list-unordered');
    default: return new vscode.ThemeIcon('symbol-string');
  }
}

export class ParameterNode extends ExplorerNode {
  constructor(ctx: NodeContext, readonly meta: Aws.ParameterMeta, readonly label?: string, readonly jsonKeys?: string[]) { super(ctx); }
  get key(): string { return `${this.ctx.connectionInstance}:parameters:item:${this.meta.name}`; }
  get name(): string { return this.meta.name; }
  toTreeItem(): vscode.TreeItem {
    const m = this.meta;
    const item = new vscode.TreeItem(this.label ?? leaf(m.name), this.jsonKeys?.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.key;
    const revealed = this.ctx.revealed(this.key);
    const meta = [m.version !== undefined ? `v${m.version}` : '', m.tier ?? '', relativeTime(m.lastModified)].filter(Boolean).join(' · ');
    item.description = revealed !== undefined ? `= ${oneLine(revealed)}` : meta;
    item.iconPath = typeIcon(m.type);
    item.contextValue = `keyway.parameter${revealed !== undefined ? '.revealed' : ''}`;
    item.accessibilityInformation = { label: `${m.type ?? 'parameter'} ${m.name}${revealed !== undefined ? ', value revealed' : ''}` };
    const t = new vscode.MarkdownString(undefined, true);
    t.appendMarkdown(`**${md(m.name)}**\n\n`);
    if (m.description) t.appendMarkdown(`${md(m.description)}\n\n`);
    t.appendMarkdown([
      '| | |', '|---|---|',
      `| Type | ${md(m.type)} |`,
      `| Tier | ${md(m.tier)} |`,
      `| Version | ${md(m.version)} |`,
      `| Data type | ${md(m.dataType)} |`,
      `| KMS key | ${md(m.keyId)} |`,
      `| Policies | ${m.policies?.length ? md(m.policies.map((p) => `${p.type ?? ''} ${p.status ?? ''}`.trim()).join(', ')) : '—'} |`,
      `| Last modified | ${md(isoDate(m.lastModified))} (${md(relativeTime(m.lastModified))}) |`,
      `| Modified by | ${md(m.lastModifiedUser)} |`,
    ].join('\n'));
    t.appendMarkdown('\n\n$(eye) The value is masked: use **Reveal Value** or **Copy Value**.');
    item.tooltip = t;
    return item;
  }
}

export class SecretNode extends ExplorerNode {
  constructor(ctx: NodeContext, readonly meta: Aws.SecretMeta, readonly label?: string) { super(ctx); }
  get key(): string { return `${this.ctx.connectionInstance}:secrets:item:${this.meta.name}`; }
  get name(): string { return this.meta.name; }
  toTreeItem(): vscode.TreeItem {
    const m = this.meta;
    const item = new vscode.TreeItem(this.label ?? leaf(m.name), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.key;
    const revealed = this.ctx.revealed(this.key);
    const parts: string[] = [];
    if (m.deletedDate) parts.push('scheduled for deletion');
    parts.push(rotationSummary(m));
    const current = currentVersionStages(m);
    if (current.length > 1) parts.push(current.join(' '));
    item.description = revealed !== undefined ? `= ${oneLine(revealed)}` : parts.join(' · ');
    item.iconPath = m.deletedDate ? new vscode.ThemeIcon('trash', new vscode.ThemeColor('list.warningForeground')) : new vscode.ThemeIcon(m.rotationEnabled ? 'sync' : 'key');
    item.contextValue = `keyway.secret${m.deletedDate ? '.deleted' : ''}${revealed !== undefined ? '.revealed' : ''}`;
    item.accessibilityInformation = { label: `secret ${m.name}, ${parts.join(', ')}` };
    item.tooltip = secretTooltip(m);
    return item;
  }
}

/** A key of a JSON secret or parameter; its value stays masked until revealed. */
export class JsonKeyNode extends ExplorerNode {
  constructor(ctx: NodeContext, readonly owner: ParameterNode | SecretNode, readonly jsonKey: string) { super(ctx); }
  get key(): string { return `${this.owner.key}#${this.jsonKey}`; }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.jsonKey, vscode.TreeItemCollapsibleState.None);
    item.id = this.key;
    const revealed = this.ctx.revealed(this.key);
    item.description = revealed !== undefined ? `= ${oneLine(revealed)}` : MASK;
    item.iconPath = new vscode.ThemeIcon('symbol-key');
    item.contextValue = `keyway.jsonKey${revealed !== undefined ? '.revealed' : ''}`;
    item.tooltip = `${this.owner.name} → ${this.jsonKey}`;
    return item;
  }
}

/** A listing or value load that failed: shows why and offers Retry (AWS Toolkit style) instead of throwing. */
export class ErrorNode extends ExplorerNode {
  constructor(ctx: NodeContext, readonly info: Aws.AwsErrorInfo, readonly retry: 'listing' | { owner: ParameterNode | SecretNode }) { super(ctx); }
  get key(): string { return `${this.ctx.connectionInstance}:${this.ctx.store}:error:${typeof this.retry === 'string' ? 'listing' : this.retry.owner.key}`; }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`${this.info.message}`, vscode.TreeItemCollapsibleState.None);
    item.id = this.key;
    item.description = 'Retry';
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.tooltip = new vscode.MarkdownString(`${md(this.info.message)}\n\n**Next step:** ${md(this.info.nextStep)}`);
    item.command = { command: 'keyway.retry', title: 'Retry', arguments: [this] };
    item.contextValue = 'keyway.error';
    return item;
  }
}

export class MessageNode extends ExplorerNode {
  constructor(ctx: NodeContext, readonly text: string, readonly icon = 'info', readonly id = 'message') { super(ctx); }
  get key(): string { return `${this.ctx.connectionInstance}:${this.ctx.store}:msg:${this.id}`; }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.text, vscode.TreeItemCollapsibleState.None);
    item.id = this.key;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = 'keyway.message';
    return item;
  }
}

export type ValueNode = ParameterNode | SecretNode | JsonKeyNode;

function leaf(name: string): string {
  const i = name.lastIndexOf('/');
  return i < 0 ? name : name.slice(i + 1);
}

export function rotationSummary(m: Aws.SecretMeta): string {
  if (!m.rotationEnabled) return 'rotation off';
  const every = m.rotationDays ? `every ${m.rotationDays} days` : m.rotationSchedule ?? 'on';
  return `rotates ${every}`;
}

function currentVersionStages(m: Aws.SecretMeta): string[] {
  const stages = new Set<string>();
  for (const labels of Object.values(m.versionStages ?? {})) for (const l of labels) stages.add(l);
  return [...stages].sort();
}

export function secretTooltip(m: Aws.SecretMeta): vscode.MarkdownString {
  const t = new vscode.MarkdownString(undefined, true);
  t.appendMarkdown(`**${md(m.name)}**\n\n`);
  if (m.deletedDate) t.appendMarkdown(`$(warning) **Scheduled for deletion** (requested ${md(isoDate(m.deletedDate))})\n\n`);
  if (m.description) t.appendMarkdown(`${md(m.description)}\n\n`);
  const versions = Object.entries(m.versionStages ?? {}).map(([id, labels]) => `${labels.join(', ')} → ${id.slice(0, 8)}`);
  const replicas = m.replicas === undefined ? '(hover again to load)' : m.replicas.length ? m.replicas.map((r) => `${r.region}${r.status ? ` (${r.status})` : ''}`).join(', ') : 'none';
  t.appendMarkdown([
    '| | |', '|---|---|',
    `| Rotation | ${md(rotationSummary(m))} |`,
    `| Schedule | ${md(m.rotationSchedule ?? (m.rotationDays ? `every ${m.rotationDays} days` : undefined))} |`,
    `| Last rotated | ${md(isoDate(m.lastRotated))} |`,
    `| Next rotation | ${md(isoDate(m.nextRotation))} |`,
    `| Replicas | ${md(replicas)} |`,
    `| Versions | ${md(versions.join('; ') || undefined)} |`,
    `| Tags | ${md(Object.entries(m.tags ?? {}).map(([k, v]) => `${k}=${v}`).join(', ') || undefined)} |`,
    `| Last accessed | ${md(isoDate(m.lastAccessed))} |`,
    `| Last changed | ${md(isoDate(m.lastChanged))} |`,
    `| KMS key | ${md(m.kmsKeyId ?? 'aws/secretsmanager')} |`,
    `| ARN | ${md(m.arn)} |`,
  ].join('\n'));
  t.appendMarkdown('\n\n$(eye) The value is masked: use **Reveal Value** or **Copy Value**.');
  return t;
}
