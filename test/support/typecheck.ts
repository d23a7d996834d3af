// Type-checks generated TypeScript with the compiler API, resolving @aws-sdk types from the repository's
// node_modules (the file is written under .artifacts/, inside the repository).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { artifactsDir } from './paths';

export function typeCheck(name: string, text: string): string[] {
  const dir = path.join(artifactsDir, 'typecheck');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name.replace(/[^\w.-]+/g, '_'));
  fs.writeFileSync(file, text);
  const program = ts.createProgram([file], {
    noEmit: true, strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10, skipLibCheck: true, esModuleInterop: true, types: [],
  });
  return ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file || !d.file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}
