// Code actions from the fixes core recorded with each finding: one QuickFix per fix (the main one
// preferred), "Suppress for this line", "Move this secret…", and "Fix all Keyway problems in this file"
// (also as `source.fixAll.keyway` for editor.codeActionsOnSave). Every fix is verified first (fixChecks.ts): one
// that would break the file is offered disabled with the reason; a TypeScript fix is type-checked when the menu is
// asked for (disabled with the reason when it would add a type error), or when picked from the automatic light bulb.
import * as vscode from 'vscode';
import type * as Core from '../../core/index';
import type { Finding, Fix } from '../../core/types';
import { loadCore } from '../lazy';
import { sameFinding, toWorkspaceEdit } from './convert';
import { MISSING_NAME, type DiagnosticsController } from './diagnostics';
import { FixChecks } from './fixChecks';

/** A quick fix whose edit is filled in when it is picked, after a type-check (resolveCodeAction). */
class CheckedFix extends vscode.CodeAction {
  constructor(title: string, readonly doc: vscode.TextDocument, readonly version: number, readonly fix: Fix) {
    super(title, vscode.CodeActionKind.QuickFix);
  }
}

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('keyway');
const MOVABLE = new Set(['hardcoded-secret', 'secret-in-env']);

export class KeywayCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  private readonly checks: FixChecks;

  constructor(private readonly diagnostics: DiagnosticsController, checks?: FixChecks) {
    this.checks = checks ?? new FixChecks(diagnostics);
  }

  async provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const only = ctx.only;
    if (only?.intersects(FIX_ALL_KIND)) {
      const all = await this.fixAll(doc);
      return all ? [all] : [];
    }
    if (only && !only.intersects(vscode.CodeActionKind.QuickFix)) return [];
    const findings = await this.diagnostics.findingsFor(doc);
    const actions: vscode.CodeAction[] = [];
    let fixable = 0;
    // Restricted Mode: no fix that calls AWS (creating a value, moving a secret); text-only fixes stay.
    const aws = vscode.workspace.isTrusted;
    for (const d of ctx.diagnostics) {
      if (d.source !== 'Keyway') continue;
      if (d.code === MISSING_NAME) {
        if (!aws) continue;
        const name = doc.getText(d.range);
        const kind = /Secrets Manager/.test(d.message) ? 'secret' : 'parameter';
        const a = new vscode.CodeAction(`Create ${kind === 'secret' ? 'secret' : 'parameter'} ${name}…`, vscode.CodeActionKind.QuickFix);
        a.command = { command: 'keyway.createValue', title: a.title, arguments: [{ name, kind }] };
        a.diagnostics = [d];
        a.isPreferred = true;
        actions.push(a);
        continue;
      }
      const f = findings.find((x) => sameFinding(d, x));
      if (!f) continue;
      const core = f.fixes.length ? await loadCore() : undefined;
      const typed = f.fixes.length ? await this.checks.needsTypeCheck(doc) : false;
      for (const fix of f.fixes) {
        let reason = this.checks.quickReason(core!, doc, findings, f, fix);
        // TypeScript: type-checked now when the user asked for the menu (Ctrl+., the light bulb) or it was checked
        // before, so a fix that would add a type error shows disabled with the reason; otherwise when it is picked.
        let checked = !typed;
        if (!reason && typed) {
          const known = this.checks.knownTypeReason(fix);
          if (known !== undefined || ctx.triggerKind === vscode.CodeActionTriggerKind.Invoke) {
            reason = known === undefined ? await this.checks.fixTypeReason(core!, doc, fix) : known ?? undefined;
            checked = true;
          }
        }
        const a = !reason && !checked ? new CheckedFix(fix.title, doc, doc.version, fix) : new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        if (reason) a.disabled = { reason: `Keyway will not apply this fix: ${reason}.` };
        else if (checked) a.edit = toWorkspaceEdit(doc.uri, fix.edits);
        a.diagnostics = [d];
        a.isPreferred = fix.isPreferred === true;
        actions.push(a);
      }
      if (f.fixes.some((x) => x.isPreferred)) fixable++;
      if (aws && MOVABLE.has(f.ruleId)) {
        const a = new vscode.CodeAction('Move this secret to Parameter Store / Secrets Manager…', vscode.CodeActionKind.QuickFix);
        a.command = { command: 'keyway.moveSecret', title: a.title, arguments: [doc.uri, f] };
        a.diagnostics = [d];
        actions.push(a);
      }
      const suppress = this.suppression(doc, f);
      if (suppress) {
        suppress.diagnostics = [d];
        actions.push(suppress);
      }
    }
    if (fixable > 0 && findings.filter((f) => f.fixes.some((x) => x.isPreferred)).length > 1) {
      const a = new vscode.CodeAction('Fix all Keyway problems in this file', vscode.CodeActionKind.QuickFix);
      a.command = { command: 'keyway.fixAllInFile', title: a.title, arguments: [doc.uri] };
      actions.push(a);
    }
    return actions;
  }

  /** A TypeScript quick fix, when picked: type-checked against the project first; never applied if it fails. */
  async resolveCodeAction(action: vscode.CodeAction): Promise<vscode.CodeAction> {
    if (!(action instanceof CheckedFix)) return action;
    const { doc, fix } = action;
    if (doc.version !== action.version) {
      void vscode.window.showWarningMessage(`Keyway did not apply "${fix.title}": the document changed. Try the fix again.`);
      return action;
    }
    const core = await loadCore();
    const reason = await this.checks.fixTypeReason(core, doc, fix);
    if (reason) {
      void vscode.window.showWarningMessage(`Keyway did not apply "${fix.title}": ${reason}.`);
      return action;
    }
    action.edit = toWorkspaceEdit(doc.uri, fix.edits);
    return action;
  }

  /** `// keyway-ignore-next-line <rule>` (or `#` in YAML/.env) above the finding's line, same indentation. */
  private suppression(doc: vscode.TextDocument, f: Finding): vscode.CodeAction | undefined {
    const marker = /\.(?:ya?ml)$/i.test(doc.fileName) || /(^|[\\/])\.env/.test(doc.fileName) ? '#' : /\.json$/i.test(doc.fileName) ? undefined : '//';
    if (!marker) return undefined; // JSON has no comments; use .keywayrc.json instead
    const line = doc.lineAt(f.range.start.line);
    const indent = line.text.slice(0, line.firstNonWhitespaceCharacterIndex);
    const a = new vscode.CodeAction(`Suppress ${f.ruleId} for this line`, vscode.CodeActionKind.QuickFix);
    a.edit = new vscode.WorkspaceEdit();
    a.edit.insert(doc.uri, new vscode.Position(line.lineNumber, 0), `${indent}${marker} keyway-ignore-next-line ${f.ruleId}${doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n'}`);
    return a;
  }

  /** One edit replacing the document with core's multi-pass fix result. */
  async fixAll(doc: vscode.TextDocument): Promise<vscode.CodeAction | undefined> {
    const { edit } = await fixAllEdit(this.checks, doc);
    if (!edit) return undefined;
    const a = new vscode.CodeAction('Fix all Keyway problems in this file', FIX_ALL_KIND);
    a.edit = edit;
    return a;
  }
}

/** Core's multi-pass fix result for `doc`, and one edit replacing the document with it when it changed anything. */
export async function fixAllEdit(checks: FixChecks, doc: vscode.TextDocument): Promise<{ edit?: vscode.WorkspaceEdit; result: Core.FixTextResult }> {
  const fixed = await checks.fixAll(doc);
  if (!fixed.changed) return { result: fixed.result };
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(fixed.text.length)), fixed.result.text);
  return { edit, result: fixed.result };
}
