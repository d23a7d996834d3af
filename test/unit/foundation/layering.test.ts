import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import { repoRoot } from '../../support/paths';

describe('layering', () => {
  const eslint = new ESLint({ cwd: repoRoot });

  for (const layer of ['core', 'aws', 'cli']) {
    it(`the lint fails when src/${layer} imports vscode`, async () => {
      const [res] = await eslint.lintText("import * as vscode from 'vscode';\nexport const x = vscode;\n", { filePath: path.join(repoRoot, 'src', layer, 'probe.ts') });
      assert.ok(res.messages.some((m) => m.ruleId === 'no-restricted-imports'), JSON.stringify(res.messages));
    });
  }

  it('src/extension may import vscode', async () => {
    const [res] = await eslint.lintText("import * as vscode from 'vscode';\nexport const x = vscode;\n", { filePath: path.join(repoRoot, 'src', 'extension', 'probe.ts') });
    assert.ok(!res.messages.some((m) => m.ruleId === 'no-restricted-imports'));
  });

  it('no file in core, aws or cli imports vscode today', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const n of fs.readdirSync(dir)) {
        const p = path.join(dir, n);
        if (fs.statSync(p).isDirectory()) walk(p);
        else if (/\.ts$/.test(n) && /from ['"]vscode['"]|require\(['"]vscode['"]\)/.test(fs.readFileSync(p, 'utf8'))) offenders.push(p);
      }
    };
    for (const layer of ['core', 'aws', 'cli']) walk(path.join(repoRoot, 'src', layer));
    assert.deepEqual(offenders, []);
  });

  it('the extension bundle stays thin: no ts-morph, TypeScript or AWS SDK inside dist/extension.js', () => {
    const bundle = path.join(repoRoot, 'dist', 'extension.js');
    assert.ok(fs.existsSync(bundle), 'run the build first');
    const text = fs.readFileSync(bundle, 'utf8');
    assert.ok(text.length < 500_000, `dist/extension.js is ${text.length} bytes`);
    assert.ok(!/createSourceFile|@aws-sdk\/client-ssm|SSMClient/.test(text), 'heavy code leaked into the extension bundle');
  });
});
