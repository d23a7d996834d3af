// `aws sso login --profile <name>`, built so that neither a profile name nor the folder it runs in can
// inject anything:
// - the caller spawns it without a shell (`shell: false`), so the profile is one argument, never parsed;
// - the executable is resolved here to an absolute path from PATH, skipping relative PATH entries and
//   the current folder (a cloned repository could ship its own `aws`);
// - on Windows a batch file (`aws.cmd`, `aws.bat`) is refused: Node runs batch files only through cmd.exe,
//   which would parse the arguments (and `aws sso login` needs AWS CLI v2, which installs `aws.exe`);
// - the profile must be one the AWS config files define, with no control characters and no leading `-`.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type SsoLoginCommand = { ok: true; file: string; args: string[] } | { ok: false; reason: string };

const DEFAULT_PATHEXT = '.COM;.EXE;.BAT;.CMD';

function isFile(p: string): boolean {
  try { return fs.statSync(p).isFile(); } catch { return false; }
}

/**
 * The absolute path the OS would run for `name`, from absolute PATH entries only (never the current folder).
 * On Windows each PATHEXT extension is tried in order, as cmd.exe does; the first hit wins.
 */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, exists: (p: string) => boolean = isFile): string | undefined {
  const win = platform === 'win32';
  const p = win ? path.win32 : path.posix;
  const pathVar = (win ? env.Path ?? env.PATH ?? env.path : env.PATH) ?? '';
  const exts = win ? (env.PATHEXT || DEFAULT_PATHEXT).split(';').filter(Boolean) : [''];
  for (const dir of pathVar.split(win ? ';' : ':')) {
    const d = dir.replace(/^"(.*)"$/, '$1');
    if (!d || !p.isAbsolute(d)) continue;
    for (const ext of exts) {
      const candidate = p.join(d, name + ext.toLowerCase());
      if (exists(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Why a profile name cannot be passed to the AWS CLI, or undefined when it can. */
export function profileNameProblem(profile: string, knownProfiles: readonly string[]): string | undefined {
  if (!profile) return 'No AWS profile is selected.';
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(profile)) return 'The profile name contains control characters.';
  if (profile.startsWith('-')) return 'A profile name cannot start with "-".';
  if (profile.length > 256) return 'The profile name is too long.';
  if (!knownProfiles.includes(profile)) return `No profile named "${profile}" is defined in your AWS config files.`;
  return undefined;
}

/** The program and arguments to spawn (without a shell), or why not. */
export function ssoLoginCommand(profile: string, knownProfiles: readonly string[], env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, exists?: (p: string) => boolean): SsoLoginCommand {
  const problem = profileNameProblem(profile, knownProfiles);
  if (problem) return { ok: false, reason: `${problem} Pick a profile with Select Profile and Region.` };
  const file = findExecutable('aws', env, platform, exists);
  if (!file) return { ok: false, reason: 'The AWS CLI (aws) was not found on PATH. Install AWS CLI v2, then try again.' };
  if (platform === 'win32' && /\.(bat|cmd)$/i.test(file)) {
    return { ok: false, reason: `aws resolves to ${file}, a batch file: Keyway runs the AWS CLI only as a program, never through cmd.exe. Install AWS CLI v2 (aws.exe), which "aws sso login" needs anyway.` };
  }
  return { ok: true, file, args: ['sso', 'login', '--profile', profile] };
}
