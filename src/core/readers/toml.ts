// TOML, read with toml-eslint-parser (a maintained TOML 1.0/1.1 parser that keeps source ranges), converted into the
// IacNode tree: tables and dotted keys become nested maps, `[[array tables]]` sequences of maps. In `samconfig.toml`,
// `parameter_overrides` (`"Key=Value Key2=\"v 2\""` or a list of `Key=Value` strings) becomes a map of the overrides
// with exact offsets. When the strict parse fails, the INI line grammar reads what it can (fallback `ini-lines`).
import { parseTOML, type TOMLContentNode, type TOMLKey, type TOMLKeyValue } from 'toml-eslint-parser';
import type { IacMap, IacNode, IacScalar } from '../iac/nodes';
import type { ParsedDocument } from '../types';
import { readIni } from './ini';
import { childMap, cover, map, scalar, seq } from './nodes';
import { spanOf, splitWords } from './words';

const MAX_DEPTH = 200;

function keyParts(k: TOMLKey): { name: string; start: number; end: number }[] {
  return k.keys.map((p) => ({ name: p.type === 'TOMLBare' ? p.name : p.value, start: p.range[0], end: p.range[1] }));
}

/** `Key=Value Key2="v 2"` inside a TOML string, split like a shell line; offsets point into the TOML source. */
function overridesMap(text: string, node: IacScalar, out: IacMap): void {
  const open = text.startsWith('"""', node.start) || text.startsWith("'''", node.start) ? 3 : 1;
  const raw0 = node.start + open;
  const raw1 = node.end - open;
  // In a basic string, TOML escapes come first: `\"` stands for a quote. `src[i]` sits at `raw0 + at[i]`.
  let src = '';
  const at: number[] = [];
  const basic = text[node.start] === '"';
  for (let i = raw0; i < raw1; i++) {
    if (basic && text[i] === '\\' && i + 1 < raw1) {
      const n = text[i + 1];
      src += n === 't' ? '\t' : n === 'n' ? '\n' : n;
      at.push(i + 1);
      i++;
      continue;
    }
    src += text[i];
    at.push(i);
  }
  at.push(raw1);
  const { words } = splitWords(src, 0, src.length, {});
  for (const w of words) {
    const eq = w.value.indexOf('=');
    if (eq <= 0) continue;
    const ks = at[w.map[0] ?? w.start];
    const span = spanOf(w, eq + 1);
    const vs = at[span.start], ve = at[Math.max(span.start, span.end - 1)] + (span.end > span.start ? 1 : 0);
    out.entries.push({ key: scalar(w.value.slice(0, eq), ks, ks + eq), value: scalar(w.value.slice(eq + 1), vs, Math.max(vs, ve)) });
  }
}

function convertValue(text: string, v: TOMLContentNode, depth: number, keyName: string, samconfig: boolean): IacNode {
  const [s, e] = v.range;
  if (depth > MAX_DEPTH) return scalar(null, s, e);
  if (v.type === 'TOMLArray') {
    const out = seq(s, e);
    for (const el of v.elements) out.items.push(convertValue(text, el, depth + 1, keyName, false));
    if (samconfig && keyName === 'parameter_overrides') {
      const m = map(s, e);
      for (const it of out.items) if (it.type === 'scalar' && typeof it.value === 'string') overridesMap(text, it, m);
      return m;
    }
    return out;
  }
  if (v.type === 'TOMLInlineTable') {
    const out = map(s, e);
    for (const kv of v.body) addKeyValue(text, out, kv, depth + 1, samconfig);
    return out;
  }
  const value = v.kind === 'string' || v.kind === 'boolean' ? v.value as string | boolean
    : v.kind === 'integer' || v.kind === 'float' ? (typeof v.value === 'number' ? v.value : String(v.number ?? v.value))
      : String(v.datetime ?? v.value);
  const node = scalar(value as string | number | boolean, s, e);
  if (samconfig && keyName === 'parameter_overrides' && typeof value === 'string') {
    const m = map(s, e);
    overridesMap(text, node, m);
    return m;
  }
  return node;
}

function addKeyValue(text: string, table: IacMap, kv: TOMLKeyValue, depth: number, samconfig: boolean): void {
  const parts = keyParts(kv.key);
  let target = table;
  for (const p of parts.slice(0, -1)) target = childMap(target, p.name, p.start, p.end);
  const last = parts[parts.length - 1];
  if (!last) return;
  const value = convertValue(text, kv.value, depth, last.name, samconfig);
  target.entries.push({ key: scalar(last.name, last.start, last.end), value });
  cover(target, value);
}

export function readToml(text: string, flavor?: string): Pick<ParsedDocument, 'roots' | 'entries' | 'errors' | 'fallback'> {
  const samconfig = flavor === 'samconfig';
  try {
    const ast = parseTOML(text);
    const root = map(0, text.length);
    for (const item of ast.body[0].body) {
      if (item.type === 'TOMLKeyValue') { addKeyValue(text, root, item, 1, samconfig); continue; }
      const parts = keyParts(item.key);
      let target = root;
      const path = item.kind === 'array' ? parts.slice(0, -1) : parts;
      for (const p of path) target = childMap(target, p.name, p.start, p.end);
      let table: IacMap = target;
      if (item.kind === 'array') {
        const last = parts[parts.length - 1];
        let list = target.entries.find((x) => x.key.value === last.name)?.value;
        if (!list || list.type !== 'seq') {
          list = seq(item.range[0], item.range[1]);
          target.entries.push({ key: scalar(last.name, last.start, last.end), value: list });
        }
        table = map(item.range[0], item.range[1]);
        list.items.push(table);
      }
      for (const kv of item.body) addKeyValue(text, table, kv, 2, samconfig);
      cover(table, map(item.range[0], item.range[1]));
    }
    return { roots: [root], entries: [], errors: [] };
  } catch (e) {
    const offset = typeof (e as { index?: unknown }).index === 'number' ? (e as { index: number }).index : 0;
    const message = e instanceof Error ? e.message : String(e);
    const lenient = readIni(text);
    return { roots: lenient.roots, entries: [], errors: [{ message, offset }, ...lenient.errors], fallback: 'ini-lines' };
  }
}
