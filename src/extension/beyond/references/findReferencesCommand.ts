// "Find References" from a tree node (parameter, secret, or an audit finding): the code and IaC that read the name,
// the statements that grant it and the files that mention it, in the editor's references peek.
import * as vscode from 'vscode';
import type * as Core from '../../../core/index';
import { toRange } from '../../editor/convert';
import { loadCore } from '../../lazy';
import { JsonKeyNode, ParameterNode, SecretNode } from '../../views/nodes';
import { AuditFindingNode } from '../audit/nodes/findingNode';
import { BeyondCommand } from '../command';
import { fileUri, workspaceProjects } from '../workspaceFiles';

export interface FoundReference { uri: vscode.Uri; range: vscode.Range; kind: Core.store.ReferenceKind; detail: string; function?: string }

function targetOf(node: unknown): { kind: 'parameter' | 'secret'; name: string } | undefined {
  const n = node instanceof JsonKeyNode ? node.owner : node;
  if (n instanceof ParameterNode) return { kind: 'parameter', name: n.name };
  if (n instanceof SecretNode) return { kind: 'secret', name: n.name };
  if (n instanceof AuditFindingNode) return { kind: n.kind, name: n.name };
  if (n && typeof n === 'object' && 'name' in n && 'kind' in n) {
    const x = n as { name: unknown; kind: unknown };
    if (typeof x.name === 'string' && (x.kind === 'parameter' || x.kind === 'secret')) return { kind: x.kind, name: x.name };
  }
  return undefined;
}

export class FindReferencesCommand extends BeyondCommand {
  readonly id = 'keyway.findReferences';
  protected override readonly callsAws = false;
  async execute(node?: unknown, opts?: { show?: boolean }): Promise<FoundReference[] | undefined> {
    const target = targetOf(node);
    if (!target) { this.ctx.prompter.info('Keyway: pick a parameter or secret in the Keyway views first.'); return undefined; }
    if (!vscode.workspace.workspaceFolders?.length) { this.ctx.prompter.info('Keyway: open the project folder to find what reads this name.'); return undefined; }
    const found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Keyway: references to ${target.name}` }, async () => {
      const core = await loadCore();
      const out: FoundReference[] = [];
      for (const p of workspaceProjects(core)) {
        for (const r of core.store.findReferences(p.files, p.project, target, p.root)) {
          out.push({ uri: fileUri(p, r.file), range: toRange(r.range), kind: r.kind, detail: r.detail, ...(r.function ? { function: r.function } : {}) });
        }
      }
      return out;
    });
    this.ctx.log.info(`Find References ${target.kind}: ${found.length} found`);
    if (opts?.show === false) return found;
    if (!found.length) {
      this.ctx.prompter.info(`Keyway: nothing in the workspace reads ${target.name} (no code, IaC, policy or file mentions it).`);
      return found;
    }
    const first = found[0];
    await vscode.commands.executeCommand('editor.action.showReferences', first.uri, first.range.start, found.map((f) => new vscode.Location(f.uri, f.range)));
    return found;
  }
}
