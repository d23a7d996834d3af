// Explorer commands that change values: create, edit, history and labels, diff, restore, rotation,
// replication, delete and restore, tags. Confirmations name the item; nothing loses a value.
import * as vscode from 'vscode';
import type * as Aws from '../../aws/index';
import * as manage from '../../core/manage';
import { copySecretValue } from '../clipboard';
import { loadAws } from '../lazy';
import type { ExplorerSession } from '../session';
import { isoDate } from '../views/format';
import { FolderNode, JsonKeyNode, ParameterNode, SecretNode, type ExplorerNode } from '../views/nodes';
import type { Views } from '../views/register';
import { createFlow, type CreateRequest, type Created } from './create';
import { COMPARE_SCHEME, publishValue, ValueEditorProvider, VALUE_EDITOR } from './editor';
import { vscodePrompter, type Prompter } from './prompter';
import { moveSecret } from './move';
import { generatePolicy } from '../iam';
import type { Finding } from '../../core/types';
import type { Log } from '../log';

export const VERSION_SCHEME = 'keyway-version';

export interface Manage {
  /** The prompts the manage commands use (tests swap in a scripted one). */
  prompter: Prompter;
  /** The value editor (custom editor on `keyway-value:`; drafts in memory only). */
  values: ValueEditorProvider;
  /** The "New value…" flow with a given prompter (the command uses the VS Code one). */
  create(prompter: Prompter, req: CreateRequest): Promise<Created | undefined>;
}

type ItemNode = ParameterNode | SecretNode;

export function registerManage(context: vscode.ExtensionContext, deps: { session: ExplorerSession; views: Views; log: Log }): Manage {
  const { session, views } = deps;
  const state = { prompter: vscodePrompter, create: (pr: Prompter, req: CreateRequest) => createFlow(session, pr, req) } as Manage;
  const values = new ValueEditorProvider(session, () => state.prompter, deps.log);
  state.values = values;
  const versions = new Map<string, string>();
  context.subscriptions.push(
    values,
    vscode.window.registerCustomEditorProvider(VALUE_EDITOR, values, { supportsMultipleEditorsPerDocument: false, webviewOptions: { retainContextWhenHidden: true } }),
    vscode.workspace.registerTextDocumentContentProvider(COMPARE_SCHEME, values),
    vscode.workspace.registerTextDocumentContentProvider(VERSION_SCHEME, { provideTextDocumentContent: (u) => versions.get(u.toString()) ?? '' }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme === COMPARE_SCHEME) values.forgetCompare(d.uri);
      if (d.uri.scheme === VERSION_SCHEME) versions.delete(d.uri.toString());
    }),
  );
  const reg = (id: string, fn: (...args: never[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  const p = () => state.prompter;
  const svc = async () => {
    const [aws, cur] = await Promise.all([loadAws(), session.ensure()]);
    return { svc: new aws.ManageService(cur.connection), cur, aws };
  };
  const errorText = (e: unknown) => {
    const info = (e as { info?: Aws.AwsErrorInfo }).info;
    return info ? `${info.message} ${info.nextStep}` : (e as Error).message;
  };
  const item = (n: ExplorerNode | undefined): ItemNode | undefined => {
    const x = n instanceof JsonKeyNode ? n.owner : n;
    if (x instanceof ParameterNode || x instanceof SecretNode) return x;
    for (const v of Object.values(views.views)) {
      const s = v.selection[0];
      const y = s instanceof JsonKeyNode ? s.owner : s;
      if (v.visible && (y instanceof ParameterNode || y instanceof SecretNode)) return y;
    }
    return undefined;
  };
  const reload = (store: 'parameters' | 'secrets') => views.trees[store].reload();
  const guard = async (what: string, fn: () => Promise<unknown>) => {
    try { await fn(); } catch (e) { p().error(`Keyway: ${what} failed. ${errorText(e)}`); }
  };

  reg('keyway.createValue', async (arg?: ExplorerNode | CreateRequest | { name?: string; kind?: string }) => {
    session.allowByUser(); // an explicit act (view title, folder menu, palette, Ctrl+Alt+N)
    const req: CreateRequest = {};
    if (arg instanceof FolderNode) req.name = `${arg.folder.path}/`;
    else if (arg && !(arg instanceof ParameterNode || arg instanceof SecretNode || arg instanceof JsonKeyNode)) Object.assign(req, arg);
    const sel = vscode.window.activeTextEditor?.selection;
    if (req.value === undefined && sel && !sel.isEmpty) {
      const use = await p().pick<boolean>('useSelection', {
        title: 'Keyway: New value', placeholder: 'Use the selected text as the value?',
        choices: [{ label: 'Use the selection', value: true, description: `${vscode.window.activeTextEditor!.document.getText(sel).length} characters` }, { label: 'Type a value', value: false }],
      });
      if (use === undefined) return undefined;
      if (use) req.value = vscode.window.activeTextEditor!.document.getText(sel);
    }
    return createFlow(session, p(), req);
  });

  reg('keyway.moveSecret', async (uri?: vscode.Uri, finding?: Finding) => {
    if (!uri || !finding) return undefined;
    if (session.restricted) { p().error('Keyway: moving a secret writes to AWS, which Restricted Mode does not do from the editor. Trust this folder first.'); return undefined; }
    try {
      return await moveSecret(session, p(), uri, finding);
    } catch (e) {
      p().error(`Keyway: moving the secret failed; your code is unchanged. ${errorText(e)}`);
      return undefined;
    }
  });

  reg('keyway.generatePolicy', async (pick?: { functionName?: string; output?: 'json' | 'snippet' | 'insert' }) => {
    try {
      return await generatePolicy(session, p(), pick);
    } catch (e) {
      p().error(`Keyway: could not generate the policy. ${errorText(e)}`);
      return undefined;
    }
  });

  reg('keyway.editValue', async (n?: ExplorerNode) => {
    const it = item(n);
    if (!it) return;
    await guard(`Opening ${it.name}`, () => values.open(it instanceof ParameterNode ? 'parameter' : 'secret', it.name));
  });

  reg('keyway.publishValue', (uri?: vscode.Uri) => publishValue(values, p(), uri instanceof vscode.Uri ? uri : undefined));
  reg('keyway.compareValue', async (uri?: vscode.Uri) => {
    const doc = uri instanceof vscode.Uri ? values.document(uri) : values.active();
    if (!doc) { p().info('Keyway: open a value with Edit Value first.'); return; }
    await guard(`Comparing ${doc.name}`, () => values.compareWithCurrent(doc));
  });

  reg('keyway.showHistory', async (n?: ExplorerNode) => {
    const it = item(n);
    if (!it) return;
    await guard(`History of ${it.name}`, async () => {
      const { svc: m } = await svc();
      if (it instanceof ParameterNode) {
        const history = await m.parameterHistory(it.name);
        const secure = it.meta.type === 'SecureString';
        const chosen = await p().pick<number>('version', {
          title: `History of ${it.name}`,
          placeholder: 'Pick a version to diff, label or restore',
          choices: [...history].reverse().map((h) => ({
            label: `v${h.version}${h.version === history[history.length - 1].version ? ' (current)' : ''}`,
            description: [isoDate(h.lastModified), h.lastModifiedUser, h.labels.length ? `labels: ${h.labels.join(', ')}` : ''].filter(Boolean).join(' · '),
            detail: secure ? '••••••••' : h.value.slice(0, 120),
            value: h.version,
          })),
        });
        if (chosen === undefined) return;
        const action = await p().pick<string>('versionAction', {
          title: `${it.name} v${chosen}`, placeholder: 'What do you want to do with this version?',
          choices: [
            { label: 'Diff with current', value: 'diff' }, { label: 'Diff with another version…', value: 'diff2' },
            { label: 'Restore as a new version', value: 'restore', description: 'writes its value as the next version; nothing is rewound' },
            { label: 'Add label…', value: 'label' }, { label: 'Remove label…', value: 'unlabel' },
          ],
        });
        const current = history[history.length - 1].version;
        if (action === 'diff' || action === 'diff2') {
          let other = current;
          if (action === 'diff2') {
            const o = await p().pick<number>('otherVersion', { title: 'Diff with', placeholder: 'Pick the other version', choices: history.filter((h) => h.version !== chosen).map((h) => ({ label: `v${h.version}`, value: h.version })) });
            if (o === undefined) return;
            other = o;
          }
          await openVersionDiff(versions, it.name, history, chosen, other, secure);
        } else if (action === 'restore') {
          const ok = await p().confirm('restore', { message: `Restore ${it.name} v${chosen} as v${current + 1}?`, detail: 'Every version stays retrievable.', buttons: ['Restore'] });
          if (ok !== 'Restore') return;
          const v = await m.restoreParameterVersion(it.name, chosen, current);
          p().info(`Keyway: ${it.name} is now v${v}, with the value of v${chosen}.`);
          reload('parameters');
        } else if (action === 'label') {
          const label = await p().input('label', { title: `Label ${it.name} v${chosen}`, prompt: 'Label (letters, digits, . - _; not starting with a digit, "aws" or "ssm")', validate: (v) => (/^(?![0-9]|aws|ssm)[a-zA-Z0-9_.-]{1,100}$/i.test(v) ? undefined : 'Labels use letters, digits, . - _, up to 100 characters, and cannot start with a digit, "aws" or "ssm".') });
          if (!label) return;
          const invalid = await m.labelParameterVersion(it.name, chosen, [label]);
          if (invalid.length) p().error(`Keyway: AWS refused the label ${invalid.join(', ')}.`);
          else p().info(`Keyway: labelled ${it.name} v${chosen} "${label}".`);
        } else if (action === 'unlabel') {
          const labels = history.find((h) => h.version === chosen)?.labels ?? [];
          if (!labels.length) { p().info(`Keyway: v${chosen} has no labels.`); return; }
          const label = await p().pick<string>('unlabel', { title: `Remove a label from v${chosen}`, placeholder: 'Label', choices: labels.map((l) => ({ label: l, value: l })) });
          if (label) await m.unlabelParameterVersion(it.name, chosen, [label]);
        }
      } else {
        const list = await m.secretVersions(it.name);
        const chosen = await p().pick<string>('secretVersion', {
          title: `Versions of ${it.name}`, placeholder: 'Pick a version to make current',
          choices: [...list].reverse().map((v) => ({ label: v.stages.length ? v.stages.join(', ') : '(no stage)', description: `${v.versionId} · ${isoDate(v.created)}`, value: v.versionId })),
        });
        if (!chosen) return;
        const current = list.find((v) => v.stages.includes('AWSCURRENT'));
        if (current?.versionId === chosen) { p().info('Keyway: that version is already AWSCURRENT.'); return; }
        const ok = await p().confirm('moveCurrent', { message: `Make version ${chosen.slice(0, 8)} of ${it.name} AWSCURRENT?`, detail: 'Applications reading the secret get this version from now on. The version that is current now becomes AWSPREVIOUS; no value is lost.', buttons: ['Make Current'] });
        if (ok !== 'Make Current') return;
        await m.moveCurrent(it.name, chosen);
        p().info(`Keyway: AWSCURRENT of ${it.name} is now ${chosen.slice(0, 8)}.`);
        reload('secrets');
      }
    });
  });

  reg('keyway.rotateNow', async (n?: ExplorerNode) => {
    const it = item(n);
    if (!(it instanceof SecretNode)) return;
    if (!it.meta.rotationEnabled) { p().error(`Keyway: rotation is not configured for ${it.name}. Use "Configure Rotation…" first.`); return; }
    const ok = await p().confirm('rotateNow', { message: `Rotate ${it.name} now?`, detail: 'The rotation Lambda creates a new value and moves AWSCURRENT to it. The current value stays as AWSPREVIOUS.', buttons: ['Rotate Now'] });
    if (ok !== 'Rotate Now') return;
    await guard(`Rotating ${it.name}`, async () => { await (await svc()).svc.rotateNow(it.name); p().info(`Keyway: rotation of ${it.name} started.`); reload('secrets'); });
  });

  reg('keyway.configureRotation', async (n?: ExplorerNode) => {
    const it = item(n);
    if (!(it instanceof SecretNode)) return;
    const lambdaArn = await p().input('rotationLambda', { title: `Rotation of ${it.name}`, prompt: 'ARN of the rotation Lambda', value: it.meta.rotationLambdaArn, validate: manage.validateLambdaArn });
    if (lambdaArn === undefined) return;
    let schedule = await p().pick<string>('rotationSchedule', { title: `Rotation of ${it.name}`, placeholder: 'Schedule', choices: [{ label: 'Every 30 days', value: '30' }, { label: 'Every 60 days', value: '60' }, { label: 'Every 90 days', value: '90' }, { label: 'Custom…', value: 'custom' }] });
    if (schedule === undefined) return;
    if (schedule === 'custom') schedule = await p().input('rotationExpression', { title: 'Rotation schedule', prompt: 'rate(…) or cron(…)', value: it.meta.rotationSchedule, validate: manage.validateSchedule });
    if (!schedule) return;
    await guard(`Configuring rotation of ${it.name}`, async () => { await (await svc()).svc.setRotation(it.name, lambdaArn.trim(), schedule!); p().info(`Keyway: rotation of ${it.name} configured.`); reload('secrets'); });
  });

  reg('keyway.disableRotation', async (n?: ExplorerNode) => {
    const it = item(n);
    if (!(it instanceof SecretNode)) return;
    const ok = await p().confirm('disableRotation', { message: `Turn off rotation of ${it.name}?`, detail: 'The value stops changing on schedule. You can configure rotation again later.', buttons: ['Turn Off Rotation'] });
    if (ok !== 'Turn Off Rotation') return;
    await guard(`Turning off rotation of ${it.name}`, async () => { await (await svc()).svc.disableRotation(it.name); reload('secrets'); });
  });

  reg('keyway.addReplica', async (n?: ExplorerNode) => {
    const it = item(n);
    if (!(it instanceof SecretNode)) return;
    const aws = await loadAws();
    const region = await p().pick<string>('replicaRegion', { title: `Replicate ${it.name}`, placeholder: 'Region to add a replica in', choices: aws.listRegions().filter((r) => r.id !== session.current?.connection.region).map((r) => ({ label: r.id, description: r.name, value: r.id })) });
    if (!region) return;
    await guard(`Replicating ${it.name}`, async () => { await (await svc()).svc.addReplica(it.name, region); p().info(`Keyway: replicating ${it.name} to ${region}.`); reload('secrets'); });
  });

  reg('keyway.deleteValue', async (n?: ExplorerNode) => {
    const it = item(n);
    if (!it) return;
    await guard(`Deleting ${it.name}`, async () => {
      const { svc: m, cur } = await svc();
      if (it instanceof ParameterNode) {
        let ok = await p().confirm('deleteParameter', { message: `Delete the parameter ${it.name}?`, detail: 'Parameter Store keeps no copy: the value and its whole history are gone.', buttons: ['Delete', 'Copy Value First'] });
        if (ok === 'Copy Value First') {
          await copySecretValue((await cur.values.getParameterValue(it.name, { fresh: true })).value, session.settings.revealSeconds);
          ok = await p().confirm('deleteParameterAfterCopy', { message: `The value of ${it.name} is on the clipboard (for ${session.settings.revealSeconds} s). Delete the parameter now?`, buttons: ['Delete'] });
        }
        if (ok !== 'Delete') return;
        await m.deleteParameter(it.name);
        p().info(`Keyway: deleted ${it.name}.`);
        reload('parameters');
        return;
      }
      const days = await p().pick<number>('recoveryWindow', {
        title: `Delete the secret ${it.name}`, placeholder: 'Recovery window: the secret can be restored until it ends',
        choices: [30, 14, 7].map((d) => ({ label: `${d} days`, value: d, description: d === 30 ? 'default' : undefined }))
          .concat([{ label: 'Another number of days (7–30)…', value: -1, description: undefined }, { label: 'Delete immediately, without recovery…', value: 0, description: 'cannot be undone' }]),
      });
      if (days === undefined) return;
      let window = days;
      if (days === -1) {
        const typed = await p().input('recoveryDays', { title: `Delete the secret ${it.name}`, prompt: 'Recovery window in days (7 to 30)', value: '30', validate: (v) => manage.validateRecoveryDays(Number(v)) });
        if (typed === undefined) return;
        window = Number(typed);
      }
      if (days === 0) {
        const first = await p().confirm('forceDelete', { message: `Delete ${it.name} immediately, without any recovery window?`, detail: 'This cannot be undone.', buttons: ['Continue'] });
        if (first !== 'Continue') return;
        const typed = await p().input('forceDeleteName', { title: 'Confirm permanent deletion', prompt: `Type the secret's name to delete it for good: ${it.name}`, validate: (v) => (v === it.name ? undefined : 'Type the exact name to confirm.') });
        if (typed !== it.name) return;
        await m.deleteSecret(it.name, { force: true });
        p().info(`Keyway: deleted ${it.name} permanently.`);
      } else {
        const ok = await p().confirm('deleteSecret', { message: `Schedule ${it.name} for deletion in ${window} days?`, detail: 'Until then it can be restored from the explorer (Restore).', buttons: ['Schedule Deletion'] });
        if (ok !== 'Schedule Deletion') return;
        const when = await m.deleteSecret(it.name, { recoveryDays: window });
        p().info(`Keyway: ${it.name} will be deleted on ${isoDate(when)}; Restore is available until then.`);
      }
      reload('secrets');
    });
  });

  reg('keyway.restoreSecret', async (n?: ExplorerNode) => {
    const it = item(n);
    if (!(it instanceof SecretNode)) return;
    await guard(`Restoring ${it.name}`, async () => { await (await svc()).svc.restoreSecret(it.name); p().info(`Keyway: restored ${it.name}.`); reload('secrets'); });
  });

  reg('keyway.editTags', async (n?: ExplorerNode) => {
    const it = item(n);
    if (!it) return;
    await guard(`Tags of ${it.name}`, async () => {
      const { svc: m } = await svc();
      const isParam = it instanceof ParameterNode;
      const tags = isParam ? await m.parameterTags(it.name) : await m.secretTags(it.name);
      const choice = await p().pick<string>('tag', {
        title: `Tags of ${it.name}`, placeholder: 'Pick a tag to remove, or add one',
        choices: [{ label: '$(add) Add or change a tag…', value: '+' }, ...Object.entries(tags).map(([k, v]) => ({ label: `$(trash) ${k}`, description: v, value: k }))],
      });
      if (choice === undefined) return;
      if (choice === '+') {
        const kv = await p().input('tagValue', { title: 'Tag', prompt: 'key=value', validate: (v) => (/^[^=]{1,128}=.{0,256}$/.test(v) ? undefined : 'Write key=value (key up to 128 characters, value up to 256).') });
        if (!kv) return;
        const [k, ...rest] = kv.split('=');
        if (isParam) await m.setParameterTags(it.name, { [k]: rest.join('=') }, []); else await m.setSecretTags(it.name, { [k]: rest.join('=') }, []);
      } else {
        if (isParam) await m.setParameterTags(it.name, {}, [choice]); else await m.setSecretTags(it.name, {}, [choice]);
      }
      reload(isParam ? 'parameters' : 'secrets');
    });
  });

  return state;
}

/** Opens a diff of two parameter versions; SecureString values are masked until "Reveal" is chosen. */
async function openVersionDiff(versions: Map<string, string>, name: string, history: Aws.ParameterVersion[], a: number, b: number, secure: boolean): Promise<void> {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  let reveal = !secure;
  if (secure) {
    const r = await vscode.window.showInformationMessage(`${name} is a SecureString: the diff shows masked values.`, 'Show Masked', 'Reveal Values');
    if (r === undefined) return;
    reveal = r === 'Reveal Values';
  }
  const text = (v: number) => {
    const value = history.find((h) => h.version === v)?.value ?? '';
    return reveal ? value : value.replace(/[^\n]/g, '•');
  };
  const uri = (v: number) => vscode.Uri.from({ scheme: VERSION_SCHEME, path: `${name.startsWith('/') ? '' : '/'}${name}`, query: `v=${v}&masked=${reveal ? 0 : 1}&t=${Date.now()}` });
  const left = uri(lo);
  const right = uri(hi);
  versions.set(left.toString(), text(lo));
  versions.set(right.toString(), text(hi));
  await vscode.commands.executeCommand('vscode.diff', left, right, `${name}: v${lo} ↔ v${hi}${reveal ? '' : ' (masked)'}`);
}
