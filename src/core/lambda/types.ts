// The data of the Lambda model: what one file holds (imports, clients, fetch sites, handlers) and what runs on every
// invocation of its handlers. Plain interfaces; the passes that fill them live next door (see index.ts).
import type { ts } from '../ts';
import type { ProjectContext } from '../types';
import type { ApiStyle, Operation, Service } from './sdk';

export type FnNode = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

export interface ImportBinding {
  module: string;
  /** Exported name, `default`, or `*` for a namespace / whole-module require. */
  name: string;
  /** Following a call into another file: a method of the class exported under `name`. */
  member?: string;
  /** That method runs on an instance that outlives the invocation (module-scope, singleton, static): `this.*` state caches. */
  persistent?: boolean;
}

export interface FetchCall {
  /** The call reported: `client.send(…)`, `ssm.getParameter(…)` or the Powertools call. */
  call: ts.CallExpression;
  /** The expression whose value is the response promise (`….promise()` for SDK v2). */
  expr: ts.Expression;
  op: Operation;
  service: Service;
  style: ApiStyle;
  /** The request object literal, when it could be resolved in this file. */
  input?: ts.ObjectLiteralExpression;
  /** True when `input` is the literal written in the call itself (so a fix may edit it). */
  inputInline: boolean;
  command?: ts.NewExpression;
  receiver?: ts.Expression;
  /** Statically known names: Name, Names[], Path, SecretId or the Powertools name argument. */
  names: string[];
  /** Names whose text is fully static (no `${…}` parts), usable for account look-ups. */
  exactNames: string[];
  /** For names known only at run time: the variable that holds them (`process.env.DB_PASSWORD_PARAM` → `DB_PASSWORD_PARAM`). */
  nameHints: string[];
  /** Powertools call served from its cache (default maxAge). */
  cachedByLibrary: boolean;
  /** Powertools options object (second argument). */
  ptOptions?: ts.ObjectLiteralExpression;
  /** SDK v2 callback form (and `.eachPage(cb)`). */
  callback: boolean;
  /** An SDK v3 paginator (`paginateGetParametersByPath`): one call per page. */
  paginator?: boolean;
  /** The extension's URL as far as it is static (`{}` for substitutions), for `style: 'extension'`. */
  url?: string;
}

export interface ClientNew {
  node: ts.NewExpression;
  service: Service;
  kind: 'client' | 'provider';
  style: ApiStyle;
  className: string;
}

export interface FileModel {
  path: string;
  sf: ts.SourceFile;
  text: string;
  relevant: boolean;
  imports: Map<string, ImportBinding>;
  /** Names declared at module scope (variables, functions, classes, imports). */
  moduleNames: Set<string>;
  /** Module-scope variable declarations by name. */
  moduleVars: Map<string, ts.VariableDeclaration>;
  /** Module-scope functions by name: a function declaration, or the initializer of a variable. */
  topFunctions: Map<string, ts.Node>;
  /** Exported name → declaration or expression. */
  exports: Map<string, ts.Node>;
  /** Module-scope names written from inside a function (cache candidates). */
  mutable: Set<string>;
  fetches: FetchCall[];
  clients: ClientNew[];
  /** Variable name → object literal initializer (for `const params = {…}; ssm.getParameter(params)`). */
  objectVars: Map<string, ts.ObjectLiteralExpression>;
  /** Module-scope const name → string value. */
  stringConsts: Map<string, string>;
  scanned: boolean;
  /** Module-scope classes by name (for class-based handlers: `new Lambda().handler`). */
  classes: Map<string, ts.ClassDeclaration>;
  /** `export { x } from './y'` seen. */
  relativeReexport: boolean;
  /** `process.env.X = …` written somewhere in the file: X is then runtime state (a cache), not configuration. */
  envWrites: Set<string>;
  /**
   * Exports the project's infrastructure deploys as handlers (serverless `handler: billing.orders` → `orders`), when an
   * infrastructure file names this file: they are handlers whatever their name or parameters.
   */
  iacHandlers?: ReadonlySet<string>;
  /** Fetches and clients by node, built on first use by the reachability walk. */
  fetchAt?: Map<ts.Node, FetchCall>;
  /** Promise-style fetches by the function they are directly in, built on first use (see directFetches). */
  byFunction?: Map<ts.Node, FetchCall[]>;
  clientAt?: Map<ts.Node, ClientNew>;
}

export interface Handler {
  name: string;
  /** Named as a handler by the infrastructure (else found by the name and parameter heuristics). */
  iac?: boolean;
  /**
   * A CloudFormation custom-resource handler (`event.RequestType`, `cfn-response`): it runs once per deployment, so
   * per-invocation work there costs nothing worth caching.
   */
  customResource?: boolean;
  /** The export node (statement or property) — where cross-file handler findings are reported. */
  exportNode: ts.Node;
  fn?: FnNode;
}

export interface CrossFileHit {
  /** The call in this file (or the export) through which the other file's code runs per invocation. */
  site: ts.Node;
  handler: string;
  callee: string;
  file: string;
  fetches: { op: Operation; names: string[] }[];
  clients: string[];
}

export interface Reach {
  handlers: Handler[];
  /** Fetch → the handler it runs for, when it runs on every invocation (not cached). */
  fetches: Map<FetchCall, string>;
  clients: Map<ClientNew, string>;
  crossFile: CrossFileHit[];
}

export interface LambdaModel {
  file: FileModel;
  reach: Reach;
  /** Per-invocation fetches by enclosing function, filled in by the loader fix on first use. */
  fetchesByFunction?: Map<ts.Node | undefined, FetchCall[]>;
}

/** What a function expression resolves to: a function of this file, or an export of a relative module. */
export type Resolved = { fn: FnNode } | { external: ImportBinding; site: ts.Node } | undefined;

export type ClassNode = ts.ClassDeclaration | ts.ClassExpression;

/** Where the reachability walk is: the project (to read relative imports) and how deep it has followed them. */
export interface Env {
  project: ProjectContext;
  /** Depth of cross-file following. */
  depth: number;
}
