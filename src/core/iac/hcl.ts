// A tolerant reader for HCL, the language of Terraform (`.tf`) and its variable files (`.tfvars`), yielding the
// position-keeping IacNode tree the YAML and JSON readers yield. Never throws: on malformed input it records an error,
// skips to the next line or closing bracket and reads on.
//
// Why our own: the HCL parsers on npm either give no source positions (`@cdktf/hcl2json`, an async WASM build of the
// Go parser whose project is being sunset; `hcl2-parser`, a 750 KB GopherJS build) or need a native addon
// (`tree-sitter-hcl`) or an editor framework (`codemirror-lang-hcl` pulls in CodeMirror). Keyway needs offsets for
// every value (findings point at them, fixes rewrite them) and a synchronous, dependency-free reader, so it reads the
// subset Terraform files use:
//   - bodies of attributes (`name = expr`) and blocks (`type "label" ident { … }`, one-line blocks too);
//   - strings with escapes, `${…}` interpolation and `%{…}` directives (kept as written), heredocs (`<<EOF`,
//     indented `<<-EOF`), numbers, `true`/`false`/`null`;
//   - objects (`{ a = 1, "b": 2 }`) and tuples; `jsonencode(…)`, `tolist(…)`, `toset(…)`, `tomap(…)` of a literal
//     stand for their argument;
//   - comments (`#`, `//`, `/* */`);
//   - any other expression (references such as `aws_iam_role.x.arn`, calls, operators, conditionals, `for`
//     expressions, splats) is kept as its source text, tagged `ref` (a plain traversal) or `expr` (anything else).
//
// The tree: a file or block body is a map whose entries are its attributes (key = the name) and its nested blocks
// (key = the block type; value = one map per label, innermost the body: `resource "aws_s3_bucket" "b" {…}` is the
// entry `resource: { aws_s3_bucket: { b: {…} } }`, merged with the other resources as in Terraform's JSON syntax);
// blocks without labels (`statement {}`) repeat their key, in source order.
// `blocks` gives the same blocks with their labels, for readers that think in blocks (the Terraform model).
import { C, HclLexer, isDigit, isIdPart, isIdStart } from './hcl-lexer';
import type { IacMap, IacNode, IacScalar, IacSeq, ParseResult } from './nodes';

export interface HclBlock {
  /** Block type (`resource`, `statement`, `environment`). */
  type: string;
  typeNode: IacScalar;
  /** Labels (`"aws_lambda_function"`, `"api"`), quoted or bare. */
  labels: IacScalar[];
  /** Attributes and nested blocks, as in the map view. */
  body: IacMap;
  /** Nested blocks, in source order. */
  blocks: HclBlock[];
  start: number;
  end: number;
}

export interface HclFile extends ParseResult {
  /** The file's top-level body (also `roots[0]`). */
  body: IacMap;
  /** Top-level blocks, in source order. */
  blocks: HclBlock[];
}

/** `ref` tags a traversal (`var.stage`, `aws_iam_role.lambda.arn`); `expr` any other non-literal expression. */
export type HclTag = 'ref' | 'expr';

const MAX_DEPTH = 128;

/** Functions whose result is their (single) argument as far as Keyway cares: a policy object, a list of ARNs. */
const TRANSPARENT_CALLS = new Set(['jsonencode', 'yamlencode', 'tolist', 'toset', 'tomap', 'sensitive', 'nonsensitive']);

/** The grammar: bodies, blocks, expressions, objects and tuples, over the lexer's tokens. */
class Reader extends HclLexer {
  private depth = 0;

  // ---------------------------------------------------------------------------------------------
  // Bodies and blocks

  /** A body up to `}` (inside a block) or the end of the text (top level). */
  body(inBlock: boolean, start: number): { map: IacMap; blocks: HclBlock[] } {
    const map: IacMap = { type: 'map', entries: [], start, end: start };
    const blocks: HclBlock[] = [];
    for (;;) {
      this.skip(true);
      const c = this.c();
      if (c < 0) {
        if (inBlock) this.error('Unclosed block: expected "}"');
        break;
      }
      if (c === C.RBrace) {
        if (inBlock) { this.i++; break; }
        this.error('Unexpected "}"');
        this.i++;
        continue;
      }
      const key = this.ident();
      if (!key) {
        this.error('Expected an attribute name or a block type');
        this.skipLine();
        continue;
      }
      this.skip(false);
      if (this.c() === C.Eq && this.c(this.i + 1) !== C.Eq) {
        this.i++;
        const value = this.expression(false);
        map.entries.push({ key, value });
        this.endOfItem();
        continue;
      }
      const block = this.block(key);
      if (block) {
        blocks.push(block);
        addBlockEntry(map, block);
      }
    }
    map.end = this.i;
    return { map, blocks };
  }

  /** After an attribute: the rest of the line must be empty (or the block may close on the same line). */
  private endOfItem(): void {
    this.skip(false);
    const c = this.c();
    if (c < 0 || c === C.Nl || c === C.RBrace) return;
    this.error('Unexpected content after the attribute value');
    this.skipLine();
  }

  private block(typeNode: IacScalar): HclBlock | undefined {
    const labels: IacScalar[] = [];
    for (;;) {
      this.skip(false);
      const c = this.c();
      if (c === C.Quote) { labels.push(this.stringLiteralNode()); continue; }
      const id = isIdStart(c) ? this.ident() : undefined;
      if (id) { labels.push(id); continue; }
      break;
    }
    if (this.c() !== C.LBrace) {
      this.error(`Expected "=" or "{" after "${typeNode.value}"`);
      this.skipLine();
      return undefined;
    }
    if (this.depth >= MAX_DEPTH) {
      this.error(`Nesting deeper than ${MAX_DEPTH} levels: not read`);
      this.skipBalanced();
      return undefined;
    }
    const open = this.i;
    this.i++;
    this.depth++;
    const { map, blocks } = this.body(true, open);
    this.depth--;
    return { type: String(typeNode.value), typeNode, labels, body: map, blocks, start: typeNode.start, end: this.i };
  }

  // ---------------------------------------------------------------------------------------------
  // Expressions

  /**
   * One expression. In a collection (`inCollection`), newlines do not end it where HCL allows them to continue, and
   * `,` / `}` / `]` / `)` end it. A literal, collection, or plain traversal becomes its node; anything more becomes one
   * scalar holding its source text.
   */
  expression(inCollection: boolean): IacNode {
    this.skip(false);
    const start = this.i;
    if (this.depth >= MAX_DEPTH) {
      this.error(`Nesting deeper than ${MAX_DEPTH} levels: not read`);
      return this.raw(start, inCollection);
    }
    this.depth++;
    try {
      const primary = this.primary();
      if (!primary) return this.raw(start, inCollection);
      this.skip(false);
      const c = this.c();
      if (c < 0 || c === C.Nl || c === C.Comma || c === C.RBrace || c === C.RBracket || c === C.RParen
        || c === C.Hash || (c === C.Slash && (this.c(this.i + 1) === C.Slash || this.c(this.i + 1) === C.Star))) return primary;
      // `a ? b : c`, `a + b`, `x == y`: an operator follows the first operand.
      if (c === C.Eq && this.c(this.i + 1) === C.Gt) return primary; // `k => v` in a for expression
      return this.raw(start, inCollection);
    } finally {
      this.depth--;
    }
  }

  /** Consume the rest of an expression from `start` (balanced brackets, strings, heredocs) as one `expr` scalar. */
  private raw(start: number, inCollection: boolean): IacScalar {
    this.i = start;
    let nest = 0;
    while (this.i < this.n) {
      const c = this.c();
      if (c === C.Quote) { this.stringLiteralNode(); continue; }
      if (c === C.Lt && this.c(this.i + 1) === C.Lt && this.heredocAhead()) { this.heredoc(); continue; }
      if (c === C.Hash || (c === C.Slash && this.c(this.i + 1) === C.Slash)) {
        if (nest === 0) break;
        this.skipLine();
        continue;
      }
      if (c === C.Slash && this.c(this.i + 1) === C.Star) { this.skip(false); continue; }
      if (c === C.LParen || c === C.LBracket || c === C.LBrace) { nest++; this.i++; continue; }
      if (c === C.RParen || c === C.RBracket || c === C.RBrace) {
        if (nest === 0) break;
        nest--;
        this.i++;
        continue;
      }
      if (nest === 0 && (c === C.Nl || (inCollection && c === C.Comma))) break;
      this.i++;
    }
    let end = this.i;
    while (end > start && /\s/.test(this.text[end - 1])) end--;
    if (end === start) {
      this.error('Expected an expression', start);
      return { type: 'scalar', value: null, start, end: start };
    }
    const t = this.text.slice(start, end);
    return { type: 'scalar', value: t, start, end, tag: /^[A-Za-z_][\w-]*(?:\.[\w-]+|\[[^\]\n]*\])*$/.test(t) && !t.includes('(') ? 'ref' : 'expr' };
  }

  private primary(): IacNode | undefined {
    const c = this.c();
    const start = this.i;
    if (c === C.Quote) return this.stringLiteralNode();
    if (c === C.Lt && this.c(this.i + 1) === C.Lt && this.heredocAhead()) return this.heredoc();
    if (isDigit(c)) return this.number();
    if (c === C.LBrace) return this.forAhead() ? undefined : this.object();
    if (c === C.LBracket) return this.forAhead() ? undefined : this.tuple();
    if (!isIdStart(c)) return undefined;
    const id = this.ident()!;
    const word = String(id.value);
    if (this.c() === C.LParen) return this.call(word, start);
    if (this.c() === C.Colon && this.c(this.i + 1) === C.Colon) return undefined; // provider::x::f(…)
    if (this.c() !== C.Dot && this.c() !== C.LBracket) {
      if (word === 'true' || word === 'false') return { type: 'scalar', value: word === 'true', start, end: this.i };
      if (word === 'null') return { type: 'scalar', value: null, start, end: this.i };
    }
    // a traversal: `a.b`, `a.0`, `a[0]`, `a[*].b`, `a.*.b`
    for (;;) {
      const d = this.c();
      if (d === C.Dot && (isIdStart(this.c(this.i + 1)) || isDigit(this.c(this.i + 1)) || this.c(this.i + 1) === C.Star)) {
        this.i++;
        if (this.c() === C.Star) this.i++;
        else while (isIdPart(this.c())) this.i++;
        continue;
      }
      if (d === C.LBracket) {
        const close = this.matching(this.i);
        if (close < 0) return undefined;
        this.i = close + 1;
        continue;
      }
      break;
    }
    return { type: 'scalar', value: this.text.slice(start, this.i), start, end: this.i, tag: 'ref' };
  }

  /** `jsonencode({…})` and friends stand for their argument; any other call is raw text. */
  private call(name: string, start: number): IacNode | undefined {
    if (name === 'merge') { const m = this.mergeCall(start); if (m) return m; }
    if (!TRANSPARENT_CALLS.has(name)) {
      const close = this.matching(this.i);
      if (close < 0) return undefined;
      this.i = close + 1;
      const value = this.text.slice(start, this.i);
      return { type: 'scalar', value, start, end: this.i, tag: 'expr' };
    }
    const open = this.i;
    this.i++;
    this.skip(true);
    const arg = this.expression(true);
    this.skip(true);
    if (this.c() !== C.RParen) {
      // more than one argument or a trailing `...`: not the argument alone
      const close = this.matching(open);
      if (close < 0) { this.i = start; return undefined; }
      this.i = close + 1;
      return { type: 'scalar', value: this.text.slice(start, this.i), start, end: this.i, tag: 'expr' };
    }
    this.i++;
    return arg;
  }

  /**
   * `merge(local.common, { A = "x" })`: a sequence tagged `merge` of its arguments (objects and traversals), which
   * readers may resolve; undefined (the caller keeps the text) when an argument is anything else.
   */
  private mergeCall(start: number): IacNode | undefined {
    const open = this.i;
    this.i++;
    const s: IacNode = { type: 'seq', items: [], start, end: start, tag: 'merge' };
    for (;;) {
      this.skip(true);
      if (this.c() === C.RParen) { this.i++; break; }
      if (this.c() === C.Comma) { this.i++; continue; }
      const before = this.i;
      const arg = this.expression(true);
      const plain = arg.type === 'map' || (arg.type === 'scalar' && arg.tag === 'ref');
      if (!plain || this.i === before) { this.i = open; return undefined; }
      s.items.push(arg);
    }
    s.end = this.i;
    return s;
  }

  /** `{ for …` / `[ for …`: a for expression (kept as text). */
  private forAhead(): boolean {
    return /^[[{]\s*for\s/.test(this.text.slice(this.i, this.i + 12));
  }

  private object(): IacMap {
    const m: IacMap = { type: 'map', entries: [], start: this.i, end: this.i };
    this.i++;
    for (;;) {
      this.skip(true);
      const c = this.c();
      if (c < 0) { this.error('Unclosed object: expected "}"'); break; }
      if (c === C.RBrace) { this.i++; break; }
      if (c === C.Comma) { this.i++; continue; }
      const key = this.objectKey();
      if (!key) {
        this.error('Expected an object key');
        const before = this.i;
        this.skipItem();
        if (this.i === before) this.i++; // a stray `]` or `)`: skipItem stops on it (found by npm run fuzz)
        continue;
      }
      this.skip(false);
      const k = this.c();
      if ((k === C.Eq && this.c(this.i + 1) !== C.Eq) || k === C.Colon) {
        this.i++;
        m.entries.push({ key, value: this.expression(true) });
      } else {
        this.error('Expected "=" or ":" after an object key');
        this.skipItem();
      }
    }
    m.end = this.i;
    return m;
  }

  /** An object key: a name, a quoted string, or a parenthesised expression (kept as text). */
  private objectKey(): IacScalar | undefined {
    const c = this.c();
    if (c === C.Quote) return this.stringLiteralNode();
    if (isIdStart(c)) {
      const id = this.ident()!;
      // `foo.bar = …` is not a valid key; `(var.k) = …` is written with parentheses
      return id;
    }
    if (isDigit(c)) { const n = this.number(); return { ...n, value: String(n.value) }; }
    if (c === C.LParen) {
      const close = this.matching(this.i);
      if (close < 0) return undefined;
      const start = this.i;
      this.i = close + 1;
      return { type: 'scalar', value: this.text.slice(start, this.i), start, end: this.i, tag: 'expr' };
    }
    return undefined;
  }

  /** Skip to the next `,`, newline or closing bracket of the current collection. */
  private skipItem(): void {
    while (this.i < this.n) {
      const c = this.c();
      if (c === C.Nl || c === C.Comma || c === C.RBrace || c === C.RBracket) return;
      if (c === C.LBrace || c === C.LBracket || c === C.LParen) { const e = this.matching(this.i); this.i = e < 0 ? this.n : e + 1; continue; }
      if (c === C.Quote) { this.stringLiteralNode(); continue; }
      this.i++;
    }
  }

  private tuple(): IacSeq {
    const s: IacSeq = { type: 'seq', items: [], start: this.i, end: this.i };
    this.i++;
    for (;;) {
      this.skip(true);
      const c = this.c();
      if (c < 0) { this.error('Unclosed list: expected "]"'); break; }
      if (c === C.RBracket) { this.i++; break; }
      if (c === C.Comma) { this.i++; continue; }
      if (c === C.RBrace || c === C.RParen) { this.error('Unexpected closing bracket in a list'); this.i++; continue; }
      const before = this.i;
      s.items.push(this.expression(true));
      if (this.i === before) { this.error('Unexpected character in a list'); this.i++; }
    }
    s.end = this.i;
    return s;
  }

}

/** The intermediate maps of the map view that stand for a label level (merged across blocks). */
const labelLevels = new WeakSet<IacMap>();

/**
 * Add a block to the map view, as Terraform's JSON syntax writes it: `type: { label1: { label2: body } }`. Blocks of
 * one type with labels share one entry per label level (`resource` holds every resource, by type then name), so
 * `getPath(body, 'resource', 'aws_lambda_function', 'api')` finds one; blocks without labels (`statement`) repeat.
 */
function addBlockEntry(map: IacMap, b: HclBlock): void {
  if (!b.labels.length) { map.entries.push({ key: b.typeNode, value: b.body }); return; }
  let into = map;
  let key = b.typeNode;
  for (const label of b.labels) {
    let next = into.entries.find((e) => e.key.value === key.value && e.value.type === 'map' && labelLevels.has(e.value))?.value as IacMap | undefined;
    if (!next) {
      next = { type: 'map', entries: [], start: label.start, end: b.end };
      labelLevels.add(next);
      into.entries.push({ key, value: next });
    }
    next.end = Math.max(next.end, b.end);
    into = next;
    key = label;
  }
  into.entries.push({ key, value: b.body });
}

/** Parse HCL text (a `.tf` or `.tfvars` file). Never throws. */
export function parseHcl(text: string): HclFile {
  const r = new Reader(text);
  try {
    const { map, blocks } = r.body(false, 0);
    return { roots: [map], errors: r.errors, body: map, blocks };
  } catch (e) {
    // A bug in the reader must not break analysis: report it, with nothing read.
    const body: IacMap = { type: 'map', entries: [], start: 0, end: text.length };
    return { roots: [body], errors: [...r.errors, { message: e instanceof Error ? e.message : String(e), offset: r.i }], body, blocks: [] };
  }
}

/** The traversal a node holds (`aws_iam_role.lambda.arn`), when it is a plain reference. */
export function hclReference(node: IacNode | undefined): string | undefined {
  return node && node.type === 'scalar' && node.tag === 'ref' && typeof node.value === 'string' ? node.value : undefined;
}

/** Blocks of a type among `blocks` (`blocksOf(file.blocks, 'resource', 'aws_lambda_function')`), by first label. */
export function blocksOf(blocks: readonly HclBlock[], type: string, firstLabel?: string): HclBlock[] {
  return blocks.filter((b) => b.type === type && (firstLabel === undefined || b.labels[0]?.value === firstLabel));
}

/** An attribute of a block body (first match). */
export function attribute(b: HclBlock | undefined, name: string): IacNode | undefined {
  if (!b) return undefined;
  for (const e of b.body.entries) {
    if (e.key.value === name && !b.blocks.some((x) => x.typeNode === e.key)) return e.value;
  }
  return undefined;
}
