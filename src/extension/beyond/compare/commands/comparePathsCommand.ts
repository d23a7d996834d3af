// "Keyway: Compare Paths…" from the palette: which store(s), then the two paths.
import { BeyondCommand } from '../../command';
import type { StoreKind } from '../compareModel';
import { knownFolders, pickPath } from '../pickPath';

export class ComparePathsCommand extends BeyondCommand {
  readonly id = 'keyway.comparePaths';
  async execute(args?: { a?: string; b?: string; kinds?: StoreKind[] }) {
    const p = this.ctx.prompter;
    const kinds = args?.kinds ?? await p.pick<StoreKind[]>('stores', {
      title: 'Keyway: compare paths (1/3)', placeholder: 'Which store?',
      choices: [
        { label: 'Parameter Store and Secrets Manager', value: ['parameter', 'secret'] },
        { label: 'Parameter Store', value: ['parameter'] },
        { label: 'Secrets Manager', value: ['secret'] },
      ],
    });
    if (!kinds) return undefined;
    const folders = [...new Set(kinds.flatMap((k) => knownFolders(this.ctx.session, k)))];
    const a = args?.a ?? await pickPath(p, 'pathA', { title: 'Keyway: compare paths (2/3)', placeholder: 'The first path (e.g. /my-app/staging)', folders });
    if (!a) return undefined;
    const b = args?.b ?? await pickPath(p, 'pathB', { title: `Keyway: compare ${a} with… (3/3)`, placeholder: 'The other path (e.g. /my-app/production)', folders, near: a, exclude: a });
    if (!b) return undefined;
    return this.ctx.compare.run({ kinds, a, b, values: true });
  }
}
