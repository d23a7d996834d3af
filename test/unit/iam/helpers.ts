// Helpers for the IAM tests: fixture paths, in-process runs of `keyway policy` / `keyway scan`, golden files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runPolicy } from '../../../src/cli/policy';
import { FsProjectContext, collectFiles, resolveConfig } from '../../../src/core';
import { projectFunctions, type AnalyzedFunction } from '../../../src/core/iam';
import { fixturesDir } from '../../support/paths';

export const iamFixtures = path.join(fixturesDir, 'iam');
export const PROJECTS = ['serverless', 'sam', 'cfn', 'cdk', 'noiac', 'terraform'] as const;
export type ProjectName = (typeof PROJECTS)[number];

export function projectDir(name: ProjectName): string {
  return path.join(iamFixtures, name);
}

export interface Run { code: number; stdout: string; stderr: string }

export async function policy(args: string[], cwd: string): Promise<Run> {
  let stdout = ''; let stderr = '';
  const code = await runPolicy(args, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, cwd });
  return { code, stdout, stderr };
}

/** The analysed functions of a fixture project. */
export function functionsOf(name: ProjectName): AnalyzedFunction[] {
  const dir = projectDir(name);
  const project = new FsProjectContext();
  const files = collectFiles([dir], { config: resolveConfig() }).files.map((f) => ({ path: f.abs, text: project.readFile(f.abs)! }));
  return projectFunctions(files, project, dir);
}

/** Compare with a golden file; `KEYWAY_UPDATE_GOLDEN=1` rewrites it. */
export function assertGolden(actual: string, file: string): void {
  const p = path.join(iamFixtures, 'golden', file);
  if (process.env.KEYWAY_UPDATE_GOLDEN === '1') {
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, actual);
  }
  assert.ok(fs.existsSync(p), `golden file missing: ${p} (run with KEYWAY_UPDATE_GOLDEN=1 to create it)`);
  assert.equal(actual, fs.readFileSync(p, 'utf8'), `output differs from ${file}`);
}
