// "Verify against stage…" in the editor: the same check as `keyway verify` (core extracts and judges, the AWS layer
// looks names up, from the explorer's index when it is complete), shown as diagnostics on the references.
import * as vscode from 'vscode';
import type * as Core from '../../../core/index';
import { toRange } from '../../editor/convert';
import { loadAws, loadCore } from '../../lazy';
import type { Log } from '../../log';
import type { ExplorerSession } from '../../session';
import { fileUri, workspaceProjects } from '../workspaceFiles';

export const VERIFY_SOURCE = 'Keyway verify';
const DOCS = 'https://github.com/keyway-dev/keyway/blob/main/docs/beyond.md#verify';

export interface VerifyRun { stage: string; refs: number; checked: number; errors: number; warnings: number; files: number; issues: Core.store.VerifyIssue[] }

export class VerifyDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('keyway-verify');
  private last?: VerifyRun;

  constructor(private readonly session: ExplorerSession, private readonly log: Log) {}

  get lastRun(): VerifyRun | undefined { return this.last; }

  async run(stage: string, vars: Record<string, string> = {}, token?: vscode.CancellationToken): Promise<VerifyRun | undefined> {
    const [core, aws] = await Promise.all([loadCore(), loadAws()]);
    const cur = await this.session.ensure();
    const projects = workspaceProjects(core);
    const all: { refs: Core.store.VerifyRef[]; project: (typeof projects)[number] }[] = [];
    for (const p of projects) {
      if (token?.isCancellationRequested) return undefined;
      const opts = { stage, vars, region: cur.connection.region, account: cur.identity?.account };
      all.push({ project: p, refs: core.store.verifyReferences({ files: p.files, project: p.project, cwd: p.root }, opts) });
    }
    const refs = all.flatMap((x) => x.refs);
    const controller = new AbortController();
    token?.onCancellationRequested(() => controller.abort());
    const lookups = await aws.lookupNames(cur.connection, core.store.namesToLookUp(refs), { index: cur.index, signal: controller.signal });
    if (token?.isCancellationRequested) return undefined;
    this.collection.clear();
    const issues: Core.store.VerifyIssue[] = [];
    for (const { project, refs: list } of all) {
      const byFile = new Map<string, vscode.Diagnostic[]>();
      for (const r of list) {
        for (const i of core.store.judgeReference(r, lookups.get(core.store.lookupKey(r)), stage)) {
          issues.push(i);
          const d = new vscode.Diagnostic(toRange(i.ref.range), i.message, i.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
          d.source = `${VERIFY_SOURCE} (${stage})`;
          d.code = { value: i.code, target: vscode.Uri.parse(DOCS) };
          const key = fileUri(project, i.ref.file).toString();
          const l = byFile.get(key) ?? [];
          l.push(d);
          byFile.set(key, l);
        }
      }
      for (const [uri, diags] of byFile) this.collection.set(vscode.Uri.parse(uri), diags);
    }
    const s = core.store.verifySummary(refs, issues);
    this.last = { stage, refs: refs.length, checked: s.checked, errors: s.errors, warnings: s.warnings, files: new Set(issues.map((i) => i.ref.file)).size, issues };
    this.log.info(`Verify against ${stage}: ${refs.length} reads, ${s.errors} failures, ${s.warnings} not checked`);
    return this.last;
  }

  clear(): void { this.collection.clear(); this.last = undefined; }

  dispose(): void { this.collection.dispose(); }
}
