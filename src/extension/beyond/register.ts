// Wires the beyond-browsing features (issue 14): the Compare and Audit views, Verify against stage, Find References.
// Nothing here loads core or the AWS SDK; the commands do, on first use.
import * as vscode from 'vscode';
import type { Log } from '../log';
import { vscodePrompter } from '../manage/prompter';
import type { RevealedValues } from '../reveal';
import type { ExplorerSession } from '../session';
import type { Views } from '../views/register';
import { CancelAuditCommand, CloseAuditCommand, RunAuditCommand } from './audit/commands/runAuditCommand';
import { ExportAuditJsonCommand, ExportAuditMarkdownCommand } from './audit/commands/exportAuditCommand';
import { FixFindingCommand } from './audit/commands/fixFindingCommand';
import { AUDIT_VIEW, AuditTree } from './audit/auditTree';
import type { BeyondCommand, BeyondContext } from './command';
import { ComparePathsCommand } from './compare/commands/comparePathsCommand';
import { CompareWithCommand } from './compare/commands/compareWithCommand';
import { CancelCompareCommand, CloseCompareCommand, RerunCompareCommand, SwapCompareCommand } from './compare/commands/compareViewCommands';
import { CreateMissingCommand } from './compare/commands/createMissingCommand';
import { HideDiffCommand, OpenDiffCommand, RevealDiffCommand } from './compare/commands/openDiffCommand';
import { COMPARE_VIEW, CompareTree } from './compare/compareTree';
import { COMPARE_SCHEME, SideBySide } from './compare/sideBySide';
import { FindReferencesCommand } from './references/findReferencesCommand';
import { ClearVerifyCommand, VerifyStageCommand } from './verify/verifyCommands';
import { VerifyDiagnostics } from './verify/verifyDiagnostics';

export type Beyond = BeyondContext & { commands: Record<string, BeyondCommand> };

export function registerBeyond(context: vscode.ExtensionContext, deps: { session: ExplorerSession; views: Views; log: Log; reveals: RevealedValues }): Beyond {
  const compare = new CompareTree(deps.session, deps.log);
  const audit = new AuditTree(deps.session, deps.log);
  const sideBySide = new SideBySide(deps.session);
  const verify = new VerifyDiagnostics(deps.session, deps.log);
  const ctx: BeyondContext = { ...deps, prompter: vscodePrompter, compare, audit, sideBySide, verify };
  context.subscriptions.push(
    compare, audit, sideBySide, verify,
    vscode.window.createTreeView(COMPARE_VIEW, { treeDataProvider: compare, showCollapseAll: true }),
    vscode.window.createTreeView(AUDIT_VIEW, { treeDataProvider: audit, showCollapseAll: true }),
    vscode.workspace.registerTextDocumentContentProvider(COMPARE_SCHEME, sideBySide),
  );
  const list: BeyondCommand[] = [
    new CompareWithCommand(ctx), new ComparePathsCommand(ctx), new RerunCompareCommand(ctx), new SwapCompareCommand(ctx),
    new CancelCompareCommand(ctx), new CloseCompareCommand(ctx), new CreateMissingCommand(ctx), new OpenDiffCommand(ctx),
    new RevealDiffCommand(ctx), new HideDiffCommand(ctx),
    new RunAuditCommand(ctx), new CancelAuditCommand(ctx), new CloseAuditCommand(ctx), new FixFindingCommand(ctx),
    new ExportAuditMarkdownCommand(ctx), new ExportAuditJsonCommand(ctx),
    new VerifyStageCommand(ctx), new ClearVerifyCommand(ctx), new FindReferencesCommand(ctx),
  ];
  for (const c of list) c.register(context);
  const beyond = ctx as Beyond;
  beyond.commands = Object.fromEntries(list.map((c) => [c.id, c]));
  return beyond;
}
