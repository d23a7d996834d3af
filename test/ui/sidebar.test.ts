import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { openKeyway, screenshot, workbench } from './workbench';

describe('Keyway in the workbench (Playwright)', () => {
  it('shows the Keyway container in the activity bar', async () => {
    const { page } = workbench();
    const item = page.locator('.activitybar a.action-label[aria-label^="Keyway"]');
    await item.waitFor({ timeout: 60_000 });
    assert.equal(await item.count(), 1);
  });

  it('opens both views, Parameter Store and Secrets Manager', async () => {
    const { page } = workbench();
    const sidebar = await openKeyway(page);
    const headers = sidebar.locator('.pane-header');
    await headers.filter({ hasText: 'Parameter Store' }).waitFor();
    await headers.filter({ hasText: 'Secrets Manager' }).waitFor();
    const titles = await headers.allInnerTexts();
    assert.ok(titles.some((t) => /Parameter Store/i.test(t)), `view headers: ${titles.join(' | ')}`);
    assert.ok(titles.some((t) => /Secrets Manager/i.test(t)), `view headers: ${titles.join(' | ')}`);
    const file = await screenshot('keyway-container');
    assert.ok(fs.statSync(file).size > 10_000, 'screenshot is suspiciously small');
  });
});
