// The labeled secrets corpus (test/fixtures/secrets-corpus) and how any scanner is scored on it: by file and line,
// the same way for Keyway, gitleaks and detect-secrets. Used by the unit floor test and by `npm run bench:secrets`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir } from './paths';

export const corpusDir = path.join(fixturesDir, 'secrets-corpus');
export const labelsFile = path.join(fixturesDir, 'secrets-corpus.labels.tsv');

export interface Label { file: string; first: number; last: number; kind: string; optional: boolean }
/** One reported location: file relative to the scanned root (posix), 1-based lines. */
export interface Located { file: string; first: number; last: number; rule?: string }

export function loadLabels(file = labelsFile): Label[] {
  const out: Label[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [f, a, b, kind, req] = line.split('\t');
    out.push({ file: f, first: Number(a), last: Number(b), kind, optional: req === 'optional' });
  }
  return out;
}

/** Every file of the corpus (relative posix paths), for the per-kind summary. */
export function corpusFiles(dir = corpusDir): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** The file kind a path belongs to, for per-kind figures. */
export function fileKind(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (/(?:^|\/)(?:\.github\/workflows\/|\.gitlab-ci|\.circleci\/|bitbucket-pipelines|azure-pipelines)/.test(file)) return 'ci workflow';
  if (/docker-compose/.test(base)) return 'docker-compose';
  if (/^Dockerfile/.test(base)) return 'Dockerfile';
  if (/\.(?:min\.js)$/.test(base) || /(?:^|\/)(?:dist|public\/assets)\//.test(file)) return 'minified bundle';
  if (/\.snap$/.test(base)) return 'snapshot';
  if (/\.(?:tf|tfvars)$/.test(base)) return 'terraform';
  if (/(?:^|\/)keys\//.test(file) || /\.(?:pem|key|p12|pfx|ppk)$/.test(base)) return 'key file';
  if (/\.(?:log|har)$|history$/.test(base)) return 'logs/HAR/history';
  if (/\.(?:ipynb|plist)$/.test(base)) return 'notebook/plist';
  if (/^\.(?:npmrc|yarnrc\.yml|pypirc|netrc|git-credentials)$/.test(base)) return 'credentials file';
  if (/^\.env/.test(base)) return '.env';
  if (/\.toml$/.test(base)) return 'toml';
  if (/\.(?:ini|cfg|properties)$/.test(base)) return 'ini/cfg/properties';
  if (/\.sh$/.test(base)) return 'shell';
  if (/\.(?:ya?ml)$/.test(base)) return 'yaml';
  if (/\.json$/.test(base)) return 'json';
  if (/\.[cm]?[jt]sx?$/.test(base)) return 'code';
  if (/\.(?:py|go|java|cs|rb|php|ps1|sql)$/.test(base)) return 'other languages';
  if (/\.(?:md|rst|txt|html?|xml|http|conf)$/.test(base) || /^(?:Makefile|\.sentryclirc)$/.test(base)) return 'docs/markup/conf';
  return 'other';
}

export interface Score {
  tool: string;
  findings: number;
  /** Distinct reported locations (file, first line). */
  locations: number;
  truePositives: number;
  falsePositives: Located[];
  found: Label[];
  missed: Label[];
  precision: number;
  recall: number;
  f1: number;
}

const overlaps = (l: Label, f: Located) => l.file === f.file && f.first <= l.last && f.last >= l.first;

/**
 * Score reported locations against the labels. A label is found when any location overlaps its lines; a location is a
 * true positive when it overlaps a label, a false alarm when it overlaps none. Locations on an optional label count
 * neither way, and optional labels are not needed for recall. Several findings on one line count once.
 */
export function score(tool: string, located: Located[], labels: Label[]): Score {
  const seen = new Map<string, Located>();
  for (const f of located) {
    const key = `${f.file}:${f.first}`;
    const prev = seen.get(key);
    if (!prev || f.last > prev.last) seen.set(key, f);
  }
  const locs = [...seen.values()];
  let tp = 0;
  const fps: Located[] = [];
  for (const f of locs) {
    const hits = labels.filter((l) => overlaps(l, f));
    if (!hits.length) fps.push(f);
    else if (hits.some((l) => !l.optional)) tp++;
  }
  const required = labels.filter((l) => !l.optional);
  const found = required.filter((l) => locs.some((f) => overlaps(l, f)));
  const missed = required.filter((l) => !found.includes(l));
  const precision = tp + fps.length ? tp / (tp + fps.length) : 0;
  const recall = required.length ? found.length / required.length : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { tool, findings: located.length, locations: locs.length, truePositives: tp, falsePositives: fps, found, missed, precision, recall, f1 };
}

/** Keyway's findings (JSON report or in-process) as locations relative to `root`. */
export function keywayLocations(findings: { file: string; ruleId: string; range: { start: { line: number }; end: { line: number } } }[], root: string, rules = ['hardcoded-secret']): Located[] {
  return findings.filter((f) => rules.includes(f.ruleId)).map((f) => ({
    file: relative(root, f.file), first: f.range.start.line + 1, last: Math.max(f.range.start.line, f.range.end.line) + 1, rule: f.ruleId,
  }));
}

/** gitleaks JSON report entries. */
export function gitleaksLocations(report: { File: string; StartLine: number; EndLine: number; RuleID: string }[], root: string): Located[] {
  return report.map((r) => ({ file: relative(root, r.File), first: r.StartLine, last: Math.max(r.StartLine, r.EndLine), rule: r.RuleID }));
}

/** detect-secrets baseline `results`. */
export function detectSecretsLocations(baseline: { results: Record<string, { type: string; line_number: number }[]> }, root: string): Located[] {
  const out: Located[] = [];
  for (const [file, list] of Object.entries(baseline.results ?? {})) {
    for (const r of list) out.push({ file: relative(root, file), first: r.line_number, last: r.line_number, rule: r.type });
  }
  return out;
}

function relative(root: string, file: string): string {
  const abs = path.isAbsolute(file) ? file : path.resolve(root, file);
  return path.relative(root, abs).split(path.sep).join('/');
}

/** Copy the corpus into `dest` (a fresh folder outside any repository, so no outer ignore file applies). */
export function copyCorpus(dest: string, source = corpusDir): void {
  fs.rmSync(dest, { recursive: true, force: true });
  fs.cpSync(source, dest, { recursive: true });
}
