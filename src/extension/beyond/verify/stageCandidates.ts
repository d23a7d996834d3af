// Stages to offer in "Verify against stage…": the IaC's own (serverless provider.stage, a template's Stage parameter
// values) and stage-like folder names in the account (`/my-app/production`).
import type * as Core from '../../../core/index';
import type { ExplorerSession } from '../../session';
import { workspaceProjects } from '../workspaceFiles';

const STAGE_WORD = /^(dev|develop|development|test|testing|qa|uat|stage|staging|stg|prod|production|prd|preprod|sandbox|demo|int|integration)$/i;

export function stageCandidates(core: typeof Core, session: ExplorerSession): { stage: string; from: string }[] {
  const out = new Map<string, string>();
  for (const p of workspaceProjects(core)) {
    for (const f of p.files) {
      if (!/\.(ya?ml|json)$/i.test(f.path) || !/stage|Stage|Environment/.test(f.text)) continue;
      const parsed = /\.json$/i.test(f.path) ? core.iac.parseJson(f.text) : core.iac.parseYaml(f.text);
      for (const root of parsed.roots) {
        const st = core.iac.scalarText(core.iac.getPath(root, 'provider', 'stage'));
        if (st && !st.includes('${') && !out.has(st)) out.set(st, 'serverless provider.stage');
        const params = core.iac.getPath(root, 'Parameters');
        if (params?.type !== 'map') continue;
        for (const e of params.entries) {
          if (!core.store.STAGE_VARIABLES.includes(String(e.key.value).toLowerCase())) continue;
          const allowed = core.iac.getPath(e.value, 'AllowedValues');
          const values = allowed?.type === 'seq' ? allowed.items.map((i) => core.iac.scalarText(i)) : [core.iac.scalarText(core.iac.getPath(e.value, 'Default'))];
          for (const v of values) if (v && !out.has(v)) out.set(v, `template parameter ${String(e.key.value)}`);
        }
      }
    }
  }
  const cur = session.indexed();
  if (cur) {
    for (const store of [cur.index.parameters, cur.index.secrets] as const) {
      const walk = (path: string, depth: number) => {
        for (const f of store.children(path).folders) {
          if (STAGE_WORD.test(f.name) && !out.has(f.name)) out.set(f.name, `folders in the account (${f.path})`);
          if (depth < 2) walk(f.path, depth + 1);
        }
      };
      walk('', 0);
    }
  }
  return [...out].map(([stage, from]) => ({ stage, from }));
}
