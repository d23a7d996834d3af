// Each command of the beyond-browsing features is its own class (GitLens style): an id and an execute(). Commands
// get their collaborators from one BeyondContext, and their prompts from a swappable Prompter (tests script it).
import * as vscode from 'vscode';
import type { Log } from '../log';
import type { Prompter } from '../manage/prompter';
import type { RevealedValues } from '../reveal';
import type { ExplorerSession } from '../session';
import type { Views } from '../views/register';
import type { AuditTree } from './audit/auditTree';
import type { CompareTree } from './compare/compareTree';
import type { SideBySide } from './compare/sideBySide';
import type { VerifyDiagnostics } from './verify/verifyDiagnostics';

export interface BeyondContext {
  session: ExplorerSession;
  views: Views;
  log: Log;
  reveals: RevealedValues;
  /** The prompts of every flow (the VS Code one; tests put a ScriptedPrompter here). */
  prompter: Prompter;
  compare: CompareTree;
  sideBySide: SideBySide;
  audit: AuditTree;
  verify: VerifyDiagnostics;
}

export abstract class BeyondCommand {
  abstract readonly id: string;
  /** Running it is an explicit act that may call AWS (allowed in Restricted Mode, like the sidebar's own actions). */
  protected readonly callsAws: boolean = true;
  constructor(protected readonly ctx: BeyondContext) {}
  abstract execute(...args: unknown[]): unknown;
  register(context: vscode.ExtensionContext): void {
    context.subscriptions.push(vscode.commands.registerCommand(this.id, (...args: unknown[]) => {
      if (this.callsAws) this.ctx.session.allowByUser();
      return this.execute(...args);
    }));
  }
}
