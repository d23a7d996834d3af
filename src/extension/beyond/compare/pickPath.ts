// Picking the paths to compare: folders the explorer's index knows (siblings of the first path first), or any path typed.
import type * as Aws from '../../../aws/index';
import type { Choice, Prompter } from '../../manage/prompter';
import type { ExplorerSession } from '../../session';
import type { StoreKind } from './compareModel';

const MAX_FOLDERS = 400;

/** Folder paths of a store's index, breadth first (shallow folders first), at most MAX_FOLDERS. */
export function knownFolders(session: ExplorerSession, kind: StoreKind): string[] {
  const cur = session.indexed();
  if (!cur) return [];
  const idx = cur.index[kind === 'parameter' ? 'parameters' : 'secrets'] as unknown as Aws.StoreIndex<Aws.StoreItem>;
  const out: string[] = [];
  const queue = [''];
  while (queue.length && out.length < MAX_FOLDERS) {
    const p = queue.shift()!;
    for (const f of idx.children(p).folders) {
      out.push(f.path);
      queue.push(f.path);
    }
  }
  return out;
}

function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '' : p.slice(0, i);
}

/** Asks for a path: known folders (siblings of `near` first) or "Type a path…". */
export async function pickPath(prompter: Prompter, step: string, o: { title: string; placeholder: string; folders: string[]; near?: string; exclude?: string }): Promise<string | undefined> {
  const siblings = o.near ? o.folders.filter((f) => f !== o.near && parentOf(f) === parentOf(o.near!)) : [];
  const rest = o.folders.filter((f) => f !== o.exclude && !siblings.includes(f));
  const choices: Choice<string>[] = [
    ...siblings.map((f) => ({ label: f, description: 'next to it', value: f })),
    ...rest.slice(0, 300).map((f) => ({ label: f, value: f })),
    { label: '$(edit) Type a path…', value: '\u0000type', description: 'any prefix, e.g. /my-app/staging' },
  ];
  const picked = await prompter.pick<string>(step, { title: o.title, placeholder: o.placeholder, choices });
  if (picked !== '\u0000type') return picked;
  const typed = await prompter.input(`${step}Typed`, {
    title: o.title, prompt: 'A path prefix, e.g. /my-app/production', value: o.near ? `${parentOf(o.near)}/` : '/',
    validate: (v) => (!v.trim() || /[*?\s]/.test(v) ? 'Enter a path prefix without spaces or wildcards.' : undefined),
  });
  return typed?.trim().replace(/\/+$/, '') || undefined;
}
