// The audit's fixes, done safely: a conversion creates the new value first, reads it back and compares it (by keyed
// hash, in memory), and removes the old one only after the caller's confirmation; a failure at any step leaves the
// old value where it was and undoes what the fix created. Every write goes through ManageService after the caller's
// validation (core/manage), so invalid input costs no API call. Values never leave this module except to AWS.
import type { Connection } from './connection';
import { KeywayAwsError } from './errors';
import { valueHash } from './hash';
import { ManageService, type ParameterType, type Tier } from './manage';
import type { ParameterMeta, SecretMeta } from './model';

export interface FixStep { step: string; ok: boolean; detail?: string }

export interface FixOutcome {
  /** The fix went all the way (the old item removed or changed as planned). */
  done: boolean;
  /** The user declined a confirmation: what was created is kept or undone as `message` says. */
  declined?: boolean;
  steps: FixStep[];
  /** One or two sentences for the user: what happened and where every value is now. */
  message: string;
  /** Names created and kept (for a refresh of the views). */
  created?: string[];
  removed?: string[];
}

export interface FixHooks {
  /** Asks before anything is removed or rotated; resolves true to go on. */
  confirm(q: { message: string; detail: string; button: string }): Promise<boolean>;
  /** core/manage validateNew: problems with a value for a store (empty when fine). Runs before any write. */
  validate(store: 'parameter' | 'secret', name: string, value: string): string[];
  /** Recovery window for scheduled secret deletions (default 30 days). */
  recoveryDays?: number;
}

const STANDARD_MAX = 4 * 1024;

function why(e: unknown): string {
  if (e instanceof KeywayAwsError) return `${e.info.message} ${e.info.nextStep}`;
  return (e as Error).message ?? String(e);
}

class Steps {
  readonly list: FixStep[] = [];
  ok(step: string, detail?: string) { this.list.push({ step, ok: true, ...(detail ? { detail } : {}) }); }
  fail(step: string, e: unknown) { this.list.push({ step, ok: false, detail: why(e) }); }
}

/** Secret → parameter (SecureString or String): create, verify, confirm, schedule the secret's deletion. */
export async function convertSecretToParameter(conn: Connection, secret: SecretMeta, target: { name: string; type: 'SecureString' | 'String' }, hooks: FixHooks): Promise<FixOutcome> {
  const m = new ManageService(conn);
  const s = new Steps();
  let value: string;
  try {
    value = (await m.getSecret(secret.name)).value;
    s.ok(`read ${secret.name}`);
  } catch (e) {
    s.fail(`read ${secret.name}`, e);
    return { done: false, steps: s.list, message: `Nothing changed: ${secret.name} could not be read. ${why(e)}` };
  }
  const problems = hooks.validate('parameter', target.name, value);
  if (problems.length) return { done: false, steps: s.list, message: `Nothing changed: ${target.name} cannot hold this value. ${problems.join(' ')}` };
  const tier: Tier = Buffer.byteLength(value, 'utf8') > STANDARD_MAX ? 'Advanced' : 'Standard';
  let tags: Record<string, string> = {};
  try { tags = await m.secretTags(secret.name); } catch { tags = secret.tags ?? {}; }
  try {
    await m.createParameter({ name: target.name, value, type: target.type, tier, description: secret.description ?? `Moved from Secrets Manager (${secret.name}) by Keyway`, tags });
    s.ok(`create ${target.name} (${target.type}, ${tier})`);
  } catch (e) {
    s.fail(`create ${target.name}`, e);
    return { done: false, steps: s.list, message: `Nothing changed: ${target.name} could not be created. ${why(e)}` };
  }
  try {
    const back = await m.getParameter(target.name);
    if (valueHash(back.value) !== valueHash(value) || back.type !== target.type) throw new Error('the value read back differs from the value written');
    s.ok(`verify ${target.name}`);
  } catch (e) {
    s.fail(`verify ${target.name}`, e);
    try { await m.deleteParameter(target.name); s.ok(`undo: delete ${target.name}`); } catch (e2) { s.fail(`undo: delete ${target.name}`, e2); }
    return { done: false, steps: s.list, message: `Nothing changed: ${target.name} did not read back the same, so it was removed again; ${secret.name} is untouched. ${why(e)}` };
  }
  const days = hooks.recoveryDays ?? 30;
  const go = await hooks.confirm({
    message: `${target.name} holds the same value. Schedule ${secret.name} for deletion?`,
    detail: `The secret can be restored for ${days} days. Code still reading ${secret.name} from Secrets Manager fails once it is scheduled: update it to read ${target.name} first (Find References).`,
    button: 'Schedule Deletion',
  });
  if (!go) return { done: false, declined: true, steps: s.list, created: [target.name], message: `Created ${target.name}; ${secret.name} is kept. Delete it when nothing reads it any more.` };
  try {
    await m.deleteSecret(secret.name, { recoveryDays: days });
    s.ok(`schedule deletion of ${secret.name} (${days} days)`);
  } catch (e) {
    s.fail(`schedule deletion of ${secret.name}`, e);
    return { done: false, steps: s.list, created: [target.name], message: `Created ${target.name}, but ${secret.name} could not be scheduled for deletion; both hold the value. ${why(e)}` };
  }
  return { done: true, steps: s.list, created: [target.name], removed: [secret.name], message: `Moved ${secret.name} to ${target.name} (${target.type}); the secret can be restored for ${days} days.` };
}

/** String → SecureString in place: a new version written only if nobody changed it since, verified, reverted on a mismatch. */
export async function convertToSecureString(conn: Connection, meta: ParameterMeta, hooks: FixHooks): Promise<FixOutcome> {
  const m = new ManageService(conn);
  const s = new Steps();
  let cur: Awaited<ReturnType<ManageService['getParameter']>>;
  try {
    cur = await m.getParameter(meta.name);
    s.ok(`read ${meta.name} (v${cur.version})`);
  } catch (e) {
    s.fail(`read ${meta.name}`, e);
    return { done: false, steps: s.list, message: `Nothing changed: ${meta.name} could not be read. ${why(e)}` };
  }
  if (cur.type === 'SecureString') return { done: true, steps: s.list, message: `${meta.name} is already a SecureString.` };
  const problems = hooks.validate('parameter', meta.name, cur.value);
  if (problems.length) return { done: false, steps: s.list, message: `Nothing changed: ${problems.join(' ')}` };
  const go = await hooks.confirm({
    message: `Make ${meta.name} a SecureString?`,
    detail: `Writes v${cur.version + 1} with the same value, encrypted with KMS (alias/aws/ssm). Earlier versions stay in the history in plain text. Code reading it needs WithDecryption: true.`,
    button: 'Make SecureString',
  });
  if (!go) return { done: false, declined: true, steps: s.list, message: `Nothing changed: ${meta.name} is still a ${cur.type}.` };
  const tier = (meta.tier === 'Advanced' ? 'Advanced' : undefined) as Tier | undefined;
  let version: number;
  try {
    version = await m.putParameterVersion({ name: meta.name, value: cur.value, type: 'SecureString', tier, expectedVersion: cur.version });
    s.ok(`write v${version} as SecureString`);
  } catch (e) {
    s.fail('write as SecureString', e);
    return { done: false, steps: s.list, message: `Nothing changed: ${why(e)}` };
  }
  try {
    const back = await m.getParameter(meta.name);
    if (back.type !== 'SecureString' || valueHash(back.value) !== valueHash(cur.value)) throw new Error('the value or type read back differs');
    s.ok(`verify v${back.version}`);
  } catch (e) {
    s.fail('verify', e);
    try { await m.putParameterVersion({ name: meta.name, value: cur.value, type: (cur.type ?? 'String') as ParameterType, tier }); s.ok(`undo: rewrite the ${cur.type} value`); } catch (e2) { s.fail('undo', e2); }
    return { done: false, steps: s.list, message: `${meta.name} did not read back as written, so its ${cur.type} value was written again; v${cur.version} still holds it. ${why(e)}` };
  }
  return { done: true, steps: s.list, message: `${meta.name} is now a SecureString (v${version}). Versions up to v${cur.version} stay in the history in plain text; add WithDecryption: true where the code reads it.` };
}

function backupName(name: string, taken: (n: string) => Promise<boolean>): Promise<string> {
  return (async () => {
    const base = `${name}.keyway-backup`;
    if (!(await taken(base))) return base;
    return `${base}-${Date.now().toString(36)}`;
  })();
}

/** Advanced → Standard: back up, confirm, delete, recreate in Standard, verify, drop the backup; restore from it on failure. */
export async function recreateAsStandard(conn: Connection, meta: ParameterMeta, hooks: FixHooks): Promise<FixOutcome> {
  const m = new ManageService(conn);
  const s = new Steps();
  let cur: Awaited<ReturnType<ManageService['getParameter']>>;
  let tags: Record<string, string> = {};
  try {
    cur = await m.getParameter(meta.name);
    tags = await m.parameterTags(meta.name);
    s.ok(`read ${meta.name} (v${cur.version})`);
  } catch (e) {
    s.fail(`read ${meta.name}`, e);
    return { done: false, steps: s.list, message: `Nothing changed: ${meta.name} could not be read. ${why(e)}` };
  }
  if (Buffer.byteLength(cur.value, 'utf8') > STANDARD_MAX) return { done: false, steps: s.list, message: `Nothing changed: the value of ${meta.name} no longer fits the Standard tier.` };
  if (meta.policies?.length) return { done: false, steps: s.list, message: `Nothing changed: ${meta.name} uses parameter policies, which need the Advanced tier.` };
  const type = (cur.type ?? meta.type ?? 'String') as ParameterType;
  const attrs = { type, description: meta.description, keyId: meta.keyId, dataType: meta.dataType, allowedPattern: meta.allowedPattern, tags };
  const problems = hooks.validate('parameter', meta.name, cur.value);
  if (problems.length) return { done: false, steps: s.list, message: `Nothing changed: ${problems.join(' ')}` };
  const exists = async (n: string) => { try { await m.getParameter(n); return true; } catch (e) { if (e instanceof KeywayAwsError && e.info.kind === 'NotFound') return false; throw e; } };
  let backup: string;
  try {
    backup = await backupName(meta.name, exists);
    await m.createParameter({ name: backup, value: cur.value, ...attrs, tier: 'Standard', description: `Keyway backup of ${meta.name} v${cur.version}`, tags: {} });
    const back = await m.getParameter(backup);
    if (valueHash(back.value) !== valueHash(cur.value)) throw new Error('the backup read back differs');
    s.ok(`back up to ${backup}`);
  } catch (e) {
    s.fail('back up', e);
    return { done: false, steps: s.list, message: `Nothing changed: the backup could not be made. ${why(e)}` };
  }
  const dropBackup = async () => { try { await m.deleteParameter(backup); s.ok(`delete the backup ${backup}`); return true; } catch (e) { s.fail(`delete the backup ${backup}`, e); return false; } };
  const go = await hooks.confirm({
    message: `Delete ${meta.name} and create it again in the Standard tier?`,
    detail: `AWS cannot move a parameter from Advanced to Standard. Its ${cur.version} version${cur.version === 1 ? '' : 's'} of history and labels are not carried over; the value, type, KMS key, description and tags are. A verified backup is at ${backup} until the new parameter reads back the same.`,
    button: 'Recreate in Standard',
  });
  if (!go) {
    await dropBackup();
    return { done: false, declined: true, steps: s.list, message: `Nothing changed: ${meta.name} stays in the Advanced tier.` };
  }
  try {
    await m.deleteParameter(meta.name);
    s.ok(`delete ${meta.name}`);
  } catch (e) {
    s.fail(`delete ${meta.name}`, e);
    await dropBackup();
    return { done: false, steps: s.list, message: `Nothing changed: ${meta.name} could not be deleted. ${why(e)}` };
  }
  try {
    await m.createParameter({ name: meta.name, value: cur.value, ...attrs, tier: 'Standard' });
    const back = await m.getParameter(meta.name);
    if (valueHash(back.value) !== valueHash(cur.value)) throw new Error('the value read back differs');
    s.ok(`create ${meta.name} (Standard) and verify`);
  } catch (e) {
    s.fail(`create ${meta.name} (Standard)`, e);
    // Put the original back from the verified copy (Advanced, as it was), then drop the copy.
    try {
      try { await m.deleteParameter(meta.name); } catch { /* it may not exist */ }
      await m.createParameter({ name: meta.name, value: cur.value, ...attrs, tier: 'Advanced' });
      s.ok(`restore ${meta.name} (Advanced) from ${backup}`);
      await dropBackup();
      return { done: false, steps: s.list, message: `${meta.name} could not be created in the Standard tier, so it was restored as it was (Advanced, history restarted). ${why(e)}` };
    } catch (e2) {
      s.fail(`restore ${meta.name}`, e2);
      return { done: false, steps: s.list, message: `${meta.name} could not be recreated; its value is safe in ${backup}. ${why(e2)}` };
    }
  }
  const dropped = await dropBackup();
  return {
    done: true, steps: s.list, created: [meta.name], removed: dropped ? [] : undefined,
    message: `${meta.name} is now a Standard parameter (saves $0.05 a month; history restarted at v1).${dropped ? '' : ` The backup ${backup} could not be deleted: remove it by hand.`}`,
  };
}

/** Rotate now, after confirmation. */
export async function rotateSecretNow(conn: Connection, secret: SecretMeta, hooks: FixHooks): Promise<FixOutcome> {
  const s = new Steps();
  if (!secret.rotationEnabled && !secret.rotationLambdaArn) return { done: false, steps: s.list, message: `${secret.name} has no rotation configured: use Configure Rotation… first.` };
  const go = await hooks.confirm({ message: `Rotate ${secret.name} now?`, detail: 'The rotation Lambda creates a new value and moves AWSCURRENT to it; the current value stays available as AWSPREVIOUS.', button: 'Rotate Now' });
  if (!go) return { done: false, declined: true, steps: s.list, message: 'Nothing changed.' };
  try {
    await new ManageService(conn).rotateNow(secret.name);
    s.ok(`rotate ${secret.name}`);
    return { done: true, steps: s.list, message: `Rotation of ${secret.name} started; the explorer shows the new version when it finishes.` };
  } catch (e) {
    s.fail(`rotate ${secret.name}`, e);
    return { done: false, steps: s.list, message: `The rotation could not start; ${secret.name} is unchanged. ${why(e)}` };
  }
}

export async function restoreScheduledSecret(conn: Connection, secret: SecretMeta, hooks: FixHooks): Promise<FixOutcome> {
  const s = new Steps();
  const go = await hooks.confirm({ message: `Restore ${secret.name}?`, detail: 'Cancels the scheduled deletion; the secret and its versions come back unchanged (and are billed again, $0.40 a month).', button: 'Restore' });
  if (!go) return { done: false, declined: true, steps: s.list, message: 'Nothing changed.' };
  try {
    await new ManageService(conn).restoreSecret(secret.name);
    s.ok(`restore ${secret.name}`);
    return { done: true, steps: s.list, message: `Restored ${secret.name}.` };
  } catch (e) {
    s.fail(`restore ${secret.name}`, e);
    return { done: false, steps: s.list, message: `${secret.name} could not be restored. ${why(e)}` };
  }
}

export async function scheduleSecretDeletion(conn: Connection, secret: SecretMeta, hooks: FixHooks): Promise<FixOutcome> {
  const s = new Steps();
  const days = hooks.recoveryDays ?? 30;
  const go = await hooks.confirm({ message: `Schedule ${secret.name} for deletion?`, detail: `It can be restored for ${days} days. Reads fail from now on: check Find References first.`, button: 'Schedule Deletion' });
  if (!go) return { done: false, declined: true, steps: s.list, message: 'Nothing changed.' };
  try {
    await new ManageService(conn).deleteSecret(secret.name, { recoveryDays: days });
    s.ok(`schedule deletion of ${secret.name}`);
    return { done: true, steps: s.list, removed: [secret.name], message: `${secret.name} is scheduled for deletion; Restore brings it back for ${days} days.` };
  } catch (e) {
    s.fail(`schedule deletion of ${secret.name}`, e);
    return { done: false, steps: s.list, message: `${secret.name} could not be scheduled for deletion. ${why(e)}` };
  }
}

export type AuditFixAction = 'convert-secret-to-securestring' | 'convert-secret-to-string' | 'convert-to-securestring' | 'recreate-standard' | 'rotate-now' | 'restore-secret' | 'schedule-deletion';

/** Runs the fix an audit finding names. `target` is the parameter name for conversions out of Secrets Manager. */
export function applyAuditFix(conn: Connection, action: AuditFixAction, meta: ParameterMeta | SecretMeta, hooks: FixHooks, target?: string): Promise<FixOutcome> {
  const secret = () => { if (meta.kind !== 'secret') throw new Error(`${action} applies to secrets`); return meta; };
  const param = () => { if (meta.kind !== 'parameter') throw new Error(`${action} applies to parameters`); return meta; };
  switch (action) {
    case 'convert-secret-to-securestring': return convertSecretToParameter(conn, secret(), { name: target ?? meta.name, type: 'SecureString' }, hooks);
    case 'convert-secret-to-string': return convertSecretToParameter(conn, secret(), { name: target ?? meta.name, type: 'String' }, hooks);
    case 'convert-to-securestring': return convertToSecureString(conn, param(), hooks);
    case 'recreate-standard': return recreateAsStandard(conn, param(), hooks);
    case 'rotate-now': return rotateSecretNow(conn, secret(), hooks);
    case 'restore-secret': return restoreScheduledSecret(conn, secret(), hooks);
    case 'schedule-deletion': return scheduleSecretDeletion(conn, secret(), hooks);
  }
}
