// Which KMS key encrypts the values a function reads (issue 13, iam-missing-kms-decrypt): a SecureString parameter or a
// secret that the IaC creates with a customer managed key needs kms:Decrypt on that key in the reader's policy. The AWS
// managed keys (`alias/aws/ssm`, `alias/aws/secretsmanager`, the default when no key is given) do not: their key
// policies let every principal of the account decrypt through the service (conditions kms:CallerAccount and
// kms:ViaService). Pure.
import { get, getPath, intrinsicOf, resolvedText, scalarText, type IacNode } from '../iac';
import { globMatch } from './glob';
import type { Coverage } from './check';
import type { IamFunction } from './functions';
import type { Reference } from './refs';

/** A parameter or secret the IaC creates with an explicit KMS key: its name and key as written. */
export interface KeyedValue { kind: 'parameter' | 'secret'; name: string; key: string }

/** `alias/aws/ssm`, `alias/aws/secretsmanager` (bare or as an ARN): an AWS managed key. */
export function isAwsManagedKey(key: string): boolean {
  return /(^|[:/])alias\/aws\//.test(key.trim());
}

/** Text of a key reference: a literal, or the intrinsic as written (`!Ref Key`, `!GetAtt Key.Arn`). */
function keyText(n: IacNode | undefined): string | undefined {
  if (!n) return undefined;
  const intr = intrinsicOf(n);
  if (!intr || (intr.fn !== 'Ref' && intr.fn !== 'GetAtt')) return resolvedText(n);
  const arg = intr.arg.type === 'seq' ? intr.arg.items.map((i) => scalarText(i)).join('.') : scalarText({ ...intr.arg, tag: undefined } as IacNode);
  return arg ? `!${intr.fn} ${arg}` : undefined;
}

/**
 * CloudFormation / SAM / serverless `resources`: `AWS::SecretsManager::Secret` with `KmsKeyId` and a `Name`.
 * (CloudFormation cannot create SecureString parameters.)
 */
export function cloudFormationKeyed(root: IacNode | undefined): KeyedValue[] {
  const out: KeyedValue[] = [];
  for (const resources of [get(root, 'Resources'), getPath(root, 'resources', 'Resources')]) {
    if (resources?.type !== 'map') continue;
    for (const e of resources.entries) {
      if (scalarText(get(e.value, 'Type')) !== 'AWS::SecretsManager::Secret') continue;
      const props = get(e.value, 'Properties');
      const key = keyText(get(props, 'KmsKeyId'));
      const name = resolvedText(get(props, 'Name'));
      if (key && name) out.push({ kind: 'secret', name, key });
    }
  }
  return out;
}

/** `/shop/${var.stage}/db-url` as a pattern: an IaC variable stands for one path segment. */
function namePattern(name: string): RegExp {
  const body = name.split(/(\$\{[^}]*\})/).map((p) => (p.startsWith('${') ? '[^/]*' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

function comparable(kind: 'parameter' | 'secret', name: string): string {
  if (kind === 'parameter') {
    const arn = /^arn:[^:]*:ssm:[^:]*:[^:]*:parameter(\/.*)$/.exec(name);
    const n = arn ? arn[1] : name;
    return n.startsWith('/') ? n : '/' + n;
  }
  const arn = /^arn:[^:]*:secretsmanager:[^:]*:[^:]*:secret:(.*?)(-[A-Za-z0-9]{6})?$/.exec(name);
  return arn ? arn[1] : name;
}

/** The customer managed key of the value a reference reads, when the IaC creates that value with one. */
export function customerKeyOf(fn: IamFunction, ref: Pick<Reference, 'kind' | 'name' | 'prefix' | 'decrypt'>): KeyedValue | undefined {
  if (!fn.keyed?.length || (ref.kind === 'parameter' && !ref.decrypt)) return undefined;
  const read = comparable(ref.kind, ref.name);
  for (const k of fn.keyed) {
    if (k.kind !== ref.kind || isAwsManagedKey(k.key)) continue;
    const declared = comparable(k.kind, k.name);
    const same = declared === read || namePattern(declared).test(read) || (!ref.prefix && namePattern(read).test(declared));
    if (same || (ref.prefix && declared.startsWith(read))) return k;
  }
  return undefined;
}

/**
 * Whether the function's policy allows kms:Decrypt on a customer managed key: `*`, any `key/…` or customer alias
 * (Keyway cannot tell which key an ARN is without the account), or a key given by reference (unknown). A grant on
 * `alias/aws/ssm` only does not count.
 */
export function customerKeyCoverage(fn: IamFunction): Coverage {
  let unknown = !!fn.opaque;
  for (const st of fn.statements) {
    if (st.opaque && st.effect !== 'Deny') { unknown = true; continue; }
    if (st.effect !== 'Allow' || !st.actions.some((a) => globMatch(a.trim(), 'kms:Decrypt'))) continue;
    for (const r of st.resources) {
      const t = r.text?.trim();
      if (t === undefined) { unknown = true; continue; }
      if (t === '*') return 'yes';
      const m = /^arn:[^:]*:([^:]*):[^:]*:[^:]*:(.*)$/.exec(t.replace(/\$\{[^}]*\}/g, 'X'));
      if (!m) { unknown = true; continue; } // a reference to a key resource (Terraform `aws_kms_key.app.arn`)
      if (!globMatch(m[1], 'kms')) continue;
      if (/^key\//.test(m[2]) || (/^alias\//.test(m[2]) && !isAwsManagedKey(m[2]))) return 'yes';
    }
  }
  return unknown ? 'unknown' : 'no';
}
