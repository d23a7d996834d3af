// The analysis engine: one parse, one shared walk, every rule. Never throws on bad input.
import { ts } from './ts';
import { allRules } from './rules';
import { lineStarts, positionAt } from './text';
import { documentKind, readDocument } from './readers';
import {
  DEFAULT_CONFIG, type AnalyzeOptions, type DocumentContext, type DocumentKind, type Finding, type Fix, type KeywayConfig,
  type ParseProblem, type Position, type ProjectContext, type Rule, type SourceContext, type SourceVisitor,
} from './types';

/** How a path is analysed, or undefined when Keyway has no reader for it (see `src/core/readers/kind.ts`). */
export { documentKind };

function scriptKind(path: string): ts.ScriptKind {
  const ext = path.toLowerCase().replace(/^.*\./, '');
  switch (ext) {
    case 'tsx': return ts.ScriptKind.TSX;
    case 'jsx': return ts.ScriptKind.JSX;
    case 'js': case 'mjs': case 'cjs': return ts.ScriptKind.JS;
    default: return ts.ScriptKind.TS;
  }
}

export const emptyProject: ProjectContext = { readFile: () => undefined, dependenciesOf: () => new Set() };

export function resolveConfig(partial?: Partial<KeywayConfig>): KeywayConfig {
  return { ...DEFAULT_CONFIG, ...partial, rules: { ...DEFAULT_CONFIG.rules, ...partial?.rules } };
}

// A scan passes the same config object and rule list for thousands of files: resolve them once per pair.
const enabledCache = new WeakMap<object, WeakMap<readonly Rule[], { config: KeywayConfig; rules: Rule[] }>>();
const NO_CONFIG = {};

function enabledRules(partial: Partial<KeywayConfig> | undefined, all: readonly Rule[]): { config: KeywayConfig; rules: Rule[] } {
  const key = partial ?? NO_CONFIG;
  let byRules = enabledCache.get(key);
  if (!byRules) enabledCache.set(key, byRules = new WeakMap());
  let hit = byRules.get(all);
  if (!hit) {
    const config = resolveConfig(partial);
    hit = { config, rules: all.filter((r) => config.rules[r.meta.id] !== 'off') };
    byRules.set(all, hit);
  }
  return hit;
}

const IGNORE_RE = /keyway-ignore-next-line(?:[ \t]+([\w, \t-]+))?/g;

/** Lines (0-based) suppressed by `keyway-ignore-next-line [rule…]`, mapped to the rules named (empty set = all). */
function suppressions(text: string, starts: number[]): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  if (!text.includes('keyway-ignore-next-line')) return out;
  for (const m of text.matchAll(IGNORE_RE)) {
    const line = positionAt(starts, m.index ?? 0).line + 1;
    const ids = (m[1] ?? '').split(/[\s,]+/).filter((s) => /^[a-z][a-z-]*$/.test(s));
    out.set(line, new Set(ids));
  }
  return out;
}

type Linkable = { parent: ts.Node; jsDoc?: ts.Node[] };

// Read once: in the bundle every `ts.x` is a getter call through the ts-morph module namespace.
const forEachChild = ts.forEachChild;

/**
 * Set `parent` on every node (like `setParentNodes`, JSDoc included) without recursion, so 10,000-deep
 * nesting cannot overflow the stack. On the way, in pre-order, each node is appended to the list of every
 * visitor subscribed to its kind (`subs[kind]` holds visitor indices; `all` gets every node, when some visitor
 * asked for everything).
 */
function linkParents(sf: ts.SourceFile, subs: (number[] | undefined)[], lists: ts.Node[][], all: ts.Node[] | undefined): void {
  const stack: ts.Node[] = [sf];
  let parent: ts.Node = sf;
  const push = (c: ts.Node): undefined => {
    (c as unknown as Linkable).parent = parent;
    stack.push(c);
    return undefined; // a truthy return would stop forEachChild
  };
  while (stack.length) {
    const node = stack.pop()!;
    if (all) all.push(node);
    const s = subs[node.kind];
    if (s !== undefined) for (let i = 0; i < s.length; i++) lists[s[i]].push(node);
    const docs = (node as unknown as Linkable).jsDoc;
    if (docs) linkJsDoc(node, docs);
    const base = stack.length;
    parent = node;
    forEachChild(node, push);
    for (let i = base, j = stack.length - 1; i < j; i++, j--) { const t = stack[i]; stack[i] = stack[j]; stack[j] = t; }
  }
}

/** Parent pointers inside JSDoc comments (not visited by rules, but `getText()` and friends need them). */
function linkJsDoc(owner: ts.Node, docs: ts.Node[]): void {
  const stack: ts.Node[] = [];
  for (const d of docs) { (d as unknown as Linkable).parent = owner; stack.push(d); }
  while (stack.length) {
    const node = stack.pop()!;
    forEachChild(node, (c) => { (c as unknown as Linkable).parent = node; stack.push(c); return undefined; });
  }
}

/** Above this many unclosed or mismatched brackets a source file is not parsed (see analyzeText). */
export const MAX_BRACKET_IMBALANCE = 12;

/**
 * Unclosed plus mismatched `(`, `[`, `{` in JS/TS text, skipping strings, comments and template text
 * (approximately: regex literals are not recognised). Linear, allocation-free.
 */
export function bracketImbalance(text: string): number {
  const stack: number[] = [];
  let mismatched = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    switch (c) {
      case 40: case 91: case 123: // ( [ {
        stack.push(c);
        break;
      case 41: case 93: case 125: { // ) ] }
        const open = c === 41 ? 40 : c === 93 ? 91 : 123;
        if (stack.length && stack[stack.length - 1] === open) stack.pop();
        else if (c === 125 && stack.length && stack[stack.length - 1] === 96) {
          stack.pop(); // end of a template `${` substitution: back into template text
          i = skipTemplate(text, i + 1, stack) - 1;
        } else mismatched++;
        break;
      }
      case 39: case 34: { // ' "
        let j = i + 1;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === 92) { j += 2; continue; }
          if (d === c || d === 10) break;
          j++;
        }
        i = j;
        break;
      }
      case 96: // `
        i = skipTemplate(text, i + 1, stack) - 1;
        break;
      case 47: { // /
        const d = text.charCodeAt(i + 1);
        if (d === 47) { const e = text.indexOf('\n', i + 2); i = e < 0 ? n : e; } else if (d === 42) { const e = text.indexOf('*/', i + 2); i = e < 0 ? n : e + 1; } else if (regexCanStart(text, i)) {
          let j = i + 1;
          let inClass = false;
          while (j < n) {
            const x = text.charCodeAt(j);
            if (x === 92) { j += 2; continue; }
            if (x === 10) break;
            if (x === 91) inClass = true;
            else if (x === 93) inClass = false;
            else if (x === 47 && !inClass) break;
            j++;
          }
          if (j < n && text.charCodeAt(j) === 47) i = j; // else it was a division after all: a regex never spans lines
        }
        break;
      }
    }
  }
  return stack.length + mismatched;
}

/** Whether a `/` at `i` starts a regular expression (judged by the previous non-blank character or word). */
function regexCanStart(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 10 || text.charCodeAt(j) === 13)) j--;
  if (j < 0) return true;
  const p = text.charCodeAt(j);
  // identifier characters, digits, ) ] } and quotes end an operand: `/` is division there, except after keywords
  const isWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
  if (isWord(p)) {
    let k = j;
    while (k >= 0 && isWord(text.charCodeAt(k))) k--;
    const word = text.slice(k + 1, j + 1);
    return word === 'return' || word === 'typeof' || word === 'case' || word === 'in' || word === 'of' || word === 'void'
      || word === 'delete' || word === 'throw' || word === 'new' || word === 'else' || word === 'do' || word === 'yield' || word === 'await';
  }
  return !(p === 41 || p === 93 || p === 125 || p === 39 || p === 34 || p === 96);
}

/** From inside template text at `i`, return the index after the closing backtick, or after `${` (pushing a marker). */
function skipTemplate(text: string, i: number, stack: number[]): number {
  const n = text.length;
  while (i < n) {
    const d = text.charCodeAt(i);
    if (d === 92) { i += 2; continue; }
    if (d === 96) return i + 1;
    if (d === 36 && text.charCodeAt(i + 1) === 123) { stack.push(96); return i + 2; }
    i++;
  }
  return n;
}

type EngineOptions = AnalyzeOptions & { rules?: readonly Rule[]; onRuleError?: (ruleId: string, error: unknown) => void };

/** One analysis in progress: what every step shares (the file, its rules, and the findings so far). */
interface Analysis {
  path: string;
  text: string;
  options: EngineOptions;
  config: KeywayConfig;
  rules: Rule[];
  project: ProjectContext;
  findings: Finding[];
  /** Line starts: needed only to place findings, so computed on first use (most files have none). */
  starts?: number[];
  /** Offset → position (computes the line starts on first use). */
  pos: (offset: number) => Position;
}

/**
 * Analyse one file's text. Returns findings sorted by position. Never throws:
 * a rule that fails is skipped for that file (its error is reported through `onRuleError`).
 */
export function analyzeText(path: string, text: string, options: EngineOptions = {}): Finding[] {
  const kind = options.kind ?? documentKind(path);
  if (!kind) return [];
  const { config, rules } = enabledRules(options.config, options.rules ?? allRules);
  const a: Analysis = {
    path, text, options, config, rules, project: options.project ?? emptyProject, findings: [],
    pos: (o) => positionAt(lines(a), o),
  };
  if (kind === 'source') analyzeSource(a);
  else analyzeDocument(a, kind);
  return finish(a);
}

function lines(a: Analysis): number[] {
  return (a.starts ??= lineStarts(a.text));
}

function fail(a: Analysis, id: string, e: unknown): void {
  a.options.onRuleError?.(id, e);
}

/** A file that could not be parsed (or only leniently): never silent. */
function parseProblem(a: Analysis, p: ParseProblem): void {
  if (a.options.onParseError) a.options.onParseError(p);
  else a.options.onRuleError?.('parse', new Error(p.fallback ? `${p.message} (read with fallback: ${p.fallback})` : p.message));
}

/**
 * The `report` of one rule. A fix given as a function is computed at once, unless the caller asked for
 * `deferFixes` (the editor's typing path: the finding is marked and its fixes computed when a code action asks).
 */
function reporter(a: Analysis, rule: Rule): SourceContext['report'] {
  const id = rule.meta.id;
  const configured = a.config.rules[id];
  const severity = configured && configured !== 'off' ? configured : undefined;
  return (f) => {
    let fixes: Fix[] = [];
    let deferred = false;
    if (typeof f.fixes === 'function') {
      if (a.options.deferFixes) deferred = true;
      else {
        try { fixes = f.fixes(); } catch (e) { fail(a, id, e); }
      }
    } else if (f.fixes) fixes = f.fixes;
    const finding: Finding = {
      ruleId: id, file: a.path, severity: severity ?? (f.severity ?? rule.meta.defaultSeverity), message: f.message, range: f.range, fixes,
    };
    if (f.data !== undefined) finding.data = f.data;
    if (deferred) finding.fixesDeferred = true;
    a.findings.push(finding);
  };
}

/** Token-level checks for source the parser cannot take. */
function unparsed(a: Analysis): void {
  const { path, text, config, project, pos } = a;
  for (const rule of a.rules) {
    if (!rule.unparsed) continue;
    try { rule.unparsed({ path, text, config, project, positionAt: pos, report: reporter(a, rule) }); } catch (e) { fail(a, rule.meta.id, e); }
  }
}

/** Source the parser cannot take (or that broke the walk): said, then read token by token. */
function notParsed(a: Analysis, message: string): void {
  parseProblem(a, { message, fallback: 'string-literal-tokens' });
  a.findings.length = 0;
  unparsed(a);
}

/** Suppressions applied, sorted by position. */
function finish(a: Analysis): Finding[] {
  const { findings } = a;
  const sup = findings.length ? suppressions(a.text, lines(a)) : new Map<number, Set<string>>();
  const kept = sup.size
    ? findings.filter((f) => {
      const ids = sup.get(f.range.start.line);
      return !ids || (ids.size > 0 && !ids.has(f.ruleId));
    })
    : findings;
  return kept.sort((x, y) => x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character
    || (x.ruleId < y.ruleId ? -1 : x.ruleId > y.ruleId ? 1 : 0));
}

/** JS/TS: one parse, one shared walk (which also sets parent pointers), then every rule's visitor over its nodes. */
function analyzeSource(a: Analysis): void {
  const unbalanced = bracketImbalance(a.text);
  if (unbalanced > MAX_BRACKET_IMBALANCE) {
    // TypeScript's parser backtracks exponentially on some deeply unclosed code (e.g. nested
    // `x = async function () {` without closing braces): seconds at 18 levels, minutes at 25.
    // Such text is not a program anyone runs, so it is not analysed.
    notParsed(a, `not parsed: ${unbalanced} unclosed or mismatched brackets`);
    return;
  }
  let sf: ts.SourceFile;
  try {
    // Parent pointers are set by our own iterative pass below (cheaper than setParentNodes, and it
    // also yields the pre-order node list the rules' visitors run over).
    sf = ts.createSourceFile(a.path, a.text, ts.ScriptTarget.Latest, false, scriptKind(a.path));
  } catch (e) {
    // e.g. a RangeError: nesting deep enough to overflow the parser's stack
    notParsed(a, `not parsed: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const visitors = startVisitors(a, sf);
  const { subs, lists, all } = subscriptions(visitors);
  reportSyntaxErrors(a, sf);
  try {
    linkParents(sf, subs, lists, all);
  } catch (e) {
    notParsed(a, `not parsed: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  runVisitors(a, visitors, lists, all);
}

type Visitor = SourceVisitor & { id: string };

/** Each rule's visitor for this file (a rule that fails to start is skipped; one scratch space shared by all). */
function startVisitors(a: Analysis, sf: ts.SourceFile): Visitor[] {
  const visitors: Visitor[] = [];
  const shared = new Map<unknown, unknown>();
  const parameterKind = a.options.parameterKind ?? (() => undefined);
  for (const rule of a.rules) {
    if (!rule.source) continue;
    try {
      const ctx: SourceContext = {
        path: a.path, text: a.text, sourceFile: sf, config: a.config, project: a.project, positionAt: a.pos, report: reporter(a, rule),
        parameterKind, shared,
      };
      const v = rule.source(ctx);
      if (v) visitors.push({ ...v, id: rule.meta.id });
    } catch (e) { fail(a, rule.meta.id, e); }
  }
  return visitors;
}

/** Subscriptions by kind: each visitor gets its own pre-ordered list of just the nodes it looks at. */
function subscriptions(visitors: readonly Visitor[]): { subs: (number[] | undefined)[]; lists: ts.Node[][]; all: ts.Node[] | undefined } {
  const subs: (number[] | undefined)[] = [];
  const lists: ts.Node[][] = visitors.map(() => []);
  let all: ts.Node[] | undefined;
  visitors.forEach((v, i) => {
    if (!v.visit) return;
    if (!v.kinds) { all ??= []; return; }
    for (const k of v.kinds) (subs[k] ??= []).push(i);
  });
  return { subs, lists, all };
}

/** The parser's own syntax errors: the file is still analysed (error recovery), and the problem said once. */
function reportSyntaxErrors(a: Analysis, sf: ts.SourceFile): void {
  const syntax = (sf as unknown as { parseDiagnostics?: { start?: number; messageText: unknown }[] }).parseDiagnostics;
  if (!syntax?.length) return;
  const d = syntax[0];
  const msg = typeof d.messageText === 'string' ? d.messageText : 'syntax error';
  parseProblem(a, {
    message: `syntax error: ${msg}${syntax.length > 1 ? ` (and ${syntax.length - 1} more)` : ''}`,
    position: d.start !== undefined ? a.pos(d.start) : undefined, fallback: 'error-recovery',
  });
}

/**
 * Rules are independent, so each visitor runs over its own list in turn: one tight, monomorphic loop per rule.
 * A visitor that throws is stopped for this file; the others go on. Then every visitor's `finish`.
 */
function runVisitors(a: Analysis, visitors: readonly Visitor[], lists: ts.Node[][], all: ts.Node[] | undefined): void {
  for (let vi = 0; vi < visitors.length; vi++) {
    const v = visitors[vi];
    if (!v.visit) continue;
    const visit = v.visit;
    const nodes = v.kinds ? lists[vi] : all!;
    try {
      for (let i = 0; i < nodes.length; i++) visit.call(v, nodes[i]);
    } catch (e) { fail(a, v.id, e); }
  }
  for (const v of visitors) {
    try { v.finish?.(); } catch (e) { fail(a, v.id, e); }
  }
}

/** JSON, YAML and the other documents: read once (leniently when it must), then every document rule. */
function analyzeDocument(a: Analysis, kind: Exclude<DocumentKind, 'source'>): void {
  const { path, text, config, project, pos } = a;
  const document = readDocument(kind, text, path);
  if (document.errors.length) {
    const first = document.errors[0];
    const more = document.errors.length > 1 ? ` (and ${document.errors.length - 1} more)` : '';
    parseProblem(a, { message: `${first.message.split('\n')[0]}${more}`, position: pos(Math.min(first.offset, text.length)), fallback: document.fallback });
  }
  for (const rule of a.rules) {
    if (!rule.document) continue;
    const ctx: DocumentContext = { path, text, kind, document, config, project, positionAt: pos, report: reporter(a, rule) };
    try { rule.document(ctx); } catch (e) { fail(a, rule.meta.id, e); }
  }
}
