// Plain core data → VS Code types. The only place that knows both.
import * as vscode from 'vscode';
import type { Finding, Range, Severity, TextEdit } from '../../core/types';

export const RULE_DOCS_BASE = 'https://github.com/keyway-dev/keyway/blob/main/docs/rules/';

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function toSeverity(s: Severity): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error': return vscode.DiagnosticSeverity.Error;
    case 'warning': return vscode.DiagnosticSeverity.Warning;
    case 'info': return vscode.DiagnosticSeverity.Information;
    default: return vscode.DiagnosticSeverity.Hint;
  }
}

export function toDiagnostic(f: Finding): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(f.range), f.message, toSeverity(f.severity));
  d.source = 'Keyway';
  d.code = { value: f.ruleId, target: vscode.Uri.parse(`${RULE_DOCS_BASE}${f.ruleId}.md`) };
  return d;
}

export function toWorkspaceEdit(uri: vscode.Uri, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) we.replace(uri, toRange(e.range), e.newText);
  return we;
}

/** The finding a diagnostic was made from (same rule, same range). */
export function sameFinding(d: vscode.Diagnostic, f: Finding): boolean {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return code === f.ruleId && d.range.isEqual(toRange(f.range));
}
