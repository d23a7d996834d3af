// The TypeScript compiler API that ts-morph ships, bound once. Core modules import `ts` from here rather
// than from 'ts-morph': in the bundle, every `ts.X` on the CommonJS import would go through an interop
// getter, which showed up as the top cost of the rules on Lambda-heavy files.
import { ts as tsMorphTs } from 'ts-morph';

export import ts = tsMorphTs;

/**
 * The same API as a plain object. TypeScript's own bundle defines every export of its namespace as a getter,
 * so `ts.isIdentifier(n)` or `ts.SyntaxKind.X` in a hot loop is a getter call each time; hot code reads
 * values from this snapshot (`tsv.isIdentifier(n)`, `tsv.SyntaxKind.X`) and keeps `ts.*` for types.
 */
export const tsv: typeof tsMorphTs = { ...tsMorphTs };
