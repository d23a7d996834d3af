import * as vscode from 'vscode';

/**
 * Values the user asked to see, by node key. In memory only: never logged, never written to state,
 * and masked again after the configured time.
 */
export class RevealedValues implements vscode.Disposable {
  private readonly values = new Map<string, { value: string; timer: ReturnType<typeof setTimeout> }>();
  private readonly changed = new vscode.EventEmitter<string>();
  readonly onDidChange = this.changed.event;

  get(key: string): string | undefined { return this.values.get(key)?.value; }

  set(key: string, value: string, seconds: number): void {
    this.delete(key, false);
    const timer = setTimeout(() => this.delete(key), seconds * 1000);
    this.values.set(key, { value, timer });
    this.changed.fire(key);
  }

  delete(key: string, notify = true): void {
    const e = this.values.get(key);
    if (!e) return;
    clearTimeout(e.timer);
    this.values.delete(key);
    if (notify) this.changed.fire(key);
  }

  clear(): void {
    for (const key of [...this.values.keys()]) this.delete(key);
  }

  get size(): number { return this.values.size; }

  dispose(): void {
    for (const e of this.values.values()) clearTimeout(e.timer);
    this.values.clear();
    this.changed.dispose();
  }
}
