// Shared state of the UI layer: one code-server with the built extension installed, one chromium page.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { artifactsDir } from '../support/paths';
import { stageExtension, startCodeServer, workbenchUrl, type CodeServer } from '../support/codeServer';
import { launchBrowser } from '../support/browser';

export const screenshotsDir = path.join(artifactsDir, 'screenshots');

interface Workbench { server: CodeServer; page: Page; browserProfile: string; close(): Promise<void> }
let current: Workbench | undefined;

export async function openWorkbench(folder: string): Promise<Workbench> {
  const endpoint = process.env.KEYWAY_TEST_ENDPOINT;
  if (!endpoint) throw new Error('KEYWAY_TEST_ENDPOINT is not set: run the UI layer through `npm test` (scripts/test.mjs), which starts moto.');
  fs.rmSync(screenshotsDir, { recursive: true, force: true });
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const server = await startCodeServer({
    installExtensions: [stageExtension()],
    // Auto save after a delay is code-server's default; set explicitly, since the value-editor test relies on it.
    settings: { 'keyway.endpointUrl': endpoint, 'keyway.region': 'us-east-1', 'workbench.colorTheme': 'Default Dark Modern', 'files.autoSave': 'afterDelay', 'files.autoSaveDelay': 1000 },
  });
  const browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.goto(workbenchUrl(server, folder));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  current = {
    server,
    page,
    browserProfile: browser.profileDir,
    async close() {
      await browser.close();
      await server.stop();
      fs.rmSync(server.stateDir, { recursive: true, force: true });
    },
  };
  return current;
}

export function workbench(): Workbench {
  if (!current) throw new Error('the workbench is not open (test/ui/hooks.ts opens it before all tests)');
  return current;
}

export async function screenshot(name: string): Promise<string> {
  const file = path.join(screenshotsDir, `${name}.png`);
  await workbench().page.screenshot({ path: file });
  return file;
}

/** Opens the Keyway container in the activity bar and returns the sidebar locator. */
export async function openKeyway(page: Page) {
  const sidebar = page.locator('#workbench\\.parts\\.sidebar');
  const title = sidebar.locator('.composite.title');
  const open = (await sidebar.isVisible()) && /keyway/i.test((await title.innerText().catch(() => '')) || '');
  // The activity-bar item toggles: click it only when the Keyway container is not already showing.
  if (!open) await page.locator('.activitybar a.action-label[aria-label^="Keyway"]').click();
  await sidebar.waitFor();
  return sidebar;
}

/** Expands a tree item unless it is already expanded (a click on an expanded folder collapses it). */
export async function expand(item: import('playwright-core').Locator): Promise<void> {
  await item.waitFor({ timeout: 60_000 });
  if ((await item.getAttribute('aria-expanded')) !== 'true') await item.click();
}

/** Closes whatever quick input, menu or widget is open. */
export async function dismiss(page: Page): Promise<void> {
  for (let i = 0; i < 3; i++) await page.keyboard.press('Escape');
}

/** Runs a command from the palette by its title (`Category: Title`). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await dismiss(page);
  await page.keyboard.press('Control+Shift+P');
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible' });
  await page.keyboard.type(title.replace(/…$/, ''));
  await widget.locator('.monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Moves the cursor to a 1-based line and column with "Go to Line". */
export async function goTo(page: Page, line: number, column: number): Promise<void> {
  await dismiss(page);
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget').waitFor({ state: 'visible' });
  await page.keyboard.type(`${line}:${column}`);
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.monaco-list-row', { hasText: `Go to line ${line}` }).first().waitFor();
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.keyboard.press('Enter');
    if (await widget.waitFor({ state: 'hidden', timeout: 2_000 }).then(() => true, () => false)) break;
  }
  await page.waitForTimeout(300); // let the editor settle the cursor before the next key
}

/** Opens a file with Quick Open. */
export async function openFile(page: Page, name: string): Promise<void> {
  await dismiss(page);
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget').waitFor({ state: 'visible' });
  await page.keyboard.type(name);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor();
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.keyboard.press('Enter');
    if (await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 3_000 }).then(() => true, () => false)) break;
  }
  await page.locator('.tab.active', { hasText: name }).waitFor();
}
