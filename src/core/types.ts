// Plain data shared by every layer. No vscode, no AWS SDK, no ts-morph here:
// the extension converts these into VS Code types, the CLI into text/JSON/SARIF.
import type { ts } from 'ts-morph';
import type { IacNode } from './iac/nodes';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export const SEVERITY_ORDER: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

/** Zero-based line and UTF-16 character, like LSP and VS Code. */
export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

/** Replace the text in `range` with `newText`. Ranges of one fix never overlap. */
export interface TextEdit { range: Range; newText: string }

export interface Fix {
  /** Short imperative title shown in the quick-fix menu, e.g. "Cache this fetch in a module-scope loader". */
  title: string;
  /** Edits to the finding's own file. */
  edits: TextEdit[];
  /** The main fix of the finding (marked preferred in the editor; applied by `keyway scan --fix`). */
  isPreferred?: boolean;
}

export type RuleId =
  | 'hardcoded-secret'
  | 'secret-in-env'
  | 'uncached-fetch'
  | 'client-in-handler'
  | 'sequential-fetch'
  | 'missing-decryption'
  | 'nonsensitive-in-secrets-manager'
  | 'iam-wildcard-resource'
  | 'iam-missing-kms-decrypt'
  | 'iam-overbroad-resource'
  | 'iam-missing-grant'
  | 'secret-exposed';

export interface Finding {
  ruleId: RuleId;
  severity: Severity;
  /** What is wrong, why, and what to do. Never contains a secret value. */
  message: string;
  /** Absolute or caller-relative path, as given to the analyzer. */
  file: string;
  range: Range;
  fixes: Fix[];
  /** Rule-specific plain data (e.g. the parameter name read), never a secret value. */
  data?: Record<string, string | number | boolean | string[]>;
  /** Set (with empty `fixes`) when the analysis ran with `deferFixes` and this finding has fixes to compute. */
  fixesDeferred?: boolean;
}

export interface RuleMeta {
  id: RuleId;
  title: string;
  defaultSeverity: Severity;
  /** One sentence for listings and SARIF `shortDescription`. */
  description: string;
}

export interface KeywayConfig {
  /** Per rule: 'off' or a severity overriding the default. */
  rules: Partial<Record<RuleId, Severity | 'off'>>;
  /** TTL in seconds of the caches that fixes generate. */
  cacheTtlSeconds: number;
  /** Extra identifier words that mark a value as secret (in addition to password, secret, token, …). */
  secretWords: string[];
  /** Extra ignore globs (gitignore syntax), relative to the config file's folder. */
  ignore: string[];
  /** Files larger than this are skipped. */
  maxFileSize: number;
  /**
   * Test code (gitignore-style patterns, matched against any part of the path): never a Lambda handler, so the
   * per-invocation rules stay silent there (hardcoded-secret still reports). Replaces the default list when set.
   */
  testFiles?: string[];
  /** `hardcoded-secret`: report only findings at least this confident (`high`: verified formats and strong values). */
  minConfidence?: 'high' | 'medium';
}

export const DEFAULT_CONFIG: KeywayConfig = {
  rules: {},
  cacheTtlSeconds: 300,
  secretWords: [],
  ignore: [],
  maxFileSize: 1024 * 1024,
};

/** What a parameter name is known to be in the connected account (passed in by the caller; core never calls AWS). */
export type ParameterKind = 'String' | 'StringList' | 'SecureString';

/** Read-only view of the project around a file, so rules can follow imports and read package.json. */
export interface ProjectContext {
  /** Text of a file, or undefined when it does not exist or cannot be read. */
  readFile(path: string): string | undefined;
  /** Names in dependencies/devDependencies of the nearest package.json above `path`. */
  dependenciesOf(path: string): ReadonlySet<string>;
  /**
   * Names of the entries of a folder (files and folders, no paths), or undefined when it cannot be listed. Optional:
   * without it, Keyway finds infrastructure files by their usual names only (Terraform needs a listing).
   */
  listDir?(dir: string): readonly string[] | undefined;
}

export interface AnalyzeOptions {
  config?: Partial<KeywayConfig>;
  project?: ProjectContext;
  /** Account metadata: the kind of a parameter by name, when connected. */
  parameterKind?: (name: string) => ParameterKind | undefined;
  /**
   * Leave the fixes that rules offer lazily uncomputed (those findings get `fixesDeferred: true`). For the editor's
   * typing path: diagnostics need no edits, and the code-action request analyses again with fixes.
   */
  deferFixes?: boolean;
  /** Read the text as this kind instead of the one its name implies (the scanner passes `bundle` for minified files). */
  kind?: DocumentKind;
  /** Parse problems of the file (strict parse failed, possibly with a lenient fallback that still yielded results). */
  onParseError?: (problem: ParseProblem) => void;
}

/** A file that could not be parsed (or only leniently): reported in `errors`, never silently dropped. */
export interface ParseProblem {
  message: string;
  /** Where the problem is, when known. */
  position?: Position;
  /** The lenient reading that still produced results, e.g. `per-block`; undefined when nothing could be read. */
  fallback?: string;
}

/**
 * How a file is read (see `src/core/readers/`). `bundle` is minified or oversized text that gets only a fast provider-key
 * pass; `keystore` is a binary key store (`.p12`, `.pfx`, `.jks`) whose content is never read as text.
 */
export type DocumentKind =
  | 'source' | 'yaml' | 'json' | 'env'
  | 'toml' | 'ini' | 'properties' | 'npmrc' | 'netrc' | 'git-credentials'
  | 'docker-compose' | 'dockerfile' | 'shell' | 'ci-workflow' | 'snapshot' | 'terraform'
  | 'private-key' | 'keystore' | 'bundle' | 'text';

/** A `KEY=value`-style pair a reader found, with exact offsets (env files, shell, Dockerfile, INI-like lines, flags). */
export interface DocumentEntry {
  /** The name the value is assigned to (`''` for a bare word, e.g. a shell argument). */
  key: string;
  keyStart: number;
  keyEnd: number;
  /** The value after unquoting. */
  value: string;
  /** Source range of the value (quotes included when quoted). */
  valueStart: number;
  valueEnd: number;
  quoted: boolean;
  /**
   * How the pair was written: `assignment` (KEY=value, key = value), `flag` (`--password=x`), `header`
   * (`Authorization: …`), `userinfo` (`user:pass` of `curl -u` or a URL), `argument` (a bare word), `snapshot`.
   */
  via?: 'assignment' | 'flag' | 'header' | 'userinfo' | 'argument' | 'snapshot';
}

/** What the engine read from a non-source file once, for every rule. */
export interface ParsedDocument {
  /** The file's kind (same as the context's `kind`). */
  kind: DocumentKind;
  /** A finer flavour: `github-actions`, `gitlab-ci`, `circleci`, `samconfig`, `pypirc`, `yarnrc`, `aws-credentials`, … */
  flavor?: string;
  /** Tree view (YAML, JSON, TOML, INI, netrc, Terraform): IacNode roots with exact offsets. Empty for line kinds. */
  roots: IacNode[];
  /** Pair view (env, properties, npmrc, Dockerfile, shell, CI `run:` lines, snapshots…). */
  entries: DocumentEntry[];
  /** Parse problems (offset into the text). A document with errors still yields what could be read. */
  errors: { message: string; offset: number }[];
  /** Set when the strict parse failed and a lenient one produced `roots`/`entries`: which fallback was used. */
  fallback?: string;
}

/** Context handed to a rule for one TS/JS source file. */
export interface SourceContext {
  path: string;
  text: string;
  /** The syntax tree (parent pointers set). Walk this for speed; it is the tree ts-morph wraps. */
  sourceFile: ts.SourceFile;
  config: KeywayConfig;
  project: ProjectContext;
  parameterKind: (name: string) => ParameterKind | undefined;
  /** Convert an offset in `text` to a Position. */
  positionAt(offset: number): Position;
  report(finding: ReportedFinding): void;
  /**
   * Scratch space shared by the rules for this one analysis (the Lambda model is built once and used by five
   * rules). Dropped with the analysis: caches keyed by the tree in a WeakMap would keep every tree alive through
   * young-generation collections (the value points back at its key) and triple the GC work of a scan.
   */
  shared: Map<unknown, unknown>;
}

/** Context handed to a rule for one infrastructure or config document (YAML, JSON, .env and every other read kind). */
export interface DocumentContext {
  path: string;
  text: string;
  kind: Exclude<DocumentKind, 'source'>;
  /** The document as the engine read it (tree and pairs); parsed once for every rule. */
  document: ParsedDocument;
  config: KeywayConfig;
  project: ProjectContext;
  positionAt(offset: number): Position;
  report(finding: ReportedFinding): void;
}

/**
 * What a rule asks of the shared walk. `visit` sees nodes in pre-order (parents before children, siblings in
 * source order); with `kinds` only nodes of those kinds (the engine buckets them while it links parents, so a
 * rule about string literals never pays a call per identifier). An empty `kinds` means nothing to visit.
 */
export interface SourceVisitor {
  kinds?: readonly ts.SyntaxKind[];
  visit?(node: ts.Node): void;
  finish?(): void;
}

export interface Rule {
  meta: RuleMeta;
  /** Called once per source file; return a visitor the engine calls from one shared walk. */
  source?(ctx: SourceContext): SourceVisitor | void;
  /** Called once per YAML/JSON/.env document. */
  document?(ctx: DocumentContext): void;
  /**
   * Called instead of `source` for JS/TS text the parser cannot take (see analyzeText): no tree, so only checks
   * that work on tokens (string literals) can run.
   */
  unparsed?(ctx: UnparsedContext): void;
}

/** Context for a source file that could not be parsed. */
export type UnparsedContext = Omit<DocumentContext, 'kind' | 'document'>;

/**
 * What a rule passes to `report`: the engine fills in the file, the rule id and the configured severity. Fixes may be
 * given as a function: the engine calls it at once, unless the caller asked for `deferFixes`.
 */
export type ReportedFinding = Omit<Finding, 'ruleId' | 'file' | 'severity' | 'fixes' | 'fixesDeferred'>
  & { ruleId?: RuleId; fixes?: Fix[] | (() => Fix[]); severity?: Severity };
