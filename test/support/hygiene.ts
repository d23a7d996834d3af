// Secret hygiene: looks for seeded secret values in every file under a folder (logs, state databases,
// settings, caches). Used after the editor and UI layers on the VS Code user-data directory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findingsItems, seededItems } from './seed';

/** Every secret string the seed creates: SecureString values, secret strings, and each JSON field value. */
export function seededSecretStrings(): string[] {
  const out = new Set<string>();
  for (const it of [...seededItems(), ...findingsItems()]) {
    if (it.kind === 'parameter' && it.type !== 'SecureString' && !/key|secret|token|password/i.test(it.name)) continue;
    out.add(it.value);
    try {
      const parsed = JSON.parse(it.value) as Record<string, unknown>;
      if (parsed && typeof parsed === 'object') {
        for (const [k, v] of Object.entries(parsed)) {
          // Non-secret fields of the credentials JSON (engine, port) are plain words; check the secret ones.
          if (/pass|secret|token|key/i.test(k) && typeof v === 'string') out.add(v);
        }
      }
    } catch { /* not JSON */ }
  }
  return [...out].filter((s) => s.length >= 8);
}

export interface HygieneReport { filesScanned: number; bytesScanned: number; hits: { file: string; secretIndex: number }[]; logFiles: string[] }

/** Scans every regular file under `dir` (UTF-8 and UTF-16LE views) for any of `secrets`. */
export function scanForSecrets(dir: string, secrets: string[]): HygieneReport {
  const report: HygieneReport = { filesScanned: 0, bytesScanned: 0, hits: [], logFiles: [] };
  const needles = secrets.map((s) => [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le')]);
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { walk(p); continue; }
      if (!e.isFile()) continue;
      let buf: Buffer;
      try { buf = fs.readFileSync(p); } catch { continue; }
      report.filesScanned++;
      report.bytesScanned += buf.length;
      if (/Keyway\.log$/.test(e.name) || /keyway/i.test(p) && e.name.endsWith('.log')) report.logFiles.push(p);
      needles.forEach(([a, b], i) => {
        if (buf.includes(a) || buf.includes(b)) report.hits.push({ file: p, secretIndex: i });
      });
    }
  };
  walk(dir);
  return report;
}
