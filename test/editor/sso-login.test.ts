// Keyway: Run aws sso login, in the real extension host: a fake `aws` on PATH records the arguments it got.
// A profile name full of shell syntax arrives as one argument and runs nothing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from './helpers';

const login = (profile: string) => vscode.commands.executeCommand<vscode.Terminal | undefined>('keyway.ssoLogin', { profile });

describe('aws sso login: spawned without a shell (real extension host)', function () {
  this.timeout(30_000);
  const saved = { PATH: process.env.PATH, AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE, OUT: process.env.KEYWAY_FAKE_AWS_OUT };
  let dir: string;

  before(function () {
    if (process.platform === 'win32') this.skip(); // the fake CLI is a shell script; Windows resolution is unit-tested
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyway-sso-'));
    fs.writeFileSync(path.join(dir, 'aws'), '#!/bin/sh\nprintf \'%s\\n\' "$@" > "$KEYWAY_FAKE_AWS_OUT"\necho "Attempting to open your default browser."\n', { mode: 0o755 });
    process.env.PATH = `${dir}${path.delimiter}${saved.PATH ?? ''}`;
    process.env.KEYWAY_FAKE_AWS_OUT = path.join(dir, 'argv.txt');
  });
  after(() => {
    for (const [k, v] of Object.entries({ PATH: saved.PATH, AWS_CONFIG_FILE: saved.AWS_CONFIG_FILE, KEYWAY_FAKE_AWS_OUT: saved.OUT })) {
      if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('passes the profile as one argument, characters a shell or cmd.exe would expand included', async () => {
    // The SDK's config parser (which lists the profiles) allows [\w-@+.%:/] in names: %PATH% would expand in cmd.exe.
    const profile = 'team-a+b%PATH%@corp.example:dev/x';
    fs.writeFileSync(path.join(dir, 'config'), `[default]\nregion = us-east-1\n\n[profile ${profile}]\nsso_session = corp\nregion = us-east-1\n`);
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    const term = await login(profile);
    assert.ok(term, 'the login ran');
    const argv = await waitFor('the fake aws to run', () => (fs.existsSync(process.env.KEYWAY_FAKE_AWS_OUT!) ? fs.readFileSync(process.env.KEYWAY_FAKE_AWS_OUT!, 'utf8') : undefined));
    assert.deepEqual(argv.trimEnd().split('\n'), ['sso', 'login', '--profile', profile]);
    term.dispose();
  });

  it('refuses a name the AWS config files do not define (a workspace setting with shell syntax), before running anything', async () => {
    fs.rmSync(process.env.KEYWAY_FAKE_AWS_OUT!, { force: true });
    const pwned = path.join(dir, 'pwned');
    assert.equal(await login(`dev; touch ${pwned} & echo $(touch ${pwned})`), undefined);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(fs.existsSync(process.env.KEYWAY_FAKE_AWS_OUT!), false, 'aws did not run');
    assert.equal(fs.existsSync(pwned), false, 'nothing ran');
    await vscode.commands.executeCommand('notifications.clearAll');
  });
});
