// Verification of fixes in the editor, before anything is applied: a quick fix that would make the file parse
// worse, declare a name twice or leave its finding in place is offered disabled, with the reason
// (`CodeAction.disabled`); TypeScript fixes are type-checked against the project's tsconfig.json when the user asks
// for the menu (Ctrl+., the light bulb: one that would add a type error is offered disabled with the reason) or, from
// the automatic light bulb, when picked (code-action resolve: not applied, and says why). Fix All
// goes through core's planner with the same options as `keyway scan --fix`, so both give the same text.
import * as vscode from 'vscode';
import type * as Core from '../../core/index';
import type { Finding, Fix } from '../../core/types';
import { loadCore } from '../lazy';
import type { Log } from '../log';
import type { DiagnosticsController } from './diagnostics';

/** Type-checking projects are kept this long, then rebuilt (the files around them change). */
const PROJECT_MAX_AGE_MS = 5 * 60_000;

export class FixChecks {
  /** Quick-check result per fix object (fixes belong to one analysed document version). */
  private readonly quick = new WeakMap<Fix, string | null>();
  /** Type-check result per fix object, once it was checked (when the menu was asked for, or the fix picked). */
  private readonly typed = new WeakMap<Fix, string | null>();
  private verifier?: Core.FixTypeChecker;

  constructor(private readonly diagnostics: DiagnosticsController, private readonly log?: Log) {}

  /** Why `fix` must not be applied to `doc` as it is now, or undefined (parse, declarations, the finding gone). */
  quickReason(core: typeof Core, doc: vscode.TextDocument, findings: readonly Finding[], finding: Finding, fix: Fix): string | undefined {
    const hit = this.quick.get(fix);
    if (hit !== undefined) return hit ?? undefined;
    let reason: string | undefined;
    try {
      reason = core.checkFix(doc.fileName, doc.getText(), finding, fix, this.diagnostics.fixOptions(core, doc), findings);
    } catch (e) {
      reason = `it could not be checked (${(e as Error).message})`;
    }
    this.quick.set(fix, reason ?? null);
    if (reason) this.log?.info(`Fix "${fix.title}" not offered in ${vscode.workspace.asRelativePath(doc.uri)}: ${reason}`);
    return reason;
  }

  /** Whether a fix of `doc` is type-checked when picked (TypeScript under a tsconfig.json). */
  async needsTypeCheck(doc: vscode.TextDocument): Promise<boolean> {
    if (!/\.[cm]?tsx?$/i.test(doc.fileName)) return false;
    const core = await loadCore();
    return !!core.findTsconfig(doc.fileName);
  }

  /** The type-check result of `fix` if it was checked already: a reason, null (it passed), or undefined (not yet). */
  knownTypeReason(fix: Fix): string | null | undefined {
    return this.typed.get(fix);
  }

  /** Why `fix` applied to `doc` as it is now would type-check worse, or undefined; checked once per fix. */
  async fixTypeReason(core: typeof Core, doc: vscode.TextDocument, fix: Fix): Promise<string | undefined> {
    const hit = this.typed.get(fix);
    if (hit !== undefined) return hit ?? undefined;
    const before = doc.getText();
    const reason = await this.typeReason(doc, before, core.applyEdits(before, fix.edits));
    this.typed.set(fix, reason ?? null);
    if (reason) this.log?.info(`Fix "${fix.title}" not offered in ${vscode.workspace.asRelativePath(doc.uri)}: ${reason}`);
    return reason;
  }

  /** Why applying `edits` to `before` would type-check worse, or undefined. */
  async typeReason(doc: vscode.TextDocument, before: string, after: string): Promise<string | undefined> {
    const verifier = await this.typeChecker();
    try {
      return verifier.verify([{ path: doc.fileName, before, after }]).get(doc.fileName);
    } catch (e) {
      this.log?.warn(`Type-check of a fix failed: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** The type-checker (dist/typecheck.js: ts-morph with its lib files), loaded on first use. */
  private async typeChecker(): Promise<Core.FixTypeChecker> {
    if (!this.verifier) {
      const { FixVerifier } = await import('../../core/fixes/typecheck');
      this.verifier = new FixVerifier({ maxAgeMs: PROJECT_MAX_AGE_MS });
    }
    return this.verifier;
  }

  /** Fix All for one document through core's planner (type-checked); failures are shown, never applied. */
  async fixAll(doc: vscode.TextDocument): Promise<{ text: string; result: Core.FixTextResult; changed: boolean }> {
    const core = await loadCore();
    const text = doc.getText();
    const result = core.fixText(doc.fileName, text, { ...this.diagnostics.fixOptions(core, doc), verifier: await this.typeChecker() });
    if (result.failed.length) {
      const first = result.failed[0];
      const more = result.failed.length > 1 ? ` (${result.failed.length - 1} more in the Keyway log)` : '';
      for (const f of result.failed) this.log?.warn(`Fix not applied in ${vscode.workspace.asRelativePath(doc.uri)}:${f.line} (${f.ruleId}): ${f.reason}`);
      void vscode.window.showWarningMessage(`Keyway could not fix ${f0(first)}: ${first.reason}${more}. Nothing was changed for it.`);
    }
    if (result.text === text) return { text, result, changed: false };
    for (const f of result.fixed) this.log?.info(`Fix all in ${vscode.workspace.asRelativePath(doc.uri)}: fixed ${f.ruleId} on line ${f.line}`);
    return { text, result, changed: true };
  }
}

function f0(f: Core.FailedFix): string {
  return `${f.ruleId} on line ${f.line}`;
}
