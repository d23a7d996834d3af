import { analyzeText } from '../../../src/core/analyzer';
import { lambdaRules } from '../../../src/core/rules/lambda';
import type { Finding, KeywayConfig, ParameterKind, ProjectContext, RuleId } from '../../../src/core/types';

export interface RunOptions {
  path?: string;
  /** Other files of the project, by path (relative paths resolve against the analysed file's folder). */
  files?: Record<string, string>;
  deps?: string[];
  kinds?: Record<string, ParameterKind>;
  config?: Partial<KeywayConfig>;
}

export function memoryProject(files: Record<string, string> = {}, deps: string[] = []): ProjectContext {
  return {
    readFile: (p: string) => files[p.replace(/\\/g, '/')],
    dependenciesOf: () => new Set(deps),
    listDir: (d: string) => listOf(Object.keys(files), d),
  };
}

/** Entry names of folder `d` among a set of file paths (POSIX), or undefined when nothing is below it. */
export function listOf(paths: readonly string[], d: string): string[] | undefined {
  const dir = d.replace(/\\/g, '/').replace(/\/+$/, '');
  const prefix = dir === '' || dir === '.' ? '' : dir + '/';
  const names = new Set<string>();
  for (const p of paths) {
    const n = p.replace(/^\.\//, '');
    if (prefix && !n.startsWith(prefix)) continue;
    const rest = n.slice(prefix.length);
    if (rest) names.add(rest.split('/')[0]);
  }
  return names.size ? [...names] : undefined;
}

/** Analyse `code` with only the Lambda rules, failing loudly if a rule throws. */
export function run(code: string, opts: RunOptions = {}): Finding[] {
  const errors: unknown[] = [];
  const findings = analyzeText(opts.path ?? 'src/handler.ts', code, {
    rules: lambdaRules,
    project: memoryProject(opts.files, opts.deps),
    parameterKind: opts.kinds ? (n) => opts.kinds![n] : undefined,
    config: opts.config,
    onRuleError: (id, e) => errors.push(`${id}: ${(e as Error)?.stack ?? e}`),
  });
  if (errors.length) throw new Error(`rule errors:\n${errors.join('\n')}`);
  return findings;
}

export function of(findings: Finding[], rule: RuleId): Finding[] {
  return findings.filter((f) => f.ruleId === rule);
}

/** 1-based line numbers of a rule's findings (easier to read against the snippets). */
export function lines(findings: Finding[], rule: RuleId): number[] {
  return of(findings, rule).map((f) => f.range.start.line + 1);
}
