// Output safety of `keyway scan` (dist/cli.js as a child process): every format, over the whole fixture corpus,
// masks every secret a rule flagged and every provider-format credential, and text output carries no raw control
// character from a scanned file. `--fix` still writes the real text. Unit checks of core/output follow.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allRules } from '../../../src/core/rules';
import { scanPaths } from '../../../src/core/scan';
import { decodeText } from '../../../src/core/scan/files';
import { findFormattedSecrets } from '../../../src/core/secrets/detect';
import { escapeControl, escapeJsonText, flaggedSecretTexts, Redactor, REDACTED } from '../../../src/core/output';
import { formatJson, formatSarif, formatText, type Report } from '../../../src/cli/format';
import type { Finding } from '../../../src/core/types';
import { fixturesDir, repoRoot } from '../../support/paths';

const cli = path.join(repoRoot, 'dist', 'cli.js');
const hostile = path.join(fixturesDir, 'hostile');
/** What the hostile fixtures plant (some no rule flags: they are masked as provider formats, or never echoed). */
const PLANTED = [
  'AKIAQ4LMZ7RT2XW9KJ3N', 'u7Hq2Lx9Vb4Tn8Wm3Kp6Zr1Yc5Fd0Gs2Ja7Qe9Xh', 'ghp_Zt8Kq2Lm5Vx9Rb3Wn7Yc1Hd4Fg6Js0Pa2Ue8Qi',
  'ghp_Wq3Lz8Xm1Vt6Kb4Rn9Ys2Hc7Fd5Jg0Pe3Ua1Ti', 'AKIAR5TQ2LMZ8XW4KJ7N', 'sk_live_51Qz8Lm2Vx7Tb4Wn9Rk3Ys6Hc1Fd5Gj0PeAq',
  'Rq8!Lm2#Vx7Tb4Wn9', 'Tz4Lq9Wm2Vx7Kb3Rn',
];
/** Raw control characters a terminal would act on (text output may only contain LF). */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function run(args: string[], cwd = repoRoot): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, env, encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, out); else if (e.isFile()) out.push(p);
  }
  return out;
}

/** The corpus's secrets: every span a rule flagged, and every provider-format credential anywhere in its text. */
function corpusSecrets(): string[] {
  const out = new Set<string>(PLANTED);
  const texts = new Map<string, string | undefined>();
  const textOf = (f: string) => {
    const abs = path.resolve(repoRoot, f);
    if (!texts.has(abs)) texts.set(abs, decodeText(fs.readFileSync(abs))?.text);
    return texts.get(abs);
  };
  const scanned = scanPaths([fixturesDir], { rules: allRules, config: { testFiles: [] } });
  for (const s of flaggedSecretTexts(scanned.findings, textOf)) out.add(s);
  for (const f of filesUnder(fixturesDir)) {
    const text = textOf(f);
    if (text) for (const m of findFormattedSecrets(text)) out.add(text.slice(m.start, m.end));
  }
  // Short flagged values (6–7 characters) could match unrelated text by chance; the check uses 8 and more.
  return [...out].filter((s) => s.length >= 8);
}

describe('output safety: every format over the whole fixture corpus (dist/cli.js)', function () {
  this.timeout(300_000);
  let secrets: string[];
  const outputs: Record<string, { stdout: string; stderr: string }> = {};
  const temps: string[] = [];

  before(() => {
    if (!fs.existsSync(cli)) {
      const b = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs'), '--no-tests'], { cwd: repoRoot, encoding: 'utf8' });
      assert.equal(b.status, 0, b.stderr);
    }
    secrets = corpusSecrets();
    for (const format of ['text', 'json', 'sarif']) {
      // The corpus lives under test/, which the Lambda rules treat as test code: this config reads it as production code.
      const r = run(['scan', path.relative(repoRoot, fixturesDir), '--format', format, '--config', path.relative(repoRoot, path.join(hostile, '.keywayrc.json'))]);
      assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
      outputs[format] = r;
    }
  });
  after(() => { for (const d of temps) fs.rmSync(d, { recursive: true, force: true }); });

  it('knows enough fixture secrets for the check to mean something', () => {
    assert.ok(secrets.length >= 40, `${secrets.length} secrets`);
    for (const p of PLANTED) assert.ok(secrets.includes(p), p);
  });

  for (const format of ['text', 'json', 'sarif']) {
    it(`${format}: no fixture secret in stdout or stderr`, () => {
      const { stdout, stderr } = outputs[format];
      const leaked = secrets.filter((s) => stdout.includes(s) || stderr.includes(s));
      assert.deepEqual(leaked.map((s) => `${s.slice(0, 6)}…(${s.length})`), []);
      assert.ok(stdout.includes(REDACTED) || format === 'text', 'something was masked');
    });
  }

  it('text: no raw control character from a scanned file (ESC, BEL, CR, C1, bidi)', () => {
    for (const s of [outputs.text.stdout, outputs.text.stderr, outputs.json.stderr]) assert.doesNotMatch(s, RAW_CONTROL);
    assert.match(outputs.text.stdout, /\\x1b\[2J\\x1b\[H\\x1b\[32m/, 'the escapes are shown, escaped');
    assert.match(outputs.text.stdout, /\\x07.*\\u202egnp\.exe/);
  });

  it('json and sarif: parse, with C1 and bidi controls as \\u escapes; fix edits that copy a secret are masked and marked', () => {
    for (const f of ['json', 'sarif']) assert.doesNotMatch(outputs[f].stdout, /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    const json = JSON.parse(outputs.json.stdout) as { findings: (Finding & { fixes: { edits: { newText: string; redacted?: boolean }[] }[] })[] };
    JSON.parse(outputs.sarif.stdout);
    // The fixes that hoist the client (uncached-fetch's loader, client-in-handler's hoist) copy its statement.
    const edits = json.findings.filter((f) => f.file.endsWith('client-credentials.ts')).flatMap((f) => f.fixes.flatMap((x) => x.edits));
    const edit = edits.find((e) => e.newText.includes('new SSMClient')) as { newText: string; redacted?: boolean } | undefined;
    assert.ok(edit, 'a fix of the hostile fixture copies the client statement');
    assert.ok(edit?.redacted, 'marked redacted');
    assert.match(edit.newText, /accessKeyId: \[redacted\], secretAccessKey: \[redacted\]/);
    const name = json.findings.find((f) => f.file.endsWith('escapes.ts'))?.message ?? '';
    assert.match(name, /\u001b\[2J/, 'JSON keeps the real characters (escaped by JSON itself)');
  });

  it('--fix writes the real text; its report masks it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-hostile-'));
    temps.push(dir);
    fs.cpSync(hostile, dir, { recursive: true });
    const r = run(['scan', '.', '--fix', '--format', 'json'], dir);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const fixed = fs.readFileSync(path.join(dir, 'client-credentials.ts'), 'utf8');
    assert.match(fixed, /^const ssm = new SSMClient\(\{ region: 'us-east-1', credentials: \{ accessKeyId: 'AKIAQ4LMZ7RT2XW9KJ3N'/m, 'the fix moved the real statement');
    for (const s of PLANTED) assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), `${s.slice(0, 6)}… leaked after --fix`);
  });

  it('a file name with terminal escapes and a token is shown escaped and masked', () => {
    if (process.platform === 'win32') return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-names-'));
    temps.push(dir);
    const token = 'ghp_Qa7Zt2Lm5Vx9Rb3Wn8Yc1Hd4Fg6Js0Pk2Ue7';
    fs.writeFileSync(path.join(dir, `\x1b[2J-${token}-\x07.env`), 'DB_PASSWORD=Lq8Vz2Xt7Kb4Wn9Rs3\n');
    for (const format of ['text', 'json', 'sarif']) {
      const r = run(['scan', '.', '--format', format], dir);
      assert.ok(!r.stdout.includes(token) && !r.stderr.includes(token), `${format}: token in a file name`);
      assert.ok(!r.stdout.includes('Lq8Vz2Xt7Kb4Wn9Rs3'), `${format}: value`);
      if (format === 'text') {
        assert.doesNotMatch(r.stdout, RAW_CONTROL);
        assert.match(r.stdout, /\\x1b\[2J-\[redacted\]-\\x07\.env/);
      }
    }
  });
});

describe('core/output: Redactor and escapeControl', () => {
  const finding = (over: Partial<Finding>): Finding => ({
    ruleId: 'hardcoded-secret', severity: 'error', message: 'm', file: 'f.yaml',
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, fixes: [], ...over,
  });

  it('flaggedSecretTexts reads each flagged span, with and without quotes, across lines', () => {
    const text = `a: 'Xv9#Lq2Wm7Tb4'\nkey: |\n  -----BEGIN\n  body-line\nb: "kw\\u0041escaped"\n`;
    const spans = flaggedSecretTexts([
      finding({ range: { start: { line: 0, character: 3 }, end: { line: 0, character: 18 } } }),
      finding({ ruleId: 'secret-in-env', range: { start: { line: 2, character: 2 }, end: { line: 3, character: 11 } } }),
      finding({ range: { start: { line: 4, character: 3 }, end: { line: 4, character: 21 } } }),
      finding({ ruleId: 'uncached-fetch', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 6 } } }),
    ], () => text);
    assert.deepEqual(spans, ["'Xv9#Lq2Wm7Tb4'", 'Xv9#Lq2Wm7Tb4', '-----BEGIN\n  body-line', '"kw\\u0041escaped"', 'kw\\u0041escaped', 'kwAescaped']);
  });

  it('masks known secrets and provider formats (a token used as a key or a name), in strings and JSON-like values', () => {
    const r = new Redactor(['Xv9#Lq2Wm7Tb4', 'short']);
    assert.equal(r.text("const c = { p: 'Xv9#Lq2Wm7Tb4' }"), `const c = { p: '${REDACTED}' }`);
    assert.equal(r.text('short stays'), 'short stays', 'texts under 6 characters are not masked on their own');
    assert.equal(r.text("in 'AKIAR5TQ2LMZ8XW4KJ7N' (.env file)"), `in '${REDACTED}' (.env file)`);
    assert.deepEqual(r.value({ ['ghp_Zt8Kq2Lm5Vx9Rb3Wn7Yc1Hd4Fg6Js0Pa2Ue8Qi']: ['Xv9#Lq2Wm7Tb4', 3, true] }), { [REDACTED]: [REDACTED, 3, true] });
  });

  it('every formatter masks a credential echoed as a name in messages and data', () => {
    const f = finding({ message: "Hardcoded token in 'ghp_Wq3Lz8Xm1Vt6Kb4Rn9Ys2Hc7Fd5Jg0Pe3Ua1Ti' (YAML)", data: { name: 'AKIAR5TQ2LMZ8XW4KJ7N' } });
    const report: Report = { findings: [f], filesScanned: 1, filesSkipped: [], errors: [{ path: 'f.yaml', message: 'could not be parsed near sk_live_51Qz8Lm2Vx7Tb4Wn9Rk3Ys6Hc1Fd5Gj0PeAq' }] };
    const tool = { name: 'keyway', version: '0', repositoryUrl: 'https://example.invalid/k' };
    const outs = [formatText(report, { color: false, cwd: '/' }), formatJson(report, tool), formatSarif(report, tool, [], { cwd: '/' })];
    for (const out of outs) {
      for (const s of ['ghp_Wq3Lz8Xm1Vt6Kb4Rn9Ys2Hc7Fd5Jg0Pe3Ua1Ti', 'AKIAR5TQ2LMZ8XW4KJ7N', 'sk_live_51Qz8Lm2Vx7Tb4Wn9Rk3Ys6Hc1Fd5Gj0PeAq']) assert.ok(!out.includes(s), s);
      assert.ok(out.includes(REDACTED));
    }
  });

  it('escapeControl shows every control, C1 and bidi character; keepLines keeps LF and tab', () => {
    assert.equal(escapeControl('a\x1b[2Jb\x07c\r\nd\x9be\u202ef\u2066g\x7f'), 'a\\x1b[2Jb\\x07c\\r\\nd\\x9be\\u202ef\\u2066g\\x7f');
    assert.equal(escapeControl('x\n\ty\x1b', { keepLines: true }), 'x\n\ty\\x1b');
    assert.equal(escapeControl('plain ✔ text, ünïcödé'), 'plain ✔ text, ünïcödé');
  });

  it('escapeJsonText keeps the parsed value', () => {
    const v = { s: 'a\x9bb\u202ec\u2028d\x7f' };
    const text = escapeJsonText(JSON.stringify(v));
    assert.doesNotMatch(text, /[\u007f-\u009f\u202e\u2028]/);
    assert.deepEqual(JSON.parse(text), v);
  });
});
