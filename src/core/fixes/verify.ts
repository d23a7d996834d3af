// Verifying a fix before it is written: the fixed text must not parse worse or declare a name twice (here, with the
// compiler core bundles), nor type-check worse against the project's tsconfig.json (typecheck.ts, a bundle of its own
// loaded only when fixing). Diagnostics are compared before vs after, per file, by code and message (positions move),
// so problems the file already had never block a fix.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ts } from '../ts';

export interface FileChange { path: string; before: string; after: string }

/** What fix all asks of a type-checker (FixVerifier in typecheck.ts): the reason each failing change fails. */
export interface FixTypeChecker {
  verify(changes: readonly FileChange[]): Map<string, string>;
  /** tsconfig.json files that could not be used. */
  readonly notes: string[];
}

export const JS_FILE = /\.(?:[cm]?js|jsx)$/i;
export const TS_FILE = /\.(?:[cm]?ts|tsx)$/i;

export function scriptKind(path: string): ts.ScriptKind {
  const ext = path.toLowerCase().replace(/^.*\./, '');
  return ext === 'tsx' ? ts.ScriptKind.TSX : ext === 'jsx' ? ts.ScriptKind.JSX
    : ext === 'js' || ext === 'mjs' || ext === 'cjs' ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

export function parseSource(path: string, text: string): ts.SourceFile {
  return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKind(path));
}

export interface Problem { key: string; text: string }

function describe(d: ts.Diagnostic): Problem {
  const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
  const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : undefined;
  return { key: `${d.code}:${message}`, text: `TS${d.code} ${message}${line ? ` (line ${line})` : ''}` };
}

/** Problems in `after` that `before` does not have (as many times), first one described. */
export function added(before: readonly ts.Diagnostic[], after: readonly ts.Diagnostic[]): Problem[] {
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
  if (!JS_FILE.test(path) && !TS_FILE.test(path)) return documentCheck(path, before, after);
  const a = parseSource(path, before);
  const b = parseSource(path, after);
  const syntax = added(parseDiagnostics(a), parseDiagnostics(b));
  if (syntax.length) return `it would add a syntax error: ${syntax[0].text}`;
  const clash = added(declarationProblems(path, before), declarationProblems(path, after));
  if (clash.length) return `it would add a declaration error: ${clash[0].text}`;
  return undefined;
}

/** YAML and JSON documents: the fixed text must parse no worse (by the number of parse errors). */
function documentCheck(path: string, before: string, after: string): string | undefined {
  const errors = (text: string): string[] => {
    if (/\.json$/i.test(path)) {
      try { JSON.parse(text); return []; } catch (e) { return [(e as Error).message]; }
    }
    if (!/\.ya?ml$/i.test(path)) return [];
    return parseAllDocuments(text).flatMap((d) => d.errors.map((e) => e.message.split('\n')[0]));
  };
  const was = errors(before).length;
  const now = errors(after);
  return now.length > was ? `it would add a syntax error: ${now[now.length - 1]}` : undefined;
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

