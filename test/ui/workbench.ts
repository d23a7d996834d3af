// Shared state of the UI layer: one code-server with the built extension installed, one chromium page.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { artifactsDir } from '../support/paths';
import { stageExtension, startCodeServer, workbenchUrl, type CodeServer } from '../support/codeServer';
import { launchBrowser } from '../support/browser';

export const screenshotsDir = path.join(artifactsDir, 'screenshots');

interface Workbench { server: CodeServer; page: Page; close(): Promise<void> }
let current: Workbench | undefined;

export async function openWorkbench(folder: string): Promise<Workbench> {
  const endpoint = process.env.KEYWAY_TEST_ENDPOINT;
  if (!endpoint) throw new Error('KEYWAY_TEST_ENDPOINT is not set: run the UI layer through `npm test` (scripts/test.mjs), which starts moto.');
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const server = await startCodeServer({
    installExtensions: [stageExtension()],
    settings: { 'keyway.endpointUrl': endpoint, 'keyway.region': 'us-east-1', 'workbench.colorTheme': 'Default Dark Modern' },
  });
  const browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.goto(workbenchUrl(server, folder));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  current = {
    server,
    page,
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
  await page.locator('.activitybar a.action-label[aria-label^="Keyway"]').click();
  const sidebar = page.locator('#workbench\\.parts\\.sidebar');
  await sidebar.waitFor();
  return sidebar;
}
