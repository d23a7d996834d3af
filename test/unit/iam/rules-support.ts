// Re-exports for rules.test.ts (core entry points and a YAML parse check).
import { FsProjectContext, analyzeText as analyze, applyEdits, iac, scanPaths } from '../../../src/core';
import type { AnalyzeOptions, Finding } from '../../../src/core/types';

export { applyEdits, scanPaths };

export function parseYamlText(text: string) {
  return iac.parseYaml(text);
}

/** analyzeText with a file-system project (handler files are read from disk). */
export function analyzeText(file: string, text: string, opts: AnalyzeOptions): Finding[] {
  return analyze(file, text, { ...opts, project: opts.project ?? new FsProjectContext() });
}
