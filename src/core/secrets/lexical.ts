// Token-level string literals of JS/TS text the parser cannot take (thousands of unclosed brackets, nesting deep
// enough to overflow it). Built on TypeScript's scanner, which is linear and never backtracks: the fallback that
// keeps `hardcoded-secret` working on source Keyway refuses to parse. Never throws.
import { ts } from '../ts';

export interface LexicalString {
  /** The literal's value (escapes resolved by the scanner); for a template, its first text part. */
  value: string;
  start: number;
  end: number;
  /** The identifier or quoted key just before `=`, `:`, `?? ` or `||` (`password = '…'`, `"token": '…'`). */
  name?: string;
}

const SK = ts.SyntaxKind;

/** After these tokens a `/` starts a regular expression, not a division. */
function regexMayFollow(prev: ts.SyntaxKind | undefined): boolean {
  if (prev === undefined) return true;
  switch (prev) {
    case SK.Identifier: case SK.NumericLiteral: case SK.BigIntLiteral: case SK.StringLiteral:
    case SK.NoSubstitutionTemplateLiteral: case SK.TemplateTail: case SK.RegularExpressionLiteral:
    case SK.CloseParenToken: case SK.CloseBracketToken: case SK.CloseBraceToken:
    case SK.ThisKeyword: case SK.SuperKeyword: case SK.TrueKeyword: case SK.FalseKeyword: case SK.NullKeyword:
    case SK.PlusPlusToken: case SK.MinusMinusToken:
      return false;
    default:
      return true;
  }
}

const ASSIGNING = new Set<ts.SyntaxKind>([SK.EqualsToken, SK.ColonToken, SK.QuestionQuestionToken, SK.BarBarToken, SK.QuestionQuestionEqualsToken, SK.BarBarEqualsToken]);

/** Every string literal and template head of `text`, in order, each with the name it is assigned to when it has one. */
export function lexicalStrings(text: string, jsx: boolean, maxTokens = 2_000_000): LexicalString[] {
  const out: LexicalString[] = [];
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, jsx ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard, text);
  // `{` depth markers: true where a template's `${` was opened, so its `}` resumes the template text.
  const braces: boolean[] = [];
  let prev: ts.SyntaxKind | undefined;
  let prev2: { kind: ts.SyntaxKind; text: string } | undefined; // the token before `prev`
  let prevText = '';
  try {
    for (let i = 0; i < maxTokens; i++) {
      let kind = scanner.scan();
      if (kind === SK.EndOfFileToken) break;
      if ((kind === SK.SlashToken || kind === SK.SlashEqualsToken) && regexMayFollow(prev)) kind = scanner.reScanSlashToken();
      if (kind === SK.OpenBraceToken) braces.push(false);
      else if (kind === SK.TemplateHead) braces.push(true);
      else if (kind === SK.CloseBraceToken) {
        if (braces.pop()) kind = scanner.reScanTemplateToken(false);
        if (kind === SK.TemplateMiddle) braces.push(true);
      }
      if (kind === SK.StringLiteral || kind === SK.NoSubstitutionTemplateLiteral || kind === SK.TemplateHead) {
        const name = prev !== undefined && ASSIGNING.has(prev) && prev2
          && (prev2.kind === SK.Identifier || prev2.kind === SK.StringLiteral || prev2.kind === SK.PrivateIdentifier) ? prev2.text : undefined;
        out.push({ value: scanner.getTokenValue(), start: scanner.getTokenStart(), end: scanner.getTokenEnd(), name });
      }
      prev2 = prev === undefined ? undefined : { kind: prev, text: prevText };
      prev = kind;
      prevText = kind === SK.Identifier || kind === SK.StringLiteral || kind === SK.PrivateIdentifier ? scanner.getTokenValue() : '';
    }
  } catch {
    // The scanner does not throw on bad input; if it ever did, what was found so far stands.
  }
  return out;
}
