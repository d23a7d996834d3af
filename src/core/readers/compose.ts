// docker-compose files: YAML (lenient), with `environment:` and `build.args:` written as `- KEY=value` lists turned
// into maps whose keys and values carry exact offsets, so a value is judged under its own name and pointed at alone.
import { walk, type IacMap, type IacNode } from '../iac/nodes';
import type { ParsedDocument } from '../types';
import { map, scalar } from './nodes';
import { readYaml } from './yaml';

const LIST_KEYS = new Set(['environment', 'args']);

function listAsMap(text: string, list: IacNode): IacMap | undefined {
  if (list.type !== 'seq' || list.tag) return undefined;
  const out = map(list.start, list.end);
  for (const it of list.items) {
    if (it.type !== 'scalar' || typeof it.value !== 'string' || it.tag) return undefined;
    const eq = it.value.indexOf('=');
    const quoted = text[it.start] === '"' || text[it.start] === "'";
    const ks = it.start + (quoted ? 1 : 0);
    const name = eq < 0 ? it.value : it.value.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) return undefined;
    const vs = ks + name.length + 1;
    out.entries.push({
      key: scalar(name, ks, ks + name.length),
      value: eq < 0 ? scalar(null, ks + name.length, ks + name.length) : scalar(it.value.slice(eq + 1), vs, Math.max(vs, it.end - (quoted ? 1 : 0))),
    });
  }
  return out;
}

export function readCompose(text: string): Pick<ParsedDocument, 'roots' | 'entries' | 'errors' | 'fallback'> {
  const doc = readYaml(text);
  for (const root of doc.roots) {
    walk(root, (step) => {
      const n = step.node;
      if (n.type !== 'map') return;
      for (const e of n.entries) {
        if (typeof e.key.value === 'string' && LIST_KEYS.has(e.key.value)) {
          const m = listAsMap(text, e.value);
          if (m) e.value = m;
        }
      }
    });
  }
  return doc;
}
