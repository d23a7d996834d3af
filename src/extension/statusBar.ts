import * as vscode from 'vscode';
import type { ExplorerSession } from './session';

/** Shows the profile, region and account Keyway is connected to; click to switch. */
export function registerStatusBar(context: vscode.ExtensionContext, session: ExplorerSession): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('keyway.connection', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Keyway AWS connection';
  item.command = 'keyway.selectProfile';
  const render = () => {
    const s = session.settings;
    const cur = session.current;
    const profile = cur?.connection.profile || s.profile || 'default';
    const region = cur?.connection.region || s.region || '…';
    const endpoint = cur?.connection.endpoint ?? (s.endpointUrl || undefined);
    const id = cur?.identity;
    const restricted = !session.mayConnect;
    item.text = `${restricted ? '$(workspace-untrusted)' : '$(key)'} ${profile} · ${region}${endpoint ? ' · local' : ''}`;
    const t = new vscode.MarkdownString();
    t.appendMarkdown(`**Keyway** — profile \`${profile}\`, region \`${region}\`\n\n`);
    t.appendMarkdown(`Endpoint: ${endpoint ? `\`${endpoint}\`` : 'AWS'}\n\n`);
    if (id?.account) t.appendMarkdown(`Account: \`${id.account}\`\n\nIdentity: \`${id.arn}\`\n\n`);
    else if (id?.error) t.appendMarkdown(`Identity: ${id.error.message}\n\n`);
    if (restricted) t.appendMarkdown('$(workspace-untrusted) Restricted Mode: not connected. Keyway connects only when you ask in its sidebar; this folder\'s settings cannot choose the profile, region or endpoint.\n\n');
    t.appendMarkdown('Click to switch profile or region.');
    item.tooltip = t;
    item.accessibilityInformation = { label: `Keyway connected to profile ${profile}, region ${region}${id?.account ? `, account ${id.account}` : ''}` };
  };
  render();
  item.show();
  context.subscriptions.push(item, session.onDidSwitch(render), session.onDidIdentify(render),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('keyway')) render(); }),
    vscode.workspace.onDidGrantWorkspaceTrust(render));
  return item;
}
