import * as assert from 'node:assert/strict';
import { dismiss, expand, openKeyway, screenshot, workbench } from './workbench';

describe('explorer views in the workbench (Playwright)', function () {
  this.timeout(120_000);

  it('shows the seeded Parameter Store hierarchy and a revealed value', async () => {
    const { page } = workbench();
    await dismiss(page);
    const sidebar = await openKeyway(page);
    const params = sidebar.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: 'Parameter Store' }) });
    await expand(params.getByRole('treeitem', { name: /^my-frontend-app\b/ }).first());
    await expand(params.getByRole('treeitem', { name: /^production\b/ }).first());
    const key = params.getByRole('treeitem', { name: /third-party-api-key/ });
    await key.waitFor();
    const logLevel = params.getByRole('treeitem', { name: /log-level/ });
    await logLevel.click();
    await page.keyboard.press('Control+Alt+R');
    await params.getByText('= info').waitFor({ timeout: 15_000 });
    const file = await screenshot('explorer-parameters');
    assert.ok(file.endsWith('.png'));
    const text = await params.innerText();
    assert.match(text, /5 parameters/);
    assert.doesNotMatch(text, /sk_live/, 'a SecureString value is never shown unless revealed');
  });

  it('shows secrets with rotation and masked JSON keys', async () => {
    const { page } = workbench();
    await dismiss(page);
    const sidebar = await openKeyway(page);
    const secrets = sidebar.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: 'Secrets Manager' }) });
    await expand(secrets.getByRole('treeitem', { name: /^my-frontend-app\b/ }).first());
    await expand(secrets.getByRole('treeitem', { name: /^production\b/ }).first());
    await expand(secrets.getByRole('treeitem', { name: /database-credentials/ }));
    await secrets.getByRole('treeitem', { name: /password/ }).waitFor({ timeout: 15_000 });
    const text = await secrets.innerText();
    assert.match(text, /rotates every 30 days/);
    assert.match(text, /••••••••/);
    assert.doesNotMatch(text, /Kw-seed-db/, 'secret values stay masked');
    await screenshot('explorer-secrets');
  });
});
