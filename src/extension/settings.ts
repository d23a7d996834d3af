import * as vscode from 'vscode';

export interface KeywaySettings {
  profile: string;
  region: string;
  /** Machine-scoped: read from the machine/user level only (a workspace can't redirect AWS calls). */
  endpointUrl: string;
  revealSeconds: number;
  /** Application-scoped: ask before Publish / Ctrl+S writes a new version (production-looking names always ask). */
  confirmPublish: boolean;
}

export function readSettings(): KeywaySettings {
  const c = vscode.workspace.getConfiguration('keyway');
  return {
    profile: (c.get<string>('profile') ?? '').trim(),
    region: (c.get<string>('region') ?? '').trim(),
    endpointUrl: (c.get<string>('endpointUrl') ?? '').trim(),
    revealSeconds: Math.max(1, c.get<number>('revealTimeoutSeconds') ?? 30),
    confirmPublish: c.get<boolean>('confirmPublish') !== false,
  };
}

/** Settings whose change means a new AWS connection. */
export const CONNECTION_SETTINGS = ['keyway.profile', 'keyway.region', 'keyway.endpointUrl'];

/** Remembers a choice in the user settings (not the workspace: profiles are per machine). */
export async function rememberSetting(key: 'profile' | 'region' | 'endpointUrl', value: string): Promise<void> {
  await vscode.workspace.getConfiguration('keyway').update(key, value, vscode.ConfigurationTarget.Global);
}
