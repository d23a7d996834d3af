// Mocha reporter: the spec output, plus a JSON summary written to $KEYWAY_TEST_RESULTS.
// Used by every layer, including inside the VS Code extension host, so the driver can read counts and failures.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import type { TestResults } from './results';
import { readMetrics } from './metrics';


class KeywayReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const failed: TestResults['failed'] = [];
    const tests: NonNullable<TestResults['tests']> = [];
    runner.on('pass', (test: Mocha.Test) => { tests.push({ title: test.fullTitle(), state: 'passed', ms: test.duration }); });
    runner.on('pending', (test: Mocha.Test) => { tests.push({ title: test.fullTitle(), state: 'pending' }); });
    runner.on('fail', (test: Mocha.Test | Mocha.Hook, err: Error) => {
      tests.push({ title: test.fullTitle(), state: 'failed' });
      failed.push({ title: test.fullTitle(), error: String(err?.stack ?? err).split('\n').slice(0, 8).join('\n') });
    });
    runner.once('end', () => {
      const file = process.env.KEYWAY_TEST_RESULTS;
      if (!file) return;
      const stats = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
      const results: TestResults = { passes: stats.passes, failures: stats.failures, pending: stats.pending, failed, tests, metrics: readMetrics() };
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(results, null, 2));
    });
  }
}

module.exports = KeywayReporter;
