// Root hooks for the UI layer: open the real workbench on the demo project once for all UI tests.
import * as path from 'node:path';
import { repoRoot } from '../support/paths';
import { openWorkbench, screenshot, workbench } from './workbench';

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    await openWorkbench(path.join(repoRoot, 'examples', 'sample-lambda'));
  },
  async afterEach(this: Mocha.Context) {
    if (this.currentTest?.state === 'failed') {
      await screenshot(`failed-${this.currentTest.title.replace(/[^\w]+/g, '-').slice(0, 60)}`).catch(() => undefined);
    }
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    await workbench().close();
  },
};
