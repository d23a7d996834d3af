// Verifying a fix before it is written: the fixed text must not parse worse, declare a name twice, or (for
// TypeScript, against the project's tsconfig.json) type-check worse than the text it replaces. Diagnostics are
// compared before vs after, per file, by code and message (positions move), so problems the file already had
// never block a fix. Uses the TypeScript that ts-morph bundles; one program per tsconfig.json, kept between
// checks so later checks are incremental.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { Project } from 'ts-morph';
import { ts } from '../ts';

export interface FileChange { path: string; before: string; after: string }

const JS_FILE = /\.(?:[cm]?js|jsx)$/i;
const TS_FILE = /\.(?:[cm]?ts|tsx)$/i;

function scriptKind(path: string): ts.ScriptKind {
  const ext = path.toLowerCase().replace(/^.*\./, '');
  return ext === 'tsx' ? ts.ScriptKind.TSX : ext === 'jsx' ? ts.ScriptKind.JSX
    : ext === 'js' || ext === 'mjs' || ext === 'cjs' ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

export function parseSource(path: string, text: string): ts.SourceFile {
  return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKind(path));
}

interface Problem { key: string; text: string }

function describe(d: ts.Diagnostic): Problem {
  const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
  const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : undefined;
  return { key: `${d.code}:${message}`, text: `TS${d.code} ${message}${line ? ` (line ${line})` : ''}` };
}

/** Problems in `after` that `before` does not have (as many times), first one described. */
function added(before: readonly ts.Diagnostic[], after: readonly ts.Diagnostic[]): Problem[] {
  const counts = new Map<string, number>();
  for (const d of before) { const k = describe(d).key; counts.set(k, (counts.get(k) ?? 0) + 1); }
  const out: Problem[] = [];
  for (const d of after) {
    const p = describe(d);
    const n = counts.get(p.key) ?? 0;
    if (n > 0) counts.set(p.key, n - 1); else out.push(p);
  }
  return out;
}

function parseDiagnostics(sf: ts.SourceFile): readonly ts.Diagnostic[] {
  return (sf as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
}

/**
 * Declaration clashes the binder reports (`Cannot redeclare block-scoped variable`, two default exports): the file
 * is bound on its own, without a program or a type check, so this stays linear in the file.
 */
function declarationProblems(path: string, text: string): readonly ts.Diagnostic[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKind(path));
  const bind = (ts as unknown as { bindSourceFile?: (f: ts.SourceFile, o: ts.CompilerOptions) => void }).bindSourceFile;
  if (!bind) return [];
  bind(file, { allowJs: true, noEmit: true });
  return (file as unknown as { bindDiagnostics?: ts.Diagnostic[] }).bindDiagnostics ?? [];
}

/**
 * The checks that need no project: the new text parses no worse and declares no name twice (the `Cannot redeclare
 * block-scoped variable` a doubled hoist causes, which stops a Lambda from loading). A reason, or undefined.
 */
export function quickCheck(path: string, before: string, after: string): string | undefined {
  const a = parseSource(path, before);
  const b = parseSource(path, after);
  const syntax = added(parseDiagnostics(a), parseDiagnostics(b));
  if (syntax.length) return `it would add a syntax error: ${syntax[0].text}`;
  if (!JS_FILE.test(path) && !TS_FILE.test(path)) return undefined;
  const clash = added(declarationProblems(path, before), declarationProblems(path, after));
  if (clash.length) return `it would declare a name twice: ${clash[0].text}`;
  return undefined;
}

/** The nearest tsconfig.json above a file, or undefined. */
export function findTsconfig(file: string, exists: (p: string) => boolean = fs.existsSync): string | undefined {
  let dir = nodePath.dirname(nodePath.resolve(file));
  for (let i = 0; i < 64; i++) {
    const candidate = nodePath.join(dir, 'tsconfig.json');
    if (exists(candidate)) return candidate;
    if (nodePath.basename(dir) === 'node_modules') return undefined;
    const up = nodePath.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

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
export class FixVerifier {
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
