// Editing the production SecureString `third-party-api-key` in the real workbench, typed by Playwright,
// with auto save on (afterDelay, 1 s — code-server's default): nothing is written until the user
// publishes and confirms; the draft never reaches the VS Code user-data folder, not even across a window
// reload; reloading with unpublished changes asks first.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Dialog, FrameLocator, Page } from 'playwright-core';
import { SSMClient, GetParameterCommand, GetParameterHistoryCommand } from '@aws-sdk/client-ssm';
import { scanForSecrets } from '../support/hygiene';
import { dismiss, expand, openKeyway, runCommand, screenshot, workbench } from './workbench';

const NAME = '/my-frontend-app/production/third-party-api-key';
const ssm = () => new SSMClient({ endpoint: process.env.KEYWAY_TEST_ENDPOINT, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
const history = async () => (await ssm().send(new GetParameterHistoryCommand({ Name: NAME, WithDecryption: true }))).Parameters ?? [];

/** The value editor's page: the webview's inner frame in the active editor. */
function valuePage(page: Page): FrameLocator {
  return page.locator('iframe.webview.ready').last().contentFrame().locator('#active-frame').contentFrame();
}

async function openValueEditor(page: Page): Promise<FrameLocator> {
  await dismiss(page);
  const sidebar = await openKeyway(page);
  const params = sidebar.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: 'Parameter Store' }) });
  await expand(params.getByRole('treeitem', { name: /^my-frontend-app\b/ }).first());
  await expand(params.getByRole('treeitem', { name: /^production\b/ }).first());
  await params.getByRole('treeitem', { name: /third-party-api-key/ }).click();
  await page.keyboard.press('Control+Alt+E'); // Keyway: Edit Value on the focused item
  await page.locator('.tab.active', { hasText: 'third-party-api-key' }).waitFor({ timeout: 30_000 });
  const view = valuePage(page);
  await view.locator('#value:enabled').waitFor({ timeout: 30_000 });
  return view;
}

/** Every file of the VS Code user-data folder and the browser profile: none may hold the draft or the value. */
function assertNoTrace(needles: string[]): void {
  const { server, browserProfile } = workbench();
  for (const dir of [server.userDataDir, browserProfile]) {
    const report = scanForSecrets(dir, needles);
    assert.ok(report.filesScanned > 0, `scanned ${dir}`);
    assert.deepEqual(report.hits.map((h) => `${path.relative(dir, h.file)} (${needles[h.secretIndex].slice(0, 12)}…)`), [], `nothing under ${dir}`);
  }
}

describe('value editor in the workbench: auto save on, reload, deliberate publish (Playwright)', function () {
  this.timeout(180_000);

  it('typing never writes; a reload asks first and leaves no trace on disk; Ctrl+S + confirmation writes exactly one version', async () => {
    const { page } = workbench();
    const original = (await ssm().send(new GetParameterCommand({ Name: NAME, WithDecryption: true }))).Parameter!;
    const versionsBefore = (await history()).length;
    const draft = `-draft-${Date.now().toString(36)}Qx7`;

    const view = await openValueEditor(page);
    assert.equal(await view.locator('#value').inputValue(), original.Value);
    await view.locator('#value').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(draft, { delay: 40 });
    await page.locator('.tab.active.dirty', { hasText: 'third-party-api-key' }).waitFor();
    await page.waitForTimeout(4_000); // four times the auto-save delay, and past both backup delays

    assert.equal((await history()).length, versionsBefore, 'auto save wrote nothing');
    assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no save was even attempted (it would have asked)');
    assertNoTrace([`${original.Value}${draft}`, draft, original.Value!]);

    // Reload with unpublished changes: the browser asks (VS Code vetoes the unload: no backup exists).
    const dialogs: string[] = [];
    let answer: 'dismiss' | 'accept' = 'dismiss';
    const onDialog = (d: Dialog) => { dialogs.push(d.type()); void (answer === 'accept' ? d.accept() : d.dismiss()); };
    page.on('dialog', onDialog);
    try {
      await runCommand(page, 'Developer: Reload Window');
      await page.waitForTimeout(1_500);
      assert.deepEqual(dialogs, ['beforeunload'], 'the reload asked first');
      assert.equal(await valuePage(page).locator('#value').inputValue(), `${original.Value}${draft}`, 'staying keeps the draft');

      answer = 'accept';
      await runCommand(page, 'Developer: Reload Window');
      await page.waitForEvent('load', { timeout: 30_000 });
    } finally {
      page.off('dialog', onDialog);
    }
    assert.deepEqual(dialogs, ['beforeunload', 'beforeunload']);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.tab', { hasText: 'third-party-api-key' }).first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(2_000);
    assertNoTrace([`${original.Value}${draft}`, draft, original.Value!]);
    assert.equal((await history()).length, versionsBefore, 'the reload wrote nothing');

    // The restored tab reads nothing until asked; Edit Value again, type, then publish deliberately.
    const again = await openValueEditor(page);
    await again.locator('#value').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('-v2', { delay: 40 });
    await page.waitForTimeout(2_500);
    assert.equal((await history()).length, versionsBefore);
    await again.locator('#mask').click(); // masked on screen (and in the README screenshot)
    await page.keyboard.press('Control+S');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const text = await dialog.innerText();
    assert.match(text, /Publish a new version of \/my-frontend-app\/production\/third-party-api-key\?/);
    assert.match(text, /Account: \d{12}/);
    assert.match(text, /Region: us-east-1/);
    assert.match(text, /Type: Parameter Store SecureString/);
    assert.match(text, new RegExp(`Creates: version ${versionsBefore + 1}`));
    assert.match(text, /looks like production/);
    assert.doesNotMatch(text, new RegExp(original.Value!.slice(0, 8)), 'the confirmation shows no value');
    await screenshot('publish-confirmation');
    await dialog.getByRole('button', { name: `Publish v${versionsBefore + 1}` }).click();
    await page.locator('.tab.active:not(.dirty)', { hasText: 'third-party-api-key' }).waitFor({ timeout: 30_000 });
    const after = await history();
    assert.equal(after.length, versionsBefore + 1, 'exactly one version was written');
    assert.equal(after[after.length - 1].Value, `${original.Value}-v2`);
    await dismiss(page);
    await runCommand(page, 'View: Close All Editors');
  });
});
