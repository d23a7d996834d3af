#!/usr/bin/env node
// Renders media/keyway-icon.svg to media/keyway.png (128x128, transparent) with Debian's chromium.
// Run after editing the SVG: node scripts/make-icon.mjs
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
const svg = readFileSync(new URL('../media/keyway-icon.svg', import.meta.url), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.KEYWAY_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
await page.locator('svg').screenshot({ path: new URL('../media/keyway.png', import.meta.url).pathname, omitBackground: true });
await browser.close();
