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
import type * as Core from '../../core/index';
import type { ProjectContext } from '../../core/types';
import { loadCore } from '../lazy';

const SOURCE_LANGUAGES = new Set(['typescript', 'typescriptreact', 'javascript', 'javascriptreact']);

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
  constructor(private readonly session: ExplorerSession, private readonly reveals: RevealedValues,
    private readonly projectFor?: (core: typeof Core) => ProjectContext) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    if (SOURCE_LANGUAGES.has(doc.languageId) && this.projectFor) {
      const resolved = await this.resolvedHover(doc, pos, token);
      if (resolved !== 'plain') return resolved;
    }
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
    await this.appendItem(out, cur, { kind: r.kind, meta: r.meta }, token, restricted);
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

  /** Metadata and the value (plain String, or masked with a Reveal link) of one parameter or secret. */
  private async appendItem(out: vscode.MarkdownString, cur: Current, r: Required<Resolved>, token: vscode.CancellationToken, restricted: boolean): Promise<void> {
    const maskAll = vscode.workspace.getConfiguration('keyway').get<boolean>('hover.maskAllValues', false);
    const revealed = this.reveals.get(hoverRevealKey(cur, r.kind, r.meta.name));
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
  }

  /**
   * A name built from the environment or a template (`process.env.DB_PARAM`, `` `/${stage}/db/url` ``), resolved in
   * core through the IaC (the evaluation the IAM rules use), each resolution with what the store holds: the name, or
   * the names per stage. 'plain' when the cursor is on a plain string (the line-local hover handles it).
   */
  private async resolvedHover(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined | 'plain'> {
    let core: typeof Core;
    let r: Core.iam.ResolvedNameAt | undefined;
    try {
      core = await loadCore();
      r = core.iam.resolveNameAt(doc.fileName, doc.getText(), doc.offsetAt(pos), this.projectFor!(core));
    } catch {
      return 'plain';
    }
    if (!r || token.isCancellationRequested || /^(['"])[^]*\1$/.test(r.written) || (/^`[^$]*`$/.test(r.written))) return 'plain';
    const cur = this.session.indexed();
    const restricted = this.session.restricted;
    const out = new vscode.MarkdownString(undefined, true);
    out.isTrusted = { enabledCommands: ['keyway.revealByName', 'keyway.revealInExplorer'] };
    const lookup = (name: string): Required<Resolved> | undefined => {
      const p = r!.kind !== 'secret' ? cur?.index.parameters.get(name) : undefined;
      if (p) return { kind: 'parameter', meta: p };
      const s = r!.kind !== 'parameter' ? cur?.index.secrets.get(name) : undefined;
      return s ? { kind: 'secret', meta: s } : undefined;
    };
    let found = 0;
    out.appendMarkdown(`**Keyway** — ${code(r.written.length > 80 ? r.written.slice(0, 77) + '…' : r.written)} ${r.resolutions.length > 1 ? 'resolves per function' : 'resolves'} through ${r.resolutions.some((x) => x.source) ? 'the infrastructure' : 'the code alone'}:\n\n`);
    for (const res of r.resolutions.slice(0, 4)) {
      const who = res.functions.length ? ` — ${res.functions.length > 1 ? 'functions' : 'function'} ${res.functions.map((f) => code(f)).join(', ')}${res.source ? ` (${md(vscode.workspace.asRelativePath(res.source))})` : ''}` : '';
      out.appendMarkdown(`$(arrow-right) ${code(res.template)}${who}\n\n`);
      for (const u of res.unresolved) out.appendMarkdown(`$(question) Not resolved: ${md(u)}\n\n`);
      if (res.name) {
        const item = lookup(res.name);
        if (item) { found++; await this.appendItem(out, cur!, item, token, restricted); out.appendMarkdown('\n\n'); }
        else if (cur) out.appendMarkdown(`$(warning) Not found in ${md(`${cur.connection.profile || 'default'}/${cur.connection.region}`)}.\n\n`);
        continue;
      }
      if (!res.variables.length || !cur) continue;
      const stores = r.kind === 'secret' ? [cur.index.secrets] : r.kind === 'parameter' ? [cur.index.parameters] : [cur.index.parameters, cur.index.secrets];
      const matches = stores.flatMap((st) => core.iam.matchStoreNames(res.template, st, 6)).slice(0, 6);
      if (!matches.length) {
        out.appendMarkdown(`No name in ${md(`${cur.connection.profile || 'default'}/${cur.connection.region}`)} matches (${res.variables.map((v) => code('${' + v + '}')).join(', ')} unknown until deploy).\n\n`);
        continue;
      }
      for (const m of matches) {
        const item = lookup(m.name);
        if (!item) continue;
        found++;
        out.appendMarkdown(`**${md(res.variables.map((v, i) => `${v} = ${m.values[i] ?? '?'}`).join(', '))}**\n\n`);
        await this.appendItem(out, cur, item, token, restricted);
        out.appendMarkdown('\n\n');
      }
    }
    if (!cur) out.appendMarkdown(restricted ? '_Restricted Mode: not connected to AWS._' : '_Connecting to AWS… hover again to see the values._');
    // A bare process.env.X that names nothing Keyway knows is not worth a hover (NODE_ENV, LOG_LEVEL…).
    if (!r.kind && !found && !r.resolutions.some((x) => x.template.includes('/') && !x.template.startsWith('${env:'))) return undefined;
    const s = doc.positionAt(r.start);
    const e = doc.positionAt(r.end);
    return new vscode.Hover(out, new vscode.Range(s, e));
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

/** A Markdown code span (backslash escapes are literal inside one). */
function code(s: string): string {
  return '`' + s.replace(/`/g, "'").replace(/\s+/g, ' ') + '`';
}

/** A string that could be a parameter or secret name: a path, or a name-like token with a `/` or `-`. */
export function looksLikeName(s: string): boolean {
  return s.length >= 2 && s.length <= 2048 && /^[\w./@:+=-]+$/.test(s) && (s.startsWith('/') || /[/-]/.test(s));
}
