// "Create in <other side>…": adds a name that one side lacks. The value is asked for; a SecureString's or a secret's
// value is copied from the other side only when the user picks that explicitly (a plain String offers the copy first).
// Checks run before any call (core/manage); the new value is read back before the view refreshes.
import type * as Aws from '../../../aws/index';
import * as manage from '../../../core/manage';
import { loadAws, loadCore } from '../../lazy';
import type { Prompter } from '../../manage/prompter';
import type { ExplorerSession } from '../../session';
import { errorText } from '../errors';
import type { CompareOutcome } from './compareModel';
import type { Row } from './nodes/compareNode';

export interface CreatedMissing { name: string; kind: 'parameter' | 'secret'; copied: boolean }

export async function createMissing(session: ExplorerSession, prompter: Prompter, outcome: CompareOutcome, row: Row): Promise<CreatedMissing | undefined> {
  const source = row.a ?? row.b;
  if (!source || (row.a && row.b)) return undefined;
  const result = outcome.results.find((r) => r.kind === row.kind);
  if (!result) return undefined;
  const [la, lb] = outcome.labels;
  const [fromLabel, toLabel] = row.a ? [la, lb] : [lb, la];
  const [core, aws] = await Promise.all([loadCore(), loadAws()]);
  const targetName = core.store.joinName(row.a ? result.b : result.a, row.rel);
  const cur = await session.ensure();
  if (cur.connection.instance !== outcome.connectionInstance) {
    prompter.error('Keyway: this comparison belongs to a previous AWS connection; run it again.');
    return undefined;
  }
  const secure = row.kind === 'secret' || source.type === 'SecureString';
  const what = row.kind === 'secret' ? 'secret' : `${source.type} parameter`;
  const title = `Keyway: create ${targetName} in ${toLabel}`;
  const copyChoice = { label: `Copy the value from ${fromLabel}`, value: 'copy' as const, description: secure ? `reads ${source.name} decrypted and writes it to ${toLabel}` : source.name };
  const typeChoice = { label: 'Enter a new value', value: 'type' as const, description: secure ? `recommended: each stage its own ${row.kind === 'secret' ? 'secret' : 'key'}` : undefined };
  const how = await prompter.pick<'copy' | 'type'>('valueSource', {
    title, placeholder: secure ? `${source.name} is a ${what}: its value is copied only if you choose to` : 'Where does the value come from?',
    choices: secure ? [typeChoice, copyChoice] : [copyChoice, typeChoice],
  });
  if (!how) return undefined;
  const m = new aws.ManageService(cur.connection);
  let value: string | undefined;
  try {
    value = how === 'copy'
      ? (row.kind === 'parameter' ? (await m.getParameter(source.name)).value : (await m.getSecret(source.name)).value)
      : await prompter.input('value', {
        title, prompt: `The value for ${targetName}. It is sent only to AWS and never logged.`, password: secure,
        validate: (v) => manage.validateNew({ store: row.kind, name: targetName, value: v, region: cur.connection.region }).filter((p) => p.field === 'value').map((p) => p.message)[0],
      });
  } catch (e) {
    prompter.error(`Keyway: could not read ${source.name}. ${errorText(e)}`);
    return undefined;
  }
  if (value === undefined) return undefined;
  const problems = manage.validateNew({ store: row.kind, name: targetName, value, region: cur.connection.region });
  if (problems.length) {
    prompter.error(`Keyway: ${targetName} cannot be created. ${problems.map((p) => p.message).join(' ')}`);
    return undefined;
  }
  const size = manage.checkSize(row.kind, value, source.tier === 'Advanced' ? 'Advanced' : 'Standard');
  const tier = (size.tier ?? 'Standard') as Aws.Tier;
  const cost = manage.monthlyCost(row.kind === 'secret' ? 'SecretsManager' : secure ? 'SecureString' : 'String', tier);
  const keyNote = row.kind === 'parameter' && secure && source.keyId && source.keyId !== 'alias/aws/ssm' ? `\nKMS key: alias/aws/ssm (${fromLabel} uses ${source.keyId}; change it in the console if ${toLabel} has its own).` : '';
  const rotationNote = row.kind === 'secret' && source.rotation && source.rotation !== 'off' ? `\nRotation (${source.rotation} in ${fromLabel}) is not copied: configure it on the new secret.` : '';
  const ok = await prompter.confirm('confirmCreate', {
    message: `Create ${targetName} as a ${what}${tier === 'Advanced' ? ' (Advanced tier)' : ''}?`,
    detail: `${how === 'copy' ? `The value is copied from ${source.name}.` : 'With the value you entered.'}\nMonthly cost: ${cost.text}.${keyNote}${rotationNote}`,
    buttons: ['Create'],
  });
  if (ok !== 'Create') return undefined;
  try {
    if (row.kind === 'parameter') {
      await m.createParameter({ name: targetName, value, type: source.type as Aws.ParameterType, tier, description: `Created by Keyway to match ${source.name}`, dataType: source.dataType && source.dataType !== 'text' ? source.dataType : undefined });
      const back = await m.getParameter(targetName);
      if (back.value !== value) throw new Error('the value read back differs from the value written');
    } else {
      await m.createSecret({ name: targetName, value, description: `Created by Keyway to match ${source.name}` });
      const back = await m.getSecret(targetName);
      if (back.value !== value) throw new Error('the value read back differs from the value written');
    }
  } catch (e) {
    prompter.error(`Keyway: ${targetName} was not created. ${errorText(e)}`);
    return undefined;
  }
  void cur.index[row.kind === 'parameter' ? 'parameters' : 'secrets'].reload();
  prompter.info(`Keyway: created ${targetName} in ${toLabel}.`);
  return { name: targetName, kind: row.kind, copied: how === 'copy' };
}
