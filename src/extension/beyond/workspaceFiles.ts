// The workspace's files as core reads them (the scanner's walk and ignore rules), with the text of open editors
// instead of the disk's where a document is open and changed. Used by Verify and Find References.
import * as vscode from 'vscode';
import type * as Core from '../../core/index';

export interface WorkspaceProject { root: string; uri: vscode.Uri; files: { path: string; text: string }[]; project: Core.ProjectContext }

export function workspaceProjects(core: typeof Core): WorkspaceProject[] {
  const out: WorkspaceProject[] = [];
  const open = new Map(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file').map((d) => [d.uri.fsPath, d]));
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const root = folder.uri.fsPath;
    const loaded = core.loadConfig(root);
    const collected = core.collectFiles([root], { config: loaded.config, configFile: loaded.file });
    const disk = new core.FsProjectContext(loaded.config.maxFileSize);
    const project: Core.ProjectContext = {
      readFile: (p) => open.get(p)?.getText() ?? disk.readFile(p),
      dependenciesOf: (p) => disk.dependenciesOf(p),
    };
    const files: { path: string; text: string }[] = [];
    for (const f of collected.files) {
      const text = project.readFile(f.abs);
      if (text !== undefined) files.push({ path: f.abs, text });
    }
    out.push({ root, uri: folder.uri, files, project });
  }
  return out;
}

/** A file path of a workspace project as a URI under its folder (remote windows use `vscode-remote`, not `file`). */
export function fileUri(p: WorkspaceProject, file: string): vscode.Uri {
  const rel = file.startsWith(p.root) ? file.slice(p.root.length).replace(/^[\\/]+/, '') : undefined;
  return rel !== undefined ? vscode.Uri.joinPath(p.uri, ...rel.split(/[\\/]/)) : vscode.Uri.file(file);
}
