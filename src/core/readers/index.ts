// Readers: one per file kind, each turning text into the document model rules read (an IacNode tree, KEY=value pairs
// with exact offsets, or both). `readDocument` dispatches by kind; it never throws.
import { parseEnv } from '../iac/env';
import { parseHcl } from '../iac/hcl';
import type { DocumentKind, ParsedDocument } from '../types';
import { readCi } from './ci';
import { readCompose } from './compose';
import { readDockerfile } from './dockerfile';
import { readGitCredentials } from './gitCredentials';
import { readIni } from './ini';
import { readJson } from './json';
import { documentFlavor } from './kind';
import { readNetrc } from './netrc';
import { readNpmrc } from './npmrc';
import { readProperties } from './properties';
import { readShell } from './shell';
import { readSnapshot } from './snapshot';
import { readText } from './text';
import { readToml } from './toml';
import { readYaml } from './yaml';

export { documentKind, documentFlavor, ciFlavor, KIND_LABELS } from './kind';
export { readShellRange } from './shell';
export { SHELL_TAG } from './ci';

type Read = Pick<ParsedDocument, 'roots' | 'entries' | 'errors'> & { fallback?: string };

/** Readers registered by other modules (the Terraform reader lives with the IaC model). */
const extra = new Map<DocumentKind, (text: string, path: string) => Read>();

export function registerReader(kind: DocumentKind, read: (text: string, path: string) => Read): void {
  extra.set(kind, read);
}

function read(kind: Exclude<DocumentKind, 'source'>, text: string, path: string, flavor: string | undefined): Read {
  const own = extra.get(kind);
  if (own) return own(text, path);
  switch (kind) {
    case 'yaml': return readYaml(text);
    case 'json': return readJson(text);
    case 'env': return {
      roots: [], errors: [],
      entries: parseEnv(text).map((e) => ({ ...e, via: 'assignment' as const })),
    };
    case 'toml': return readToml(text, flavor);
    case 'ini': return readIni(text);
    case 'properties': return readProperties(text);
    case 'npmrc': return readNpmrc(text);
    case 'netrc': return readNetrc(text);
    case 'git-credentials': return readGitCredentials(text);
    case 'docker-compose': return readCompose(text);
    case 'dockerfile': return readDockerfile(text);
    case 'shell': return readShell(text);
    case 'ci-workflow': return readCi(text);
    case 'snapshot': return readSnapshot(text);
    case 'terraform': {
      const hcl = parseHcl(text);
      return { roots: hcl.roots, entries: [], errors: hcl.errors };
    }
    case 'text': return readText(text, path);
    case 'private-key': case 'keystore': case 'bundle':
      return { roots: [], entries: [], errors: [] };
  }
}

/** Read a non-source document. Never throws: a reader that fails yields an empty document with the error. */
export function readDocument(kind: Exclude<DocumentKind, 'source'>, text: string, path: string): ParsedDocument {
  const flavor = documentFlavor(path, kind);
  try {
    const r = read(kind, text, path, flavor);
    const doc: ParsedDocument = { kind, roots: r.roots, entries: r.entries, errors: r.errors };
    if (flavor) doc.flavor = flavor;
    if (r.fallback) doc.fallback = r.fallback;
    return doc;
  } catch (e) {
    return { kind, roots: [], entries: [], errors: [{ message: `reader failed: ${e instanceof Error ? e.message : String(e)}`, offset: 0 }] };
  }
}
