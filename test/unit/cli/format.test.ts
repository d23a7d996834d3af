import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { selectFixes } from '../../../src/core/fixAll';
import { applyEdits } from '../../../src/core/fixes/apply';
import { artifactUri, formatJson, formatSarif, formatText, reachesThreshold, repositoryHome, type Report } from '../../../src/cli/format';
import { escapeJsonText, Redactor } from '../../../src/core/output';
import type { Finding, RuleMeta } from '../../../src/core/types';

const cwd = path.resolve('/repo');
const finding = (over: Partial<Finding>): Finding => ({
  ruleId: 'hardcoded-secret', severity: 'error', message: 'Hardcoded secret: move it to Parameter Store.',
  file: path.join(cwd, 'src', 'a b.ts'), range: { start: { line: 2, character: 4 }, end: { line: 2, character: 10 } }, fixes: [], ...over,
});
const metas: RuleMeta[] = [
  { id: 'hardcoded-secret', title: 'Hardcoded secret', defaultSeverity: 'error', description: 'Finds secrets in code.' },
  { id: 'uncached-fetch', title: 'Uncached fetch', defaultSeverity: 'warning', description: 'Finds fetches per invocation.' },
];
const tool = { name: 'keyway', version: '1.2.3', repositoryUrl: 'https://github.com/acme/keyway' };
const report = (findings: Finding[]): Report => ({ findings, filesScanned: 3, filesSkipped: [{ reason: 'minified', count: 2 }], errors: [] });

describe('report formats', () => {
  it('repository URLs become browsable https URLs', () => {
    assert.equal(repositoryHome({ type: 'git', url: 'git+https://github.com/acme/keyway.git' }), 'https://github.com/acme/keyway');
    assert.equal(repositoryHome('git@github.com:acme/keyway.git'), 'https://github.com/acme/keyway');
    assert.equal(repositoryHome('github:acme/keyway'), 'https://github.com/acme/keyway');
    assert.equal(repositoryHome(undefined), '');
  });

  it('text: stylish layout, 1-based positions, summary, skipped counts, no colour when asked', () => {
    const out = formatText(report([
      finding({}),
      finding({ ruleId: 'uncached-fetch', severity: 'warning', message: 'Uncached\nfetch.', range: { start: { line: 9, character: 0 }, end: { line: 9, character: 3 } }, fixes: [{ title: 't', edits: [], isPreferred: true }] }),
    ]), { color: false, cwd });
    assert.doesNotMatch(out, /\x1b\[/);
    const lines = out.split('\n');
    assert.equal(lines[0], path.join('src', 'a b.ts'));
    assert.match(lines[1], /^ {3}3:5 {2}error {4}Hardcoded secret: move it to Parameter Store\. {2}hardcoded-secret$/);
    assert.match(lines[2], /^ {2}10:1 {2}warning {2}Uncached fetch\. +uncached-fetch$/);
    assert.ok(lines.includes('✖ 2 problems (1 error, 1 warning)'));
    assert.ok(out.includes('1 problem potentially fixable with the `--fix` option.'));
    assert.ok(out.includes('3 files scanned; skipped: 2 minified files'));
  });

  it('text: colours only when asked, and a clean summary', () => {
    assert.match(formatText(report([finding({})]), { color: true, cwd }), /\x1b\[31m/);
    const clean = formatText({ findings: [], filesScanned: 1, filesSkipped: [], errors: [] }, { color: false, cwd });
    assert.equal(clean, '✔ No problems found\n1 file scanned\n');
  });

  it('text after --fix: each fixed and failed problem on its line, what remains in place of the scan summary', () => {
    const left = finding({ ruleId: 'uncached-fetch', severity: 'warning', message: 'GetSecretValue of "app/db" runs on every invocation of handler "handler": cache it.', fixes: [{ title: 't', edits: [], isPreferred: true }] });
    const out = formatText({
      ...report([left]), filesFixed: 1,
      fix: {
        fixed: [{ file: path.join(cwd, 'src', 'orders.ts'), ruleId: 'client-in-handler', line: 4, message: 'SSMClient is constructed inside handler "handler". Hoist it.' }],
        failed: [{ file: left.file, ruleId: 'uncached-fetch', line: 3, message: left.message, reason: 'it would add a type error: TS2550 x (line 9)' }],
        filesFixed: 1, filesFailed: 1,
      },
    }, { color: false, cwd });
    const lines = out.split('\n');
    const at = lines.indexOf('Fixed 1 problem in 1 file (client-in-handler 1):');
    assert.ok(at > 0, out);
    assert.deepEqual(lines.slice(at, at + 5), [
      'Fixed 1 problem in 1 file (client-in-handler 1):',
      `  ${path.join('src', 'orders.ts')}:4  client-in-handler  SSMClient is constructed inside handler "handler"`,
      'Could not fix 1 problem in 1 file (that code is unchanged):',
      `  ${path.join('src', 'a b.ts')}:3     uncached-fetch: it would add a type error: TS2550 x (line 9)`,
      '✖ 1 problem remains (0 errors, 1 warning), counted by a fresh scan after fixing.',
    ]);
    assert.doesNotMatch(out, /No problems found|potentially fixable|✖ 1 problem \(/);
    const clean = formatText({ findings: [], filesScanned: 1, filesSkipped: [], errors: [], filesFixed: 1,
      fix: { fixed: [{ file: left.file, ruleId: 'uncached-fetch', line: 3, message: 'm' }], failed: [], filesFixed: 1, filesFailed: 0 } }, { color: false, cwd });
    assert.equal(clean, `Fixed 1 problem in 1 file (uncached-fetch 1):\n  ${path.join('src', 'a b.ts')}:3  uncached-fetch  m\n✔ No problems remain (counted by a fresh scan after fixing).\n1 file scanned, 1 file fixed\n`);
  });

  it('json: version, findings, filesScanned, filesSkipped', () => {
    const j = JSON.parse(formatJson(report([finding({})]), tool));
    assert.equal(j.version, '1.2.3');
    assert.equal(j.findings.length, 1);
    assert.equal(j.findings[0].ruleId, 'hardcoded-secret');
    assert.equal(j.filesScanned, 3);
    assert.deepEqual(j.filesSkipped, [{ reason: 'minified', count: 2 }]);
  });

  it('json: masks findings in one walk exactly as masking each layer in turn would (messages, data, keys, edits)', () => {
    const known = 'Zx9!qLr7#vTp2@Wm';
    const ghp = 'ghp_R8x2mQ7vLk4TzW9pN3sYb6HcJ1dF5gA0eU2i';
    const findings = [
      finding({ message: `Hardcoded secret ${known} in a b.ts`, data: { value: known, [`key ${ghp}`]: [ghp, `x${known}y`], n: 3, on: true } }),
      finding({
        ruleId: 'uncached-fetch', severity: 'warning', message: 'plain',
        fixes: [
          { title: `Move ${known}`, isPreferred: true, edits: [
            { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } }, newText: `const k = "${ghp}";\nconst p = "${known}";` },
            { range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, newText: 'const cache = new Map<string, string>(); // nothing to mask here at all' },
            { range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, newText: 'postgres://admin:' + 'Xk9mP2vQw7zL4rT@prod-db.acme-internal.net:5432/app' },
          ] },
          { title: 't', edits: [] },
        ],
      }),
    ];
    const redactor = new Redactor([known]);
    // The reference: each edit's new text masked, then the findings, then the whole report (three layers).
    const layered = redactor.value({
      version: tool.version,
      findings: findings.map((f) => redactor.value({ ...f, fixes: f.fixes.map((x) => ({ ...x, edits: x.edits.map((e) => {
        const newText = redactor.text(e.newText);
        return newText === e.newText ? e : { ...e, newText, redacted: true };
      }) })) })),
      filesScanned: 3, filesRead: [], filesSkipped: [{ reason: 'minified', count: 2 }], ignore: undefined, errors: [],
    });
    const out = formatJson({ ...report(findings), redactor }, tool);
    assert.equal(out, escapeJsonText(JSON.stringify(layered, null, 2)) + '\n');
    assert.ok(!out.includes(known) && !out.includes(ghp) && !out.includes('Xk9mP2vQw7zL4rT'));
    const j = JSON.parse(out);
    assert.deepEqual(j.findings[1].fixes[0].edits.map((e: { redacted?: boolean }) => !!e.redacted), [true, false, true]);
  });

  it('sarif: required 2.1.0 structure, rule metadata, 1-based regions, relative encoded URIs', () => {
    const s = JSON.parse(formatSarif(report([finding({}), finding({ ruleId: 'uncached-fetch', severity: 'info' })]), tool, metas, { cwd }));
    assert.equal(s.version, '2.1.0');
    assert.match(s.$schema, /sarif-2\.1\.0/);
    const run = s.runs[0];
    assert.deepEqual(Object.keys(run.tool.driver).filter((k) => ['name', 'version', 'informationUri', 'rules'].includes(k)).sort(), ['informationUri', 'name', 'rules', 'version']);
    assert.equal(run.tool.driver.informationUri, 'https://github.com/acme/keyway');
    const rule = run.tool.driver.rules[0];
    assert.equal(rule.id, 'keyway/hardcoded-secret');
    assert.equal(rule.helpUri, 'https://github.com/acme/keyway/blob/HEAD/docs/rules/hardcoded-secret.md');
    assert.equal(rule.shortDescription.text, 'Finds secrets in code.');
    assert.equal(rule.defaultConfiguration.level, 'error');
    assert.equal(run.tool.driver.rules[1].defaultConfiguration.level, 'warning');
    const [r0, r1] = run.results;
    assert.equal(r0.ruleId, 'keyway/hardcoded-secret');
    assert.equal(r0.ruleIndex, 0);
    assert.equal(r0.level, 'error');
    assert.equal(r1.level, 'note');
    assert.equal(r0.message.text, 'Hardcoded secret: move it to Parameter Store.');
    const loc = r0.locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uri, 'src/a%20b.ts');
    assert.deepEqual(loc.region, { startLine: 3, startColumn: 5, endLine: 3, endColumn: 11 });
  });

  it('sarif: configured severities change the default level; empty ranges still have a column', () => {
    const s = JSON.parse(formatSarif(report([finding({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } })]), tool, metas,
      { cwd, configuredSeverity: (id) => (id === 'uncached-fetch' ? 'error' : undefined) }));
    assert.equal(s.runs[0].tool.driver.rules[1].defaultConfiguration.level, 'error');
    assert.deepEqual(s.runs[0].results[0].locations[0].physicalLocation.region, { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 });
  });

  it('artifact URIs outside the working folder are file URLs', () => {
    const u = artifactUri(path.resolve('/elsewhere/x.ts'), cwd);
    assert.equal(u.relative, false);
    assert.match(u.uri, /^file:\/\/\/.*elsewhere\/x\.ts$/);
  });

  it('threshold', () => {
    assert.equal(reachesThreshold([finding({ severity: 'warning' })], 'warning'), true);
    assert.equal(reachesThreshold([finding({ severity: 'info' })], 'warning'), false);
    assert.equal(reachesThreshold([finding({ severity: 'info' })], 'hint'), true);
    assert.equal(reachesThreshold([], 'hint'), false);
  });
});

describe('--fix selection (core fixAll)', () => {
  const text = 'const a = 1;\nconst b = 2;\n';
  const edit = (l1: number, c1: number, l2: number, c2: number, newText: string) => ({ range: { start: { line: l1, character: c1 }, end: { line: l2, character: c2 } }, newText });

  it('takes preferred fixes only and drops overlapping ones', () => {
    const fixes = selectFixes(text, [
      finding({ fixes: [{ title: 'not preferred', edits: [edit(0, 0, 0, 5, 'let')] }] }),
      finding({ fixes: [{ title: 'A', edits: [edit(0, 10, 0, 11, '10')], isPreferred: true }] }),
      finding({ fixes: [{ title: 'B overlaps A', edits: [edit(0, 6, 0, 11, 'z = 3')], isPreferred: true }] }),
      finding({ fixes: [{ title: 'C', edits: [edit(1, 10, 1, 11, '20')], isPreferred: true }] }),
    ]);
    assert.deepEqual(fixes.map((f) => f.title), ['A', 'C']);
    const out = applyEdits(text, fixes.flatMap((f) => f.edits));
    assert.equal(out, 'const a = 10;\nconst b = 20;\n');
  });

  it('two insertions at the same point conflict; touching edits do not', () => {
    const fixes = selectFixes(text, [
      finding({ fixes: [{ title: 'ins1', edits: [edit(0, 0, 0, 0, '// a\n')], isPreferred: true }] }),
      finding({ fixes: [{ title: 'ins2', edits: [edit(0, 0, 0, 0, '// b\n')], isPreferred: true }] }),
      finding({ fixes: [{ title: 'touch', edits: [edit(0, 0, 0, 5, 'let')], isPreferred: true }] }),
    ]);
    assert.deepEqual(fixes.map((f) => f.title), ['ins1', 'touch']);
  });
});
