// The fix corpus (test/fixtures/lambda/corpus): handler files in the shapes real projects use. Both test layers
// copy it out of test/ (Keyway does not treat test code as handler code) into .artifacts/, fix every file with the
// planner `keyway scan --fix` uses, and check the result: the unit layer parses, type-checks and re-fixes it,
// the aws layer runs the original and the fixed form against moto.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixText, type FixTextResult } from '../../src/core/fixAll';
import { FsProjectContext } from '../../src/core/scan';
import { artifactsDir, fixturesDir } from './paths';

export const corpusSource = path.join(fixturesDir, 'lambda', 'corpus');

export interface CorpusManifest {
  defaultEvents: Record<string, unknown>[];
  events: Record<string, Record<string, unknown>[]>;
  /** Files whose fix adds WithDecryption on purpose (the original read ciphertext), with why. */
  decrypts: Record<string, string>;
  parameters: { name: string; value: string; type?: 'String' | 'SecureString'; region?: string }[];
  secrets: { name: string; value: string }[];
}

export interface CorpusFile {
  /** Path relative to the corpus folder (`powertools/sdk-in-ts.ts`). */
  name: string;
  /** Where the copy lives (outside test/). */
  path: string;
  original: string;
  fixed: string;
  result: FixTextResult;
}

export function manifest(): CorpusManifest {
  return JSON.parse(fs.readFileSync(path.join(corpusSource, 'corpus.json'), 'utf8')) as CorpusManifest;
}

/** Every handler file of the corpus, relative to its folder. */
export function corpusNames(): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(corpusSource, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (/\.(?:ts|js|mjs|cjs)$/.test(e.name)) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/** A fresh copy of the corpus under .artifacts/fix-corpus/<label> (tsconfig.json and package.json files included). */
export function copyCorpus(label: string): string {
  const dir = path.join(artifactsDir, 'fix-corpus', label);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.cpSync(corpusSource, dir, { recursive: true });
  return dir;
}

/** Fix every corpus file in `dir` (a copy) as `keyway scan --fix` would, without writing. */
export function fixCorpus(dir: string): CorpusFile[] {
  const project = new FsProjectContext();
  return corpusNames().map((name) => {
    const file = path.join(dir, name);
    const original = fs.readFileSync(file, 'utf8');
    const result = fixText(file, original, { project });
    return { name, path: file, original, fixed: result.text, result };
  });
}

/** The kind of fix a fix title names (for the per-kind counts the report gives). */
export function fixKind(title: string): string {
  if (/module-scope loader/.test(title)) return 'cached loader (SDK)';
  if (/with Powertools Parameters/.test(title)) return 'cached loader (Powertools)';
  if (/Powertools cache \(maxAge/.test(title)) return 'Powertools maxAge';
  if (/per request at module scope/.test(title)) return 'keyed request cache';
  if (/client to module scope/.test(title)) return 'hoisted client';
  if (/WithDecryption|decrypt: true/.test(title)) return 'decryption';
  if (/Promise\.all/.test(title)) return 'Promise.all';
  return title;
}
