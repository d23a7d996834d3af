// Hover on a parameter or secret name: metadata from the explorer's index, and the value from the
// in-memory value cache (Strings in plain text; SecureStrings and secrets masked with a Reveal link).
// Never waits on a listing: an index that is still loading answers with what it has.
import * as vscode from 'vscode';
import type * as Aws from '../../aws/index';
import type { RevealedValues } from '../reveal';
import type { Current, ExplorerSession } from '../session';
import { isoDate, md, relativeTime } from '../views/format';
import { rotationSummary } from '../views/nodes';
import { nameAtPosition, type NameAt, type NameKind } from './names';

const VALUE_WAIT_MS = 800;

export interface Resolved { kind: NameKind; meta?: Aws.ParameterMeta | Aws.SecretMeta }

/** Looks a name up in the current index (parameters first unless the syntax says secret). */
export function resolveName(cur: Current, at: NameAt): Resolved | undefined {
  const p = at.kind !== 'secret' ? cur.index.parameters.get(at.name) : undefined;
  if (p) return { kind: 'parameter', meta: p };
  const s = at.kind !== 'parameter' ? cur.index.secrets.get(at.name) : undefined;
  if (s) return { kind: 'secret', meta: s };
  if (at.inReferencePosition) return { kind: at.kind ?? 'parameter' };
  return undefined;
}

export function hoverRevealKey(cur: Current, kind: NameKind, name: string): string {
  return `hover:${cur.connection.instance}:${kind}:${name}`;
}

const cmd = (id: string, args: unknown[]) => `command:${id}?${encodeURIComponent(JSON.stringify(args))}`;

export class KeywayHover implements vscode.HoverProvider {
  constructor(private readonly session: ExplorerSession, private readonly reveals: RevealedValues) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const at = nameAtPosition(doc, pos);
    if (!at || (!at.inReferencePosition && !looksLikeName(at.name))) return undefined;
    const cur = this.session.indexed();
    const restricted = this.session.restricted;
    if (!cur) {
      if (!at.inReferencePosition) return undefined;
      return new vscode.Hover(new vscode.MarkdownString(restricted
        ? '**Keyway** — Restricted Mode: not connected to AWS. Use **Connect to AWS** in the Keyway sidebar, or trust this folder.'
        : '**Keyway**: connecting to AWS… hover again in a moment.'));
    }
    const r = resolveName(cur, at);
    if (!r) return undefined;
    const range = new vscode.Range(pos.line, at.start, pos.line, at.end);
    const out = new vscode.MarkdownString(undefined, true);
    out.isTrusted = { enabledCommands: ['keyway.revealByName', 'keyway.copyValueByName', 'keyway.revealInExplorer', 'keyway.openInConsoleByName', 'keyway.createValue'] };
    const where = `${cur.connection.profile || 'default'}/${cur.connection.region}`;
    if (!r.meta) {
      const loading = cur.index[r.kind === 'parameter' ? 'parameters' : 'secrets'].status === 'loading';
      out.appendMarkdown(`**${md(at.name)}**\n\n`);
      out.appendMarkdown(loading ? `$(loading~spin) Keyway is still listing ${where}; not found so far.\n\n` : `$(warning) Not found in ${md(where)}.\n\n`);
      if (!restricted) out.appendMarkdown(`[Create…](${cmd('keyway.createValue', [{ name: at.name, kind: r.kind }])})`);
      return new vscode.Hover(out, range);
    }
    const maskAll = vscode.workspace.getConfiguration('keyway').get<boolean>('hover.maskAllValues', false);
    const revealKey = hoverRevealKey(cur, r.kind, at.name);
    const revealed = this.reveals.get(revealKey);
    if (r.kind === 'parameter') {
      const m = r.meta as Aws.ParameterMeta;
      out.appendMarkdown(`$(symbol-string) **${md(m.name)}** — Parameter Store ${md(m.type)}\n\n`);
      out.appendMarkdown(`Version ${md(m.version)} · ${md(m.tier ?? 'Standard')} · modified ${md(relativeTime(m.lastModified))}${m.lastModifiedUser ? ` by ${md(m.lastModifiedUser)}` : ''}\n\n`);
      if (m.description) out.appendMarkdown(`${md(m.description)}\n\n`);
      const plain = m.type !== 'SecureString' && !maskAll;
      await this.appendValue(out, cur, 'parameter', m.name, plain, revealed, token, restricted);
    } else {
      const m = r.meta as Aws.SecretMeta;
      out.appendMarkdown(`$(key) **${md(m.name)}** — Secrets Manager\n\n`);
      out.appendMarkdown(`${md(rotationSummary(m))}${m.lastRotated ? ` · last rotated ${md(isoDate(m.lastRotated))}` : ''}${m.nextRotation ? ` · next ${md(isoDate(m.nextRotation))}` : ''}\n\n`);
      if (m.deletedDate) out.appendMarkdown('$(warning) **Scheduled for deletion**\n\n');
      if (m.description) out.appendMarkdown(`${md(m.description)}\n\n`);
      await this.appendValue(out, cur, 'secret', m.name, false, revealed, token, restricted);
    }
    const links = [
      `[Reveal in Explorer](${cmd('keyway.revealInExplorer', [{ name: at.name, kind: r.kind }])})`,
      // Restricted Mode: nothing in a hover calls AWS or follows a name the repository chose.
      ...(restricted ? [] : [
        `[Copy Value](${cmd('keyway.copyValueByName', [{ name: at.name, kind: r.kind }])})`,
        `[Open in AWS Console](${cmd('keyway.openInConsoleByName', [{ name: at.name, kind: r.kind }])})`,
      ]),
    ];
    out.appendMarkdown(`\n\n${links.join(' · ')}`);
    return new vscode.Hover(out, range);
  }

  private async appendValue(out: vscode.MarkdownString, cur: Current, kind: NameKind, name: string, plain: boolean, revealed: string | undefined, token: vscode.CancellationToken, restricted: boolean): Promise<void> {
    if (restricted && revealed === undefined) {
      out.appendMarkdown('Value: `••••••••` (Restricted Mode: hovers read no values; use the Keyway sidebar)');
      return;
    }
    if (!plain && revealed === undefined) {
      out.appendMarkdown(`Value: \`••••••••\` [Reveal](${cmd('keyway.revealByName', [{ name, kind }])})`);
      return;
    }
    let value = revealed;
    if (value === undefined) {
      // A plain String: from the value cache, or one GetParameter with a short wait (never a listing).
      const fetch = cur.values.getParameterValue(name).then((v) => v.value);
      value = await Promise.race([fetch, new Promise<undefined>((r) => setTimeout(() => r(undefined), VALUE_WAIT_MS))]).catch(() => undefined);
      if (token.isCancellationRequested) return;
      if (value === undefined) {
        out.appendMarkdown('Value: $(loading~spin) loading… hover again');
        return;
      }
    }
    const shown = value.length > 500 ? `${value.slice(0, 500)}…` : value;
    out.appendCodeblock(shown, /^\s*[{[]/.test(shown) ? 'json' : 'text');
  }
}

/** A string that could be a parameter or secret name: a path, or a name-like token with a `/` or `-`. */
export function looksLikeName(s: string): boolean {
  return s.length >= 2 && s.length <= 2048 && /^[\w./@:+=-]+$/.test(s) && (s.startsWith('/') || /[/-]/.test(s));
}
