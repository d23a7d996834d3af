import * as assert from 'node:assert/strict';
import { parseArgs } from '../../../src/cli/args';
import { KNOWN_RULE_IDS } from '../../../src/core/config';

const parse = (...a: string[]) => parseArgs(a, KNOWN_RULE_IDS);

describe('cli arguments', () => {
  it('scan with defaults', () => {
    assert.deepEqual(parse('scan'), { command: 'scan', paths: ['.'], format: 'text', fix: false, rules: [], minSeverity: 'warning' });
  });

  it('every option, both spellings', () => {
    const r = parse('scan', 'a', '--format=sarif', '--fix', '--rule', 'hardcoded-secret,uncached-fetch', '--rule=secret-in-env',
      '--min-severity', 'error', '--min-confidence=high', '--max-file-size', '2m', '-c', 'rc.json', '-o', 'out.sarif', 'b');
    assert.deepEqual(r, {
      command: 'scan', paths: ['a', 'b'], format: 'sarif', fix: true, rules: ['hardcoded-secret', 'uncached-fetch', 'secret-in-env'],
      minSeverity: 'error', minConfidence: 'high', maxFileSize: 2 * 1024 * 1024, config: 'rc.json', output: 'out.sarif',
    });
  });

  it('-- ends options', () => {
    const r = parse('scan', '--', '--fix');
    assert.equal(r.command, 'scan');
    assert.deepEqual(r.command === 'scan' && r.paths, ['--fix']);
  });

  it('help and version', () => {
    assert.equal(parse('--help').command, 'help');
    assert.equal(parse('-h').command, 'help');
    assert.equal(parse('scan', '--help').command, 'help');
    assert.equal(parse('--version').command, 'version');
    assert.equal(parse('-v').command, 'version');
  });

  for (const [argv, re] of [
    [[], /missing command/],
    [['lint'], /unknown command "lint"/],
    [['--bogus'], /unknown option "--bogus"/],
    [['scan', '--bogus'], /unknown option "--bogus"/],
    [['scan', '--format', 'xml'], /invalid --format "xml"/],
    [['scan', '--format'], /needs a value/],
    [['scan', '--min-severity', 'fatal'], /invalid --min-severity "fatal"/],
    [['scan', '--min-confidence', 'low'], /invalid --min-confidence "low"/],
    [['scan', '--rule', 'nope'], /unknown rule "nope"/],
    [['scan', '--rule', ','], /needs a rule id/],
    [['scan', '--max-file-size', '-1'], /invalid --max-file-size/],
    [['scan', '--max-file-size', 'big'], /invalid --max-file-size/],
    [['scan', '--max-file-size', '0'], /invalid --max-file-size/],
    [['scan', '--fix=yes'], /takes no value/],
    [['scan', '--config='], /needs a file/],
  ] as [string[], RegExp][]) {
    it(`usage error: ${argv.join(' ') || '(nothing)'}`, () => {
      const r = parse(...argv);
      assert.equal(r.command, 'error');
      assert.match(r.command === 'error' ? r.message : '', re);
    });
  }
});
