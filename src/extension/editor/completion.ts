// Completion of parameter and secret names inside reference positions, one path level at a time,
// from the explorer's index (never a listing call).
import * as vscode from 'vscode';
import type { ExplorerSession } from '../session';
import { nameAtPosition } from './names';

export class KeywayCompletion implements vscode.CompletionItemProvider {
  static readonly triggers = ['/', '"', "'", '`', ':'];

  constructor(private readonly session: ExplorerSession) {}

  provideCompletionItems(doc: vscode.TextDocument, pos: vscode.Position): vscode.CompletionItem[] | undefined {
    const at = nameAtPosition(doc, pos);
    if (!at) return undefined;
    const typed = doc.lineAt(pos.line).text.slice(at.start, pos.character);
    if (!at.inReferencePosition && !typed.startsWith('/')) return undefined;
    const cur = this.session.indexed();
    if (!cur) return undefined;
    const slash = typed.lastIndexOf('/');
    const folder = slash > 0 ? typed.slice(0, slash) : '';
    const replaceFrom = at.start + slash + 1;
    const range = new vscode.Range(pos.line, replaceFrom, pos.line, Math.max(pos.character, at.end));
    const items: vscode.CompletionItem[] = [];
    const stores = at.kind === 'secret' ? (['secrets'] as const) : at.kind === 'parameter' ? (['parameters'] as const) : (['parameters', 'secrets'] as const);
    const seen = new Set<string>();
    for (const store of stores) {
      const idx = cur.index[store];
      // Names with a leading '/' live under folder paths starting with '/'; the root holds the rest.
      const { folders, items: leaves } = idx.children(folder);
      for (const f of folders) {
        if (slash < 0 && !typed.startsWith('/') && f.path.startsWith('/')) continue;
        if (seen.has(`f:${f.name}`)) continue;
        seen.add(`f:${f.name}`);
        const it = new vscode.CompletionItem({ label: `${f.name}/`, description: `${f.count} ${store === 'parameters' ? 'parameters' : 'secrets'}` }, vscode.CompletionItemKind.Folder);
        it.range = range;
        it.insertText = `${f.name}/`;
        it.sortText = `0${f.name}`;
        it.command = { command: 'editor.action.triggerSuggest', title: 'next level' };
        items.push(it);
      }
      for (const l of leaves) {
        const leaf = l.name.slice(l.name.lastIndexOf('/') + 1);
        if (seen.has(`l:${leaf}`)) continue;
        seen.add(`l:${leaf}`);
        const detail = l.kind === 'parameter' ? `Parameter Store ${l.type ?? ''}`.trim() : 'Secrets Manager secret';
        const it = new vscode.CompletionItem({ label: leaf, description: detail }, l.kind === 'parameter' ? vscode.CompletionItemKind.Constant : vscode.CompletionItemKind.Value);
        it.range = range;
        it.insertText = leaf;
        it.sortText = `1${leaf}`;
        it.detail = l.name;
        items.push(it);
      }
    }
    return items;
  }
}
