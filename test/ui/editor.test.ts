// Screenshots of the editor features and the manage flows on the demo project, in the real workbench.
import * as assert from 'node:assert/strict';
import { SSMClient, PutParameterCommand } from '@aws-sdk/client-ssm';
import { dismiss, expand, goTo, openFile, openKeyway, runCommand, screenshot, workbench } from './workbench';

describe('editor features and flows in the workbench (Playwright)', function () {
  this.timeout(120_000);

  it('hover card on a parameter name', async () => {
    const { page } = workbench();
    await openFile(page, 'config.ts');
    const hover = page.locator('.monaco-hover').filter({ hasText: 'Parameter Store String' });
    // lib/config.ts line 14: `ssm.send(new GetParameterCommand({ Name: '/my-frontend-app/production/table-name' })),` (no diagnostics there)
    for (let attempt = 0; attempt < 15; attempt++) {
      // The first hovers may only start the connection and the listing; ask again until the value is in.
      await goTo(page, 14, 60);
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      await hover.waitFor({ timeout: 2_000 }).catch(() => undefined);
      if ((await hover.isVisible()) && /my-frontend-app-data-production/.test(await hover.innerText())) break;
    }
    assert.match(await hover.innerText(), /my-frontend-app-data-production/);
    await page.waitForTimeout(600); // let the hover finish fading in
    await screenshot('hover-card');
    await dismiss(page);
  });

  it('hover on process.env.TABLE_NAME_PARAM resolves the name through serverless.yml', async () => {
    const { page } = workbench();
    await openFile(page, 'tables.ts');
    const hover = page.locator('.monaco-hover').filter({ hasText: 'resolves through the infrastructure' });
    // src/handlers/tables.ts line 11: `.send(new GetParameterCommand({ Name: process.env.TABLE_NAME_PARAM }))`
    for (let attempt = 0; attempt < 15; attempt++) {
      await goTo(page, 11, 62);
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      await hover.waitFor({ timeout: 2_000 }).catch(() => undefined);
      if ((await hover.isVisible()) && /my-frontend-app-data-production/.test(await hover.innerText())) break;
    }
    const text = await hover.innerText();
    assert.match(text, /\/my-frontend-app\/production\/table-name/);
    assert.match(text, /my-frontend-app-data-production/);
    await page.waitForTimeout(600);
    await screenshot('hover-iac-name');
    await dismiss(page);
  });

  it('quick-fix menu on an uncached call', async () => {
    const { page } = workbench();
    await openFile(page, 'orders.ts');
    await page.locator('.squiggly-warning').first().waitFor({ timeout: 30_000 });
    const row = page.locator('.action-widget .monaco-list-row', { hasText: 'Cache these' });
    for (let attempt = 0; attempt < 5 && !(await row.first().isVisible()); attempt++) {
      // Right after opening, the editor may ask before Keyway's analysis is in: ask again.
      await dismiss(page);
      await goTo(page, 14, 30);
      await page.keyboard.press('Control+.');
      await row.first().waitFor({ timeout: 5_000 }).catch(() => undefined);
    }
    assert.match(await page.locator('.action-widget').innerText(), /Suppress uncached-fetch for this line/);
    await screenshot('quick-fix-menu');
    await dismiss(page);
  });

  it('Problems panel after "Keyway: Scan Workspace" on examples/', async () => {
    const { page } = workbench();
    await runCommand(page, 'Keyway: Scan Workspace');
    await page.locator('.notifications-toasts', { hasText: /Keyway: scanned \d+ files/ }).waitFor({ timeout: 60_000 });
    await dismiss(page);
    await page.keyboard.press('Control+Shift+M');
    const panel = page.locator('.markers-panel');
    await panel.waitFor();
    await panel.locator('.monaco-list-row', { hasText: 'serverless.yml' }).first().waitFor({ timeout: 30_000 });
    const text = await panel.innerText();
    assert.match(text, /uncached-fetch|Keyway/);
    await screenshot('problems-panel');
  });

  it('the create flow at its decision step', async () => {
    const { page } = workbench();
    await runCommand(page, 'Keyway: New Value…');
    await page.locator('.quick-input-widget', { hasText: 'name' }).waitFor();
    await page.keyboard.type('/my-frontend-app/production/new-api-key');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: '(2/5): value' }).waitFor();
    await page.keyboard.type('kw-ui-demo-value-1234');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'is it sensitive?' }).waitFor();
    await screenshot('create-decision');
    await dismiss(page);
  });

  it('a diff of two parameter versions', async () => {
    const { page } = workbench();
    const ssm = new SSMClient({ endpoint: process.env.KEYWAY_TEST_ENDPOINT, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await ssm.send(new PutParameterCommand({ Name: '/my-frontend-app/production/feature-flags', Value: '{"darkMode":true,"betaCheckout":true,"newSearch":false}', Type: 'String', Overwrite: true }));
    ssm.destroy();
    await dismiss(page);
    const sidebar = await openKeyway(page);
    const params = sidebar.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: 'Parameter Store' }) });
    await expand(params.getByRole('treeitem', { name: /^my-frontend-app\b/ }).first());
    await expand(params.getByRole('treeitem', { name: /^production\b/ }).first());
    await params.getByRole('treeitem', { name: /feature-flags/ }).click();
    await page.keyboard.press('Control+Alt+H'); // Keyway: Show History… on the focused item
    await page.locator('.quick-input-widget', { hasText: 'History of /my-frontend-app/production/feature-flags' }).waitFor({ timeout: 30_000 });
    await page.keyboard.type('v1');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: '/my-frontend-app/production/feature-flags v1' }).waitFor();
    await page.keyboard.type('Diff with current');
    await page.keyboard.press('Enter');
    await page.locator('.monaco-diff-editor').waitFor({ timeout: 30_000 });
    await page.locator('.tab.active', { hasText: 'v1 ↔ v2' }).waitFor();
    await screenshot('version-diff');
  });
});
