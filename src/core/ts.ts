// The TypeScript compiler API that ts-morph ships, bound once. Core modules import `ts` from here rather
// than from 'ts-morph': in the bundle, every `ts.X` on the CommonJS import would go through an interop
// getter, which showed up as the top cost of the rules on Lambda-heavy files.
import { ts as tsMorphTs } from 'ts-morph';

export import ts = tsMorphTs;
