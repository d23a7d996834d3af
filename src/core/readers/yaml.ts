// YAML with a lenient fallback. Real CloudFormation/SAM templates have quirks a strict parser rejects: a multi-line
// single-quoted `!Sub` whose closing line is less indented than its body, tabs in indentation, stray characters.
// When the strict parse of a document reports errors, the document is read block by block: each top-level key (then,
// for a block that still fails, each child key, down to MAX_DEPTH levels) is parsed on its own, so one broken resource
// does not hide the others. A block that cannot be parsed at the deepest level is read with a `key: value` line
// grammar. Offsets stay exact (blocks are parsed as slices and shifted). The fallback used is reported.
import { parseYaml } from '../iac/yaml';
import type { IacMap, IacNode, IacSeq } from '../iac/nodes';
import type { ParsedDocument } from '../types';
import { map, scalar, seq } from './nodes';

const MAX_DEPTH = 6;
/** Above this many blocks re-parsed one by one, the rest of a broken document is read with the line grammar. */
const MAX_BLOCK_PARSES = 2000;

interface Line { start: number; end: number; indent: number; content: number }

function linesOf(text: string, start: number, end: number): Line[] {
  const out: Line[] = [];
  let pos = start;
  while (pos < end) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0 || eol > end) eol = end;
    let i = pos;
    let indent = 0;
    while (i < eol && (text[i] === ' ' || text[i] === '\t')) { indent += text[i] === '\t' ? 8 - (indent % 8) : 1; i++; }
    const blank = i >= eol || text[i] === '\r' || text[i] === '#';
    if (!blank) out.push({ start: pos, end: eol, indent, content: i });
    pos = eol + 1;
  }
  return out;
}

/** Shift every offset of a tree parsed from a slice. Iterative. */
function shift(node: IacNode, delta: number): IacNode {
  if (!delta) return node;
  const stack: IacNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    n.start += delta; n.end += delta;
    if (n.type === 'map') for (const e of n.entries) { e.key.start += delta; e.key.end += delta; stack.push(e.value); }
    else if (n.type === 'seq') for (const it of n.items) stack.push(it);
  }
  return node;
}

/**
 * Work done re-parsing blocks: counted in characters handed to the parser. Past the budget (a few times the text), the
 * rest is read with the line grammar, so a document broken on every line cannot make the fallback quadratic.
 */
interface State { parses: number; chars: number; budget: number; lineFallback: boolean; blocks: boolean }

function canParse(st: State, size: number): boolean {
  if (st.parses >= MAX_BLOCK_PARSES || st.chars + size > st.budget) return false;
  st.parses++;
  st.chars += size;
  return true;
}

/** `key: value` lines nested by indentation: the last resort for a block no parser accepts. */
function lineGrammar(text: string, start: number, end: number, st: State): IacMap {
  st.lineFallback = true;
  const root = map(start, end);
  const stack: { indent: number; m: IacMap }[] = [{ indent: -1, m: root }];
  for (const l of linesOf(text, start, end)) {
    const line = text.slice(l.content, l.end).replace(/\r$/, '');
    const m = /^(-[ \t]+)?("[^"]*"|'[^']*'|[^\s:#][^:#]*?)[ \t]*:(?:[ \t]+(.*))?$/.exec(line);
    if (!m) continue;
    while (stack.length > 1 && stack[stack.length - 1].indent >= l.indent) stack.pop();
    const parent = stack[stack.length - 1].m;
    const ks = l.content + (m[1]?.length ?? 0);
    const key = m[2].replace(/^(["'])(.*)\1$/, '$2');
    const rest = m[3]?.replace(/[ \t]+#.*$/, '') ?? '';
    if (!rest.trim()) {
      const child = map(ks, l.end);
      parent.entries.push({ key: scalar(key, ks, ks + m[2].length), value: child });
      stack.push({ indent: l.indent, m: child });
      continue;
    }
    const vs = l.end - (line.length - line.indexOf(rest, m[2].length + (m[1]?.length ?? 0)));
    let value = rest.trim();
    let tag: string | undefined;
    const t = /^!([A-Za-z:]+)[ \t]+/.exec(value);
    if (t) { tag = t[1]; value = value.slice(t[0].length); }
    const q = /^(["'])(.*)\1$/.exec(value);
    if (q) value = q[2];
    const v = scalar(value, vs, vs + rest.trimEnd().length);
    if (tag) v.tag = tag;
    parent.entries.push({ key: scalar(key, ks, ks + m[2].length), value: v });
  }
  return root;
}

/** Parse `text[start, end)` alone; on errors, split it into blocks at its smallest indentation and recurse. */
function region(text: string, start: number, end: number, depth: number, st: State, knownBad = false): IacNode | undefined {
  if (knownBad) { /* already parsed whole, with errors */ } else if (canParse(st, end - start)) {
    const r = parseYaml(text.slice(start, end));
    if (!r.errors.length) return r.roots[0] ? shift(r.roots[0], start) : undefined;
  } else return lineGrammar(text, start, end, st);
  if (depth >= MAX_DEPTH) return lineGrammar(text, start, end, st);
  st.blocks = true;
  const lines = linesOf(text, start, end);
  if (!lines.length) return undefined;
  const min = Math.min(...lines.map((l) => l.indent));
  const chunks: { header: Line; end: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].indent !== min) continue;
    if (chunks.length) chunks[chunks.length - 1].end = lines[i].start;
    chunks.push({ header: lines[i], end });
  }
  const isSeq = text.startsWith('- ', chunks[0].header.content) || text.startsWith('-\n', chunks[0].header.content);
  const out: IacMap | IacSeq = isSeq ? seq(start, end) : map(start, end);
  for (const c of chunks) {
    const h = c.header;
    if (isSeq) {
      const item = region(text, h.start, c.end, depth + 1, st);
      if (item?.type === 'seq') (out as IacSeq).items.push(...item.items);
      else if (item) (out as IacSeq).items.push(item);
      continue;
    }
    if (canParse(st, c.end - h.start)) {
      const whole = parseYaml(text.slice(h.start, c.end));
      if (!whole.errors.length && whole.roots[0]?.type === 'map') {
        (out as IacMap).entries.push(...(shift(whole.roots[0], h.start) as IacMap).entries);
        continue;
      }
    }
    const line = text.slice(h.content, h.end).replace(/\r$/, '');
    const m = /^("[^"]*"|'[^']*'|[^\s:#][^:#]*?)[ \t]*:(?:[ \t]+(.*))?$/.exec(line);
    if (!m) continue;
    const key = scalar(m[1].replace(/^(["'])(.*)\1$/, '$2'), h.content, h.content + m[1].length);
    const rest = (m[2] ?? '').replace(/[ \t]+#.*$/, '').trim();
    const bodyStart = Math.min(c.end, h.end + 1);
    if (!rest || /^![A-Za-z:]+$/.test(rest) || rest === '|' || rest === '>') {
      const child = bodyStart < c.end ? region(text, bodyStart, c.end, depth + 1, st) : undefined;
      const value = child ?? scalar(null, key.end, key.end);
      const tag = /^!([A-Za-z:]+)$/.exec(rest);
      if (tag) value.tag = tag[1];
      (out as IacMap).entries.push({ key, value });
    } else {
      // a broken scalar (e.g. a quoted string whose closing line is less indented): its raw text, tag kept
      const vs = h.content + line.indexOf(rest, m[1].length);
      let raw = text.slice(vs, c.end).trimEnd();
      let tag: string | undefined;
      const t = /^!([A-Za-z:]+)[ \t]+/.exec(raw);
      if (t) { tag = t[1]; raw = raw.slice(t[0].length); }
      const value = scalar(raw.replace(/^(['"])([\s\S]*)\1$/, '$2'), vs + (t?.[0].length ?? 0), vs + text.slice(vs, c.end).trimEnd().length);
      if (tag) value.tag = tag;
      (out as IacMap).entries.push({ key, value });
    }
  }
  return out;
}

/** Document boundaries of a YAML stream (`---` lines). */
function documents(text: string): [number, number][] {
  const out: [number, number][] = [];
  const re = /^---[ \t]*(?:#.*)?\r?$/gm;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m.index > last || out.length) out.push([last, m.index]);
    last = m.index + m[0].length + 1;
  }
  out.push([Math.min(last, text.length), text.length]);
  return out.filter(([a, b]) => b > a);
}

export function readYaml(text: string): Pick<ParsedDocument, 'roots' | 'entries' | 'errors' | 'fallback'> {
  const strict = parseYaml(text);
  if (!strict.errors.length) return { roots: strict.roots, entries: [], errors: [] };
  // Refusals that no fallback can help (absurd nesting) are reported as they are.
  if (!strict.roots.length && /Nesting deeper/.test(strict.errors[0]?.message ?? '')) return { roots: [], entries: [], errors: strict.errors };
  // Re-parsing is bounded by half a pass over the text (at most 128 KB more); a document with errors everywhere goes straight to
  // the line grammar (the YAML parser is slow on such input).
  const st: State = { parses: 0, chars: 0, budget: strict.errors.length > 100 ? 0 : Math.min(text.length / 2, 131_072) + 16_384, lineFallback: false, blocks: false };
  const roots: IacNode[] = [];
  let perDocument = false;
  const docs = documents(text);
  for (const [a, b] of docs) {
    if (docs.length > 1 && canParse(st, b - a)) {
      const r = parseYaml(text.slice(a, b));
      if (!r.errors.length) { if (r.roots[0]) { roots.push(shift(r.roots[0], a)); perDocument = true; } continue; }
    }
    const n = region(text, a, b, 0, st, docs.length === 1);
    if (n) roots.push(n);
  }
  const fallback = st.lineFallback ? 'key-value-lines' : st.blocks ? 'per-block' : perDocument ? 'per-document' : 'per-block';
  return { roots, entries: [], errors: strict.errors, fallback };
}
