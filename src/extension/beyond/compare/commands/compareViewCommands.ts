// The Compare view's title actions: run again, swap the sides, cancel, close.
import { BeyondCommand } from '../../command';

export class RerunCompareCommand extends BeyondCommand {
  readonly id = 'keyway.compare.rerun';
  execute() { return this.ctx.compare.rerun(); }
}

export class SwapCompareCommand extends BeyondCommand {
  readonly id = 'keyway.compare.swap';
  execute() { return this.ctx.compare.swap(); }
}

export class CancelCompareCommand extends BeyondCommand {
  readonly id = 'keyway.compare.cancel';
  protected override readonly callsAws = false;
  execute() { this.ctx.compare.cancel(); }
}

export class CloseCompareCommand extends BeyondCommand {
  readonly id = 'keyway.compare.close';
  protected override readonly callsAws = false;
  execute() { this.ctx.compare.clear(); }
}
