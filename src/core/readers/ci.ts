// CI workflows (GitHub Actions, GitLab CI, CircleCI, Bitbucket, Azure Pipelines, Travis, CodeBuild, Drone…): YAML
// (lenient) for `env:` blocks and `with:` inputs, plus the shell of every step (`run:`, `script:`, `commands:`, …)
// read with the shell grammar at its exact place in the file.
import { walk, type IacNode } from '../iac/nodes';
import type { DocumentEntry, ParsedDocument } from '../types';
import { readShellRange } from './shell';
import { readYaml } from './yaml';

/** Keys whose string values (or lists of strings) are shell. */
const SHELL_KEYS = new Set([
  'run', 'command', 'script', 'before_script', 'after_script', 'commands', 'bash', 'sh', 'shell', 'pwsh', 'powershell',
  'ps', 'cmd', 'inline', 'install', 'before_install', 'after_success', 'after_failure', 'deploy', 'build_script',
  'test_script', 'pre_build', 'post_build', 'finally', 'entrypoint', 'args',
]);

function shellOf(text: string, n: IacNode, out: DocumentEntry[]): void {
  if (n.type !== 'scalar' || typeof n.value !== 'string') return;
  let s = n.start, e = n.end;
  const c = text[s];
  if (c === '"' || c === "'") { s++; e--; } // a quoted flow scalar: read inside the quotes
  if (e > s) out.push(...readShellRange(text, s, e));
  // The step is read as shell (its pairs are in `entries`): tagged so that tree walks do not judge the whole script
  // as one value a second time.
  n.tag = SHELL_TAG;
}

/** Tag set on scalars of the tree that were read as shell. */
export const SHELL_TAG = 'keyway:shell';

export function readCi(text: string): Pick<ParsedDocument, 'roots' | 'entries' | 'errors' | 'fallback'> {
  const doc = readYaml(text);
  const entries: DocumentEntry[] = [];
  for (const root of doc.roots) {
    walk(root, (step) => {
      if (!step.key || !SHELL_KEYS.has(step.key)) return;
      shellOf(text, step.node, entries);
    });
  }
  return { ...doc, entries };
}
