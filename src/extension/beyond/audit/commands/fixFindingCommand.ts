// "Fix…" on an audit finding: its safe fix (create new, verify, remove old only after confirmation; nothing lost if a
// step fails), then the explorer reloads and the finding shows as fixed.
import * as manage from '../../../../core/manage';
import { loadAws } from '../../../lazy';
import { BeyondCommand } from '../../command';
import { errorText } from '../../errors';
import { AuditFindingNode } from '../nodes/findingNode';

export class FixFindingCommand extends BeyondCommand {
  readonly id = 'keyway.audit.fix';
  async execute(node?: unknown) {
    if (!(node instanceof AuditFindingNode) || node.fixed) return undefined;
    const f = node.finding;
    const state = this.ctx.audit.state;
    const p = this.ctx.prompter;
    try {
      const [aws, cur] = await Promise.all([loadAws(), this.ctx.session.ensure()]);
      if (!state || cur.connection.instance !== state.connectionInstance) { p.error('Keyway: this audit belongs to a previous AWS connection; run it again.'); return undefined; }
      const store = f.kind === 'parameter' ? cur.index.parameters : cur.index.secrets;
      const meta = f.kind === 'secret' ? await cur.index.secrets.loadDetails(f.name).catch(() => cur.index.secrets.get(f.name)) : store.get(f.name);
      if (!meta) { p.error(`Keyway: ${f.name} is no longer in the ${f.kind === 'parameter' ? 'Parameter Store' : 'Secrets Manager'} listing; run the audit again.`); return undefined; }
      const start = await p.confirm('fixStart', { message: `${f.fix.title}?`, detail: f.fix.steps, buttons: ['Continue'] });
      if (start !== 'Continue') return undefined;
      const outcome = await aws.applyAuditFix(cur.connection, f.fix.action, meta, {
        confirm: async (q) => (await p.confirm('fixConfirm', { message: q.message, detail: q.detail, buttons: [q.button] })) === q.button,
        validate: (s, name, value) => manage.validateNew({ store: s, name, value, region: cur.connection.region }).map((x) => x.message),
      }, f.fix.target);
      for (const st of outcome.steps) this.ctx.log.info(`Audit fix ${f.fix.action} ${f.name}: ${st.step} ${st.ok ? 'ok' : `failed: ${st.detail ?? ''}`}`);
      if (outcome.done) {
        this.ctx.audit.markFixed(f);
        p.info(`Keyway: ${outcome.message}`);
      } else if (outcome.declined) p.info(`Keyway: ${outcome.message}`);
      else p.error(`Keyway: ${outcome.message}`);
      if (outcome.created?.length || outcome.removed?.length || outcome.done) {
        void cur.index.parameters.reload();
        void cur.index.secrets.reload();
      }
      return outcome;
    } catch (e) {
      p.error(`Keyway: the fix of ${f.name} failed; nothing was removed. ${errorText(e)}`);
      return undefined;
    }
  }
}
