// Which reader a file goes to, from its path alone (no content is read here).
import type { DocumentKind } from '../types';

const SOURCE_EXT = /\.(?:[cm]?[jt]sx?)$/i;
const PRIVATE_KEY_NAMES = /^(?:id_(?:rsa|dsa|ecdsa|ed25519|ecdsa_sk|ed25519_sk)|[\w.-]+_(?:rsa|dsa|ecdsa|ed25519)|(?:deploy|ssh)[_-]key|identity|.*\.(?:pem|key|ppk|p8|keyfile))$/i;
const KEYSTORE_EXT = /\.(?:p12|pfx|jks|keystore|bks)$/i;
const SHELL_EXT = /\.(?:sh|bash|zsh|ksh|ash|dash)$/i;
const SHELL_NAMES = new Set(['.envrc', '.bashrc', '.bash_profile', '.zshrc', '.zprofile', '.profile', '.zshenv', '.kshrc']);
/** Shell history copied into a repository (`.bash_history`, `zsh_history`, `.history`): commands typed with their secrets. */
const SHELL_HISTORY = /^(?:\.(?:bash_|zsh_|sh_|ksh_)?history|(?:bash|zsh|sh|ksh)_history)$/i;
const INI_EXT = /\.(?:ini|cfg|cnf)$/i;
/**
 * Other text files where credentials end up, read with the shared line grammar of `text.ts` plus the provider-format
 * pass: other languages' source (Lambda functions are also Python, Go, Java, C#, Ruby), docs, markup, server and tool
 * configs, build and request files. Lock files, checksums and data files are not among them.
 */
const TEXT_EXT = /\.(?:py|pyi|go|java|kt|kts|scala|groovy|gradle|cs|vb|fs|rb|php|rs|swift|m|mm|c|cc|cpp|cxx|h|hpp|pl|pm|lua|r|ex|exs|erl|clj|dart|sql|ps1|psm1|psd1|bat|cmd|md|mdx|markdown|rst|adoc|txt|xml|config|plist|html|htm|xhtml|vue|svelte|astro|hbs|handlebars|mustache|ejs|pug|njk|jinja|jinja2|j2|tpl|tmpl|conf|http|rest|ipynb|log|sbt|cue|nix|tex|ovpn|asc)$/i;
const TEXT_NAMES = new Set(['makefile', 'gnumakefile', 'jenkinsfile', 'procfile', 'vagrantfile', 'gemfile', 'rakefile', 'brewfile', 'justfile',
  'caddyfile', '.sentryclirc', '.htpasswd', '.pgpass', '.htaccess', '.curlrc', '.wgetrc', '.dockercfg']);
const INI_NAMES = new Set(['.pypirc', '.s3cfg', '.boto', '.gitconfig', '.my.cnf', '.pgservice.conf', '.htpasswd-ini', 'pip.conf', 'pip.ini']);

/** POSIX path without a leading `./`, for folder tests. */
function norm(path: string): string {
  return path.replace(/\\/g, '/');
}

/** CI files by location: GitHub Actions (workflows and composite actions), GitLab, CircleCI, and others with shell steps. */
export function ciFlavor(path: string): string | undefined {
  const p = norm(path);
  const base = p.replace(/^.*\//, '');
  if (!/\.ya?ml$/i.test(base)) return undefined;
  if (/(?:^|\/)\.github\/workflows\/[^/]+$/.test(p)) return 'github-actions';
  if (/(?:^|\/)\.github\/actions\/.+\/action\.ya?ml$/.test(p) || (/(?:^|\/)action\.ya?ml$/.test(p) && /(?:^|\/)\.github\//.test(p))) return 'github-actions';
  if (/^(?:.+\.)?\.?gitlab-ci\.ya?ml$/i.test(base) || /(?:^|\/)\.gitlab\/ci\/.+\.ya?ml$/.test(p)) return 'gitlab-ci';
  if (/(?:^|\/)\.circleci\/[^/]+\.ya?ml$/.test(p)) return 'circleci';
  if (/^bitbucket-pipelines\.ya?ml$/i.test(base)) return 'bitbucket-pipelines';
  if (/^azure-pipelines(?:[.-][^/]*)?\.ya?ml$/i.test(base)) return 'azure-pipelines';
  if (/^\.travis\.ya?ml$/i.test(base)) return 'travis';
  if (/^buildspec(?:[.-][^/]*)?\.ya?ml$/i.test(base)) return 'aws-codebuild';
  if (/^\.drone\.ya?ml$/i.test(base)) return 'drone';
  if (/^(?:appveyor|\.appveyor)\.ya?ml$/i.test(base)) return 'appveyor';
  if (/^cloudbuild\.ya?ml$/i.test(base)) return 'cloud-build';
  return undefined;
}

/** How a path is analysed, or undefined when Keyway has no reader for it. */
export function documentKind(path: string): DocumentKind | undefined {
  const base = norm(path).replace(/^.*\//, '');
  const lower = base.toLowerCase();
  // Copies of a config under another suffix are read as what they copy: `config.yml.example`, `settings.json.dist`,
  // `.npmrc.template`, `app.properties.bak`, `docker-compose.yml.orig` (example copies are judged on formats only).
  const copy = /^(.+\.[^.]+|\.[^.]+)\.(?:example|sample|template|dist|tmpl|bak|backup|old|orig|save)$/i.exec(base);
  if (copy && !/^\.env$/i.test(copy[1])) return documentKind(copy[1]);
  // Terraform state (JSON, and it holds every resource's attributes, passwords included), kubeconfig files
  if (/\.tfstate$/i.test(base)) return 'json';
  if (/^kubeconfig(?:[.-][\w-]+)?$/i.test(base) && !/\.\w+$/.test(base.replace(/^kubeconfig/i, ''))) return 'yaml';
  if (lower === 'config' && /(?:^|\/)\.kube\/config$/.test(norm(path))) return 'yaml';
  if (/\.d\.[cm]?ts$/i.test(base)) return undefined;
  if (SOURCE_EXT.test(base)) return 'source';
  if (lower.endsWith('.snap')) return 'snapshot';
  if (/\.ya?ml$/i.test(base)) {
    if (/^(?:docker-)?compose(?:[.-][^/]*)?\.ya?ml$/i.test(base)) return 'docker-compose';
    if (ciFlavor(path)) return 'ci-workflow';
    return 'yaml';
  }
  // HAR captures (browser dev tools, proxies) are JSON with every request's headers and cookies
  if (/\.(?:json|jsonc|json5|har)$/i.test(base) || lower === '.babelrc' || lower === '.firebaserc' || lower === '.clasp.json') return 'json';
  if (/^\.env(\..*)?$/i.test(base) || /\.env$/i.test(base)) return 'env';
  if (/\.(?:tf|tfvars|hcl)$/i.test(base)) return 'terraform';
  if (lower.endsWith('.toml')) return 'toml';
  if (lower === '.npmrc' || lower === 'npmrc' || lower === '.yarnrc') return 'npmrc';
  if (lower === '.netrc' || lower === '_netrc') return 'netrc';
  if (lower === '.git-credentials' || lower === 'git-credentials') return 'git-credentials';
  if (lower.endsWith('.properties')) return 'properties';
  if (INI_EXT.test(base) || INI_NAMES.has(lower)) return 'ini';
  // ~/.aws/credentials and ~/.aws/config copied into a repository
  if ((lower === 'credentials' || lower === 'config') && /(?:^|\/)\.aws\/[^/]+$/.test(norm(path))) return 'ini';
  if (/^(?:dockerfile|containerfile)(?:\..+)?$/i.test(base) || /\.(?:dockerfile|containerfile)$/i.test(base)) return 'dockerfile';
  if (SHELL_EXT.test(base) || SHELL_NAMES.has(lower) || SHELL_HISTORY.test(base)) return 'shell';
  if (KEYSTORE_EXT.test(base)) return 'keystore';
  if (PRIVATE_KEY_NAMES.test(base) && !lower.endsWith('.pub')) return 'private-key';
  if (TEXT_EXT.test(base) || TEXT_NAMES.has(lower)) return 'text';
  return undefined;
}

/** A finer flavour of a kind, from the path (`github-actions`, `samconfig`, `pypirc`, `aws-credentials`, `yarnrc`…). */
export function documentFlavor(path: string, kind: DocumentKind): string | undefined {
  const base = norm(path).replace(/^.*\//, '').toLowerCase();
  switch (kind) {
    case 'ci-workflow': return ciFlavor(path);
    case 'toml': return /^samconfig/.test(base) ? 'samconfig' : base === 'pyproject.toml' ? 'pyproject' : base === 'cargo.toml' ? 'cargo' : undefined;
    case 'ini':
      if (base === '.pypirc') return 'pypirc';
      if ((base === 'credentials' || base === 'config') && /\.aws\//.test(norm(path))) return 'aws-' + base;
      return undefined;
    case 'npmrc': return base === '.yarnrc' ? 'yarnrc' : 'npmrc';
    case 'yaml': return base === '.yarnrc.yml' || base === '.yarnrc.yaml' ? 'yarnrc' : undefined;
    case 'json': return /^appsettings/.test(base) ? 'appsettings' : undefined;
    default: return undefined;
  }
}

/** A short human name of a kind, for messages and the scan summary. */
export const KIND_LABELS: Record<DocumentKind, string> = {
  'source': 'TypeScript/JavaScript', 'yaml': 'YAML', 'json': 'JSON', 'env': '.env', 'toml': 'TOML', 'ini': 'INI/cfg',
  'properties': '.properties', 'npmrc': '.npmrc/.yarnrc', 'netrc': '.netrc', 'git-credentials': '.git-credentials',
  'docker-compose': 'docker-compose', 'dockerfile': 'Dockerfile', 'shell': 'shell script', 'ci-workflow': 'CI workflow',
  'snapshot': 'test snapshot', 'terraform': 'Terraform', 'private-key': 'key file', 'keystore': 'key store',
  'bundle': 'minified/oversized (fast pass)', 'text': 'other text',
};
