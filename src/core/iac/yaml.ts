// YAML with CloudFormation short tags, converted to the offset-keeping IacNode tree. Never throws.
import { Alias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YNode, type Tags } from 'yaml';
import type { IacMap, IacNode, IacScalar, IacSeq, ParseResult } from './nodes';

/** The CloudFormation short-form tags. Each may be written on a scalar, a sequence or a mapping. */
export const CFN_SHORT_TAGS = [
  'Ref', 'Sub', 'GetAtt', 'If', 'Join', 'Select', 'FindInMap', 'ImportValue', 'Split', 'Base64', 'Equals', 'Not', 'And',
  'Or', 'Condition', 'GetAZs', 'Cidr', 'Transform', 'Contains', 'EachMemberEquals', 'EachMemberIn', 'RefAll',
  'ValueOf', 'ValueOfAll', 'Length', 'ToJsonString', 'ForEach',
] as const;

/** Identity tags: the node keeps its shape and records its tag; values are never resolved or executed. */
const customTags: Tags = CFN_SHORT_TAGS.flatMap((t) => [
  { tag: '!' + t, resolve: (s: string) => s, identify: () => false },
  { tag: '!' + t, collection: 'seq' as const, identify: () => false },
  { tag: '!' + t, collection: 'map' as const, identify: () => false },
]);

const MAX_DEPTH = 200;

/**
 * Rough nesting depth (flow brackets, and block indentation in columns / 2). The yaml package recurses per level;
 * near the stack limit V8 can abort the whole process, so absurdly deep input is refused before parsing.
 */
function tooDeep(text: string): boolean {
  let flow = 0, max = 0, col = 0, lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) { lineStart = true; col = 0; continue; }
    if (lineStart) {
      if (c === 32 || c === 45) { col++; if (col > 2 * MAX_DEPTH) return true; continue; }
      lineStart = false;
    }
    if (c === 91 || c === 123) { flow++; if (flow > max) max = flow; if (max > MAX_DEPTH / 2) return true; }
    else if (c === 93 || c === 125) flow = Math.max(0, flow - 1);
  }
  return false;
}

function convert(n: unknown, depth: number): IacNode | undefined {
  if (depth > MAX_DEPTH || n === null || n === undefined) return undefined;
  if (n instanceof Alias) return undefined; // aliases point at nodes already converted; no separate position
  const node = n as YNode;
  const range = node.range ?? [0, 0, 0];
  const rawTag = (node as { tag?: string }).tag;
  const tag = rawTag && rawTag.startsWith('!') && !rawTag.startsWith('!!') ? rawTag.slice(1) : undefined;
  if (isScalar(node)) {
    const v = node.value;
    const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : v === null ? null : String(v);
    const s: IacScalar = { type: 'scalar', value, start: range[0], end: range[1] };
    if (tag) s.tag = tag;
    return s;
  }
  if (isMap(node)) {
    const m: IacMap = { type: 'map', entries: [], start: range[0], end: range[1] };
    if (tag) m.tag = tag;
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const k = convert(item.key, depth + 1);
      if (!k || k.type !== 'scalar') continue;
      const v = convert(item.value, depth + 1) ?? { type: 'scalar', value: null, start: k.end, end: k.end };
      m.entries.push({ key: k, value: v });
    }
    return m;
  }
  if (isSeq(node)) {
    const s: IacSeq = { type: 'seq', items: [], start: range[0], end: range[1] };
    if (tag) s.tag = tag;
    for (const item of node.items) {
      const c = convert(item, depth + 1);
      if (c) s.items.push(c);
    }
    return s;
  }
  return undefined;
}

/** Parse YAML (all documents of a stream). CloudFormation tags are kept as `tag`; unknown tags only warn. */
export function parseYaml(text: string): ParseResult {
  const result: ParseResult = { roots: [], errors: [] };
  if (tooDeep(text)) {
    result.errors.push({ message: `Nesting deeper than ${MAX_DEPTH} levels: not parsed`, offset: 0 });
    return result;
  }
  try {
    const docs = parseAllDocuments(text, {
      customTags, uniqueKeys: false, prettyErrors: false, strict: false, lineCounter: new LineCounter(),
    });
    const list = Array.isArray(docs) ? docs : [];
    for (const d of list) {
      for (const e of d.errors) result.errors.push({ message: e.message, offset: e.pos?.[0] ?? 0 });
      const root = convert(d.contents, 0);
      if (root) result.roots.push(root);
    }
  } catch (e) {
    result.errors.push({ message: e instanceof Error ? e.message : String(e), offset: 0 });
  }
  return result;
}
