// Entry point for the extension-host test run (extensionTestsPath). Runs every test/editor/**/*.test.js
// inside the real VS Code extension host, with the real `vscode` API.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

function findTests(dir: string, out: string[] = []): string[] {
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 60_000,
    reporter: path.join(__dirname, '..', 'support', 'reporter.js'),
    grep: process.env.KEYWAY_TEST_GREP || undefined,
  });
  for (const f of findTests(__dirname)) mocha.addFile(f);
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} editor test(s) failed`)) : resolve()));
    } catch (e) {
      reject(e);
    }
  });
}
