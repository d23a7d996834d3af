// `keyway scan --fix`: for each file with fixable findings, core's fixText applies the preferred fixes
// (non-overlapping, re-analysing between passes, like ESLint); the file is written back in its encoding.
import type * as Core from '../core/index';
import type { AnalyzeOptions, Finding, Rule } from '../core/types';

type CoreModule = typeof Core;

export interface FixOutcome {
  /** Findings that remain in the files that had fixable findings (replacing the scan's findings for those files). */
  remaining: Map<string, Finding[]>;
  filesFixed: number;
  errors: { path: string; message: string }[];
}

export function fixFiles(
  core: CoreModule,
  findings: readonly Finding[],
  options: AnalyzeOptions & { rules?: readonly Rule[]; maxFileSize: number },
): FixOutcome {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!f.fixes.some((x) => x.isPreferred)) continue;
    const list = byFile.get(f.file);
    if (list) list.push(f); else byFile.set(f.file, [f]);
  }
  const remaining = new Map<string, Finding[]>();
  const errors: FixOutcome['errors'] = [];
  let filesFixed = 0;
  for (const [file, initial] of byFile) {
    try {
      const read = core.readForAnalysis(file, options.maxFileSize);
      if (!read.ok) { errors.push({ path: file, message: `cannot fix: file is ${read.reason}` }); continue; }
      const result = core.fixText(file, read.text, options, initial);
      if (result.text !== read.text) {
        // Never through a symbolic link (shared guard in core/scan/files.ts, added by the scanner work).
        core.writeFileNoFollow(file, core.encodeText(result.text, read.encoding));
        filesFixed++;
      }
      remaining.set(file, result.remaining);
    } catch (e) {
      errors.push({ path: file, message: `cannot fix: ${(e as Error).message}` });
    }
  }
  return { remaining, filesFixed, errors };
}
