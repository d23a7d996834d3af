// Reading files for analysis: size limit, binary detection, encodings, minified detection, and a
// cached ProjectContext. Never throws.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isUtf8 } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import type { Finding, ProjectContext } from '../types';

export type Encoding = 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16be' | 'latin1';

export interface DecodedText {
  text: string;
  encoding: Encoding;
}

/** Decode a file's bytes, or undefined when they look binary (NUL bytes without a UTF-16 BOM). */
export function decodeText(buf: Uint8Array): DecodedText | undefined {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
    return { text: b.toString('utf8', 3), encoding: 'utf8-bom' };
  }
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) {
    return { text: b.toString('utf16le', 2, b.length - ((b.length - 2) % 2)), encoding: 'utf16le' };
  }
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
    const n = b.length - 2 - ((b.length - 2) % 2);
    const swapped = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i += 2) { swapped[i] = b[i + 3]; swapped[i + 1] = b[i + 2]; }
    return { text: swapped.toString('utf16le'), encoding: 'utf16be' };
  }
  if (b.indexOf(0) >= 0) return undefined;
  // Valid UTF-8 (checked natively) decodes as such; anything else is read as Latin-1.
  return isUtf8(b) ? { text: b.toString('utf8'), encoding: 'utf8' } : { text: b.toString('latin1'), encoding: 'latin1' };
}

/** Encode text back the way it was read (used by `--fix`). */
export function encodeText(text: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case 'utf8-bom': return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf16le': return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16be': {
      const le = Buffer.from(text, 'utf16le');
      for (let i = 0; i + 1 < le.length; i += 2) { const t = le[i]; le[i] = le[i + 1]; le[i + 1] = t; }
      return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
    }
    case 'latin1': return Buffer.from(text, 'latin1');
    default: return Buffer.from(text, 'utf8');
  }
}

const MIN_NAME = /[.-]min\.[cm]?js$/i;

/** Below this size a file is always fully analysed, whatever its line lengths (a one-line handler is still code). */
export const MINIFIED_MIN_SIZE = 32 * 1024;

/**
 * Whether a JS/TS file is minified or bundled output: a `.min.js` name, or (from MINIFIED_MIN_SIZE up) a very long
 * average line (hand-written code averages well under 100 characters a line). Such files get the fast provider-key pass.
 */
export function looksMinified(file: string, text: string): boolean {
  if (MIN_NAME.test(file)) return true;
  if (text.length < MINIFIED_MIN_SIZE) return false;
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return text.length / lines > 300;
}

export type ReadResult =
  | { ok: true; text: string; encoding: Encoding; size: number }
  | { ok: false; reason: 'too-large' | 'binary' | 'unreadable'; message?: string };

/** Read one file for analysis, honouring the size limit. */
export function readForAnalysis(file: string, maxFileSize: number): ReadResult {
  let fd: number | undefined;
  try {
    // One open, one fstat and the reads: no separate stat of the path (a whole-repository scan reads thousands).
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    if (size > maxFileSize) return { ok: false, reason: 'too-large' };
    const buf = readAll(fd, size, maxFileSize);
    if (!buf) return { ok: false, reason: 'too-large' };
    const d = decodeText(buf);
    if (!d) return { ok: false, reason: 'binary' };
    return { ok: true, text: d.text, encoding: d.encoding, size: buf.length };
  } catch (e) {
    return { ok: false, reason: 'unreadable', message: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  } finally {
    if (fd !== undefined) try { fs.closeSync(fd); } catch { /* ignore */ }
  }
}

/** The bytes of an open file (`size` from fstat; a file that grew meanwhile is read to its end), or undefined past `max`. */
function readAll(fd: number, size: number, max: number): Buffer | undefined {
  let buf = Buffer.allocUnsafe(Math.max(size, 0) + 1);
  let n = 0;
  for (;;) {
    if (n === buf.length) {
      if (n > max) return undefined;
      const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, max + 1)); // > n: n < buf.length * 2 and n <= max
      buf.copy(bigger, 0, 0, n);
      buf = bigger;
    }
    const r = fs.readSync(fd, buf, n, buf.length - n, null);
    if (r === 0) break;
    n += r;
  }
  return n > max ? undefined : buf.subarray(0, n);
}

/** Files over maxFileSize and up to this size get the fast provider-key pass, read in chunks; larger ones are skipped. */
export const FAST_PASS_LIMIT = 64 * 1024 * 1024;
const CHUNK = 1024 * 1024;
/** Kept from the end of a chunk cut inside a very long line, so a secret across the cut is still seen whole. */
const OVERLAP = 8192;

export type FastPassResult =
  | { ok: true; findings: Finding[] }
  | { ok: false; reason: 'too-large' | 'binary' | 'unreadable'; message?: string };

/**
 * Run `analyze` (a provider-key pass) over a big file in ~1 MB chunks cut at line ends, and place its findings in the
 * whole file. Memory stays bounded by the chunk size. Never throws.
 */
export function fastPassLargeFile(file: string, limit: number, analyze: (text: string) => Finding[]): FastPassResult {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    if (size > limit) return { ok: false, reason: 'too-large' };
    const buf = Buffer.allocUnsafe(CHUNK);
    const decoder = new StringDecoder('utf8');
    const findings: Finding[] = [];
    const seen = new Set<string>();
    let carry = '';
    let line = 0; // line of carry[0]
    let col = 0; // character of carry[0] on that line
    let first = true;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (first && n > 0) {
        const probe = Math.min(n, 8000);
        for (let i = 0; i < probe; i++) if (buf[i] === 0) return { ok: false, reason: 'binary' };
        first = false;
      }
      const text = carry + (n > 0 ? decoder.write(buf.subarray(0, n)) : decoder.end());
      const last = n <= 0;
      let cut = last ? text.length : text.lastIndexOf('\n') + 1;
      let nextCarryStart = cut;
      if (!last && cut === 0) { cut = text.length; nextCarryStart = Math.max(0, text.length - OVERLAP); } // one huge line
      const part = text.slice(0, cut);
      for (const f of analyze(part)) {
        const shiftRange = (p: { line: number; character: number }) => ({ line: p.line + line, character: p.line === 0 ? p.character + col : p.character });
        const g = { ...f, range: { start: shiftRange(f.range.start), end: shiftRange(f.range.end) } };
        const key = `${g.ruleId}:${g.range.start.line}:${g.range.start.character}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push(g);
      }
      if (last) break;
      // advance the position to nextCarryStart
      const consumed = text.slice(0, nextCarryStart);
      const nl = consumed.lastIndexOf('\n');
      if (nl >= 0) {
        let count = 0;
        for (let i = consumed.indexOf('\n'); i >= 0; i = consumed.indexOf('\n', i + 1)) count++;
        line += count;
        col = consumed.length - nl - 1;
      } else col += consumed.length;
      carry = text.slice(nextCarryStart);
    }
    return { ok: true, findings };
  } catch (e) {
    return { ok: false, reason: 'unreadable', message: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  } finally {
    if (fd !== undefined) try { fs.closeSync(fd); } catch { /* ignore */ }
  }
}

/** Characters of file text a project context keeps in memory; older entries are dropped and re-read on demand. */
const PROJECT_CACHE_CHARS = 4 * 1024 * 1024;

/** A ProjectContext over the real file system, with caches. Cross-file reads honour the size limit. */
export class FsProjectContext implements ProjectContext {
  private readonly texts = new Map<string, string | undefined>();
  private readonly deps = new Map<string, ReadonlySet<string>>();
  private chars = 0;

  constructor(private readonly maxFileSize = 1024 * 1024, private readonly budget = PROJECT_CACHE_CHARS) {}

  private keep(abs: string, text: string | undefined): void {
    const old = this.texts.get(abs);
    if (old !== undefined) this.chars -= old.length;
    this.texts.delete(abs);
    this.texts.set(abs, text);
    this.chars += text?.length ?? 0;
    // Oldest first (a Map iterates in insertion order): a whole-repository scan must not hold every file it read.
    for (const [k, v] of this.texts) {
      if (this.chars <= this.budget) break;
      this.texts.delete(k);
      this.chars -= v?.length ?? 0;
    }
  }

  /** Seed the cache with text already read by the scanner. */
  remember(file: string, text: string): void {
    this.keep(path.resolve(file), text);
  }

  readFile(file: string): string | undefined {
    const abs = path.resolve(file);
    if (this.texts.has(abs)) return this.texts.get(abs);
    const r = readForAnalysis(abs, this.maxFileSize);
    const text = r.ok ? r.text : undefined;
    this.keep(abs, text);
    return text;
  }

  private readonly dirs = new Map<string, readonly string[] | undefined>();

  /** Entry names of a folder (cached; symlinks listed by name, never followed here). */
  listDir(dir: string): readonly string[] | undefined {
    const abs = path.resolve(dir);
    if (this.dirs.has(abs)) return this.dirs.get(abs);
    let names: string[] | undefined;
    try { names = fs.readdirSync(abs); } catch { names = undefined; }
    this.dirs.set(abs, names);
    return names;
  }

  dependenciesOf(file: string): ReadonlySet<string> {
    const start = path.dirname(path.resolve(file));
    const visited: string[] = [];
    let dir = start;
    let found: ReadonlySet<string> | undefined;
    for (;;) {
      const cached = this.deps.get(dir);
      if (cached) { found = cached; break; }
      visited.push(dir);
      const pkg = path.join(dir, 'package.json');
      let text: string | undefined;
      try { text = fs.readFileSync(pkg, 'utf8'); } catch { /* none here */ }
      if (text !== undefined) {
        const names = new Set<string>();
        try {
          const json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as Record<string, unknown>;
          for (const key of ['dependencies', 'devDependencies']) {
            const d = json?.[key];
            if (d && typeof d === 'object' && !Array.isArray(d)) for (const n of Object.keys(d)) names.add(n);
          }
        } catch { /* malformed package.json: no dependencies */ }
        found = names;
        break;
      }
      const parent = path.dirname(dir);
      if (parent === dir) { found = new Set(); break; }
      dir = parent;
    }
    for (const d of visited) this.deps.set(d, found);
    return found;
  }
}

/**
 * Write a file in place, never through a symbolic link: a link (to a file outside the scanned folder, say) is refused,
 * and the open itself uses O_NOFOLLOW where the platform has it, so a link swapped in after the check is not followed
 * either. Throws with a clear message; used by `keyway scan --fix`.
 */
export function writeFileNoFollow(file: string, data: Uint8Array): void {
  const st = fs.lstatSync(file);
  if (st.isSymbolicLink()) throw new Error('it is a symbolic link (Keyway never writes through links)');
  if (!st.isFile()) throw new Error('it is not a regular file');
  const flags = fs.constants.O_WRONLY | fs.constants.O_TRUNC | (fs.constants.O_NOFOLLOW ?? 0);
  const fd = fs.openSync(file, flags);
  try {
    let off = 0;
    while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
  } finally { fs.closeSync(fd); }
}
