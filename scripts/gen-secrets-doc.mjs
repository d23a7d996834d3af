#!/usr/bin/env node
// Renders the provider catalog (src/core/secrets/catalog.ts) into docs/rules/hardcoded-secret.md between the
// `<!-- catalog:start -->` and `<!-- catalog:end -->` markers. `npm run docs:secrets` (builds first); a unit test fails
// when the doc is not current.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const core = createRequire(import.meta.url)(join(root, 'dist', 'core.js'));
const file = join(root, 'docs', 'rules', 'hardcoded-secret.md');
const doc = readFileSync(file, 'utf8');
const re = /(<!-- catalog:start -->\n)[\s\S]*?(<!-- catalog:end -->)/;
if (!re.test(doc)) { console.error(`${file}: catalog markers not found`); process.exit(1); }
const next = doc.replace(re, (_, a, b) => a + core.secrets.catalogMarkdown() + b);
if (next !== doc) { writeFileSync(file, next); console.log('docs/rules/hardcoded-secret.md: catalog updated'); } else console.log('docs/rules/hardcoded-secret.md: catalog already current');
