// Terraform functions for least privilege (issue 13 §3): every `.tf` file of the module (the folder) read together, so a
// function in lambda.tf gets the role policies of iam.tf. Each function's handler file is found through its archive
// (`data "archive_file"` `source_dir` / `source_file`) or the lambda module's `source_path`; resource references to
// parameters and secrets of the module become their ARNs.
import * as nodePath from 'node:path';
import {
  allOf as all, buildInfraModel, get, localValue, parseHcl, parseJson, resolvedText, scalarText, terraform, tfBlocks, tfReference, type IacNode,
  type InfraModel, type LambdaFunction,
} from '../iac';
import type { ProjectContext } from '../types';
import { UNKNOWN } from './evaluate';
import { IRRELEVANT_MANAGED, resolveSourceFile, splitHandler, statementOf, type IamFunction } from './functions';
import type { KeyedValue } from './keys';

const parsed = new Map<string, { text: string; root: IacNode | undefined }>();

function P(p: string): typeof nodePath.posix {
  return p.includes('\\') && !p.includes('/') ? nodePath.win32 : nodePath.posix;
}

function rootOf(path: string, text: string): IacNode | undefined {
  const hit = parsed.get(path);
  if (hit && hit.text === text) return hit.root;
  const root = (/\.json$/i.test(path) ? parseJson(text) : parseHcl(text)).roots[0];
  if (parsed.size > 500) parsed.clear();
  parsed.set(path, { text, root });
  return root;
}

/** The Terraform files of a module: every `*.tf` / `*.tf.json` beside `path` (or `path` alone without a listing). */
export function moduleFiles(path: string, text: string, project: ProjectContext): { path: string; text: string }[] {
  const dir = P(path).dirname(path);
  let names: readonly string[] | undefined;
  try { names = project.listDir?.(dir); } catch { names = undefined; }
  const out = [{ path, text }];
  for (const n of names ?? []) {
    if (!/\.tf(?:\.json)?$/i.test(n)) continue;
    const p = P(path).join(dir, n);
    if (p === path) continue;
    let t: string | undefined;
    try { t = project.readFile(p); } catch { t = undefined; }
    if (t !== undefined && t.length <= 2 * 1024 * 1024) out.push({ path: p, text: t });
    if (out.length > 60) break;
  }
  return out;
}

/** The module's model: functions, their environment and statements, with the file of each. */
export function moduleModel(files: readonly { path: string; text: string }[]): InfraModel {
  const roots: IacNode[] = [];
  const paths: string[] = [];
  for (const f of files) { const r = rootOf(f.path, f.text); if (r) { roots.push(r); paths.push(f.path); } }
  const model = buildInfraModel({ roots: [], errors: [] });
  model.format = 'terraform';
  model.roots = roots;
  terraform(roots, model, paths);
  return model;
}

/** Functions a Terraform file's module defines (those defined in any of its files), for the IAM rules and `keyway policy`. */
export function functionsFromTerraform(path: string, text: string, project: ProjectContext): IamFunction[] {
  const files = moduleFiles(path, text, project);
  const model = moduleModel(files);
  const keyed = keyedValues(model);
  return model.functions.map((fn) => ({ ...toIamFunction(fn, model, fn.file ?? path, project), ...(keyed.length ? { keyed } : {}) }));
}

/** The key a `key_id` / `kms_key_id` names: a literal, an alias data source's or resource's name, or the reference. */
function keyOf(n: IacNode | undefined, model: InfraModel): string | undefined {
  if (!n) return undefined;
  const ref = tfReference(n);
  const alias = ref && /^(data\.)?aws_kms_alias\.([\w-]+)\./.exec(ref);
  if (alias) {
    const b = model.roots.flatMap((r) => tfBlocks(r, alias[1] ? 'data' : 'resource', 'aws_kms_alias')).find((x) => x.name === alias[2]);
    const name = scalarText(get(b?.body, 'name'));
    if (name !== undefined) return name;
  }
  return ref ?? valueText(n, model);
}

/** SecureString `aws_ssm_parameter` with a `key_id`, `aws_secretsmanager_secret` with a `kms_key_id`. */
function keyedValues(model: InfraModel): KeyedValue[] {
  const out: KeyedValue[] = [];
  for (const r of model.roots) {
    for (const b of tfBlocks(r, 'resource', 'aws_ssm_parameter')) {
      const key = keyOf(get(b.body, 'key_id'), model);
      const nameNode = get(b.body, 'name');
      const name = nameNode && valueText(nameNode, model);
      if (key && name && scalarText(get(b.body, 'type')) === 'SecureString') out.push({ kind: 'parameter', name, key });
    }
    for (const b of tfBlocks(r, 'resource', 'aws_secretsmanager_secret')) {
      const key = keyOf(get(b.body, 'kms_key_id'), model);
      const nameNode = get(b.body, 'name');
      const name = nameNode && valueText(nameNode, model);
      if (key && name) out.push({ kind: 'secret', name, key });
    }
  }
  return out;
}

/** `${path.module}` and friends: the module's own folder. */
function pathText(n: IacNode | undefined): string | undefined {
  const t = scalarText(n);
  return t?.replace(/\$\{path\.(?:module|root|cwd)\}/g, '.');
}

/** The folder the handler's module path is relative to, from the archive or the module's `source_path`. */
function codeDir(fn: LambdaFunction, model: InfraModel, dir: string): string | undefined {
  const path = P(dir);
  const archive = (name: string) => model.roots.flatMap((r) => tfBlocks(r, 'data', 'archive_file')).find((b) => b.name === name);
  const ref = tfReference(fn.codeUri);
  const m = ref && /^data\.archive_file\.([\w-]+)\.output_path$/.exec(ref);
  if (m) {
    const a = archive(m[1]);
    const src = pathText(get(a?.body, 'source_dir'));
    if (src !== undefined) return path.join(dir, src);
    const file = pathText(get(a?.body, 'source_file'));
    if (file !== undefined) return path.join(dir, path.dirname(file));
    return undefined;
  }
  const sp = fn.codeUri && (fn.codeUri.type === 'seq' ? fn.codeUri.items[0] : fn.codeUri);
  const spPath = sp && sp.type === 'map' ? pathText(get(sp, 'path')) : pathText(sp);
  if (spPath !== undefined && !/\.zip$/i.test(spPath)) return path.join(dir, spPath);
  // `filename = "../dist/orders.zip"`: a build output beside the sources (dist → src is tried by resolveSourceFile)
  if (spPath !== undefined) return path.join(dir, path.dirname(spPath));
  return undefined;
}

/** ARN of a parameter or secret resource of the module, for a reference to its `arn` (or `name`/`id`). */
function resourceText(ref: string, model: InfraModel): string | undefined {
  const m = /^(data\.)?(aws_ssm_parameter|aws_secretsmanager_secret|aws_secretsmanager_secret_version)\.([\w-]+)\.(arn|name|id|secret_id)$/.exec(ref);
  if (!m) return undefined;
  const blocks = model.roots.flatMap((r) => tfBlocks(r, m[1] ? 'data' : 'resource', m[2]));
  const b = blocks.find((x) => x.name === m[3]);
  const name = scalarText(get(b?.body, 'name')) ?? scalarText(get(b?.body, 'secret_id'));
  if (name === undefined) return undefined;
  if (m[2] === 'aws_ssm_parameter') return m[4] === 'arn' ? `arn:aws:ssm:*:*:parameter${name.startsWith('/') ? '' : '/'}${name}` : name;
  return m[4] === 'arn' ? `arn:aws:secretsmanager:*:*:secret:${name}-??????` : name;
}

/**
 * Text of a value for names and ARNs: literals with interpolations resolved where the module shows them (`local.x`
 * literals, variable defaults, parameter and secret resources); anything else stays `${…}`.
 */
function valueText(n: IacNode, model: InfraModel, depth = 0): string | undefined {
  const ref = tfReference(n);
  if (ref) return referenceText(ref, model, depth) ?? (/^(var|local)\./.test(ref) ? '${' + ref + '}' : undefined);
  const t = resolvedText(n);
  return t?.replace(/\$\{([^{}]+)\}/g, (whole, inner: string) => referenceText(inner.trim(), model, depth) ?? whole);
}

/** `local.prefix` (a literal local), `var.app` (its default), or a parameter/secret resource; undefined otherwise. */
function referenceText(ref: string, model: InfraModel, depth: number): string | undefined {
  if (depth > 4) return undefined;
  const local = /^local\.([\w-]+)$/.exec(ref);
  if (local) {
    const v = localValue(model.roots, local[1]);
    return v && valueText(v, model, depth + 1);
  }
  const variable = /^var\.([\w-]+)$/.exec(ref);
  if (variable) {
    for (const r of model.roots) {
      const def = get(get(get(r, 'variable'), variable[1]), 'default');
      const t = def && scalarText(def);
      if (t !== undefined) return t;
    }
    return undefined;
  }
  return resourceText(ref, model);
}

function toIamFunction(fn: LambdaFunction, model: InfraModel, definedIn: string, project: ProjectContext): IamFunction {
  const dir = P(definedIn).dirname(definedIn);
  const env = new Map<string, string>();
  for (const v of fn.environment) {
    const t = valueText(v.value, model);
    env.set(v.name, t === undefined ? UNKNOWN : t.replace(/\$\{(?!var\.)[^}]*\}/g, UNKNOWN));
  }
  const statements = fn.policyStatements.map((s) => {
    const st = statementOf(s.file ?? definedIn, s);
    for (let i = 0; i < st.resources.length; i++) {
      if (st.resources[i].text === undefined) {
        const t = valueText(s.resources[i], model);
        if (t !== undefined) st.resources[i] = { ...st.resources[i], text: t };
      } else st.resources[i] = { ...st.resources[i], text: st.resources[i].text!.replace(/\$\{([^{}]+)\}/g, (w, inner: string) => resourceText(inner.trim(), model) ?? w) };
    }
    return s.file && s.file !== definedIn ? { ...st, file: s.file } : st;
  });
  const managed = fn.managedPolicies.map((m) => scalarText(m) ?? tfReference(m) ?? '?').filter((m) => !IRRELEVANT_MANAGED.test(m));
  let opaque: string | undefined;
  if (managed.length) opaque = `managed policy ${managed[0]}`;
  else if (fn.roleOutside || (fn.role && !tfReference(fn.role))) opaque = 'a role defined outside these files';
  else if (!fn.role && !fn.policyStatements.length && !all(fn.node, 'policy_statements').length && !get(fn.node, 'attach_policy_statements')) opaque = 'no role in these files';
  const handlerSpec = scalarText(fn.handler);
  const code = codeDir(fn, model, dir);
  const { module, exportName } = splitHandler(handlerSpec ?? 'index.handler');
  const found = handlerSpec !== undefined && code !== undefined ? resolveSourceFile(code, module, project) : undefined;
  return {
    name: fn.name, flavour: 'terraform', definedIn, anchor: { start: fn.keyNode.start, end: fn.keyNode.end },
    ...(handlerSpec !== undefined ? { handlerSpec } : {}), ...(found ? { handlerFile: found.path, handlerText: found.text } : {}),
    handlerExport: exportName, env, statements, ...(opaque ? { opaque } : {}),
  };
}
