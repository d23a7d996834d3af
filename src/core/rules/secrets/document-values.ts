// hardcoded-secret, documents: the values of YAML/JSON/TOML/HCL trees and of entry readers, each with the name it is
// judged under (its key, a `{ Name, Value }` sibling, a section for a bare `Key`) and the words around it.
import { get, walk, type EnvEntry, type IacNode, type WalkStep } from '../../iac';
import type { SecretMatch } from '../../secrets';
import type { DocumentEntry } from '../../types';

const FIREBASE_WEB_KEYS = ['authDomain', 'projectId', 'messagingSenderId', 'appId', 'storageBucket', 'databaseURL', 'measurementId'];

/** A Firebase web config (`apiKey` next to `authDomain`/`projectId`/`appId`) or a name that says so: its key is public. */
export function isFirebaseWebConfig(keys: Set<string> | ((k: string) => boolean), name: string | undefined): boolean {
  if (name && /firebase/i.test(name) && /api_?key|apikey|web_?key/i.test(name.replace(/([a-z])([A-Z])/g, '$1_$2'))) return true;
  const has = typeof keys === 'function' ? keys : (k: string) => keys.has(k);
  return FIREBASE_WEB_KEYS.filter(has).length >= 2;
}

/**
 * Name hint of a YAML/JSON scalar: its key; for `{ Name: X, Value: … }` pairs (ECS, CodeBuild, tags) the sibling name X;
 * for CloudFormation `Parameters.X.Default` the parameter name X.
 */
function keyHint(step: WalkStep): string | undefined {
  const key = step.key;
  if (key === 'Value' || key === 'value') {
    const sibling = get(step.parent?.node, key === 'Value' ? 'Name' : 'name') ?? get(step.parent?.node, key === 'Value' ? 'Key' : 'key');
    if (sibling?.type === 'scalar' && typeof sibling.value === 'string') return sibling.value;
  }
  if ((key === 'Default' || key === 'default') && step.parent?.key) return step.parent.key;
  // `auth: { user: …, pass: … }` (SMTP and basic-auth settings): `pass` next to a user is a password
  if ((key === 'pass' || key === 'Pass') && ['user', 'username', 'User', 'login', 'email'].some((k) => get(step.parent?.node, k) !== undefined)) return 'password';
  // JSONPath / Step Functions parameters: `token.$: $$.Task.Token` is a reference, whatever the key says
  if (key?.endsWith('.$')) return undefined;
  // A bare `Key` names what its section is for: `"Jwt": { "Key": … }`, `encryption: { key: … }`, `signing: { key: … }`
  if (key && /^(?:key|Key|KEY)$/.test(key) && step.parent?.key) return `${step.parent.key}_${key}`;
  return key;
}

/** Kind for a private key found in a GCP service-account JSON (Firebase admin when its client is firebase-adminsdk). */
function serviceAccountKind(parent: IacNode | undefined): string | undefined {
  const type = get(parent, 'type');
  if (type?.type !== 'scalar' || type.value !== 'service_account') return undefined;
  const email = get(parent, 'client_email');
  return email?.type === 'scalar' && /firebase-adminsdk/.test(String(email.value)) ? 'firebase-admin-credentials' : 'gcp-service-account-key';
}

/** One judged value of a document: name, value and where it sits (entry-model readers produce these). */
export interface DocumentValue {
  name?: string; value: string; start: number; end: number; firebaseWebConfig?: boolean; kindOverride?: (m: SecretMatch) => SecretMatch;
  /** Words around the name that may name the provider (enclosing keys, a `.netrc` machine, a host). */
  context?: string;
}

const HOST_KEYS = new Set(['machine', 'host', 'hostname', 'server', 'url', 'registry', 'endpoint']);

/** Enclosing keys (two levels) and a sibling host (`machine api.heroku.com`): words that may name the provider. */
function contextWords(step: WalkStep, hosts: Map<IacNode, string>): string | undefined {
  const out: string[] = [];
  for (let p = step.parent, i = 0; p && i < 3; p = p.parent, i++) if (p.key) out.push(p.key);
  const parent = step.parent?.node;
  if (parent?.type === 'map') {
    // one pass over the parent's entries, remembered for its other values (a section may hold thousands of keys)
    let h = hosts.get(parent);
    if (h === undefined) {
      h = '';
      for (const e of parent.entries) {
        if (typeof e.key.value === 'string' && HOST_KEYS.has(e.key.value) && e.value.type === 'scalar' && typeof e.value.value === 'string'
          && e.value.value.length < 200) h += ' ' + e.value.value;
      }
      hosts.set(parent, h);
    }
    if (h) out.push(h);
  }
  return out.length ? out.join(' ') : undefined;
}

/** `[key, string value]` pairs of a JSON object or array serialised in a string; `{ name|key: X, value: Y }` pairs as `[X, Y]`. */
export function embeddedJson(value: string): [string, string][] {
  const t = value.trim();
  if (t.length < 8 || t.length > 20_000 || !/^\{[\s\S]*\}$|^\[[\s\S]*\]$/.test(t) || !t.includes('"')) return [];
  let parsed: unknown;
  try { parsed = JSON.parse(t); } catch { return []; }
  const out: [string, string][] = [];
  const visit = (node: unknown, key: string | undefined, depth: number): void => {
    if (out.length >= 200 || depth > 8) return;
    if (typeof node === 'string') { if (key !== undefined) out.push([key, node]); return; }
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) { for (const x of node) visit(x, key, depth + 1); return; }
    const o = node as Record<string, unknown>;
    const pairName = typeof o.name === 'string' ? o.name : typeof o.key === 'string' ? o.key : undefined;
    for (const [k, v] of Object.entries(o)) visit(v, k === 'value' && pairName ? pairName : k, depth + 1);
  };
  visit(parsed, undefined, 0);
  return out;
}

/** The judged values of a YAML/JSON tree. */
export function* treeValues(roots: readonly IacNode[]): Generator<DocumentValue> {
  const hosts = new Map<IacNode, string>();
  for (const root of roots) {
    const list: DocumentValue[] = [];
    walk(root, (step) => {
      const n = step.node;
      if (n.type !== 'scalar' || typeof n.value !== 'string') return;
      // Tagged scalars (`!Ref x`, `!GetAtt`) are references; `!Sub` strings may still embed a literal credential.
      if (n.tag && n.tag !== 'Sub' && n.tag !== 'Join' && n.tag !== 'Base64') { list.push({ value: '', start: n.start, end: n.end }); return; }
      let key = keyHint(step);
      let value = n.value;
      // docker-compose / list-style environments: `- POSTGRES_PASSWORD=…`
      const assign = !n.tag && step.parent?.node.type === 'seq' && /^([A-Za-z_][A-Za-z0-9_.-]*)=(\S.*)$/s.exec(value);
      if (assign) { key = assign[1]; value = assign[2]; }
      const parent = step.parent?.node;
      // JSON inside a string (a Postman or HAR request body, a config serialised into an env value): its keys name its values
      for (const [name, inner] of embeddedJson(value)) list.push({ name, value: inner, start: n.start, end: n.end });
      const sa = key === 'private_key' ? serviceAccountKind(parent) : undefined;
      list.push({
        name: n.tag ? undefined : key, value, start: n.start, end: n.end, context: contextWords(step, hosts),
        firebaseWebConfig: key !== undefined && /^api_?key$/i.test(key) && isFirebaseWebConfig((k) => get(parent, k) !== undefined, key),
        kindOverride: sa ? (m) => (m.kind === 'private-key' ? { ...m, kind: sa } : m) : undefined,
      });
    });
    yield* list;
  }
}

/** The judged values of `.env` entries and of every reader that produces pairs (shell, Dockerfile, ini, npmrc, CI `run:` lines…). */
export function* entryValues(entries: readonly (EnvEntry | DocumentEntry)[]): Generator<DocumentValue> {
  for (const e of entries) {
    const name = e.key || undefined;
    yield { name, value: e.value, start: e.valueStart, end: e.valueEnd, firebaseWebConfig: !!name && /firebase/i.test(name) && /api_?key/i.test(name) };
  }
}
