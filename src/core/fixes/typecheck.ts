// Type-checking fixes against their project: diagnostics before vs after, per file, with the nearest tsconfig.json
// (TypeScript files; JavaScript when the project checks it). One ts-morph project per tsconfig.json, kept between
// checks so later checks are incremental. Bundled on its own (dist/typecheck.js, with ts-morph's lib files) and
// loaded only by `keyway scan --fix` and the editor's fixes: core's bundle carries the compiler alone.
import * as nodePath from 'node:path';
import { Project, ts } from 'ts-morph';
import { added, findTsconfig, JS_FILE, quickCheck, scriptKind, TS_FILE, type FileChange, type FixTypeChecker } from './verify';

const DEFAULT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
  esModuleInterop: true, skipLibCheck: true, noEmit: true, allowJs: true, resolveJsonModule: true,
};

interface ProjectEntry { project: Project; createdAt: number; tsconfig?: string }

export interface VerifierOptions {
  /** Recreate a project older than this (the editor keeps the verifier; files around it change). Default: never. */
  maxAgeMs?: number;
}

/**
 * Type-checks fixes against their project. `verify` takes every changed file of a run at once: each project is
 * checked once with all files before and once with all files after, not once per file.
 */
export class FixVerifier implements FixTypeChecker {
  private readonly projects = new Map<string, ProjectEntry>();
  /** Why a tsconfig.json could not be used (reported once per config). */
  readonly notes: string[] = [];

  constructor(private readonly options: VerifierOptions = {}) {}

  /** Reasons by path for the changes that fail; the others pass. */
  verify(changes: readonly FileChange[]): Map<string, string> {
    const failures = new Map<string, string>();
    const typed: FileChange[] = [];
    for (const c of changes) {
      if (c.before === c.after) continue;
      const quick = quickCheck(c.path, c.before, c.after);
      if (quick) failures.set(c.path, quick);
      else if (TS_FILE.test(c.path) || JS_FILE.test(c.path)) typed.push(c);
    }
    const groups = new Map<string, FileChange[]>();
    for (const c of typed) {
      const tsconfig = findTsconfig(c.path);
      // JavaScript outside a TypeScript project has nothing to type-check beyond the quick check.
      if (!tsconfig && !TS_FILE.test(c.path)) continue;
      const key = tsconfig ?? '';
      const list = groups.get(key);
      if (list) list.push(c); else groups.set(key, [c]);
    }
    for (const [tsconfig, list] of groups) {
      const project = this.project(tsconfig || undefined);
      if (!project) continue;
      for (const [path, reason] of this.typeCheck(project, list)) failures.set(path, reason);
    }
    return failures;
  }

  private project(tsconfig: string | undefined): Project | undefined {
    const key = tsconfig ?? '';
    const hit = this.projects.get(key);
    if (hit && (!this.options.maxAgeMs || Date.now() - hit.createdAt < this.options.maxAgeMs)) return hit.project;
    let project: Project;
    try {
      project = tsconfig
        ? new Project({ tsConfigFilePath: tsconfig, skipAddingFilesFromTsConfig: true, compilerOptions: { noEmit: true } })
        : new Project({ compilerOptions: DEFAULT_OPTIONS });
    } catch (e) {
      this.notes.push(`${tsconfig}: cannot be read (${(e as Error).message.split('\n')[0]}); fixes in its files were checked without types`);
      project = new Project({ compilerOptions: DEFAULT_OPTIONS });
    }
    this.projects.set(key, { project, createdAt: Date.now(), tsconfig });
    return project;
  }

  private diagnostics(project: Project, paths: string[]): Map<string, readonly ts.Diagnostic[]> {
    const program = project.getProgram().compilerObject;
    const out = new Map<string, readonly ts.Diagnostic[]>();
    for (const p of paths) {
      const sf = program.getSourceFile(project.getSourceFileOrThrow(p).getFilePath());
      out.set(p, sf ? [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)] : []);
    }
    return out;
  }

  private typeCheck(project: Project, changes: FileChange[]): Map<string, string> {
    const failures = new Map<string, string>();
    const paths = changes.map((c) => nodePath.resolve(c.path));
    const set = (which: 'before' | 'after', only?: Set<string>) => {
      changes.forEach((c, i) => {
        if (only && !only.has(c.path)) return;
        project.createSourceFile(paths[i], c[which], { overwrite: true, scriptKind: scriptKind(c.path) });
      });
    };
    set('before');
    const before = this.diagnostics(project, paths);
    set('after');
    const after = this.diagnostics(project, paths);
    changes.forEach((c, i) => {
      const worse = added(before.get(paths[i]) ?? [], after.get(paths[i]) ?? []);
      if (worse.length) failures.set(c.path, `it would add a type error: ${worse[0].text}${worse.length > 1 ? ` (and ${worse.length - 1} more)` : ''}`);
    });
    // Rejected files go back to what is on disk for the checks that follow.
    if (failures.size) set('before', new Set(failures.keys()));
    return failures;
  }
}
