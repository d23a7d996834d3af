// "Move this secret to Parameter Store / Secrets Manager…": plan the code change, run the three
// questions (defaulting to SecureString), create the value and read it back, and only then change the
// code. If any AWS step fails, or the change cannot be made, the document is left untouched.
import * as vscode from 'vscode';
import type * as Aws from '../../aws/index';
import * as manage from '../../core/manage';
import type { Finding } from '../../core/types';
import { loadCore } from '../lazy';
import type { ExplorerSession } from '../session';
import { toWorkspaceEdit } from '../editor/convert';
import { createFlow, type Created } from './create';
import type { Prompter } from './prompter';

export async function moveSecret(session: ExplorerSession, prompter: Prompter, uri: vscode.Uri, finding: Finding): Promise<Created | undefined> {
  const core = await loadCore();
  const doc = await vscode.workspace.openTextDocument(uri);
  const version = doc.version;
  const value = core.literalValue(doc.fileName, doc.getText(), finding.range);
  if (!value) {
    prompter.error('Keyway: the secret here is not a plain literal, so it cannot be moved automatically.');
    return undefined;
  }
  const cur = await session.ensure();
  await Promise.all([cur.index.parameters.load(), cur.index.secrets.load()]);
  const known = [...cur.index.parameters.tree.items(), ...cur.index.secrets.tree.items()].map((i) => i.name);
  const leaf = typeof finding.data?.name === 'string' ? finding.data.name : 'secret';
  const loaderSetting = vscode.workspace.getConfiguration('keyway', uri).get<string>('loaderStyle', 'auto');
  const powertools = loaderSetting === 'powertools' || (loaderSetting === 'auto' && new core.FsProjectContext().dependenciesOf(doc.fileName).has('@aws-lambda-powertools/parameters'));
  const ttlSeconds = core.loadConfig(vscode.Uri.joinPath(uri, '..').fsPath).config.cacheTtlSeconds;
  let plan: ReturnType<typeof core.planMove> | undefined;

  const created = await createFlow(session, prompter, {
    title: 'Keyway: Move this secret',
    name: manage.proposeName(leaf, known),
    value,
    valueLocked: true,
    sensitiveDefault: true,
    prepare: async (d) => {
      // 1. The code change must be possible before anything is created.
      plan = core.planMove(doc.fileName, doc.getText(), finding.range, { name: d.name, store: d.store, loader: powertools ? 'powertools' : 'sdk', ttlSeconds });
      if (!plan.ok) return { ok: false, reason: `${plan.reason} Nothing was created.` };
      // 2. An existing name: same value → reuse it; another value → ask first.
      const existing = await existingValue(cur, d.store, d.name);
      if (existing === undefined) return { ok: true };
      if (existing === value) return { ok: true, reuse: true };
      const choice = await prompter.confirm('nameExists', {
        message: `${d.name} already exists with a different value.`,
        detail: 'Use the existing value (the code will read it), or cancel and pick another name. Keyway never overwrites it here.',
        buttons: ['Use Existing Value'],
      });
      return choice === 'Use Existing Value' ? { ok: true, reuse: true } : { ok: false };
    },
  });
  if (!created || !plan?.ok) return undefined;
  // 3. Only now, the code.
  if (doc.version !== version) {
    prompter.error(`Keyway: ${created.name} is ready in AWS, but the file changed meanwhile, so the code was not edited. Run the move again to update it.`);
    return created;
  }
  const applied = await vscode.workspace.applyEdit(toWorkspaceEdit(uri, plan.edits));
  if (!applied) prompter.error(`Keyway: ${created.name} is ready in AWS, but VS Code refused the edit; the code is unchanged.`);
  else prompter.info(`Keyway: moved the secret to ${created.name}; the code now ${plan.description}.`);
  return created;
}

async function existingValue(cur: { values: Aws.ValueService }, store: 'parameter' | 'secret', name: string): Promise<string | undefined> {
  try {
    return store === 'parameter' ? (await cur.values.getParameterValue(name, { fresh: true })).value : (await cur.values.getSecretValue(name, { fresh: true })).value;
  } catch (e) {
    if ((e as { info?: Aws.AwsErrorInfo }).info?.kind === 'NotFound') return undefined;
    throw e;
  }
}
