// Both values of a compared name in the diff editor, masked until revealed. Masked, each side shows its JSON keys
// with `(same)` or its side's label where the values differ, so the diff editor highlights exactly the keys that
// differ without showing a value. Reveal reads both values again and shows them for the reveal time, then masks them.
import * as vscode from 'vscode';
import { loadAws } from '../../lazy';
import type { ExplorerSession } from '../../session';
import type { CompareOutcome } from './compareModel';
import type { Row } from './nodes/compareNode';

export const COMPARE_SCHEME = 'keyway-parity';
const MASK = '••••••••';

interface Pair { outcome: CompareOutcome; row: Row; left: vscode.Uri; right: vscode.Uri; timer?: ReturnType<typeof setTimeout> }

/** Masked text of one side, from what the comparison knows (JSON keys and which of them differ). */
export function maskedSide(row: Row, side: 'a' | 'b', label: string): string {
  const item = side === 'a' ? row.a : row.b;
  if (!item) return '';
  const j = row.jsonKeys;
  if (j && item.jsonKeys) {
    const keys = Object.keys(item.jsonKeys).sort();
    const lines = keys.map((k) => {
      const state = j.equal.includes(k) ? 'same' : (side === 'a' ? j.onlyA : j.onlyB).includes(k) ? `only in ${label}` : label;
      return `  ${JSON.stringify(k)}: "${MASK} (${state})"`;
    });
    return `{\n${lines.join(',\n')}\n}\n`;
  }
  const state = row.value === 'equal' ? 'same value' : row.value === 'different' ? `${label} value` : 'not compared';
  return `${MASK} (${state})\n`;
}

function pretty(value: string): string {
  if (!value.trimStart().startsWith('{')) return value.endsWith('\n') ? value : `${value}\n`;
  try { return JSON.stringify(JSON.parse(value), null, 2) + '\n'; } catch { return value; }
}

export class SideBySide implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly texts = new Map<string, string>();
  private readonly pairs = new Map<string, Pair>();
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly session: ExplorerSession) {
    this.subs.push(vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme !== COMPARE_SCHEME) return;
      this.texts.delete(d.uri.toString());
      const p = this.pairs.get(d.uri.toString());
      if (p?.timer) clearTimeout(p.timer);
      this.pairs.delete(d.uri.toString());
    }));
  }

  provideTextDocumentContent(uri: vscode.Uri): string { return this.texts.get(uri.toString()) ?? ''; }

  /** Opens the masked diff of a row present on both sides. Returns the two document URIs. */
  async open(outcome: CompareOutcome, row: Row): Promise<{ left: vscode.Uri; right: vscode.Uri }> {
    if (!row.a || !row.b) throw new Error('Only names present on both sides can be opened side by side.');
    const [la, lb] = outcome.labels;
    const stamp = Date.now().toString(36);
    const uri = (side: string, name: string) => vscode.Uri.from({ scheme: COMPARE_SCHEME, path: `/${side}${name.startsWith('/') ? '' : '/'}${name}`, query: `t=${stamp}` });
    const left = uri(la, row.a.name);
    const right = uri(lb, row.b.name);
    const pair: Pair = { outcome, row, left, right };
    this.pairs.set(left.toString(), pair);
    this.pairs.set(right.toString(), pair);
    this.mask(pair);
    await vscode.commands.executeCommand('vscode.diff', left, right, `${row.rel}: ${la} ↔ ${lb} (masked)`, { preview: true });
    return { left, right };
  }

  private mask(p: Pair): void {
    const [la, lb] = p.outcome.labels;
    this.set(p.left, maskedSide(p.row, 'a', la));
    this.set(p.right, maskedSide(p.row, 'b', lb));
  }

  private set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.emitter.fire(uri);
  }

  /** The pair shown in the active diff editor (or the one a URI belongs to). */
  pairOf(uri: vscode.Uri | undefined): Pair | undefined {
    return uri ? this.pairs.get(uri.toString()) : undefined;
  }

  /** Reads both values (fresh) and shows them for `seconds`, then masks them again. */
  async reveal(p: Pair, seconds: number): Promise<void> {
    const cur = await this.session.ensure();
    if (cur.connection.instance !== p.outcome.connectionInstance) throw new Error('This comparison belongs to a previous AWS connection; run it again.');
    const aws = await loadAws();
    const m = new aws.ManageService(cur.connection);
    const read = async (name: string) => (p.row.kind === 'parameter' ? (await m.getParameter(name)).value : (await m.getSecret(name)).value);
    const [a, b] = await Promise.all([read(p.row.a!.name), read(p.row.b!.name)]);
    this.set(p.left, pretty(a));
    this.set(p.right, pretty(b));
    if (p.timer) clearTimeout(p.timer);
    p.timer = setTimeout(() => { p.timer = undefined; this.mask(p); }, seconds * 1000);
  }

  /** Masks a revealed pair now. */
  hide(p: Pair): void {
    if (p.timer) clearTimeout(p.timer);
    p.timer = undefined;
    this.mask(p);
  }

  /** Current text of a document (tests check what is shown). */
  textOf(uri: vscode.Uri): string | undefined { return this.texts.get(uri.toString()); }

  dispose(): void {
    for (const p of this.pairs.values()) if (p.timer) clearTimeout(p.timer);
    this.pairs.clear();
    this.texts.clear();
    for (const s of this.subs) s.dispose();
    this.emitter.dispose();
  }
}
