// Command handlers. They convert between VS Code and the plain data of the AWS layer; the work itself
// (listing, fetching values, classifying errors) happens in src/aws.
import * as vscode from 'vscode';
import type * as Aws from '../aws/index';
import * as arn from '../core/arn';
import { loadAws } from './lazy';
import type { Log } from './log';
import type { RevealedValues } from './reveal';
import type { ExplorerSession, StoreName } from './session';
import { copySecretValue } from './clipboard';
import { rememberSetting } from './settings';
import { runSsoLogin } from './ssoLogin';
import { ErrorNode, FolderNode, JsonKeyNode, ParameterNode, SecretNode, type ExplorerNode, type ValueNode } from './views/nodes';
import type { Views } from './views/register';

interface Deps { log: Log; views: Views; session: ExplorerSession; reveals: RevealedValues }

export function registerCommands(context: vscode.ExtensionContext, deps: Deps): void {
  const { session, views, reveals, log } = deps;
  const reg = (id: string, fn: (...args: never[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));

  /** The node a command acts on: its argument, or the view's selection (keyboard, palette). */
  const target = (node: ExplorerNode | undefined): ExplorerNode | undefined => {
    if (node) return node;
    for (const v of Object.values(views.views)) if (v.visible && v.selection[0]) return v.selection[0];
    return undefined;
  };
  /** Refuses nodes from a previous connection: acting on them would hit the wrong account. */
  const live = async (node: ExplorerNode | undefined) => {
    const n = target(node);
    if (!n) { void vscode.window.showInformationMessage('Select a parameter or secret in the Keyway views first.'); return undefined; }
    const cur = session.current;
    if (!cur || cur.connection.instance !== n.ctx.connectionInstance) {
      void vscode.window.showWarningMessage('That item belongs to a previous AWS connection; the views have been reloaded.');
      return undefined;
    }
    return { node: n, cur };
  };
  const errorText = (e: unknown) => {
    const info = (e as { info?: Aws.AwsErrorInfo }).info;
    return info ? `${info.message} ${info.nextStep}` : (e as Error).message;
  };

  /** Fetches a value node's value (decrypted), or a key of a JSON value. Never logged. */
  const fetchValue = async (node: ValueNode, cur: NonNullable<ExplorerSession['current']>): Promise<string> => {
    const owner = node instanceof JsonKeyNode ? node.owner : node;
    let value: string;
    if (owner instanceof ParameterNode) value = (await cur.values.getParameterValue(owner.name)).value;
    else {
      const v = await cur.values.getSecretValue(owner.name);
      value = v.value ?? (v.binary ? Buffer.from(v.binary).toString('base64') : '');
    }
    if (node instanceof JsonKeyNode) {
      const parsed = JSON.parse(value) as Record<string, unknown>;
      const x = parsed[node.jsonKey];
      return typeof x === 'string' ? x : JSON.stringify(x);
    }
    return value;
  };
  const isValueNode = (n: ExplorerNode): n is ValueNode => n instanceof ParameterNode || n instanceof SecretNode || n instanceof JsonKeyNode;

  reg('keyway.connect', () => {
    session.allowByUser();
    for (const t of Object.values(views.trees)) t.fireNow();
    return session.reconnect('Connect to AWS');
  });
  reg('keyway.refresh', (node?: ExplorerNode) => {
    session.allowByUser();
    const store = node?.ctx.store;
    if (store) views.trees[store].reload();
    else void session.reconnect('refresh');
  });
  // The views' own buttons and the palette are explicit acts: they may connect in Restricted Mode.
  reg('keyway.refreshParameters', () => { session.allowByUser(); views.trees.parameters.reload(); });
  reg('keyway.refreshSecrets', () => { session.allowByUser(); views.trees.secrets.reload(); });
  reg('keyway.reconnect', () => { session.allowByUser(); return session.reconnect('reconnect command'); });
  reg('keyway.cancelParameters', () => views.trees.parameters.cancel());
  reg('keyway.cancelSecrets', () => views.trees.secrets.cancel());
  reg('keyway.showLog', () => log.show());

  const filter = async (store: StoreName) => {
    const tree = views.trees[store];
    const text = await vscode.window.showInputBox({
      title: `Filter ${store === 'parameters' ? 'Parameter Store' : 'Secrets Manager'} by name`,
      prompt: 'Part of a name, e.g. "production/db" (case-insensitive). Empty clears the filter.',
      value: tree.filter,
    });
    if (text !== undefined) tree.setFilter(text);
  };
  reg('keyway.filterParameters', () => filter('parameters'));
  reg('keyway.filterSecrets', () => filter('secrets'));
  reg('keyway.clearFilterParameters', () => views.trees.parameters.setFilter(''));
  reg('keyway.clearFilterSecrets', () => views.trees.secrets.setFilter(''));

  reg('keyway.retry', (node?: ErrorNode) => {
    if (!(node instanceof ErrorNode)) return;
    const tree = views.trees[node.ctx.store];
    if (node.retry === 'listing') tree.retryListing();
    else {
      session.current?.values.clear(node.retry.owner instanceof ParameterNode ? 'parameter' : 'secret', node.retry.owner.name);
      tree.fireNow();
    }
  });

  reg('keyway.revealValue', async (arg?: ExplorerNode) => {
    const t = await live(arg);
    if (!t || !isValueNode(t.node)) return;
    const node = t.node;
    try {
      const value = await fetchValue(node, t.cur);
      reveals.set(node.key, value, session.settings.revealSeconds);
      if (node instanceof ParameterNode) {
        const aws = await loadAws();
        views.trees.parameters.setJsonKeys(node.name, aws.jsonObjectKeys(value));
      }
    } catch (e) {
      void vscode.window.showErrorMessage(`Keyway: could not read the value. ${errorText(e)}`);
    }
  });
  reg('keyway.hideValue', (arg?: ExplorerNode) => {
    const n = target(arg);
    if (n) reveals.delete(n.key);
  });
  reg('keyway.copyValue', async (arg?: ExplorerNode) => {
    const t = await live(arg);
    if (!t || !isValueNode(t.node)) return;
    try {
      const value = await fetchValue(t.node, t.cur);
      const seconds = session.settings.revealSeconds;
      await copySecretValue(value, seconds);
      const what = t.node instanceof JsonKeyNode ? `${t.node.owner.name} → ${t.node.jsonKey}` : t.node.name;
      void vscode.window.setStatusBarMessage(`$(check) Keyway: copied the value of ${what}; the clipboard clears in ${seconds} s`, 4000);
    } catch (e) {
      void vscode.window.showErrorMessage(`Keyway: could not read the value. ${errorText(e)}`);
    }
  });
  reg('keyway.copyName', async (arg?: ExplorerNode) => {
    const n = target(arg);
    const name = n instanceof FolderNode ? `${n.folder.path}/` : n instanceof JsonKeyNode ? n.owner.name : n instanceof ParameterNode || n instanceof SecretNode ? n.name : undefined;
    if (name) await vscode.env.clipboard.writeText(name);
  });
  reg('keyway.copyArn', async (arg?: ExplorerNode) => {
    const t = await live(arg);
    if (!t) return;
    const n = t.node instanceof JsonKeyNode ? t.node.owner : t.node;
    const region = t.cur.connection.region;
    let value: string | undefined;
    if (n instanceof SecretNode && n.meta.arn) value = n.meta.arn;
    else if (n instanceof ParameterNode && n.meta.arn) value = n.meta.arn;
    else {
      let account = t.cur.identity?.account;
      if (!account) {
        try { account = (await t.cur.connection.whoAmI()).account; } catch (e) {
          void vscode.window.showErrorMessage(`Keyway: the account id is needed for the ARN. ${errorText(e)}`);
          return;
        }
      }
      if (n instanceof ParameterNode) value = arn.parameterArn(region, account, n.name);
      else if (n instanceof FolderNode) {
        value = n.ctx.store === 'parameters' ? `${arn.parameterArn(region, account, n.folder.path)}/*` : `arn:${arn.partitionOf(region)}:secretsmanager:${region}:${account}:secret:${n.folder.path}/*`;
      }
    }
    if (value) await vscode.env.clipboard.writeText(value);
  });
  reg('keyway.openInConsole', async (arg?: ExplorerNode) => {
    const t = await live(arg);
    if (!t) return;
    const n = t.node instanceof JsonKeyNode ? t.node.owner : t.node;
    const region = t.cur.connection.region;
    const url = n instanceof ParameterNode ? arn.parameterConsoleUrl(region, n.name)
      : n instanceof SecretNode ? arn.secretConsoleUrl(region, n.name)
        : n instanceof FolderNode ? (n.ctx.store === 'parameters' ? arn.parameterFolderConsoleUrl(region, n.folder.path) : arn.secretFolderConsoleUrl(region, n.folder.path))
          : undefined;
    if (!url) return;
    if (t.cur.connection.endpoint) {
      const go = await vscode.window.showWarningMessage(`Keyway is connected to a local endpoint (${t.cur.connection.endpoint}); the AWS Console shows real AWS, where this item may not exist.`, 'Open Anyway');
      if (go !== 'Open Anyway') return;
    }
    await vscode.env.openExternal(vscode.Uri.parse(url, true));
  });

  reg('keyway.selectProfile', async () => {
    session.allowByUser();
    const aws = await loadAws();
    const s = session.settings;
    let profiles: Aws.ProfileInfo[] = [];
    try { profiles = await aws.listProfiles(); } catch (e) { log.warn(`Could not read the AWS config files: ${(e as Error).message}`); }
    type P = vscode.QuickPickItem & { profile: string };
    const items: P[] = [
      { label: '$(globe) Default credential chain', description: 'AWS_PROFILE, environment variables, then [default]', profile: '' },
      ...profiles.map((p) => ({
        label: `${p.name === s.profile ? '$(check) ' : ''}${p.name}`,
        description: [p.kind === 'sso' ? 'SSO' : p.kind === 'role' ? `role${p.mfa ? ' + MFA' : ''}` : p.kind, p.region, p.endpointUrl ? `endpoint ${p.endpointUrl}` : ''].filter(Boolean).join(' · '),
        profile: p.name,
      })),
    ];
    const pick = await vscode.window.showQuickPick(items, { title: 'Keyway: AWS profile (1/2)', placeHolder: profiles.length ? 'Pick the profile Keyway uses' : 'No profiles found in ~/.aws/config or ~/.aws/credentials', matchOnDescription: true });
    if (!pick) return;
    const chosen = profiles.find((p) => p.name === pick.profile);
    type R = vscode.QuickPickItem & { region: string };
    const regions: R[] = [
      { label: '$(symbol-constant) Profile default', description: chosen?.region ?? 'AWS_REGION or us-east-1', region: '' },
      ...aws.listRegions().map((r) => ({ label: `${r.id === s.region ? '$(check) ' : ''}${r.id}`, description: r.name, region: r.id })),
    ];
    const region = await vscode.window.showQuickPick(regions, { title: 'Keyway: AWS region (2/2)', placeHolder: 'Pick the region', matchOnDescription: true });
    if (!region) return;
    // Remembered in the user settings; the settings listener reconnects.
    await rememberSetting('profile', pick.profile);
    await rememberSetting('region', region.region);
  });

  reg('keyway.openAwsConfig', async () => {
    const aws = await loadAws();
    const file = aws.sharedConfigPaths().configFile;
    const uri = vscode.Uri.file(file);
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      const create = await vscode.window.showInformationMessage(`${file} does not exist yet. Create it with a [default] profile?`, 'Create');
      if (create !== 'Create') return;
      await vscode.workspace.fs.writeFile(uri, Buffer.from('[default]\nregion = us-east-1\n'));
    }
    await vscode.window.showTextDocument(uri);
  });

  reg('keyway.useLocalEndpoint', async () => {
    const url = await vscode.window.showInputBox({
      title: 'Keyway: local AWS endpoint',
      prompt: 'URL of moto or LocalStack. Stored in your user settings (keyway.endpointUrl, machine-scoped). Empty turns it off.',
      value: session.settings.endpointUrl || 'http://127.0.0.1:4566',
      validateInput: (v) => (!v || /^https?:\/\/[^\s/]+(:\d+)?\/?$/.test(v.trim()) ? undefined : 'Enter a URL like http://127.0.0.1:4566'),
    });
    if (url !== undefined) await rememberSetting('endpointUrl', url.trim());
  });

  // `{ profile }` picks another profile than the connection's (it must be defined in the AWS config files).
  reg('keyway.ssoLogin', (arg?: { profile?: unknown }) => {
    session.allowByUser();
    return runSsoLogin(session, log, typeof arg?.profile === 'string' ? arg.profile : undefined);
  });
}
