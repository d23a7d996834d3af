// Export the audit as Markdown or JSON to a file the user picks (names, costs and facts only; never a value).
import * as vscode from 'vscode';
import { loadCore } from '../../../lazy';
import { BeyondCommand } from '../../command';
import { errorText } from '../../errors';

abstract class ExportAuditCommand extends BeyondCommand {
  protected override readonly callsAws = false;
  protected abstract readonly format: 'markdown' | 'json';
  async execute(target?: unknown): Promise<vscode.Uri | undefined> {
    const report = this.ctx.audit.report();
    if (!report) { this.ctx.prompter.info('Keyway: run "Keyway: Audit Account" first.'); return undefined; }
    const core = await loadCore();
    const ext = this.format === 'markdown' ? 'md' : 'json';
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `keyway-audit-${report.generatedAt.slice(0, 10)}.${ext}`;
    const uri = target instanceof vscode.Uri ? target : await vscode.window.showSaveDialog({
      title: `Keyway: export the audit as ${this.format === 'markdown' ? 'Markdown' : 'JSON'}`,
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: this.format === 'markdown' ? { Markdown: ['md'] } : { JSON: ['json'] },
    });
    if (!uri) return undefined;
    const text = this.format === 'markdown' ? core.store.auditMarkdown(report) : core.store.auditJson(report);
    try {
      await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    } catch (e) {
      this.ctx.prompter.error(`Keyway: could not write ${uri.fsPath}. ${errorText(e)}`);
      return undefined;
    }
    this.ctx.log.info(`Audit exported as ${this.format} (${report.findings.length} findings)`);
    return uri;
  }
}

export class ExportAuditMarkdownCommand extends ExportAuditCommand {
  readonly id = 'keyway.audit.exportMarkdown';
  protected readonly format = 'markdown' as const;
}

export class ExportAuditJsonCommand extends ExportAuditCommand {
  readonly id = 'keyway.audit.exportJson';
  protected readonly format = 'json' as const;
}
