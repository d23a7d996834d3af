// Deploy-time variables in names, resolved for one stage: serverless `${sls:stage}`, `${opt:stage}`,
// `${self:provider.stage}`, CloudFormation `!Sub` parameters named like a stage (`${Stage}`, `${Environment}`), pseudo
// parameters (`${AWS::Region}`, `${AWS::AccountId}`), and the environment variables code reads the stage from
// (`process.env.STAGE`). Anything else comes from `vars` (`--var NAME=value`). Pure.

export interface StageOptions {
  stage: string;
  /** Extra variables: IaC `${NAME}`, serverless `${env:NAME}` / `${param:NAME}`, and `process.env.NAME` in code. */
  vars?: Readonly<Record<string, string>>;
  region?: string;
  account?: string;
}

/** Template parameters and variables that name the stage (compared case-insensitively). */
export const STAGE_VARIABLES = ['stage', 'stagename', 'environment', 'environmentname', 'env', 'envname', 'deploymentstage', 'deploystage'];

/** Environment variables code reads the stage from, set to the stage unless the IaC or `vars` say otherwise. */
export const STAGE_ENV_VARS = ['STAGE', 'STAGE_NAME', 'ENV', 'ENVIRONMENT', 'APP_ENV', 'APP_STAGE', 'DEPLOY_STAGE', 'SLS_STAGE', 'SERVERLESS_STAGE'];

export interface Substituted { text: string; unresolved: string[] }

function resolveOne(expr: string, o: StageOptions): string | undefined {
  const e = expr.trim();
  // serverless `${opt:stage, 'dev'}`: the stage given wins over the default
  const first = e.split(',')[0].trim();
  if (/^(sls:stage|opt:stage|self:provider\.stage|provider\.stage)$/.test(first)) return o.stage;
  if (/^(AWS::Region|aws:region|opt:region|self:provider\.region)$/.test(first)) return o.region;
  if (/^(AWS::AccountId|aws:accountId)$/.test(first)) return o.account;
  if (/^AWS::Partition$/.test(first)) return o.region?.startsWith('cn-') ? 'aws-cn' : o.region?.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  const ns = /^(env|param|self:custom|opt):(.+)$/.exec(first);
  const name = ns ? ns[2] : first;
  if (o.vars && Object.prototype.hasOwnProperty.call(o.vars, name)) return o.vars[name];
  if (!ns && STAGE_VARIABLES.includes(name.toLowerCase())) return o.stage;
  if (ns?.[1] === 'env' && STAGE_ENV_VARS.includes(name)) return o.stage;
  return undefined;
}

/**
 * Replaces every `${…}` it can resolve; the others are kept and listed in `unresolved`. Nested variables
 * (`${ssm:/app/${sls:stage}/x}`) are resolved from the inside out.
 */
export function substituteStage(text: string, o: StageOptions): Substituted {
  const unresolved = new Set<string>();
  let t = text;
  for (let pass = 0; pass < 4 && t.includes('${'); pass++) {
    let changed = false;
    t = t.replace(/\$\{([^{}]*)\}/g, (whole, inner: string) => {
      const v = resolveOne(inner, o);
      if (v === undefined) return whole;
      changed = true;
      return v;
    });
    if (!changed) break;
  }
  for (const m of t.matchAll(/\$\{([^{}]*)\}/g)) unresolved.add(m[1].trim());
  return { text: t, unresolved: [...unresolved] };
}

/**
 * Without IaC nothing says what a variable holds: `process.env.NAME` reads as `${env:NAME}`, so the name keeps the
 * variable (reported as not checked, resolvable with `vars`) instead of being cut to the part before it.
 */
class PlaceholderEnv extends Map<string, string> {
  override get(key: string): string | undefined {
    return super.get(key) ?? `\${env:${key}}`;
  }
}

/**
 * The environment a handler runs with at `stage`: the IaC's values with their variables resolved, then `vars`. Without
 * IaC (`iacEnv` undefined) nothing says what the environment holds, so the usual stage variables hold the stage.
 */
export function stageEnvironment(iacEnv: ReadonlyMap<string, string> | undefined, o: StageOptions): Map<string, string> {
  const env = iacEnv ? new Map<string, string>() : new PlaceholderEnv();
  if (!iacEnv) for (const k of STAGE_ENV_VARS) env.set(k, o.stage);
  iacEnv ??= new Map();
  for (const [k, v] of iacEnv) env.set(k, substituteStage(v, o).text);
  for (const [k, v] of Object.entries(o.vars ?? {})) env.set(k, v);
  return env;
}
