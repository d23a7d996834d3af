// `aws sso login` without a shell: executable resolution on POSIX and Windows (simulated), and the profile
// names that are refused. The end-to-end run (a fake `aws` on PATH) is in test/editor/sso-login.test.ts.
import * as assert from 'node:assert/strict';
import { findExecutable, profileNameProblem, ssoLoginCommand } from '../../../src/aws/ssoLogin';

const files = (...paths: string[]) => (p: string) => paths.includes(p);

describe('aws sso login: the command Keyway spawns (no shell)', () => {
  describe('finding the AWS CLI', () => {
    it('POSIX: the first absolute PATH entry that has it', () => {
      const env = { PATH: '/opt/a:/usr/local/bin:/usr/bin' };
      assert.equal(findExecutable('aws', env, 'linux', files('/usr/local/bin/aws', '/usr/bin/aws')), '/usr/local/bin/aws');
    });
    it('POSIX: never a relative or empty PATH entry (the current folder, a cloned repository)', () => {
      const env = { PATH: '.:node_modules/.bin::/usr/bin' };
      assert.equal(findExecutable('aws', env, 'linux', files('aws', './aws', 'node_modules/.bin/aws', '/usr/bin/aws')), '/usr/bin/aws');
      assert.equal(findExecutable('aws', { PATH: '.:bin' }, 'linux', files('./aws', 'bin/aws')), undefined);
    });
    it('Windows: PATHEXT order, Path spelled any way, quoted entries', () => {
      const env = { Path: '"C:\\Program Files\\Amazon\\AWSCLIV2";C:\\Windows', PATHEXT: '.COM;.EXE;.BAT;.CMD' };
      assert.equal(findExecutable('aws', env, 'win32', files('C:\\Program Files\\Amazon\\AWSCLIV2\\aws.exe')), 'C:\\Program Files\\Amazon\\AWSCLIV2\\aws.exe');
      assert.equal(findExecutable('aws', { Path: 'C:\\tools', PATHEXT: '.COM;.EXE;.BAT;.CMD' }, 'win32', files('C:\\tools\\aws.cmd', 'C:\\tools\\aws.exe')), 'C:\\tools\\aws.exe');
      assert.equal(findExecutable('aws', { Path: '.;C:\\x' }, 'win32', files('aws.exe', '.\\aws.exe')), undefined, 'the current folder is never searched');
    });
  });

  describe('profile names', () => {
    const known = ['default', 'dev', 'evil & calc', '$(touch pwned)', 'team"x'];
    it('accepts any name the config files define, shell characters included (they are one argument)', () => {
      for (const n of known) assert.equal(profileNameProblem(n, known), undefined, n);
    });
    it('refuses unknown names, control characters, a leading "-" and empty names', () => {
      assert.match(profileNameProblem('prod', known)!, /No profile named "prod"/);
      assert.match(profileNameProblem('dev\r\nwhoami', [...known, 'dev\r\nwhoami'])!, /control characters/);
      assert.match(profileNameProblem('--debug', [...known, '--debug'])!, /cannot start with "-"/);
      assert.match(profileNameProblem('', known)!, /No AWS profile/);
    });
  });

  describe('the command', () => {
    it('passes the profile as its own argument', () => {
      const cmd = ssoLoginCommand('evil & calc', ['evil & calc'], { PATH: '/usr/bin' }, 'linux', files('/usr/bin/aws'));
      assert.deepEqual(cmd, { ok: true, file: '/usr/bin/aws', args: ['sso', 'login', '--profile', 'evil & calc'] });
    });
    it('refuses a Windows batch file (it would run through cmd.exe)', () => {
      const cmd = ssoLoginCommand('dev', ['dev'], { Path: 'C:\\Python\\Scripts', PATHEXT: '.EXE;.CMD' }, 'win32', files('C:\\Python\\Scripts\\aws.cmd'));
      assert.equal(cmd.ok, false);
      assert.match((cmd as { reason: string }).reason, /batch file.*never through cmd\.exe/);
    });
    it('says when the AWS CLI is missing, or the profile is unknown, before spawning anything', () => {
      assert.match((ssoLoginCommand('dev', ['dev'], { PATH: '/nowhere' }, 'linux', files()) as { reason: string }).reason, /not found on PATH/);
      assert.match((ssoLoginCommand('dev; rm -rf ~', ['dev'], { PATH: '/usr/bin' }, 'linux', files('/usr/bin/aws')) as { reason: string }).reason, /No profile named/);
    });
  });
});
