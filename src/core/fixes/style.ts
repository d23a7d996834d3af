// The coding style of a file, so generated code blends in: quotes, semicolons, indentation, module system, language.
import { ts, tsv } from '../ts';

export interface CodeStyle {
  quote: "'" | '"';
  semi: boolean;
  /** One indentation level (`'  '`, `'    '` or `'\t'`). */
  indent: string;
  esm: boolean;
  typescript: boolean;
  /** Multi-line lists end with a trailing comma. */
  trailingComma: boolean;
  eol: string;
}

const styles = new WeakMap<ts.SourceFile, CodeStyle>();

export function detectStyle(sf: ts.SourceFile, path: string): CodeStyle {
  const hit = styles.get(sf);
  if (hit) return hit;
  const text = sf.text;
  let single = 0, double = 0;
  let semiYes = 0, semiNo = 0;
  let esm = false;
  const visitStmt = (st: ts.Statement) => {
    if (tsv.isImportDeclaration(st) || tsv.isExportDeclaration(st) || tsv.isExportAssignment(st)) esm = true;
    if (ts.getModifiers(st as ts.HasModifiers)?.some((m) => m.kind === tsv.SyntaxKind.ExportKeyword)) esm = true;
    if (tsv.isVariableStatement(st) || tsv.isExpressionStatement(st) || tsv.isImportDeclaration(st) || tsv.isReturnStatement(st)
      || tsv.isExportAssignment(st)) {
      if (text.charCodeAt(st.end - 1) === 59 /* ; */) semiYes++; else semiNo++;
    }
  };
  for (const st of sf.statements) visitStmt(st);
  // Sample string literals and statements inside functions too (bounded).
  let budget = 4000;
  const visit = (n: ts.Node): void => {
    if (budget-- <= 0) return;
    if (n.kind === tsv.SyntaxKind.StringLiteral) {
      const c = text.charCodeAt(n.getStart(sf));
      if (c === 39) single++; else if (c === 34) double++;
    } else if (tsv.isBlock(n)) {
      for (const st of n.statements) {
        if (tsv.isVariableStatement(st) || tsv.isExpressionStatement(st) || tsv.isReturnStatement(st)) {
          if (text.charCodeAt(st.end - 1) === 59) semiYes++; else semiNo++;
        }
      }
    }
    tsv.forEachChild(n, visit);
  };
  visit(sf);
  const indent = detectIndent(text);
  // Trailing commas when the file already ends a multi-line list with one.
  const trailingComma = /,[ \t]*\r?\n[ \t]*[}\])]/.test(text);
  const s: CodeStyle = {
    quote: double > single ? '"' : "'",
    semi: semiYes >= semiNo,
    indent,
    esm,
    typescript: /\.[cm]?tsx?$/i.test(path),
    trailingComma,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
  styles.set(sf, s);
  return s;
}

function detectIndent(text: string): string {
  const counts = new Map<number, number>();
  let tabs = 0;
  let prev = 0;
  const lines = text.split(/\r?\n/, 400);
  for (const line of lines) {
    if (!line.trim()) continue;
    if (line.startsWith('\t')) { tabs++; continue; }
    const n = /^ */.exec(line)![0].length;
    const d = Math.abs(n - prev);
    if (d > 0 && d <= 8) counts.set(d, (counts.get(d) ?? 0) + 1);
    prev = n;
  }
  let best = 2, bestCount = 0;
  for (const [d, c] of counts) if (c > bestCount || (c === bestCount && d < best)) { best = d; bestCount = c; }
  if (tabs > bestCount) return '\t';
  return ' '.repeat(best);
}

/** Leading whitespace of the line holding `offset`. */
export function lineIndentAt(text: string, offset: number): string {
  let s = offset;
  while (s > 0 && text.charCodeAt(s - 1) !== 10 && text.charCodeAt(s - 1) !== 13) s--;
  let e = s;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  return text.slice(s, e);
}

/** Re-indent a snippet copied from `fromIndent` so its continuation lines sit under `toIndent`. */
export function reindent(snippet: string, fromIndent: string, toIndent: string): string {
  return snippet.split('\n').map((line, i) => {
    if (i === 0) return line;
    if (line.startsWith(fromIndent)) return toIndent + line.slice(fromIndent.length);
    return line;
  }).join('\n');
}
