// A small gitignore matcher (no dependency). Paths are POSIX-style and relative to the matcher's root;
// each pattern carries the folder (relative to that root) of the file it came from.
//
// Semantics follow gitignore(5): blank lines and `#` comments are skipped, trailing spaces are trimmed
// unless escaped, `!` negates, a trailing `/` matches directories only, a pattern with a `/` at the start
// or in the middle is anchored to its file's folder, otherwise it matches a name at any depth; `*`, `?`,
// `[...]` never match `/`; `**/`, `/**/` and `/**` match any number of folders; the last matching
// pattern wins; a path inside an ignored folder stays ignored (git never looks inside it).
//
// Matching runs in bounded time whatever a hostile repository writes (`*a*a*a*a*a*a*a*a*a*a*b`): a pattern with at most
// two unbounded wildcards is a regular expression (backtracking at most quadratic in the path length); one with more
// is matched by a small NFA simulation, linear in the path length times the pattern length. Patterns longer than
// MAX_PATTERN_LENGTH are dropped.

export interface IgnorePattern {
  /** The original line, for debugging. */
  source: string;
  /** Folder of the ignore file, relative to the matcher root ('' = the root). */
  base: string;
  negate: boolean;
  dirOnly: boolean;
  /** Whether the pattern is matched against the whole path below `base` (else against the last name). */
  anchored: boolean;
  regex: { test(s: string): boolean };
}

/** Longer ignore lines are dropped (no real pattern is this long; the cap bounds the matcher's work). */
export const MAX_PATTERN_LENGTH = 1024;

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/;

function escapeChar(c: string): string {
  return REGEX_SPECIAL.test(c) ? '\\' + c : c;
}

/** Translate a bracket expression starting at `pattern[i] === '['`. Returns [regex source, next index] or undefined. */
function bracket(pattern: string, i: number): [string, number] | undefined {
  let j = i + 1;
  let negate = false;
  if (pattern[j] === '!' || pattern[j] === '^') { negate = true; j++; }
  let body = '';
  let first = true;
  while (j < pattern.length) {
    const c = pattern[j];
    if (c === ']' && !first) {
      if (!body) return undefined;
      return [negate ? `[^/${body}]` : `(?!/)[${body}]`, j + 1];
    }
    first = false;
    if (c === '\\' && j + 1 < pattern.length) {
      body += '\\' + pattern[j + 1];
      j += 2;
      continue;
    }
    if (c === '[' && pattern[j + 1] === ':') {
      // POSIX classes such as [:alpha:].
      const end = pattern.indexOf(':]', j + 2);
      if (end > 0) {
        const name = pattern.slice(j + 2, end);
        const map: Record<string, string> = {
          alpha: 'a-zA-Z', digit: '0-9', alnum: 'a-zA-Z0-9', upper: 'A-Z', lower: 'a-z', space: '\\s',
          xdigit: '0-9a-fA-F', punct: '!-\\/:-@\\[-`{-~', blank: ' \\t', word: '\\w',
        };
        body += map[name] ?? '';
        j = end + 2;
        continue;
      }
    }
    body += c === ']' || c === '^' || c === '\\' || c === '[' ? '\\' + c : c;
    j++;
  }
  return undefined; // no closing bracket: the '[' is literal
}

type Token =
  | { t: 'char'; test: (c: string) => boolean }
  | { t: 'star' } // [^/]*
  | { t: 'dirs' } // (?:.*/)?  — zero or more whole folders
  | { t: 'all' }; // .*

/** Tokens of a glob (same reading as globToRegexSource). */
function globTokens(glob: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const after = glob[i + 2];
        if (atStart && after === '/') { out.push({ t: 'dirs' }); i += 2; continue; }
        if (atStart && after === undefined) { out.push({ t: 'all' }); i += 1; continue; }
        while (glob[i + 1] === '*') i++;
      }
      if (out[out.length - 1]?.t !== 'star') out.push({ t: 'star' });
    } else if (c === '?') {
      out.push({ t: 'char', test: (x) => x !== '/' });
    } else if (c === '[') {
      const b = bracket(glob, i);
      if (b) {
        const re = new RegExp('^' + b[0] + '$');
        out.push({ t: 'char', test: (x) => re.test(x) });
        i = b[1] - 1;
      } else out.push({ t: 'char', test: (x) => x === '[' });
    } else {
      const lit = c === '\\' && i + 1 < glob.length ? glob[++i] : c;
      out.push({ t: 'char', test: (x) => x === lit });
    }
  }
  return out;
}

/**
 * Match by simulating the glob's automaton: a set of positions in the token list, advanced one character at a time
 * (`inside` marks positions within a `dirs` token). O(path length × tokens); no backtracking.
 */
function nfaMatcher(tokens: Token[]): { test(s: string): boolean } {
  const n = tokens.length;
  return {
    test(s: string): boolean {
      let cur = new Uint8Array(n + 1);
      let curIn = new Uint8Array(n + 1);
      let next = new Uint8Array(n + 1);
      let nextIn = new Uint8Array(n + 1);
      const close = (set: Uint8Array) => {
        for (let i = 0; i < n; i++) if (set[i] && tokens[i].t !== 'char') set[i + 1] = 1; // every wildcard may match nothing
      };
      cur[0] = 1;
      close(cur);
      for (let k = 0; k < s.length; k++) {
        const c = s[k];
        next.fill(0); nextIn.fill(0);
        let any = false;
        for (let i = 0; i < n; i++) {
          const tok = tokens[i];
          if (cur[i]) {
            if (tok.t === 'char') { if (tok.test(c)) { next[i + 1] = 1; any = true; } } else if (tok.t === 'star') { if (c !== '/') { next[i] = 1; any = true; } } else if (tok.t === 'all') { next[i] = 1; any = true; } else { nextIn[i] = 1; if (c === '/') next[i + 1] = 1; any = true; }
          }
          if (curIn[i]) { nextIn[i] = 1; if (c === '/') next[i + 1] = 1; any = true; }
        }
        if (!any) return false;
        close(next);
        [cur, next] = [next, cur];
        [curIn, nextIn] = [nextIn, curIn];
      }
      return cur[n] === 1;
    },
  };
}

/** A matcher for one glob: a regex when it cannot backtrack badly, else the NFA. */
export function compileGlob(glob: string): { test(s: string): boolean } {
  const tokens = globTokens(glob);
  const unbounded = tokens.filter((t) => t.t !== 'char').length;
  if (unbounded <= 2) return new RegExp('^' + globToRegexSource(glob) + '$');
  return nfaMatcher(tokens);
}

function globToRegexSource(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const after = glob[i + 2];
        if (atStart && after === '/') { out += '(?:.*/)?'; i += 2; continue; }
        if (atStart && after === undefined) { out += '.*'; i += 1; continue; }
        // Any other `**` is an ordinary star.
        while (glob[i + 1] === '*') i++;
        out += '[^/]*';
        continue;
      }
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const b = bracket(glob, i);
      if (b) { out += b[0]; i = b[1] - 1; } else out += '\\[';
    } else if (c === '\\') {
      if (i + 1 < glob.length) { out += escapeChar(glob[i + 1]); i++; } else out += '\\\\';
    } else {
      out += escapeChar(c);
    }
  }
  return out;
}

/** Parse one pattern line; undefined for blank lines and comments. */
export function parsePattern(line: string, base = ''): IgnorePattern | undefined {
  let p = line.replace(/\r$/, '');
  // Trailing spaces are ignored unless escaped with a backslash.
  let end = p.length;
  while (end > 0 && (p[end - 1] === ' ' || p[end - 1] === '\t')) {
    if (end >= 2 && p[end - 2] === '\\') break;
    end--;
  }
  p = p.slice(0, end);
  if (p === '' || p.startsWith('#') || p.length > MAX_PATTERN_LENGTH) return undefined;
  let negate = false;
  if (p.startsWith('!')) { negate = true; p = p.slice(1); }
  else if (p.startsWith('\\!') || p.startsWith('\\#')) p = p.slice(1);
  let dirOnly = false;
  if (p.endsWith('/') && !p.endsWith('\\/')) { dirOnly = true; p = p.replace(/\/+$/, ''); }
  if (p === '') return undefined;
  const anchored = p.includes('/');
  if (p.startsWith('/')) p = p.replace(/^\/+/, '');
  if (p === '') return undefined;
  const regex = compileGlob(p);
  return { source: line, base: normalizeBase(base), negate, dirOnly, anchored, regex };
}

function normalizeBase(base: string): string {
  return base.replace(/\\/g, '/').replace(/^\.\/?/, '').replace(/^\/+|\/+$/g, '');
}

/** Parse the text of a `.gitignore`-style file whose folder is `base` (relative to the matcher root). */
export function parseIgnoreFile(text: string, base = ''): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const line of text.split('\n')) {
    const p = parsePattern(line, base);
    if (p) out.push(p);
  }
  return out;
}

export class IgnoreMatcher {
  private readonly patterns: IgnorePattern[] = [];

  /** Add the patterns of one ignore file located in folder `base`. Later additions take precedence. */
  add(text: string | readonly string[], base = ''): this {
    const lines = typeof text === 'string' ? text.split('\n') : text;
    for (const line of lines) {
      const p = parsePattern(line, base);
      if (p) this.patterns.push(p);
    }
    return this;
  }

  get size(): number {
    return this.patterns.length;
  }

  /**
   * Whether the patterns themselves decide `path` (ignoring its parents): true = ignored,
   * false = re-included by a negation, undefined = no pattern matches.
   */
  decide(path: string, isDir: boolean): boolean | undefined {
    const p = path.replace(/\\/g, '/').replace(/^\.\//, '').replace(/^\/+|\/+$/g, '');
    if (p === '') return undefined;
    let result: boolean | undefined;
    const slash = p.lastIndexOf('/');
    const name = slash >= 0 ? p.slice(slash + 1) : p;
    for (let i = this.patterns.length - 1; i >= 0; i--) {
      const pat = this.patterns[i];
      if (pat.dirOnly && !isDir) continue;
      let rel: string;
      if (pat.base === '') rel = p;
      else if (p.length > pat.base.length && p.startsWith(pat.base) && p[pat.base.length] === '/') rel = p.slice(pat.base.length + 1);
      else continue;
      if (pat.regex.test(pat.anchored ? rel : name)) {
        result = !pat.negate;
        break;
      }
    }
    return result;
  }

  /** Whether `path` is ignored, including because one of its parent folders is. */
  ignores(path: string, isDir = false): boolean {
    const parts = path.replace(/\\/g, '/').replace(/^\.\//, '').replace(/^\/+|\/+$/g, '').split('/');
    let prefix = '';
    for (let i = 0; i < parts.length - 1; i++) {
      prefix = prefix ? prefix + '/' + parts[i] : parts[i];
      if (this.decide(prefix, true) === true) return true;
    }
    return this.decide(parts.join('/'), isDir) === true;
  }
}
