// "New value…": name, value, the three questions (Sensitive? Needs rotation?), the cost, then create
// and read back. Every check runs before any API call; a failed call loses nothing (Retry keeps the answers).
import type * as Aws from '../../aws/index';
import * as manage from '../../core/manage';
import { loadAws } from '../lazy';
import type { ExplorerSession } from '../session';
import type { Prompter } from './prompter';

export interface CreateRequest {
  /** Prefilled name (a folder's path, or a name from code). */
  name?: string;
  /** Prefilled value (the editor selection, or the literal being moved). */
  value?: string;
  /** Answer of the first question when the caller already knows (e.g. moving a detected secret). */
  sensitiveDefault?: boolean;
  title?: string;
  /** The value is given (moving a literal): do not ask for it. */
  valueLocked?: boolean;
  /**
   * Called after the decision and every check, before anything is created: may refuse (with a reason),
   * or tell the flow to reuse an existing value with the same content instead of creating one.
   */
  prepare?: (d: { store: 'parameter' | 'secret'; name: string; destination: manage.Destination }) => Promise<{ ok: true; reuse?: boolean } | { ok: false; reason?: string }>;
}

export interface Created {
  store: 'parameter' | 'secret';
  name: string;
  destination: manage.Destination;
  tier?: 'Standard' | 'Advanced';
  /** Version (parameters) or version id (secrets) that was read back. */
  version: string;
}

const TITLE = 'Keyway: New value';

/** Runs the flow. Returns undefined when the user cancels; never throws (errors go to the prompter). */
export async function createFlow(session: ExplorerSession, prompter: Prompter, req: CreateRequest = {}): Promise<Created | undefined> {
  const title = req.title ?? TITLE;
  const cur = await session.ensure();
  const region = cur.connection.region;

  // 1. Name (checked against the rules of both stores now, and of the chosen store below).
  let name = await prompter.input('name', {
    title: `${title} (1/5): name`,
    prompt: 'Full name, e.g. /my-app/production/api-key. Letters, digits and _ . - / (secrets also allow + = @).',
    value: req.name,
    validate: (v) => {
      const p = manage.validateParameterName(v, region);
      const s = manage.validateSecretName(v);
      return p && s ? p : undefined;
    },
  });
  if (name === undefined) return undefined;
  name = name.trim();

  // 2. Value.
  const value = req.valueLocked && req.value !== undefined ? req.value : await prompter.input('value', {
    title: `${title} (2/5): value`,
    prompt: 'The value. It is masked here, sent only to AWS, and never logged.',
    value: req.value,
    password: true,
    validate: (v) => {
      if (!v) return 'Enter a value: AWS does not store empty values.';
      if (manage.byteLength(v) > manage.SECRET_MAX) return manage.checkSize('secret', v).message;
      return manage.checkJson(name!, v);
    },
  });
  if (value === undefined) return undefined;

  // 3. The three questions, in order.
  const sensitive = await prompter.pick<boolean>('sensitive', {
    title: `${title} (3/5): is it sensitive?`,
    placeholder: 'Would it hurt if this value leaked? (passwords, keys, tokens, connection strings: yes)',
    choices: [
      { label: req.sensitiveDefault === false ? 'No' : 'Yes', value: req.sensitiveDefault !== false, description: req.sensitiveDefault !== false ? 'sensitive: encrypted with KMS' : 'plain configuration' },
      { label: req.sensitiveDefault === false ? 'Yes' : 'No', value: req.sensitiveDefault === false, description: req.sensitiveDefault === false ? 'sensitive: encrypted with KMS' : 'plain configuration: table names, URLs, flags' },
    ],
  });
  if (sensitive === undefined) return undefined;
  let rotation = false;
  if (sensitive) {
    const r = await prompter.pick<boolean>('rotation', {
      title: `${title} (4/5): does it need automatic rotation?`,
      placeholder: 'Database credentials and credentials your policy says must rotate: yes. A static API key: no.',
      choices: [
        { label: 'No', value: false, description: 'Parameter Store SecureString: KMS encryption, no extra cost' },
        { label: 'Yes', value: true, description: 'Secrets Manager: rotation with a Lambda, version stages, replication' },
      ],
    });
    if (r === undefined) return undefined;
    rotation = r;
  }
  const destination = manage.decide(sensitive, rotation);
  const store: Created['store'] = destination === 'SecretsManager' ? 'secret' : 'parameter';

  // Checks for the chosen store: name rules and size (tier).
  const nameProblem = store === 'parameter' ? manage.validateParameterName(name, region) : manage.validateSecretName(name);
  if (nameProblem) {
    prompter.error(`Keyway: ${name} cannot be a ${store === 'parameter' ? 'parameter' : 'secret'} name. ${nameProblem}`);
    return undefined;
  }
  const size = manage.checkSize(store, value);
  if (!size.ok) {
    prompter.error(`Keyway: ${size.message}`);
    return undefined;
  }
  if (size.message) prompter.info(`Keyway: ${size.message}`);

  let rotationConfig: { lambdaArn: string; schedule: string } | undefined;
  if (store === 'secret') {
    const lambdaArn = await prompter.input('rotationLambda', {
      title: `${title}: rotation function`,
      prompt: 'ARN of the rotation Lambda (AWS provides templates for RDS, Aurora and Redshift). Leave empty to configure rotation later.',
      validate: (v) => (v.trim() === '' ? undefined : manage.validateLambdaArn(v)),
    });
    if (lambdaArn === undefined) return undefined;
    if (lambdaArn.trim()) {
      let schedule = await prompter.pick<string>('rotationSchedule', {
        title: `${title}: rotation schedule`,
        placeholder: 'How often should it rotate?',
        choices: [
          { label: 'Every 30 days', value: '30' }, { label: 'Every 60 days', value: '60' }, { label: 'Every 90 days', value: '90' },
          { label: 'Custom…', value: 'custom', description: 'rate(…) or cron(…)' },
        ],
      });
      if (schedule === undefined) return undefined;
      if (schedule === 'custom') {
        schedule = await prompter.input('rotationExpression', { title: `${title}: rotation schedule`, prompt: 'rate(10 days), rate(12 hours) or cron(0 8 1 * ? *)', validate: manage.validateSchedule });
        if (schedule === undefined) return undefined;
      }
      rotationConfig = { lambdaArn: lambdaArn.trim(), schedule };
    } else {
      prompter.info('Keyway: the secret will be created without rotation for now; use "Configure Rotation…" on it once the rotation Lambda exists.');
    }
  }

  // 5. The cost, before confirming.
  const cost = manage.monthlyCost(destination, size.tier);
  const label = destination === 'SecretsManager' ? 'Secrets Manager secret' : `Parameter Store ${destination}${size.tier === 'Advanced' ? ' (advanced tier)' : ''}`;
  const ok = await prompter.confirm('confirm', {
    message: `Create ${name} as a ${label}?`,
    detail: `Monthly cost: ${cost.text}.${rotationConfig ? `\nRotation: ${rotationConfig.schedule.match(/^\d+$/) ? `every ${rotationConfig.schedule} days` : rotationConfig.schedule}.` : ''}\nRegion: ${region}.`,
    buttons: ['Create'],
  });
  if (ok !== 'Create') return undefined;
  if (req.prepare) {
    const prep = await req.prepare({ store, name, destination });
    if (!prep.ok) {
      if (prep.reason) prompter.error(`Keyway: ${prep.reason}`);
      return undefined;
    }
    if (prep.reuse) return { store, name, destination, tier: size.tier, version: 'existing' };
  }
  return performCreate(session, prompter, { store, name, value, destination, tier: size.tier, rotation: rotationConfig });
}

/** Creates and reads back; on failure the error says why and offers Retry with the same answers. */
export async function performCreate(
  session: ExplorerSession, prompter: Prompter,
  c: { store: Created['store']; name: string; value: string; destination: manage.Destination; tier?: 'Standard' | 'Advanced'; rotation?: { lambdaArn: string; schedule: string } },
): Promise<Created | undefined> {
  const aws = await loadAws();
  for (;;) {
    const cur = await session.ensure();
    const svc = new aws.ManageService(cur.connection);
    try {
      let version: string;
      if (c.store === 'parameter') {
        await svc.createParameter({ name: c.name, value: c.value, type: c.destination === 'String' ? 'String' : 'SecureString', tier: c.tier });
        const back = await svc.getParameter(c.name);
        if (back.value !== c.value) throw new Error('the value read back differs from the value written');
        version = String(back.version);
      } else {
        await svc.createSecret({ name: c.name, value: c.value, rotation: c.rotation });
        const back = await svc.getSecret(c.name);
        if (back.value !== c.value) throw new Error('the value read back differs from the value written');
        version = back.versionId;
      }
      void cur.index[c.store === 'parameter' ? 'parameters' : 'secrets'].reload();
      prompter.info(`Keyway: created ${c.name} (${c.destination === 'SecretsManager' ? 'Secrets Manager' : `Parameter Store ${c.destination}`}).`);
      return { store: c.store, name: c.name, destination: c.destination, tier: c.tier, version };
    } catch (e) {
      const info = (e as { info?: Aws.AwsErrorInfo }).info;
      const why = info ? `${info.message} ${info.nextStep}` : (e as Error).message;
      const again = await prompter.confirm('createFailed', { message: `Keyway could not create ${c.name}.`, detail: `${why}\nNothing was changed in your code. Your answers are kept: Retry uses them again.`, buttons: ['Retry'] });
      if (again !== 'Retry') return undefined;
    }
  }
}
