// The prompts a flow shows, behind an interface: VS Code's input box and quick pick for users, a
// scripted answerer for the editor tests (which still run the real flow in the real extension host).
import * as vscode from 'vscode';

export interface Choice<T> { label: string; description?: string; detail?: string; value: T }

export interface Prompter {
  /** Returns undefined when the user cancels. `validate` returns an error message or undefined. */
  input(step: string, opts: { title: string; prompt: string; value?: string; password?: boolean; validate?: (v: string) => string | undefined }): Promise<string | undefined>;
  pick<T>(step: string, opts: { title: string; placeholder: string; choices: Choice<T>[] }): Promise<T | undefined>;
  /** A modal confirmation; returns the chosen button or undefined. */
  confirm(step: string, opts: { message: string; detail?: string; buttons: string[] }): Promise<string | undefined>;
  info(message: string): void;
  error(message: string): void;
}

export const vscodePrompter: Prompter = {
  async input(_step, o) {
    return vscode.window.showInputBox({
      title: o.title, prompt: o.prompt, value: o.value, password: o.password, ignoreFocusOut: true,
      validateInput: o.validate ? (v) => o.validate!(v) ?? null : undefined,
    });
  },
  async pick(_step, o) {
    const items = o.choices.map((c) => ({ label: c.label, description: c.description, detail: c.detail, value: c.value }));
    const r = await vscode.window.showQuickPick(items, { title: o.title, placeHolder: o.placeholder, ignoreFocusOut: true, matchOnDescription: true });
    return r?.value;
  },
  async confirm(_step, o) {
    return vscode.window.showWarningMessage(o.message, { modal: true, detail: o.detail }, ...o.buttons);
  },
  info(m) { void vscode.window.showInformationMessage(m); },
  error(m) { void vscode.window.showErrorMessage(m); },
};

/** For tests: answers by step id, records what was asked (never the answers to password prompts). */
export class ScriptedPrompter implements Prompter {
  readonly asked: { step: string; title?: string; text?: string; choices?: string[] }[] = [];
  readonly messages: { kind: 'info' | 'error'; text: string }[] = [];
  constructor(private readonly answers: Record<string, string | boolean | number | undefined>) {}

  async input(step: string, o: Parameters<Prompter['input']>[1]) {
    this.asked.push({ step, title: o.title, text: o.prompt });
    const a = this.answers[step];
    const v = a === undefined ? undefined : String(a);
    const problem = v !== undefined ? o.validate?.(v) : undefined;
    if (problem) { this.messages.push({ kind: 'error', text: problem }); return undefined; }
    return v;
  }
  async pick<T>(step: string, o: { title: string; placeholder: string; choices: Choice<T>[] }): Promise<T | undefined> {
    this.asked.push({ step, title: o.title, choices: o.choices.map((c) => `${c.label}${c.description ? ` — ${c.description}` : ''}`) });
    const a = this.answers[step];
    return o.choices.find((c) => c.value === a || c.label === a)?.value;
  }
  async confirm(step: string, o: Parameters<Prompter['confirm']>[1]) {
    this.asked.push({ step, text: `${o.message}\n${o.detail ?? ''}`, choices: o.buttons });
    const a = this.answers[step];
    return typeof a === 'string' && o.buttons.includes(a) ? a : undefined;
  }
  info(text: string) { this.messages.push({ kind: 'info', text }); }
  error(text: string) { this.messages.push({ kind: 'error', text }); }
}
