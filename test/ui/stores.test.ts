// Compare, audit, verify and find references in the real workbench on the demo project, with the demo's findings
// seeded (drift between staging and production, audit findings). Screenshots for the README.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { seededSecretStrings } from '../support/hygiene';
import { seedFindings, unseedFindings } from '../support/seed';
import { dismiss, expand, openKeyway, runCommand, screenshot, workbench } from './workbench';

const endpoint = () => process.env.KEYWAY_TEST_ENDPOINT!;

async function pick(page: Page, text: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible' });
  await page.keyboard.type(text);
  await widget.locator('.monaco-list-row', { hasText: text }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** The explorer listed again after a reconnect: the app folder shows `count` parameters, and the tree is still. */
async function settled(page: Page, count: number): Promise<void> {
  const sidebar = await openKeyway(page);
  const params = sidebar.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: 'Parameter Store' }) });
  await params.getByRole('treeitem', { name: new RegExp(`^my-frontend-app\\b.*\\b${count} parameters`) }).first().waitFor({ timeout: 60_000 });
  await page.waitForTimeout(500);
}

/** Right-click, then the menu entry (once the menu has finished opening: it ignores an early click). */
async function contextMenu(page: Page, item: import('playwright-core').Locator, entry: string): Promise<void> {
  await item.click({ button: 'right' });
  const menuItem = page.locator('.context-view .action-label', { hasText: entry });
  await menuItem.waitFor();
  await page.waitForTimeout(300);
  await menuItem.click();
}

/** A screenshot with the panel maximized (the Compare and Audit views live there), then the layout as it was. */
async function panelScreenshot(page: Page, name: string): Promise<void> {
  await runCommand(page, 'View: Toggle Maximized Panel');
  await page.waitForTimeout(600);
  await screenshot(name);
  await runCommand(page, 'View: Toggle Maximized Panel');
}

function assertNoSecret(text: string): void {
  for (const s of seededSecretStrings()) assert.ok(!text.includes(s), 'no secret value on screen');
}

describe('compare, audit, verify and find references in the workbench (Playwright)', function () {
  this.timeout(180_000);
  before(async function () {
    this.timeout(120_000);
    await seedFindings(endpoint());
    const { page } = workbench();
    await openKeyway(page);
    // A fresh window may not list every command at once: ask again once.
    await runCommand(page, 'Keyway: Reconnect to AWS').catch(() => runCommand(page, 'Keyway: Reconnect to AWS'));
    await settled(page, 17);
  });
  after(async function () {
    this.timeout(120_000);
    await unseedFindings(endpoint());
    const { page } = workbench();
    await runCommand(page, 'Keyway: Reconnect to AWS').catch(() => undefined);
    // Leave the explorer listed and still for the suites that follow.
    await settled(page, 10).catch(() => undefined);
  });

  it('Compare with… on a folder shows the drift in the Compare view', async () => {
    const { page } = workbench();
    await dismiss(page);
    const sidebar = await openKeyway(page);
    const params = sidebar.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: 'Parameter Store' }) });
    await expand(params.getByRole('treeitem', { name: /^my-frontend-app\b/ }).first());
    const staging = params.getByRole('treeitem', { name: /^staging\b.*\b8 parameters/ }).first();
    await staging.waitFor({ timeout: 60_000 });
    await contextMenu(page, staging, 'Compare with…');
    await pick(page, '/my-frontend-app/production');
    const view = page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: 'Compare' }) });
    await view.getByRole('treeitem', { name: /^\/debug-toolbar/ }).waitFor({ timeout: 60_000 });
    await view.getByRole('treeitem', { name: /^\/allowed-origins/ }).waitFor();
    const text = await view.innerText();
    assert.match(text, /Parameter Store: staging ↔ production/);
    assert.match(text, /Only in staging/);
    assert.match(text, /type String → StringList/);
    assertNoSecret(text);
    await panelScreenshot(page, 'compare-view');
  });

  it('opens a JSON secret side by side, masked', async () => {
    const { page } = workbench();
    await runCommand(page, 'Keyway: Compare Paths…');
    await pick(page, 'Secrets Manager');
    await pick(page, '/my-frontend-app/staging');
    await pick(page, '/my-frontend-app/production');
    const view = page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: 'Compare' }) });
    const row = view.getByRole('treeitem', { name: /^\/database-credentials/ });
    await row.waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    await contextMenu(page, row, 'Open Side by Side');
    await page.locator('.tab.active', { hasText: '/database-credentials: staging ↔ production (masked)' }).waitFor({ timeout: 30_000 });
    const diff = page.locator('.monaco-diff-editor').filter({ hasText: 'password' }).first();
    await diff.waitFor({ timeout: 30_000 });
    const text = await diff.innerText();
    assert.match(text, /\(same\)/);
    assert.doesNotMatch(await page.locator('.notifications-toasts').innerText().catch(() => ''), /command not found/i);
    assertNoSecret(text);
    await page.waitForTimeout(500);
    await screenshot('compare-side-by-side');
    await page.keyboard.press('Control+K');
    await page.keyboard.press('W');
  });

  it('Keyway: Audit Account shows each finding with its monthly cost and the total', async () => {
    const { page } = workbench();
    await runCommand(page, 'Keyway: Audit Account');
    const view = page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: 'Audit' }) });
    await view.getByRole('treeitem', { name: /^Saves \$/ }).waitFor({ timeout: 90_000 });
    await view.getByRole('treeitem', { name: /stripe-webhook-secret/ }).waitFor();
    const text = await view.innerText();
    assert.match(text, /Secrets without rotation that a SecureString would hold/);
    assert.match(text, /\$0\.40 → \$0\.00\/month/);
    assertNoSecret(text);
    await dismiss(page);
    await panelScreenshot(page, 'audit-view');
  });

  it('Verify Against Stage… puts the failures in the Problems panel', async () => {
    const { page } = workbench();
    await runCommand(page, 'Keyway: Verify Against Stage…');
    await pick(page, 'production');
    await page.locator('.notifications-toasts', { hasText: /Keyway: \d+ problems? against production/ }).waitFor({ timeout: 90_000 });
    await dismiss(page);
    await page.keyboard.press('Control+Shift+M');
    const panel = page.locator('.markers-panel');
    await panel.waitFor();
    // Other suites' findings fill the panel: show only Verify's.
    await page.keyboard.press('Control+F');
    await page.keyboard.type('Keyway verify');
    await panel.locator('.monaco-list-row', { hasText: /Keyway verify \(production\)/ }).first().waitFor({ timeout: 30_000 });
    assert.match(await panel.innerText(), /does not exist in stage production|read without WithDecryption/);
    await screenshot('verify-problems');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
  });

  it('Find References lists the code that reads a parameter', async () => {
    const { page } = workbench();
    await dismiss(page);
    const sidebar = await openKeyway(page);
    const params = sidebar.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: 'Parameter Store' }) });
    await expand(params.getByRole('treeitem', { name: /^my-frontend-app\b/ }).first());
    await expand(params.getByRole('treeitem', { name: /^production\b/ }).first());
    const item = params.getByRole('treeitem', { name: /third-party-api-key/ }).first();
    await contextMenu(page, item, 'Find References');
    const peek = page.locator('.peekview-widget');
    await peek.waitFor({ timeout: 30_000 }).catch(async (e) => {
      throw new Error(`${(e as Error).message}\nnotifications: ${await page.locator('.notifications-toasts').innerText().catch(() => '')}`);
    });
    assert.match(await peek.innerText(), /config\.ts|users\.ts/);
    await page.waitForTimeout(500);
    await screenshot('find-references');
    await dismiss(page);
  });
});
