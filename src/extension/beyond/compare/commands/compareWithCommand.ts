// "Compare with…" on a folder of either tree: the folder against another path of the same store.
import { FolderNode } from '../../../views/nodes';
import { BeyondCommand } from '../../command';
import { knownFolders, pickPath } from '../pickPath';

export class CompareWithCommand extends BeyondCommand {
  readonly id = 'keyway.compareWith';
  async execute(node?: unknown) {
    if (!(node instanceof FolderNode)) return this.ctx.prompter.info('Keyway: pick a folder in the Parameter Store or Secrets Manager view, or use "Compare Paths…".');
    const kind = node.ctx.store === 'parameters' ? 'parameter' : 'secret';
    const a = node.folder.path;
    const b = await pickPath(this.ctx.prompter, 'pathB', { title: `Keyway: compare ${a} with…`, placeholder: 'The other path (e.g. another stage)', folders: knownFolders(this.ctx.session, kind), near: a, exclude: a });
    if (!b) return undefined;
    return this.ctx.compare.run({ kinds: [kind], a, b, values: true });
  }
}
