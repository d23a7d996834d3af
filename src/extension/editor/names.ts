import type * as vscode from 'vscode';
import { nameAt, type NameAt } from '../../core/nameAt';

export type { NameAt, NameKind } from '../../core/nameAt';

/** The parameter or secret name at a document position (line-local, no parse). */
export function nameAtPosition(doc: vscode.TextDocument, pos: vscode.Position): NameAt | undefined {
  return nameAt(doc.lineAt(pos.line).text, pos.character, doc.languageId);
}
