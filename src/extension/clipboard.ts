// Copy Value: the value goes on the clipboard because the user asked, and comes off it after the reveal
// timeout — unless the clipboard holds something else by then (the user copied something newer).
import * as vscode from 'vscode';

const pending = new Set<ReturnType<typeof setTimeout>>();

async function clearIfStill(value: string): Promise<void> {
  try {
    if ((await vscode.env.clipboard.readText()) === value) await vscode.env.clipboard.writeText('');
  } catch { /* the clipboard is not readable here: nothing to compare, leave it */ }
}

/** Copies a secret value; the clipboard is cleared after `seconds` if it still holds it. */
export async function copySecretValue(value: string, seconds: number): Promise<void> {
  await vscode.env.clipboard.writeText(value);
  const timer = setTimeout(() => {
    pending.delete(timer);
    void clearIfStill(value);
  }, Math.max(1, seconds) * 1000);
  pending.add(timer);
}

/** On deactivation: stop the timers (the values they hold go with them). */
export function disposeClipboardTimers(): void {
  for (const t of pending) clearTimeout(t);
  pending.clear();
}
