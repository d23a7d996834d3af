// Plain types shared by the exposure analysis: the nodes a file is read through, call targets, module access.
import { type ts, tsv } from '../ts';
import type { FunctionLike } from './scope';
import type { Taint } from './taint';

const SK = tsv.SyntaxKind;

/** The nodes of a file the analysis looks at, collected by the engine's walk (or a walk of an imported file). */
export interface FlowNodes {
  calls: ts.CallExpression[];
  news: ts.NewExpression[];
  binaries: ts.BinaryExpression[];
  objects: ts.ObjectLiteralExpression[];
  throws: ts.ThrowStatement[];
  deletes: ts.DeleteExpression[];
}

export const FLOW_KINDS: readonly ts.SyntaxKind[] = [
  SK.CallExpression, SK.NewExpression, SK.BinaryExpression, SK.ObjectLiteralExpression, SK.ThrowStatement, SK.DeleteExpression,
];

export function emptyNodes(): FlowNodes {
  return { calls: [], news: [], binaries: [], objects: [], throws: [], deletes: [] };
}

export function addNode(nodes: FlowNodes, n: ts.Node): void {
  switch (n.kind) {
    case SK.CallExpression: nodes.calls.push(n as ts.CallExpression); break;
    case SK.NewExpression: nodes.news.push(n as ts.NewExpression); break;
    case SK.BinaryExpression: nodes.binaries.push(n as ts.BinaryExpression); break;
    case SK.ObjectLiteralExpression: nodes.objects.push(n as ts.ObjectLiteralExpression); break;
    case SK.ThrowStatement: nodes.throws.push(n as ts.ThrowStatement); break;
    case SK.DeleteExpression: nodes.deletes.push(n as ts.DeleteExpression); break;
  }
}

/** What a function of an imported module is, to a caller. */
export type Target =
  | { kind: 'local'; fn: FunctionLike; name: string }
  | { kind: 'import'; module: string; name: string; member?: string; label: string };

/** Access to relative imports (implemented by the module graph). */
export interface ModuleAccess {
  /** Taint of an exported value (`export const config = …`, `export let cache`). */
  exportValue(from: string, module: string, name: string): Taint;
  /** The result of calling an exported function with these arguments. */
  callExport(from: string, target: Extract<Target, { kind: 'import' }>, args: (fn: FunctionLike, index: number) => Taint): Taint;
}
