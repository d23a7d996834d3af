// "Keyway: Generate least-privilege policy…": the exact policy each function needs, from the names its
// handler reads (computed in core), as IAM JSON in a new editor or a snippet in the project's own IaC
// flavour, inserted where the function is defined when the user accepts.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type * as Core from '../core/index';
import { loadCore } from './lazy';
import type { Prompter } from './manage/prompter';
import type { ExplorerSession } from './session';

type Fn = Core.iam.AnalyzedFunction;

export interface PolicyResult { function: string; format: Core.iam.PolicyFormat; text: string; inserted?: { file: string; line: number } }

const FLAVOUR_FORMAT: Record<string, Core.iam.PolicyFormat | undefined> = { serverless: 'serverless', sam: 'sam', cloudformation: 'sam', cdk: 'cdk', terraform: 'terraform', none: undefined };

async function workspaceFunctions(core: typeof Core): Promise<Fn[]> {
  const out: Fn[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const root = folder.uri.fsPath;
    const loaded = core.loadConfig(root);
    const collected = core.collectFiles([root], { config: loaded.config, configFile: loaded.file });
    const project = new core.FsProjectContext(loaded.config.maxFileSize);
    const files: { path: string; text: string }[] = [];
    for (const f of collected.files) {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === f.abs);
      const text = open ? open.getText() : project.readFile(f.abs);
      if (text !== undefined) files.push({ path: f.abs, text });
    }
    out.push(...core.iam.projectFunctions(files, project, root));
  }
  return out;
}

/** Where a snippet goes in the file that defines the function, or undefined when Keyway cannot place it safely. */
function insertion(fn: Fn, text: string, format: Core.iam.PolicyFormat, statements: Core.iam.GeneratedStatement[], core: typeof Core): { offset: number; text: string } | undefined {
  if (!fn.anchor || !statements.length) return undefined;
  const lineStart = text.lastIndexOf('\n', fn.anchor.start - 1) + 1;
  const lineEnd = text.indexOf('\n', fn.anchor.end);
  const keyIndent = fn.anchor.start - lineStart;
  const indentUnit = /\n( +)\S/.exec(text)?.[1].length ?? 2;
  const pad = (s: string, n: number) => s.split('\n').map((l) => (l ? ' '.repeat(n) + l : l)).join('\n');
  if (format === 'serverless') {
    // Per-function statements (the serverless-iam-roles-per-function convention), right under `<name>:`.
    if (new RegExp(`\\n${' '.repeat(keyIndent + indentUnit)}iamRoleStatements\\s*:`).test(text.slice(lineEnd, nextSibling(text, lineEnd, keyIndent)))) return undefined;
    const body = `${' '.repeat(keyIndent + indentUnit)}iamRoleStatements:\n${pad(core.iam.yamlStatements(statements, 'serverless'), keyIndent + indentUnit * 2)}\n`;
    return { offset: lineEnd + 1, text: body };
  }
  if (format === 'sam') {
    // Under the function's `Properties:`, when it has no `Policies:` yet.
    const end = nextSibling(text, lineEnd, keyIndent);
    const block = text.slice(lineEnd, end);
    const props = new RegExp(`\\n( +)Properties\\s*:[ \\t]*(?=\\n)`).exec(block);
    if (!props || /\n\s+Policies\s*:/.test(block)) return undefined;
    const propIndent = props[1].length + indentUnit;
    const at = lineEnd + props.index + props[0].length + 1;
    const body = `${' '.repeat(propIndent)}Policies:\n${' '.repeat(propIndent + indentUnit)}- Statement:\n${pad(core.iam.yamlStatements(statements, 'sam'), propIndent + indentUnit * 3)}\n`;
    return { offset: at, text: body };
  }
  return undefined;
}

/** End offset of a YAML block that starts after `from` at indentation greater than `indent`. */
function nextSibling(text: string, from: number, indent: number): number {
  const re = /\n( *)(\S)/g;
  re.lastIndex = from;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[2] !== '#' && m[1].length <= indent) return m.index;
  }
  return text.length;
}

export async function generatePolicy(session: ExplorerSession, prompter: Prompter, pick?: { functionName?: string; output?: 'json' | 'snippet' | 'insert' }): Promise<PolicyResult | undefined> {
  const core = await loadCore();
  const fns = await workspaceFunctions(core);
  if (!fns.length) {
    prompter.error('Keyway: no Lambda function found in the workspace (no serverless.yml, SAM/CloudFormation template or CDK function, and no handler that reads parameters or secrets).');
    return undefined;
  }
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  const fn = pick?.functionName
    ? fns.find((f) => f.name === pick.functionName)
    : await prompter.pick<Fn>('function', {
      title: 'Keyway: least-privilege policy (1/2)', placeholder: 'Which function?',
      choices: fns.map((f) => ({
        label: f.name,
        description: [f.flavour === 'none' ? 'no IaC' : f.flavour, f.handlerFile ? path.relative(root, f.handlerFile) : f.handlerSpec].filter(Boolean).join(' · '),
        detail: `${f.references.refs.length} name${f.references.refs.length === 1 ? '' : 's'} read${f.references.unresolved.length ? `, ${f.references.unresolved.length} not known statically` : ''}`,
        value: f,
      })),
    });
  if (!fn) return undefined;
  const flavourFormat = FLAVOUR_FORMAT[fn.flavour];
  const output = pick?.output ?? await prompter.pick<'json' | 'snippet' | 'insert'>('output', {
    title: `Keyway: least-privilege policy for ${fn.name} (2/2)`, placeholder: 'Output',
    choices: [
      { label: 'IAM policy JSON in a new editor', value: 'json' },
      ...(flavourFormat ? [
        { label: `${flavourFormat === 'cdk' ? 'CDK PolicyStatement' : flavourFormat === 'sam' ? 'SAM/CloudFormation Policies entry' : flavourFormat === 'terraform' ? 'Terraform aws_iam_policy_document' : 'serverless.yml statements'} in a new editor`, value: 'snippet' as const },
        ...(flavourFormat !== 'cdk' && flavourFormat !== 'terraform' && fn.definedIn ? [{ label: `Insert into ${path.basename(fn.definedIn)} where ${fn.name} is defined`, value: 'insert' as const }] : []),
      ] : []),
    ],
  });
  if (!output) return undefined;
  const format: Core.iam.PolicyFormat = output === 'json' ? 'json' : flavourFormat ?? 'json';
  // Region, account and real KMS keys from the connection, when there is one; placeholders otherwise.
  const cur = session.current;
  const opts: Core.iam.PolicyOptions = {
    region: cur?.connection.region && cur.identity?.account ? cur.connection.region : undefined,
    account: cur?.identity?.account || undefined,
    kmsKeyFor: (name) => cur?.index.parameters.get(name)?.keyId,
  };
  const statements = core.iam.generateStatements(fn.references.refs, format, opts);
  const text = core.iam.renderPolicy(statements, format, { ...opts, name: fn.name });
  for (const u of fn.references.unresolved) {
    prompter.info(`Keyway: ${fn.name} reads a ${u.kind} whose name is not known statically${u.hint ? ` (from ${u.hint})` : ''}; it is not in the policy.`);
  }
  if (output === 'insert' && fn.definedIn) {
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, ...path.relative(root, fn.definedIn).split(path.sep));
    const doc = await vscode.workspace.openTextDocument(uri);
    const at = insertion(fn, doc.getText(), format, statements, core);
    if (!at) {
      prompter.error(`Keyway: could not find a safe place for the statements in ${path.basename(fn.definedIn)} (the function may already have a policy); opening them in a new editor instead.`);
    } else {
      const ok = await prompter.confirm('insertPolicy', { message: `Insert ${statements.length} statement${statements.length === 1 ? '' : 's'} into ${path.basename(fn.definedIn)} for ${fn.name}?`, detail: text, buttons: ['Insert'] });
      if (ok !== 'Insert') return undefined;
      const edit = new vscode.WorkspaceEdit();
      const pos = doc.positionAt(at.offset);
      edit.insert(doc.uri, pos, at.text);
      await vscode.workspace.applyEdit(edit);
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos) });
      return { function: fn.name, format, text, inserted: { file: fn.definedIn, line: pos.line } };
    }
  }
  const doc = await vscode.workspace.openTextDocument({ language: format === 'json' ? 'json' : format === 'cdk' ? 'typescript' : format === 'terraform' ? 'terraform' : 'yaml', content: text });
  await vscode.window.showTextDocument(doc, { preview: false });
  return { function: fn.name, format, text };
}
