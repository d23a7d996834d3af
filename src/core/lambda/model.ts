// The Lambda model of one file: SDK imports, clients, fetch sites, handlers, and what runs on every invocation.
// Computed once per analysis (kept in the rules' shared scratch space) and used by the Lambda rules. Pure: no vscode,
// no AWS. The passes live one per file (see docs/architecture.md, "The Lambda model"):
//   file.ts      imports, module-scope names, functions, classes, exports       (first pass)
//   scan.ts      clients (clients.ts), fetch sites (fetches.ts), cache state     (second pass)
//   handlers.ts  which exports are handlers, and the function an export denotes
//   reach.ts     what runs per invocation from each handler, behind which cache guards (caches.ts)
//   external.ts  following calls into relative imports
// This module is the entry point and re-exports the public surface (other modules import it from here or from
// ./index).
import type { ts } from '../ts';
import type { ParameterKind, ProjectContext } from '../types';
import { buildFileModel, hasRelativeImport, scanFile } from './file';
import { findHandlers } from './handlers';
import { computeReach } from './reach';
import type { FileModel, LambdaModel, Reach } from './types';

export type {
  FnNode, ImportBinding, FetchCall, ClientNew, FileModel, Handler, CrossFileHit, Reach, LambdaModel, Resolved, Env, ClassNode,
} from './types';
export { isFunctionNode, findProp, walkTree, STOP } from './syntax';
export { buildFileModel, scanFile, resolveSdk } from './file';
export { staticText } from './fetches';
export { SCAN_KINDS } from './scan';
export { resolveFunction, findHandlers } from './handlers';
export { isMemoized } from './caches';
export { computeReach } from './reach';
export { importedFetchWrapper, directFetches } from './external';


/** The last few scanned file models by path and text, so a caller right after an analysis (the editor's
 * name check, reference extraction) reuses the tree instead of parsing the file again. */
const recent = new Map<string, { text: string; model: FileModel }>();
const RECENT_MAX = 8;

export function recentModel(path: string, text: string): FileModel | undefined {
  const hit = recent.get(path);
  return hit && hit.text === text ? hit.model : undefined;
}

function rememberModel(path: string, text: string, model: FileModel): void {
  recent.delete(path);
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
  recent.set(path, { text, model });
}

export interface ModelInput {
  path: string;
  text: string;
  sourceFile: ts.SourceFile;
  project: ProjectContext;
  parameterKind?: (name: string) => ParameterKind | undefined;
  /** The exports the infrastructure deploys as handlers in this file (asked only when handlers are needed). */
  handlerNames?: () => ReadonlySet<string> | undefined;
}

/** The Lambda model of a file (callers keep it for as long as they need it: this function does not cache). */
export function getLambdaModel(ctx: ModelInput, nodes?: readonly ts.Node[]): LambdaModel {
  const file = buildFileModel(ctx.path, ctx.text, ctx.sourceFile, false, nodes);
  if (file.scanned) rememberModel(ctx.path, ctx.text, file);
  let reach: Reach = { handlers: [], fetches: new Map(), clients: new Map(), crossFile: [] };
  const named = () => { const n = ctx.handlerNames?.(); if (n) file.iacHandlers = n; };
  if (file.relevant) {
    if (file.fetches.length || file.clients.length || hasRelativeImport(file)) {
      named();
      reach = computeReach(file, { project: ctx.project, depth: 0 });
    }
  } else if (hasRelativeImport(file) && (named(), findHandlers(file).length)) {
    // A handler without SDK code of its own may still call fetching code in a relative import.
    scanFile(file);
    reach = computeReach(file, { project: ctx.project, depth: 0 });
  }
  return { file, reach };
}
