// The subset of toml-eslint-parser's types Keyway uses (the package ships `.d.mts` types only through `exports`,
// which this project's `moduleResolution: node` does not read).
declare module 'toml-eslint-parser' {
  interface Loc { range: [number, number] }
  export interface TOMLBare extends Loc { type: 'TOMLBare'; name: string }
  export interface TOMLQuoted extends Loc { type: 'TOMLQuoted'; value: string }
  export interface TOMLKey extends Loc { type: 'TOMLKey'; keys: (TOMLBare | TOMLQuoted)[] }
  export interface TOMLValue extends Loc {
    type: 'TOMLValue'; kind: string; value: unknown; style?: 'basic' | 'literal'; multiline?: boolean; datetime?: string; number?: string;
  }
  export interface TOMLArray extends Loc { type: 'TOMLArray'; elements: TOMLContentNode[] }
  export interface TOMLInlineTable extends Loc { type: 'TOMLInlineTable'; body: TOMLKeyValue[] }
  export type TOMLContentNode = TOMLValue | TOMLArray | TOMLInlineTable;
  export interface TOMLKeyValue extends Loc { type: 'TOMLKeyValue'; key: TOMLKey; value: TOMLContentNode }
  export interface TOMLTable extends Loc { type: 'TOMLTable'; kind: 'standard' | 'array'; key: TOMLKey; body: TOMLKeyValue[] }
  export interface TOMLTopLevelTable extends Loc { type: 'TOMLTopLevelTable'; body: (TOMLKeyValue | TOMLTable)[] }
  export interface TOMLProgram extends Loc { type: 'Program'; body: [TOMLTopLevelTable] }
  export class ParseError extends SyntaxError { index: number; lineNumber: number; column: number }
  export function parseTOML(code: string, options?: { filePath?: string; tomlVersion?: string }): TOMLProgram;
}
