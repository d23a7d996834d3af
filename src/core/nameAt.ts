// Finds the parameter or secret name under the cursor, from the text of one line. Line-local and
// cheap: hovers and completion must never wait on a parse or a listing.

export type NameKind = 'parameter' | 'secret';

export interface NameAt {
  /** The name (for `{{resolve:secretsmanager:name:SecretString:key}}`, only `name`). */
  name: string;
  /** Kind known from the syntax (`${ssm:…}`, `{{resolve:secretsmanager:…}}`, `SecretId:`), if any. */
  kind?: NameKind;
  /** The string is in a position that reads a parameter/secret (SDK call, Powertools, IaC reference). */
  inReferencePosition: boolean;
  /** Range of the name in the document line (0-based columns). */
  start: number;
  end: number;
}

const SECRET_CONTEXT = /(?:SecretId|secretId|secretName|SecretName)\s*:\s*$|getSecret(?:Value)?\s*\(\s*$|getSecrets\s*\(\s*\[?\s*$/;
const PARAM_CONTEXT = /(?:Name|Names|Path|parameterName|ParameterName)\s*:\s*\[?[^\]]*?$|get(?:Parameter|Parameters|ParametersByPath|MultipleParameters)\s*\(\s*\[?\s*$/;
const RESOLVE = /\{\{resolve:(ssm|ssm-secure|secretsmanager):([^}:]+)(?::[^}]*)?\}\}/g;
const SERVERLESS = /\$\{(ssm|ssm\(raw\)|ssm\([^)]*\)):([^}~]+)(?:~[^}]*)?\}/g;

/** The quoted string (or unquoted YAML scalar) around `col`, with its inner start/end columns. */
function stringAround(line: string, col: number): { start: number; end: number; before: string } | undefined {
  for (const q of ['"', "'", '`']) {
    let open = -1;
    for (let i = 0; i < line.length; i++) {
      if (line[i] === '\\') { i++; continue; }
      if (line[i] !== q) continue;
      if (open < 0) { open = i; continue; }
      if (open < col && col <= i) return { start: open + 1, end: i, before: line.slice(0, open) };
      open = -1;
    }
    if (open >= 0 && open < col) return { start: open + 1, end: line.length, before: line.slice(0, open) }; // still typing
  }
  // YAML `key: value` or list item `- value` without quotes.
  const m = /^(\s*(?:-\s+)?[\w.-]+\s*:\s+|\s*-\s+)([^\s#'"][^#]*?)\s*(?:#.*)?$/.exec(line);
  if (m && col >= m[1].length && col <= m[1].length + m[2].length) return { start: m[1].length, end: m[1].length + m[2].length, before: m[1] };
  return undefined;
}

export function nameAt(line: string, col: number, languageId: string): NameAt | undefined {
  for (const re of [RESOLVE, SERVERLESS]) {
    re.lastIndex = 0;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      const nameStart = m.index + m[0].indexOf(m[2], m[1].length + 3);
      const nameEnd = nameStart + m[2].length;
      if (col >= nameStart && col <= nameEnd) {
        const kind: NameKind = m[1] === 'secretsmanager' ? 'secret' : 'parameter';
        return { name: m[2].trim(), kind, inReferencePosition: true, start: nameStart, end: nameEnd };
      }
    }
  }
  const s = stringAround(line, col);
  if (!s) return undefined;
  const text = line.slice(s.start, s.end);
  if (!text || /\s/.test(text.trim()) || text.length > 2048) return undefined;
  const trimmed = text.replace(/\s+$/, '');
  let kind: NameKind | undefined;
  let inRef = false;
  if (SECRET_CONTEXT.test(s.before)) { kind = 'secret'; inRef = true; }
  else if (PARAM_CONTEXT.test(s.before)) { kind = 'parameter'; inRef = true; }
  else if (languageId === 'yaml' && /^\s*[\w-]*(?:PARAM|PARAMETER|SSM|SECRET_ID|SECRET_NAME|SECRET_ARN)\w*\s*:\s*$/i.test(s.before) && trimmed.startsWith('/')) {
    inRef = true; // an environment variable that carries a parameter/secret name
  }
  return { name: trimmed, kind, inReferencePosition: inRef, start: s.start, end: s.start + trimmed.length };
}
