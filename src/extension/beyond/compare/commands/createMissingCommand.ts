// "Create in <other side>…" on a name only one side has; on a group node, each missing name in turn.
import { BeyondCommand } from '../../command';
import { createMissing, type CreatedMissing } from '../createMissing';
import { CompareGroupNode } from '../nodes/groupNode';
import { CompareRowNode } from '../nodes/rowNode';

export class CreateMissingCommand extends BeyondCommand {
  readonly id = 'keyway.compare.createMissing';
  async execute(node?: unknown): Promise<CreatedMissing[] | undefined> {
    const rows = node instanceof CompareRowNode ? [node] : node instanceof CompareGroupNode ? node.children().filter((n): n is CompareRowNode => n instanceof CompareRowNode) : [];
    const targets = rows.filter((r) => r.missingSide);
    if (!targets.length) return undefined;
    const created: CreatedMissing[] = [];
    for (const r of targets) {
      const c = await createMissing(this.ctx.session, this.ctx.prompter, r.outcome, r.row);
      if (!c) break; // cancelled or failed: stop asking for the rest
      created.push(c);
    }
    if (created.length) await this.ctx.compare.rerun();
    return created;
  }
}
