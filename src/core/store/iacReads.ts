// Names that infrastructure reads at deploy time: serverless `${ssm:…}` variables, CloudFormation dynamic references
// (`{{resolve:ssm:…}}`, `{{resolve:ssm-secure:…}}`, `{{resolve:secretsmanager:…}}`), template parameters of type
// `AWS::SSM::Parameter::Value<…>`, and CDK lookups (`valueForStringParameter`, `Secret.fromSecretNameV2`, …).
// A missing one fails the deploy. Names keep IaC variables (`${sls:stage}`, `${Stage}`) as written. Pure.
import { getPath, parseJson, parseYaml, scalarText, type IacNode } from '../iac';
import { lineStarts, rangeOf } from '../text';
import type { Range } from '../types';

export type IacReadVia =
  | 'serverless-ssm' | 'serverless-ssm-secret'
  | 'cfn-resolve-ssm' | 'cfn-resolve-ssm-secure' | 'cfn-resolve-secretsmanager'
  | 'cfn-parameter-type' | 'cdk-lookup';

export interface IacRead {
  name: string;
  kind: 'parameter' | 'secret';
  via: IacReadVia;
  /** The type the reader needs: `{{resolve:ssm-secure}}` only reads SecureStrings; `{{resolve:ssm}}` and
   * `AWS::SSM::Parameter::Value<String>` only plain ones. */
  requires?: 'SecureString' | 'plain';
  range: Range;
  file: string;
}

/** End of a `${…}` that starts at `open` (index of `$`), with nested `${…}`; -1 when unbalanced. */
function closeOf(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length && i < open + 2048; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') { depth--; if (depth === 0) return i; }
    else if (c === '\n') return -1;
  }
  return -1;
}

/** `arn:aws:secretsmanager:r:a:secret:name-AbCdEf` (or a partial ARN) → `name`; other ids as they are. */
export function secretNameFromId(id: string): string {
  const m = /^arn:[^:]*:secretsmanager:[^:]*:[^:]*:secret:(.+)$/.exec(id);
  if (!m) return id;
  return m[1].replace(/-[A-Za-z0-9]{6}$/, '');
}

function serverlessReads(file: string, text: string, starts: number[], out: IacRead[]): void {
  const re = /\$\{ssm(?:\([^)]*\))?:/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const end = closeOf(text, m.index);
    if (end < 0) continue;
    const startName = m.index + m[0].length;
    let inner = text.slice(startName, end);
    // `${ssm:/path, 'default'}` and the old `~true` decryption suffix
    const comma = topLevelComma(inner);
    if (comma >= 0) inner = inner.slice(0, comma);
    inner = inner.replace(/~(true|false|split|noDecrypt)$/, '').trim();
    if (!inner) continue;
    const lead = text.slice(startName).search(/\S/);
    const s = startName + Math.max(0, lead);
    const range = rangeOf(starts, s, s + inner.length);
    const ref = /^\/aws\/reference\/secretsmanager\/(.+)$/.exec(inner);
    if (ref) out.push({ name: ref[1], kind: 'secret', via: 'serverless-ssm-secret', range, file });
    else out.push({ name: inner, kind: 'parameter', via: 'serverless-ssm', range, file });
  }
}

function topLevelComma(s: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}') depth--;
    else if (s[i] === ',' && depth === 0) return i;
  }
  return -1;
}

function dynamicReferences(file: string, text: string, starts: number[], out: IacRead[]): void {
  // The body may hold `${Var}` of a !Sub (whose `}` must not end the reference).
  const re = /\{\{resolve:(ssm-secure|ssm|secretsmanager):((?:[^}$]|\$\{[^{}]*\}|\$)*)\}\}/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const service = m[1];
    const body = m[2];
    const s = m.index + '{{resolve:'.length + service.length + 1;
    if (service === 'secretsmanager') {
      // secret-id may be a full ARN (7 colon-separated parts); then :SecretString:key:stage:version
      const parts = body.split(':');
      const id = parts[0] === 'arn' ? parts.slice(0, 7).join(':') : parts[0];
      if (!id) continue;
      out.push({ name: secretNameFromId(id), kind: 'secret', via: 'cfn-resolve-secretsmanager', range: rangeOf(starts, s, s + id.length), file });
    } else {
      // ssm:name[:version]; names may hold ${Var} of a !Sub
      const name = body.replace(/:\d+$/, '');
      if (!name) continue;
      out.push({
        name, kind: 'parameter', via: service === 'ssm' ? 'cfn-resolve-ssm' : 'cfn-resolve-ssm-secure',
        requires: service === 'ssm' ? 'plain' : 'SecureString', range: rangeOf(starts, s, s + name.length), file,
      });
    }
  }
}

function parameterTypeReads(file: string, roots: IacNode[], starts: number[], out: IacRead[]): void {
  for (const root of roots) {
    const params = getPath(root, 'Parameters');
    if (!params || params.type !== 'map') continue;
    for (const e of params.entries) {
      const type = scalarText(getPath(e.value, 'Type'));
      if (!type || !/^AWS::SSM::Parameter::Value<[^>]+>$/.test(type.trim())) continue;
      const def = getPath(e.value, 'Default');
      const name = scalarText(def);
      if (!def || !name) continue;
      const start = def.start + (text(def).startsWith('"') || text(def).startsWith("'") ? 1 : 0);
      out.push({ name, kind: 'parameter', via: 'cfn-parameter-type', requires: 'plain', range: rangeOf(starts, start, start + name.length), file });
    }
  }
  function text(n: IacNode): string { return n.type === 'scalar' ? String(n.value) : ''; }
}

const CDK_LOOKUP = /\b(valueForStringParameter|valueForSecureStringParameter|valueFromLookup|fromStringParameterName|fromSecureStringParameterName|fromStringListParameterName|fromSecretNameV2|fromSecretName|fromSecretCompleteArn|fromSecretPartialArn)\s*\(\s*[^,()]+,\s*(?:['"`][^'"`]*['"`]\s*,\s*)?(['"`])([^'"`]+)\2/g;
const CDK_ATTRS = /\b(fromStringParameterAttributes|fromSecureStringParameterAttributes|fromSecretAttributes)\s*\([^{]*\{[^}]*?\b(parameterName|secretCompleteArn|secretPartialArn)\s*:\s*(['"`])([^'"`]+)\3/g;

function cdkReads(file: string, text: string, starts: number[], out: IacRead[]): void {
  if (!text.includes('aws-cdk') && !text.includes('@aws-cdk/')) return;
  CDK_LOOKUP.lastIndex = 0;
  CDK_ATTRS.lastIndex = 0;
  for (let m = CDK_LOOKUP.exec(text); m; m = CDK_LOOKUP.exec(text)) {
    const method = m[1]; const name = m[3];
    // The name is the last quoted argument matched: for (scope, id, 'name') and (scope, 'name').
    const s = m.index + m[0].length - 1 - name.length;
    const secret = /Secret/.test(method) && !/SecureString/.test(method);
    const secure = /SecureString/.test(method);
    out.push({
      name: secret ? secretNameFromId(name) : name, kind: secret ? 'secret' : 'parameter', via: 'cdk-lookup',
      ...(secure ? { requires: 'SecureString' as const } : {}), range: rangeOf(starts, s, s + name.length), file,
    });
  }
  for (let m = CDK_ATTRS.exec(text); m; m = CDK_ATTRS.exec(text)) {
    const name = m[4];
    const s = m.index + m[0].length - 1 - name.length;
    const secret = m[1] === 'fromSecretAttributes';
    out.push({
      name: secret ? secretNameFromId(name) : name, kind: secret ? 'secret' : 'parameter', via: 'cdk-lookup',
      ...(m[1] === 'fromSecureStringParameterAttributes' ? { requires: 'SecureString' as const } : {}), range: rangeOf(starts, s, s + name.length), file,
    });
  }
}

/** Deploy-time reads of one file (YAML, JSON, or CDK TypeScript/JavaScript). Never throws. */
export function iacReads(file: string, text: string): IacRead[] {
  const out: IacRead[] = [];
  try {
    if (!/ssm|resolve:|secret/i.test(text)) return out;
    const starts = lineStarts(text);
    if (/\.ya?ml$/i.test(file) || /\.json$/i.test(file)) {
      serverlessReads(file, text, starts, out);
      dynamicReferences(file, text, starts, out);
      if (text.includes('AWS::SSM::Parameter::Value')) {
        const parsed = /\.json$/i.test(file) ? parseJson(text) : parseYaml(text);
        parameterTypeReads(file, parsed.roots, starts, out);
      }
    } else if (/\.[cm]?[jt]sx?$/i.test(file)) {
      dynamicReferences(file, text, starts, out);
      cdkReads(file, text, starts, out);
    }
  } catch { /* partial results beat none */ }
  return out;
}
