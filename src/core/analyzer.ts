// The analysis engine: one parse, one shared walk, every rule. Never throws on bad input.
import { ts } from 'ts-morph';
import { allRules } from './rules';
import { lineStarts, positionAt } from './text';
import {
  DEFAULT_CONFIG, type AnalyzeOptions, type DocumentContext, type DocumentKind, type Finding, type KeywayConfig,
  type ProjectContext, type Rule, type SourceContext,
} from './types';

const SOURCE_EXT = /\.(?:[cm]?[jt]sx?)$/i;

/** How a path is analysed, or undefined when Keyway has no rule for it. */
export function documentKind(path: string): DocumentKind | undefined {
  const base = path.replace(/^.*[\\/]/, '');
  if (/\.d\.[cm]?ts$/i.test(base)) return undefined;
  if (SOURCE_EXT.test(base)) return 'source';
  if (/\.ya?ml$/i.test(base)) return 'yaml';
  if (/\.json$/i.test(base)) return 'json';
  if (/^\.env(\..*)?$/i.test(base) || /\.env$/i.test(base)) return 'env';
  return undefined;
}

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

/**
 * Analyse one file's text. Returns findings sorted by position. Never throws:
 * a rule that fails is skipped for that file (its error is reported through `onRuleError`).
 */
export function analyzeText(
  path: string,
  text: string,
  options: AnalyzeOptions & { rules?: readonly Rule[]; onRuleError?: (ruleId: string, error: unknown) => void } = {},
): Finding[] {
  const kind = documentKind(path);
  if (!kind) return [];
  const config = resolveConfig(options.config);
  const project = options.project ?? emptyProject;
  const rules = (options.rules ?? allRules).filter((r) => config.rules[r.meta.id] !== 'off');
  const starts = lineStarts(text);
  const findings: Finding[] = [];
  const fail = (id: string, e: unknown) => options.onRuleError?.(id, e);

  const makeReport = (rule: Rule) => (f: Parameters<SourceContext['report']>[0]) => {
    const configured = config.rules[rule.meta.id];
    findings.push({
      ...f,
      ruleId: rule.meta.id,
      file: path,
      severity: configured && configured !== 'off' ? configured : (f.severity ?? rule.meta.defaultSeverity),
      fixes: f.fixes ?? [],
    });
  };
  const pos = (o: number) => positionAt(starts, o);

  if (kind === 'source') {
    let sf: ts.SourceFile;
    try {
      sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKind(path));
    } catch (e) {
      fail('parse', e);
      return [];
    }
    const visitors: { id: string; visit?(n: ts.Node): void; finish?(): void }[] = [];
    for (const rule of rules) {
      if (!rule.source) continue;
      try {
        const ctx: SourceContext = {
          path, text, sourceFile: sf, config, project, positionAt: pos, report: makeReport(rule),
          parameterKind: options.parameterKind ?? (() => undefined),
        };
        const v = rule.source(ctx);
        if (v) visitors.push({ id: rule.meta.id, ...v });
      } catch (e) { fail(rule.meta.id, e); }
    }
    const active = visitors.filter((v) => v.visit);
    if (active.length) {
      // Iterative walk: deep nesting must not overflow the stack.
      const stack: ts.Node[] = [sf];
      const dead = new Set<string>();
      while (stack.length) {
        const node = stack.pop()!;
        for (const v of active) {
          if (dead.has(v.id)) continue;
          try { v.visit!(node); } catch (e) { dead.add(v.id); fail(v.id, e); }
        }
        const kids: ts.Node[] = [];
        ts.forEachChild(node, (c) => { kids.push(c); });
        for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
      }
    }
    for (const v of visitors) {
      try { v.finish?.(); } catch (e) { fail(v.id, e); }
    }
  } else {
    for (const rule of rules) {
      if (!rule.document) continue;
      const ctx: DocumentContext = { path, text, kind, config, project, positionAt: pos, report: makeReport(rule) };
      try { rule.document(ctx); } catch (e) { fail(rule.meta.id, e); }
    }
  }

  const sup = suppressions(text, starts);
  const kept = sup.size
    ? findings.filter((f) => {
      const ids = sup.get(f.range.start.line);
      return !ids || (ids.size > 0 && !ids.has(f.ruleId));
    })
    : findings;
  return kept.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character
    || a.ruleId.localeCompare(b.ruleId));
}
