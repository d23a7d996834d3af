// A small position-keeping tree shared by the YAML, JSON and HCL readers. Offsets are UTF-16 indexes into the text.

export interface IacBase {
  /** Offset of the first character of the node (the tag, if any, is not included). */
  start: number;
  /** Offset just past the node's last character. */
  end: number;
  /** CloudFormation short tag without `!` (`Ref`, `Sub`, `GetAtt`, …), or any other local tag as written. */
  tag?: string;
}
export interface IacScalar extends IacBase {
  type: 'scalar';
  value: string | number | boolean | null;
  /** HCL: a string holding `${…}` / `%{…}` template parts (kept as written in `value`). */
  interpolated?: boolean;
  /** HCL: written as a heredoc (`<<EOF`). */
  heredoc?: boolean;
  /**
   * HCL: where `value` begins in the text when it is written there verbatim (a heredoc whose indentation is kept, a
   * string without escapes), so offsets inside the value (a JSON policy in a heredoc) map back to the file.
   */
  valueStart?: number;
}
export interface IacPair { key: IacScalar; value: IacNode }
export interface IacMap extends IacBase { type: 'map'; entries: IacPair[] }
export interface IacSeq extends IacBase { type: 'seq'; items: IacNode[] }
export type IacNode = IacScalar | IacMap | IacSeq;

export interface ParseResult {
  /** Root nodes, one per YAML document (JSON has one). Empty when nothing could be parsed. */
  roots: IacNode[];
  /** Parse problems (message and offset). A document with errors still yields what could be read. */
  errors: { message: string; offset: number }[];
}

/** The value of `key` in a map (first match; keys compared exactly). */
export function get(node: IacNode | undefined, key: string): IacNode | undefined {
  if (!node || node.type !== 'map') return undefined;
  for (const e of node.entries) if (e.key.value === key) return e.value;
  return undefined;
}

/** Follow a path of keys: `getPath(root, 'provider', 'iam', 'role')`. */
export function getPath(node: IacNode | undefined, ...keys: string[]): IacNode | undefined {
  let n = node;
  for (const k of keys) n = get(n, k);
  return n;
}

/** A plain (untagged) string scalar's value, or numbers/booleans as text. */
export function scalarText(node: IacNode | undefined): string | undefined {
  if (!node || node.type !== 'scalar' || node.tag || node.value === null) return undefined;
  return String(node.value);
}

/** Items of a sequence, or the node itself when a single value stands for a one-item list (IAM `Action: x`). */
export function asList(node: IacNode | undefined): IacNode[] {
  if (!node) return [];
  if (node.type === 'seq' && !node.tag) return node.items;
  return [node];
}

export interface Intrinsic { fn: string; arg: IacNode; node: IacNode }

const LONG_FORM = /^(?:Ref|Condition|Fn::[A-Za-z]+)$/;

/** A CloudFormation intrinsic in short (`!Sub x`) or long (`{ "Fn::Sub": x }`, `{ Ref: x }`) form; fn is the short name. */
export function intrinsicOf(node: IacNode | undefined): Intrinsic | undefined {
  if (!node) return undefined;
  if (node.tag) return { fn: node.tag, arg: node, node };
  if (node.type === 'map' && node.entries.length === 1) {
    const k = node.entries[0].key.value;
    if (typeof k === 'string' && LONG_FORM.test(k)) return { fn: k.replace(/^Fn::/, ''), arg: node.entries[0].value, node };
  }
  return undefined;
}

/**
 * Text a value resolves to as far as the template shows it: literals as is, `!Sub`/`Fn::Sub` templates with their
 * `${…}` kept, `!Join` pieces concatenated with references rendered as `${Ref}`. Undefined for values with no text.
 */
export function resolvedText(node: IacNode | undefined, depth = 0): string | undefined {
  if (!node || depth > 8) return undefined;
  const lit = scalarText(node);
  if (lit !== undefined) return lit;
  const intr = intrinsicOf(node);
  if (!intr) return undefined;
  const arg = intr.arg;
  const untag = (n: IacNode): IacNode => (n.tag ? { ...n, tag: undefined } as IacNode : n);
  switch (intr.fn) {
    case 'Sub': {
      const a = untag(arg);
      if (a.type === 'scalar') return a.value === null ? undefined : String(a.value);
      if (a.type === 'seq' && a.items[0]) return resolvedText(untag(a.items[0]), depth + 1);
      return undefined;
    }
    case 'Join': {
      const a = untag(arg);
      if (a.type !== 'seq' || a.items.length < 2) return undefined;
      const sep = scalarText(a.items[0]) ?? '';
      const parts = a.items[1];
      if (parts.type !== 'seq') return undefined;
      return parts.items.map((p) => resolvedText(p, depth + 1) ?? '${' + (refName(p) ?? 'Ref') + '}').join(sep);
    }
    case 'Ref': return '${' + (refName(node) ?? 'Ref') + '}';
    default: return undefined;
  }
}

/** The logical id named by `!Ref X` / `{ Ref: X }`. */
export function refName(node: IacNode | undefined): string | undefined {
  const intr = intrinsicOf(node);
  if (!intr || intr.fn !== 'Ref') return undefined;
  const a = intr.arg;
  return a.type === 'scalar' && a.value !== null ? String(a.value) : undefined;
}

/** Where a node sits: its key (the nearest map key above it, so list items inherit their list's key) and its parent. */
export interface WalkStep { node: IacNode; key: string | undefined; parent: WalkStep | undefined }

/** Depth-first visit of every node (iterative: deep nesting must not overflow the stack). */
export function walk(root: IacNode, visit: (step: WalkStep) => void): void {
  const stack: WalkStep[] = [{ node: root, key: undefined, parent: undefined }];
  while (stack.length) {
    const step = stack.pop()!;
    visit(step);
    const n = step.node;
    if (n.type === 'map') {
      for (let i = n.entries.length - 1; i >= 0; i--) {
        const e = n.entries[i];
        stack.push({ node: e.value, key: e.key.value === null ? undefined : String(e.key.value), parent: step });
      }
    } else if (n.type === 'seq') {
      for (let i = n.items.length - 1; i >= 0; i--) stack.push({ node: n.items[i], key: step.key, parent: step });
    }
  }
}
