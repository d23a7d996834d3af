// Verify Against Stage… in the real VS Code: the names the workspace's code and IaC read, resolved for the stage,
// checked against moto, and shown as diagnostics on the references.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ScriptedPrompter } from '../../../src/extension/manage/prompter';
import type { VerifyRun } from '../../../src/extension/beyond/verify/verifyDiagnostics';
import { freshKeyway } from './support';
import { waitFor } from '../helpers';

const folder = () => vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'stage-check');
const write = (rel: string, text: string) => vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder(), rel), Buffer.from(text, 'utf8'));

const SERVERLESS = `service: stage-check
provider:
  name: aws
  runtime: nodejs20.x
  environment:
    STAGE: \${sls:stage}
    FLAGS_PARAM: /my-frontend-app/\${sls:stage}/feature-flags
  iam:
    role:
      statements:
        - Effect: Allow
          Action: [ssm:GetParameter]
          Resource: arn:aws:ssm:us-east-1:*:parameter/my-frontend-app/\${sls:stage}/*
functions:
  flags:
    handler: handler.main
`;

const HANDLER = `import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';

const ssm = new SSMClient({});
let cache: { flags: string; cdn: string } | undefined;

export const main = async () => {
  if (!cache) {
    const flags = await ssm.send(new GetParameterCommand({ Name: process.env.FLAGS_PARAM }));
    const cdn = await ssm.send(new GetParameterCommand({ Name: \`/my-frontend-app/\${process.env.STAGE}/cdn-url\` }));
    cache = { flags: flags.Parameter?.Value ?? '{}', cdn: cdn.Parameter?.Value ?? '' };
  }
  return cache;
};
`;

const verifyDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => String(d.source).startsWith('Keyway verify'));

describe('verify against a stage (real VS Code, moto)', function () {
  this.timeout(120_000);
  before(async () => {
    await write('serverless.yml', SERVERLESS);
    await write('handler.ts', HANDLER);
  });
  after(async () => {
    await vscode.commands.executeCommand('keyway.clearVerify');
    await vscode.workspace.fs.delete(folder(), { recursive: true });
  });

  it('offers the stages it knows and shows each failure as a diagnostic on the reference', async () => {
    const { beyond } = await freshKeyway();
    const p = new ScriptedPrompter({ stage: 'production' });
    beyond.prompter = p;
    const run = await vscode.commands.executeCommand<VerifyRun>('keyway.verifyStage');
    assert.ok(run, JSON.stringify(p.messages));
    const offered = p.asked[0].choices!;
    assert.ok(offered.some((c) => /^production — folders in the account/.test(c)) && offered.some((c) => /^staging/.test(c)), offered.join('\n'));
    const handler = vscode.Uri.joinPath(folder(), 'handler.ts');
    const diags = await waitFor('verify diagnostics', () => { const d = verifyDiagnostics(handler); return d.length ? d : undefined; });
    assert.deepEqual(diags.map((d) => [d.range.start.line, d.severity, typeof d.code === 'object' ? d.code.value : d.code, d.source]), [
      [8, vscode.DiagnosticSeverity.Error, 'missing', 'Keyway verify (production)'],
    ]);
    assert.match(diags[0].message, /Parameter \/my-frontend-app\/production\/cdn-url does not exist in stage production\./);
    // The workspace's own handler reads a SecureString without decryption.
    const orders = verifyDiagnostics(vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'src', 'orders.ts'));
    assert.ok(orders.some((d) => /third-party-api-key is a SecureString read without WithDecryption/.test(d.message)), orders.map((d) => d.message).join('\n'));
    assert.ok(run.errors >= 2 && run.checked >= 3);
  });

  it('re-runs for another stage and clears its diagnostics on request', async () => {
    const { beyond } = await freshKeyway();
    beyond.prompter = new ScriptedPrompter({});
    const run = await vscode.commands.executeCommand<VerifyRun>('keyway.verifyStage', { stage: 'staging' });
    assert.equal(run?.stage, 'staging');
    const handler = vscode.Uri.joinPath(folder(), 'handler.ts');
    assert.match(verifyDiagnostics(handler)[0].message, /staging\/cdn-url does not exist in stage staging/);
    await vscode.commands.executeCommand('keyway.clearVerify');
    assert.deepEqual(verifyDiagnostics(handler), []);
  });
});
