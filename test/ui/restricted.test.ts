// Restricted Mode in the real workbench: a code-server with workspace trust on opens a copy of the sample
// project, untrusted, whose .vscode/settings.json tries to choose the AWS profile, region and endpoint and to
// turn diagnostics off, and whose .keywayrc.json configures rules. Every AWS call goes through a counting proxy
// in front of moto, so "no call" is measured, not assumed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../support/paths';
import { stageExtension, startCodeServer, workbenchUrl, type CodeServer } from '../support/codeServer';
import { launchBrowser } from '../support/browser';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { screenshotsDir } from './workbench';

/** The hover at a 1-based line and column, once it shows `expect` (or whatever it shows after 5 s). */
async function hoverAt(page: Page, line: number, column: number, expect: RegExp): Promise<string> {
  for (let i = 0; i < 3; i++) await page.keyboard.press('Escape');
  await page.keyboard.press('Control+G');
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = page.locator('.monaco-hover');
  await hover.filter({ hasText: expect }).first().waitFor({ timeout: 5_000 }).catch(() => undefined);
  return (await hover.first().isVisible()) ? hover.first().innerText() : '';
}

describe('Restricted Mode: an untrusted folder in the workbench (Playwright)', function () {
  this.timeout(180_000);
  let proxy: FaultProxy;
  let server: CodeServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let folder: string;

  before(async () => {
    proxy = await startFaultProxy(process.env.KEYWAY_TEST_ENDPOINT!);
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-untrusted-'));
    fs.cpSync(path.join(repoRoot, 'examples', 'sample-lambda'), folder, { recursive: true });
    fs.mkdirSync(path.join(folder, '.vscode'));
    // What a hostile repository would commit: its own account, region and endpoint, and no diagnostics.
    fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify({
      'keyway.profile': 'repo-chosen-profile', 'keyway.region': 'eu-west-3', 'keyway.endpointUrl': 'http://127.0.0.1:9',
      'keyway.diagnostics.enabled': false, 'keyway.hover.maskAllValues': false, 'keyway.revealTimeoutSeconds': 3600,
    }, null, 2));
    // Rule configuration from the repository still applies.
    fs.writeFileSync(path.join(folder, '.keywayrc.json'), JSON.stringify({ rules: { 'hardcoded-secret': 'off', 'uncached-fetch': 'error' } }));
    server = await startCodeServer({
      installExtensions: [stageExtension()],
      workspaceTrust: true,
      settings: { 'keyway.endpointUrl': proxy.endpoint, 'keyway.region': 'us-east-1', 'workbench.colorTheme': 'Default Dark Modern' },
    });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.goto(workbenchUrl(server, folder));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (server) fs.rmSync(server.stateDir, { recursive: true, force: true });
    await proxy?.close();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('analyzes and configures rules from the repository, ignores its AWS settings, and calls AWS only after Connect in the sidebar', async () => {
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 60_000 });

    // Diagnostics run (the folder's `keyway.diagnostics.enabled: false` is ignored) with the folder's .keywayrc.json.
    await page.keyboard.press('Control+P');
    await page.keyboard.type('orders.ts');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'orders.ts' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'orders.ts' }).waitFor();
    await page.locator('.squiggly-error').first().waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel');
    const row = problems.locator('.monaco-list-row', { hasText: 'uncached-fetch' }).first();
    await row.waitFor({ timeout: 30_000 });
    assert.ok(await row.locator('[class*="codicon-error"]').count() > 0, '.keywayrc.json made uncached-fetch (a warning by default) an error');
    const problemsText = await problems.innerText();
    assert.doesNotMatch(problemsText, /hardcoded-secret/, '.keywayrc.json turned hardcoded-secret off');

    // Hovers do not connect.
    let hover = '';
    for (let i = 0; i < 5 && !/Restricted Mode/.test(hover); i++) hover = await hoverAt(page, 14, 75, /Restricted Mode/);
    assert.match(hover, /Restricted Mode: not connected to AWS/);

    // The status bar names the user's region, not the folder's.
    const status = page.locator('.statusbar-item', { hasText: /· us-east-1/ });
    await status.first().waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('.statusbar-item', { hasText: 'eu-west-3' }).count(), 0, 'the folder cannot choose the region');

    // The Keyway views wait for the user.
    await page.locator('.activitybar a.action-label[aria-label^="Keyway"]').click();
    const sidebar = page.locator('#workbench\\.parts\\.sidebar');
    const connect = sidebar.getByRole('button', { name: 'Connect to AWS' }).first();
    await connect.waitFor({ timeout: 30_000 });
    assert.match(await sidebar.innerText(), /Restricted Mode/);
    await page.waitForTimeout(1_000);
    await page.screenshot({ path: path.join(screenshotsDir, 'restricted-mode.png') });
    assert.equal(proxy.stats.requests, 0, `no AWS call before Connect (${JSON.stringify(proxy.stats.byTarget)})`);

    // Connect: the listing comes from the user's endpoint and region (the folder's endpoint would refuse connections).
    await connect.click();
    const params = sidebar.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: 'Parameter Store' }) });
    await params.getByRole('treeitem', { name: /^my-frontend-app\b/ }).first().waitFor({ timeout: 60_000 });
    assert.ok(proxy.stats.requests > 0, 'Connect called AWS through the user endpoint');

    // Connected, hovers show metadata but read no value, and offer nothing that would.
    await page.locator('.tab', { hasText: 'orders.ts' }).click();
    hover = '';
    for (let i = 0; i < 8 && !/Parameter Store String/.test(hover); i++) hover = await hoverAt(page, 14, 75, /Parameter Store String/);
    assert.match(hover, /Parameter Store String/);
    assert.match(hover, /Restricted Mode: hovers read no values/);
    assert.doesNotMatch(hover, /Copy Value|my-frontend-app-data-production/);
  });
});
