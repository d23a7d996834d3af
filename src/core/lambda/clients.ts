// Clients: which `new X(…)` builds an SSM / Secrets Manager client or a Powertools provider, which `new XCommand(…)`
// is a read command, and which receivers hold a client.
import { type ts, tsv } from '../ts';
import { resolveSdk } from './file';
import { CLIENT_CLASSES, COMMANDS, PROVIDER_CLASSES, isPowertoolsModule, type ApiStyle, type Operation, type Service } from './sdk';
import { propName, unwrap } from './syntax';
import type { FileModel } from './types';

export interface ClientClass { service: Service; style: ApiStyle; kind: 'client' | 'provider'; className: string }

/** The SDK client class or Powertools provider an expression names (`SSMClient`, `AWS.SSM`, `SecretsProvider`). */
export function clientClass(m: FileModel, e: ts.Expression): ClientClass | undefined {
  const b = resolveSdk(m, e);
  if (!b) return undefined;
  const c = CLIENT_CLASSES[b.module]?.[b.name];
  if (c) return { service: c.service, style: c.style, kind: 'client', className: b.name === 'default' ? (c.service === 'ssm' ? 'SSM' : 'SecretsManager') : b.name };
  if (isPowertoolsModule(b.module) && PROVIDER_CLASSES[b.name]) {
    return { service: PROVIDER_CLASSES[b.name], style: 'powertools', kind: 'provider', className: b.name };
  }
  return undefined;
}

/** The operation of a v3 command class (`GetParameterCommand` → GetParameter). */
export function commandOp(m: FileModel, e: ts.Expression): Operation | undefined {
  const b = resolveSdk(m, e);
  return b ? COMMANDS[b.module]?.[b.name] : undefined;
}

/** Looks like a variable holding an SSM / Secrets Manager client, judged by name only. */
export const CLIENTISH = /ssm|secret|parameter|param|client|(^|[^a-z])sm$|^sm|aws/i;

/** The variable (or property) a `new Client()` is stored in: `const ssm = new SSM()`, `this.ssm = …`, a class field. */
export function storedName(n: ts.NewExpression): string | undefined {
  const p = n.parent;
  if (tsv.isVariableDeclaration(p) && p.initializer === n) return simpleName(p.name);
  if (tsv.isBinaryExpression(p) && p.right === n) return simpleName(p.left);
  if (tsv.isPropertyDeclaration(p) && p.initializer === n) return propName(p.name);
  return undefined;
}

function simpleName(n: ts.Node): string | undefined {
  if (tsv.isIdentifier(n)) return n.text;
  if (tsv.isPropertyAccessExpression(n)) return n.name.text;
  return undefined;
}

/** The name a call's receiver goes by: `ssm` in `ssm.getParameter()` and `this.ssm.getParameter()`. */
export function receiverName(r: ts.Expression): string | undefined {
  const u = unwrap(r);
  if (tsv.isIdentifier(u)) return u.text;
  if (tsv.isPropertyAccessExpression(u)) return u.name.text;
  return undefined;
}

/** A receiver that is an imported module or a module-scope value built by something other than `new` (a wrapper). */
export function isWrapper(m: FileModel, name: string, recv: ts.Node): boolean {
  if (!tsv.isIdentifier(recv)) return false;
  const b = m.imports.get(name);
  if (b) return !CLIENT_CLASSES[b.module];
  const d = m.moduleVars.get(name);
  const init = d?.initializer && unwrap(d.initializer);
  return !!init && !tsv.isNewExpression(init);
}
