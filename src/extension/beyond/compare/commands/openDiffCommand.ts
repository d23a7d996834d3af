// "Open Side by Side" on a name both sides have: the diff editor, masked; Reveal/Hide in the editor title.
import * as vscode from 'vscode';
import { BeyondCommand } from '../../command';
import { errorText } from '../../errors';
import { CompareRowNode } from '../nodes/rowNode';
import { COMPARE_SCHEME } from '../sideBySide';

export class OpenDiffCommand extends BeyondCommand {
  readonly id = 'keyway.compare.openDiff';
  protected override readonly callsAws = false;
  async execute(node?: unknown) {
    if (!(node instanceof CompareRowNode) || !node.row.a || !node.row.b) return undefined;
    return this.ctx.sideBySide.open(node.outcome, node.row);
  }
}

function activeCompareUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri && arg.scheme === COMPARE_SCHEME) return arg;
  const doc = vscode.window.activeTextEditor?.document;
  return doc?.uri.scheme === COMPARE_SCHEME ? doc.uri : undefined;
}

export class RevealDiffCommand extends BeyondCommand {
  readonly id = 'keyway.compare.revealDiff';
  async execute(arg?: unknown) {
    const pair = this.ctx.sideBySide.pairOf(activeCompareUri(arg));
    if (!pair) return false;
    try {
      await this.ctx.sideBySide.reveal(pair, this.ctx.session.settings.revealSeconds);
      return true;
    } catch (e) {
      this.ctx.prompter.error(`Keyway: could not read the values. ${errorText(e)}`);
      return false;
    }
  }
}

export class HideDiffCommand extends BeyondCommand {
  readonly id = 'keyway.compare.hideDiff';
  protected override readonly callsAws = false;
  execute(arg?: unknown) {
    const pair = this.ctx.sideBySide.pairOf(activeCompareUri(arg));
    if (pair) this.ctx.sideBySide.hide(pair);
  }
}
