// Diagnostics, quick-fixes, hovers, completion and the workspace scan in the real VS Code, on the
// fixture workspace (test/fixtures/workspace, copied to a temp folder) against the seeded moto.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fixturesDir } from '../support/paths';
import { typeCheck } from '../support/typecheck';
import { keyway, waitFor } from './helpers';

const ws = () => vscode.workspace.workspaceFolders![0].uri;
const file = (rel: string) => vscode.Uri.joinPath(ws(), rel);
const golden = (name: string) => fs.readFileSync(path.join(fixturesDir, 'editor-golden', name), 'utf8');
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

async function open(rel: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(file(rel));
  await vscode.window.showTextDocument(doc);
  return doc;
}

async function diagnosticsOf(doc: vscode.TextDocument, expected: number): Promise<vscode.Diagnostic[]> {
  return waitFor(`${expected} Keyway diagnostics on ${path.basename(doc.fileName)}`, () => {
    const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.source === 'Keyway');
    return d.length === expected ? d : undefined;
  });
}

/**
 * Code actions at a range. A request made while the editor's own light-bulb request for a freshly opened
 * document is in flight can come back "Canceled"; VS Code simply asks again, and so does this helper.
 */
async function codeActions(doc: vscode.TextDocument, range: vscode.Range, kind: string): Promise<vscode.CodeAction[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      // Resolve every item: TypeScript quick fixes get their edit once they are type-checked (resolveCodeAction).
      return await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, range, kind, 100);
    } catch (e) {
      if (attempt >= 5 || !/Canceled/.test((e as Error).message)) throw e;
    }
  }
}

/** Equality with the first differing line in the message (full texts are too long to read in a report). */
function assertSameText(actual: string, expected: string, what: string): void {
  if (actual === expected) return;
  const a = actual.split('\n');
  const e = expected.split('\n');
  const i = a.findIndex((l, k) => l !== e[k]);
  assert.fail(`${what}: line ${i + 1} differs:\n  actual:   ${JSON.stringify(a[i])}\n  expected: ${JSON.stringify(e[i])}`);
}

/** Puts the fixture text back (from the pristine copy in the repository) and saves, so every test starts clean. */
async function revert(doc: vscode.TextDocument): Promise<void> {
  const rel = path.relative(ws().path, doc.uri.path);
  const original = fs.readFileSync(path.join(fixturesDir, 'workspace', rel), 'utf8');
  if (doc.getText() !== original) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
    await vscode.workspace.applyEdit(edit);
  }
  if (doc.isDirty) await doc.save();
  const { editor } = await keyway();
  await editor.diagnostics.analyze(doc);
}

describe('editor features (real VS Code)', function () {
  this.timeout(90_000);

  before(async () => { await keyway(); });

  it('shows the expected diagnostics, each linking to its rule doc', async () => {
    // A client built in the handler only for this read is part of that one finding (one fix caches the value and
    // hoists the client); a client built per invocation for other calls is client-in-handler on its own.
    const doc = await open('src/handler.ts');
    const d = [...await diagnosticsOf(doc, 1), ...await diagnosticsOf(await open('src/audit.ts'), 1)];
    assert.deepEqual(d.map((x) => [x.range.start.line, codeOf(x)]), [[4, 'uncached-fetch'], [4, 'client-in-handler']]);
    assert.match(d[0].message, /new SSMClient/);
    for (const x of d) {
      assert.ok(typeof x.code === 'object' && /docs\/rules\/[a-z-]+\.md$/.test(x.code.target.toString()), 'code links to the rule doc');
      assert.equal(x.severity, vscode.DiagnosticSeverity.Warning);
    }
    const yaml = await open('serverless.yml');
    const y = await diagnosticsOf(yaml, 3);
    assert.deepEqual(y.map((x) => codeOf(x)).sort(), ['hardcoded-secret', 'iam-wildcard-resource', 'secret-in-env']);
  });

  it('shows a secret written to the logs (secret-exposed), linked to its rule doc, without the value', async () => {
    const doc = await open('src/partner.ts');
    const d = await waitFor('a secret-exposed diagnostic', () => vscode.languages.getDiagnostics(doc.uri).find((x) => codeOf(x) === 'secret-exposed'));
    assert.equal(d.range.start.line, 10);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(typeof d.code === 'object' && /docs\/rules\/secret-exposed\.md$/.test(d.code.target.toString()), 'code links to the rule doc');
    assert.match(d.message, /"\/my-frontend-app\/production\/third-party-api-key".*written to the logs by console\.log/);
    assert.doesNotMatch(d.message, /sk_live_KeywaySeed/);
  });

  it('updates diagnostics as the user types, without saving', async () => {
    const doc = await open('src/handler.ts');
    await diagnosticsOf(doc, 1);
    const editor = vscode.window.activeTextEditor!;
    await editor.edit((e) => e.insert(new vscode.Position(4, 0), '  // keyway-ignore-next-line uncached-fetch\n'));
    await diagnosticsOf(doc, 0);
    await revert(doc);
    await diagnosticsOf(doc, 1);
  });

  // (executeCodeActionProvider does not return an action's diagnostics, so the fix is told by its title.)
  const quickFixes: [string, string, RegExp, string][] = [
    ['src/audit.ts', 'client-in-handler', /^Move the SSMClient client to module scope$/, 'audit.client-in-handler.ts'],
    ['src/handler.ts', 'uncached-fetch', /^Cache this fetch in a module-scope loader/, 'handler.uncached-fetch.ts'],
    ['src/orders.ts', 'uncached-fetch', /^Cache these 3 fetches in a module-scope loader/, 'orders.uncached-fetch.ts'],
    ['src/orders.ts', 'sequential-fetch', /in parallel with Promise\.all$/, 'orders.sequential-fetch.ts'],
    ['src/orders.ts', 'missing-decryption', /^Add WithDecryption: true$/, 'orders.missing-decryption.ts'],
    ['src/partner.ts', 'secret-exposed', /^Log a masked form instead/, 'partner.secret-exposed.ts'],
  ];
  for (const [rel, rule, title, goldenName] of quickFixes) {
    it(`the preferred quick-fix for ${rule} in ${rel} yields its golden file, which type-checks`, async () => {
      const doc = await open(rel);
      // Diagnostics are replaced when the index completes (name checks); ask again until the fix is offered. The first
      // request type-checks its TypeScript fixes against the project (resolveCodeAction), which loads the project once.
      let actions: vscode.CodeAction[] = [];
      const preferred = await waitFor(`a preferred "${title.source}" fix`, async () => {
        const d = vscode.languages.getDiagnostics(doc.uri).find((x) => codeOf(x) === rule);
        if (!d) return undefined;
        actions = await codeActions(doc, d.range, vscode.CodeActionKind.QuickFix.value);
        const p = actions.filter((a) => a.isPreferred && title.test(a.title));
        return p.length ? p : undefined;
      }, 60_000).catch((e: Error) => assert.fail(`${e.message}; got: ${actions.map((a) => `${a.title}${a.isPreferred ? '*' : ''}`).join(' | ')}`));
      assert.ok(actions.some((a) => /^Suppress /.test(a.title)), 'a suppression action is offered too');
      assert.ok(await vscode.workspace.applyEdit(preferred[0].edit!));
      try {
        assertSameText(doc.getText(), golden(goldenName), goldenName);
        assert.deepEqual(typeCheck(goldenName, doc.getText()), []);
      } finally {
        await revert(doc);
      }
    });
  }

  it('Ctrl+. at a cursor inside a finding offers its fix (empty range, diagnostics from the editor)', async () => {
    const doc = await open('src/handler.ts');
    await diagnosticsOf(doc, 1);
    const pos = new vscode.Position(4, 30);
    const actions = await codeActions(doc, new vscode.Range(pos, pos), vscode.CodeActionKind.QuickFix.value);
    assert.ok(actions.some((a) => /^Cache this fetch/.test(a.title)), actions.map((a) => a.title).join(' | ') || '(none)');
  });

  it('"Fix all" (source.fixAll.keyway) gives the same text as keyway scan --fix', async () => {
    const doc = await open('src/orders.ts');
    await waitFor('orders diagnostics', () => (vscode.languages.getDiagnostics(doc.uri).length ? true : undefined));
    // (Asked until it answers: the first request loads the analyzer and the type-checker.)
    const actions = await waitFor('the source.fixAll.keyway action', async () => {
      const list = await codeActions(doc, new vscode.Range(0, 0, 0, 0), 'source.fixAll.keyway');
      return list.length ? list : undefined;
    }, 60_000);
    assert.equal(actions.length, 1);
    assert.ok(await vscode.workspace.applyEdit(actions[0].edit!));
    try {
      assert.equal(doc.getText(), golden('orders.fix-all.ts'));
      assert.deepEqual(typeCheck('orders.fix-all.ts', doc.getText()), []);
    } finally {
      await revert(doc);
    }
  });

  it('the "Fix all Keyway problems in this file" command applies the same text; on a file whose fixes fail it changes nothing', async () => {
    const doc = await open('src/orders.ts');
    await waitFor('orders diagnostics', () => (vscode.languages.getDiagnostics(doc.uri).length ? true : undefined));
    await vscode.commands.executeCommand('keyway.fixAllInFile', doc.uri);
    try {
      assertSameText(doc.getText(), golden('orders.fix-all.ts'), 'src/orders.ts after the command');
    } finally {
      await revert(doc);
    }
    const legacy = await open('legacy/db.ts');
    const before = legacy.getText();
    await vscode.commands.executeCommand('keyway.fixAllInFile', legacy.uri);
    assert.equal(legacy.getText(), before, 'the type-check rejected the fixes: nothing applied');
    assert.equal(legacy.isDirty, false);
  });

  it('a quick fix that would add a type error is offered disabled with the reason, never applied, and Fix All leaves the file', async () => {
    const doc = await open('legacy/db.ts');
    const d = await waitFor('the uncached-fetch diagnostic', () => vscode.languages.getDiagnostics(doc.uri).find((x) => codeOf(x) === 'uncached-fetch'));
    // Asked for (Ctrl+., the light bulb): the fix is type-checked then, and comes back disabled with the reason.
    const provided = await (await keyway()).editor.codeActions.provideCodeActions(doc, d.range,
      { diagnostics: [d], only: vscode.CodeActionKind.QuickFix, triggerKind: vscode.CodeActionTriggerKind.Invoke });
    const loader = provided.find((a) => /module-scope loader/.test(a.title));
    assert.ok(loader, provided.map((a) => a.title).join(' | '));
    assert.equal(loader.edit, undefined, 'the type-check (ES2015 library: no Object.values) refused the edit');
    assert.match(loader.disabled?.reason ?? '(not disabled)', /^Keyway will not apply this fix: it would add a type error: TS2550 .*Object.*\.$/);
    // VS Code leaves a disabled quick fix out of the menu: it is not offered, so it cannot be applied.
    // (Asked again until the editor's markers are back: diagnostics are republished after the type-check.)
    const actions = await waitFor('the quick-fix menu', async () => {
      const list = await codeActions(doc, d.range, vscode.CodeActionKind.QuickFix.value);
      return list.some((a) => /^Suppress /.test(a.title)) ? list : undefined;
    });
    assert.ok(!actions.some((a) => /module-scope loader/.test(a.title)), actions.map((a) => a.title).join(' | '));
    assert.ok(actions.some((a) => /^Suppress /.test(a.title)), `the other actions are still offered: ${actions.map((a) => a.title).join(' | ') || '(none)'}`);
    const all = await codeActions(doc, new vscode.Range(0, 0, 0, 0), 'source.fixAll.keyway');
    assert.deepEqual(all.map((a) => a.title), [], 'Fix All has nothing it may apply');
    assert.equal(doc.isDirty, false);
  });

  it('"Suppress for this line" inserts the ignore comment and the diagnostic goes away', async () => {
    const doc = await open('src/handler.ts');
    const [d] = (await diagnosticsOf(doc, 1)).filter((x) => codeOf(x) === 'uncached-fetch');
    const actions = await codeActions(doc, d.range, vscode.CodeActionKind.QuickFix.value);
    const suppress = actions.find((a) => a.title === 'Suppress uncached-fetch for this line')!;
    assert.ok(await vscode.workspace.applyEdit(suppress.edit!));
    try {
      assert.equal(doc.lineAt(d.range.start.line).text, '  // keyway-ignore-next-line uncached-fetch');
      await diagnosticsOf(doc, 0);
    } finally {
      await revert(doc);
    }
  });

  describe('hover', () => {
    const hoverAt = async (doc: vscode.TextDocument, needle: string) => {
      const offset = doc.getText().indexOf(needle) + 5;
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, doc.positionAt(offset));
      return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
    };
    /** The hover's text without Markdown escapes. */
    const plain = (t: string) => t.replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1');

    it('shows a String parameter with its metadata and plain value', async () => {
      const doc = await open('src/lookup.ts');
      const text = await waitFor('a hover with the value', async () => {
        const t = await hoverAt(doc, '/my-frontend-app/production/table-name');
        return /my-frontend-app-data-production/.test(t) ? t : undefined;
      });
      assert.match(text, /Parameter Store String/);
      assert.match(text, /Version 1/);
      assert.match(text, /Reveal in Explorer/);
    });

    it('masks a SecureString and a secret, with a Reveal link, never the plain value', async () => {
      const doc = await open('src/lookup.ts');
      const key = await waitFor('the SecureString hover', async () => { const t = await hoverAt(doc, '/my-frontend-app/production/third-party-api-key'); return /SecureString/.test(t) ? t : undefined; });
      assert.match(key, /••••••••/);
      assert.match(key, /\[Reveal\]\(command:keyway\.revealByName/);
      assert.doesNotMatch(key, /sk_live_KeywaySeed/);
      const db = await hoverAt(doc, '/my-frontend-app/production/database-credentials');
      assert.match(db, /Secrets Manager/);
      assert.match(db, /rotates every 30 days/);
      assert.doesNotMatch(db, /Kw-seed-db/);
    });

    // Names built from the environment the function's serverless.yml gives it (issue 13 §1), resolved in core.
    it('resolves process.env.PARAM_NAME and a ${stage} template through serverless.yml: the name per stage, its metadata and value', async () => {
      const doc = await open('services/settings/src/settings.ts');
      const table = await waitFor('the resolved table-name hover with both stages\' values', async () => {
        const t = plain(await hoverAt(doc, 'process.env.TABLE_NAME_PARAM'));
        return /my-frontend-app-data-production/.test(t) && /my-frontend-app-data-staging/.test(t) ? t : undefined;
      }, 40_000);
      assert.match(table, /`process\.env\.TABLE_NAME_PARAM` resolves through the infrastructure/);
      assert.match(table, /`\/my-frontend-app\/\$\{sls:stage\}\/table-name` — function `settings` \(services\/settings\/serverless\.yml\)/);
      assert.match(table, /sls:stage = production/);
      assert.match(table, /sls:stage = staging/);
      assert.match(table, /Parameter Store String/);
      const endpoint = await waitFor('the template hover', async () => {
        const t = plain(await hoverAt(doc, '`/my-frontend-app/${stage}/api-endpoint`'));
        return /https:\/\/api\.example\.com\/production\/v1/.test(t) ? t : undefined;
      }, 20_000);
      assert.match(endpoint, /sls:stage = staging/);
    });

    it('a resolved SecureString is masked; a variable no IaC sets is named as the part not resolved', async () => {
      const doc = await open('services/settings/src/settings.ts');
      const key = await waitFor('the partner key hover', async () => { const t = plain(await hoverAt(doc, 'process.env.PARTNER_KEY_PARAM')); return /SecureString/.test(t) ? t : undefined; });
      assert.match(key, /\/my-frontend-app\/production\/third-party-api-key/);
      assert.match(key, /••••••••/);
      assert.doesNotMatch(key, /sk_live_KeywaySeed/);
      const flags = plain(await hoverAt(doc, 'process.env.FEATURE_FLAGS_PARAM'));
      assert.match(flags, /Not resolved: process\.env\.FEATURE_FLAGS_PARAM: not set by serverless\.yml for "settings"/);
      assert.doesNotMatch(flags, /Parameter Store/);
    });

    it('says a missing name is not found, with a Create link', async () => {
      const doc = await open('src/lookup.ts');
      const t = await waitFor('the listing to finish', async () => { const x = await hoverAt(doc, '/my-frontend-app/production/not-created-yet'); return /Not found in/.test(x) ? x : undefined; });
      assert.match(t, /Not found in default\/us\\?-east\\?-1/);
      assert.match(t, /command:keyway\.createValue/);
    });
  });

  it('warns about a name missing in the account, with a "Create parameter…" fix that prefills it', async () => {
    const doc = await open('src/lookup.ts');
    const missing = await waitFor('the missing-name warning', () => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => codeOf(x) === 'missing-name');
      return d.length ? d : undefined;
    }, 40_000);
    assert.equal(missing.length, 1, 'only the name that does not exist');
    assert.equal(doc.getText(missing[0].range), '/my-frontend-app/production/not-created-yet');
    assert.equal(missing[0].severity, vscode.DiagnosticSeverity.Warning);
    assert.match(missing[0].message, /not in Parameter Store in default\/us-east-1/);
    const actions = await codeActions(doc, missing[0].range, vscode.CodeActionKind.QuickFix.value);
    const create = actions.find((a) => a.title === 'Create parameter /my-frontend-app/production/not-created-yet…');
    assert.ok(create?.command, actions.map((a) => a.title).join(' | '));
    assert.equal(create.command.command, 'keyway.createValue');
    assert.deepEqual(create.command.arguments, [{ name: '/my-frontend-app/production/not-created-yet', kind: 'parameter' }]);
  });

  it('Go to Definition on a name opens its metadata (no value) and selects it in the explorer', async () => {
    const doc = await open('src/lookup.ts');
    const pos = doc.positionAt(doc.getText().indexOf('/my-frontend-app/production/third-party-api-key') + 5);
    const locations = await waitFor('a definition', async () => {
      const l = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeDefinitionProvider', doc.uri, pos);
      return l.length ? l : undefined;
    });
    assert.equal(locations[0].uri.scheme, 'keyway-item');
    const item = await vscode.workspace.openTextDocument(locations[0].uri);
    assert.match(item.getText(), /^name: \/my-frontend-app\/production\/third-party-api-key$/m);
    assert.match(item.getText(), /^type: SecureString$/m);
    assert.doesNotMatch(item.getText(), /sk_live/);
    const { explorer } = await keyway();
    await waitFor('the explorer selection', () => {
      const sel = explorer.views.views.parameters.selection[0];
      return sel && explorer.views.trees.parameters.getTreeItem(sel).label === 'third-party-api-key' ? true : undefined;
    });
  });

  it('completes parameter names one path level at a time', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content: "import { GetParameterCommand } from '@aws-sdk/client-ssm';\nnew GetParameterCommand({ Name: '/my-frontend-app/production/' });\n" });
    const pos = new vscode.Position(1, "new GetParameterCommand({ Name: '/my-frontend-app/production/".length);
    // The first request may start the connection and the listing; completion never waits on them.
    const labels = await waitFor('completions from the index', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos, '/');
      const l = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      return l.includes('table-name') ? l : undefined;
    });
    for (const name of ['api-endpoint', 'feature-flags', 'log-level', 'table-name', 'third-party-api-key']) assert.ok(labels.includes(name), `${name} in ${labels.join(', ')}`);
    const top = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(1, "new GetParameterCommand({ Name: '/".length), '/');
    assert.ok(top.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'my-frontend-app/'));
  });

  it('"Keyway: Scan workspace" fills the Problems panel for files that are not open', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const summary = await vscode.commands.executeCommand<{ files: number; findings: number; cancelled: boolean }>('keyway.scanWorkspace');
    assert.equal(summary.cancelled, false);
    assert.ok(summary.files >= 4, `scanned ${summary.files} files`);
    const orders = vscode.languages.getDiagnostics(file('src/orders.ts')).map(codeOf);
    const all = vscode.languages.getDiagnostics().map(([u, d]) => `${u.toString()}: ${d.filter((x) => x.source === 'Keyway').map(codeOf).join(',')}`);
    assert.ok(orders.includes('uncached-fetch'), `${orders.join()} | ${all.join(' ; ')}`);
    assert.ok(vscode.languages.getDiagnostics(file('src/partner.ts')).map(codeOf).includes('secret-exposed'), all.join(' ; '));
  });
});
