// "Keyway: Verify Against Stage…" and "Keyway: Clear Verify Results".
import * as vscode from 'vscode';
import { loadCore } from '../../lazy';
import { BeyondCommand } from '../command';
import { errorText } from '../errors';
import { stageCandidates } from './stageCandidates';
import type { VerifyRun } from './verifyDiagnostics';

export class VerifyStageCommand extends BeyondCommand {
  readonly id = 'keyway.verifyStage';
  async execute(args?: { stage?: string; vars?: Record<string, string> }): Promise<VerifyRun | undefined> {
    const p = this.ctx.prompter;
    if (!vscode.workspace.workspaceFolders?.length) { p.info('Keyway: open the project folder to verify it.'); return undefined; }
    let stage = args?.stage;
    if (!stage) {
      const core = await loadCore();
      const known = stageCandidates(core, this.ctx.session);
      const picked = await p.pick<string>('stage', {
        title: 'Keyway: verify against stage', placeholder: 'Which stage should the names exist in (in the connected account)?',
        choices: [...known.map((k) => ({ label: k.stage, description: k.from, value: k.stage })), { label: '$(edit) Another stage…', value: '\u0000other' }],
      });
      if (picked === undefined) return undefined;
      stage = picked === '\u0000other' ? await p.input('stageName', { title: 'Keyway: verify against stage', prompt: 'Stage name (e.g. production)', validate: (v) => (/^[A-Za-z0-9_.-]+$/.test(v.trim()) ? undefined : 'Letters, digits, _ . - only.') }) : picked;
      stage = stage?.trim();
      if (!stage) return undefined;
    }
    try {
      const run = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Keyway: verifying against ${stage}`, cancellable: true },
        (_progress, token) => this.ctx.verify.run(stage!, args?.vars ?? {}, token));
      if (!run) return undefined;
      const text = run.errors
        ? `Keyway: ${run.errors} problem${run.errors === 1 ? '' : 's'} against ${stage} in ${run.files} file${run.files === 1 ? '' : 's'} (${run.checked} names checked${run.warnings ? `, ${run.warnings} not checked` : ''}).`
        : `Keyway: all ${run.checked} names the code reads exist in ${stage} with the right type and grants${run.warnings ? ` (${run.warnings} not checked)` : ''}.`;
      const show = run.errors || run.warnings ? 'Show Problems' : undefined;
      void (run.errors ? vscode.window.showWarningMessage(text, ...(show ? [show] : [])) : vscode.window.showInformationMessage(text, ...(show ? [show] : []))).then((c) => {
        if (c) void vscode.commands.executeCommand('workbench.actions.view.problems');
      });
      return run;
    } catch (e) {
      p.error(`Keyway: verify against ${stage} failed. ${errorText(e)}`);
      return undefined;
    }
  }
}

export class ClearVerifyCommand extends BeyondCommand {
  readonly id = 'keyway.clearVerify';
  protected override readonly callsAws = false;
  execute() { this.ctx.verify.clear(); }
}
