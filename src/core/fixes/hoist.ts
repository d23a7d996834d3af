// client-in-handler fix: move the client construction to module scope (shared with every other function that
// builds the same client, or reusing one already there).
import type { ClientNew, FileModel } from '../lambda/model';
import type { Fix, SourceContext } from '../types';
import { planClient } from './clients';
import { planToFix, type FixPlan } from './plan';
import { detectStyle } from './style';

export function hoistClientPlan(ctx: SourceContext, m: FileModel, client: ClientNew): FixPlan | undefined {
  const c = planClient(ctx, m, client);
  if (!c) return undefined;
  return {
    title: `Move the ${client.className} client to module scope`,
    edits: c.edits,
    decls: [c.decl],
    style: detectStyle(ctx.sourceFile, ctx.path),
  };
}

export function hoistClientFix(ctx: SourceContext, m: FileModel, client: ClientNew): Fix | undefined {
  const plan = hoistClientPlan(ctx, m, client);
  return plan && planToFix(ctx, plan);
}
