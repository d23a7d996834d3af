// Go to Definition on a parameter or secret name: reveals its node in the Keyway explorer and opens a
// read-only `keyway-item:` document with its metadata (never the value).
import * as vscode from 'vscode';
import type * as Aws from '../../aws/index';
import type { ExplorerSession } from '../session';
import { isoDate } from '../views/format';
import { rotationSummary } from '../views/nodes';
import { resolveName } from './hover';
import { nameAtPosition } from './names';

export const ITEM_SCHEME = 'keyway-item';

export function itemUri(kind: 'parameter' | 'secret', name: string): vscode.Uri {
  return vscode.Uri.from({ scheme: ITEM_SCHEME, path: `/${kind}${name.startsWith('/') ? '' : '/'}${name}.yaml`, query: `name=${encodeURIComponent(name)}` });
}

/** The metadata of an item as YAML-like text (no value). */
function describeItem(kind: 'parameter' | 'secret', meta: Aws.ParameterMeta | Aws.SecretMeta | undefined, name: string, where: string): string {
  if (!meta) return `# ${name}\n# not found in ${where}\n`;
  const lines = [`# ${kind === 'parameter' ? 'Parameter Store' : 'Secrets Manager'} — ${where}`, `name: ${name}`];
  if (kind === 'parameter') {
    const m = meta as Aws.ParameterMeta;
    lines.push(`type: ${m.type ?? ''}`, `tier: ${m.tier ?? 'Standard'}`, `version: ${m.version ?? ''}`, `dataType: ${m.dataType ?? 'text'}`,
      `kmsKey: ${m.keyId ?? ''}`, `lastModified: ${isoDate(m.lastModified)}`, `lastModifiedBy: ${m.lastModifiedUser ?? ''}`, `description: ${m.description ?? ''}`);
  } else {
    const m = meta as Aws.SecretMeta;
    lines.push(`arn: ${m.arn ?? ''}`, `rotation: ${rotationSummary(m)}`, `lastRotated: ${isoDate(m.lastRotated)}`, `nextRotation: ${isoDate(m.nextRotation)}`,
      `versions: ${Object.entries(m.versionStages ?? {}).map(([id, s]) => `${s.join('+')}=${id}`).join(', ')}`,
      `tags: ${Object.entries(m.tags ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')}`, `description: ${m.description ?? ''}`,
      ...(m.deletedDate ? [`scheduledForDeletion: ${isoDate(m.deletedDate)}`] : []));
  }
  lines.push('# The value is not shown here: use Reveal Value or Copy Value in the Keyway explorer.');
  return `${lines.join('\n')}\n`;
}

export class KeywayDefinitions implements vscode.DefinitionProvider, vscode.TextDocumentContentProvider {
  constructor(private readonly session: ExplorerSession) {}

  provideDefinition(doc: vscode.TextDocument, pos: vscode.Position): vscode.Location | undefined {
    const at = nameAtPosition(doc, pos);
    if (!at) return undefined;
    const cur = this.session.indexed();
    if (!cur) return undefined;
    const r = resolveName(cur, at);
    if (!r?.meta) return undefined;
    // Also select the item in the explorer (the tree item is the real "definition").
    void vscode.commands.executeCommand('keyway.revealInExplorer', { name: r.meta.name, kind: r.kind });
    return new vscode.Location(itemUri(r.kind, r.meta.name), new vscode.Position(1, 0));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const kind = uri.path.startsWith('/secret/') ? 'secret' : 'parameter';
    const name = decodeURIComponent(/(?:^|&)name=([^&]*)/.exec(uri.query)?.[1] ?? '');
    const cur = this.session.current;
    const where = cur ? `${cur.connection.profile || 'default'}/${cur.connection.region}` : 'not connected';
    const meta = cur ? (kind === 'parameter' ? cur.index.parameters.get(name) : cur.index.secrets.get(name)) : undefined;
    return describeItem(kind, meta, name, where);
  }
}
