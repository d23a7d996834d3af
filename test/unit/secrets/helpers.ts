import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../../../src/core/analyzer';
import { lineStarts, offsetAt } from '../../../src/core/text';
import type { Finding, KeywayConfig, ProjectContext, RuleId } from '../../../src/core/types';
import { fixturesDir } from '../../support/paths';

export const FIX = path.join(fixturesDir, 'secrets');

/** The fixtures folder is a project of its own (its files are not test code of Keyway's repository). */
const fixtureProject: ProjectContext = {
  readFile: (p) => (path.resolve(p) === path.join(FIX, 'package.json') ? '{}' : undefined),
  dependenciesOf: () => new Set(),
};

/** Analyse through the whole engine; rule errors fail the test instead of being swallowed. */
export function scan(file: string, text: string, config?: Partial<KeywayConfig>): Finding[] {
  const errors: string[] = [];
  const mine = new Set(['hardcoded-secret', 'secret-in-env', 'iam-wildcard-resource']);
  const out = analyzeText(file, text, {
    config, project: fixtureProject,
    onRuleError: (id, e) => { if (mine.has(id)) errors.push(`${id}: ${e instanceof Error ? e.stack : String(e)}`); },
  });
  if (errors.length) throw new Error('rule errors:\n' + errors.join('\n'));
  return out;
}

export function scanFixture(name: string, config?: Partial<KeywayConfig>): { text: string; findings: Finding[] } {
  const text = fs.readFileSync(path.join(FIX, name), 'utf8');
  // Analysed under a project-like path: below test/ (or fixtures/) every file is test code, where no Lambda rule runs
  // and generic secrets need high confidence.
  return { text, findings: scan(`acme-app/${name}`, text, config) };
}

export function only(findings: Finding[], rule: RuleId): Finding[] {
  return findings.filter((f) => f.ruleId === rule);
}

/** The source text a finding's range covers. */
export function covered(text: string, f: Finding): string {
  const starts = lineStarts(text);
  return text.slice(offsetAt(starts, f.range.start), offsetAt(starts, f.range.end));
}

/** Finding messages and data never contain the secret value. */
export function assertNoLeak(findings: Finding[], secret: string): void {
  for (const f of findings) {
    const blob = f.message + ' ' + JSON.stringify(f.data ?? {});
    if (secret.length >= 6 && blob.includes(secret)) throw new Error(`finding leaks the secret value: ${f.message}`);
  }
}
