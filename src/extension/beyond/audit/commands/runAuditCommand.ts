// "Keyway: Audit Account": shows the Audit view and runs the audit (again).
import * as vscode from 'vscode';
import { BeyondCommand } from '../../command';
import { AUDIT_VIEW } from '../auditTree';

export class RunAuditCommand extends BeyondCommand {
  readonly id = 'keyway.auditAccount';
  async execute() {
    void vscode.commands.executeCommand('setContext', 'keyway.audit.active', true);
    void vscode.commands.executeCommand(`${AUDIT_VIEW}.focus`);
    return this.ctx.audit.run();
  }
}

export class CancelAuditCommand extends BeyondCommand {
  readonly id = 'keyway.audit.cancel';
  protected override readonly callsAws = false;
  execute() { this.ctx.audit.cancel(); }
}

export class CloseAuditCommand extends BeyondCommand {
  readonly id = 'keyway.audit.close';
  protected override readonly callsAws = false;
  execute() { this.ctx.audit.cancel(); this.ctx.audit.clear(); }
}
